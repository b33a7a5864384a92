package ui

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"offboard/account"
)

// The deactivation sequence, driven as its owner would: tapping the buttons
// the dialogs keep, typing into their fields and pressing keys.

const exportPassphrase = "lighthouse keeper's ledger"

var totpOpts = totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// startDeactivation opens the sample account, then Settings › Account, and
// taps Deactivate Account.
func (h *harness) startDeactivation() *closureFlow {
	h.t.Helper()
	if h.u.acct == nil {
		h.openSample()
	}
	a := h.openSettings("Account").account
	h.tap(a.deactivate)
	f := h.u.closure
	if f == nil {
		h.t.Fatalf("Deactivate Account did not start the sequence; the window shows:\n%s", h.shown())
	}
	h.expectStep(f, account.StepImplications)
	return f
}

// expectStep fails the test unless the sequence shows step's dialog.
func (h *harness) expectStep(f *closureFlow, step account.Step) {
	h.t.Helper()
	if f.step != step || f.d == nil || h.u.closure != f {
		h.t.Fatalf("the sequence is at %v (open %v), want %v; the window shows:\n%s", f.step, f.d != nil, step, h.shown())
	}
	if int(step) < account.StepCount {
		h.expectShown(fmt.Sprintf("Step %d of 7", int(step)+1))
	}
}

// enableTwoFactor turns two-factor sign-in on for the signed-in account and
// returns its secret.
func (h *harness) enableTwoFactor() string {
	h.t.Helper()
	setup, err := h.u.acct.NewTwoFactor()
	if err != nil {
		h.t.Fatal(err)
	}
	code, err := totp.GenerateCodeCustom(setup.Secret, h.clock(), totpOpts)
	if err != nil {
		h.t.Fatal(err)
	}
	if err := h.u.acct.EnableTwoFactor(setup, code); err != nil {
		h.t.Fatal(err)
	}
	return setup.Secret
}

// settleAgreed taps a settling button and agrees to what its question
// says will happen.
func (h *harness) settleAgreed(f *closureFlow, b *button) {
	h.t.Helper()
	h.tap(b)
	q := f.settle.question
	if q == nil {
		h.t.Fatalf("settling did not ask first; the window shows:\n%s", h.shown())
	}
	h.tap(q.yes)
}

// walkTo takes the sequence from its first step to step the short way:
// Settle all, no copy, no reason.
func (h *harness) walkTo(f *closureFlow, step account.Step) {
	h.t.Helper()
	for f.step < step {
		switch f.step {
		case account.StepImplications:
			h.tap(f.next)
		case account.StepBlockers:
			if !f.settle.settleAll.Hidden {
				h.settleAgreed(f, f.settle.settleAll)
			}
			h.tap(f.next)
		case account.StepBackup:
			h.tap(f.backup.noCopy)
			h.tap(f.backup.skip)
		case account.StepReason:
			h.tap(f.next)
		case account.StepConfirm:
			h.typeInto(f.confirm.email, account.SampleEmail)
			h.tap(f.next)
		default:
			h.t.Fatalf("walkTo cannot go past %v", f.step)
		}
		if h.u.closure != f {
			h.t.Fatalf("the sequence ended at %v; the window shows:\n%s", f.step, h.shown())
		}
	}
	h.expectStep(f, step)
}

// expectAccountKept fails unless the sample account is still there, open in
// the window, with its password and its data.
func (h *harness) expectAccountKept() {
	h.t.Helper()
	acct := h.u.acct
	if acct == nil {
		h.t.Fatal("no account is signed in")
	}
	if err := acct.CheckPassword(account.SamplePassword); err != nil {
		h.t.Fatalf("the account's password does not open it: %v", err)
	}
	counts, err := acct.Counts()
	if err != nil || counts[account.KindMessages] == 0 {
		h.t.Errorf("the kept account holds %v (%v)", counts, err)
	}
	if len(h.accountFiles()) != 1 {
		h.t.Errorf("the data folder holds %v", h.accountFiles())
	}
}

// accountFiles lists the account files in the data folder.
func (h *harness) accountFiles() []string {
	var found []string
	filepath.WalkDir(h.dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(path, ".db") || strings.HasSuffix(path, ".purging")) {
			found = append(found, path)
		}
		return nil
	})
	return found
}

