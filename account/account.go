package account

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	bolt "go.etcd.io/bbolt"

	"offboard/account/vault"
)

// ErrNotFound means no record has that ID.
var ErrNotFound = errors.New("no such item: it may have been removed")

// ErrClosed means the account was closed, signed out or purged.
var ErrClosed = errors.New("the account is no longer open; sign in again")

// Account is a signed-in account: its file is open and its data key unlocked.
// Its methods are safe for concurrent use.
type Account struct {
	store *Store
	id    string // from the file's header; bound into the crypto
	file  string // the file's name, without extension
	path  string

	mu     sync.RWMutex
	db     *bolt.DB
	sealer *vault.Sealer
	// The data key and the key-encryption key the password derived, kept
	// while signed in so that a security change re-wraps the key slot
	// without Argon2id; gen is the generation the slot carried when the
	// password opened it (legacy: a format-1 slot, without one). Written
	// only under an exclusive hold of mu.
	key    []byte
	kek    *vault.KEK
	gen    uint64
	legacy bool

	reads atomic.Int64 // batches of file chunks read, for dropMapping
}

// ID is the account's random identifier (also its file's name).
func (a *Account) ID() string { return a.id }

// Store is the data folder the account lives in.
func (a *Account) Store() *Store { return a.store }

func (a *Account) unlock(dataKey []byte) error {
	s, err := vault.NewSealer(dataKey)
	if err != nil {
		return err
	}
	a.sealer = s
	return nil
}

// Close closes the account's file; the account object is unusable after.
func (a *Account) Close() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.db == nil {
		return nil
	}
	// Edited and deleted records leave their old sealed bytes on freed
	// pages; signing out clears them, so they do not outlive the session.
	_, serr := scrubFreePages(a.db)
	err := a.db.Close()
	if err == nil && serr != nil {
		err = serr
	}
	a.forget()
	return err
}

// abandon closes the file of a sign-in that failed, before anyone else could
// see the account, and wipes its keys. Unlike Close it leaves the file's
// pages alone: the file may be damaged or altered, and is left as it was
// found for whoever restores it.
func (a *Account) abandon() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.db != nil {
		a.db.Close()
	}
	a.forget()
}

// forget drops the file and wipes the keys; the caller holds mu exclusively.
func (a *Account) forget() {
	for i := range a.key {
		a.key[i] = 0
	}
	a.kek.Wipe()
	a.db, a.sealer, a.key, a.kek = nil, nil, nil, nil
	a.store.unregister(a)
}

// view and update run a transaction on the open file.
func (a *Account) view(fn func(*bolt.Tx) error) error {
	a.mu.RLock()
	defer a.mu.RUnlock()
	if a.db == nil {
		return ErrClosed
	}
	return view(a.db, fn)
}

func (a *Account) update(fn func(*bolt.Tx) error) error {
	a.mu.RLock()
	defer a.mu.RUnlock()
	if a.db == nil {
		return ErrClosed
	}
	if err := update(a.db, fn); err != nil {
		return diskHint(err)
	}
	return nil
}

// recordAD binds a sealed value to its bucket and key.
func recordAD(bucket, key []byte) []byte {
	ad := make([]byte, 0, 4+len(bucket)+1+len(key))
	ad = append(ad, "rec"...)
	ad = append(ad, bucket...)
	ad = append(ad, 0)
	return append(ad, key...)
}

func (a *Account) putSealed(tx *bolt.Tx, bucket, key []byte, v any) error {
	return a.putSealedAD(tx, bucket, key, recordAD(bucket, key), v)
}

// putSealedAD seals v under additional data ad (which names its place).
func (a *Account) putSealedAD(tx *bolt.Tx, bucket, key, ad []byte, v any) error {
	plain, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", bucket, err)
	}
	b := tx.Bucket(bucket)
	if b == nil {
		return ErrCorruptFile
	}
	return b.Put(key, a.sealer.Seal(nil, plain, ad))
}

func (a *Account) getSealed(tx *bolt.Tx, bucket, key []byte, v any) error {
	b := tx.Bucket(bucket)
	if b == nil {
		return ErrCorruptFile
	}
	sealed := b.Get(key)
	if sealed == nil {
		return ErrNotFound
	}
	return a.open(bucket, key, sealed, v)
}

func (a *Account) open(bucket, key, sealed []byte, v any) error {
	plain, err := a.sealer.Open(nil, sealed, recordAD(bucket, key))
	if err != nil {
		return fmt.Errorf("%s item: %w", bucket, err)
	}
	if err := json.Unmarshal(plain, v); err != nil {
		return fmt.Errorf("%s item: %w", bucket, vault.ErrCorrupt)
	}
	return nil
}

