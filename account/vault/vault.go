// Package vault holds Offboard's key hierarchy: a password-derived key that
// wraps a random data key, and the sealing of records and file chunks with it.
//
// Nothing here touches the disk; the store decides where sealed bytes live.
package vault

import (
	"bytes"
	"cmp"
	"crypto/cipher"
	"crypto/rand"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"
)

// KeySize is the size of a data key in bytes.
const KeySize = chacha20poly1305.KeySize

// sealVersion is the first byte of every sealed value, so a later format can be
// told apart from this one instead of failing as "corrupted".
const sealVersion byte = 1

// Overhead is how many bytes sealing adds to a plaintext.
const Overhead = 1 + chacha20poly1305.NonceSizeX + chacha20poly1305.Overhead

// ErrWrongPassword means the key slot did not open with the given password.
var ErrWrongPassword = errors.New("the password does not open this account")

// ErrCorrupt means sealed data failed authentication: it was changed, moved,
// truncated or damaged after it was written.
var ErrCorrupt = errors.New("stored data failed its integrity check: it was changed or damaged")

// Params are the Argon2id cost parameters; they are stored with each key slot
// so they can be raised later without locking anyone out.
type Params struct {
	Time      uint32 // passes
	MemoryKiB uint32
	Threads   uint8
}

// DefaultParams meet OWASP's Argon2id guidance (m ≥ 19 MiB, t ≥ 2) with margin.
var DefaultParams = Params{Time: 3, MemoryKiB: 64 * 1024, Threads: 4}

// limits keep a tampered key slot from asking for absurd work or memory.
const (
	maxTime      = 64
	maxMemoryKiB = 4 * 1024 * 1024
)

func (p Params) check() error {
	if p.Time < 1 || p.Time > maxTime || p.MemoryKiB < 8*uint32(p.Threads) || p.MemoryKiB > maxMemoryKiB || p.Threads < 1 {
		return fmt.Errorf("key slot: Argon2id parameters t=%d m=%dKiB p=%d are out of range: %w", p.Time, p.MemoryKiB, p.Threads, ErrCorrupt)
	}
	return nil
}

// NewDataKey returns a fresh random data key.
func NewDataKey() []byte {
	k := make([]byte, KeySize)
	if _, err := rand.Read(k); err != nil {
		panic("vault: the system random source failed: " + err.Error()) // crypto/rand never fails on supported systems
	}
	return k
}

// KeySlot is a data key wrapped by a password-derived key.
type KeySlot struct {
	Params Params
	Salt   [16]byte
	Nonce  [chacha20poly1305.NonceSizeX]byte
	// Version is 2 for slots with a generation, 1 for Offboard 0.1's,
	// which had none (they are read, never written).
	Version byte
	// Generation counts the changes of the account's security state. The
	// slot's additional data covers it, so only the key-encryption key can
	// set it; the security record is sealed under the same value, and a
	// record of another generation fails to open.
	Generation uint64
	Wrapped    []byte // sealed data key
}

// KEK is a key-encryption key: what a password derives under one key slot's
// salt and parameters. Kept while an account is signed in, it re-wraps the
// data key at a new generation without running Argon2id again.
type KEK struct {
	key    []byte
	params Params
	salt   [16]byte
}

// NewKEK derives a key-encryption key from password under a fresh salt.
func NewKEK(password []byte, p Params) (*KEK, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	k := &KEK{params: p}
	if _, err := rand.Read(k.salt[:]); err != nil {
		return nil, fmt.Errorf("vault: random salt: %w", err)
	}
	k.key = argon2.IDKey(password, k.salt[:], p.Time, p.MemoryKiB, p.Threads, KeySize)
	return k, nil
}

// Wrap seals dataKey into a new slot of this key's salt and parameters at
// generation gen, under a fresh nonce. The additional data binds the slot to
// its account (ad), its parameters and its generation.
func (k *KEK) Wrap(dataKey, ad []byte, gen uint64) (*KeySlot, error) {
	if k == nil || k.key == nil {
		return nil, errors.New("the account was signed out before the change was saved; sign in and try again")
	}
	if len(dataKey) != KeySize {
		return nil, fmt.Errorf("vault: data key must be %d bytes", KeySize)
	}
	s := &KeySlot{Params: k.params, Salt: k.salt, Version: 2, Generation: gen}
	if _, err := rand.Read(s.Nonce[:]); err != nil {
		return nil, fmt.Errorf("vault: random nonce: %w", err)
	}
	aead, _ := chacha20poly1305.NewX(k.key)
	s.Wrapped = aead.Seal(nil, s.Nonce[:], dataKey, s.ad(ad))
	return s, nil
}

// Wipe zeroes the key; Wrap fails afterwards. A nil KEK is already wiped.
func (k *KEK) Wipe() {
	if k != nil {
		wipe(k.key)
		k.key = nil
	}
}

