package account

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	bolt "go.etcd.io/bbolt"

	"offboard/account/durable"
)

// bbolt never overwrites a page it frees: the old bytes stay in the file
// until the page happens to be reused. A freed page can hold the key slot
// wrapped under an old password, a two-factor secret that was turned off, or
// the chunks of a deleted file, all still readable with a password or key
// that opens the live file. scrubFreePages zeroes every page the freelist
// holds, after the transactions that free such pages (a password change, a
// security change, a deletion) and before a purge.
//
// The caller must hold the account exclusively: no other transaction may be
// open, because a reader that began before the last commit may still be
// reading the pages that commit freed. Zeroing a free page is then as safe as
// bbolt's own reuse of it, which happens at the next write.
func scrubFreePages(db *bolt.DB) (pages int, err error) {
	pageSize := db.Info().PageSize
	listed, err := freelistIDs(db.Path())
	if err != nil {
		return 0, fmt.Errorf("clear freed pages: %w", err)
	}
	free, err := confirmedFree(db, listed)
	if err != nil || len(free) == 0 {
		return 0, err
	}
	slices.Sort(free)
	if err := zeroPages(db.Path(), free, pageSize); err != nil {
		return 0, fmt.Errorf("clear freed pages: %w", err)
	}
	return len(free), nil
}

// scrub zeroes the account's freed pages, holding the account exclusively.
func (a *Account) scrub() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.db == nil {
		return ErrClosed
	}
	_, err := scrubFreePages(a.db)
	return err
}

// slotTombstone replaces a destroyed key slot. It keeps the value's length,
// so the file stays a readable database whose header says the purge began:
// Open finishes such a file even if the rename to its purging name never
// happened.
var slotTombstone = []byte("OBKX")

// errPurgeBegun means an account file's key slot was destroyed by a purge.
var errPurgeBegun = errors.New("this account's purge has begun")

// slotOffset is where in the file the live key slot's bytes sit, and those
// bytes. It reads the live slot through bbolt, then finds those bytes in the
// file: once the freed pages are zeroed they occur exactly once, on the live
// page. (bbolt copies small buckets out of its map, so the value's address
// does not tell its place.)
func slotOffset(db *bolt.DB) (off int64, slot []byte, err error) {
	err = view(db, func(tx *bolt.Tx) error {
		if b := tx.Bucket(bHeader); b != nil {
			slot = bytes.Clone(b.Get(kSlot))
		}
		return nil
	})
	if err != nil {
		return 0, nil, err
	}
	if len(slot) == 0 {
		return 0, nil, ErrCorruptFile
	}
	at, err := findInFile(db.Path(), slot)
	if err != nil {
		return 0, nil, err
	}
	if len(at) != 1 {
		return 0, nil, fmt.Errorf("the key slot is in the file %d times after the freed pages were cleared: %w", len(at), ErrCorruptFile)
	}
	return at[0], slot, nil
}

// findInFile returns every offset at which needle occurs in the file,
// reading it in pieces so that a large file is not held in memory.
func findInFile(path string, needle []byte) ([]int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read the account file: %w", err)
	}
	defer f.Close()
	const piece = 4 << 20
	buf := make([]byte, piece+len(needle))
	var at []int64
	for pos := int64(0); ; pos += piece {
		n, err := f.ReadAt(buf, pos)
		for i := 0; ; {
			j := bytes.Index(buf[i:n], needle)
			if j < 0 || i+j >= piece {
				break
			}
			at = append(at, pos+int64(i+j))
			i += j + 1
		}
		if errors.Is(err, io.EOF) || n < len(buf) {
			return at, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read the account file: %w", err)
		}
	}
}

// destroySlot overwrites the live key slot at off with the tombstone and
// syncs. From then on nothing in the file can be decrypted by anyone: it is
// the purge's commit point. committed says whether the overwrite was made
// (so the account is gone) when an error comes after it.
func destroySlot(fsys durable.FS, path string, off int64, slot []byte) (committed bool, err error) {
	f, err := fsys.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return false, fmt.Errorf("destroy the account's key: %w", err)
	}
	got := make([]byte, len(slot))
	if _, err := f.ReadAt(got, off); err != nil || !bytes.Equal(got, slot) {
		f.Close()
		return false, fmt.Errorf("destroy the account's key: the key slot moved: %w", ErrCorruptFile)
	}
	tomb := make([]byte, len(slot))
	copy(tomb, slotTombstone)
	if _, err := f.WriteAt(tomb, off); err != nil {
		f.Close()
		return false, fmt.Errorf("destroy the account's key: %w", diskHint(err))
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return true, fmt.Errorf("destroy the account's key: %w", err)
	}
	if err := f.Close(); err != nil {
		return true, fmt.Errorf("destroy the account's key: %w", err)
	}
	return true, nil
}

// purgeBegun reports whether the account file at path has a destroyed key
// slot: a purge that died between its commit point and its rename.
func purgeBegun(path string) bool {
	db, err := openDB(path)
	if err != nil {
		return false
	}
	defer db.Close()
	err = view(db, func(tx *bolt.Tx) error {
		if b := tx.Bucket(bHeader); b != nil && bytes.HasPrefix(b.Get(kSlot), slotTombstone) {
			return errPurgeBegun
		}
		return nil
	})
	return errors.Is(err, errPurgeBegun)
}

// confirmedFree are the pages of listed that bbolt itself calls free: the
// list read from the file is a shortcut, not the authority. (Asking bbolt
// about every page instead would read the whole file.)
func confirmedFree(db *bolt.DB, listed []uint64) ([]int, error) {
	var free []int
	err := view(db, func(tx *bolt.Tx) error {
		for _, id := range listed {
			info, err := tx.Page(int(id))
			if err != nil {
				return err
			}
			if info != nil && info.Type == "free" {
				free = append(free, int(id))
			}
		}
		return nil
	})
	return free, err
}

// zeroPages overwrites the pages free (sorted) of the file at path with
// zeros and syncs it; runs of neighbouring pages go out in one write.
func zeroPages(path string, free []int, pageSize int) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	zero := make([]byte, 64*pageSize)
	for i := 0; i < len(free); {
		j := i + 1
		for j < len(free) && free[j] == free[j-1]+1 && j-i < 64 {
			j++
		}
		if _, err := f.WriteAt(zero[:(j-i)*pageSize], int64(free[i])*int64(pageSize)); err != nil {
			f.Close()
			return diskHint(err)
		}
		i = j
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return nil
}
