package account

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/crypto/bcrypt"

	"offboard/account/vault"
)

var randReader = rand.Reader

// ErrWrongPassword means the password did not match.
var ErrWrongPassword = errors.New("the password is not right; check it and try again")

// ErrWrongCode means the two-factor or recovery code did not match, or was used before.
var ErrWrongCode = errors.New("the code is not right or was already used; enter the current code from your authenticator app")

// ErrCodeRequired means the password was right and two-factor is on.
var ErrCodeRequired = errors.New("enter the 6-digit code from your authenticator app, or a recovery code")

// provePassword checks the password against both the bcrypt verifier and
// the key slot, and returns the data key and the key-encryption key. The
// verifier alone is not authenticated: rewriting its 60 bytes in the file
// would let another password through, so the key slot, which only the right
// password opens, is the proof. Both checks always run, so that when they disagree the file
// is known to be damaged rather than the password wrong. They run side by
// side: bcrypt is one core's work, and Argon2id spreads over the others,
// so a sign-in waits for about the longer of the two rather than their sum.
func provePassword(h *header, password string) ([]byte, *vault.KEK, error) {
	if err := checkPasswordLength(password); err != nil {
		return nil, nil, err
	}
	bcrypted := make(chan error, 1)
	go func() { bcrypted <- verifyPassword(h, password) }()
	key, kek, kerr := h.slot.Open([]byte(password), []byte(h.id))
	perr := <-bcrypted
	switch {
	case perr == nil && kerr == nil:
		return key, kek, nil
	case errors.Is(perr, ErrWrongPassword) && errors.Is(kerr, vault.ErrWrongPassword):
		return nil, nil, ErrWrongPassword
	case kerr == nil:
		kek.Wipe()
		return nil, nil, fmt.Errorf("the password verifier does not match the account's key: %w", ErrCorruptFile)
	case errors.Is(kerr, vault.ErrWrongPassword):
		// The verifier says yes, the key slot no: the verifier was altered
		// (or the slot replaced). Counted like a wrong password.
		return nil, nil, errKeyRefused
	default:
		return nil, nil, fmt.Errorf("the account's key does not open: %w", ErrCorruptFile)
	}
}

// errKeyRefused means the bcrypt verifier accepted a password that the key
// slot refuses: the file was altered or damaged.
var errKeyRefused = fmt.Errorf("the password verifier does not match the account's key, so the password is refused: %w", ErrCorruptFile)

// verifyPassword checks password, of a length already checked, against
// the bcrypt verifier.
func verifyPassword(h *header, password string) error {
	if bcrypt.CompareHashAndPassword(h.verifier, []byte(password)) != nil {
		return ErrWrongPassword
	}
	return nil
}

// SignIn is a sign-in whose password was right; Complete finishes it.
type SignIn struct {
	store   *Store
	acct    *Account
	needs2F bool
}

// NeedsCode says whether a two-factor or recovery code is still required.
func (s *SignIn) NeedsCode() bool { return s.needs2F }

// Complete returns the signed-in account, checking code when two-factor is on.
// A wrong code is throttled on its own counter, which a right password does
// not clear, and may be retried.
func (s *SignIn) Complete(code string) (*Account, error) {
	if s.acct == nil {
		return nil, ErrClosed
	}
	if s.needs2F {
		if strings.TrimSpace(code) == "" {
			return nil, ErrCodeRequired
		}
		if err := s.acct.CheckCode(code); err != nil {
			return nil, err
		}
	}
	a := s.acct
	s.acct = nil
	return a, nil
}

// Cancel abandons the sign-in and closes the account file.
func (s *SignIn) Cancel() {
	if s.acct != nil {
		s.acct.Close()
		s.acct = nil
	}
}

// SignIn checks email and password. Wrong passwords are throttled per account.
// It is slow on purpose (bcrypt and Argon2id): call it off the UI goroutine.
func (s *Store) SignIn(email, password string) (*SignIn, error) {
	e, err := NormalizeEmail(email)
	if err != nil {
		return nil, err
	}
	if err := checkPasswordLength(password); err != nil {
		return nil, err
	}
	id, err := s.find(e)
	if err != nil {
		return nil, err
	}
	// The lookup's Argon2id left 19 MiB of garbage per account file; collect
	// it and return it to the system before the key slot's Argon2id takes
	// 64 MiB at once, so that the two never add up in the peak memory.
	s.freeKDFMemory()
	return s.unlock(id, password)
}

