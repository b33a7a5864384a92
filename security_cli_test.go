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
	id := a.ID()
	a.Close()
	s.Close()
	file := filepath.Join(template, "accounts", id+".db")
	if st, err := os.Stat(file); err == nil {
		t.Logf("account file: %d bytes", st.Size())
	}

	run := func(dir string, delay time.Duration) (finished bool, took time.Duration) {
		cmd := exec.Command(bin, "close", "--data-dir", dir, "--email", account.SampleEmail, "--no-export", "--resolve-blockers")
		cmd.Stdin = strings.NewReader(account.SamplePassword + "\n\n\n")
		var stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = io.Discard, &stderr
		start := time.Now()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if delay >= 0 {
			timer := time.AfterFunc(delay, func() { cmd.Process.Signal(syscall.SIGKILL) })
			defer timer.Stop()
		}
		err := cmd.Wait()
		var exit *exec.ExitError
		switch {
		case err == nil:
			return true, time.Since(start)
		case errors.As(err, &exit) && exit.ProcessState.Sys().(syscall.WaitStatus).Signaled():
			return false, 0
		}
		t.Fatalf("close failed on its own: %v: %s", err, stderr.String())
		return false, 0
	}
	var times []time.Duration
	for range 3 {
		dir := t.TempDir()
		copyTree(t, template, dir)
		if ok, d := run(dir, -1); ok {
			times = append(times, d)
		}
	}
	slices.Sort(times)
	took := times[1]
	kills := 40
	if testing.Short() {
		kills = 12
	}
	leftovers := 0
	for i := range kills {
		// The purge is the last part of the run: spread the kills over the
		// second half, where it is.
		delay := took/2 + time.Duration(float64(took/2)*(float64(i)+0.5)/float64(kills))
		dir := t.TempDir()
		copyTree(t, template, dir)
		finished, _ := run(dir, delay)
		var opens []string
		var left int
		for _, ext := range []string{".db", ".purging"} {
			p := filepath.Join(dir, "accounts", id+ext)
			if _, err := os.Stat(p); err != nil {
				continue
			}
			left++
			for _, off := range rawSlotsOpening(t, p, account.SamplePassword) {
				opens = append(opens, fmt.Sprintf("%s@%d", filepath.Base(p), off))
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
	t.Logf("%d kills spread over the second half of the %v a close takes; %d left a file of a purge past its commit point, from which the raw reader opened no key slot", kills, took, leftovers)
	if leftovers == 0 {
		t.Fatal("no kill landed inside the purge: the test proves nothing")
	}
}
