package account

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
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

// factor names one of the two things a person proves, each with its own
// throttle kept in the file: a right password must never clear the wait a
// run of wrong codes has earned, or codes could be guessed between sign-ins.
type factor int

const (
	factorPassword factor = iota
	factorCode
)

func (f factor) key() []byte {
	if f == factorCode {
		return kCodeThrottle
	}
	return kThrottle
}

func (h *header) throttleOf(f factor) throttle {
	if f == factorCode {
		return h.codeThrottle
	}
	return h.throttle
}

// throttled runs check unless the factor is in a waiting period, and records
// the outcome on that factor's counter only: a failure (errWrong) extends its
// wait, a success clears it.
func throttled(db *bolt.DB, now time.Time, f factor, check func(*header) error, errWrong ...error) error {
	var h *header
	err := view(db, func(tx *bolt.Tx) error {
		var err error
		h, err = readHeader(tx)
		return err
	})
	if err != nil {
		return err
	}
	current := h.throttleOf(f)
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
		next.failures++
		next.until = now.Add(DelayAfter(next.failures))
	case err == nil:
		next = throttle{}
	default:
		return err
	}
	if next != current {
		if uerr := update(db, func(tx *bolt.Tx) error {
			return tx.Bucket(bHeader).Put(f.key(), next.encode())
		}); uerr != nil {
			return fmt.Errorf("record the attempt: %w", diskHint(uerr))
		}
	}
	return err
}

func checkPasswordLength(password string) error {
	if len(password) > MaxPasswordBytes {
		return problem(FieldPassword, "the password is longer than {{.Max}} bytes; Offboard passwords are at most {{.Max}} bytes", map[string]any{"Max": MaxPasswordBytes})
	}
	return nil
}

