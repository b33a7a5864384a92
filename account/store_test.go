package account

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
	bolt "go.etcd.io/bbolt"

	"offboard/account/vault"
)

// fastOptions keep the real algorithms but at their lowest costs, so tests
// exercise the same code paths in milliseconds.
func fastOptions() Options {
	cheap := vault.Params{Time: 1, MemoryKiB: 64, Threads: 1}
	return Options{KDF: cheap, LookupKDF: cheap, BcryptCost: 4}
}

func openTestStore(t testing.TB, dir string, opt Options) *Store {
	t.Helper()
	s, err := Open(dir, opt)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func newTestAccount(t testing.TB) (*Store, *Account) {
	t.Helper()
	s := openTestStore(t, t.TempDir(), fastOptions())
	a, err := s.SignUp("Owner@Example.com ", "correct-horse-9", "Acme Ltd")
	if err != nil {
		t.Fatalf("SignUp: %v", err)
	}
	t.Cleanup(func() { a.Close() })
	return s, a
}

func signIn(t testing.TB, s *Store, email, password string) *Account {
	t.Helper()
	si, err := s.SignIn(email, password)
	if err != nil {
		t.Fatalf("SignIn: %v", err)
	}
	a, err := si.Complete("")
	if err != nil {
		t.Fatalf("Complete: %v", err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

func TestSignUpNormalisesEmailAndRefusesDuplicates(t *testing.T) {
	s, a := newTestAccount(t)
	p, err := a.Profile()
	if err != nil {
		t.Fatal(err)
	}
	if p.Email != "owner@example.com" || p.Company != "Acme Ltd" {
		t.Fatalf("profile = %+v", p)
	}
	if _, err := s.SignUp("OWNER@example.com", "another-pass-77", "Other"); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("duplicate sign-up: %v", err)
	}
}

func TestSignUpRefusesBadInput(t *testing.T) {
	s := openTestStore(t, t.TempDir(), fastOptions())
	cases := []struct{ email, pw, company, want string }{
		{"not-an-email", "correct-horse-9", "Acme", "not an email"},
		{"a@b.example", "short", "Acme", "too weak"},
		{"a@b.example", "password123", "Acme", "too weak"},
		{"a@b.example", strings.Repeat("x1Y", 25), "Acme", "72 bytes"},
		{"a@b.example", "correct-horse-9", " ", "company"},
	}
	for _, c := range cases {
		if _, err := s.SignUp(c.email, c.pw, c.company); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("SignUp(%q, %q, %q) = %v, want error containing %q", c.email, c.pw, c.company, err, c.want)
		}
	}
	if n, _ := s.AccountCount(); n != 0 {
		t.Fatalf("refused sign-ups left %d account files", n)
	}
}

func TestRoundTripEveryKind(t *testing.T) {
	_, a := newTestAccount(t)
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	usd := func(c int64) Money { return Money{Cents: c, Currency: "USD"} }
	recs := []Record{
		&TeamMember{Name: "Ann", Email: "ann@example.com", Role: RoleFinance, Added: now},
		&Job{Title: "Logo", Description: "A logo", Budget: usd(50000), Type: Fixed, Status: JobOpen, Posted: now},
		&Contract{Freelancer: "Bo", Title: "Logo", Type: Hourly, Rate: usd(4500), Status: ContractActive, Start: now},
		&Thread{Freelancer: "Bo", Subject: "Logo", ContractID: 1, Started: now},
		&Message{ThreadID: 1, Sender: "Bo", Sent: now, Body: "hello there", Attachments: []uint64{3}},
		&Review{Direction: Given, Freelancer: "Bo", Rating: 5, Text: "great", ContractID: 1, Date: now},
		&Invoice{Number: "INV-1", Date: now, Due: now.Add(time.Hour), Amount: usd(12345), Status: InvoiceDue, ContractID: 1},
		&Transaction{Date: now, Description: "fee", Amount: usd(-300), InvoiceID: 1},
		&BillingMethod{Type: BillingCard, Label: "Visa", Last4: "4242", Expiry: "01/2030", Primary: true},
		&Dispute{ContractID: 1, Summary: "late", Status: DisputeOpen, Opened: now},
	}
	for _, r := range recs {
		if err := a.Put(r); err != nil {
			t.Fatalf("Put %s: %v", r.Kind(), err)
		}
		if r.RecordID() == 0 {
			t.Fatalf("Put %s gave no ID", r.Kind())
		}
	}
	f := File{Name: "brief.pdf"}
	content := bytes.Repeat([]byte("0123456789abcdef"), 3*vault.ChunkSize/16+7)
	if err := a.AddFile(&f, bytes.NewReader(content)); err != nil {
		t.Fatal(err)
	}
	if f.MediaType != "application/pdf" || f.Size != int64(len(content)) || len(f.SHA256) != 64 {
		t.Fatalf("file meta = %+v", f)
	}
	err := a.View(func(tx *Tx) error {
		for _, r := range recs {
			got := newRecordOf(r.Kind())
			if err := tx.Get(r.RecordID(), got); err != nil {
				t.Errorf("Get %s: %v", r.Kind(), err)
				continue
			}
			if !jsonEqual(t, got, r) {
				t.Errorf("%s round trip differs", r.Kind())
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	rc, err := a.OpenFile(f.ID)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rc)
	if err != nil || !bytes.Equal(got, content) {
		t.Fatalf("file bytes differ (err %v, %d vs %d bytes)", err, len(got), len(content))
	}
	counts, err := a.Counts()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range Kinds {
		if counts[k] != 1 {
			t.Errorf("count %s = %d, want 1", k, counts[k])
		}
	}
	if err := a.Check(); err != nil {
		t.Fatalf("Check: %v", err)
	}
}

func TestEmptyFileRoundTrip(t *testing.T) {
	_, a := newTestAccount(t)
	f := File{Name: "empty.txt"}
	if err := a.AddFile(&f, strings.NewReader("")); err != nil {
		t.Fatal(err)
	}
	rc, _ := a.OpenFile(f.ID)
	if b, err := io.ReadAll(rc); err != nil || len(b) != 0 {
		t.Fatalf("empty file read = %q, %v", b, err)
	}
}

func TestPasswordChangeKeepsDataAndRefusesOld(t *testing.T) {
	s, a := newTestAccount(t)
	j := Job{Title: "Kept", Budget: Money{Cents: 1, Currency: "EUR"}, Type: Fixed, Status: JobOpen}
	if err := a.Put(&j); err != nil {
		t.Fatal(err)
	}
	if err := a.ChangePassword("wrong-password-1", "new-password-22"); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("change with wrong old password: %v", err)
	}
	if err := a.ChangePassword("correct-horse-9", "new-password-22"); err != nil {
		t.Fatal(err)
	}
	a.Close()
	if _, err := s.SignIn("owner@example.com", "correct-horse-9"); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("old password after change: %v", err)
	}
	b := signIn(t, s, "owner@example.com", "new-password-22")
	got, err := Get[Job](b, j.ID)
	if err != nil || got.Title != "Kept" {
		t.Fatalf("job after password change = %+v, %v", got, err)
	}
}

func TestUnknownEmail(t *testing.T) {
	s, _ := newTestAccount(t)
	if _, err := s.SignIn("nobody@example.com", "correct-horse-9"); !errors.Is(err, ErrNoAccount) {
		t.Fatalf("unknown email: %v", err)
	}
}

func TestThrottleGrowsAndSurvivesReopen(t *testing.T) {
	dir := t.TempDir()
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	opt := fastOptions()
	opt.Now = func() time.Time { return clock }
	s := openTestStore(t, dir, opt)
	a, err := s.SignUp("t@example.com", "correct-horse-9", "T")
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	for i := range freeAttempts + 1 {
		if _, err := s.SignIn("t@example.com", "bad-password-1"); !errors.Is(err, ErrWrongPassword) {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	_, err = s.SignIn("t@example.com", "correct-horse-9")
	var te *ThrottledError
	if !errors.As(err, &te) || te.Wait != time.Second {
		t.Fatalf("after %d failures: %v", freeAttempts+1, err)
	}
	s.Close()
	s2 := openTestStore(t, dir, opt)
	if _, err := s2.SignIn("t@example.com", "correct-horse-9"); !errors.As(err, &te) {
		t.Fatalf("throttle lost across reopen: %v", err)
	}
	clock = clock.Add(2 * time.Second)
	if _, err := s2.SignIn("t@example.com", "bad-password-1"); !errors.Is(err, ErrWrongPassword) {
		t.Fatal(err)
	}
	if _, err := s2.SignIn("t@example.com", "correct-horse-9"); !errors.As(err, &te) || te.Wait != 2*time.Second {
		t.Fatalf("delay did not double: %v", err)
	}
	clock = clock.Add(3 * time.Second)
	signIn(t, s2, "t@example.com", "correct-horse-9")
}

func TestDelayIsCapped(t *testing.T) {
	if d := DelayAfter(1000); d != maxDelay {
		t.Fatalf("DelayAfter(1000) = %v", d)
	}
	var total time.Duration
	for n := uint32(1); n <= 1000; n++ {
		total += DelayAfter(n)
	}
	if total < 200*time.Hour {
		t.Fatalf("1,000 wrong passwords would take only %v", total)
	}
}

func TestTwoFactor(t *testing.T) {
	dir := t.TempDir()
	clock := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	opt := fastOptions()
	opt.Now = func() time.Time { return clock }
	s := openTestStore(t, dir, opt)
	a, err := s.SignUp("tf@example.com", "correct-horse-9", "T")
	if err != nil {
		t.Fatal(err)
	}
	setup, err := a.NewTwoFactor()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(setup.URI, "otpauth://totp/") || len(setup.RecoveryCodes) != 10 {
		t.Fatalf("setup = %+v", setup)
	}
	code := func(at time.Time) string {
		c, err := totp.GenerateCodeCustom(setup.Secret, at, totpOpts)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if err := a.EnableTwoFactor(setup, "000000"); !errors.Is(err, ErrWrongCode) && code(clock) != "000000" {
		t.Fatalf("enable with wrong code: %v", err)
	}
	if err := a.EnableTwoFactor(setup, code(clock)); err != nil {
		t.Fatal(err)
	}
	a.Close()

	si, err := s.SignIn("tf@example.com", "correct-horse-9")
	if err != nil || !si.NeedsCode() {
		t.Fatalf("sign-in with 2FA: %v, needs code %v", err, si != nil && si.NeedsCode())
	}
	if _, err := si.Complete(""); !errors.Is(err, ErrCodeRequired) {
		t.Fatalf("no code: %v", err)
	}
	if _, err := si.Complete(code(clock)); !errors.Is(err, ErrWrongCode) {
		t.Fatalf("code reused from enabling: %v", err)
	}
	clock = clock.Add(30 * time.Second)
	b, err := si.Complete(code(clock))
	if err != nil {
		t.Fatalf("fresh code: %v", err)
	}
	if err := b.CheckCode(code(clock)); !errors.Is(err, ErrWrongCode) {
		t.Fatalf("same code twice: %v", err)
	}
	if err := b.CheckCode(code(clock.Add(-30 * time.Second))); !errors.Is(err, ErrWrongCode) {
		t.Fatalf("older code after newer: %v", err)
	}
	if err := b.CheckCode(setup.RecoveryCodes[3]); err != nil {
		t.Fatalf("recovery code: %v", err)
	}
	if err := b.CheckCode(setup.RecoveryCodes[3]); !errors.Is(err, ErrWrongCode) {
		t.Fatalf("recovery code twice: %v", err)
	}
	if n, _ := b.RecoveryCodesLeft(); n != 9 {
		t.Fatalf("recovery codes left = %d", n)
	}
	if err := b.DisableTwoFactor("bad-password-1"); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("disable with wrong password: %v", err)
	}
	if err := b.DisableTwoFactor("correct-horse-9"); err != nil {
		t.Fatal(err)
	}
	if on, _ := b.TwoFactor(); on {
		t.Fatal("two-factor still on")
	}
}

func TestSecondOpenIsRefused(t *testing.T) {
	dir := t.TempDir()
	openTestStore(t, dir, fastOptions())
	start := time.Now()
	_, err := Open(dir, fastOptions())
	if !errors.Is(err, ErrAlreadyOpen) {
		t.Fatalf("second Open: %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("second Open took %v", d)
	}
}

func TestNoPlaintextOnDisk(t *testing.T) {
	dir := t.TempDir()
	s := openTestStore(t, dir, fastOptions())
	a, err := s.CreateSample(SampleSmall, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	needles := knownPlaintext(t, a)
	if len(needles) < 50 {
		t.Fatalf("only %d known plaintexts gathered", len(needles))
	}
	a.Close()
	assertNoPlaintext(t, dir, needles)
}

func TestSampleHasEveryBlocker(t *testing.T) {
	s := openTestStore(t, t.TempDir(), fastOptions())
	a, err := s.CreateSample(SampleSmall, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	c, _ := a.Counts()
	for _, k := range Kinds {
		if c[k] == 0 {
			t.Errorf("sample has no %s", k)
		}
	}
	contracts, _ := List[Contract](a)
	invoices, _ := List[Invoice](a)
	jobs, _ := List[Job](a)
	disputes, _ := List[Dispute](a)
	team, _ := List[TeamMember](a)
	has := func(ok func(int) bool, n int) bool {
		for i := range n {
			if ok(i) {
				return true
			}
		}
		return false
	}
	if !has(func(i int) bool { return contracts[i].Status == ContractActive }, len(contracts)) ||
		!has(func(i int) bool { return contracts[i].Status == ContractPaused }, len(contracts)) ||
		!has(func(i int) bool { return invoices[i].Status == InvoiceDue }, len(invoices)) ||
		!has(func(i int) bool { return invoices[i].Status == InvoiceOverdue }, len(invoices)) ||
		!has(func(i int) bool { return jobs[i].Status == JobOpen }, len(jobs)) ||
		!has(func(i int) bool { return disputes[i].Status == DisputeOpen }, len(disputes)) ||
		!has(func(i int) bool { return !team[i].Owner }, len(team)) {
		t.Fatal("the small sample lacks a blocker kind")
	}
	if err := a.Check(); err != nil {
		t.Fatal(err)
	}
}

func TestTamperingIsDetected(t *testing.T) {
	_, a := newTestAccount(t)
	for _, title := range []string{"first", "second"} {
		if err := a.Put(&Job{Title: title, Budget: Money{Currency: "USD"}, Type: Fixed, Status: JobOpen}); err != nil {
			t.Fatal(err)
		}
	}
	f := File{Name: "a.bin"}
	if err := a.AddFile(&f, bytes.NewReader(make([]byte, 3*vault.ChunkSize))); err != nil {
		t.Fatal(err)
	}
	rawGet := func(bucket, key []byte) []byte {
		var v []byte
		a.db.View(func(tx *bolt.Tx) error { v = append([]byte(nil), tx.Bucket(bucket).Get(key)...); return nil })
		return v
	}
	rawPut := func(bucket, key, v []byte) {
		t.Helper()
		if err := a.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucket).Put(key, v) }); err != nil {
			t.Fatal(err)
		}
	}
	jobs := []byte(KindJobs)
	first, second := rawGet(jobs, be64(1)), rawGet(jobs, be64(2))

	t.Run("every byte flip", func(t *testing.T) {
		for i := range first {
			bad := append([]byte(nil), first...)
			bad[i] ^= 0x40
			rawPut(jobs, be64(1), bad)
			if _, err := Get[Job](a, 1); err == nil {
				t.Fatalf("flip at byte %d of %d not detected", i, len(first))
			}
			if err := a.Check(); err == nil {
				t.Fatalf("Check missed flip at byte %d", i)
			}
		}
		rawPut(jobs, be64(1), first)
	})
	t.Run("swapped records", func(t *testing.T) {
		rawPut(jobs, be64(1), second)
		rawPut(jobs, be64(2), first)
		if _, err := Get[Job](a, 1); !errors.Is(err, vault.ErrCorrupt) {
			t.Fatalf("swap not detected: %v", err)
		}
		rawPut(jobs, be64(1), first)
		rawPut(jobs, be64(2), second)
	})
	readFile := func() error {
		rc, err := a.OpenFile(f.ID)
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, rc)
		return err
	}
	t.Run("truncated file", func(t *testing.T) {
		last := chunkKey(f.ID, 2)
		saved := rawGet(bChunks, last)
		a.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bChunks).Delete(last) })
		if err := readFile(); !errors.Is(err, vault.ErrCorrupt) {
			t.Fatalf("missing last chunk: %v", err)
		}
		if err := a.Check(); !errors.Is(err, vault.ErrCorrupt) {
			t.Fatalf("Check missed missing chunk: %v", err)
		}
		rawPut(bChunks, last, saved)
	})
	t.Run("truncated chunk", func(t *testing.T) {
		key := chunkKey(f.ID, 1)
		saved := rawGet(bChunks, key)
		rawPut(bChunks, key, saved[:len(saved)-100])
		if err := readFile(); !errors.Is(err, vault.ErrCorrupt) {
			t.Fatalf("cut chunk: %v", err)
		}
		rawPut(bChunks, key, saved)
	})
	t.Run("reordered chunks", func(t *testing.T) {
		c0, c1 := rawGet(bChunks, chunkKey(f.ID, 0)), rawGet(bChunks, chunkKey(f.ID, 1))
		rawPut(bChunks, chunkKey(f.ID, 0), c1)
		rawPut(bChunks, chunkKey(f.ID, 1), c0)
		if err := readFile(); !errors.Is(err, vault.ErrCorrupt) {
			t.Fatalf("reordered chunks: %v", err)
		}
		rawPut(bChunks, chunkKey(f.ID, 0), c0)
		rawPut(bChunks, chunkKey(f.ID, 1), c1)
	})
	if err := readFile(); err != nil {
		t.Fatalf("restored file: %v", err)
	}
	if err := a.Check(); err != nil {
		t.Fatalf("restored account: %v", err)
	}
}

func TestKeySlotFromAnotherAccountFails(t *testing.T) {
	dir := t.TempDir()
	s := openTestStore(t, dir, fastOptions())
	a, _ := s.SignUp("a@example.com", "correct-horse-9", "A")
	b, _ := s.SignUp("b@example.com", "correct-horse-9", "B")
	var slot []byte
	b.db.View(func(tx *bolt.Tx) error { slot = append([]byte(nil), tx.Bucket(bHeader).Get(kSlot)...); return nil })
	a.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bHeader).Put(kSlot, slot) })
	a.Close()
	b.Close()
	if _, err := s.SignIn("a@example.com", "correct-horse-9"); !errors.Is(err, ErrCorruptFile) {
		t.Fatalf("foreign key slot: %v", err)
	}
}

