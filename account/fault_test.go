package account

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"offboard/account/durable"
)

// faultFS fails its nth operation (counting every call) with err.
type faultFS struct {
	durable.OS
	n, calls int
	err      error
}

func (f *faultFS) step() error {
	f.calls++
	if f.calls == f.n {
		return f.err
	}
	return nil
}

func (f *faultFS) Rename(o, n string) error {
	if err := f.step(); err != nil {
		return err
	}
	return f.OS.Rename(o, n)
}

func (f *faultFS) Remove(name string) error {
	if err := f.step(); err != nil {
		return err
	}
	return f.OS.Remove(name)
}

func (f *faultFS) SyncDir(dir string) error {
	if err := f.step(); err != nil {
		return err
	}
	return f.OS.SyncDir(dir)
}

func (f *faultFS) OpenFile(name string, flag int, perm os.FileMode) (durable.File, error) {
	if err := f.step(); err != nil {
		return nil, err
	}
	file, err := f.OS.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	return &faultFile{File: file, fs: f}, nil
}

type faultFile struct {
	durable.File
	fs *faultFS
}

func (f *faultFile) Write(p []byte) (int, error) {
	if err := f.fs.step(); err != nil {
		return 0, err
	}
	return f.File.Write(p)
}

func (f *faultFile) Sync() error {
	if err := f.fs.step(); err != nil {
		return err
	}
	return f.File.Sync()
}

func (f *faultFile) Close() error {
	err := f.File.Close()
	if serr := f.fs.step(); serr != nil {
		return serr
	}
	return err
}

