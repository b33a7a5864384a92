package account

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
	bolt "go.etcd.io/bbolt"

	"offboard/account/vault"
)

// The security record and the key slot carry one generation counter: each
// security change seals the record and re-wraps the slot at the next value,
// in one transaction. These tests put an older copy of one record back into
// the file, with bbolt and no help from the store, and expect a refusal.

const (
	genEmail = "gen@example.com"
	genPass  = "correct-horse-9"
)

// genRecovery are the recovery codes of genSetup, so that a test can spend one.
var genRecovery = []string{"abcd-efgh-ijkl", "mnop-qrst-uvwx", "yz23-4567-abcd"}

// turnOnTwoFactor signs in to the account of s and turns two-factor on
// with setup and the current code, then signs out.
func turnOnTwoFactor(t *testing.T, s *Store, setup *TwoFactorSetup, code func() string) {
	t.Helper()
	a := mustSignIn(t, s, "")
	if err := a.EnableTwoFactor(setup, code()); err != nil {
		t.Fatal(err)
	}
	a.Close()
}

// genStore is a data folder under a clock the test moves, with one account
// whose two-factor secret the test knows.
func genStore(t *testing.T) (s *Store, clock *time.Time, setup *TwoFactorSetup, code func() string) {
	t.Helper()
	c := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	clock = &c
	opt := fastOptions()
	opt.Now = func() time.Time { return *clock }
	s = openTestStore(t, t.TempDir(), opt)
	a, err := s.SignUp(genEmail, genPass, "Gen Ltd")
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	setup = &TwoFactorSetup{Secret: "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU", RecoveryCodes: genRecovery}
	code = func() string {
		// Each call is a new 30-second step, as a code accepted once is
		// never accepted again.
		*clock = clock.Add(time.Minute)
		r, _ := totp.GenerateCodeCustom(setup.Secret, *clock, totpOpts)
		return r
	}
	return s, clock, setup, code
}

// genSignIn signs in with the password and, when asked for one, code.
func genSignIn(s *Store, code string) (*Account, error) {
	si, err := s.SignIn(genEmail, genPass)
	if err != nil {
		return nil, err
	}
	a, err := si.Complete(code)
	if err != nil {
		si.Cancel()
		return nil, err
	}
	return a, nil
}

func mustSignIn(t *testing.T, s *Store, code string) *Account {
	t.Helper()
	a, err := genSignIn(s, code)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// accountFile is the one account file of the store's folder.
func accountFile(t *testing.T, s *Store) string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(s.Dir(), accountsDir, "*"+accountExt))
	if len(files) != 1 {
		t.Fatalf("%d account files", len(files))
	}
	return files[0]
}

// rawValues reads every value of the header and security buckets of a
// closed account file, as "bucket/key".
func rawValues(t *testing.T, path string) map[string][]byte {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string][]byte{}
	db.View(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bHeader, bSecurity} {
			tx.Bucket(name).ForEach(func(k, v []byte) error {
				out[string(name)+"/"+string(k)] = bytes.Clone(v)
				return nil
			})
		}
		return nil
	})
	return out
}

// putBack writes one older value (nil: the key did not exist) into a closed
// account file with bbolt directly, as someone splicing the file would.
func putBack(t *testing.T, path, place string, v []byte) {
	t.Helper()
	bucket, key, _ := strings.Cut(place, "/")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(bucket))
		if v == nil {
			return b.Delete([]byte(key))
		}
		return b.Put([]byte(key), v)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// isAltered says whether err is the refusal of a spliced file: a damaged
// file for errors.Is, with a sentence that says it was altered.
func isAltered(err error) bool {
	return err != nil && errors.Is(err, ErrCorruptFile) && strings.Contains(err.Error(), "altered") && strings.Contains(err.Error(), "backup")
}

