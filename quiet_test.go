package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"offboard/account"
)

// locales are the LANG values a person's system commonly has; "" means
// LANG unset.
var locales = []string{"C", "C.UTF-8", "en_US.UTF-8", ""}

// localeEnv is the environment without any locale variable, plus LANG.
func localeEnv(lang string, extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if name == "LANG" || name == "LANGUAGE" || strings.HasPrefix(name, "LC_") {
			continue
		}
		env = append(env, kv)
	}
	if lang != "" {
		env = append(env, "LANG="+lang)
	}
	return append(env, extra...)
}

// TestCommandsWriteNothingToStderr runs every command of the built binary
// under each common locale: a command that succeeds writes nothing to
// stderr, so neither the toolkit's log lines nor anything else.
func TestCommandsWriteNothingToStderr(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary; make test runs it without -short")
	}
	bin := builtBinary(t)
	for _, lang := range locales {
		name := "LANG=" + lang
		if lang == "" {
			name = "LANG unset"
		}
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			data := filepath.Join(dir, "data")
			out := filepath.Join(dir, "export.zip")
			env := localeEnv(lang, "HOME="+dir, "XDG_CONFIG_HOME="+filepath.Join(dir, "config"))
			pw := account.SamplePassword + "\n"
			for _, c := range []struct {
				stdin string
				args  []string
			}{
				{"", []string{"version"}},
				{"", []string{"sample", "--data-dir", data}},
				{pw, []string{"export", "--data-dir", data, "--email", account.SampleEmail, "--out", out}},
				{"", []string{"verify", out}},
				{pw, []string{"close", "--data-dir", data, "--email", account.SampleEmail, "--no-export", "--resolve-blockers"}},
			} {
				r := runBinary(bin, 2*time.Minute, c.stdin, env, true, c.args...)
				if r.code != 0 || r.stderr != "" {
					t.Errorf("offboard %s: exit %d, stderr:\n%s", c.args[0], r.code, r.stderr)
				}
			}
			// A refusal writes its one sentence and nothing else.
			r := runBinary(bin, time.Minute, "", env, true, "verify", filepath.Join(dir, "missing.zip"))
			if lines := strings.Split(strings.TrimSpace(r.stderr), "\n"); r.code != 1 || len(lines) != 1 || strings.Contains(r.stderr, "Fyne") {
				t.Errorf("a refused verify: exit %d, stderr:\n%s", r.code, r.stderr)
			}
		})
	}
}

// TestWindowStartWritesNothingToStderr starts the window under Xvfb in each
// locale, twice on the same preferences (a restart, and a second window
// while the first is open), and checks that neither writes to stderr.
func TestWindowStartWritesNothingToStderr(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and starts its window; make test runs it without -short")
	}
	xvfb, err := exec.LookPath("Xvfb")
	if err != nil {
		t.Skip("Xvfb is not installed (scripts/deps.sh xvfb installs it)")
	}
	bin := builtBinary(t)
	display := ":" + freeDisplay(t)
	x := exec.Command(xvfb, display, "-screen", "0", "1280x800x24", "-nolisten", "tcp")
	if err := x.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { x.Process.Kill(); x.Wait() }()
	time.Sleep(time.Second)

	for _, lang := range locales {
		home := t.TempDir()
		env := localeEnv(lang, "DISPLAY="+display, "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, "config"))
		start := func(data string) (*exec.Cmd, *strings.Builder) {
			var errb strings.Builder
			cmd := exec.Command(bin, "--data-dir", filepath.Join(home, data))
			cmd.Env, cmd.Stderr = env, &errb
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			return cmd, &errb
		}
		stop := func(cmd *exec.Cmd) {
			cmd.Process.Signal(syscall.SIGTERM)
			done := make(chan struct{})
			go func() { cmd.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				cmd.Process.Kill()
				<-done
			}
		}
		first, err1 := start("a")
		time.Sleep(4 * time.Second)
		second, err2 := start("b") // a second window on the same preferences
		time.Sleep(4 * time.Second)
		stop(second)
		stop(first)
		restart, err3 := start("a")
		time.Sleep(4 * time.Second)
		stop(restart)
		for i, e := range []*strings.Builder{err1, err2, err3} {
			if s := e.String(); s != "" {
				t.Errorf("LANG=%q, window %d wrote to stderr:\n%s", lang, i+1, s)
			}
		}
	}
}

// freeDisplay finds an X display number no server uses.
func freeDisplay(t *testing.T) string {
	for n := 140; n < 240; n++ {
		if _, err := os.Stat(filepath.Join("/tmp/.X11-unix", "X"+strconv.Itoa(n))); os.IsNotExist(err) {
			if _, err := os.Stat("/tmp/.X" + strconv.Itoa(n) + "-lock"); os.IsNotExist(err) {
				return strconv.Itoa(n)
			}
		}
	}
	t.Skip("no free X display number")
	return ""
}
