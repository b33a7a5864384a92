package main

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
	bolt "go.etcd.io/bbolt"

	"offboard/account"
	"offboard/account/vault"
)

// buildOffboard builds the real binary, as the Makefile does, into a
// temporary folder of the test.
func buildOffboard(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "offboard")
	cmd := exec.Command("go", "build", "-tags", "migrated_fynedo", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// cheapStore opens a data folder whose new key slots and verifiers are cheap
// to make; the binary reads their costs from the file. The email lookup's
// cost is not stored, so it stays the one the binary uses.
func cheapStore(t *testing.T, dir string) *account.Store {
	t.Helper()
	s, err := account.Open(dir, account.Options{KDF: vault.Params{Time: 1, MemoryKiB: 64, Threads: 1}, BcryptCost: 4})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// rawSlotsOpening is a reader of its own that needs no database code: it
// scans the raw bytes of a file for key-slot structures and returns the
// offsets of those that password opens (the additional data is the
// account's ID, the file's name).
func rawSlotsOpening(t *testing.T, path, password string) []int64 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	id, _, _ := strings.Cut(filepath.Base(path), ".")
	return vault.SlotsOpening(b, []byte(password), []byte(id))
}

// compact rewrites a bbolt file without free pages.
func compact(t *testing.T, path string) {
	t.Helper()
	src, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	dst, err := bolt.Open(path+".compact", 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := bolt.Compact(dst, src, 0); err != nil {
		t.Fatal(err)
	}
	src.Close()
	dst.Close()
	if err := os.Rename(path+".compact", path); err != nil {
		t.Fatal(err)
	}
}

func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o700)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// closePassword is the sample owner's password after a change.
const closePassword = "tidal-compass-83"

// TestCloseKilledLeavesNothingReadable kills a real `offboard close` of the
// sample account, grown by a 48 MiB file so that its purge takes a while,
// at many instants. Whatever each kill leaves behind, either the account is
// intact (the kill came before the commit point) or no key slot in any file
// it left opens with the password.
func TestCloseKilledLeavesNothingReadable(t *testing.T) {
	bin := buildOffboard(t)
	template := t.TempDir()
	s := cheapStore(t, template)
	a, err := s.CreateSample(account.SampleSmall, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	big := make([]byte, 48<<20)
	rand.Read(big)
	if err := a.AddFile(&account.File{Name: "archive.bin", MediaType: "application/octet-stream"}, bytes.NewReader(big)); err != nil {
		t.Fatal(err)
	}
	// The password the close below is given.
	if err := a.ChangePassword(account.SamplePassword, closePassword); err != nil {
		t.Fatal(err)
	}
	id := a.ID()
	a.Close()
	s.Close()
	file := filepath.Join(template, "accounts", id+".db")
	// As in the large sample, the key slot must sit late in the file, where
	// a purge that overwrites from the front reaches it last, or a kill
	// after the commit point would find it gone whether or not the purge
	// destroyed it first: compacting the file puts the header's page after
	// the files' chunks (77.8 % of this file). A later write of the
	// header, such as a password change, would take a freed page near the
	// front instead, so none comes after the compaction; the test fails if
	// the slot is not in the last half.
	compact(t, file)
	if b, err := os.ReadFile(file); err == nil {
		slots := vault.ScanSlots(b)
		if len(slots) != 1 {
			t.Fatalf("the account file holds %d key slots, want 1", len(slots))
		}
		at := float64(slots[0].Offset) / float64(len(b))
		t.Logf("key slot at %.1f %% of the file", 100*at)
		if at < 0.5 {
			t.Fatalf("the key slot is at %.1f %% of the file, where the purge's overwrite reaches it first: the test would not show a purge that left it readable", 100*at)
		}
	}
	if st, err := os.Stat(file); err == nil {
		t.Logf("account file: %d bytes", st.Size())
	}

	// run also says when the file under its purging name first appeared.
	run := func(dir string, delay time.Duration) (finished bool, took, purging time.Duration) {
		cmd := exec.Command(bin, "close", "--data-dir", dir, "--email", account.SampleEmail, "--no-export", "--resolve-blockers")
		cmd.Stdin = strings.NewReader(closePassword + "\n\n\n")
		var stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = io.Discard, &stderr
		start := time.Now()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		seen := make(chan time.Duration, 1)
		stop := make(chan struct{})
		defer close(stop)
		go func() {
			for {
				select {
				case <-stop:
					return
				case <-time.After(time.Millisecond):
				}
				if _, err := os.Stat(filepath.Join(dir, "accounts", id+".purging")); err == nil {
					seen <- time.Since(start)
					return
				}
			}
		}()
		if delay >= 0 {
			timer := time.AfterFunc(delay, func() { cmd.Process.Signal(syscall.SIGKILL) })
			defer timer.Stop()
		}
		err := cmd.Wait()
		var exit *exec.ExitError
		switch {
		case err == nil:
			took := time.Since(start)
			select {
			case p := <-seen:
				return true, took, p
			default:
				return true, took, took
			}
		case errors.As(err, &exit) && exit.ProcessState.Sys().(syscall.WaitStatus).Signaled():
			return false, 0, 0
		}
		t.Fatalf("close failed on its own: %v: %s", err, stderr.String())
		return false, 0, 0
	}
	var times, purgings []time.Duration
	for range 3 {
		dir := t.TempDir()
		copyTree(t, template, dir)
		if ok, d, p := run(dir, -1); ok {
			times, purgings = append(times, d), append(purgings, p)
		}
	}
	slices.Sort(times)
	slices.Sort(purgings)
	took := times[1]
	// The kills go where the purge is: from a little before the purging
	// name appears (the key is destroyed just before the rename) to the end,
	// half of them packed into the first 30 ms after the rename, while the
	// overwrite from the front has not yet reached the key slot: a kill
	// there is the one that finds the slot readable if the purge did not
	// destroy it first, and the rest of the purge is too quick for kills
	// spread evenly to land there every time.
	from := max(purgings[0]-took/10, 0)
	kills := 40
	if testing.Short() {
		kills = 12
	}
	dense := kills / 2
	denseFrom, denseTo := max(purgings[1]-5*time.Millisecond, 0), purgings[1]+25*time.Millisecond
	leftovers := 0
	for i := range kills {
		delay := from + time.Duration(float64(took-from)*(float64(i-dense)+0.5)/float64(kills-dense))
		if i < dense {
			delay = denseFrom + time.Duration(float64(denseTo-denseFrom)*(float64(i)+0.5)/float64(dense))
		}
		dir := t.TempDir()
		copyTree(t, template, dir)
		finished, _, _ := run(dir, delay)
		var opens []string
		var left int
		for _, ext := range []string{".db", ".purging"} {
			p := filepath.Join(dir, "accounts", id+ext)
			if _, err := os.Stat(p); err != nil {
				continue
			}
			left++
			for _, pw := range []string{account.SamplePassword, closePassword} {
				for _, off := range rawSlotsOpening(t, p, pw) {
					opens = append(opens, fmt.Sprintf("%s@%d", filepath.Base(p), off))
				}
			}
		}
		st, err := account.Open(dir, account.Options{})
		if err != nil {
			t.Fatalf("kill at %v: reopen: %v", delay, err)
		}
		exists, err := st.Exists(account.SampleEmail)
		st.Close()
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case exists && finished:
			t.Fatalf("kill at %v: a finished close left the account", delay)
		case !exists && len(opens) > 0:
			t.Fatalf("kill at %v: the account is gone, yet the files the kill left have key slots that open: %v", delay, opens)
		case !exists && left > 0:
			leftovers++
		}
	}
	t.Logf("%d kills, %d of them from %v to %v (the purging name appears at %v) and the rest spread from %v to %v of the %v a close takes; %d left a file of a purge past its commit point, from which the raw reader opened no key slot",
		kills, dense, denseFrom, denseTo, purgings[1], from, took, took, leftovers)
	if leftovers == 0 {
		t.Fatal("no kill landed inside the purge: the test proves nothing")
	}
}

// offboardRun runs the binary with stdin and returns its output and exit code.
func offboardRun(t *testing.T, bin, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		code = exit.ExitCode()
	default:
		t.Fatal(err)
	}
	return out.String(), errOut.String(), code
}

