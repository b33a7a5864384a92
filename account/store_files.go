package account

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"offboard/account/vault"
)

// openDB opens an existing account file, turning bbolt's lock timeout into a
// clear message. The file is checked first, every time (checkFile): bbolt
// reads it through a memory mapping and would fault on a page past the end
// of a shortened file, or loop on a page that points back at its parent.
func openDB(path string) (*bolt.DB, error) {
	if err := checkFile(path); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, ErrNoAccount
		}
		return nil, err
	}
	return boltOpen(path)
}

// createDB creates a new account file at path (which must not exist).
func createDB(path string) (*bolt.DB, error) {
	if _, err := os.Lstat(path); err == nil {
		return nil, fmt.Errorf("create the account file: %s already exists", path)
	}
	return boltOpen(path)
}

func boltOpen(path string) (db *bolt.DB, err error) {
	defer recoverCorrupt(&err)
	db, err = bolt.Open(path, 0o600, &bolt.Options{Timeout: lockWait})
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return nil, ErrAlreadyOpen
	case errors.Is(err, fs.ErrNotExist):
		return nil, ErrNoAccount
	case err != nil:
		return nil, fmt.Errorf("%w: %v", ErrCorruptFile, err)
	}
	return db, nil
}

// header is the unencrypted part of an account file. None of it is personal:
// a random ID, a wrapped key, a slow salted hash of the email, a bcrypt
// verifier and the wrong-password counter.
type header struct {
	id       string
	slot     vault.KeySlot
	lookup   []byte // salt ‖ hash
	verifier []byte
	throttle throttle // wrong passwords
	// wrong two-factor and recovery codes, in a file of format 1 only
	codeThrottle throttle
}

func readHeader(tx *bolt.Tx) (*header, error) {
	b := tx.Bucket(bHeader)
	if b == nil {
		return nil, ErrCorruptFile
	}
	f := b.Get(kFormat)
	if len(f) != 1 || f[0] < 1 || f[0] > fileFormat {
		if len(f) == 1 && f[0] > fileFormat {
			return nil, errors.New("this account was written by a newer version of Offboard; update Offboard to open it")
		}
		return nil, ErrCorruptFile
	}
	h := &header{id: string(b.Get(kID))}
	if !validID(h.id) {
		return nil, ErrCorruptFile
	}
	if err := h.slot.UnmarshalBinary(b.Get(kSlot)); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorruptFile, err)
	}
	// Format 1 files have Offboard 0.1's slot, without a generation; a
	// format-2 file with such a slot had an old one put back.
	if (f[0] == 1) != (h.slot.Version == 1) {
		return nil, ErrAltered
	}
	h.lookup = append([]byte(nil), b.Get(kLookup)...)
	h.verifier = append([]byte(nil), b.Get(kVerifier)...)
	if len(h.lookup) != 16+32 || len(h.verifier) == 0 {
		return nil, ErrCorruptFile
	}
	h.throttle.decode(b.Get(kThrottle))
	if f[0] == 1 {
		h.codeThrottle.decode(b.Get(kCodeThrottle))
	}
	return h, nil
}

// view and update run a transaction. checkFile has made sure bbolt cannot
// read outside the file; a record that is well formed for bbolt but not for
// Offboard can still make bbolt panic (a page freed twice), and that panic,
// an ordinary one, becomes ErrCorruptFile: a bad file must never take the
// app down.
func view(db *bolt.DB, fn func(*bolt.Tx) error) (err error) {
	defer recoverCorrupt(&err)
	return db.View(fn)
}

func update(db *bolt.DB, fn func(*bolt.Tx) error) (err error) {
	defer recoverCorrupt(&err)
	return db.Update(fn)
}

// recoverCorrupt turns a panic into ErrCorruptFile. The panic's own text is
// the runtime's or bbolt's, meant for a programmer, so it is not shown.
func recoverCorrupt(err *error) {
	if r := recover(); r != nil {
		*err = ErrCorruptFile
	}
}
