//go:build !windows

package durable

import (
	"errors"
	"os"
	"syscall"
)

// syncDir flushes dir, so that a rename or removal inside it survives a
// power cut.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP) {
		// Some file systems (network, FUSE) cannot flush a folder; they
		// make no promise that could be kept anyway.
		err = nil
	}
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// isInUse is false: outside Windows an open file never blocks a rename.
func isInUse(error) bool { return false }

// isNoSpace reports a full disk.
func isNoSpace(err error) bool { return errors.Is(err, syscall.ENOSPC) }
