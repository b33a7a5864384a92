// Package durable writes files so that a crash, a power cut or a full disk
// leaves either the whole new file or what was there before, never a mix.
//
// A new file is made under a temporary name in its destination's folder,
// readable and writable by its owner only (mode 0600), written, flushed to
// disk, renamed over the destination and the folder flushed, so that the
// rename itself survives a power cut. Until the rename a file already at
// the destination is untouched; after any failure nothing new is left.
// A rename that another program blocks for a moment (a virus scanner or an
// indexer on Windows) is retried a few times. Errors that mean the disk is
// full come back as a *DiskFullError, which says what to do.
//
// Everything goes through an FS, which tests replace to inject short
// writes, a full disk or a failing flush, rename or folder flush.
package durable

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// FS is the part of the file system a durable write goes through. OS is the
// real one; tests wrap it to fail any step.
type FS interface {
	CreateTemp(dir, pattern string) (File, error)
	OpenFile(name string, flag int, perm fs.FileMode) (File, error)
	// Rename reports a rename another program blocks for a moment with an
	// error that wraps ErrInUse.
	Rename(oldpath, newpath string) error
	Remove(name string) error
	// SyncDir makes the renames and removals inside dir durable.
	SyncDir(dir string) error
}

// File is an open file of an FS.
type File interface {
	io.Writer
	io.ReaderAt
	io.WriterAt
	Name() string
	Stat() (fs.FileInfo, error)
	Sync() error
	Close() error
}

// OS is the FS of the operating system.
type OS struct{}