// TestPurgeFaultAtEveryStep fails each file-system step of a purge in turn
// (ENOSPC for writes, EIO otherwise): before the commit point the account is
// intact; after it the account is gone, and the next start removes the rest.
func TestPurgeFaultAtEveryStep(t *testing.T) {
	counter := &faultFS{n: -1}
	purgeOnce(t, counter)
	if counter.calls < 6 {
		t.Fatalf("a purge made only %d file-system calls", counter.calls)
	}
	t.Logf("failing each of the purge's %d file-system steps in turn", counter.calls)
	for n := 1; n <= counter.calls; n++ {
		t.Run(fmt.Sprint("step", n), func(t *testing.T) {
			fault := &faultFS{n: n, err: syscall.EIO}
			if n > 3 && n < counter.calls-3 {
				fault.err = syscall.ENOSPC
			}
			dir, err := purgeOnce(t, fault)
			if err == nil {
				t.Fatal("no error")
			}
			var incomplete *IncompleteShredError
			committed := errors.As(err, &incomplete)
			s := openTestStore(t, dir, fastOptions())
			exists, _ := s.Exists("gone@example.com")
			if exists == committed {
				t.Fatalf("error %v but account exists=%v", err, exists)
			}
			if exists {
				a := signIn(t, s, "gone@example.com", "correct-horse-9")
				if err := a.Check(); err != nil {
					t.Fatal(err)
				}
			}
			left, _ := filepath.Glob(filepath.Join(dir, accountsDir, "*"))
			if want := 1 + boolInt(exists); len(left) != want {
				t.Fatalf("%d files in the accounts folder, want %d", len(left), want)
			}
			signIn(t, s, "keep@example.com", "correct-horse-9")
		})
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func purgeOnce(t *testing.T, fsys durable.FS) (string, error) {
	t.Helper()
	dir := t.TempDir()
	s, err := Open(dir, fastOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	keep, _ := s.SignUp("keep@example.com", "correct-horse-9", "Keep")
	keep.Close()
	gone, err := s.SignUp("gone@example.com", "correct-horse-9", "Gone")
	if err != nil {
		t.Fatal(err)
	}
	s.fs = fsys
	err = gone.Purge(nil, nil)
	s.fs = durable.OS{}
	return dir, err
}

// TestExportDiskFull fills the disk at every write of an export: each ends
// with an error that says the disk is full, no file is left, and the account
// is unchanged.
func TestExportDiskFull(t *testing.T) {
	_, a := sampleAccount(t)
	before := contentOf(t, a)
	counter := &failFS{n: -1 << 30}
	if _, err := a.Export(context.Background(), filepath.Join(t.TempDir(), "x.zip"), ExportOptions{FS: counter}); err != nil {
		t.Fatal(err)
	}
	writes := -(counter.n + 1<<30)
	for n := 1; n <= writes; n++ {
		dir := t.TempDir()
		_, err := a.Export(context.Background(), filepath.Join(dir, "x.zip"), ExportOptions{FS: &failFS{n: n, err: syscall.ENOSPC}})
		if err == nil || !errors.Is(err, syscall.ENOSPC) {
			t.Fatalf("write %d: %v", n, err)
		}
		if left, _ := os.ReadDir(dir); len(left) != 0 {
			t.Fatalf("write %d left %s", n, left[0].Name())
		}
	}
	if contentOf(t, a) != before {
		t.Fatal("account changed")
	}
	t.Logf("disk full injected at each of %d writes", writes)
}

// TestImportInterruptedAtEveryPoint cancels an import at many points: the
// account keeps only whole items, and importing again completes it exactly.
func TestImportInterruptedAtEveryPoint(t *testing.T) {
	s, a := sampleAccount(t)
	out := filepath.Join(t.TempDir(), "x.zip")
	if _, err := a.Export(context.Background(), out, ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	want := contentOf(t, a)
	total, _ := a.Counts()
	for i, stopAt := range []int{1, 3, 10, 30, 60, 100, 130} {
		b, err := s.SignUp(fmt.Sprintf("to%d@example.com", i), "correct-horse-9", "To")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		_, err = b.Import(ctx, out, "", func(done, _ int) {
			if done >= stopAt {
				cancel()
			}
		})
		cancel()
		if !errors.Is(err, context.Canceled) && stopAt < total.Total() {
			t.Fatalf("stop at %d: %v", stopAt, err)
		}
		if err := b.Check(); err != nil {
			t.Fatalf("stop at %d: %v", stopAt, err)
		}
		if _, err := b.Import(context.Background(), out, "", nil); err != nil {
			t.Fatal(err)
		}
		if got := contentOf(t, b); got != want {
			t.Fatalf("stop at %d: resumed import differs", stopAt)
		}
		b.Close()
	}
}

// TestSignUpThroughTheFaultSeam: sign-up moves its new file into place
// through the store's durable.FS. A refused rename leaves no account and no
// half-made file, and the same sign-up then succeeds; a full disk there
// says what to do.
func TestSignUpThroughTheFaultSeam(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
	}{{"refused", syscall.EIO}, {"disk full", syscall.ENOSPC}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			s := openTestStore(t, dir, fastOptions())
			fault := &faultFS{n: 1, err: tc.err}
			s.fs = fault
			_, err := s.SignUp("new@example.com", "correct-horse-9", "New")
			s.fs = durable.OS{}
			if !errors.Is(err, tc.err) || fault.calls == 0 {
				t.Fatalf("err = %v after %d calls through the seam", err, fault.calls)
			}
			var full *durable.DiskFullError
			if (tc.err == syscall.ENOSPC) != errors.As(err, &full) {
				t.Errorf("err = %v: disk full is %v", err, errors.As(err, &full))
			}
			if left, _ := filepath.Glob(filepath.Join(dir, accountsDir, "*")); len(left) != 0 {
				t.Fatalf("a failed sign-up left %v", left)
			}
			if exists, _ := s.Exists("new@example.com"); exists {
				t.Fatal("a failed sign-up made an account")
			}
			a, err := s.SignUp("new@example.com", "correct-horse-9", "New")
			if err != nil {
				t.Fatal(err)
			}
			a.Close()
			signIn(t, s, "new@example.com", "correct-horse-9")
		})
	}
}