const (
	cliEmail = "owner@example.com"
	cliPass  = "harbor-lantern-47"
	cliNewPw = "tidal-compass-83"
)

func cliSignup(t *testing.T, bin, dir string) string {
	t.Helper()
	if _, errOut, code := offboardRun(t, bin, cliPass+"\n"+cliPass+"\n", "signup", "--data-dir", dir, "--email", cliEmail, "--company", "Example Co"); code != 0 {
		t.Fatalf("signup: exit %d: %s", code, errOut)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "accounts", "*.db"))
	if len(files) != 1 {
		t.Fatalf("signup made %d account files", len(files))
	}
	return files[0]
}

// TestPasswordCommandLeavesNoOldKeySlot: after `offboard password`, the old
// password opens no key slot anywhere in the account file.
func TestPasswordCommandLeavesNoOldKeySlot(t *testing.T) {
	bin := buildOffboard(t)
	dir := t.TempDir()
	file := cliSignup(t, bin, dir)
	// A wrong current password is refused (and rewrites the header, leaving
	// another copy of the slot on a freed page).
	_, errOut, code := offboardRun(t, bin, "wrong-horse-1\n"+cliNewPw+"\n"+cliNewPw+"\n", "password", "--data-dir", dir, "--email", cliEmail)
	if code != 1 || !strings.Contains(errOut, "password is not right") {
		t.Fatalf("wrong current password: exit %d: %s", code, errOut)
	}
	_, errOut, code = offboardRun(t, bin, cliPass+"\n"+cliNewPw+"\nsomething-else-1\n", "password", "--data-dir", dir, "--email", cliEmail)
	if code != 1 || !strings.Contains(errOut, "differ") {
		t.Fatalf("new passwords that differ: exit %d: %s", code, errOut)
	}
	if at := rawSlotsOpening(t, file, cliPass); len(at) == 0 {
		t.Fatal("before the change the raw reader opens nothing: it proves nothing")
	}
	out, errOut, code := offboardRun(t, bin, cliPass+"\n"+cliNewPw+"\n"+cliNewPw+"\n", "password", "--data-dir", dir, "--email", cliEmail)
	if code != 0 {
		t.Fatalf("password: exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "Password changed") {
		t.Fatalf("password said %q", out)
	}
	if at := rawSlotsOpening(t, file, cliPass); len(at) != 0 {
		t.Fatalf("the old password still opens key slots at offsets %v", at)
	}
	if at := rawSlotsOpening(t, file, cliNewPw); len(at) != 1 {
		t.Fatalf("the new password opens %d key slots, want the live one", len(at))
	}
	if _, errOut, code := offboardRun(t, bin, cliPass+"\n"+cliNewPw+"\n"+cliNewPw+"\n", "password", "--data-dir", dir, "--email", cliEmail); code != 1 {
		t.Fatalf("the old password still signs in: %s", errOut)
	}

	// A new export's passphrase meets the password rule (item 8).
	weak := filepath.Join(t.TempDir(), "weak.txt")
	os.WriteFile(weak, []byte("x\n"), 0o600)
	out = filepath.Join(t.TempDir(), "x.zip.age")
	_, errOut, code = offboardRun(t, bin, cliNewPw+"\n", "export", "--data-dir", dir, "--email", cliEmail, "--out", out, "--passphrase-file", weak)
	if code != 2 || !strings.Contains(errOut, "too weak") {
		t.Fatalf("export with a one-character passphrase: exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(out); err == nil {
		t.Fatal("a refused export left a file")
	}
}

// TestTwoFactorCommandThrottlesCodes turns two-factor on through the command
// line, then tries wrong codes, each after the right password: after the
// free attempts they are throttled. A recovery code turns two-factor off.
func TestTwoFactorCommandThrottlesCodes(t *testing.T) {
	bin := buildOffboard(t)
	dir := t.TempDir()
	cliSignup(t, bin, dir)

	secret, recovery := cliTwoFactorOn(t, bin, dir)

	wrongCode := func() string {
		c, _ := totp.GenerateCode(secret, time.Now())
		b := []byte(c)
		b[0] = '0' + (b[0]-'0'+1)%10
		return string(b)
	}
	try := func() (string, int) {
		_, errOut, code := offboardRun(t, bin, cliPass+"\n"+cliNewPw+"\n"+cliNewPw+"\n"+wrongCode()+"\n", "password", "--data-dir", dir, "--email", cliEmail)
		return errOut, code
	}
	// Back to back, as a guesser would: the waits double after the free
	// attempts, so once a run takes less than the wait, codes are refused
	// unread.
	start := time.Now()
	evaluated, refused := 0, 0
	for i := range 10 {
		errOut, code := try()
		switch {
		case code == 1 && strings.Contains(errOut, "code is not right"):
			evaluated++
		case code == 1 && strings.Contains(errOut, "too many wrong attempts"):
			refused++
		default:
			t.Fatalf("wrong code %d after the right password: exit %d: %s", i+1, code, errOut)
		}
	}
	t.Logf("10 wrong codes, each after the right password, in %v: %d checked, %d refused by the throttle", time.Since(start).Round(time.Millisecond), evaluated, refused)
	if evaluated < 4 || refused < 2 {
		t.Fatalf("the code throttle did not hold: %d checked, %d refused", evaluated, refused)
	}
	// A recovery code turns two-factor off once the wait is over.
	var out, errOut2 string
	var code int
	for range 30 {
		out, errOut2, code = offboardRun(t, bin, cliPass+"\n"+recovery[0]+"\n", "two-factor", "off", "--data-dir", dir, "--email", cliEmail)
		if !strings.Contains(errOut2, "too many wrong attempts") {
			break
		}
		time.Sleep(2 * time.Second)
	}
	if code != 0 || !strings.Contains(out, "is off") {
		t.Fatalf("two-factor off with a recovery code: exit %d: %s", code, errOut2)
	}
}

// cliTwoFactorOn turns two-factor on through `offboard two-factor on`,
// answering with the app's code for the secret it prints; it returns the
// secret and the recovery codes.
func cliTwoFactorOn(t *testing.T, bin, dir string) (secret string, recovery []string) {
	t.Helper()
	cmd := exec.Command(bin, "two-factor", "on", "--data-dir", dir, "--email", cliEmail)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	io.WriteString(stdin, cliPass+"\n")
	secret, recovery, _ = answerTwoFactorSetup(t, stdout, stdin)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("two-factor on: %v: %s", err, errOut.String())
	}
	if secret == "" || len(recovery) != 10 {
		t.Fatalf("two-factor on printed secret %q and %d recovery codes", secret, len(recovery))
	}
	return secret, recovery
}
