package archive

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"strconv"
	"testing"

	"filippo.io/age"
)

// sentinel names the error class a check ended with, so that VerifyWritten
// and Verify can be compared.
func sentinel(err error) string {
	var ee *EntryError
	switch {
	case err == nil:
		return "nil"
	case errors.As(err, &ee):
		return "entry " + ee.Name + ": " + ee.Problem
	}
	for _, s := range []error{ErrNotExport, ErrNeedPassphrase, ErrWrongPassphrase, ErrTruncated, ErrDamaged, context.Canceled} {
		if errors.Is(err, s) {
			return s.Error()
		}
	}
	return "other: " + err.Error()
}

// VerifyWritten runs scrypt beside the check of the contents, with the key
// the writer kept; it must answer as Verify does.
func TestVerifyWrittenAgreesWithVerify(t *testing.T) {
	_, res := mustWrite(t, testOptions(true), smallSample())
	if res.key == nil || res.key.fileKey == nil {
		t.Fatal("the writer kept no file key")
	}
	orig, err := os.ReadFile(res.Path)
	if err != nil {
		t.Fatal(err)
	}
	headerEnd := bytes.Index(orig, []byte("\n---")) + 1
	headerEnd += bytes.IndexByte(orig[headerEnd:], '\n') + 1
	flip := func(i int) []byte {
		b := bytes.Clone(orig)
		b[i] ^= 0x01
		return b
	}
	for _, tc := range []struct {
		name string
		data []byte
		pass string
	}{
		{"intact", orig, testPassphrase},
		{"wrong passphrase", orig, "not the passphrase"},
		{"no passphrase", orig, ""},
		{"header changed", flip(headerEnd - 5), testPassphrase},
		{"payload changed", flip(len(orig) / 2), testPassphrase},
		{"end changed", flip(len(orig) - 3), testPassphrase},
		{"cut short", orig[:len(orig)/2], testPassphrase},
		{"empty", nil, testPassphrase},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.WriteFile(res.Path, tc.data, 0o600); err != nil {
				t.Fatal(err)
			}
			want, werr := Verify(context.Background(), res.Path, tc.pass)
			got, gerr := VerifyWritten(context.Background(), res, tc.pass)
			if sentinel(gerr) != sentinel(werr) {
				t.Errorf("VerifyWritten: %v\nVerify:        %v", gerr, werr)
			}
			if (got == nil) != (want == nil) || got != nil && len(got.Entries) != len(want.Entries) {
				t.Errorf("manifests differ: %v, %v", got, want)
			}
		})
	}

	// The header of another export with the same passphrase opens, but to
	// another key: the contents were not written under it.
	_, other := mustWrite(t, testOptions(true), smallSample())
	b, err := os.ReadFile(other.Path)
	if err != nil {
		t.Fatal(err)
	}
	otherEnd := bytes.Index(b, []byte("\n---")) + 1
	otherEnd += bytes.IndexByte(b[otherEnd:], '\n') + 1
	spliced := append(bytes.Clone(b[:otherEnd]), orig[headerEnd:]...)
	if err := os.WriteFile(res.Path, spliced, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(context.Background(), res.Path, testPassphrase); err == nil {
		t.Error("Verify passed a file with another export's header")
	}
	if _, err := VerifyWritten(context.Background(), res, testPassphrase); !errors.Is(err, ErrDamaged) {
		t.Errorf("VerifyWritten of a file with another export's header: %v, want %v", err, ErrDamaged)
	}
}

func TestVerifyWrittenPlain(t *testing.T) {
	_, res := mustWrite(t, testOptions(false), smallSample())
	if res.key != nil {
		t.Fatal("a plain export has a file key")
	}
	if _, err := VerifyWritten(context.Background(), res, ""); err != nil {
		t.Fatal(err)
	}
}

// The check of an intact export does not run scrypt a second time: the
// key scrypt made for the header opens the header read back from the disk.
// A header that changed on disk, or another passphrase, gets scrypt again.
func TestVerifyWrittenRunsScryptOnlyWhenItMust(t *testing.T) {
	_, res := mustWrite(t, testOptions(true), smallSample())
	if res.key == nil || res.key.key == nil {
		t.Fatal("the writer kept no key")
	}
	before := testHooks.unwraps.Load()
	if _, err := VerifyWritten(context.Background(), res, testPassphrase); err != nil {
		t.Fatal(err)
	}
	if n := testHooks.unwraps.Load() - before; n != 0 {
		t.Fatalf("an intact export's check ran scrypt %d times", n)
	}

	if _, err := VerifyWritten(context.Background(), res, "not the passphrase"); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("another passphrase: %v", err)
	}
	if n := testHooks.unwraps.Load() - before; n != 1 {
		t.Fatalf("another passphrase ran scrypt %d times, want 1", n)
	}

	// The same header with its salt changed: it no longer opens to the key.
	b, err := os.ReadFile(res.Path)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(b, []byte("-> scrypt ")) + len("-> scrypt ")
	b[i] ^= 0x01
	if err := os.WriteFile(res.Path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyWritten(context.Background(), res, testPassphrase); err == nil {
		t.Fatal("a changed header passed")
	}
	if n := testHooks.unwraps.Load() - before; n != 2 {
		t.Fatalf("a changed header ran scrypt %d times in all, want 2", n)
	}
}

// ageScryptWorkFactor is age's own default: the check of a header made
// with the default allows exactly the cost the header states.
func TestAgeDefaultWorkFactor(t *testing.T) {
	if testing.Short() {
		t.Skip("runs scrypt at age's default cost")
	}
	r, err := age.NewScryptRecipient("p")
	if err != nil {
		t.Fatal(err)
	}
	stanzas, err := r.Wrap(make([]byte, 16))
	if err != nil {
		t.Fatal(err)
	}
	if len(stanzas) != 1 || len(stanzas[0].Args) != 2 || stanzas[0].Args[1] != strconv.Itoa(ageScryptWorkFactor) {
		t.Fatalf("age's default scrypt stanza is %+v, want work factor %d", stanzas, ageScryptWorkFactor)
	}
}

// What the passphrase recipient makes is age's scrypt stanza: age's own
// identity opens it, and the whole export decrypts with age alone.
func TestPassphraseRecipientIsAges(t *testing.T) {
	for _, wf := range []int{fastScrypt, 12} {
		r := newPassphraseRecipient("correct horse", wf)
		fileKey := randomBytes(uint64(wf), 16)
		stanzas, err := r.Wrap(fileKey)
		if err != nil {
			t.Fatal(err)
		}
		id, err := age.NewScryptIdentity("correct horse")
		if err != nil {
			t.Fatal(err)
		}
		got, err := id.Unwrap(stanzas)
		if err != nil || !bytes.Equal(got, fileKey) {
			t.Fatalf("work factor %d: age's identity gave %x, %v; want %x", wf, got, err, fileKey)
		}
		wrong, _ := age.NewScryptIdentity("correct horse!")
		if _, err := wrong.Unwrap(stanzas); err == nil {
			t.Fatal("another passphrase opened the stanza")
		}
	}

	path, _ := mustWrite(t, testOptions(true), smallSample())
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	id, _ := age.NewScryptIdentity(testPassphrase)
	plain, err := age.Decrypt(f, id)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(plain)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := zip.NewReader(bytes.NewReader(b), int64(len(b))); err != nil {
		t.Fatalf("age decrypts the export to something that is not a ZIP: %v", err)
	}
}
