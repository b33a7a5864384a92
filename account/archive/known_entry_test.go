package archive

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// knownExport writes one KnownEntry announced with size and sum, but
// holding body, and commits it.
func knownExport(t *testing.T, encrypted bool, body []byte, size int64, sum string) (Result, error) {
	t.Helper()
	w, err := Create(context.Background(), filepath.Join(t.TempDir(), "x.zip"), testOptions(encrypted))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	ew, err := w.KnownEntry("files/0001-a.bin", size, sum)
	if err != nil {
		return Result{}, err
	}
	if _, err := ew.Write(body); err != nil {
		return Result{}, err
	}
	return w.Commit()
}

// The manifest takes a known sum as it is, and the read-back check is what
// catches a sum that does not match the bytes.
func TestKnownEntrySumIsCheckedOnReadBack(t *testing.T) {
	body := randomBytes(7, 300_000)
	good := sha256.Sum256(body)
	for _, encrypted := range []bool{false, true} {
		res, err := knownExport(t, encrypted, body, int64(len(body)), hex.EncodeToString(good[:]))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := VerifyWritten(context.Background(), res, testOptions(encrypted).Passphrase); err != nil {
			t.Fatalf("encrypted=%v: a true sum did not verify: %v", encrypted, err)
		}

		wrong := strings.Repeat("ab", 32)
		res, err = knownExport(t, encrypted, body, int64(len(body)), wrong)
		if err != nil {
			t.Fatal(err)
		}
		if res.Manifest.Entries[0].SHA256 != wrong {
			t.Fatalf("manifest sum = %s, want the announced %s", res.Manifest.Entries[0].SHA256, wrong)
		}
		_, err = VerifyWritten(context.Background(), res, testOptions(encrypted).Passphrase)
		var ee *EntryError
		if !errors.As(err, &ee) || ee.Problem != ProblemChecksum {
			t.Fatalf("encrypted=%v: a false sum gave %v, want a checksum problem", encrypted, err)
		}
	}
}

// Fewer or more bytes than announced fail the export at once.
func TestKnownEntrySizeIsEnforced(t *testing.T) {
	body := randomBytes(8, 1000)
	sum := sha256.Sum256(body)
	hexSum := hex.EncodeToString(sum[:])
	if _, err := knownExport(t, false, body, 999, hexSum); err == nil || !strings.Contains(err.Error(), "more than the announced 999 bytes") {
		t.Fatalf("too many bytes: %v", err)
	}
	if _, err := knownExport(t, false, body, 1001, hexSum); err == nil || !strings.Contains(err.Error(), "1000 bytes were written where 1001 were announced") {
		t.Fatalf("too few bytes: %v", err)
	}
	for _, bad := range []string{"", "abc", strings.ToUpper(hexSum), hexSum[:62] + "zz"} {
		if _, err := knownExport(t, false, body, 1000, bad); err == nil || !strings.Contains(err.Error(), "not a SHA-256") {
			t.Fatalf("sum %q: %v", bad, err)
		}
	}
}

// A plain export's stored entries are read back as they are written, and
// the check after the commit takes them as read only where the ZIP's
// directory agrees: same place, size and CRC-32, and a sum that matched.
func TestKnownEntriesAreReadBackAsWritten(t *testing.T) {
	for _, encrypted := range []bool{false, true} {
		t.Run(fmt.Sprint("encrypted=", encrypted), func(t *testing.T) { testReadBackAsWritten(t, encrypted) })
	}
}

func testReadBackAsWritten(t *testing.T, encrypted bool) {
	w, err := Create(context.Background(), filepath.Join(t.TempDir(), "x.zip"), testOptions(encrypted))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	bodies := [][]byte{randomBytes(1, 3<<20), randomBytes(2, 10), {}, randomBytes(3, 700_000)}
	for i, b := range bodies {
		sum := sha256.Sum256(b)
		ew, err := w.KnownEntry(fmt.Sprintf("files/%04d.bin", i), int64(len(b)), hex.EncodeToString(sum[:]))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ew.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	bad := randomBytes(4, 5000)
	ew, err := w.KnownEntry("files/9999-bad.bin", int64(len(bad)), strings.Repeat("0", 64))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ew.Write(bad); err != nil {
		t.Fatal(err)
	}
	res, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	if len(res.early) != len(bodies)+1 {
		t.Fatalf("%d entries read back early, want %d", len(res.early), len(bodies)+1)
	}
	pass := testOptions(encrypted).Passphrase
	before := testHooks.trustedEarly.Load()
	_, err = VerifyWritten(context.Background(), res, pass)
	var ee *EntryError
	if !errors.As(err, &ee) || ee.Name != "files/9999-bad.bin" || ee.Problem != ProblemChecksum {
		t.Fatalf("VerifyWritten: %v, want a checksum problem in the bad entry", err)
	}
	if n := testHooks.trustedEarly.Load() - before; n != int64(len(bodies)) {
		t.Fatalf("%d entries taken as read back early, want %d", n, len(bodies))
	}

	// What was read back no longer matches the directory: checked again.
	rb := res.early["files/0000.bin"]
	rb.offset++
	before = testHooks.trustedEarly.Load()
	VerifyWritten(context.Background(), res, pass)
	if n := testHooks.trustedEarly.Load() - before; n != int64(len(bodies)-1) {
		t.Fatalf("after moving one: %d entries taken as read back early, want %d", n, len(bodies)-1)
	}
}

// An encrypted export small enough to be one chunk of age's payload: the
// entry is read back from the last chunk, which is known to be the last
// only once the writer has finished.
func TestReadBackFromTheLastChunk(t *testing.T) {
	body := []byte("a small file")
	sum := sha256.Sum256(body)
	res, err := knownExport(t, true, body, int64(len(body)), hex.EncodeToString(sum[:]))
	if err != nil {
		t.Fatal(err)
	}
	rb := res.early["files/0001-a.bin"]
	if rb == nil || !rb.match {
		t.Fatalf("read back early: %+v", rb)
	}
	before := testHooks.trustedEarly.Load()
	if _, err := VerifyWritten(context.Background(), res, testOptions(true).Passphrase); err != nil {
		t.Fatal(err)
	}
	if n := testHooks.trustedEarly.Load() - before; n != 1 {
		t.Fatalf("%d entries taken as read back early, want 1", n)
	}
}
