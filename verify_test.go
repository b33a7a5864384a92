package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"offboard/account"
)

// offboard verify with a wrong passphrase says that the passphrase is
// wrong: it checked nothing, so it must not call the export damaged.
func TestVerifyWithAWrongPassphraseSaysSo(t *testing.T) {
	dir := t.TempDir()
	run := func(stdin string, args ...string) (int, string) {
		t.Helper()
		var out, errs bytes.Buffer
		rc := run(args, strings.NewReader(stdin), &out, &errs)
		return rc, out.String() + errs.String()
	}
	data := filepath.Join(dir, "data")
	if rc, out := run("", "sample", "--data-dir", data); rc != 0 {
		t.Fatalf("sample: %d %s", rc, out)
	}
	right, wrong := filepath.Join(dir, "right"), filepath.Join(dir, "wrong")
	for p, text := range map[string]string{right: "tidewater ledger\n", wrong: "something else\n"} {
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	export := filepath.Join(dir, "x.zip.age")
	if rc, out := run(account.SamplePassword+"\n", "export", "--data-dir", data, "--email", account.SampleEmail, "--out", export, "--passphrase-file", right); rc != 0 {
		t.Fatalf("export: %d %s", rc, out)
	}
	rc, out := run("", "verify", "--passphrase-file", wrong, export)
	if rc == 0 || !strings.Contains(out, "the passphrase does not open this export") || strings.Contains(out, "NOT intact") {
		t.Fatalf("verify with a wrong passphrase: %d %s", rc, out)
	}
	if rc, out := run("", "verify", "--passphrase-file", right, export); rc != 0 || !strings.Contains(out, "is intact") {
		t.Fatalf("verify with the passphrase: %d %s", rc, out)
	}
}
