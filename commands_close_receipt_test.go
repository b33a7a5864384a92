package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"offboard/account"
)

// TestCloseSavesTheReceipt closes the sample account with the built binary
// and --receipt: a folder that is not there is refused before anything
// changes (exit 2, the account still opens); then the purge runs and the
// receipt it printed is saved to the file, private to its owner, replacing
// an earlier file there, and the output says where.
func TestCloseSavesTheReceipt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary; make test runs it without -short")
	}
	bin := builtBinary(t)
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	env := []string{"HOME=" + dir, "XDG_CONFIG_HOME=" + filepath.Join(dir, "config")}
	pw := account.SamplePassword + "\n"
	closeWith := func(receipt string) runResult {
		return runBinary(bin, 2*time.Minute, pw, env, false,
			"close", "--data-dir", data, "--email", account.SampleEmail, "--no-export", "--resolve-blockers", "--receipt", receipt)
	}
	if r := runBinary(bin, time.Minute, "", env, false, "sample", "--data-dir", data); r.code != 0 {
		t.Fatalf("sample: exit %d\n%s", r.code, r.stderr)
	}

	missing := filepath.Join(dir, "no such folder", "receipt.txt")
	r := closeWith(missing)
	if r.code != 2 || !strings.Contains(r.stderr, "does not exist") || strings.Contains(r.stdout, "receipt") {
		t.Fatalf("--receipt in a missing folder: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	s, err := account.Open(data, account.Options{})
	if err != nil {
		t.Fatal(err)
	}
	exists, err := s.Exists(account.SampleEmail)
	s.Close()
	if err != nil || !exists {
		t.Fatalf("after a refused --receipt the account exists=%v (%v)", exists, err)
	}

	out := filepath.Join(dir, "receipts")
	if err := os.Mkdir(out, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(out, "receipt.txt")
	if err := os.WriteFile(path, []byte("an earlier file"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = closeWith(path)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("close: exit %d\nstderr:\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "The receipt was saved to "+path+".") {
		t.Errorf("the output does not say where the receipt went:\n%s", r.stdout)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(got)
	if !strings.HasPrefix(text, "Offboard — account closure receipt") || !strings.Contains(r.stdout, text) || !strings.Contains(text, account.SampleEmail) {
		t.Errorf("the saved receipt is not the one printed:\n%s\n--- printed:\n%s", text, r.stdout)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("the receipt's mode is %v, want 0600", fi.Mode().Perm())
	}
	if ents, _ := os.ReadDir(out); len(ents) != 1 {
		t.Errorf("the folder holds %d files, want the receipt alone", len(ents))
	}
}