// provePassword checks the password against both the bcrypt verifier and
// the key slot, and returns the data key. The verifier alone is not
// authenticated: rewriting its 60 bytes in the file would let another
// password through, so the key slot, which only the right password opens,
// is the proof. Both checks always run, so that when they disagree the file
// is known to be damaged rather than the password wrong.
func provePassword(h *header, password string) ([]byte, error) {
	perr := verifyPassword(h, password)
	if perr != nil && !errors.Is(perr, ErrWrongPassword) {
		return nil, perr
	}
	key, kerr := h.slot.Unwrap([]byte(password), []byte(h.id))
	switch {
	case perr == nil && kerr == nil:
		return key, nil
	case errors.Is(perr, ErrWrongPassword) && errors.Is(kerr, vault.ErrWrongPassword):
		return nil, ErrWrongPassword
	case kerr == nil:
		return nil, fmt.Errorf("the password verifier does not match the account's key: %w", ErrCorruptFile)
	case errors.Is(kerr, vault.ErrWrongPassword):
		// The verifier says yes, the key slot no: the verifier was altered
		// (or the slot replaced). Counted like a wrong password.
		return nil, errKeyRefused
	default:
		return nil, fmt.Errorf("the account's key does not open: %w", ErrCorruptFile)
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
	err = throttled(db, s.now(), factorPassword, func(h *header) error {
		a.id = h.id
		key, err := provePassword(h, password)
		if err != nil {
			return err
		}
		return a.unlock(key)
	}, ErrWrongPassword, errKeyRefused)
	// Argon2id's 64 MiB are garbage now; return them to the system before
	// the account's work (an export, the workspace) starts allocating.
	debug.FreeOSMemory()
	if err != nil {
		db.Close()
		return nil, err
	}
	sec, err := a.security()
	if err != nil {
		db.Close()
		return nil, err
	}
	s.register(a)
	if err := a.cleanPendingExport(); err != nil {
		a.Close()
		return nil, err
	}
	return &SignIn{store: s, acct: a, needs2F: sec.TOTPSecret != ""}, nil
}

// security is the sealed record of second-factor secrets.
type security struct {
	TOTPSecret    string     `json:"totp_secret,omitempty"`
	LastStep      uint64     `json:"last_step,omitempty"`
	RecoverySalt  []byte     `json:"recovery_salt,omitempty"`
	RecoveryCodes [][]byte   `json:"recovery_codes,omitempty"` // SHA-256(salt ‖ code); nil once used
	Enabled       *time.Time `json:"enabled,omitempty"`
}

func (a *Account) security() (security, error) {
	var s security
	err := a.view(func(tx *bolt.Tx) error { return a.getSealed(tx, bSecurity, kRecord, &s) })
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
	return throttled(a.db, a.store.now(), factorPassword, func(h *header) error {
		_, err := provePassword(h, password)
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
// one accepted, or an unused recovery code, which is then spent.
func (a *Account) CheckCode(code string) error {
	a.mu.RLock()
	defer a.mu.RUnlock()
	if a.db == nil {
		return ErrClosed
	}
	now := a.store.now()
	return throttled(a.db, now, factorCode, func(*header) error {
		return update(a.db, func(tx *bolt.Tx) error {
			var s security
			if err := a.getSealed(tx, bSecurity, kRecord, &s); err != nil {
				return err
			}
			if s.TOTPSecret == "" {
				return nil
			}
			if !s.accept(code, now) {
				return ErrWrongCode
			}
			return a.putSealed(tx, bSecurity, kRecord, &s)
		})
	}, ErrWrongCode)
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
	if err := a.update(func(tx *bolt.Tx) error { return a.putSealed(tx, bSecurity, kRecord, &s) }); err != nil {
		return err
	}
	return a.scrub() // the replaced security record is on a freed page
}

// DisableTwoFactor turns two-factor off after checking the password.
func (a *Account) DisableTwoFactor(password string) error {
	if err := a.CheckPassword(password); err != nil {
		return err
	}
	if err := a.update(func(tx *bolt.Tx) error { return a.putSealed(tx, bSecurity, kRecord, &security{}) }); err != nil {
		return err
	}
	return a.scrub() // the old record, with the secret, is on a freed page
}

// ChangePassword checks the old password and re-wraps the data key under the
// new one. The data itself is not re-encrypted: only the key slot changes.
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
	var slot *vault.KeySlot
	err = a.view(func(tx *bolt.Tx) error {
		h, err := readHeader(tx)
		if err != nil {
			return err
		}
		key, err := h.slot.Unwrap([]byte(oldPassword), []byte(a.id))
		if err != nil {
			return fmt.Errorf("the account's key does not open: %w", ErrCorruptFile)
		}
		slot, err = vault.Wrap([]byte(newPassword), key, []byte(a.id), a.store.opt.KDF)
		return err
	})
	if err != nil {
		return err
	}
	verifier, err := bcrypt.GenerateFromPassword([]byte(newPassword), a.store.opt.BcryptCost)
	if err != nil {
		return fmt.Errorf("hash the password: %w", err)
	}
	slotBytes, _ := slot.MarshalBinary()
	// Slot and verifier change in one transaction, so a crash leaves either the
	// old password working or the new one, never a mix.
	err = a.update(func(tx *bolt.Tx) error {
		h := tx.Bucket(bHeader)
		if err := h.Put(kSlot, slotBytes); err != nil {
			return err
		}
		return h.Put(kVerifier, verifier)
	})
	if err != nil {
		return err
	}
	// The old slot (and every older copy, left by earlier rewrites of the
	// header) sits on freed pages: clear them, so that the old password
	// opens nothing anywhere in the file.
	return a.scrub()
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
	var classes, distinct int
	var hasLower, hasUpper, hasDigit, hasOther bool
	seen := map[rune]bool{}
	for _, r := range password {
		if !seen[r] {
			seen[r] = true
			distinct++
		}
		switch {
		case unicode.IsLower(r):
			hasLower = true
		case unicode.IsUpper(r):
			hasUpper = true
		case unicode.IsDigit(r):
			hasDigit = true
		default:
			hasOther = true
		}
	}
	for _, b := range []bool{hasLower, hasUpper, hasDigit, hasOther} {
		if b {
			classes++
		}
	}
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
