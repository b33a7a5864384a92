package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// securityRecord reads (v == nil) or writes the sealed security record of a
// closed account file with bbolt directly, as someone splicing the file would.
func securityRecord(t *testing.T, path string, v []byte) []byte {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var got []byte
	err = db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("s"))
		if v != nil {
			return b.Put([]byte("v"), v)
		}
		got = bytes.Clone(b.Get([]byte("v")))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// refusedAsAltered checks that a command refused a spliced file: exit code 1,
// one line on stderr that says the file was altered and to restore it from a
// backup, and no runtime text.
func refusedAsAltered(t *testing.T, what, stdout, stderr string, code int) {
	t.Helper()
	if code != 1 || !strings.Contains(stderr, "altered") || !strings.Contains(stderr, "restore the account file from a backup") {
		t.Fatalf("%s on a spliced file: exit %d, stdout %q, stderr %q", what, code, stdout, stderr)
	}
	if strings.Count(stderr, "\n") != 1 {
		t.Fatalf("%s: stderr is not one line: %q", what, stderr)
	}
	for _, rt := range []string{"panic", "goroutine", "runtime", "SIG", ".go:"} {
		if strings.Contains(stderr, rt) {
			t.Fatalf("%s: runtime text %q on stderr: %q", what, rt, stderr)
		}
	}
}

// TestSplicedSecurityRecordRefusedByTheBinary: with two-factor on, the
// record from before it was turned on, put back into the file, would let
// `offboard password` through without a code; and the record from before a
// recovery code was spent would take that code again. The real program
// refuses both files, with the sentence that says what to do.
func TestSplicedSecurityRecordRefusedByTheBinary(t *testing.T) {
	bin := buildOffboard(t)
	dir := t.TempDir()
	file := cliSignup(t, bin, dir)
	off := securityRecord(t, file, nil)
	_, recovery := cliTwoFactorOn(t, bin, dir)
	on := securityRecord(t, file, nil)
	current, _ := os.ReadFile(file)

	securityRecord(t, file, off)
	stdout, stderr, code := offboardRun(t, bin, cliPass+"\n"+cliNewPw+"\n"+cliNewPw+"\n", "password", "--data-dir", dir, "--email", cliEmail)
	refusedAsAltered(t, "password without a code", stdout, stderr, code)
	stdout, stderr, code = offboardRun(t, bin, cliPass+"\n", "two-factor", "on", "--data-dir", dir, "--email", cliEmail)
	refusedAsAltered(t, "two-factor on", stdout, stderr, code)

	// The intact file still works: a recovery code turns two-factor off
	// and is spent.
	os.WriteFile(file, current, 0o600)
	if out, errOut, code := offboardRun(t, bin, cliPass+"\n"+recovery[0]+"\n", "two-factor", "off", "--data-dir", dir, "--email", cliEmail); code != 0 || !strings.Contains(out, "is off") {
		t.Fatalf("two-factor off with a recovery code: exit %d: %s", code, errOut)
	}
	securityRecord(t, file, on)
	stdout, stderr, code = offboardRun(t, bin, cliPass+"\n"+recovery[0]+"\n", "two-factor", "off", "--data-dir", dir, "--email", cliEmail)
	refusedAsAltered(t, "two-factor off with a spent recovery code", stdout, stderr, code)
}
