//go:build !windows

package archive

import (
	"errors"
	"os"
	"syscall"
)

// syncDir fsyncs the directory so that the rename that put the export in
// place survives a power cut.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP) {
		// Some file systems (network, FUSE) cannot sync a directory; they
		// make no promise we could keep anyway.
		err = nil
	}
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// isTransientRenameError is false: outside Windows an open file never blocks a rename.
func isTransientRenameError(error) bool { return false }

func isDiskFull(err error) bool { return errors.Is(err, syscall.ENOSPC) }
