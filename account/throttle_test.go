package account

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
	bolt "go.etcd.io/bbolt"
	"golang.org/x/crypto/bcrypt"
)

// twoFactorAccount signs up an account with two-factor on, under a clock the
// test moves; code gives the right code at the clock's time and wrong one
// that is not.
func twoFactorAccount(t *testing.T) (s *Store, clock *time.Time, code, wrong func() string) {
	t.Helper()
	c := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock = &c
	opt := fastOptions()
	opt.Now = func() time.Time { return *clock }
	s = openTestStore(t, t.TempDir(), opt)
	a, err := s.SignUp("tf@example.com", "correct-horse-9", "TF")
	if err != nil {
		t.Fatal(err)
	}
	setup, err := a.NewTwoFactor()
	if err != nil {
		t.Fatal(err)
	}
	code = func() string { r, _ := totp.GenerateCodeCustom(setup.Secret, *clock, totpOpts); return r }
	wrong = func() string {
		r := []byte(code())
		r[5] = '0' + (r[5]-'0'+5)%10
		return string(r)
	}
	if err := a.EnableTwoFactor(setup, code()); err != nil {
		t.Fatal(err)
	}
	a.Close()
	*clock = clock.Add(time.Minute)
	return s, clock, code, wrong
}

// codeAttempt signs in with the right password and tries code, as a guesser
// who knows the password would.
func codeAttempt(t *testing.T, s *Store, code string) error {
	t.Helper()
	si, err := s.SignIn("tf@example.com", "correct-horse-9")
	if err != nil {
		t.Fatalf("right password: %v", err)
	}
	a, err := si.Complete(code)
	if err != nil {
		si.Cancel()
		return err
	}
	a.Close()
	return nil
}

// TestRightPasswordKeepsTheCodeThrottle: wrong codes earn a wait that a right
// password, given again and again, does not clear; only a right code does.
func TestRightPasswordKeepsTheCodeThrottle(t *testing.T) {
	s, clock, code, wrong := twoFactorAccount(t)
	for i := range freeAttempts + 1 {
		if err := codeAttempt(t, s, wrong()); !errors.Is(err, ErrWrongCode) {
			t.Fatalf("wrong code %d: %v", i, err)
		}
	}
	var te *ThrottledError
	for i := range 5 {
		// The password is right every time and still the code waits.
		if err := codeAttempt(t, s, wrong()); !errors.As(err, &te) {
			t.Fatalf("wrong code %d after the free ones, with the right password: %v", i, err)
		}
	}
	if err := codeAttempt(t, s, code()); !errors.As(err, &te) {
		t.Fatalf("right code during the wait: %v", err)
	}
	*clock = clock.Add(te.Wait)
	if err := codeAttempt(t, s, code()); err != nil {
		t.Fatalf("right code after the wait: %v", err)
	}
	// The right code cleared the counter: the free attempts are back.
	*clock = clock.Add(time.Minute)
	if err := codeAttempt(t, s, wrong()); !errors.Is(err, ErrWrongCode) {
		t.Fatalf("after a right code: %v", err)
	}
}

// TestPasswordThrottleIsItsOwn: wrong passwords do not make the code wait,
// and a right code does not clear the password's wait.
func TestPasswordThrottleIsItsOwn(t *testing.T) {
	s, clock, code, _ := twoFactorAccount(t)
	for range freeAttempts + 1 {
		if _, err := s.SignIn("tf@example.com", "wrong-horse-9"); !errors.Is(err, ErrWrongPassword) {
			t.Fatal(err)
		}
	}
	var te *ThrottledError
	if _, err := s.SignIn("tf@example.com", "correct-horse-9"); !errors.As(err, &te) {
		t.Fatalf("right password during its wait: %v", err)
	}
	*clock = clock.Add(te.Wait)
	if err := codeAttempt(t, s, code()); err != nil {
		t.Fatalf("right code after wrong passwords: %v", err)
	}
}

