package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// The tests in this package run the built program, as a person does: a
// fault in the memory-mapped account file or a line the toolkit writes to
// stderr happens only in a real process, never in an in-process test.

var (
	builtOnce sync.Once
	builtPath string
	builtErr  error
	builtDir  string
)

// TestMain removes the binary the tests built.
func TestMain(m *testing.M) {
	code := m.Run()
	if builtDir != "" {
		os.RemoveAll(builtDir)
	}
	os.Exit(code)
}

// builtBinary builds ./offboard once per test run, with the tags the
// Makefile uses, without the race detector: it is the program people run.
func builtBinary(t *testing.T) string {
	t.Helper()
	builtOnce.Do(func() {
		builtDir, builtErr = os.MkdirTemp("", "offboard-bin-")
		if builtErr != nil {
			return
		}
		builtPath = filepath.Join(builtDir, "offboard"+exeSuffix())
		cmd := exec.Command("go", "build", "-tags", "migrated_fynedo", "-o", builtPath, ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			builtErr = errors.New("go build: " + err.Error() + "\n" + string(out))
		}
	})
	if builtErr != nil {
		t.Fatal(builtErr)
	}
	return builtPath
}

func exeSuffix() string {
	if runtime.GOOS == "windows" {
		return ".exe"
	}
	return ""
}

// runResult is how one run of the binary ended.
type runResult struct {
	code           int // exit code; -1 when it died of a signal
	stdout, stderr string
	timedOut       bool
	elapsed        time.Duration
}

// runBinary runs the binary with args, stdin and env (added to the
// environment, or replacing it when clean is set), bounded by limit.
func runBinary(bin string, limit time.Duration, stdin string, env []string, clean bool, args ...string) runResult {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if clean {
		cmd.Env = env
	} else {
		cmd.Env = append(os.Environ(), env...)
	}
	start := time.Now()
	err := cmd.Run()
	r := runResult{stdout: out.String(), stderr: errb.String(), elapsed: time.Since(start)}
	r.timedOut = ctx.Err() != nil
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	default:
		r.code = -1
		r.stderr += err.Error()
	}
	return r
}
