package durable

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// faultFS is OS with a fault injected at one named step, and a log of
// every step taken.
type faultFS struct {
	OS
	failAt   string // "write", "short", "sync", "close", "rename", "syncdir", "remove"
	err      error
	failures int // how many times the step fails; 0 means always
	failed   int
	log      []string
}

func (f *faultFS) fault(step, arg string) error {
	f.log = append(f.log, step+" "+filepath.Base(arg))
	if step != f.failAt || (f.failures > 0 && f.failed >= f.failures) {
		return nil
	}
	f.failed++
	return f.err
}

func (f *faultFS) CreateTemp(dir, pattern string) (File, error) {
	file, err := f.OS.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	return &faultFile{File: file, fs: f}, nil
}

func (f *faultFS) Rename(oldpath, newpath string) error {
	if err := f.fault("rename", newpath); err != nil {
		return &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: err}
	}
	return f.OS.Rename(oldpath, newpath)
}

func (f *faultFS) Remove(name string) error {
	if err := f.fault("remove", name); err != nil {
		return err
	}
	return f.OS.Remove(name)
}

func (f *faultFS) SyncDir(dir string) error {
	if err := f.fault("syncdir", dir); err != nil {
		return err
	}
	return f.OS.SyncDir(dir)
}

func (f *faultFS) count(step string) int {
	n := 0
	for _, s := range f.log {
		if strings.HasPrefix(s, step+" ") {
			n++
		}
	}
	return n
}

type faultFile struct {
	File
	fs *faultFS
}

func (f *faultFile) Write(p []byte) (int, error) {
	if err := f.fs.fault("write", f.Name()); err != nil {
		return 0, &os.PathError{Op: "write", Path: f.Name(), Err: err}
	}
	if f.fs.failAt == "short" && len(p) > 1 {
		// A short write with no error, as a file system may make.
		return f.File.Write(p[:len(p)/2])
	}
	return f.File.Write(p)
}

func (f *faultFile) Sync() error {
	if err := f.fs.fault("sync", f.Name()); err != nil {
		return &os.PathError{Op: "sync", Path: f.Name(), Err: err}
	}
	return f.File.Sync()
}

func (f *faultFile) Close() error {
	err := f.File.Close()
	if ferr := f.fs.fault("close", f.Name()); ferr != nil {
		return &os.PathError{Op: "close", Path: f.Name(), Err: ferr}
	}
	return err
}

var errInjected = errors.New("injected fault")

// earlier puts a file at dir/name and returns a check that it is still
// there, byte for byte, and alone in its folder.
func earlier(t *testing.T) (path string, intact func(string)) {
	t.Helper()
	dir := t.TempDir()
	path = filepath.Join(dir, "receipt.txt")
	if err := os.WriteFile(path, []byte("earlier"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, func(when string) {
		t.Helper()
		if got, err := os.ReadFile(path); err != nil || string(got) != "earlier" {
			t.Errorf("%s: the earlier file is %q (%v)", when, got, err)
		}
		assertOnly(t, dir, "receipt.txt")
	}
}

// assertOnly fails unless dir holds exactly the named files.
func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range ents {
		got = append(got, e.Name())
	}
	if fmt.Sprint(got) != fmt.Sprint(names) {
		t.Errorf("the folder holds %v, want %v", got, names)
	}
}

func writeText(text string) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := io.WriteString(w, text)
		return err
	}
}

// TestDiskFullKeepsTheEarlierFile fills the disk at each step of a write:
// the error is a *DiskFullError that says what to do, no temporary file is
// left and the earlier file is untouched.
func TestDiskFullKeepsTheEarlierFile(t *testing.T) {
	for _, step := range []string{"write", "sync", "close"} {
		t.Run(step, func(t *testing.T) {
			path, intact := earlier(t)
			fsys := &faultFS{failAt: step, err: syscall.ENOSPC}
			err := WriteFile(context.Background(), fsys, path, writeText("new"))
			var full *DiskFullError
			if !errors.As(err, &full) || !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("err = %v, want a DiskFullError", err)
			}
			if msg := err.Error(); !strings.Contains(msg, "the disk is full; free some space or choose another folder") || strings.Count(msg, "disk is full") != 1 {
				t.Errorf("the message does not say once what to do: %s", msg)
			}
			if fsys.count(step) == 0 {
				t.Fatalf("the write never reached the %s step", step)
			}
			intact("after a full disk at " + step)
		})
	}
}

// TestFailuresKeepTheEarlierFile fails each step before the rename, and the
// rename itself: the earlier file stays and nothing new is left.
func TestFailuresKeepTheEarlierFile(t *testing.T) {
	for _, tc := range []struct{ step, says string }{
		{"write", "write receipt.txt"},
		{"short", "short write"},
		{"sync", "flush the new receipt.txt to disk"},
		{"close", "close the new receipt.txt"},
		{"rename", "move the new receipt.txt into place"},
	} {
		t.Run(tc.step, func(t *testing.T) {
			path, intact := earlier(t)
			fsys := &faultFS{failAt: tc.step, err: errInjected}
			err := WriteFile(context.Background(), fsys, path, writeText("a new receipt"))
			if err == nil || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("err = %v, want one that says %q", err, tc.says)
			}
			if tc.step != "short" && !errors.Is(err, errInjected) {
				t.Errorf("err = %v does not carry the cause", err)
			}
			intact("after a failed " + tc.step)
		})
	}
}

