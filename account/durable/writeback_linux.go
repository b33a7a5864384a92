//go:build linux

package durable

import "syscall"

// syncFileRangeWrite is SYNC_FILE_RANGE_WRITE, which package syscall does
// not name: start writing back the range's dirty pages, do not wait.
const syncFileRangeWrite = 2

// StartWriteback asks the system to start writing the given range of f to
// disk now, without waiting for it, so that a long write's final flush has
// little left to do. It is advice: failures are ignored, and files that
// are not the system's (tests' fault-injecting ones) are left alone.
func StartWriteback(f File, off, n int64) {
	if fd, ok := f.(interface{ Fd() uintptr }); ok {
		_ = syscall.SyncFileRange(int(fd.Fd()), off, n, syncFileRangeWrite)
	}
}
