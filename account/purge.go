package account

import (
	"crypto/aes"
	"crypto/cipher"
	crand "crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"offboard/account/durable"
)

// Purge destroys the account for good. check runs first, with the account
// still open (the closure sequence re-checks its blockers there); if it fails
// nothing changes. Then the freed pages are zeroed, so that no older copy of
// the key slot survives anywhere in the file, and the live key slot is
// overwritten and synced: that is the commit point. From then on nothing in
// the file can be decrypted, even if the process dies at once, and Open
// finishes the purge of a file whose key slot is destroyed. The file is then
// renamed to its purging name, overwritten with random bytes, flushed, and
// removed. progress, if set, gets bytes done and the total. The Account is
// closed afterwards whatever happens.
func (a *Account) Purge(check func() error, progress func(done, total int64)) error {
	if check != nil {
		if err := check(); err != nil {
			return err
		}
	}
	off, slot, err := a.closeForPurge()
	if err != nil {
		return err
	}
	fsys := a.store.fs
	if committed, err := destroySlot(fsys, a.path, off, slot); err != nil {
		if committed {
			return &IncompleteShredError{Err: err}
		}
		return err
	}
	purging := strings.TrimSuffix(a.path, accountExt) + purgingExt
	if err := durable.Rename(fsys, a.path, purging); err != nil {
		return &IncompleteShredError{Err: fmt.Errorf("rename the account file: %w", err)}
	}
	if err := shred(fsys, purging, progress); err != nil {
		return &IncompleteShredError{Err: err}
	}
	return nil
}

// closeForPurge zeroes the freed pages, finds the live key slot and closes
// the file, all under one exclusive hold of the account so that no write
// can move the slot in between.
func (a *Account) closeForPurge() (off int64, slot []byte, err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.db == nil {
		return 0, nil, ErrClosed
	}
	if _, err = scrubFreePages(a.db); err == nil {
		off, slot, err = slotOffset(a.db)
	}
	if cerr := a.db.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close the account file: %w", cerr)
	}
	a.forget()
	if err != nil {
		return 0, nil, fmt.Errorf("prepare the purge: %w", err)
	}
	return off, slot, nil
}

// IncompleteShredError means the purge passed its commit point — the account
// is gone and cannot be opened again — but its file could not be fully
// overwritten and removed yet. The next start of Offboard finishes the job.
type IncompleteShredError struct{ Err error }

func (e *IncompleteShredError) Error() string {
	return "the account is closed, but its file could not be fully removed yet (" + e.Err.Error() + "); Offboard removes it the next time it starts"
}

func (e *IncompleteShredError) Unwrap() error { return e.Err }

// shredBuffer is how much shred overwrites per write, and shredFlush how
// much it writes before asking the system to start putting it on disk.
const (
	shredBuffer = 1 << 20
	shredFlush  = 32 << 20
)

