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
)

func TestClosureRefusesEveryOutOfOrderAction(t *testing.T) {
	_, a := sampleAccount(t)
	c, err := a.BeginClosure()
	if err != nil {
		t.Fatal(err)
	}
	var order *ErrOutOfOrder
	attempts := map[string]func() error{
		"settled": c.Settled,
		"skip":    func() error { return c.SkipBackup(true) },
		"backup": func() error {
			_, err := c.Backup(context.Background(), filepath.Join(t.TempDir(), "x.zip"), ExportOptions{})
			return err
		},
		"reason":   func() error { return c.SetReason(ReasonJobDone, "") },
		"confirm":  func() error { return c.Confirm(SampleEmail) },
		"verify":   func() error { return c.Verify(SamplePassword, "") },
		"resolve":  func() error { return c.Resolve(Blocker{Kind: BlockJob, ID: 1}) },
		"purge":    func() error { _, err := c.Purge(nil); return err },
		"resolveA": func() error { _, err := c.ResolveAll(); return err },
	}
	for name, try := range attempts {
		if err := try(); !errors.As(err, &order) {
			t.Errorf("%s at the first step: %v", name, err)
		}
	}
	if err := c.Back(); err == nil {
		t.Error("Back at the first step was accepted")
	}
	if c.Step() != StepImplications {
		t.Fatalf("step moved to %v", c.Step())
	}
	if _, err := os.Stat(a.path); err != nil {
		t.Fatal("account file touched")
	}
}

func TestClosureImplicationsUseTheAccountsNumbers(t *testing.T) {
	_, a := sampleAccount(t)
	c, _ := a.BeginClosure()
	im, err := c.Implications()
	if err != nil {
		t.Fatal(err)
	}
	first := im.Consequences[0].String()
	if !strings.Contains(first, "6 job postings, 64 messages, 12 files and 6 reviews") {
		t.Fatalf("consequence = %q", first)
	}
	if len(im.Consequences) != 5 || !strings.Contains(im.Consequences[4].String(), SampleEmail) {
		t.Fatalf("consequences = %v", im.Consequences)
	}
}

// sampleBlockers opens a fresh sample, begins closing it and lists what
// must be settled first.
func sampleBlockers(t *testing.T) (*Account, *Closure, []Blocker) {
	t.Helper()
	_, a := sampleAccount(t)
	c, _ := a.BeginClosure()
	if err := c.Continue(); err != nil {
		t.Fatal(err)
	}
	list, err := c.Blockers()
	if err != nil {
		t.Fatal(err)
	}
	return a, c, list
}

func TestEveryBlockerKindBlocksAndResolves(t *testing.T) {
	a, c, list := sampleBlockers(t)
	kinds := map[BlockerKind]int{}
	for _, b := range list {
		kinds[b.Kind]++
	}
	for _, k := range []BlockerKind{BlockContract, BlockInvoice, BlockJob, BlockDispute, BlockMember} {
		if kinds[k] == 0 {
			t.Fatalf("no %s blocker in %v", k, kinds)
		}
	}
	txBefore, _ := a.Counts()
	for i, b := range list {
		var be *BlockersError
		if err := c.Settled(); !errors.As(err, &be) || len(be.Blockers) != len(list)-i {
			t.Fatalf("with %d blockers left, Settled = %v", len(list)-i, err)
		}
		if err := c.Resolve(b); err != nil {
			t.Fatalf("resolve %s %d: %v", b.Kind, b.ID, err)
		}
	}
	// Settling is recorded in the data, so an export shows it.
	contracts, _ := List[Contract](a)
	for _, r := range contracts {
		if r.Status != ContractEnded || r.End.IsZero() {
			t.Fatalf("contract %d = %s, end %v", r.ID, r.Status, r.End)
		}
	}
	invoices, _ := List[Invoice](a)
	for _, r := range invoices {
		if r.Status != InvoicePaid || r.Paid.IsZero() {
			t.Fatalf("invoice %s = %s", r.Number, r.Status)
		}
	}
	after, _ := a.Counts()
	if after[KindTransactions] != txBefore[KindTransactions]+kinds[BlockInvoice] {
		t.Fatalf("payments not recorded: %d → %d", txBefore[KindTransactions], after[KindTransactions])
	}
	if after[KindTeam] != 1 {
		t.Fatalf("team left: %d", after[KindTeam])
	}
	if err := c.Settled(); err != nil {
		t.Fatal(err)
	}
	if c.Step() != StepBackup {
		t.Fatalf("step = %v", c.Step())
	}
}

