package archive

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
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
