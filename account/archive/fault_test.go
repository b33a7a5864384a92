package archive

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"offboard/account/durable"
)

// faultFS is the real file system with failures injected on demand.
type faultFS struct {
	durable.OS
	failWriteAfter int64 // bytes accepted before Write fails; negative for never
	writeErr       error
	syncErr        error
	closeErr       error
	renameErr      error
	renameFailures int // how many renames fail with renameErr
	syncDirErr     error

	renameCalls int
	written     int64
}

var errInjected = errors.New("injected fault")

func (f *faultFS) CreateTemp(dir, pattern string) (durable.File, error) {
	file, err := f.OS.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	return &faultFile{File: file, fs: f}, nil
}

func (f *faultFS) Rename(oldpath, newpath string) error {
	f.renameCalls++
	if f.renameErr != nil && f.renameCalls <= f.renameFailures {
		return &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: f.renameErr}
	}
	return f.OS.Rename(oldpath, newpath)
}

func (f *faultFS) SyncDir(dir string) error {
	if f.syncDirErr != nil {
		return f.syncDirErr
	}
	return f.OS.SyncDir(dir)
}

type faultFile struct {
	durable.File
	fs *faultFS
}

func (f *faultFile) Write(p []byte) (int, error) {
	ffs := f.fs
	if ffs.failWriteAfter >= 0 && ffs.written+int64(len(p)) > ffs.failWriteAfter {
		n, _ := f.File.Write(p[:ffs.failWriteAfter-ffs.written])
		ffs.written += int64(n)
		werr := ffs.writeErr
		if werr == nil {
			werr = errInjected
		}
		return n, &os.PathError{Op: "write", Path: f.Name(), Err: werr}
	}
	n, err := f.File.Write(p)
	ffs.written += int64(n)
	return n, err
}

func (f *faultFile) Sync() error {
	if f.fs.syncErr != nil {
		return &os.PathError{Op: "sync", Path: f.Name(), Err: f.fs.syncErr}
	}
	return f.File.Sync()
}

func (f *faultFile) Close() error {
	err := f.File.Close()
	if f.fs.closeErr != nil {
		return &os.PathError{Op: "close", Path: f.Name(), Err: f.fs.closeErr}
	}
	return err
}

func TestWriteFailsAtAnyByte(t *testing.T) {
	for _, encrypted := range []bool{false, true} {
		t.Run(fmt.Sprintf("encrypted=%v", encrypted), func(t *testing.T) {
			_, res := mustWrite(t, testOptions(encrypted), smallSample())
			size := res.Size
			points := []int64{0, 1, size - 1}
			for k := int64(1); k < 12; k++ {
				points = append(points, size*k/12)
			}
			for _, n := range points {
				dir := t.TempDir()
				opt := testOptions(encrypted)
				opt.FS = &faultFS{failWriteAfter: n}
				_, err := writeExport(context.Background(), filepath.Join(dir, "export.zip"), opt, smallSample())
				if !errors.Is(err, errInjected) || !strings.Contains(err.Error(), "write the export file") {
					t.Errorf("write failing after %d of %d bytes: err = %v", n, size, err)
				}
				assertEmptyDir(t, dir)
			}
		})
	}
}

func TestDiskFull(t *testing.T) {
	for _, tc := range []struct {
		name string
		fsys *faultFS
	}{
		{"write", &faultFS{failWriteAfter: 100 << 10, writeErr: syscall.ENOSPC}},
		{"sync", &faultFS{failWriteAfter: -1, syncErr: syscall.ENOSPC}},
		{"close", &faultFS{failWriteAfter: -1, closeErr: syscall.ENOSPC}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			opt := testOptions(false)
			opt.FS = tc.fsys
			_, err := writeExport(context.Background(), filepath.Join(dir, "export.zip"), opt, smallSample())
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("err = %v, want ENOSPC", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, "disk is full") || !strings.Contains(msg, "free some space or choose another folder") {
				t.Errorf("message does not tell the user what to do: %s", msg)
			}
			assertEmptyDir(t, dir)
		})
	}
}

func TestCommitStepFailures(t *testing.T) {
	for _, tc := range []struct {
		name string
		fsys *faultFS
		says string
	}{
		{"sync", &faultFS{failWriteAfter: -1, syncErr: errInjected}, "flush the new export.zip to disk"},
		{"close", &faultFS{failWriteAfter: -1, closeErr: errInjected}, "close the new export.zip"},
		{"rename", &faultFS{failWriteAfter: -1, renameErr: errInjected, renameFailures: 1}, "move the new export.zip into place"},
		{"syncdir", &faultFS{failWriteAfter: -1, syncDirErr: errInjected}, "flush the folder"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			opt := testOptions(false)
			opt.FS = tc.fsys
			_, err := writeExport(context.Background(), filepath.Join(dir, "export.zip"), opt, smallSample())
			if !errors.Is(err, errInjected) || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("err = %v, want one that says %q", err, tc.says)
			}
			assertEmptyDir(t, dir)
		})
	}
}

func TestCancellation(t *testing.T) {
	s := smallSample()
	// Cancel before entry k (k == len: before Commit).
	for k := 0; k <= len(s.entries); k++ {
		dir := t.TempDir()
		ctx, cancel := context.WithCancel(context.Background())
		w, err := Create(ctx, filepath.Join(dir, "export.zip"), testOptions(false))
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < k; i++ {
			ew, err := w.Entry(s.entries[i].name)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.entries[i].write(ew); err != nil {
				t.Fatal(err)
			}
		}
		cancel()
		if k < len(s.entries) {
			_, err = w.Entry(s.entries[k].name)
		} else {
			_, err = w.Commit()
		}
		if !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled after %d entries: err = %v", k, err)
		}
		if err := w.Abort(); err != nil {
			t.Errorf("Abort: %v", err)
		}
		assertEmptyDir(t, dir)
	}
}

func TestCancellationMidEntry(t *testing.T) {
	for _, encrypted := range []bool{false, true} {
		for _, at := range []int64{1, 300 << 10, 600 << 10, 3 << 20} {
			dir := t.TempDir()
			ctx, cancel := context.WithCancel(context.Background())
			opt := testOptions(encrypted)
			opt.Progress = func(n int64) {
				if n >= at {
					cancel()
				}
			}
			_, err := writeExport(ctx, filepath.Join(dir, "export.zip"), opt, fullSample())
			if !errors.Is(err, context.Canceled) {
				t.Errorf("cancelled at %d bytes: err = %v", at, err)
			}
			assertEmptyDir(t, dir)
			cancel()
		}
	}
}

func TestCancelledWriteReturnsContextError(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	w, err := Create(ctx, filepath.Join(dir, "export.zip"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ew, err := w.Entry("files/0001-big.bin")
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := ew.Write(make([]byte, 10)); err != context.Canceled {
		t.Errorf("Write = %v, want context.Canceled", err)
	}
	if _, err := io.WriteString(ew, "more"); !errors.Is(err, context.Canceled) {
		t.Errorf("second Write = %v, want context.Canceled", err)
	}
	if _, err := w.Commit(); !errors.Is(err, context.Canceled) {
		t.Errorf("Commit = %v, want context.Canceled", err)
	}
	w.Abort()
	assertEmptyDir(t, dir)
}

func TestCreateWithCancelledContext(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Create(ctx, filepath.Join(dir, "export.zip"), Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
	assertEmptyDir(t, dir)
}
