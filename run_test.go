package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"offboard/account"
)

// These tests call run, the whole command line, in this process, against
// temporary data folders: every command, and each of its exit codes (0
// done, 1 refused or failed, 2 usage). The accounts they sign in to are
// made with cheap key costs (the file records them), so that each sign-in
// costs little more than the email lookup.

// cliCase is one run of the command line and what it must print.
type cliCase struct {
	name     string
	stdin    string
	args     []string
	code     int
	stdout   []string // each must be in stdout
	stderr   []string // each must be in stderr
	noStdout bool     // stdout must be empty
}

// check runs c, reports what differs, and returns what it printed.
func (c cliCase) check(t *testing.T) (out, errOut string) {
	t.Helper()
	out, errOut, code := runCLI(t, c.stdin, c.args...)
	if code != c.code {
		t.Errorf("%s: offboard %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", c.name, strings.Join(c.args, " "), code, c.code, out, errOut)
		return out, errOut
	}
	for _, s := range c.stdout {
		if !strings.Contains(out, s) {
			t.Errorf("%s: stdout lacks %q:\n%s", c.name, s, out)
		}
	}
	for _, s := range c.stderr {
		if !strings.Contains(errOut, s) {
			t.Errorf("%s: stderr lacks %q:\n%s", c.name, s, errOut)
		}
	}
	if c.noStdout && out != "" {
		t.Errorf("%s: printed on stdout:\n%s", c.name, out)
	}
	if c.code == 0 && errOut != "" {
		t.Errorf("%s: succeeded but wrote to stderr:\n%s", c.name, errOut)
	}
	for _, s := range runtimeTexts {
		if strings.Contains(out+errOut, s) {
			t.Errorf("%s: runtime text %q in:\n%s%s", c.name, s, out, errOut)
		}
	}
	return out, errOut
}

func runCases(t *testing.T, cases []cliCase) {
	t.Helper()
	for _, c := range cases {
		c.check(t)
	}
}

// cheapAccount signs up cliEmail with cliPass in the data folder dir, with
// cheap key costs, and closes the folder again for run to open.
func cheapAccount(t *testing.T, dir string) {
	t.Helper()
	s := cheapStore(t, dir)
	defer s.Close()
	a, err := s.SignUp(cliEmail, cliPass, "Example Co")
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
}

// TestRunHelpAndUsage: help lists every command of the table, each command
// has its own --help, and a wrong command line exits 2 saying what to do.
func TestRunHelpAndUsage(t *testing.T) {
	cmds := commands()
	var names []string
	for _, c := range cmds {
		names = append(names, "  "+c.name+" ")
	}
	cases := []cliCase{
		{name: "--help", args: []string{"--help"}, code: 0, stdout: append([]string{"Usage:", "open the window"}, names...)},
		{name: "-h", args: []string{"-h"}, code: 0, stdout: names},
		{name: "help", args: []string{"help"}, code: 0, stdout: names},
		{name: "help close", args: []string{"help", "close"}, code: 0, stdout: []string{"Usage: offboard close", "-resolve-blockers", "second, fresh code"}},
		{name: "help unknown", args: []string{"help", "nope"}, code: 2, stderr: []string{`unknown command "nope"`, `"offboard help" lists them`}, noStdout: true},
		{name: "help two", args: []string{"help", "close", "export"}, code: 2, stderr: []string{"help takes at most one command"}},
		{name: "unknown command", args: []string{"nope"}, code: 2, stderr: []string{`unknown command "nope"`, "Usage:", "  offboard close "}, noStdout: true},
		{name: "unknown window flag", args: []string{"--bogus"}, code: 2, stderr: []string{"flag provided but not defined: -bogus", `"offboard --help" lists the commands`}, noStdout: true},
		{name: "command after flags", args: []string{"--data-dir", t.TempDir(), "sample"}, code: 2, stderr: []string{"the command goes first"}},
		{name: "version", args: []string{"version"}, code: 0, stdout: []string{"offboard " + version}},
		{name: "version with an argument", args: []string{"version", "now"}, code: 2, stderr: []string{"version takes no arguments"}},
	}
	for _, c := range cmds {
		cases = append(cases,
			cliCase{name: c.name + " --help", args: []string{c.name, "--help"}, code: 0,
				stdout: []string{"Usage: offboard " + c.name, strings.ToUpper(c.help[:1]) + c.help[1:]}},
			cliCase{name: c.name + " --bogus", args: []string{c.name, "--bogus"}, code: 2,
				stderr: []string{"flag provided but not defined: -bogus", "Usage: offboard " + c.name, `"offboard ` + c.name + ` --help"`}, noStdout: true})
		if c.stdin != "" {
			cases = append(cases, cliCase{name: c.name + " --help says what it reads", args: []string{c.name, "--help"}, code: 0, stdout: []string{"Standard input, one per line: " + c.stdin}})
		}
	}
	runCases(t, cases)
}

