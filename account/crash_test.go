package account

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The crash tests re-run this test binary as a child that performs one
// operation, kill it with SIGKILL at many instants spread over that
// operation, and then check that what is on disk keeps every promise.

const (
	crashOpEnv  = "OFFBOARD_CRASH_OP"
	crashDirEnv = "OFFBOARD_CRASH_DIR"
	crashOutEnv = "OFFBOARD_CRASH_OUT"
	crashEmail  = "crash@example.com"
	crashPass   = "correct-horse-9"
	crashNewPw  = "new-password-22"
	crashWrites = 60
)

func TestMain(m *testing.M) {
	if op := os.Getenv(crashOpEnv); op != "" {
		os.Exit(crashChild(op, os.Getenv(crashDirEnv), os.Getenv(crashOutEnv)))
	}
	os.Exit(m.Run())
}

// crashChild performs op: it reports "ready", waits for the parent's "go"
// and starts at once, so the parent's delays count from the operation, not
// from process start-up.
func crashChild(op, dir, out string) int {
	s, err := Open(dir, fastOptions())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	var a *Account
	if op != "signup" {
		si, err := s.SignIn(crashEmail, crashPass)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 3
		}
		if a, err = si.Complete(""); err != nil {
			return 3
		}
	}
	fmt.Println("ready")
	// Wait for the parent's go, so that its clock and ours start together.
	bufio.NewReader(os.Stdin).ReadString('\n')
	start := time.Now()
	switch op {
	case "signup":
		_, err = s.SignUp("fresh@example.com", crashPass, "Fresh")
	case "write":
		for i := range crashWrites {
			if err = a.Put(&Job{Title: fmt.Sprintf("job %d", i), Budget: Money{Currency: "USD"}, Type: Fixed, Status: JobOpen}); err != nil {
				break
			}
		}
	case "password":
		err = a.ChangePassword(crashPass, crashNewPw)
	case "export":
		_, err = a.Export(context.Background(), out, ExportOptions{})
	case "purge":
		err = a.Purge(nil, nil)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 4
	}
	fmt.Println("done", time.Since(start).Nanoseconds())
	return 0
}

// crashKills is how many kill instants each operation gets: 200 by default,
// 20 with -short, or OFFBOARD_CRASH_KILLS.
func crashKills(t *testing.T) int {
	if v, err := strconv.Atoi(os.Getenv("OFFBOARD_CRASH_KILLS")); err == nil && v > 0 {
		return v
	}
	if testing.Short() {
		return 20
	}
	return 200
}

// crashTemplate makes a data folder with the sample account under crashEmail
// and one other account, which every kill must leave untouched.
func crashTemplate(t *testing.T) string {
	dir := t.TempDir()
	s, err := Open(dir, fastOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	a, err := s.CreateSample(SampleSmall, crashEmail, nil)
	if err != nil {
		t.Fatal(err)
	}
	crashID = a.file
	a.Close()
	b, err := s.SignUp("bystander@example.com", crashPass, "Bystander")
	if err != nil {
		t.Fatal(err)
	}
	b.Close()
	// The sample's password is the sample's; the crash ops sign in with crashPass.
	si, _ := s.SignIn(crashEmail, SamplePassword)
	a, _ = si.Complete("")
	if err := a.ChangePassword(SamplePassword, crashPass); err != nil {
		t.Fatal(err)
	}
	a.Close()
	return dir
}

// crashID names the file of crashTemplate's account under crashEmail.
var crashID string

func fileExists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if info.IsDir() {
			return os.MkdirAll(target, 0o700)
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.OpenFile(target, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
		if err != nil {
			return err
		}
		_, err = io.Copy(out, in)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// runChild starts op and kills it delay after it says ready (never, when
// delay < 0). It returns whether the child finished the operation and, if
// so, how long the operation took by the child's own clock.
func runChild(t *testing.T, op, dir, out string, delay time.Duration) (finished bool, took time.Duration) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashOpEnv+"="+op, crashDirEnv+"="+dir, crashOutEnv+"="+out)
	stdout, _ := cmd.StdoutPipe()
	stdin, _ := cmd.StdinPipe()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	if !lines.Scan() || lines.Text() != "ready" {
		cmd.Wait()
		t.Fatalf("child %s did not start: %s", op, stderr.String())
	}
	if delay >= 0 {
		timer := time.AfterFunc(delay, func() { cmd.Process.Signal(syscall.SIGKILL) })
		defer timer.Stop()
	}
	io.WriteString(stdin, "go\n")
	// A child that hangs is a bug, not a reason to hang the suite.
	watchdog := time.AfterFunc(time.Minute, func() { cmd.Process.Signal(syscall.SIGQUIT) })
	defer watchdog.Stop()
	for lines.Scan() {
		var ns int64
		if _, err := fmt.Sscanf(lines.Text(), "done %d", &ns); err == nil {
			finished, took = true, time.Duration(ns)
		}
	}
	err := cmd.Wait()
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ProcessState.Sys().(syscall.WaitStatus).Signaled()) {
		t.Fatalf("child %s failed on its own: %v: %s", op, err, stderr.String())
	}
	return finished, took
}