// Wrap seals dataKey under a key derived from password, at generation 0.
// The additional data binds the slot to its account so a slot copied from
// another account fails.
func Wrap(password, dataKey, ad []byte, p Params) (*KeySlot, error) {
	k, err := NewKEK(password, p)
	if err != nil {
		return nil, err
	}
	defer k.Wipe()
	return k.Wrap(dataKey, ad, 0)
}

// Unwrap derives the key-encryption key from password and opens the data key.
func (s *KeySlot) Unwrap(password, ad []byte) ([]byte, error) {
	key, kek, err := s.Open(password, ad)
	kek.Wipe()
	return key, err
}

// Open derives the key-encryption key from password and opens the data key;
// it returns both, so that the caller can re-wrap the key later.
func (s *KeySlot) Open(password, ad []byte) (dataKey []byte, kek *KEK, err error) {
	if err := s.Params.check(); err != nil {
		return nil, nil, err
	}
	kek = &KEK{params: s.Params, salt: s.Salt}
	kek.key = argon2.IDKey(password, s.Salt[:], s.Params.Time, s.Params.MemoryKiB, s.Params.Threads, KeySize)
	aead, _ := chacha20poly1305.NewX(kek.key)
	k, err := aead.Open(nil, s.Nonce[:], s.Wrapped, s.ad(ad))
	if err != nil {
		kek.Wipe()
		return nil, nil, ErrWrongPassword
	}
	return k, kek, nil
}

// ad is the slot's additional data. It covers the parameters, so lowering
// them in the file is detected, and in version 2 the generation, so that it
// cannot be changed without the key-encryption key. A version-2 slot
// rewritten as a version-1 one fails too: the labels differ.
func (s *KeySlot) ad(ad []byte) []byte {
	b := make([]byte, 0, len(ad)+40)
	if s.Version == 1 {
		b = append(b, "offboard-keyslot-v1"...)
	} else {
		b = append(b, "offboard-keyslot-v2"...)
	}
	b = binary.BigEndian.AppendUint32(b, s.Params.Time)
	b = binary.BigEndian.AppendUint32(b, s.Params.MemoryKiB)
	b = append(b, s.Params.Threads)
	if s.Version != 1 {
		b = binary.BigEndian.AppendUint64(b, s.Generation)
	}
	return append(b, ad...)
}

// The two slot formats: Offboard 0.1's, without a generation, and the
// current one. Both are read; only the current one is written.
const (
	slotMagicV1 = "OBK1"
	slotMagic   = "OBK2"
	slotHeadV1  = len(slotMagic) + 4 + 4 + 1 + 16 + chacha20poly1305.NonceSizeX + 2
	slotHead    = slotHeadV1 + 8
	wrappedSize = KeySize + chacha20poly1305.Overhead
)

// MarshalBinary encodes the slot: magic ‖ t ‖ m ‖ p ‖ salt ‖ nonce ‖
// generation ‖ len ‖ wrapped (a version-1 slot: without the generation).
func (s *KeySlot) MarshalBinary() ([]byte, error) {
	b := make([]byte, 0, slotHead+len(s.Wrapped))
	if s.Version == 1 {
		b = append(b, slotMagicV1...)
	} else {
		b = append(b, slotMagic...)
	}
	b = binary.BigEndian.AppendUint32(b, s.Params.Time)
	b = binary.BigEndian.AppendUint32(b, s.Params.MemoryKiB)
	b = append(b, s.Params.Threads)
	b = append(b, s.Salt[:]...)
	b = append(b, s.Nonce[:]...)
	if s.Version != 1 {
		b = binary.BigEndian.AppendUint64(b, s.Generation)
	}
	b = binary.BigEndian.AppendUint16(b, uint16(len(s.Wrapped)))
	return append(b, s.Wrapped...), nil
}

// UnmarshalBinary decodes a slot written by MarshalBinary, or by Offboard 0.1.
func (s *KeySlot) UnmarshalBinary(b []byte) error {
	var out KeySlot
	switch {
	case len(b) >= slotHead && string(b[:len(slotMagic)]) == slotMagic:
		out.Version = 2
	case len(b) >= slotHeadV1 && string(b[:len(slotMagicV1)]) == slotMagicV1:
		out.Version = 1
	default:
		return fmt.Errorf("key slot is not readable: %w", ErrCorrupt)
	}
	p := b[len(slotMagic):]
	out.Params.Time = binary.BigEndian.Uint32(p)
	out.Params.MemoryKiB = binary.BigEndian.Uint32(p[4:])
	out.Params.Threads = p[8]
	p = p[9:]
	copy(out.Salt[:], p)
	p = p[16:]
	copy(out.Nonce[:], p)
	p = p[chacha20poly1305.NonceSizeX:]
	if out.Version == 2 {
		out.Generation = binary.BigEndian.Uint64(p)
		p = p[8:]
	}
	n := int(binary.BigEndian.Uint16(p))
	p = p[2:]
	if n != len(p) || n != wrappedSize {
		return fmt.Errorf("key slot has the wrong length: %w", ErrCorrupt)
	}
	if err := out.Params.check(); err != nil {
		return err
	}
	out.Wrapped = append([]byte(nil), p...)
	*s = out
	return nil
}

