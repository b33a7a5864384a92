package main

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// runCLI runs the offboard command line with stdin and returns what it
// printed and its exit code.
func runCLI(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), code
}

// sampleCLI makes a sample account in dir and returns its password.
func sampleCLI(t *testing.T, dir, email string) string {
	t.Helper()
	out, errOut, code := runCLI(t, "", "sample", "--data-dir", dir, "--email", email)
	if code != 0 {
		t.Fatalf("sample: %d %s", code, errOut)
	}
	m := regexp.MustCompile(`password: (\S+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("sample printed no password:\n%s", out)
	}
	return m[1]
}

// TestImportCommand: the dry run prints what would come in and changes
// nothing, the import adds it, and a second import adds nothing.
func TestImportCommand(t *testing.T) {
	tmp := t.TempDir()
	from, into := filepath.Join(tmp, "from"), filepath.Join(tmp, "into")
	passFrom := sampleCLI(t, from, "from@example.com")
	passInto := sampleCLI(t, into, "into@example.com")
	export := filepath.Join(tmp, "from.zip")
	if _, errOut, code := runCLI(t, passFrom+"\n", "export", "--data-dir", from, "--email", "from@example.com", "--out", export); code != 0 {
		t.Fatalf("export: %d %s", code, errOut)
	}
	importArgs := []string{"import", "--data-dir", into, "--email", "into@example.com", export}

	dry := func(want string) {
		t.Helper()
		out, errOut, code := runCLI(t, passInto+"\n", append(importArgs, "--dry-run")...)
		if code != 0 {
			t.Fatalf("import --dry-run: %d %s", code, errOut)
		}
		if !strings.Contains(out, want) || !strings.Contains(out, "dry run: nothing was changed") {
			t.Fatalf("import --dry-run printed, without %q:\n%s", want, out)
		}
	}
	dry("jobs: 6 would add, 0 already here")

	// The dry run changed nothing: the import adds everything.
	out, errOut, code := runCLI(t, passInto+"\n", importArgs...)
	if code != 0 || !strings.Contains(out, "jobs: 6 to add, 0 already here") || !strings.Contains(out, "imported: 136 items added") {
		t.Fatalf("import: %d\n%s\n%s", code, out, errOut)
	}
	out, errOut, code = runCLI(t, passInto+"\n", importArgs...)
	if code != 0 || !strings.Contains(out, "nothing new") || !strings.Contains(out, "jobs: 0 to add, 6 already here") {
		t.Fatalf("second import: %d\n%s\n%s", code, out, errOut)
	}
	if _, errOut, code := runCLI(t, passInto+"\n", "import", "--data-dir", into, "--email", "into@example.com"); code != 2 || !strings.Contains(errOut, "one export file") {
		t.Fatalf("no file: %d %s", code, errOut)
	}
}
