package account

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime/debug"
	"strings"
	"time"
	"unicode"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	bolt "go.etcd.io/bbolt"
	"golang.org/x/crypto/bcrypt"

	"offboard/account/vault"
)

var randReader = rand.Reader

// MaxPasswordBytes is bcrypt's limit: it ignores anything past 72 bytes, so a
// longer password would silently be only partly checked.
const MaxPasswordBytes = 72

// MinPasswordBytes is the shortest password accepted.
const MinPasswordBytes = 8

// ErrWrongPassword means the password did not match.
var ErrWrongPassword = errors.New("the password is not right; check it and try again")

// ErrWrongCode means the two-factor or recovery code did not match, or was used before.
var ErrWrongCode = errors.New("the code is not right or was already used; enter the current code from your authenticator app")

// ErrCodeRequired means the password was right and two-factor is on.
var ErrCodeRequired = errors.New("enter the 6-digit code from your authenticator app, or a recovery code")

// ThrottledError means too many wrong attempts were made; wait before the next.
type ThrottledError struct {
	Wait time.Duration
}

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("too many wrong attempts; wait %s before trying again", roundWait(e.Wait))
}

func roundWait(d time.Duration) string {
	s := int(math.Ceil(d.Seconds()))
	switch {
	case s < 2:
		return "1 second"
	case s < 120:
		return fmt.Sprintf("%d seconds", s)
	default:
		return fmt.Sprintf("%d minutes", (s+59)/60)
	}
}

// The throttle lets freeAttempts wrong answers through, then doubles the wait
// after each further one, from baseDelay up to maxDelay. It never locks the
// owner out for good, and it is kept in the file so a restart does not reset it.
const (
	freeAttempts = 3
	baseDelay    = time.Second
	maxDelay     = 15 * time.Minute
)

type throttle struct {
	failures uint32
	until    time.Time
}

func (t *throttle) decode(b []byte) {
	if len(b) != 12 {
		*t = throttle{}
		return
	}
	t.failures = binary.BigEndian.Uint32(b)
	if ns := int64(binary.BigEndian.Uint64(b[4:])); ns > 0 {
		t.until = time.Unix(0, ns)
	}
}

func (t throttle) encode() []byte {
	b := binary.BigEndian.AppendUint32(nil, t.failures)
	var ns int64
	if !t.until.IsZero() {
		ns = t.until.UnixNano()
	}
	return binary.BigEndian.AppendUint64(b, uint64(ns))
}

// DelayAfter is the wait imposed after n consecutive wrong answers.
func DelayAfter(n uint32) time.Duration {
	if n <= freeAttempts {
		return 0
	}
	shift := n - freeAttempts - 1
	if shift > 20 {
		return maxDelay
	}
	return min(baseDelay<<shift, maxDelay)
}

// throttled runs check unless wrong passwords have earned a wait, and
// records the outcome on the password's counter, in the file's header: a
// failure (errWrong) extends the wait, a success clears it. The counter is
// written before any key is known, so it cannot be sealed; the two-factor
// code's own counter can, and lives in the sealed security record, which a
// right password never touches (see CheckCode).
func throttled(db *bolt.DB, now time.Time, check func(*header) error, errWrong ...error) error {
	var h *header
	err := view(db, func(tx *bolt.Tx) error {
		var err error
		h, err = readHeader(tx)
		return err
	})
	if err != nil {
		return err
	}
	current := h.throttle
	if wait := current.until.Sub(now); wait > 0 {
		// A clock set back must not extend the wait beyond its cap.
		return &ThrottledError{Wait: min(wait, maxDelay)}
	}
	err = check(h)
	failed := false
	for _, w := range errWrong {
		if errors.Is(err, w) {
			failed = true
		}
	}
	next := current
	switch {
	case failed:
		next = current.failed(now)
	case err == nil:
		next = throttle{}
	default:
		return err
	}
	if next != current {
		if uerr := update(db, func(tx *bolt.Tx) error {
			return tx.Bucket(bHeader).Put(kThrottle, next.encode())
		}); uerr != nil {
			return fmt.Errorf("record the attempt: %w", diskHint(uerr))
		}
	}
	return err
}

// failed is the counter after one more wrong answer at now.
func (t throttle) failed(now time.Time) throttle {
	t.failures++
	t.until = now.Add(DelayAfter(t.failures))
	return t
}

func checkPasswordLength(password string) error {
	if len(password) > MaxPasswordBytes {
		return problem(FieldPassword, "the password is longer than {{.Max}} bytes; Offboard passwords are at most {{.Max}} bytes", map[string]any{"Max": MaxPasswordBytes})
	}
	return nil
}