// TestCancelKeepsTheEarlierFile cancels a whole write before its rename.
func TestCancelKeepsTheEarlierFile(t *testing.T) {
	path, intact := earlier(t)
	ctx, cancel := context.WithCancel(context.Background())
	err := WriteFile(ctx, nil, path, func(w io.Writer) error {
		_, err := io.WriteString(w, "whole but cancelled")
		cancel()
		return err
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	intact("after a cancel")
}

// TestWriteFileSyncsTheFolder checks the order of a successful write: the
// file is flushed before the rename, and the folder after it.
func TestWriteFileSyncsTheFolder(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "receipt.txt")
	fsys := &faultFS{}
	if err := WriteFile(context.Background(), fsys, path, writeText("new")); err != nil {
		t.Fatal(err)
	}
	var steps []string
	for _, s := range fsys.log {
		steps = append(steps, strings.Fields(s)[0])
	}
	if got, want := strings.Join(steps, ","), "write,sync,close,rename,syncdir"; got != want {
		t.Errorf("steps %s, want %s", got, want)
	}
	if last := fsys.log[len(fsys.log)-1]; last != "syncdir "+filepath.Base(dir) {
		t.Errorf("the last step is %q, want a flush of %s", last, dir)
	}
	got, _ := os.ReadFile(path)
	fi, err := os.Stat(path)
	if err != nil || string(got) != "new" || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the file is %q, mode %v (%v); want \"new\", 0600", got, fi.Mode().Perm(), err)
	}
	assertOnly(t, dir, "receipt.txt")
}

// TestFailedFolderFlushTakesTheFileBack: a new file whose rename may not
// survive a power cut is not reported as saved, and not left behind.
func TestFailedFolderFlushTakesTheFileBack(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "receipt.txt")
	err := WriteFile(context.Background(), &faultFS{failAt: "syncdir", err: errInjected}, path, writeText("new"))
	var folder *FolderError
	if !errors.As(err, &folder) || folder.Dir != dir || !errors.Is(err, errInjected) {
		t.Fatalf("err = %v, want a FolderError for %s", err, dir)
	}
	assertOnly(t, dir)
}

// TestRenameRetriesWhileInUse: a rename another program blocks for a
// moment is tried again; one blocked for good gives up after
// renameAttempts tries and leaves the earlier file.
func TestRenameRetriesWhileInUse(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "receipt.txt")
	fsys := &faultFS{failAt: "rename", err: ErrInUse, failures: 2}
	if err := WriteFile(context.Background(), fsys, path, writeText("new")); err != nil {
		t.Fatalf("blocked twice, then allowed: %v", err)
	}
	if n := fsys.count("rename"); n != 3 {
		t.Errorf("rename tried %d times, want 3", n)
	}
	if n := fsys.count("syncdir"); n != 1 {
		t.Errorf("folder flushed %d times, want 1", n)
	}

	path, intact := earlier(t)
	fsys = &faultFS{failAt: "rename", err: ErrInUse}
	if err := WriteFile(context.Background(), fsys, path, writeText("new")); !errors.Is(err, ErrInUse) {
		t.Fatalf("err = %v", err)
	}
	if n := fsys.count("rename"); n != renameAttempts {
		t.Errorf("rename tried %d times, want %d", n, renameAttempts)
	}
	intact("after a rename blocked for good")

	// Any other failure is not retried.
	fsys = &faultFS{failAt: "rename", err: errInjected}
	if err := Rename(fsys, path+".x", path); !errors.Is(err, errInjected) || fsys.count("rename") != 1 {
		t.Fatalf("err = %v after %d tries", err, fsys.count("rename"))
	}
}

// TestRemoveSyncsTheFolder: a removal is followed by a flush of its folder,
// whose failure is a FolderError.
func TestRemoveSyncsTheFolder(t *testing.T) {
	path, _ := earlier(t)
	fsys := &faultFS{}
	if err := Remove(fsys, path); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(fsys.log, ","); got != "remove receipt.txt,syncdir "+filepath.Base(filepath.Dir(path)) {
		t.Errorf("steps %s", got)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the file is still there: %v", err)
	}
	path, _ = earlier(t)
	var folder *FolderError
	if err := Remove(&faultFS{failAt: "syncdir", err: errInjected}, path); !errors.As(err, &folder) {
		t.Errorf("err = %v, want a FolderError", err)
	}
}

// TestTempAbort: an abandoned Temp leaves nothing, and cannot be committed.
func TestTempAbort(t *testing.T) {
	dir := t.TempDir()
	tmp, err := CreateTemp(nil, filepath.Join(dir, "x.zip"), ".x-*.tmp")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tmp.File().Write([]byte("half")); err != nil {
		t.Fatal(err)
	}
	if err := tmp.Abort(); err != nil {
		t.Fatal(err)
	}
	if err := tmp.Abort(); err != nil {
		t.Fatalf("a second Abort: %v", err)
	}
	if err := tmp.Commit(context.Background()); err == nil {
		t.Fatal("an abandoned Temp was committed")
	}
	assertOnly(t, dir)
}

// TestDiskFull: only a full disk becomes a DiskFullError, and only once.
func TestDiskFull(t *testing.T) {
	if DiskFull(nil) != nil {
		t.Error("nil became an error")
	}
	other := &os.PathError{Op: "write", Path: "x", Err: syscall.EIO}
	if got := DiskFull(other); got != other {
		t.Errorf("an I/O error became %v", got)
	}
	full := DiskFull(fmt.Errorf("write: %w", syscall.ENOSPC))
	var dfe *DiskFullError
	if !errors.As(full, &dfe) {
		t.Fatalf("ENOSPC became %v", full)
	}
	if again := DiskFull(fmt.Errorf("save: %w", full)); strings.Count(again.Error(), "disk is full") != 1 {
		t.Errorf("hinted twice: %v", again)
	}
}