// The whole closure in the window, step by step; each step is a subtest,
// and a step that fails ends the walk there (the next ones need it).
func TestDeactivateTheWholeWay(t *testing.T) {
	h := newHarness(t)
	h.openSample()
	secret := h.enableTwoFactor()
	acct := h.u.acct
	f := h.startDeactivation()

	var (
		s    *settleStep
		path string
		sum  string
	)
	// 1. Before you go: the consequences with this account's numbers.
	if !h.step(t, "1 before you go", func(t *testing.T) {
		counts, _ := acct.Counts()
		h.expectShown("Before you go", "Keep my account", "Continue",
			"There is no reactivation", "Deleting the account does not cancel contracts or billing",
			countText(counts[account.KindMessages])+" messages", account.SampleEmail)
		if f.back != nil {
			t.Error("the first step has a Back button")
		}
		if h.canvas().Focused() != f.next {
			t.Error("Continue does not have the focus, so Enter would not press it")
		}
		h.key(fyne.KeyReturn)
		h.settle()
	}) {
		return
	}
	// 2. Settle first: every blocker with its own button; Continue waits.
	if !h.step(t, "2 settle first", func(t *testing.T) {
		h.expectStep(f, account.StepBlockers)
		s = f.settle
		if len(s.resolve) < 5 || !f.next.Disabled() {
			t.Fatalf("%d blockers, Continue disabled %v", len(s.resolve), f.next.Disabled())
		}
		h.expectShown("End contract", "Pay invoice", "Close posting", "Resolve dispute", "Remove member", "Settle all")
		// Back, then forward again: nothing is lost.
		h.tap(f.back)
		h.expectStep(f, account.StepImplications)
		h.tap(f.next)
		h.expectStep(f, account.StepBlockers)
		s = f.settle
		for n := 0; len(s.resolve) > 0; n++ {
			if n > 30 {
				t.Fatal("the blockers do not go away")
			}
			left := len(s.resolve)
			h.settleAgreed(f, s.resolve[0])
			if len(s.resolve) != left-1 {
				t.Fatalf("after one Resolve %d of %d blockers are left; the window shows:\n%s", len(s.resolve), left, h.shown())
			}
		}
		h.expectShown("Nothing to settle")
		if f.next.Disabled() {
			t.Fatal("Continue stays disabled with nothing to settle")
		}
		h.tap(f.next)
	}) {
		return
	}
	// 3. Back up your data, with a passphrase.
	if !h.step(t, "3 back up", func(t *testing.T) {
		h.expectStep(f, account.StepBackup)
		b := f.backup
		if !f.next.Disabled() || !b.skip.Disabled() {
			t.Error("the step can be left forward without a copy and without the tick")
		}
		h.tap(b.options.protect)
		h.typeInto(b.options.passphrase, exportPassphrase)
		h.typeInto(b.options.repeat, exportPassphrase)
		h.tap(b.start)
		name := account.DefaultExportName("Northwind Studio", time.Now(), true)
		if len(h.saved) != 1 || h.saved[0] != name {
			t.Fatalf("the save chooser suggested %q, want %q", h.saved, name)
		}
		path = filepath.Join(h.saveTo, name)
		sum = fileSHA(t, path)
		h.expectShown("Your data was exported and verified.", path, groupedSum(sum), "Yes: every entry matches its checksum", "Show in folder")
		if f.c.Step() != account.StepReason || f.step != account.StepBackup || f.next.Disabled() {
			t.Fatalf("after the backup the closure is at %v, the dialog at %v, Continue disabled %v", f.c.Step(), f.step, f.next.Disabled())
		}
		h.tap(b.showFolder)
		if len(h.openedDirs) != 1 || h.openedDirs[0] != h.saveTo {
			t.Errorf("Show in folder opened %q", h.openedDirs)
		}
		if _, err := account.VerifyExport(context.Background(), path, exportPassphrase); err != nil {
			t.Fatalf("the backup does not verify: %v", err)
		}
		h.tap(f.next)
	}) {
		return
	}
	// 4. Why are you leaving?
	if !h.step(t, "4 why are you leaving", func(t *testing.T) {
		h.expectStep(f, account.StepReason)
		h.expectShown("Changing business direction", "Job completed", "Consolidating accounts",
			"Not satisfied with the platform", "Other", "never sent anywhere")
		if !f.reason.other.Disabled() {
			t.Error("the text for Other can be typed in before Other is chosen")
		}
		h.tap(f.reason.choices.options[1])
		h.tap(f.next)
	}) {
		return
	}
	// 5. Confirm: the summary, and the email typed once more.
	if !h.step(t, "5 confirm", func(t *testing.T) {
		h.expectStep(f, account.StepConfirm)
		h.expectShown(path, groupedSum(sum), "Job completed", "Confirm Deactivation")
		if !f.next.Disabled() || h.canvas().Focused() != f.confirm.email {
			t.Fatal("Confirm Deactivation is not disabled with the cursor in the email field")
		}
		h.typeInto(f.confirm.email, strings.ToUpper(account.SampleEmail))
		if f.next.Disabled() {
			t.Fatal("the email in capitals does not enable Confirm Deactivation")
		}
		h.key(fyne.KeyReturn)
		h.settle()
		if f.step != account.StepConfirm {
			t.Fatal("Enter in the email field confirmed the deactivation")
		}
		h.tap(f.next)
	}) {
		return
	}
	// 6. Verify it's you: password and a fresh two-factor code.
	if !h.step(t, "6 verify it's you", func(t *testing.T) {
		h.expectStep(f, account.StepVerify)
		v := f.verify
		if !v.codeF.box.Visible() {
			t.Fatal("no code field although two-factor sign-in is on")
		}
		h.advance(31 * time.Second)
		code, _ := totp.GenerateCodeCustom(secret, h.clock(), totpOpts)
		h.typeInto(v.password, account.SamplePassword)
		h.typeInto(v.code, code)
		h.key(fyne.KeyReturn)
		h.settle()
		if f.step != account.StepVerify || len(h.accountFiles()) == 0 {
			t.Fatal("Enter in the code field verified and deleted")
		}
	}) {
		return
	}
	// 7. Deleting: once verified, the purge runs at once, with no way out.
	if !h.step(t, "7 deleting", func(t *testing.T) {
		testTap(f.next)
		for f.step == account.StepVerify {
			(<-h.queue)()
		}
		h.expectStep(f, account.StepPurge)
		h.expectShown("Deleting your account", "This cannot be stopped")
		h.expectNotShown("Keep my account")
		h.canvas().Unfocus()
		h.key(fyne.KeyEscape)
		if f.step != account.StepPurge || h.dialogs() != 1 {
			t.Fatal("Escape closed the purge's dialog")
		}
		h.settle()
	}) {
		return
	}
	// 8. Done: the result and the receipt.
	if !h.step(t, "8 done", func(t *testing.T) {
		if f.step != account.StepDone {
			t.Fatalf("the purge ended at %v; the window shows:\n%s", f.step, h.shown())
		}
		h.expectShown("Your account has been deactivated and its data deleted.", path, groupedSum(sum), "Save receipt…", "Message threads")
		// Show in folder without a file manager: plain words and the path to copy.
		openFolder := h.u.openFolder
		h.u.openFolder = func(string) error { return &exec.Error{Name: "xdg-open", Err: exec.ErrNotFound} }
		h.tap(f.end.showFolder)
		h.expectShown("The folder could not be opened", "No file manager is set up")
		h.expectNotShown("xdg-open", "executable", "$PATH")
		if ff := h.u.folderFailed; ff == nil || ff.path.Text != path {
			t.Errorf("Show in folder on Done does not offer the path %q to copy", path)
		} else {
			h.key(fyne.KeyEscape)
		}
		h.u.openFolder = openFolder
		h.tap(f.end.save)
		receipt := filepath.Join(h.saveTo, receiptName(f.end.receipt))
		if !strings.HasPrefix(filepath.Base(receipt), "offboard-receipt-") {
			t.Errorf("the receipt is suggested as %q", receipt)
		}
		text, err := os.ReadFile(receipt)
		if err != nil {
			t.Fatalf("the receipt was not saved: %v", err)
		}
		for _, want := range []string{"deactivated and its data deleted", account.SampleEmail, sum, "Why you left: Job completed."} {
			if !strings.Contains(string(text), want) {
				t.Errorf("the receipt does not say %q:\n%s", want, text)
			}
		}
		if fi, _ := os.Stat(receipt); fi.Mode().Perm() != 0o600 {
			t.Errorf("the receipt's mode is %v", fi.Mode().Perm())
		}
		h.expectShown("The receipt was saved")
		h.tap(f.next)
	}) {
		return
	}
	// Back on the sign-in screen, and the account is gone for good.
	if !h.step(t, "back on sign-in", func(t *testing.T) {
		if !h.onScreen(h.u.signIn.content) || h.u.acct != nil || h.u.workspace != nil || h.u.closure != nil || h.dialogs() != 0 {
			t.Fatalf("Close did not return to sign-in; the window shows:\n%s", h.shown())
		}
		h.expectShown("Your account was deactivated.")
		h.expectNotShown("Back to")
		if _, err := h.store.SignIn(account.SampleEmail, account.SamplePassword); !errors.Is(err, account.ErrNoAccount) {
			t.Errorf("signing in again: %v, want ErrNoAccount", err)
		}
		h.signIn(account.SampleEmail, account.SamplePassword)
		if h.u.signIn.emailF.errorText() == "" {
			t.Errorf("the sign-in screen does not say the account is gone; it shows:\n%s", h.shown())
		}
		if files := h.accountFiles(); len(files) != 0 {
			t.Errorf("the data folder still holds %v", files)
		}
		if _, err := os.Stat(path); err != nil {
			t.Errorf("the backup is gone: %v", err)
		}
	}) {
		return
	}
}