// shred overwrites a file with random bytes from its start (where bbolt keeps
// its meta pages, so the file stops being a database at once), syncs it and
// removes it. On SSDs and copy-on-write file systems old blocks may survive
// the overwrite; that is why only ciphertext was ever written. The bytes are
// AES-256-CTR's keystream under a random key, which comes four times faster
// than ChaCha8's and is as unpredictable, and they go to disk as they are
// written rather than all at the final flush.
func shred(fsys durable.FS, path string, progress func(done, total int64)) error {
	f, total, err := openOwnFile(fsys, path)
	if f == nil || err != nil {
		return err // nil when there is no file
	}
	if err := overwriteRandom(f, total, progress); err != nil {
		f.Close()
		return fmt.Errorf("overwrite the account file: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("overwrite the account file: %w", err)
	}
	if err := durable.Remove(fsys, path); err != nil {
		return fmt.Errorf("remove the account file: %w", err)
	}
	if progress != nil && total == 0 {
		progress(0, 0)
	}
	return nil
}

// openOwnFile opens path for writing, and its size, if it is nothing but
// this account's: a link, or a file with other names, would let the
// overwrite destroy a file elsewhere. No file there gives a nil file.
func openOwnFile(fsys durable.FS, path string) (durable.File, int64, error) {
	f, err := fsys.OpenFile(path, os.O_WRONLY|noFollow, 0)
	if errors.Is(err, os.ErrNotExist) {
		return nil, 0, nil
	}
	if err != nil {
		if fi, lerr := os.Lstat(path); lerr == nil && fi.Mode()&os.ModeSymlink != 0 {
			return nil, 0, notOurs(path, "a symbolic link")
		}
		return nil, 0, fmt.Errorf("overwrite the account file: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("overwrite the account file: %w", err)
	}
	if n, ok := linkCount(st); !st.Mode().IsRegular() || (ok && n != 1) {
		f.Close()
		what := "not a regular file"
		if st.Mode().IsRegular() {
			what = fmt.Sprintf("a file with %d names (a hard link)", n)
		}
		return nil, 0, notOurs(path, what)
	}
	return f, st.Size(), nil
}

// overwriteRandom writes total bytes of AES-CTR keystream (a random key and
// starting counter) over f from its start, hinting write-back as it goes,
// and syncs it.
func overwriteRandom(f durable.File, total int64, progress func(done, total int64)) error {
	seed := make([]byte, 32+aes.BlockSize)
	crand.Read(seed)
	block, err := aes.NewCipher(seed[:32])
	if err != nil {
		return err
	}
	src := cipher.NewCTR(block, seed[32:])
	zero := make([]byte, shredBuffer)
	buf := make([]byte, shredBuffer)
	var done, flushed int64
	for done < total {
		n := int(min(int64(len(buf)), total-done))
		src.XORKeyStream(buf[:n], zero[:n])
		if _, err := f.Write(buf[:n]); err != nil {
			return diskHint(err)
		}
		done += int64(n)
		if done-flushed >= shredFlush {
			durable.StartWriteback(f, flushed, done-flushed)
			flushed = done
		}
		if progress != nil {
			progress(done, total)
		}
	}
	return f.Sync()
}

// NotOursError means a file in the data folder has a name Offboard uses for
// its own files but is something else, so Offboard refuses to overwrite it.
type NotOursError struct {
	Path, What string
}

func (e *NotOursError) Error() string {
	return fmt.Sprintf("%s is %s, not an account file Offboard made, so Offboard did not overwrite it; move it out of the data folder and start Offboard again", e.Path, e.What)
}

func notOurs(path, what string) error { return &NotOursError{Path: path, What: what} }

// finishPurges completes purges that a crash interrupted and removes files of
// sign-ups that never finished.
func (s *Store) finishPurges() error {
	dir := filepath.Join(s.dir, accountsDir)
	ents, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("read the data folder: %w", err)
	}
	for _, e := range ents {
		name := e.Name()
		switch {
		case strings.HasSuffix(name, purgingExt):
			if err := shred(s.fs, filepath.Join(dir, name), nil); err != nil {
				return fmt.Errorf("finish an interrupted purge: %w", err)
			}
		case strings.HasSuffix(name, accountExt) && e.Type().IsRegular() && purgeBegun(filepath.Join(dir, name)):
			// The key slot was destroyed but the rename never happened.
			purging := strings.TrimSuffix(filepath.Join(dir, name), accountExt) + purgingExt
			if err := s.fs.Rename(filepath.Join(dir, name), purging); err != nil {
				return fmt.Errorf("finish an interrupted purge: %w", err)
			}
			if err := shred(s.fs, purging, nil); err != nil {
				return fmt.Errorf("finish an interrupted purge: %w", err)
			}
		case strings.HasSuffix(name, accountExt+".new"):
			if err := s.fs.Remove(filepath.Join(dir, name)); err != nil {
				return fmt.Errorf("remove an unfinished sign-up: %w", err)
			}
		}
	}
	return nil
}