func (s *Store) unlock(id, password string) (*SignIn, error) {
	s.mu.Lock()
	_, busy := s.open[id]
	s.mu.Unlock()
	if busy {
		return nil, errors.New("this account is already signed in; switch to it instead")
	}
	db, err := openDB(s.accountPath(id))
	if err != nil {
		return nil, err
	}
	a := &Account{store: s, file: id, path: s.accountPath(id), db: db}
	err = throttled(db, s.now(), func(h *header) error {
		a.id = h.id
		key, kek, err := provePassword(h, password)
		if err != nil {
			return err
		}
		a.key, a.kek, a.gen, a.legacy = key, kek, h.slot.Generation, h.slot.Version == 1
		return a.unlock(key)
	}, ErrWrongPassword, errKeyRefused)
	// Argon2id's 64 MiB are garbage now; return them to the system before
	// the account's work (an export, the workspace) starts allocating.
	s.freeKDFMemory()
	if err != nil {
		a.abandon()
		return nil, err
	}
	if a.legacy {
		// A file of Offboard 0.1: its security record is sealed without a
		// generation. Seal it, and wrap the key slot, at the first one now,
		// so that from this sign-in on an older record put back is refused.
		if err := a.updateSecurity(nil, func(*bolt.Tx, *security) (bool, error) { return true, nil }); err != nil {
			a.abandon()
			if errors.Is(err, ErrCorruptFile) {
				return nil, err // its own sentence says what to do
			}
			return nil, fmt.Errorf("update the account file to this version's format: %w", err)
		}
	}
	sec, err := a.security()
	if err != nil {
		a.abandon()
		return nil, err
	}
	s.register(a)
	if err := a.cleanPendingExport(); err != nil {
		a.Close()
		return nil, err
	}
	return &SignIn{store: s, acct: a, needs2F: sec.TOTPSecret != ""}, nil
}

// security is the sealed record of second-factor secrets, with the code's
// throttle. It is sealed at the key slot's generation (securityAD).
type security struct {
	TOTPSecret    string     `json:"totp_secret,omitempty"`
	LastStep      uint64     `json:"last_step,omitempty"`
	RecoverySalt  []byte     `json:"recovery_salt,omitempty"`
	RecoveryCodes [][]byte   `json:"recovery_codes,omitempty"` // SHA-256(salt ‖ code); nil once used
	Enabled       *time.Time `json:"enabled,omitempty"`
	// Wrong two-factor and recovery codes in a row, and the end of the wait
	// they earned (Unix nanoseconds): here rather than in the header, so
	// that an older count cannot be put back without the record failing.
	CodeFailures uint32 `json:"code_failures,omitempty"`
	CodeUntil    int64  `json:"code_until,omitempty"`
}

func (s *security) codeThrottle() throttle {
	t := throttle{failures: s.CodeFailures}
	if s.CodeUntil > 0 {
		t.until = time.Unix(0, s.CodeUntil)
	}
	return t
}

func (s *security) setCodeThrottle(t throttle) {
	s.CodeFailures, s.CodeUntil = t.failures, 0
	if !t.until.IsZero() {
		s.CodeUntil = t.until.UnixNano()
	}
}

// ErrAltered means the account file's security record is not the one its
// key slot was last wrapped with: an older copy of one of them was put back
// into the file, or the file is damaged. errors.Is(err, ErrCorruptFile)
// holds for it too.
var ErrAltered error = alteredError{}

type alteredError struct{}

func (alteredError) Error() string {
	return "the account file was altered: its two-factor record does not match its key (an older copy of part of the file was put back, or the file is damaged); restore the account file from a backup"
}

func (alteredError) Is(target error) bool { return target == ErrCorruptFile }

// securityAD is the security record's additional data: its place and, from
// format 2 on, the generation the key slot carries. A record sealed at
// another generation — an older one, spliced in — does not open.
func securityAD(gen uint64, legacy bool) []byte {
	ad := recordAD(bSecurity, kRecord)
	if legacy {
		return ad
	}
	ad = append(ad, "\x00gen"...)
	return binary.BigEndian.AppendUint64(ad, gen)
}

// readSecurity opens the security record at the generation this session
// authenticated when it opened the key slot. The slot in the file must
// still carry it: a slot put back from an older file, whose password may be
// known, does not make an older record open either.
func (a *Account) readSecurity(tx *bolt.Tx) (security, error) {
	var s security
	h, err := readHeader(tx)
	if err != nil {
		return s, err
	}
	if h.slot.Generation != a.gen || (h.slot.Version == 1) != a.legacy {
		return s, ErrAltered
	}
	b := tx.Bucket(bSecurity)
	if b == nil {
		return s, ErrCorruptFile
	}
	sealed := b.Get(kRecord)
	if sealed == nil {
		return s, ErrAltered
	}
	plain, err := a.sealer.Open(nil, sealed, securityAD(a.gen, a.legacy))
	if err != nil {
		return s, ErrAltered
	}
	if err := json.Unmarshal(plain, &s); err != nil {
		return s, fmt.Errorf("%s item: %w", bSecurity, vault.ErrCorrupt)
	}
	if a.legacy {
		s.setCodeThrottle(h.codeThrottle) // 0.1 kept it in the header
	}
	return s, nil
}