func TestKeepMyAccountAtEveryStep(t *testing.T) {
	// Each step is left one of the two ways: its button, or Escape.
	for _, tc := range []struct {
		step   account.Step
		escape bool
	}{
		{account.StepImplications, false},
		{account.StepBlockers, true},
		{account.StepBackup, false},
		{account.StepReason, true},
		{account.StepConfirm, false},
		{account.StepVerify, true},
	} {
		how := "Keep my account"
		if tc.escape {
			how = "Escape"
		}
		t.Run(tc.step.String()+"/"+how, func(t *testing.T) {
			h := newHarness(t)
			f := h.startDeactivation()
			h.walkTo(f, tc.step)
			if tc.escape {
				h.key(fyne.KeyEscape) // to the focused field or button, which passes it on
			} else {
				h.tap(f.keep)
			}
			h.settle()
			if tc.step > account.StepBlockers {
				// Settle all ran on the way: leaving says it stays done.
				if f.keptNotice == nil {
					t.Fatalf("%s did not say what was settled; the window shows:\n%s", how, h.shown())
				}
				h.expectShown("What was settled stays settled:")
				h.key(fyne.KeyEscape)
				h.settle()
			}
			if h.dialogs() != 0 || h.u.closure != nil || !h.onScreen(h.u.settings.content) {
				t.Fatalf("%s did not leave the sequence; the window shows:\n%s", how, h.shown())
			}
			if _, err := h.u.acct.Profile(); err != nil {
				t.Fatalf("the account was closed: %v", err)
			}
			if tc.step > account.StepBlockers {
				// What was settled stays settled, and the workspace shows it.
				jobs := h.u.workspace.jobs.rows
				for i := range jobs.len() {
					if j, _ := jobs.at(i); j.Status == account.JobOpen {
						t.Errorf("the workspace still shows %q as open", j.Title)
					}
				}
				if jobs.len() == 0 {
					t.Error("the workspace shows no job postings")
				}
			}
			h.tap(h.u.settings.back)
			h.tap(h.u.workspace.avatar)
			h.tapMenuItem("Log out")
			h.signIn(account.SampleEmail, account.SamplePassword)
			if h.u.acct == nil || !h.onScreen(h.u.workspace.content) {
				t.Fatalf("the kept account does not sign in; the window shows:\n%s", h.shown())
			}
			if len(h.accountFiles()) != 1 {
				t.Errorf("the data folder holds %v", h.accountFiles())
			}
		})
	}
}