// checkAccount opens the account with whichever password works and checks
// bbolt's own consistency and that every record and chunk decrypts.
func checkAccount(t *testing.T, s *Store, email string, passwords ...string) *Account {
	t.Helper()
	var errs []string
	for _, pw := range passwords {
		si, err := s.SignIn(email, pw)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		a, err := si.Complete("")
		if err != nil {
			t.Fatal(err)
		}
		err = a.view(func(tx *bolt.Tx) error {
			for err := range tx.Check() {
				return err
			}
			return nil
		})
		if err != nil {
			t.Fatalf("bbolt check: %v", err)
		}
		if err := a.Check(); err != nil {
			t.Fatalf("records: %v", err)
		}
		return a
	}
	t.Fatalf("%s does not open: %v", email, errs)
	return nil
}

func TestCrashSafety(t *testing.T) {
	template := crashTemplate(t)
	kills := crashKills(t)
	for _, op := range []string{"signup", "write", "password", "export", "purge"} {
		t.Run(op, func(t *testing.T) {
			// Measure the operation uninterrupted (median of three, by the
			// child's clock), then spread the kills over it. Only a kill that
			// lands before the operation finishes counts; runs that finish
			// first update the estimate of how long the operation takes.
			dir, outDir := t.TempDir(), t.TempDir()
			copyDir(t, template, dir)
			if ok, _ := runChild(t, op, dir, filepath.Join(outDir, "x.zip"), -1); !ok {
				t.Fatal("the operation does not finish when left alone")
			}
			var recent []time.Duration
			for range 3 {
				_, d := runChild(t, op, copyFresh(t, template), filepath.Join(t.TempDir(), "x.zip"), -1)
				recent = append(recent, d)
			}
			took := median(recent)
			killed, runs := 0, 0
			for ; killed < kills; runs++ {
				if runs > 8*kills {
					t.Fatalf("only %d of %d runs were killed before the %s finished", killed, runs, op)
				}
				delay := time.Duration(float64(took) * (float64(killed) + 0.5) / float64(kills))
				dir, outDir := copyFresh(t, template), t.TempDir()
				out := filepath.Join(outDir, "export.zip")
				finished, d := runChild(t, op, dir, out, delay)
				if finished {
					// The machine's load changes how long the operation
					// takes: follow the latest runs.
					recent = append(recent, d)
					if len(recent) > 9 {
						recent = recent[1:]
					}
					took = median(recent)
				} else {
					killed++
				}
				checkAfterCrash(t, op, dir, outDir, out, finished)
			}
			t.Logf("%s: %d kills spread over the %v it takes (%d runs in all; the others finished first)", op, killed, took, runs)
		})
	}
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func copyFresh(t *testing.T, template string) string {
	dir := t.TempDir()
	copyDir(t, template, dir)
	return dir
}

func checkAfterCrash(t *testing.T, op, dir, outDir, out string, finished bool) {
	t.Helper()
	// What a thief with the password could read from the files as the kill
	// left them, before Offboard's next start tidies up.
	var opens []string
	if op == "purge" {
		for _, f := range []string{accountExt, purgingExt} {
			if p := filepath.Join(dir, accountsDir, crashID+f); fileExists(p) {
				opens = append(opens, rawOpensFile(t, p, crashPass)...)
			}
		}
	}
	s, err := Open(dir, fastOptions())
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer s.Close()
	left, _ := filepath.Glob(filepath.Join(dir, accountsDir, "*"))
	for _, f := range left {
		if !strings.HasSuffix(f, accountExt) {
			t.Fatalf("left behind after restart: %s", filepath.Base(f))
		}
	}
	checkAccount(t, s, "bystander@example.com", crashPass).Close()
	switch op {
	case "signup":
		ok, err := s.Exists("fresh@example.com")
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			checkAccount(t, s, "fresh@example.com", crashPass).Close()
		} else if finished {
			t.Fatal("a finished sign-up is missing")
		}
		checkAccount(t, s, crashEmail, crashPass).Close()
	case "write":
		a := checkAccount(t, s, crashEmail, crashPass)
		c, _ := a.Counts()
		if added := c[KindJobs] - 6; added < 0 || added > crashWrites || (finished && added != crashWrites) {
			t.Fatalf("jobs added = %d", added)
		}
		a.Close()
	case "password":
		a := checkAccount(t, s, crashEmail, crashPass, crashNewPw)
		a.Close()
		if finished {
			checkAccount(t, s, crashEmail, crashNewPw).Close()
		}
	case "export":
		if _, err := os.Stat(out); err == nil {
			if _, err := VerifyExport(context.Background(), out, ""); err != nil {
				t.Fatalf("a file under the final name does not verify: %v", err)
			}
		} else if finished {
			t.Fatal("a finished export is missing")
		}
		checkAccount(t, s, crashEmail, crashPass).Close() // signing in cleans up
		ents, _ := os.ReadDir(outDir)
		for _, e := range ents {
			if e.Name() != "export.zip" {
				t.Fatalf("left in the export folder after the next sign-in: %s", e.Name())
			}
		}
	case "purge":
		ok, err := s.Exists(crashEmail)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			if finished {
				t.Fatal("a finished purge left the account")
			}
			checkAccount(t, s, crashEmail, crashPass).Close()
		} else if len(opens) > 0 {
			t.Fatalf("the purge was past its commit point, yet the files it left had key slots that open: %v", opens)
		}
	}
}
