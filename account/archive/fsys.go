package archive

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"
)

// FS is the part of the file system an export is written through. It exists
// so that tests can inject failures at every step; OSFS is the real thing.
type FS interface {
	CreateTemp(dir, pattern string) (File, error)
	Rename(oldpath, newpath string) error
	Remove(name string) error
	SyncDir(dir string) error
}

// File is a file being written through an FS.
type File interface {
	io.Writer
	Sync() error
	Close() error
	Name() string
}

// OSFS is the FS of the operating system.
type OSFS struct{}

// CreateTemp creates a new file readable and writable by its owner only (mode 0600).
func (OSFS) CreateTemp(dir, pattern string) (File, error) {
	// os.CreateTemp opens with mode 0600, which keeps the export private
	// from the first byte; nothing ever widens it.
	return os.CreateTemp(dir, pattern)
}

// Rename renames oldpath to newpath, replacing newpath if it exists.
func (OSFS) Rename(oldpath, newpath string) error { return os.Rename(oldpath, newpath) }

// Remove removes the named file.
func (OSFS) Remove(name string) error { return os.Remove(name) }

// SyncDir makes a rename inside dir durable.
func (OSFS) SyncDir(dir string) error { return syncDir(dir) }

// renameAttempts and renameBackoff bound how long a refused rename is retried.
// On Windows a virus scanner or indexer that just opened the new file
// commonly makes MoveFileEx fail for a moment.
const (
	renameAttempts = 5
	renameBackoff  = 100 * time.Millisecond
)

// renameRetryable decides whether a failed rename is worth another try; a
// variable so tests can exercise the retry loop on any system.
var renameRetryable = isTransientRenameError

// renameWithRetry renames, retrying a few times when the system says the
// file is briefly in use.
func renameWithRetry(fsys FS, oldpath, newpath string) error {
	var err error
	for attempt := 1; ; attempt++ {
		err = fsys.Rename(oldpath, newpath)
		if err == nil || attempt == renameAttempts || !renameRetryable(err) {
			return err
		}
		time.Sleep(time.Duration(attempt) * renameBackoff)
	}
}

// ioError wraps a failed file-system step with what was being done and, when
// the disk is full, with what the user can do about it.
func ioError(step string, err error) error {
	switch {
	case isDiskFull(err):
		return fmt.Errorf("%s: the disk is full; free some space or choose another folder for the export: %w", step, err)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("%s: access was refused; choose another folder for the export: %w", step, err)
	}
	return fmt.Errorf("%s: %w", step, err)
}

// errAbandoned is returned by a Writer used after Abort.
var errAbandoned = errors.New("the export was abandoned")

// errCommitted is returned by a Writer used after Commit.
var errCommitted = errors.New("the export is already finished")
