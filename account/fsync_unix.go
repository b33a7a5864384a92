//go:build !windows

package account

import (
	"errors"
	"os"
	"syscall"
)

// syncDir makes a rename or unlink inside dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// isNoSpace reports a full disk.
func isNoSpace(err error) bool { return errors.Is(err, syscall.ENOSPC) }