// TestRunRefusesAnIncompleteCommandLine: each command names what is missing
// and exits 2 before it opens anything.
func TestRunRefusesAnIncompleteCommandLine(t *testing.T) {
	dir := t.TempDir()
	d := []string{"--data-dir", dir}
	with := func(args ...string) []string { return append(args[:1:1], append(d, args[1:]...)...) }
	weak := filepath.Join(t.TempDir(), "weak")
	if err := os.WriteFile(weak, []byte("abc\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	runCases(t, []cliCase{
		{name: "no data folder", args: []string{"sample", "--data-dir", ""}, code: 2, stderr: []string{"no data folder: pass --data-dir or set OFFBOARD_DATA_DIR"}},
		{name: "sample with an argument", args: with("sample", "extra"), code: 2, stderr: []string{"sample takes no arguments"}},
		{name: "sample of an unknown size", args: with("sample", "--size", "huge"), code: 2, stderr: []string{"huge"}},
		{name: "signup without a company", stdin: cliPass + "\n" + cliPass + "\n", args: with("signup", "--email", cliEmail), code: 2, stderr: []string{"signup needs --email and --company"}},
		{name: "signup without an email", args: with("signup", "--company", "X"), code: 2, stderr: []string{"signup needs --email"}},
		{name: "signup without a password", args: with("signup", "--email", cliEmail, "--company", "X"), code: 2, stderr: []string{"give the new password twice on standard input"}},
		{name: "password without an email", args: with("password"), code: 2, stderr: []string{"password needs --email"}},
		{name: "password without input", args: with("password", "--email", cliEmail), code: 2, stderr: []string{"give the current password, then the new one twice"}},
		{name: "two-factor without on or off", stdin: cliPass + "\n", args: with("two-factor", "--email", cliEmail, "maybe"), code: 2, stderr: []string{"two-factor takes on or off"}},
		{name: "two-factor without a password", args: with("two-factor", "--email", cliEmail, "off"), code: 2, stderr: []string{"give the password on standard input"}},
		{name: "export without --out", stdin: cliPass + "\n", args: with("export", "--email", cliEmail), code: 2, stderr: []string{"export needs --email and --out"}},
		{name: "export with a weak passphrase", stdin: cliPass + "\n", args: with("export", "--email", cliEmail, "--out", filepath.Join(dir, "x.zip"), "--passphrase-file", weak), code: 2, stderr: []string{"the passphrase in " + weak}},
		{name: "export without a password", args: with("export", "--email", cliEmail, "--out", filepath.Join(dir, "x.zip")), code: 2, stderr: []string{"give the password on standard input"}},
		{name: "verify without a file", args: []string{"verify"}, code: 2, stderr: []string{"verify takes one export file"}},
		{name: "import without a file", stdin: cliPass + "\n", args: with("import", "--email", cliEmail), code: 2, stderr: []string{"import needs --email and one export file"}},
		{name: "close without an email", args: with("close", "--no-export"), code: 2, stderr: []string{"close needs --email"}},
		{name: "close with neither export choice", args: with("close", "--email", cliEmail), code: 2, stderr: []string{"choose one of --export FILE or --no-export"}},
		{name: "close with both export choices", args: with("close", "--email", cliEmail, "--no-export", "--export", "x.zip"), code: 2, stderr: []string{"choose one of --export FILE or --no-export"}},
		{name: "close without a password", args: with("close", "--email", cliEmail, "--no-export"), code: 2, stderr: []string{"give the password on standard input"}},
	})
}

