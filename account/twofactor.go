package account

import (
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	bolt "go.etcd.io/bbolt"

	"offboard/account/vault"
)

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