// TestSplicedSecurityRecordIsRefused: an older sealed security record put
// back into the file — two-factor off, a recovery code not yet spent, an
// older accepted code — makes sign-in refuse the file instead of turning
// two-factor off, reviving the code or accepting the replayed one.
func TestSplicedSecurityRecordIsRefused(t *testing.T) {
	t.Run("two-factor off put back", func(t *testing.T) {
		s, clock, setup, code := genStore(t)
		file := accountFile(t, s)
		off := rawValues(t, file)["s/v"]
		turnOnTwoFactor(t, s, setup, code)
		putBack(t, file, "s/v", off)
		*clock = clock.Add(time.Minute)
		si, err := s.SignIn(genEmail, genPass)
		if err == nil {
			needs := si.NeedsCode()
			si.Cancel()
			t.Fatalf("a spliced record signed in (two-factor asked: %v)", needs)
		}
		if !isAltered(err) {
			t.Fatalf("unclear refusal: %v", err)
		}
	})
	t.Run("spent recovery code revived", func(t *testing.T) {
		s, _, setup, code := genStore(t)
		file := accountFile(t, s)
		turnOnTwoFactor(t, s, setup, code)
		unspent := rawValues(t, file)["s/v"]
		mustSignIn(t, s, genRecovery[0]).Close()
		if _, err := genSignIn(s, genRecovery[0]); !errors.Is(err, ErrWrongCode) {
			t.Fatalf("a spent recovery code: %v", err)
		}
		putBack(t, file, "s/v", unspent)
		a, err := genSignIn(s, genRecovery[0])
		if err == nil {
			a.Close()
			t.Fatal("a spliced record revived a spent recovery code")
		}
		if !isAltered(err) {
			t.Fatalf("unclear refusal: %v", err)
		}
	})
	t.Run("older code step put back", func(t *testing.T) {
		s, _, setup, code := genStore(t)
		file := accountFile(t, s)
		turnOnTwoFactor(t, s, setup, code)
		before := rawValues(t, file)["s/v"]
		c := code()
		mustSignIn(t, s, c).Close()
		putBack(t, file, "s/v", before)
		a, err := genSignIn(s, c) // a replay, were the record believed
		if err == nil {
			a.Close()
			t.Fatal("a spliced record let a used code through again")
		}
		if !isAltered(err) {
			t.Fatalf("unclear refusal: %v", err)
		}
	})
	t.Run("identity check in a session", func(t *testing.T) {
		s, _, setup, code := genStore(t)
		off := rawValues(t, accountFile(t, s))["s/v"]
		a := mustSignIn(t, s, "")
		defer a.Close()
		if err := a.EnableTwoFactor(setup, code()); err != nil {
			t.Fatal(err)
		}
		if err := a.update(func(tx *bolt.Tx) error { return tx.Bucket(bSecurity).Put(kRecord, off) }); err != nil {
			t.Fatal(err)
		}
		if on, err := a.TwoFactor(); !isAltered(err) {
			t.Fatalf("two-factor reads as on=%v, %v", on, err)
		}
		c, err := a.BeginClosure()
		if err != nil {
			t.Fatal(err)
		}
		c.step = StepVerify
		if err := c.Verify(genPass, ""); !isAltered(err) {
			t.Fatalf("the closure's identity check without a code: %v", err)
		}
		if err := a.CheckCode(code()); !isAltered(err) {
			t.Fatalf("a code against the spliced record: %v", err)
		}
	})
}