// provePassword checks the password against both the bcrypt verifier and
// the key slot, and returns the data key and the key-encryption key. The
// verifier alone is not authenticated: rewriting its 60 bytes in the file
// would let another password through, so the key slot, which only the right
// password opens, is the proof. Both checks always run, so that when they disagree the file
// is known to be damaged rather than the password wrong.
func provePassword(h *header, password string) ([]byte, *vault.KEK, error) {
	perr := verifyPassword(h, password)
	if perr != nil && !errors.Is(perr, ErrWrongPassword) {
		return nil, nil, perr
	}
	key, kek, kerr := h.slot.Open([]byte(password), []byte(h.id))
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

func verifyPassword(h *header, password string) error {
	if err := checkPasswordLength(password); err != nil {
		return err
	}
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
	debug.FreeOSMemory()
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
	debug.FreeOSMemory()
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
	defer debug.FreeOSMemory() // Argon2id's memory, as after sign-in
	return throttled(a.db, a.store.now(), func(h *header) error {
		_, kek, err := provePassword(h, password)
		kek.Wipe()
		return err
	}, ErrWrongPassword, errKeyRefused)
}

// TwoFactor reports whether two-factor sign-in is on.
func (a *Account) TwoFactor() (bool, error) {
	s, err := a.security()
	return s.TOTPSecret != "", err
}

// RecoveryCodesLeft says how many unused recovery codes remain.
func (a *Account) RecoveryCodesLeft() (int, error) {
	s, err := a.security()
	n := 0
	for _, c := range s.RecoveryCodes {
		if c != nil {
			n++
		}
	}
	return n, err
}

const totpPeriod = 30

var totpOpts = totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// CheckCode accepts a current TOTP code (±1 step) that is newer than the last
// one accepted, or an unused recovery code, which is then spent. Wrong codes
// are throttled on their own counter, in the sealed security record: each
// one, like each right one, is a security change (a new generation).
func (a *Account) CheckCode(code string) error {
	now := a.store.now()
	var verdict error
	err := a.updateSecurity(nil, func(_ *bolt.Tx, s *security) (bool, error) {
		if s.TOTPSecret == "" {
			return false, nil
		}
		t := s.codeThrottle()
		if wait := t.until.Sub(now); wait > 0 {
			// A clock set back must not extend the wait beyond its cap.
			verdict = &ThrottledError{Wait: min(wait, maxDelay)}
			return false, nil
		}
		if s.accept(code, now) {
			s.setCodeThrottle(throttle{})
			return true, nil
		}
		s.setCodeThrottle(t.failed(now))
		verdict = ErrWrongCode
		return true, nil
	})
	if err != nil {
		return err
	}
	return verdict
}

func (s *security) accept(code string, now time.Time) bool {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) == 6 && strings.Trim(code, "0123456789") == "" {
		step := uint64(now.Unix()) / totpPeriod
		for _, st := range []uint64{step - 1, step, step + 1} {
			if st <= s.LastStep {
				continue
			}
			want, err := totp.GenerateCodeCustom(s.TOTPSecret, time.Unix(int64(st*totpPeriod), 0), totpOpts)
			if err == nil && vault.Equal([]byte(want), []byte(code)) {
				s.LastStep = st
				return true
			}
		}
		return false
	}
	h := recoveryHash(s.RecoverySalt, code)
	for i, c := range s.RecoveryCodes {
		if c != nil && vault.Equal(c, h) {
			s.RecoveryCodes[i] = nil
			return true
		}
	}
	return false
}

func recoveryHash(salt []byte, code string) []byte {
	code = strings.ToLower(strings.ReplaceAll(strings.TrimSpace(code), "-", ""))
	h := sha256.New()
	h.Write(salt)
	io.WriteString(h, code)
	return h.Sum(nil)
}

// TwoFactorSetup is a not-yet-confirmed two-factor secret to show the user.
type TwoFactorSetup struct {
	Secret        string   // base32, for typing into an authenticator app
	URI           string   // otpauth:// URI, for the QR code
	RecoveryCodes []string // shown once; stored only hashed
}

// NewTwoFactor makes a secret and recovery codes; nothing is stored until
// EnableTwoFactor confirms that the user's app produces matching codes.
func (a *Account) NewTwoFactor() (*TwoFactorSetup, error) {
	p, err := a.Profile()
	if err != nil {
		return nil, err
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "Offboard", AccountName: p.Email, Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return nil, fmt.Errorf("make a two-factor secret: %w", err)
	}
	setup := &TwoFactorSetup{Secret: key.Secret(), URI: key.URL()}
	for range 10 {
		setup.RecoveryCodes = append(setup.RecoveryCodes, newRecoveryCode())
	}
	return setup, nil
}

func newRecoveryCode() string {
	b := make([]byte, 8)
	io.ReadFull(randReader, b)
	s := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))[:12]
	return s[:4] + "-" + s[4:8] + "-" + s[8:]
}