// Sealer seals and opens values with one data key.
type Sealer struct {
	aead cipher.AEAD
}

// NewSealer returns a sealer for a 32-byte data key.
func NewSealer(dataKey []byte) (*Sealer, error) {
	aead, err := chacha20poly1305.NewX(dataKey)
	if err != nil {
		return nil, fmt.Errorf("vault: %w", err)
	}
	return &Sealer{aead: aead}, nil
}

// Seal appends version ‖ random nonce ‖ ciphertext of plaintext to dst. The
// additional data names the value's place, so a moved value fails to open.
func (s *Sealer) Seal(dst, plaintext, ad []byte) []byte {
	dst = slices.Grow(dst, Overhead+len(plaintext))
	dst = append(dst, sealVersion)
	n := len(dst)
	dst = dst[:n+chacha20poly1305.NonceSizeX]
	if _, err := rand.Read(dst[n:]); err != nil {
		panic("vault: the system random source failed: " + err.Error())
	}
	nonce := dst[n:]
	return s.aead.Seal(dst, nonce, plaintext, ad)
}

// Open checks and decrypts a value produced by Seal, appending to dst.
func (s *Sealer) Open(dst, sealed, ad []byte) ([]byte, error) {
	if len(sealed) < Overhead {
		return nil, ErrCorrupt
	}
	if sealed[0] != sealVersion {
		return nil, fmt.Errorf("stored value has unknown format version %d (damaged, or written by a newer Offboard): %w", sealed[0], ErrCorrupt)
	}
	nonce := sealed[1 : 1+chacha20poly1305.NonceSizeX]
	out, err := s.aead.Open(dst, nonce, sealed[1+chacha20poly1305.NonceSizeX:], ad)
	if err != nil {
		return nil, ErrCorrupt
	}
	return out, nil
}

// ChunkSize is the plaintext size of every file chunk but the last.
const ChunkSize = 64 << 10

// ChunkAD is the additional data of one file chunk: the file's ID, the chunk's
// index and whether it is the last, so that reordering, swapping between files
// and truncation are all detected (the STREAM construction).
func ChunkAD(fileID []byte, index uint64, last bool) []byte {
	b := make([]byte, 0, len(fileID)+16)
	b = append(b, "chunk"...)
	b = append(b, fileID...)
	b = binary.BigEndian.AppendUint64(b, index)
	if last {
		return append(b, 1)
	}
	return append(b, 0)
}

// Equal compares secrets in constant time.
func Equal(a, b []byte) bool { return subtle.ConstantTimeCompare(a, b) == 1 }

func wipe(b []byte) {
	for i := range b {
		b[i] = 0
	}
}

// SlotAt is a key slot found in raw bytes, and where.
type SlotAt struct {
	Offset int64
	Slot   KeySlot
}

// ScanSlots finds every well-formed key slot in raw bytes (a whole file,
// read without a database), wherever it sits: on a live page, a freed one,
// or in a half-overwritten file. It is how Offboard proves that no stale or
// surviving copy of a key slot is left behind.
func ScanSlots(data []byte) []SlotAt {
	var out []SlotAt
	for _, f := range []struct {
		magic string
		size  int
	}{{slotMagicV1, slotHeadV1 + wrappedSize}, {slotMagic, slotHead + wrappedSize}} {
		for off := 0; ; off++ {
			i := bytes.Index(data[off:], []byte(f.magic))
			if i < 0 {
				break
			}
			off += i
			var s KeySlot
			if off+f.size <= len(data) && s.UnmarshalBinary(data[off:off+f.size]) == nil {
				out = append(out, SlotAt{Offset: int64(off), Slot: s})
			}
		}
	}
	slices.SortFunc(out, func(a, b SlotAt) int { return cmp.Compare(a.Offset, b.Offset) })
	return out
}

// SlotsOpening returns the offsets of the key slots in raw bytes that
// password opens with additional data ad: what a thief holding the bytes and
// the password would get. Offboard's tests use it to prove that a purge,
// however interrupted, and a password change leave no such slot behind.
func SlotsOpening(data, password, ad []byte) []int64 {
	var at []int64
	for _, s := range ScanSlots(data) {
		if _, err := s.Slot.Unwrap(password, ad); err == nil {
			at = append(at, s.Offset)
		}
	}
	return at
}