// CreateTemp creates a new file in dir, readable and writable by its owner
// only (mode 0600), named by pattern as os.CreateTemp names it.
func (OS) CreateTemp(dir, pattern string) (File, error) {
	// os.CreateTemp opens with mode 0600, which keeps the file private from
	// its first byte; nothing here ever widens it.
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// OpenFile opens name as os.OpenFile does.
func (OS) OpenFile(name string, flag int, perm fs.FileMode) (File, error) {
	f, err := os.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// Rename renames oldpath to newpath, replacing newpath if it exists.
func (OS) Rename(oldpath, newpath string) error {
	err := os.Rename(oldpath, newpath)
	if err != nil && isInUse(err) {
		return fmt.Errorf("%w: %w", ErrInUse, err)
	}
	return err
}

// Remove removes the named file.
func (OS) Remove(name string) error { return os.Remove(name) }

// SyncDir flushes dir to disk. File systems that cannot flush a folder
// (network and FUSE ones; Windows, whose NTFS journals renames itself)
// make no promise that could be kept anyway, and count as flushed.
func (OS) SyncDir(dir string) error { return syncDir(dir) }

// SyncDir is OS's SyncDir, for folders made or emptied outside an FS.
func SyncDir(dir string) error { return syncDir(dir) }

// ErrInUse means another program holds the file for a moment.
var ErrInUse = errors.New("another program is using the file; close it or try again in a moment")

// DiskFullError means a write failed because the disk is full.
type DiskFullError struct{ Err error }

func (e *DiskFullError) Error() string {
	return "the disk is full; free some space or choose another folder, then try again: " + e.Err.Error()
}

func (e *DiskFullError) Unwrap() error { return e.Err }

// DiskFull returns err as a *DiskFullError when it means the disk is full
// (once: an error that already is one comes back as it is), and err itself
// otherwise.
func DiskFull(err error) error {
	var full *DiskFullError
	if err == nil || errors.As(err, &full) || !isNoSpace(err) {
		return err
	}
	return &DiskFullError{Err: err}
}

// FolderError means a rename happened but its folder could not be flushed
// to disk, so a power cut could still undo it.
type FolderError struct {
	Dir string
	Err error
}

func (e *FolderError) Error() string {
	return "flush the folder " + e.Dir + " to disk: " + e.Err.Error()
}

func (e *FolderError) Unwrap() error { return e.Err }

// renameAttempts and renameBackoff bound how long a rename that another
// program blocks is retried: 1 s in all.
const (
	renameAttempts = 5
	renameBackoff  = 100 * time.Millisecond
)

// Rename renames oldpath to newpath, retrying a few times while another
// program holds the file, then flushes newpath's folder. An error of the
// folder flush is a *FolderError: the rename happened.
func Rename(fsys FS, oldpath, newpath string) error {
	fsys = orOS(fsys)
	var err error
	for attempt := 1; ; attempt++ {
		err = fsys.Rename(oldpath, newpath)
		if err == nil || attempt == renameAttempts || !errors.Is(err, ErrInUse) {
			break
		}
		time.Sleep(time.Duration(attempt) * renameBackoff)
	}
	if err != nil {
		return DiskFull(err)
	}
	dir := filepath.Dir(newpath)
	if err := fsys.SyncDir(dir); err != nil {
		return &FolderError{Dir: dir, Err: err}
	}
	return nil
}

// Remove removes name and flushes its folder, so that the removal survives
// a power cut.
func Remove(fsys FS, name string) error {
	fsys = orOS(fsys)
	if err := fsys.Remove(name); err != nil {
		return err
	}
	dir := filepath.Dir(name)
	if err := fsys.SyncDir(dir); err != nil {
		return &FolderError{Dir: dir, Err: err}
	}
	return nil
}

func orOS(fsys FS) FS {
	if fsys == nil {
		return OS{}
	}
	return fsys
}

// Temp is a new file written under a temporary name beside its
// destination, until Commit puts it in place or Abort removes it.
type Temp struct {
	fsys   FS
	f      File
	path   string
	open   bool // f still needs closing
	exists bool // the temporary file is on disk and ours to remove
}

// CreateTemp starts a new file that Commit will put at path: a temporary
// file in path's folder named by pattern (see os.CreateTemp), mode 0600.
// A nil fsys is OS.
func CreateTemp(fsys FS, path, pattern string) (*Temp, error) {
	fsys = orOS(fsys)
	dir := filepath.Dir(path)
	f, err := fsys.CreateTemp(dir, pattern)
	if err != nil {
		return nil, fmt.Errorf("create a temporary file in the folder %s: %w", dir, DiskFull(err))
	}
	return &Temp{fsys: fsys, f: f, path: path, open: true, exists: true}, nil
}

// File is the temporary file, to write to (and read back) until Commit.
func (t *Temp) File() File { return t.f }

// Commit flushes the file to disk, closes it and, unless ctx is done by
// then, renames it over the destination and flushes the folder. On any
// failure nothing new is left: the temporary file is removed and, when
// only the folder flush failed, the new file too (it is not known to
// survive a power cut). Commit, successful or not, ends the Temp.
func (t *Temp) Commit(ctx context.Context) error {
	if !t.exists {
		return errors.New("the file was already finished or abandoned")
	}
	name := filepath.Base(t.path)
	err := t.f.Sync()
	if err != nil {
		err = fmt.Errorf("flush the new %s to disk: %w", name, DiskFull(err))
	}
	t.open = false
	if cerr := t.f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close the new %s: %w", name, DiskFull(cerr))
	}
	if err == nil {
		err = ctx.Err() // the last moment a cancel keeps the earlier file
	}
	if err == nil {
		if err = Rename(t.fsys, t.f.Name(), t.path); err == nil {
			t.exists = false
			return nil
		}
		var folder *FolderError
		if errors.As(err, &folder) {
			t.exists = false
			if rerr := t.fsys.Remove(t.path); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
				return fmt.Errorf("%w; removing the unconfirmed %s also failed: %v", err, name, rerr)
			}
			return err
		}
		err = fmt.Errorf("move the new %s into place: %w", name, err)
	}
	if rerr := t.Abort(); rerr != nil {
		return fmt.Errorf("%w; %v", err, rerr)
	}
	return err
}

// Abort closes and removes the temporary file, unless Commit ended the
// Temp already; the destination is left as it was.
func (t *Temp) Abort() error {
	if t.open {
		t.open = false
		_ = t.f.Close() // moot: the file is being thrown away
	}
	if !t.exists {
		return nil
	}
	t.exists = false
	if err := t.fsys.Remove(t.f.Name()); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove the unfinished %s: %w", t.f.Name(), err)
	}
	return nil
}

// savePattern names the temporary file of WriteFile.
const savePattern = ".offboard-save-*.tmp"

// WriteFile writes path through a Temp (see CreateTemp): write fills it
// through a buffer, and Commit puts it in place unless write fails or ctx
// is done first. A nil fsys is OS.
func WriteFile(ctx context.Context, fsys FS, path string, write func(io.Writer) error) error {
	t, err := CreateTemp(fsys, path, savePattern)
	if err != nil {
		return err
	}
	buf := bufio.NewWriterSize(t.File(), 1<<20)
	err = write(buf)
	if err == nil {
		err = ctx.Err()
	}
	if err == nil {
		err = buf.Flush()
	}
	if err != nil {
		err = fmt.Errorf("write %s: %w", filepath.Base(path), DiskFull(err))
		if rerr := t.Abort(); rerr != nil {
			return fmt.Errorf("%w; %v", err, rerr)
		}
		return err
	}
	return t.Commit(ctx)
}