// walkTo drives a fresh closure of the sample to the verify step.
func walkTo(t *testing.T, a *Account, backup string) *Closure {
	t.Helper()
	c, _ := a.BeginClosure()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(c.Continue())
	_, err := c.ResolveAll()
	must(err)
	must(c.Settled())
	if backup == "" {
		must(c.SkipBackup(true))
	} else {
		_, err := c.Backup(context.Background(), backup, ExportOptions{})
		must(err)
	}
	must(c.SetReason(ReasonConsolidating, ""))
	must(c.Confirm("  " + strings.ToUpper(SampleEmail) + " "))
	return c
}

func TestClosureWaysBack(t *testing.T) {
	_, a := sampleAccount(t)
	c := walkTo(t, a, "")
	for want := StepConfirm; want >= StepImplications; want-- {
		if err := c.Back(); err != nil {
			t.Fatalf("back to %v: %v", want, err)
		}
		if c.Step() != want {
			t.Fatalf("step = %v, want %v", c.Step(), want)
		}
	}
	if err := c.SkipBackup(true); err == nil {
		t.Fatal("skipped a step after going back")
	}
}

func TestSkipNeedsTheTick(t *testing.T) {
	_, a := sampleAccount(t)
	c, _ := a.BeginClosure()
	c.Continue()
	c.ResolveAll()
	c.Settled()
	if err := c.SkipBackup(false); err == nil || c.Step() != StepBackup {
		t.Fatalf("skip without the tick: %v at %v", err, c.Step())
	}
}

func TestConfirmNeedsTheEmail(t *testing.T) {
	_, a := sampleAccount(t)
	c := walkTo(t, a, "")
	c.Back()
	if err := c.Confirm("someone@else.example"); err == nil || c.Step() != StepConfirm {
		t.Fatalf("wrong email: %v at %v", err, c.Step())
	}
	if c.ConfirmMatches("owner@northwind") || !c.ConfirmMatches(" Owner@Northwind-Studio.example") {
		t.Fatal("ConfirmMatches is wrong")
	}
}