// EnableTwoFactor turns two-factor on once code matches the setup's secret.
func (a *Account) EnableTwoFactor(setup *TwoFactorSetup, code string) error {
	now := a.store.now()
	trial := security{TOTPSecret: setup.Secret}
	if !trial.accept(code, now) {
		return ErrWrongCode
	}
	salt := make([]byte, 16)
	io.ReadFull(randReader, salt)
	s := security{TOTPSecret: setup.Secret, LastStep: trial.LastStep, RecoverySalt: salt, Enabled: &now}
	for _, c := range setup.RecoveryCodes {
		s.RecoveryCodes = append(s.RecoveryCodes, recoveryHash(salt, c))
	}
	// The replaced record, on a freed page, is zeroed by updateSecurity.
	return a.updateSecurity(nil, func(_ *bolt.Tx, cur *security) (bool, error) {
		s.CodeFailures, s.CodeUntil = cur.CodeFailures, cur.CodeUntil
		*cur = s
		return true, nil
	})
}

// DisableTwoFactor turns two-factor off after checking the password.
func (a *Account) DisableTwoFactor(password string) error {
	if err := a.CheckPassword(password); err != nil {
		return err
	}
	// The old record, with the secret, is on a freed page until
	// updateSecurity zeroes it.
	return a.updateSecurity(nil, func(_ *bolt.Tx, cur *security) (bool, error) {
		*cur = security{CodeFailures: cur.CodeFailures, CodeUntil: cur.CodeUntil}
		return true, nil
	})
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

// PasswordStrength rates a password from 0 (very weak) to 4 (strong), with a
// hint on how to make it stronger.
func PasswordStrength(password, email string) (score int, hint string) {
	if len(password) < MinPasswordBytes {
		return 0, fmt.Sprintf("use at least %d characters", MinPasswordBytes)
	}
	lower := strings.ToLower(password)
	local, _, _ := strings.Cut(strings.ToLower(email), "@")
	if commonPasswords[lower] || (len(local) >= 3 && strings.Contains(lower, local)) {
		return 0, "avoid common passwords and your email address"
	}
	classes, distinct := characterMix(password)
	if distinct < 5 {
		return 1, "use more different characters"
	}
	n := len([]rune(password))
	switch {
	case n >= 16 || (n >= 12 && classes >= 3):
		return 4, "strong"
	case n >= 12 || (n >= 10 && classes >= 3):
		return 3, "good; a longer passphrase is stronger still"
	case classes >= 2:
		return 2, "fair; make it longer or mix in digits and symbols"
	}
	return 1, "make it longer or mix in capitals, digits and symbols"
}

// characterMix counts the kinds of character in password (lower case,
// upper case, digits, the rest) and its distinct characters.
func characterMix(password string) (classes, distinct int) {
	var kinds [4]bool
	seen := map[rune]bool{}
	for _, r := range password {
		if !seen[r] {
			seen[r] = true
			distinct++
		}
		switch {
		case unicode.IsLower(r):
			kinds[0] = true
		case unicode.IsUpper(r):
			kinds[1] = true
		case unicode.IsDigit(r):
			kinds[2] = true
		default:
			kinds[3] = true
		}
	}
	for _, k := range kinds {
		if k {
			classes++
		}
	}
	return classes, distinct
}

// MinPasswordScore is the weakest password strength accepted.
const MinPasswordScore = 2

// CheckNewPassword refuses passwords that are too weak or too long.
func CheckNewPassword(password, email string) error {
	if err := checkPasswordLength(password); err != nil {
		return err
	}
	if score, hint := PasswordStrength(password, email); score < MinPasswordScore {
		return problem(FieldPassword, "the password is too weak: {{.Hint}}", map[string]any{"Hint": Phrase(hint)})
	}
	return nil
}

// CheckPassphrase refuses an export passphrase weaker than a password may be:
// the same strength rule, without bcrypt's 72-byte limit (age has none). It
// applies to new exports only; an older export opens with whatever
// passphrase it was made with.
func CheckPassphrase(passphrase string) error {
	if score, hint := PasswordStrength(passphrase, ""); score < MinPasswordScore {
		return problem(FieldPassword, "the passphrase is too weak: {{.Hint}}", map[string]any{"Hint": Phrase(hint)})
	}
	return nil
}

var commonPasswords = map[string]bool{}

func init() {
	for _, p := range strings.Fields(`password password1 password123 12345678 123456789 1234567890 qwerty123
		qwertyuiop iloveyou sunshine princess football baseball welcome welcome1 letmein1 admin123
		passw0rd p@ssw0rd p@ssword abc12345 11111111 00000000 trustno1 dragon123 monkey123
		changeme superman michael1 jennifer computer internet starwars whatever freedom1 password!`) {
		commonPasswords[p] = true
	}
}

// MinTimeFor1000Guesses is the least waiting the throttle imposes on 1,000
// consecutive wrong answers (documented in docs/THREAT_MODEL.md).
const MinTimeFor1000Guesses = 200 * time.Hour