// TestSplicedThrottleIsRefused: after wrong codes have earned a wait, putting
// back the older value of any one record of the header or the security
// bucket never gets a code evaluated again before the wait: the file is
// refused as altered or the code still waits. The password's own counter is
// left out: it is written by wrong passwords, before any key is known, and
// cannot be authenticated (docs/THREAT_MODEL.md).
func TestSplicedThrottleIsRefused(t *testing.T) {
	s, clock, setup, code := genStore(t)
	file := accountFile(t, s)
	turnOnTwoFactor(t, s, setup, code)
	before := rawValues(t, file)
	// A wrong code at the clock's time; the clock stays, so that the wait
	// the codes earn is still running when the records are put back.
	wrong := func() string {
		r, _ := totp.GenerateCodeCustom(setup.Secret, *clock, totpOpts)
		b := []byte(r)
		b[5] = '0' + (b[5]-'0'+5)%10
		return string(b)
	}
	var te *ThrottledError
	for n := 0; ; n++ {
		_, err := genSignIn(s, wrong())
		if errors.As(err, &te) {
			break
		}
		if !errors.Is(err, ErrWrongCode) || n > 20 {
			t.Fatalf("wrong code %d: %v", n, err)
		}
	}
	after := rawValues(t, file)
	template, _ := os.ReadFile(file)
	spliced := 0
	for place := range mergeKeys(before, after) {
		if place == "h/throttle" || bytes.Equal(before[place], after[place]) {
			continue
		}
		spliced++
		os.WriteFile(file, template, 0o600)
		putBack(t, file, place, before[place])
		_, err := genSignIn(s, wrong())
		if !isAltered(err) && !errors.As(err, &te) {
			t.Errorf("%s put back: a wrong code was evaluated again (%v)", place, err)
		}
	}
	if spliced == 0 {
		t.Fatal("no record changed with the wrong codes: the test proves nothing")
	}
	if !t.Failed() {
		t.Logf("%d records changed with the wrong codes; each put back alone was refused", spliced)
	}
}

func mergeKeys(a, b map[string][]byte) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

// TestWholeFileRollbackStillOpens is the documented limit: an older copy of
// the entire account file, with its own key slot, opens with the password it
// had, in the two-factor state it had (here: off). docs/THREAT_MODEL.md says
// what such a rollback can and cannot do.
func TestWholeFileRollbackStillOpens(t *testing.T) {
	s, _, setup, code := genStore(t)
	file := accountFile(t, s)
	older, _ := os.ReadFile(file)
	turnOnTwoFactor(t, s, setup, code)
	os.WriteFile(file, older, 0o600)
	a := mustSignIn(t, s, "")
	defer a.Close()
	if on, err := a.TwoFactor(); err != nil || on {
		t.Fatalf("the older file: two-factor on=%v, %v", on, err)
	}
}

// v1Fixture is an account file that Offboard 0.1's code wrote (format 1: a
// key slot without a generation, the code's throttle in the header), made
// with fastOptions at 2026-01-01 00:00 UTC: sign-up, one job, two-factor on
// with v1Secret and v1Recovery, then one wrong code at 00:01.
const (
	v1Fixture = "testdata/account-v1/accounts/7398009b36c3a0c3a4cc6778750cc41e.db"
	v1Email   = "v1@example.com"
	v1Secret  = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
)

var v1Recovery = []string{"aaaa-bbbb-cccc", "dddd-eeee-ffff", "gggg-hhhh-iiii"}