func TestSettleFirstHoldsContinueBack(t *testing.T) {
	h := newHarness(t)
	f := h.startDeactivation()
	h.tap(f.next)
	h.expectStep(f, account.StepBlockers)
	if !f.next.Disabled() {
		t.Fatal("Continue is enabled while blockers remain")
	}
	// Nothing but Continue would move on, and Enter does not reach it.
	h.canvas().Unfocus()
	h.key(fyne.KeyReturn)
	h.settle()
	h.expectStep(f, account.StepBlockers)

	h.settleAgreed(f, f.settle.settleAll)
	h.expectShown("Nothing to settle", "items were settled")
	if f.next.Disabled() || len(f.settle.resolve) != 0 {
		t.Fatal("Continue is still disabled after Settle all")
	}
	list, _ := f.c.Blockers()
	if len(list) != 0 {
		t.Fatalf("blockers left after Settle all: %v", list)
	}
	h.tap(f.next)
	h.expectStep(f, account.StepBackup)
}

func TestBackupSkipNeedsTheTick(t *testing.T) {
	h := newHarness(t)
	f := h.startDeactivation()
	h.walkTo(f, account.StepBackup)
	b := f.backup
	if !b.skip.Disabled() || !f.next.Disabled() {
		t.Fatal("the step can be left forward without a copy and without the tick")
	}
	h.tap(b.noCopy)
	if b.skip.Disabled() {
		t.Fatal("ticking the box did not enable Continue without a copy")
	}
	h.tap(b.noCopy)
	if !b.skip.Disabled() {
		t.Fatal("unticking the box left Continue without a copy enabled")
	}
	h.tap(b.noCopy)
	h.tap(b.skip)
	h.expectStep(f, account.StepReason)

	// Other takes the owner's words; the summary shows them.
	h.tap(f.reason.choices.options[len(account.Reasons)-1])
	if f.reason.other.Disabled() {
		t.Fatal("choosing Other did not enable its text")
	}
	h.typeInto(f.reason.other, "Moving to an in-house team")
	h.tap(f.next)
	h.expectStep(f, account.StepConfirm)
	h.expectShown("No copy kept", "Other: Moving to an in-house team")
}

