// Package vault holds Offboard's key hierarchy: a password-derived key that
// wraps a random data key, and the sealing of records and file chunks with it.
//
// Nothing here touches the disk; the store decides where sealed bytes live.
package vault

import (
	"bytes"
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
	Params  Params
	Salt    [16]byte
	Nonce   [chacha20poly1305.NonceSizeX]byte
	Wrapped []byte // sealed data key
}

// Wrap seals dataKey under a key derived from password. The additional data
// binds the slot to its account so a slot copied from another account fails.
func Wrap(password, dataKey, ad []byte, p Params) (*KeySlot, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	if len(dataKey) != KeySize {
		return nil, fmt.Errorf("vault: data key must be %d bytes", KeySize)
	}
	s := &KeySlot{Params: p}
	if _, err := rand.Read(s.Salt[:]); err != nil {
		return nil, fmt.Errorf("vault: random salt: %w", err)
	}
	if _, err := rand.Read(s.Nonce[:]); err != nil {
		return nil, fmt.Errorf("vault: random nonce: %w", err)
	}
	kek := s.kek(password)
	defer wipe(kek)
	aead, _ := chacha20poly1305.NewX(kek)
	s.Wrapped = aead.Seal(nil, s.Nonce[:], dataKey, slotAD(ad, p))
	return s, nil
}

// Unwrap derives the key-encryption key from password and opens the data key.
func (s *KeySlot) Unwrap(password, ad []byte) ([]byte, error) {
	if err := s.Params.check(); err != nil {
		return nil, err
	}
	kek := s.kek(password)
	defer wipe(kek)
	aead, _ := chacha20poly1305.NewX(kek)
	k, err := aead.Open(nil, s.Nonce[:], s.Wrapped, slotAD(ad, s.Params))
	if err != nil {
		return nil, ErrWrongPassword
	}
	return k, nil
}

func (s *KeySlot) kek(password []byte) []byte {
	return argon2.IDKey(password, s.Salt[:], s.Params.Time, s.Params.MemoryKiB, s.Params.Threads, KeySize)
}

// slotAD covers the parameters too, so lowering them in the file is detected.
func slotAD(ad []byte, p Params) []byte {
	b := make([]byte, 0, len(ad)+16)
	b = append(b, "offboard-keyslot-v1"...)
	b = binary.BigEndian.AppendUint32(b, p.Time)
	b = binary.BigEndian.AppendUint32(b, p.MemoryKiB)
	b = append(b, p.Threads)
	return append(b, ad...)
}

const slotMagic = "OBK1"

// MarshalBinary encodes the slot: magic ‖ t ‖ m ‖ p ‖ salt ‖ nonce ‖ len ‖ wrapped.
func (s *KeySlot) MarshalBinary() ([]byte, error) {
	b := make([]byte, 0, 64+len(s.Wrapped))
	b = append(b, slotMagic...)
	b = binary.BigEndian.AppendUint32(b, s.Params.Time)
	b = binary.BigEndian.AppendUint32(b, s.Params.MemoryKiB)
	b = append(b, s.Params.Threads)
	b = append(b, s.Salt[:]...)
	b = append(b, s.Nonce[:]...)
	b = binary.BigEndian.AppendUint16(b, uint16(len(s.Wrapped)))
	return append(b, s.Wrapped...), nil
}

// UnmarshalBinary decodes a slot written by MarshalBinary.
func (s *KeySlot) UnmarshalBinary(b []byte) error {
	const head = len(slotMagic) + 4 + 4 + 1 + 16 + chacha20poly1305.NonceSizeX + 2
	if len(b) < head || string(b[:len(slotMagic)]) != slotMagic {
		return fmt.Errorf("key slot is not readable: %w", ErrCorrupt)
	}
	p := b[len(slotMagic):]
	var out KeySlot
	out.Params.Time = binary.BigEndian.Uint32(p)
	out.Params.MemoryKiB = binary.BigEndian.Uint32(p[4:])
	out.Params.Threads = p[8]
	p = p[9:]
	copy(out.Salt[:], p)
	p = p[16:]
	copy(out.Nonce[:], p)
	p = p[chacha20poly1305.NonceSizeX:]
	n := int(binary.BigEndian.Uint16(p))
	p = p[2:]
	if n != len(p) || n != KeySize+chacha20poly1305.Overhead {
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
	const size = len(slotMagic) + 4 + 4 + 1 + 16 + chacha20poly1305.NonceSizeX + 2 + KeySize + chacha20poly1305.Overhead
	var out []SlotAt
	for off := 0; ; {
		i := bytes.Index(data[off:], []byte(slotMagic))
		if i < 0 {
			return out
		}
		off += i
		var s KeySlot
		if off+size <= len(data) && s.UnmarshalBinary(data[off:off+size]) == nil {
			out = append(out, SlotAt{Offset: int64(off), Slot: s})
		}
		off++
	}
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