// recordKey is where a record lives in its bucket. Messages are keyed by
// thread first so that one thread's messages are read in order by a seek.
func recordKey(r Record) []byte {
	if m, ok := r.(*Message); ok {
		return messageKey(m.ThreadID, m.ID)
	}
	return be64(r.RecordID())
}

func messageKey(thread, id uint64) []byte {
	return binary.BigEndian.AppendUint64(be64(thread), id)
}

func be64(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

// Profile returns the account's profile.
func (a *Account) Profile() (Profile, error) {
	var p Profile
	err := a.view(func(tx *bolt.Tx) error { return a.getSealed(tx, bProfile, kRecord, &p) })
	return p, err
}

// SaveProfile validates and stores the profile. A changed email also changes
// the sign-in name, so it must not belong to another account on this machine.
func (a *Account) SaveProfile(p Profile) error {
	e, err := NormalizeEmail(p.Email)
	if err != nil {
		return err
	}
	p.Email = e
	if err := p.Validate(); err != nil {
		return err
	}
	old, err := a.Profile()
	if err != nil {
		return err
	}
	p.Created = old.Created
	var lookup []byte
	if e != old.Email {
		if id, err := a.store.find(e); err == nil && id != a.file {
			return problem(FieldEmail, "another account on this computer already signs in with this email", nil)
		}
		salt := make([]byte, 16)
		if _, err := io.ReadFull(randReader, salt); err != nil {
			return err
		}
		lookup = append(salt, emailLookup(e, salt, a.store.opt.LookupKDF)...)
	}
	return a.update(func(tx *bolt.Tx) error {
		if lookup != nil {
			if err := tx.Bucket(bHeader).Put(kLookup, lookup); err != nil {
				return err
			}
		}
		return a.putSealed(tx, bProfile, kRecord, &p)
	})
}

// Tx is a transaction over the account's records.
type Tx struct {
	a       *Account
	tx      *bolt.Tx
	deleted bool // a record was deleted: clear the freed pages after commit
}

// View runs fn in a read-only transaction.
func (a *Account) View(fn func(*Tx) error) error {
	return a.view(func(tx *bolt.Tx) error { return fn(&Tx{a: a, tx: tx}) })
}

// Update runs fn in a read-write transaction; an error rolls everything back.
// When fn deleted anything, the freed pages are cleared after the commit, so
// that what was deleted cannot be decrypted from the file any more.
func (a *Account) Update(fn func(*Tx) error) error {
	deleted := false
	err := a.update(func(tx *bolt.Tx) error {
		t := &Tx{a: a, tx: tx}
		err := fn(t)
		deleted = t.deleted
		return err
	})
	if err == nil && deleted {
		err = a.scrub()
	}
	return err
}

func (t *Tx) bucket(k Kind) (*bolt.Bucket, error) {
	b := t.tx.Bucket([]byte(k))
	if b == nil {
		return nil, fmt.Errorf("%s: %w", k, ErrCorruptFile)
	}
	return b, nil
}

// Put validates and stores r, giving it a new ID when it has none.
func (t *Tx) Put(r Record) error {
	if err := r.Validate(); err != nil {
		return err
	}
	b, err := t.bucket(r.Kind())
	if err != nil {
		return err
	}
	if r.RecordID() == 0 {
		id, err := b.NextSequence()
		if err != nil {
			return err
		}
		r.setID(id)
	} else if r.RecordID() > b.Sequence() {
		if err := b.SetSequence(r.RecordID()); err != nil {
			return err
		}
	}
	return t.a.putSealed(t.tx, []byte(r.Kind()), recordKey(r), r)
}

// Get loads the record of r's kind with the given ID into r.
func (t *Tx) Get(id uint64, r Record) error {
	if m, ok := r.(*Message); ok {
		return t.getMessage(id, m)
	}
	return t.a.getSealed(t.tx, []byte(r.Kind()), be64(id), r)
}

func (t *Tx) getMessage(id uint64, m *Message) error {
	// A message's key starts with its thread; without it, scan the keys.
	b, err := t.bucket(KindMessages)
	if err != nil {
		return err
	}
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if len(k) == 16 && binary.BigEndian.Uint64(k[8:]) == id {
			return t.a.open([]byte(KindMessages), k, v, m)
		}
	}
	return ErrNotFound
}

// Delete removes r (found by its kind and ID).
func (t *Tx) Delete(r Record) error {
	b, err := t.bucket(r.Kind())
	if err != nil {
		return err
	}
	key := recordKey(r)
	if b.Get(key) == nil {
		return ErrNotFound
	}
	if f, ok := r.(*File); ok {
		if err := deleteChunks(t.tx, f.ID); err != nil {
			return err
		}
	}
	t.deleted = true
	return b.Delete(key)
}

// Count says how many records of kind k there are.
func (t *Tx) Count(k Kind) (int, error) {
	b, err := t.bucket(k)
	if err != nil {
		return 0, err
	}
	return b.Stats().KeyN, nil
}