func TestVerifyRefusesWrongAnswersAndThrottles(t *testing.T) {
	dir := t.TempDir()
	clock := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	opt := fastOptions()
	opt.Now = func() time.Time { return clock }
	s := openTestStore(t, dir, opt)
	a, err := s.CreateSample(SampleSmall, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	setup, _ := a.NewTwoFactor()
	code := func() string { c, _ := totp.GenerateCodeCustom(setup.Secret, clock, totpOpts); return c }
	if err := a.EnableTwoFactor(setup, code()); err != nil {
		t.Fatal(err)
	}
	used := code()
	clock = clock.Add(time.Minute)
	c := walkTo(t, a, "")
	if err := c.Verify(SamplePassword, ""); !errors.Is(err, ErrCodeRequired) {
		t.Fatalf("no code: %v", err)
	}
	if err := c.Verify(SamplePassword, used); !errors.Is(err, ErrWrongCode) {
		t.Fatalf("used code: %v", err)
	}
	// Wrong codes after the right password have their own throttle, which
	// the right password does not clear (the used code above was the first).
	wrong := func() string { b := []byte(code()); b[0] = '0' + (b[0]-'0'+1)%10; return string(b) }
	for i := 1; i < freeAttempts+1; i++ {
		if err := c.Verify(SamplePassword, wrong()); !errors.Is(err, ErrWrongCode) {
			t.Fatalf("wrong code %d: %v", i, err)
		}
	}
	var te *ThrottledError
	if err := c.Verify(SamplePassword, code()); !errors.As(err, &te) {
		t.Fatalf("codes not throttled: %v", err)
	}
	clock = clock.Add(te.Wait)
	for i := 0; i < freeAttempts+1; i++ {
		c.Verify("wrong-password-1", code())
	}
	if err := c.Verify(SamplePassword, code()); !errors.As(err, &te) {
		t.Fatalf("not throttled: %v", err)
	}
	if c.Step() != StepVerify {
		t.Fatalf("wrong answers moved the step to %v", c.Step())
	}
	if _, err := a.Profile(); err != nil {
		t.Fatal("account changed")
	}
	clock = clock.Add(20 * time.Minute)
	if err := c.Verify(SamplePassword, code()); err != nil {
		t.Fatal(err)
	}
	if c.Step() != StepPurge {
		t.Fatalf("step = %v", c.Step())
	}
}

func TestPurgeRechecksBlockersAndBackup(t *testing.T) {
	_, a := sampleAccount(t)
	out := filepath.Join(t.TempDir(), "backup.zip")
	c := walkTo(t, a, out)
	if err := c.Verify(SamplePassword, ""); err != nil {
		t.Fatal(err)
	}
	// A blocker that appears after settling stops the purge.
	if err := a.Put(&Job{Title: "Late posting", Budget: Money{Currency: "USD"}, Type: Fixed, Status: JobOpen}); err != nil {
		t.Fatal(err)
	}
	var be *BlockersError
	if _, err := c.Purge(nil); !errors.As(err, &be) || c.Step() != StepBlockers {
		t.Fatalf("late blocker: %v at %v", err, c.Step())
	}
	if _, err := a.Profile(); err != nil {
		t.Fatal("account touched by a refused purge")
	}
	// A backup removed after it verified stops the purge too.
	c2 := walkTo(t, a, out)
	c2.Verify(SamplePassword, "")
	os.Remove(out)
	if _, err := c2.Purge(nil); err == nil || c2.Step() != StepBackup {
		t.Fatalf("missing backup: %v at %v", err, c2.Step())
	}
}

func TestFailedBackupStopsTheSequence(t *testing.T) {
	_, a := sampleAccount(t)
	c, _ := a.BeginClosure()
	c.Continue()
	c.ResolveAll()
	c.Settled()
	_, err := c.Backup(context.Background(), filepath.Join(t.TempDir(), "missing-folder", "x.zip"), ExportOptions{})
	if err == nil || c.Step() != StepBackup {
		t.Fatalf("failed backup: %v at %v", err, c.Step())
	}
	if err := c.SetReason(ReasonNone, ""); err == nil {
		t.Fatal("went on without a backup")
	}
}

func TestWholeClosure(t *testing.T) {
	dir := t.TempDir()
	s := openTestStore(t, dir, fastOptions())
	other, err := s.SignUp("other@example.com", "correct-horse-9", "Other Co")
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.CreateSample(SampleSmall, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	needles := knownPlaintext(t, a)
	needles = append(needles, []byte(a.ID()))
	out := filepath.Join(t.TempDir(), "backup.zip")
	c := walkTo(t, a, out)
	if err := c.Verify(SamplePassword, ""); err != nil {
		t.Fatal(err)
	}
	var done, total int64
	r, err := c.Purge(func(d, tt int64) { done, total = d, tt })
	if err != nil {
		t.Fatal(err)
	}
	if done != total || total == 0 {
		t.Fatalf("progress %d/%d", done, total)
	}
	if c.Step() != StepDone || r.Deleted[KindMessages] != 64 || r.ExportSHA256 == "" || r.Reason != ReasonConsolidating {
		t.Fatalf("receipt = %+v", r)
	}
	text := r.String()
	for _, want := range []string{"deactivated and its data deleted", "Messages:              64", r.ExportSHA256, "Why you left: Consolidating accounts."} {
		if !strings.Contains(text, want) {
			t.Errorf("receipt lacks %q:\n%s", want, text)
		}
	}
	// Written for a person: none of the store's own words.
	for _, internal := range []string{"Reason given", "other:", " team ", " jobs ", " threads ", " billing ", "transactions"} {
		if strings.Contains(text, internal) {
			t.Errorf("the receipt says %q:\n%s", internal, text)
		}
	}
	elsewise := *r
	elsewise.Reason, elsewise.ReasonText = ReasonOther, "moving to a cooperative"
	if text := elsewise.String(); !strings.Contains(text, "Why you left, in your words: moving to a cooperative") || strings.Contains(text, "other:") {
		t.Errorf("the receipt with another reason:\n%s", text)
	}
	if strings.Contains(text, SamplePassword) {
		t.Fatal("receipt holds the password")
	}
	if err := c.Back(); !errors.Is(err, ErrPurgeStarted) {
		t.Fatalf("back after purge: %v", err)
	}
	if _, err := s.SignIn(SampleEmail, SamplePassword); !errors.Is(err, ErrNoAccount) {
		t.Fatalf("old password after purge: %v", err)
	}
	if _, err := other.Profile(); err != nil {
		t.Fatalf("other account: %v", err)
	}
	other.Close()
	assertNoPlaintext(t, dir, needles)
	fresh, err := s.SignUp(SampleEmail, "a-new-beginning-1", "Northwind again")
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := fresh.Counts(); n.Total() != 0 {
		t.Fatalf("new account not empty: %v", n)
	}
}