func TestConfirmNeedsTheEmail(t *testing.T) {
	h := newHarness(t)
	f := h.startDeactivation()
	h.walkTo(f, account.StepConfirm)
	for _, typed := range []string{"", "owner@", "someone@northwind-studio.example", account.SampleEmail + "x"} {
		h.typeInto(f.confirm.email, typed)
		if !f.next.Disabled() {
			t.Errorf("%q enables Confirm Deactivation", typed)
		}
	}
	h.typeInto(f.confirm.email, "  Owner@Northwind-Studio.EXAMPLE ")
	if f.next.Disabled() {
		t.Fatal("the email in other capitals does not enable Confirm Deactivation")
	}
	if f.next.Importance != widget.DangerImportance {
		t.Error("Confirm Deactivation does not look like the dangerous action it is")
	}
	h.tap(f.next)
	h.expectStep(f, account.StepVerify)
	if f.verify.codeF.box.Visible() {
		t.Error("a code is asked for although two-factor sign-in is off")
	}
}

func TestVerifyWrongPasswordChangesNothing(t *testing.T) {
	h := newHarness(t)
	f := h.startDeactivation()
	h.walkTo(f, account.StepVerify)
	v := f.verify
	h.typeInto(v.password, "not the password")
	h.tap(f.next)
	if v.passwordF.errorText() == "" || f.step != account.StepVerify || f.c.Step() != account.StepVerify {
		t.Fatalf("a wrong password: error %q, step %v; the window shows:\n%s", v.passwordF.errorText(), f.step, h.shown())
	}
	if v.password.Text != "" || h.canvas().Focused() != v.password {
		t.Error("the wrong password was left in its field or the cursor is elsewhere")
	}

	// Guessing on is throttled like sign-in, and the field says how long to wait.
	for i := 0; i < 10 && !strings.Contains(v.passwordF.errorText(), "Wait"); i++ {
		h.typeInto(v.password, "still not the password")
		h.tap(f.next)
	}
	if !strings.Contains(v.passwordF.errorText(), "Too many wrong attempts. Wait") {
		t.Fatalf("no wait was asked for; the field says %q", v.passwordF.errorText())
	}
	h.typeInto(v.password, account.SamplePassword)
	h.tap(f.next)
	if f.step != account.StepVerify || !strings.Contains(v.passwordF.errorText(), "Wait") {
		t.Fatal("the right password went through during the wait")
	}
	h.advance(time.Minute)
	h.expectAccountKept()

	// Back still works, and Keep my account leaves with the account.
	h.tap(f.back)
	h.expectStep(f, account.StepConfirm)
	h.tap(f.keep)
	if h.u.closure != nil {
		t.Fatal("Keep my account did not leave")
	}
	h.expectAccountKept()
}