// Each calls fn with every record of kind k in key order, decoding into a
// fresh value made by newRec. An error from fn ends the walk and is returned.
func (t *Tx) each(k Kind, prefix []byte, newRec func() Record, fn func(Record) error) error {
	b, err := t.bucket(k)
	if err != nil {
		return err
	}
	c := b.Cursor()
	for key, v := c.Seek(prefix); key != nil && bytes.HasPrefix(key, prefix); key, v = c.Next() {
		r := newRec()
		if err := t.a.open([]byte(k), key, v, r); err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// Keys returns the IDs of kind k in stored order without decrypting anything,
// so a list of 100,000 rows can show its length at once and load rows lazily.
func (t *Tx) Keys(k Kind) ([]uint64, error) {
	b, err := t.bucket(k)
	if err != nil {
		return nil, err
	}
	ids := make([]uint64, 0, b.Stats().KeyN)
	c := b.Cursor()
	for key, _ := c.First(); key != nil; key, _ = c.Next() {
		if len(key) < 8 {
			return nil, fmt.Errorf("%s: %w", k, ErrCorruptFile) // every key this store writes ends in an ID
		}
		ids = append(ids, binary.BigEndian.Uint64(key[len(key)-8:]))
	}
	return ids, nil
}

// Each walks every record of type T in stored order.
func Each[T any, P interface {
	*T
	Record
}](t *Tx, fn func(*T) error) error {
	var zero T
	return t.each(P(&zero).Kind(), nil, func() Record { return P(new(T)) }, func(r Record) error {
		return fn((*T)(r.(P)))
	})
}

// List returns every record of type T in stored order. Use Each for kinds
// that can be large (messages).
func List[T any, P interface {
	*T
	Record
}](a *Account) ([]T, error) {
	var out []T
	err := a.View(func(tx *Tx) error {
		return Each[T, P](tx, func(r *T) error { out = append(out, *r); return nil })
	})
	return out, err
}

// Get loads one record of type T by ID.
func Get[T any, P interface {
	*T
	Record
}](a *Account, id uint64) (T, error) {
	var r T
	err := a.View(func(tx *Tx) error { return tx.Get(id, P(&r)) })
	return r, err
}

// ThreadMessages walks one thread's messages in order.
func (t *Tx) ThreadMessages(thread uint64, fn func(*Message) error) error {
	return t.each(KindMessages, be64(thread), func() Record { return new(Message) }, func(r Record) error {
		return fn(r.(*Message))
	})
}

// MessageKeys returns the thread and message IDs of every message, in order,
// without decrypting; pair with MessageAt to load rows lazily.
func (t *Tx) MessageKeys() ([][2]uint64, error) {
	b, err := t.bucket(KindMessages)
	if err != nil {
		return nil, err
	}
	out := make([][2]uint64, 0, b.Stats().KeyN)
	c := b.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		if len(k) == 16 {
			out = append(out, [2]uint64{binary.BigEndian.Uint64(k), binary.BigEndian.Uint64(k[8:])})
		}
	}
	return out, nil
}

// MessageAt loads the message stored under thread and id.
func (t *Tx) MessageAt(thread, id uint64) (Message, error) {
	var m Message
	err := t.a.getSealed(t.tx, []byte(KindMessages), messageKey(thread, id), &m)
	return m, err
}

// Counts returns how many records of each kind the account holds.
func (a *Account) Counts() (Counts, error) {
	c := Counts{}
	err := a.View(func(tx *Tx) error {
		for _, k := range Kinds {
			n, err := tx.Count(k)
			if err != nil {
				return err
			}
			c[k] = n
		}
		return nil
	})
	return c, err
}

// Put stores one record in its own transaction.
func (a *Account) Put(r Record) error {
	return a.Update(func(tx *Tx) error { return tx.Put(r) })
}

// Check walks every record and file chunk and opens it, reporting the first
// one that fails its integrity check. It proves the whole file is readable.
func (a *Account) Check() error {
	return a.view(func(tx *bolt.Tx) error {
		if _, err := readHeader(tx); err != nil {
			return err
		}
		var scratch json.RawMessage
		for _, name := range append([][]byte{bSecurity, bProfile}, kindBuckets()...) {
			b := tx.Bucket(name)
			if b == nil {
				return fmt.Errorf("%s: %w", name, ErrCorruptFile)
			}
			err := b.ForEach(func(k, v []byte) error {
				if bytes.Equal(name, bSecurity) && bytes.Equal(k, kRecord) {
					_, err := a.readSecurity(tx)
					return err
				}
				return a.open(name, k, v, &scratch)
			})
			if err != nil {
				return err
			}
		}
		return checkChunks(tx, a.sealer)
	})
}