// TestRunSampleAndSignup makes accounts the way a person does, at the real
// key costs, and refuses what the window refuses.
func TestRunSampleAndSignup(t *testing.T) {
	dir := t.TempDir()
	runCases(t, []cliCase{
		{name: "sample", args: []string{"sample", "--data-dir", dir}, code: 0, stdout: []string{"email: " + account.SampleEmail, "password: " + account.SamplePassword}},
		{name: "sample again", args: []string{"sample", "--data-dir", dir}, code: 1, stderr: []string{"already exists"}},
		{name: "signup", stdin: cliPass + "\n" + cliPass + "\n", args: []string{"signup", "--data-dir", dir, "--email", cliEmail, "--company", "Example Co"}, code: 0, stdout: []string{"Account created for " + cliEmail + " (Example Co)"}},
		{name: "signup again", stdin: cliPass + "\n" + cliPass + "\n", args: []string{"signup", "--data-dir", dir, "--email", cliEmail, "--company", "Example Co"}, code: 1, stderr: []string{"already exists on this computer; sign in instead"}},
		{name: "signup with passwords that differ", stdin: cliPass + "\nsomething-else-12\n", args: []string{"signup", "--data-dir", dir, "--email", "b@example.com", "--company", "B"}, code: 1, stderr: []string{"the two new passwords differ; type the same password twice"}},
		{name: "signup with a weak password", stdin: "password\npassword\n", args: []string{"signup", "--data-dir", dir, "--email", "b@example.com", "--company", "B"}, code: 1},
		{name: "signup with a bad email", stdin: cliPass + "\n" + cliPass + "\n", args: []string{"signup", "--data-dir", dir, "--email", "not-an-email", "--company", "B"}, code: 1, stderr: []string{"email"}},
	})
	// The folder is locked while another Offboard has it open.
	s := cheapStore(t, dir)
	defer s.Close()
	cliCase{name: "a folder in use", stdin: cliPass + "\n", args: []string{"export", "--data-dir", dir, "--email", cliEmail, "--out", filepath.Join(t.TempDir(), "x.zip")}, code: 1,
		stderr: []string{"already open in another Offboard window or command; close that one and try again"}}.check(t)
}