func TestCancelledBackupStaysOnTheStep(t *testing.T) {
	h := newHarness(t)
	f := h.startDeactivation()
	h.walkTo(f, account.StepBackup)
	b := f.backup

	// Hold the export at its first progress report until Cancel is tapped.
	release := make(chan struct{})
	first := true
	deliver := h.u.deliver
	h.u.deliver = func(fn func()) {
		deliver(fn)
		if first {
			first = false
			<-release
		}
	}
	testTap(b.start)
	(<-h.queue)()
	if b.progress == nil {
		t.Fatal("no progress dialog")
	}
	h.expectShown("Exporting your data", "Cancel")
	testTap(b.progress.cancel)
	close(release)
	h.settle()
	h.expectStep(f, account.StepBackup)
	h.expectShown("The export was cancelled. No file was left behind.")
	if f.c.Step() != account.StepBackup || !f.next.Disabled() || f.c.BackupResult() != nil {
		t.Fatalf("after a cancelled backup the closure is at %v and Continue disabled is %v", f.c.Step(), f.next.Disabled())
	}
	if entries, _ := os.ReadDir(h.saveTo); len(entries) != 0 {
		t.Errorf("the cancelled backup left %v", entries)
	}
	// A second try goes through.
	h.tap(b.start)
	h.expectShown("Your data was exported and verified.")
	if f.next.Disabled() {
		t.Fatal("Continue is disabled after the backup")
	}
	// Back from a finished backup goes to Settle first.
	h.tap(f.back)
	h.expectStep(f, account.StepBlockers)
}

func TestBlockerAfterSettlingStopsThePurge(t *testing.T) {
	h := newHarness(t)
	f := h.startDeactivation()
	h.walkTo(f, account.StepVerify)

	// A job posting opens after Settle first, before the purge.
	job := account.Job{Title: "Late hire", Description: "Posted at the last minute.", Budget: account.Money{Cents: 50000, Currency: "USD"},
		Type: account.Fixed, Status: account.JobOpen, Posted: h.clock()}
	if err := h.u.acct.Put(&job); err != nil {
		t.Fatal(err)
	}
	h.typeInto(f.verify.password, account.SamplePassword)
	h.tap(f.next)
	h.expectStep(f, account.StepBlockers)
	h.expectShown("Nothing was deleted", "Late hire", "Close posting")
	if !f.next.Disabled() || len(f.settle.resolve) != 1 {
		t.Fatalf("Settle first shows %d blockers, Continue disabled %v", len(f.settle.resolve), f.next.Disabled())
	}
	if _, err := h.u.acct.Profile(); err != nil {
		t.Fatalf("the account was closed: %v", err)
	}
	h.expectAccountKept()

	// Settling it leads on to the end again.
	h.settleAgreed(f, f.settle.resolve[0])
	h.walkTo(f, account.StepVerify)
	h.typeInto(f.verify.password, account.SamplePassword)
	h.tap(f.next)
	h.expectShown("Your account has been deactivated and its data deleted.", "No copy of the data was kept")
	h.key(fyne.KeyEscape)
	if !h.onScreen(h.u.signIn.content) || h.u.acct != nil {
		t.Fatal("Escape on Done did not return to sign-in")
	}
}

func TestBackFromTheReasonKeepsTheVerifiedBackup(t *testing.T) {
	h := newHarness(t)
	f := h.startDeactivation()
	h.walkTo(f, account.StepBackup)
	h.tap(f.backup.start)
	path := f.c.BackupResult().Path
	h.tap(f.next)
	h.expectStep(f, account.StepReason)

	// Back: the copy is still chosen, shown, and Continue goes on with it.
	h.tap(f.back)
	h.expectStep(f, account.StepBackup)
	h.expectShown("Your data was exported and verified.", path)
	if f.next.Disabled() || h.canvas().Focused() != f.next {
		t.Fatalf("after Back, Continue is disabled (%v) or not focused (%v)", f.next.Disabled(), h.canvas().Focused())
	}
	h.tap(f.next)
	h.expectStep(f, account.StepReason)
	if f.c.BackupResult() == nil || f.c.BackupResult().Path != path {
		t.Fatal("the closure forgot the copy")
	}

	// A copy changed since it was verified is not taken again.
	h.tap(f.back)
	if err := os.WriteFile(path, []byte("changed"), 0o600); err != nil {
		t.Fatal(err)
	}
	h.tap(f.next)
	h.expectStep(f, account.StepBackup)
	h.expectShown("gone or has changed since it was verified; back up again")
	if !f.next.Disabled() || f.c.BackupResult() != nil {
		t.Fatal("a changed copy is still chosen")
	}

	// Removing a good copy from the step starts the step over.
	h.tap(f.backup.start)
	h.tap(f.backup.another)
	h.expectStep(f, account.StepBackup)
	if !f.next.Disabled() || f.c.BackupResult() != nil || f.c.Step() != account.StepBackup {
		t.Fatal("Remove this copy left it chosen")
	}
}

