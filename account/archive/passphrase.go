package archive

import (
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strconv"

	"filippo.io/age"
	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/scrypt"
)

// ageScryptWorkFactor is the scrypt cost (log2) that age gives a passphrase
// unless told otherwise (age.NewScryptRecipient), and Offboard's.
const ageScryptWorkFactor = 18

// scryptLabel is what age puts before the salt of a passphrase's scrypt.
const scryptLabel = "age-encryption.org/v1/scrypt"

// passphraseRecipient wraps an export's file key with its passphrase: the
// "scrypt" stanza of age's format (age-encryption.org/v1), the stanza
// age.NewScryptRecipient makes. It is made here only so that the key
// scrypt derives is kept: after the export is written, the header read
// back from the disk is opened with that key (opensWithKeptKey) instead of
// running scrypt, the slowest step of an export, a second time. Tests
// prove that what it makes opens with age's own ScryptIdentity.
type passphraseRecipient struct {
	passphrase []byte
	workFactor int

	// Set by Wrap.
	fileKey []byte
	salt    []byte
	key     []byte // scrypt's output
}

func newPassphraseRecipient(passphrase string, workFactor int) *passphraseRecipient {
	if workFactor == 0 {
		workFactor = ageScryptWorkFactor
	}
	return &passphraseRecipient{passphrase: []byte(passphrase), workFactor: workFactor}
}

// Wrap makes the stanza for fileKey, as age's scrypt recipient does: a
// fresh 16-byte salt, scrypt(passphrase, label‖salt, 2^workFactor, 8, 1)
// as a ChaCha20-Poly1305 key, the file key sealed under it with a zero
// nonce (each key seals once).
func (r *passphraseRecipient) Wrap(fileKey []byte) ([]*age.Stanza, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return nil, err
	}
	key, err := scrypt.Key(r.passphrase, append([]byte(scryptLabel), salt...), 1<<r.workFactor, 8, 1, chacha20poly1305.KeySize)
	if err != nil {
		return nil, fmt.Errorf("derive a key from the passphrase: %w", err)
	}
	aead, err := chacha20poly1305.New(key)
	if err != nil {
		return nil, err
	}
	// A zero nonce, as age's format has it: the key is derived with a
	// fresh salt and seals this one message only.
	body := aead.Seal(nil, make([]byte, chacha20poly1305.NonceSize), fileKey, nil) // #nosec G407 -- single-use key, per age's format
	r.fileKey, r.salt, r.key = bytes.Clone(fileKey), salt, key
	return []*age.Stanza{{
		Type: "scrypt",
		Args: []string{base64.RawStdEncoding.EncodeToString(salt), strconv.Itoa(r.workFactor)},
		Body: body,
	}}, nil
}

// WrapWithLabels is Wrap for age.Encrypt. A random label, as age gives its
// own scrypt recipient, keeps a passphrase-protected file from gaining
// other recipients.
func (r *passphraseRecipient) WrapWithLabels(fileKey []byte) ([]*age.Stanza, []string, error) {
	stanzas, err := r.Wrap(fileKey)
	if err != nil {
		return nil, nil, err
	}
	label := make([]byte, 16)
	if _, err := rand.Read(label); err != nil {
		return nil, nil, err
	}
	return stanzas, []string{hex.EncodeToString(label)}, nil
}

// keptKey is the age identity that opens what r wrapped, with the key r
// kept: the header must hold that one stanza, with the same salt and cost.
type keptKey struct{ r *passphraseRecipient }

func (k keptKey) Unwrap(stanzas []*age.Stanza) ([]byte, error) {
	r := k.r
	if len(stanzas) != 1 {
		return nil, age.ErrIncorrectIdentity
	}
	s := stanzas[0]
	if s.Type != "scrypt" || len(s.Args) != 2 || r.key == nil ||
		s.Args[0] != base64.RawStdEncoding.EncodeToString(r.salt) || s.Args[1] != strconv.Itoa(r.workFactor) {
		return nil, age.ErrIncorrectIdentity
	}
	aead, err := chacha20poly1305.New(r.key)
	if err != nil {
		return nil, err
	}
	fileKey, err := aead.Open(nil, make([]byte, chacha20poly1305.NonceSize), s.Body, nil)
	if err != nil {
		return nil, age.ErrIncorrectIdentity
	}
	return fileKey, nil
}

// opensWithKeptKey reports whether the export at path starts with a header
// that r, for passphrase, opens to the key its contents were written with:
// age parses the header read back from the disk, the kept key opens its
// stanza, and age checks the header's MAC with the file key.
func (r *passphraseRecipient) opensWithKeptKey(path, passphrase string) bool {
	if r == nil || r.key == nil || subtle.ConstantTimeCompare([]byte(passphrase), r.passphrase) != 1 {
		return false
	}
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	hdr, err := age.ExtractHeader(io.Reader(f))
	if err != nil {
		return false
	}
	fileKey, err := age.DecryptHeader(hdr, keptKey{r})
	return err == nil && subtle.ConstantTimeCompare(fileKey, r.fileKey) == 1
}