// sealSecurity writes s sealed at generation gen.
func (a *Account) sealSecurity(tx *bolt.Tx, s *security, gen uint64) error {
	return a.putSealedAD(tx, bSecurity, kRecord, securityAD(gen, false), s)
}

// updateSecurity is every change of the security state. It runs change on
// the record; when change reports a change, the record is sealed and the key
// slot re-wrapped (by kek, or by the session's key-encryption key when kek
// is nil: no Argon2id) at the next generation, in one transaction, so that a
// crash leaves both old or both new. Then the freed pages, which hold the
// previous pair, are zeroed. It holds the account exclusively, so that no
// reader sees one generation's record while the session expects another.
// kek, when given, replaces the session's once committed, and is wiped if
// the change fails.
func (a *Account) updateSecurity(kek *vault.KEK, change func(*bolt.Tx, *security) (bool, error)) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	fresh := kek != nil
	if a.db == nil {
		kek.Wipe()
		return ErrClosed
	}
	if !fresh {
		kek = a.kek
	}
	gen, changed := a.gen+1, false
	err := update(a.db, func(tx *bolt.Tx) error {
		s, err := a.readSecurity(tx)
		if err != nil {
			return err
		}
		if changed, err = change(tx, &s); err != nil || !changed {
			return err
		}
		slot, err := kek.Wrap(a.key, []byte(a.id), gen)
		if err != nil {
			return err
		}
		slotBytes, _ := slot.MarshalBinary()
		h := tx.Bucket(bHeader)
		if err := h.Put(kSlot, slotBytes); err != nil {
			return err
		}
		if a.legacy {
			if err := h.Put(kFormat, []byte{fileFormat}); err != nil {
				return err
			}
			if err := h.Delete(kCodeThrottle); err != nil {
				return err
			}
		}
		return a.sealSecurity(tx, &s, gen)
	})
	if err != nil || !changed {
		if fresh {
			kek.Wipe()
		}
		return diskHint(err)
	}
	a.gen, a.legacy = gen, false
	if fresh {
		a.kek.Wipe()
		a.kek = kek
	}
	_, err = scrubFreePages(a.db)
	return err
}

func (a *Account) security() (security, error) {
	var s security
	err := a.view(func(tx *bolt.Tx) error {
		var err error
		s, err = a.readSecurity(tx)
		return err
	})
	return s, err
}

// CheckPassword proves the password as sign-in does (the bcrypt verifier and
// the key slot both), throttled like sign-in. It is slow on purpose.
func (a *Account) CheckPassword(password string) error {
	a.mu.RLock()
	defer a.mu.RUnlock()
	if a.db == nil {
		return ErrClosed
	}
	defer a.store.freeKDFMemory() // Argon2id's memory, as after sign-in
	return throttled(a.db, a.store.now(), func(h *header) error {
		_, kek, err := provePassword(h, password)
		kek.Wipe()
		return err
	}, ErrWrongPassword, errKeyRefused)
}

// ChangePassword checks the old password and re-wraps the data key under the
// new one. The data itself is not re-encrypted: only the key slot changes.
// It is a security change too: the new slot carries the next generation, so
// the old slot put back (which the old password opens) meets a record of
// another generation and is refused.
func (a *Account) ChangePassword(oldPassword, newPassword string) error {
	if err := a.CheckPassword(oldPassword); err != nil {
		return err
	}
	p, err := a.Profile()
	if err != nil {
		return err
	}
	if err := CheckNewPassword(newPassword, p.Email); err != nil {
		return err
	}
	verifier, err := bcrypt.GenerateFromPassword([]byte(newPassword), a.store.opt.BcryptCost)
	if err != nil {
		return fmt.Errorf("hash the password: %w", err)
	}
	kek, err := vault.NewKEK([]byte(newPassword), a.store.opt.KDF)
	if err != nil {
		return err
	}
	// Slot and verifier change in one transaction, so a crash leaves either
	// the old password working or the new one, never a mix. The old slot
	// (and every older copy, left by earlier rewrites of the header) sits on
	// freed pages, which updateSecurity zeroes: the old password then opens
	// nothing anywhere in the file.
	return a.updateSecurity(kek, func(tx *bolt.Tx, _ *security) (bool, error) {
		return true, tx.Bucket(bHeader).Put(kVerifier, verifier)
	})
}
