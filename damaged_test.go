package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"offboard/account"
	"offboard/account/damage"
	"offboard/account/vault"
)

var tortureSeed = flag.Uint64("torture-seed", 0, "seed of the damaged-file torture test's random flips (0: the fixed default, or $OFFBOARD_TORTURE_SEED)")

// defaultTortureSeed keeps the test the same from run to run; pass
// -torture-seed (or OFFBOARD_TORTURE_SEED) to try other flips.
const defaultTortureSeed = 20261201

// runtimeTexts are what the Go runtime writes when something went wrong
// inside the program; none may ever reach a person.
var runtimeTexts = []string{"runtime error", "nil pointer", "index out of range", "goroutine", "panic", "fatal error", "SIGSEGV", "SIGBUS", "[signal"}

// TestDamagedAccountFilesRealBinary builds the program, makes the small
// sample, and runs `offboard export` and `offboard close` on damaged copies
// of its account file: cut at many lengths, single bytes flipped at random
// (anywhere, and in the pages' headers and element tables where bbolt keeps
// its page numbers and offsets), a zeroed page, and an appended tail. Each
// case runs three times through each command, each run bounded by 20 s,
// because the outcome of reading past a mapping's end used to change from
// run to run. No run may crash, hang or show runtime text; an export that
// succeeds must verify.
func TestDamagedAccountFilesRealBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the built binary some 700 times; make test runs it without -short")
	}
	seed := *tortureSeed
	if seed == 0 {
		seed, _ = strconv.ParseUint(os.Getenv("OFFBOARD_TORTURE_SEED"), 10, 64)
	}
	if seed == 0 {
		seed = defaultTortureSeed
	}
	t.Logf("seed %d (rerun with -torture-seed=%d)", seed, seed)
	fmt.Printf("damaged-file torture test: seed %d\n", seed)

	bin := builtBinary(t)
	sampleDir := t.TempDir()
	makeCheapSample(t, sampleDir)
	files, _ := filepath.Glob(filepath.Join(sampleDir, "accounts", "*.db"))
	if len(files) != 1 {
		t.Fatalf("sample account files: %v", files)
	}
	good, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	cases := damage.Cases(good, seed)
	const runs = 3
	const limit = 20 * time.Second

	type job struct {
		c   damage.Case
		cmd string
		run int
	}
	var jobs []job
	for _, c := range cases {
		for run := range runs {
			for _, cmd := range []string{"export", "close"} {
				jobs = append(jobs, job{c, cmd, run})
			}
		}
	}

	var (
		mu       sync.Mutex
		counts   = map[string]int{}
		reasons  = map[string]int{}
		problems []string
	)
	note := func(kind, text string) {
		mu.Lock()
		defer mu.Unlock()
		counts[kind]++
		if text != "" {
			problems = append(problems, text)
		}
	}
	work := make(chan job)
	var wg sync.WaitGroup
	start := time.Now()
	for range max(2, runtime.NumCPU()) {
		wg.Go(func() {
			for j := range work {
				dir, err := os.MkdirTemp("", "offboard-damaged-")
				if err != nil {
					note("setup", err.Error())
					continue
				}
				kind, text, reason := runDamaged(bin, dir, filepath.Base(files[0]), j.c, j.cmd, limit)
				os.RemoveAll(dir)
				note(kind, text)
				if reason != "" {
					mu.Lock()
					reasons[reason]++
					mu.Unlock()
				}
			}
		})
	}
	for _, j := range jobs {
		work <- j
	}
	close(work)
	wg.Wait()
	elapsed := time.Since(start).Round(time.Second)

	summary := fmt.Sprintf("%d cases x %d runs x 2 commands = %d runs in %v: %d refused, %d succeeded and verified, %d crashes, %d hangs, %d runtime texts, %d exports that did not verify, %d unclear refusals",
		len(cases), runs, len(jobs), elapsed, counts["refused"], counts["ok"], counts["crash"], counts["hang"], counts["runtime"], counts["unverified"], counts["unclear"])
	fmt.Println("damaged-file torture test:", summary)
	t.Log(summary)
	var rs []string
	for r, n := range reasons {
		rs = append(rs, fmt.Sprintf("%5d  %s", n, r))
	}
	sort.Strings(rs)
	fmt.Println("damaged-file torture test: refusals by message:\n" + strings.Join(rs, "\n"))
	sort.Strings(problems)
	for i, p := range problems {
		if i == 20 {
			t.Errorf("… and %d more", len(problems)-20)
			break
		}
		t.Error(p)
	}
}