func TestSettlingAsksFirstSayingWhatHappens(t *testing.T) {
	h := newHarness(t)
	f := h.startDeactivation()
	h.tap(f.next)
	s := f.settle
	h.expectShown("Settling is done at once and stays done, even if you then keep your account.")
	before := len(s.blockers)
	pay := -1
	for i, b := range s.blockers {
		if b.Kind == account.BlockInvoice {
			pay = i
			break
		}
	}
	if pay < 0 {
		t.Fatal("the sample has no invoice to pay")
	}
	invoice := s.blockers[pay]

	// Pay invoice asks, with the amount and the payment method.
	h.tap(s.resolve[pay])
	if s.question == nil {
		t.Fatal("Pay invoice acted at once")
	}
	h.expectShown("Pay invoice?", invoice.Amount.String()+" is paid now with", "ending in")
	// Escape closes only the question; nothing was paid.
	h.key(fyne.KeyEscape)
	h.settle()
	if s.question != nil || f.d == nil || f.step != account.StepBlockers {
		t.Fatal("Escape at the question did not close just the question")
	}
	if list, _ := f.c.Blockers(); len(list) != before {
		t.Fatalf("Escape settled something: %d of %d left", len(list), before)
	}
	// Cancel: nothing paid either.
	h.tap(s.resolve[pay])
	h.tap(s.question.no)
	if list, _ := f.c.Blockers(); len(list) != before {
		t.Fatalf("Cancel settled something: %d of %d left", len(list), before)
	}

	// The other kinds say what happens to the people concerned.
	for i, b := range s.blockers {
		h.tap(s.resolve[i])
		switch b.Kind {
		case account.BlockContract:
			h.expectShown("End contract?", "is told, and is paid for the work up to today")
		case account.BlockMember:
			h.expectShown("Remove member?", "loses access to the account at once")
		case account.BlockDispute:
			h.expectShown("Resolve dispute?", "closed as resolved")
		}
		h.tap(s.question.no)
	}

	// Settle all lists everything with the money paid in total.
	h.settleAgreed(f, s.resolve[pay])
	h.tap(s.settleAll)
	if s.question == nil {
		t.Fatal("Settle all acted at once")
	}
	h.expectShown("Settle all?", "Paid in total: USD", fmt.Sprintf("Settle all %d", before-1))
	h.tap(s.question.yes)
	h.expectShown("Nothing to settle")

	// Keep my account: what was settled is listed, and stays settled.
	h.tap(f.keep)
	if h.u.closure != nil || f.keptNotice == nil {
		t.Fatal("Keep my account did not say what was settled")
	}
	h.expectShown("Your account is kept. What was settled stays settled:", displayText(invoice.Text))
	h.expectAccountKept()
}

func TestSettleFirstStaysStillAsItemsAreSettled(t *testing.T) {
	h := newHarness(t)
	f := h.startDeactivation()
	h.tap(f.next)
	s := f.settle
	where := func() fyne.Position {
		return fyne.CurrentApp().Driver().AbsolutePositionForObject(f.next)
	}
	h.settleAgreed(f, s.resolve[0])
	first := where()
	for i := 0; i < 3 && len(s.resolve) > 0; i++ {
		h.settleAgreed(f, s.resolve[0])
		if got := where(); got != first {
			t.Fatalf("after settling %d more, Continue moved from %v to %v", i+1, first, got)
		}
	}
}

func TestKeepMyAccountIsAsStrongAsTheWayForward(t *testing.T) {
	h := newHarness(t)
	f := h.startDeactivation()
	for step := account.StepImplications; step <= account.StepVerify; step++ {
		h.walkTo(f, step)
		if f.keep == nil || f.next == nil {
			t.Fatalf("%v has no Keep my account or no way forward", step)
		}
		if f.keep.Importance != widget.HighImportance || f.keep.Size() != f.next.Size() || f.keep.Hidden {
			t.Errorf("%v: Keep my account is %v at %v, the way forward %v at %v", step,
				f.keep.Importance, f.keep.Size(), f.next.Importance, f.next.Size())
		}
	}

	// While the password is checked, Keep my account still works, and
	// nothing is deleted.
	h.typeInto(f.verify.password, account.SamplePassword)
	testTap(f.next)
	h.expectShown("Checking…")
	if f.keep.Disabled() {
		t.Fatal("Keep my account is disabled while the password is checked")
	}
	testTap(f.keep)
	h.settle()
	if h.u.closure != nil || f.step == account.StepPurge || f.step == account.StepDone {
		t.Fatalf("Keep my account while checking went on to %v", f.step)
	}
	h.expectAccountKept()
}

