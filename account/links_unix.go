//go:build !windows

package account

import (
	"os"
	"syscall"
)

// noFollow makes opening a symbolic link fail instead of opening its target.
const noFollow = syscall.O_NOFOLLOW

// linkCount is how many names the file has; ok is false when the system
// does not say.
func linkCount(fi os.FileInfo) (n uint64, ok bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return uint64(st.Nlink), true
}