// makeCheapSample makes the small sample as `offboard sample` does, but
// with the key slot's Argon2id and the password's bcrypt at their lowest
// costs (the file records both, so the binary signs in with them): the
// test runs hundreds of sign-ins, and the costs are not what it tests.
func makeCheapSample(t *testing.T, dir string) {
	t.Helper()
	s, err := account.Open(dir, account.Options{KDF: vault.Params{Time: 1, MemoryKiB: 64, Threads: 1}, BcryptCost: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	a, err := s.CreateSample(account.SampleSmall, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
}

// runDamaged runs one command on a fresh data folder holding the damaged
// file and says how it ended: ok, refused, crash, hang, runtime, unverified
// or unclear, with the text of a problem and the refusal's message.
func runDamaged(bin, dir, name string, c damage.Case, cmd string, limit time.Duration) (kind, problem, reason string) {
	accounts := filepath.Join(dir, "accounts")
	if err := os.MkdirAll(accounts, 0o700); err != nil {
		return "setup", err.Error(), ""
	}
	if err := os.WriteFile(filepath.Join(accounts, name), c.Data, 0o600); err != nil {
		return "setup", err.Error(), ""
	}
	out := filepath.Join(dir, "export.zip")
	args := []string{cmd, "--data-dir", dir, "--email", account.SampleEmail}
	if cmd == "export" {
		args = append(args, "--out", out)
	} else {
		args = append(args, "--export", out, "--resolve-blockers")
	}
	r := runBinary(bin, limit, account.SamplePassword+"\n", nil, false, args...)
	what := fmt.Sprintf("%s, %s: ", c.Name, cmd)
	all := r.stdout + r.stderr
	switch {
	case r.timedOut:
		return "hang", what + fmt.Sprintf("still running after %v", limit), ""
	case r.code != 0 && r.code != 1:
		return "crash", what + fmt.Sprintf("exit %d: %s", r.code, firstLines(r.stderr, 6)), ""
	}
	for _, s := range runtimeTexts {
		if strings.Contains(all, s) {
			return "runtime", what + fmt.Sprintf("runtime text %q: %s", s, firstLines(r.stderr, 6)), ""
		}
	}
	if r.code == 0 {
		v := runBinary(bin, limit, "", nil, false, "verify", out)
		if v.code != 0 {
			return "unverified", what + "succeeded, but its export does not verify: " + v.stderr, ""
		}
		return "ok", "", ""
	}
	msg := strings.TrimSpace(r.stderr)
	if !strings.HasPrefix(msg, "offboard: ") || strings.Count(msg, "\n") > 0 || !clearRefusal(msg) {
		return "unclear", what + "unclear refusal: " + msg, ""
	}
	return "refused", "", reasonOf(msg)
}

// clearRefusal: the refusal says the file or the data is damaged, and what
// to do, in one line.
func clearRefusal(msg string) bool {
	for _, s := range []string{"the account file", "integrity check", "damaged"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// reasonOf shortens a refusal to its kind, for the summary: the path and
// the names of files in it vary from run to run.
func reasonOf(msg string) string {
	for _, s := range []string{"is empty", "is shorter than it should be", "is not an Offboard account file", "is damaged: part of it", "failed its integrity check", "is damaged or is not an Offboard account file"} {
		if strings.Contains(msg, s) {
			return s
		}
	}
	if len(msg) > 100 {
		msg = msg[:100] + "…"
	}
	return msg
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, " | ")
}