// TestThousandWrongCodes: a guesser who has the password still pays the
// documented minimum of waiting for 1,000 wrong codes, signing in afresh
// with the right password before each one.
func TestThousandWrongCodes(t *testing.T) {
	s, clock, code, wrong := twoFactorAccount(t)
	elapsed := waitFor1000Wrong(t, clock, func() error { return codeAttempt(t, s, wrong()) }, ErrWrongCode)
	if elapsed < MinTimeFor1000Guesses {
		t.Fatalf("1,000 wrong codes took %v of waiting, want at least %v", elapsed, MinTimeFor1000Guesses)
	}
	t.Logf("1,000 wrong codes, each after the right password, cost a guesser %.0f hours of waiting", elapsed.Hours())
	var te *ThrottledError
	if err := codeAttempt(t, s, code()); !errors.As(err, &te) {
		t.Fatalf("right code during the wait: %v", err)
	}
	*clock = clock.Add(te.Wait)
	if err := codeAttempt(t, s, code()); err != nil {
		t.Fatal(err)
	}
}

// waitFor1000Wrong makes attempts as soon as the throttle allows, moving the
// clock over each wait, until 1,000 have failed with wrong; it returns the
// waiting they cost.
func waitFor1000Wrong(t *testing.T, clock *time.Time, attempt func() error, wrong error) time.Duration {
	t.Helper()
	start := *clock
	for n := 0; n < 1000; {
		err := attempt()
		var te *ThrottledError
		switch {
		case errors.Is(err, wrong):
			n++
		case errors.As(err, &te):
			*clock = clock.Add(te.Wait)
		default:
			t.Fatal(err)
		}
	}
	return clock.Sub(start)
}

// TestRewrittenVerifierDoesNotPass: the bcrypt verifier is not authenticated.
// Rewriting it in the file to another password's hash must not let that
// password through the identity check, the closure's check or turning
// two-factor off: the key slot is the proof.
func TestRewrittenVerifierDoesNotPass(t *testing.T) {
	s, clock, code, _ := twoFactorAccount(t)
	a := signInWithCode(t, s, code())
	other := "intruder-pass-77"
	forged, _ := bcrypt.GenerateFromPassword([]byte(other), bcrypt.MinCost)
	if err := a.update(func(tx *bolt.Tx) error { return tx.Bucket(bHeader).Put(kVerifier, forged) }); err != nil {
		t.Fatal(err)
	}
	if err := a.CheckPassword(other); err == nil {
		t.Fatal("a forged verifier let another password through the identity check")
	}
	if err := a.DisableTwoFactor(other); err == nil {
		t.Fatal("a forged verifier let another password turn two-factor off")
	}
	if on, _ := a.TwoFactor(); !on {
		t.Fatal("two-factor is off")
	}
	*clock = clock.Add(time.Minute)
	c, err := a.BeginClosure()
	if err != nil {
		t.Fatal(err)
	}
	c.step = StepVerify
	if err := c.Verify(other, code()); err == nil {
		t.Fatal("a forged verifier let another password through the closure's identity check")
	}
}

func signInWithCode(t *testing.T, s *Store, code string) *Account {
	t.Helper()
	si, err := s.SignIn("tf@example.com", "correct-horse-9")
	if err != nil {
		t.Fatal(err)
	}
	a, err := si.Complete(code)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

// TestWeakExportPassphraseRefused: a new export's passphrase meets the same
// strength rule as a password; nothing is written for a weak one.
func TestWeakExportPassphraseRefused(t *testing.T) {
	_, a := newTestAccount(t)
	dir := t.TempDir()
	for _, p := range []string{"x", "1234567", "password1"} {
		if _, err := a.Export(context.Background(), filepath.Join(dir, "x.zip"), ExportOptions{Passphrase: p, ScryptWorkFactor: 10}); err == nil || !strings.Contains(err.Error(), "too weak") {
			t.Fatalf("passphrase %q: %v", p, err)
		}
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Fatalf("a refused export left %s", left[0].Name())
	}
	if _, err := a.Export(context.Background(), filepath.Join(dir, "x.zip"), ExportOptions{Passphrase: "a fair passphrase", ScryptWorkFactor: 10}); err != nil {
		t.Fatal(err)
	}
}
