package account

import (
	"syscall"

	bolt "go.etcd.io/bbolt"
)

// dropMapping tells the kernel that this process is done with the pages of
// the account file it has read. bbolt maps the whole file into memory and
// reads it there, so every page a long read passes stays counted in the
// process's resident memory: exporting a 1 GiB account would make a 1 GiB
// process. The mapping is shared and read-only (bbolt writes with pwrite),
// so the pages stay in the page cache and a later read simply maps them
// again; nothing is lost or changed. tx keeps the mapping in place (bbolt
// remaps only when no transaction is open), and the range is exactly the
// part of the mapping that holds the file's pages.
func dropMapping(tx *bolt.Tx) {
	base := tx.DB().Info().Data
	// Advice only: should the kernel decline, memory use is higher, nothing else.
	_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, base, uintptr(tx.Size()), syscall.MADV_DONTNEED)
}