// TestRunExportVerifyImport: export writes a verified copy, verify checks
// one and names a damaged one, import brings one in; each refuses a wrong
// password, a damaged file and an unknown account with exit 1.
func TestRunExportVerifyImport(t *testing.T) {
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "data")
	other := filepath.Join(tmp, "other")
	cheapAccount(t, dir)
	cheapAccount(t, other)
	export := filepath.Join(tmp, "copy.zip")
	pw := cliPass + "\n"
	acct := func(cmd string, args ...string) []string {
		return append([]string{cmd, "--data-dir", dir, "--email", cliEmail}, args...)
	}
	// into is the same email's account in another data folder.
	into := func(cmd string, args ...string) []string {
		return append([]string{cmd, "--data-dir", other, "--email", cliEmail}, args...)
	}
	runCases(t, []cliCase{
		{name: "export", stdin: pw, args: acct("export", "--out", export), code: 0, stdout: []string{"export: " + export, "sha256: ", "verified: yes", "jobs: 0"}},
		{name: "export with a wrong password", stdin: "wrong-horse-1\n", args: acct("export", "--out", filepath.Join(tmp, "other.zip")), code: 1, stderr: []string{"the password is not right; check it and try again"}},
		{name: "export of no account", stdin: pw, args: []string{"export", "--data-dir", dir, "--email", "nobody@example.com", "--out", filepath.Join(tmp, "other.zip")}, code: 1, stderr: []string{"no account with this email; check the address or create an account"}},
		{name: "export with a missing passphrase file", stdin: pw, args: acct("export", "--out", filepath.Join(tmp, "other.zip"), "--passphrase-file", filepath.Join(tmp, "missing")), code: 1, stderr: []string{"read the passphrase file"}},
		{name: "verify", args: []string{"verify", export}, code: 0, stdout: []string{export + " is intact"}},
		{name: "verify of a missing file", args: []string{"verify", filepath.Join(tmp, "missing.zip")}, code: 1, stderr: []string{"is NOT intact"}},
		{name: "import of the account's own export", stdin: pw, args: acct("import", export), code: 1, stderr: []string{"this export was made from this same account, so it holds nothing new"}},
		{name: "import, a dry run", stdin: pw, args: into("import", export, "--dry-run"), code: 0, stdout: []string{export + " is intact", "dry run: nothing was changed"}},
		{name: "import", stdin: pw, args: into("import", export), code: 0, stdout: []string{"to add", "nothing new"}},
		{name: "import with a wrong password", stdin: "wrong-horse-1\n", args: into("import", export), code: 1, stderr: []string{"the password is not right"}},
	})

	// A damaged export: one byte in the middle flipped.
	b, err := os.ReadFile(export)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0xff
	damaged := filepath.Join(tmp, "damaged.zip")
	if err := os.WriteFile(damaged, b, 0o600); err != nil {
		t.Fatal(err)
	}
	runCases(t, []cliCase{
		{name: "verify of a damaged export", args: []string{"verify", damaged}, code: 1, stderr: []string{damaged + " is NOT intact"}, noStdout: true},
		{name: "import of a damaged export", stdin: pw, args: acct("import", damaged), code: 1, stderr: []string{"offboard: "}, noStdout: true},
	})

	// A damaged account file: export says so and what to do.
	files, _ := filepath.Glob(filepath.Join(dir, "accounts", "*.db"))
	if len(files) != 1 {
		t.Fatalf("account files: %v", files)
	}
	if err := os.WriteFile(files[0], []byte(strings.Repeat("not an account file ", 400)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, errOut := cliCase{name: "export of a damaged account file", stdin: pw, args: acct("export", "--out", filepath.Join(tmp, "after.zip")), code: 1, noStdout: true}.check(t)
	if !clearRefusal(errOut) || !strings.Contains(errOut, "Restore it from a backup") {
		t.Errorf("a damaged account file: the refusal does not say so and what to do:\n%s", errOut)
	}
}

// turnOnTwoFactor runs `offboard two-factor on` as a person does: it reads the
// secret it prints, and only then types the code the app would show. It
// returns the recovery codes.
func turnOnTwoFactor(t *testing.T, dir string) []string {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	var errOut strings.Builder
	done := make(chan int, 1)
	go func() {
		code := run([]string{"two-factor", "on", "--data-dir", dir, "--email", cliEmail}, inR, outW, &errOut)
		inR.Close() // a run that stopped early does not leave the test writing
		outW.Close()
		done <- code
	}()
	if _, err := fmt.Fprintln(inW, cliPass); err != nil {
		t.Fatal(err)
	}
	_, recovery, printed := answerTwoFactorSetup(t, outR, inW)
	if code := <-done; code != 0 || !strings.Contains(printed, "Two-factor sign-in is on.") {
		t.Fatalf("two-factor on: exit %d\nstdout:\n%s\nstderr:\n%s", code, printed, errOut.String())
	}
	if len(recovery) < 4 {
		t.Fatalf("two-factor on printed %d recovery codes", len(recovery))
	}
	return recovery
}

// answerTwoFactorSetup reads what `offboard two-factor on` prints on out
// and, once it asks for the code, types on in the one the app would show,
// and closes in. It returns the secret, the recovery codes and all printed.
func answerTwoFactorSetup(t *testing.T, out io.Reader, in io.WriteCloser) (secret string, recovery []string, printed string) {
	t.Helper()
	var all strings.Builder
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		l := lines.Text()
		all.WriteString(l + "\n")
		if v, ok := strings.CutPrefix(l, "secret: "); ok {
			secret = v
		}
		if v, ok := strings.CutPrefix(l, "recovery code: "); ok {
			recovery = append(recovery, v)
		}
		if strings.HasPrefix(l, "Enter the 6-digit code") {
			c, err := totp.GenerateCode(secret, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			io.WriteString(in, c+"\n")
			in.Close()
		}
	}
	return secret, recovery, all.String()
}

// TestRunPasswordAndTwoFactor: the Security settings from the command line.
func TestRunPasswordAndTwoFactor(t *testing.T) {
	dir := t.TempDir()
	cheapAccount(t, dir)
	acct := func(cmd string, args ...string) []string {
		return append([]string{cmd, "--data-dir", dir, "--email", cliEmail}, args...)
	}
	pw := cliPass + "\n"
	runCases(t, []cliCase{
		{name: "two-factor on with a wrong code", stdin: pw + "000000\n", args: acct("two-factor", "on"), code: 1, stdout: []string{"secret: ", "recovery code: "}, stderr: []string{"two-factor is still off", "enter the current code from your authenticator app"}},
		{name: "two-factor off while off", stdin: pw, args: acct("two-factor", "off"), code: 0, stdout: []string{"Two-factor sign-in is off."}},
	})
	recovery := turnOnTwoFactor(t, dir)
	runCases(t, []cliCase{
		{name: "two-factor on while on", stdin: pw, args: acct("two-factor", "on"), code: 1, stderr: []string{"two-factor sign-in is already on; turn it off first"}},
		{name: "export without the code", stdin: pw, args: acct("export", "--out", filepath.Join(t.TempDir(), "x.zip")), code: 1, stderr: []string{"two-factor is on: give the 6-digit code (or a recovery code) on the line after the password"}},
		{name: "export with a recovery code", stdin: pw + recovery[0] + "\n", args: acct("export", "--out", filepath.Join(t.TempDir(), "x.zip")), code: 0, stdout: []string{"verified: yes"}},
		{name: "password without the code", stdin: pw + cliNewPw + "\n" + cliNewPw + "\n", args: acct("password"), code: 1, stderr: []string{"on the fourth line, after the new password twice"}},
		{name: "two-factor off with a used code", stdin: pw + recovery[0] + "\n", args: acct("two-factor", "off"), code: 1, stderr: []string{"the code is not right or was already used"}},
		{name: "two-factor off", stdin: pw + recovery[1] + "\n", args: acct("two-factor", "off"), code: 0, stdout: []string{"Two-factor sign-in is off."}},
		{name: "password with a wrong current one", stdin: "wrong-horse-1\n" + cliNewPw + "\n" + cliNewPw + "\n", args: acct("password"), code: 1, stderr: []string{"the password is not right"}},
		{name: "password with new ones that differ", stdin: pw + cliNewPw + "\nsomething-else-12\n", args: acct("password"), code: 1, stderr: []string{"the two new passwords differ"}},
		{name: "password", stdin: pw + cliNewPw + "\n" + cliNewPw + "\n", args: acct("password"), code: 0, stdout: []string{"Password changed. Use the new password from now on."}},
		{name: "the old password after the change", stdin: pw, args: acct("export", "--out", filepath.Join(t.TempDir(), "x.zip")), code: 1, stderr: []string{"the password is not right"}},
	})
}

// TestRunClose closes accounts end to end through run, answers on stdin: a
// closure refused while blockers remain, a wrong password, and the whole
// way with an export, with two-factor on, and without an export.
func TestRunClose(t *testing.T) {
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "data")
	makeCheapSample(t, dir)
	pw := account.SamplePassword + "\n"
	export := filepath.Join(tmp, "closed.zip")
	notAFolder := filepath.Join(tmp, "a-file")
	if err := os.WriteFile(notAFolder, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	closeArgs := func(args ...string) []string {
		return append([]string{"close", "--data-dir", dir, "--email", account.SampleEmail}, args...)
	}
	runCases(t, []cliCase{
		{name: "close with blockers", stdin: pw, args: closeArgs("--no-export"), code: 1,
			stdout: []string{"Before you go:"}, stderr: []string{"Settle them in the app, or run again with --resolve-blockers."}},
		{name: "close with a wrong password", stdin: "wrong-horse-1\n", args: closeArgs("--no-export", "--resolve-blockers"), code: 1, stderr: []string{"the password is not right"}, noStdout: true},
		// The blockers are settled for good; the export cannot be written
		// (its folder is a file), so nothing is erased.
		{name: "close with an export that cannot be written", stdin: pw, args: closeArgs("--export", filepath.Join(notAFolder, "x.zip"), "--resolve-blockers"), code: 1, stdout: []string{"Settled: "}, stderr: []string{"offboard: "}},
	})
	out, _ := cliCase{name: "close", stdin: pw, args: closeArgs("--export", export, "--resolve-blockers", "--reason", "job completed"), code: 0,
		stdout: []string{"Before you go:", "Backed up and verified: " + export, "Please check that this is what you want:",
			"  Your copy:     " + export + " (SHA-256 ", "  Reason:        job completed", "account closure receipt", "SHA-256: ", "Why you left: Job completed."}}.check(t)
	if !strings.Contains(out, account.SampleEmail) {
		t.Errorf("close printed no receipt with the export's checksum:\n%s", out)
	}
	runCases(t, []cliCase{
		{name: "the closed account", stdin: pw, args: closeArgs("--no-export"), code: 1, stderr: []string{"no account with this email"}},
		{name: "the closure's export", args: []string{"verify", export}, code: 0, stdout: []string{"is intact"}},
	})

	// With two-factor on, the final identity check needs a second code.
	cheapAccount(t, dir)
	recovery := turnOnTwoFactor(t, dir)
	args := []string{"close", "--data-dir", dir, "--email", cliEmail, "--no-export", "--reason", "moving on"}
	runCases(t, []cliCase{
		{name: "close without the second code", stdin: cliPass + "\n" + recovery[0] + "\n", args: args, code: 1, stderr: []string{"the final identity check needs a second, fresh code"}},
		{name: "close with two-factor on", stdin: cliPass + "\n" + recovery[1] + "\n" + recovery[2] + "\n", args: args, code: 0,
			stdout: []string{"Before you go:", cliEmail, "  Your copy:     none kept", "  Reason:        other: moving on"}},
		{name: "the closed two-factor account", stdin: cliPass + "\n", args: args, code: 1, stderr: []string{"no account with this email"}},
	})
}

// TestAppIDIsFyneAppTomls: the app ID main gives the toolkit is the one the
// packaging reads from FyneApp.toml, and the files named after it exist.
func TestAppIDIsFyneAppTomls(t *testing.T) {
	b, err := os.ReadFile("FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^ID *= *"([^"]*)"`).FindSubmatch(b)
	if m == nil || string(m[1]) != appID {
		t.Fatalf("FyneApp.toml's ID is %q, main's appID %q", m, appID)
	}
	for _, p := range []string{"assets/" + appID + ".desktop", "assets/" + appID + ".metainfo.xml", "packaging/flatpak/" + appID + ".yml"} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("the file named after the app ID: %v", err)
		}
	}
}
