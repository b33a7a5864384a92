//go:build windows

package durable

import (
	"errors"
	"syscall"
)

// Windows error codes: another process holds the file for a moment, or
// the disk is full.
const (
	errorAccessDenied     syscall.Errno = 5
	errorSharingViolation syscall.Errno = 32
	errorLockViolation    syscall.Errno = 33
	errorHandleDiskFull   syscall.Errno = 39
	errorDiskFull         syscall.Errno = 112
)

// syncDir does nothing: Windows cannot flush a folder handle through the
// standard library, and NTFS journals the rename itself.
func syncDir(string) error { return nil }

// isInUse reports the errors a virus scanner or an indexer that just
// opened the file causes for a moment.
func isInUse(err error) bool {
	return errors.Is(err, errorAccessDenied) || errors.Is(err, errorSharingViolation) || errors.Is(err, errorLockViolation)
}

// isNoSpace reports a full disk.
func isNoSpace(err error) bool {
	return errors.Is(err, errorDiskFull) || errors.Is(err, errorHandleDiskFull) || errors.Is(err, syscall.ENOSPC)
}