func TestBadFilesGiveErrors(t *testing.T) {
	dir := t.TempDir()
	s := openTestStore(t, dir, fastOptions())
	a, err := s.SignUp("good@example.com", "correct-horse-9", "Good")
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	good, err := os.ReadFile(a.path)
	if err != nil {
		t.Fatal(err)
	}
	bad := map[string][]byte{
		"empty":     nil,
		"text":      []byte("this is not a database"),
		"truncated": good[:4096+100],
		"zeros":     make([]byte, 32768),
	}
	for name, content := range bad {
		p := s.accountPath(newID())
		if err := os.WriteFile(p, content, 0o600); err != nil {
			t.Fatal(err)
		}
		db, err := openDB(p)
		if err == nil {
			err = view(db, func(tx *bolt.Tx) error { _, err := readHeader(tx); return err })
			db.Close()
		}
		if err == nil {
			t.Errorf("%s file opened without error", name)
		}
	}
	// Damaged neighbours do not stop the good account from signing in.
	signIn(t, s, "good@example.com", "correct-horse-9")
}

func TestPurgeRemovesOnlyThatAccount(t *testing.T) {
	dir := t.TempDir()
	s := openTestStore(t, dir, fastOptions())
	keep, _ := s.SignUp("keep@example.com", "correct-horse-9", "Keep")
	gone, _ := s.SignUp("gone@example.com", "correct-horse-9", "Gone")
	if err := gone.Put(&Job{Title: "secret job title", Budget: Money{Currency: "USD"}, Type: Fixed, Status: JobClosed}); err != nil {
		t.Fatal(err)
	}
	refused := errors.New("blocker")
	if err := gone.Purge(func() error { return refused }, nil); err != refused {
		t.Fatalf("check error not returned: %v", err)
	}
	if _, err := gone.Profile(); err != nil {
		t.Fatalf("account changed by a refused purge: %v", err)
	}
	var last int64
	if err := gone.Purge(nil, func(done, total int64) { last = done }); err != nil {
		t.Fatal(err)
	}
	if last == 0 {
		t.Fatal("no progress reported")
	}
	if _, err := s.SignIn("gone@example.com", "correct-horse-9"); !errors.Is(err, ErrNoAccount) {
		t.Fatalf("purged account signs in: %v", err)
	}
	if _, err := keep.Profile(); err != nil {
		t.Fatalf("other account hurt: %v", err)
	}
	assertNoPlaintext(t, dir, [][]byte{[]byte(gone.id), []byte("gone@example.com")})
	again, err := s.SignUp("gone@example.com", "fresh-start-2026", "Gone Again")
	if err != nil {
		t.Fatalf("same email after purge: %v", err)
	}
	if c, _ := again.Counts(); c[KindJobs] != 0 {
		t.Fatal("new account is not empty")
	}
}

func TestInterruptedPurgeFinishesOnOpen(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, fastOptions())
	if err != nil {
		t.Fatal(err)
	}
	a, _ := s.SignUp("p@example.com", "correct-horse-9", "P")
	a.Close()
	purging := strings.TrimSuffix(a.path, accountExt) + purgingExt
	if err := os.Rename(a.path, purging); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(a.path+".new", []byte("half"), 0o600)
	s.Close()
	s2 := openTestStore(t, dir, fastOptions())
	left, _ := filepath.Glob(filepath.Join(dir, accountsDir, "*"))
	if len(left) != 0 {
		t.Fatalf("left behind: %v", left)
	}
	if _, err := s2.SignIn("p@example.com", "correct-horse-9"); !errors.Is(err, ErrNoAccount) {
		t.Fatal(err)
	}
}