func TestDeletingIsSeenWithItsStagesAndDoneSaysWhatWasErased(t *testing.T) {
	h := newHarness(t)
	h.u.purgeMinShown = 300 * time.Millisecond
	f := h.startDeactivation()
	h.walkTo(f, account.StepVerify)
	h.typeInto(f.verify.password, account.SamplePassword)
	testTap(f.next)
	// Run what reaches the window, one at a time, until every stage of the
	// purge is ticked while its step is still on screen.
	seen := ""
	deadline := time.Now().Add(time.Minute)
	for seen == "" && time.Now().Before(deadline) {
		select {
		case fn := <-h.queue:
			fn()
			if f.step == account.StepPurge && f.purge.at == purgeStages {
				seen = h.shown()
			}
		default:
			time.Sleep(time.Millisecond)
		}
	}
	for _, want := range []string{"Deleting your account", "✓  Checking that nothing needs settling", "✓  Overwriting the account's file", "✓  Removing the file and its key"} {
		if !strings.Contains(seen, want) {
			t.Errorf("the Deleting step did not show %q; it showed:\n%s", want, seen)
		}
	}
	h.settle()
	h.expectStep(f, account.StepDone)
	h.expectShown("Erased from this computer:", "Messages: ", "Job postings: ", "Your profile, your password and the two-factor settings",
		"The account's file, overwritten before it was removed")
}

func TestChecksumsAreGroupedMonospacedAndCopied(t *testing.T) {
	h := newHarness(t)
	f := h.startDeactivation()
	h.walkTo(f, account.StepBackup)
	h.tap(f.backup.start)
	sum, err := f.c.BackupResult().SHA256()
	if err != nil {
		t.Fatal(err)
	}
	h.tap(f.next)
	h.tap(f.next)
	h.expectStep(f, account.StepConfirm)
	var view *widget.Label
	var copyBtn *button
	eachObject(f.confirm.summary, func(o fyne.CanvasObject) bool {
		switch x := o.(type) {
		case *widget.Label:
			if x.TextStyle.Monospace {
				view = x
			}
		case *button:
			copyBtn = x
		}
		return true
	})
	want := sum[:8] + " " + sum[8:16] + " " + sum[16:24] + " " + sum[24:32] + "\n" + sum[32:40]
	if view == nil || !strings.HasPrefix(view.Text, want) || view.Wrapping != fyne.TextWrapOff {
		t.Fatalf("the checksum on Confirm is not grouped in monospace: %+v", view)
	}
	if copyBtn == nil {
		t.Fatal("no Copy button beside the checksum")
	}
	h.tap(copyBtn)
	if got := h.u.app.Clipboard().Content(); got != sum {
		t.Fatalf("Copy put %q on the clipboard, want %q", got, sum)
	}
	h.expectShown("Copied")
}

func TestTickingProtectLeavesTheFocusForTab(t *testing.T) {
	h := newHarness(t)
	f := h.startDeactivation()
	h.walkTo(f, account.StepBackup)
	o := f.backup.options
	h.canvas().Focus(o.protect)
	h.tap(o.protect)
	if h.canvas().Focused() != o.protect {
		t.Fatalf("ticking the box moved the focus to %v", h.canvas().Focused())
	}
	h.canvas().FocusNext()
	if h.canvas().Focused() != o.passphrase {
		t.Fatalf("Tab after the tick went to %v, not the passphrase", h.canvas().Focused())
	}
}

func TestAWrongCodeMessageIsShownWhole(t *testing.T) {
	h := newHarness(t)
	h.openSample()
	h.enableTwoFactor()
	f := h.startDeactivation()
	h.walkTo(f, account.StepVerify)
	h.typeInto(f.verify.password, account.SamplePassword)
	h.typeInto(f.verify.code, "000000")
	h.tap(f.next)
	if f.verify.codeF.errorText() == "" {
		t.Fatalf("no message for a wrong code; the window shows:\n%s", h.shown())
	}
	var scroll *cappedScroll
	eachObject(h.canvas().Overlays().Top(), func(o fyne.CanvasObject) bool {
		if c, ok := o.(*cappedScroll); ok {
			scroll = c
		}
		return scroll == nil
	})
	if scroll == nil {
		t.Fatal("the step has no scrolling body")
	}
	if need, got := scroll.content.MinSize().Height, scroll.Size().Height; need > got+0.5 {
		t.Fatalf("the step's body needs %v but is %v high: the message is cut off", need, got)
	}
}
