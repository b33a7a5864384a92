//go:build windows

package account

import (
	"errors"
	"syscall"
)

// syncDir is a no-op on Windows: NTFS journals renames, and directories cannot
// be opened for flushing through the standard library.
func syncDir(string) error { return nil }

// isNoSpace reports a full disk (ERROR_DISK_FULL, ERROR_HANDLE_DISK_FULL).
func isNoSpace(err error) bool {
	return errors.Is(err, syscall.Errno(112)) || errors.Is(err, syscall.Errno(39))
}