// TestVersionOneFileOpensAndUpgrades: a file of Offboard 0.1 signs in, is
// upgraded by that sign-in (format 2, a key slot with a generation, the
// code's throttle moved into the sealed record with its count), keeps every
// record, and then refuses its own 0.1 security record put back.
func TestVersionOneFileOpensAndUpgrades(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, accountsDir, filepath.Base(v1Fixture))
	os.MkdirAll(filepath.Dir(file), 0o700)
	b, err := os.ReadFile(v1Fixture)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(file, b, 0o600)
	old := rawValues(t, file)
	if old["h/format"][0] != 1 || !bytes.HasPrefix(old["h/slot"], []byte("OBK1")) {
		t.Fatal("the fixture is not a version-1 file")
	}
	clock := time.Date(2026, 1, 1, 0, 10, 0, 0, time.UTC)
	opt := fastOptions()
	opt.Now = func() time.Time { return clock }
	s := openTestStore(t, dir, opt)
	code := func() string {
		clock = clock.Add(time.Minute)
		r, _ := totp.GenerateCodeCustom(v1Secret, clock, totpOpts)
		return r
	}
	si, err := s.SignIn(v1Email, genPass)
	if err != nil {
		t.Fatal(err)
	}
	if !si.NeedsCode() {
		t.Fatal("two-factor is off after the upgrade")
	}
	a, err := si.Complete(code())
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Check(); err != nil {
		t.Fatalf("after the upgrade: %v", err)
	}
	if jobs, err := List[Job](a); err != nil || len(jobs) != 1 || jobs[0].Title != "a posting from 0.1" {
		t.Fatalf("the 0.1 job: %v, %v", jobs, err)
	}
	if n, err := a.RecoveryCodesLeft(); err != nil || n != len(v1Recovery) {
		t.Fatalf("recovery codes left: %d, %v", n, err)
	}
	a.Close()
	now := rawValues(t, file)
	if now["h/format"][0] != fileFormat || !bytes.HasPrefix(now["h/slot"], []byte("OBK2")) || now["h/throttle-code"] != nil {
		t.Fatalf("not upgraded: format %d, slot %q, code throttle in the header %x", now["h/format"][0], now["h/slot"][:4], now["h/throttle-code"])
	}
	raw, _ := os.ReadFile(file)
	if at := vault.SlotsOpening(raw, []byte(genPass), []byte(filepath.Base(v1Fixture)[:32])); len(at) != 1 {
		t.Fatalf("the password opens %d key slots in the upgraded file, want the live one", len(at))
	}
	// The right code cleared the count carried over from 0.1; wrong codes
	// count from there, in the sealed record.
	wrong := func() string {
		r := []byte(code())
		r[5] = '0' + (r[5]-'0'+5)%10
		return string(r)
	}
	for i := range freeAttempts {
		if _, err := signInV1(s, wrong()); !errors.Is(err, ErrWrongCode) {
			t.Fatalf("wrong code %d: %v", i, err)
		}
	}
	putBack(t, file, "s/v", old["s/v"])
	if _, err := signInV1(s, code()); !isAltered(err) {
		t.Fatalf("the 0.1 security record put back into the upgraded file: %v", err)
	}
}

func signInV1(s *Store, code string) (*Account, error) {
	si, err := s.SignIn(v1Email, genPass)
	if err != nil {
		return nil, err
	}
	a, err := si.Complete(code)
	if err != nil {
		si.Cancel()
	}
	return a, err
}

// BenchmarkSecurityChange times one change of the security state on a small
// account at the test's cheap key costs, so that the write shows rather
// than Argon2id: a wrong code (its throttle recorded), a right code (its
// step recorded), and two-factor turned on and off again (two changes, and
// the password proved once).
func BenchmarkSecurityChange(b *testing.B) {
	c := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	opt := fastOptions()
	opt.Now = func() time.Time { return c }
	s := openTestStore(b, b.TempDir(), opt)
	a, err := s.SignUp(genEmail, genPass, "Gen Ltd")
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	setup := &TwoFactorSetup{Secret: "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU", RecoveryCodes: genRecovery}
	code := func() string {
		r, _ := totp.GenerateCodeCustom(setup.Secret, c, totpOpts)
		return r
	}
	if err := a.EnableTwoFactor(setup, code()); err != nil {
		b.Fatal(err)
	}
	b.Run("wrong-code", func(b *testing.B) {
		for b.Loop() {
			c = c.Add(maxDelay + time.Minute) // past any wait
			w := []byte(code())
			w[5] = '0' + (w[5]-'0'+5)%10
			if err := a.CheckCode(string(w)); !errors.Is(err, ErrWrongCode) {
				b.Fatal(err)
			}
		}
	})
	b.Run("right-code", func(b *testing.B) {
		for b.Loop() {
			c = c.Add(maxDelay + time.Minute)
			if err := a.CheckCode(code()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("two-factor-off-on", func(b *testing.B) {
		for b.Loop() {
			if err := a.DisableTwoFactor(genPass); err != nil {
				b.Fatal(err)
			}
			c = c.Add(time.Minute)
			if err := a.EnableTwoFactor(setup, code()); err != nil {
				b.Fatal(err)
			}
		}
	})
}
