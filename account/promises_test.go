package account

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"offboard/account/vault"
)

// TestNoPlaintextAfterEveryWritePath runs every path that writes — sign-up,
// sample data, edits, two-factor setup, password change, export (encrypted),
// import, purge — and after each searches the whole data folder and the
// temporary folder for every known plaintext of the account.
func TestNoPlaintextAfterEveryWritePath(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	dir := t.TempDir()
	s := openTestStore(t, dir, fastOptions())
	a, err := s.CreateSample(SampleSmall, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	needles := knownPlaintext(t, a)
	extra := []string{"Very private edit text", "Renamed Company Ltd", "new-owner@private.example", "Imported Co"}
	for _, e := range extra {
		needles = append(needles, []byte(e))
	}
	scan := func(step string) {
		t.Helper()
		t.Run(step, func(t *testing.T) {
			assertNoPlaintext(t, dir, needles)
			if ents, _ := os.ReadDir(tmp); len(ents) > 0 {
				assertNoPlaintext(t, tmp, needles)
			}
		})
	}
	scan("sample")
	p, _ := a.Profile()
	p.Company, p.Email = "Renamed Company Ltd", "new-owner@private.example"
	if err := a.SaveProfile(p); err != nil {
		t.Fatal(err)
	}
	if err := a.Put(&Review{Direction: Given, Freelancer: "Someone", Rating: 4, Text: "Very private edit text"}); err != nil {
		t.Fatal(err)
	}
	scan("edits")
	setup, _ := a.NewTwoFactor()
	code, _ := totp.GenerateCodeCustom(setup.Secret, time.Now(), totpOpts)
	if err := a.EnableTwoFactor(setup, code); err != nil {
		t.Fatal(err)
	}
	needles = append(needles, []byte(setup.Secret))
	for _, c := range setup.RecoveryCodes {
		needles = append(needles, []byte(c))
	}
	scan("two-factor")
	if err := a.ChangePassword(SamplePassword, "another-pass-123"); err != nil {
		t.Fatal(err)
	}
	needles = append(needles, []byte("another-pass-123"), []byte(SamplePassword))
	scan("password")
	out := filepath.Join(tmp, "export.zip.age")
	if _, err := a.Export(context.Background(), out, ExportOptions{Passphrase: "export pass", ScryptWorkFactor: 10}); err != nil {
		t.Fatal(err)
	}
	scan("encrypted export")
	b, err := s.SignUp("importer@private.example", "correct-horse-9", "Imported Co")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Import(context.Background(), out, "export pass", nil); err != nil {
		t.Fatal(err)
	}
	b.Close()
	scan("import")
	if err := a.Purge(nil, nil); err != nil {
		t.Fatal(err)
	}
	needles = append(needles, []byte(a.ID()))
	os.Remove(out)
	// Only the importing account's own data may remain; it has the
	// purged account's content, so scan for what is unique to the purged one.
	assertNoPlaintext(t, dir, [][]byte{[]byte(a.ID()), []byte("new-owner@private.example"), []byte(setup.Secret)})
}

// TestThousandWrongPasswords shows the throttle's cost to a guesser: 1,000
// wrong passwords, each made as soon as the throttle allows, take at least the
// documented minimum of simulated time, and the right password still works.
func TestThousandWrongPasswords(t *testing.T) {
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	opt := fastOptions()
	opt.Now = func() time.Time { return clock }
	dir := t.TempDir()
	s := openTestStore(t, dir, opt)
	a, err := s.SignUp("bf@example.com", "correct-horse-9", "BF")
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	elapsed := waitFor1000Wrong(t, &clock, func() error {
		_, err := s.SignIn("bf@example.com", "guess-number-x")
		return err
	}, ErrWrongPassword)
	if elapsed < MinTimeFor1000Guesses {
		t.Fatalf("1,000 wrong passwords took %v of waiting, want at least %v", elapsed, MinTimeFor1000Guesses)
	}
	t.Logf("1,000 wrong passwords cost a guesser %.0f hours of waiting", elapsed.Hours())
	var te *ThrottledError
	if _, err := s.SignIn("bf@example.com", "correct-horse-9"); !errors.As(err, &te) {
		t.Fatalf("right password during the wait: %v", err)
	}
	clock = clock.Add(te.Wait)
	signIn(t, s, "bf@example.com", "correct-horse-9")
}

// TestSecondProcessGetsAlreadyOpen opens the data folder here and from a
// second process: the second is told it is already open, within seconds.
func TestSecondProcessGetsAlreadyOpen(t *testing.T) {
	if os.Getenv("OFFBOARD_SECOND_PROCESS") != "" {
		_, err := Open(os.Getenv("OFFBOARD_SECOND_PROCESS"), fastOptions())
		os.Stdout.WriteString(errString(err))
		os.Exit(0)
	}
	dir := t.TempDir()
	openTestStore(t, dir, fastOptions())
	cmd := exec.Command(os.Args[0], "-test.run=^TestSecondProcessGetsAlreadyOpen$")
	cmd.Env = append(os.Environ(), "OFFBOARD_SECOND_PROCESS="+dir)
	start := time.Now()
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "already open") {
		t.Fatalf("second process said %q", out)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("took %v", d)
	}
}

func errString(err error) string {
	if err == nil {
		return "opened"
	}
	return err.Error()
}

// FuzzRecord feeds arbitrary bytes to the record decoder of every kind, both
// as a sealed value and as the plaintext inside a valid seal: nothing panics.
func FuzzRecord(f *testing.F) {
	f.Add([]byte(`{"id":1,"title":"x","type":"fixed","status":"open","budget":{"cents":1,"currency":"USD"}}`))
	f.Add([]byte(`{"attachments":[1,2,3],"thread_id":9}`))
	f.Add([]byte{1, 2, 3})
	key := bytes.Repeat([]byte{3}, vault.KeySize)
	sealer, _ := vault.NewSealer(key)
	a := &Account{sealer: sealer}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, k := range Kinds {
			bucket := []byte(k)
			a.open(bucket, be64(1), b, newRecordOf(k))
			r := newRecordOf(k)
			if err := a.open(bucket, be64(1), sealer.Seal(nil, b, recordAD(bucket, be64(1))), r); err == nil {
				r.Validate()
			}
		}
		var p Profile
		a.open(bProfile, kRecord, sealer.Seal(nil, b, recordAD(bProfile, kRecord)), &p)
	})
}
