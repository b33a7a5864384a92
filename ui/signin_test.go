package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/pquerna/otp/totp"

	"offboard/account"
)

func TestFirstStartShowsSignIn(t *testing.T) {
	h := newHarness(t)

	if !h.onScreen(h.u.signIn.content) {
		t.Fatal("the first screen is not the sign-in screen")
	}
	h.expectShown("Sign in to Offboard", "Email", "Password", "Sign in", "Create account", "Open the sample account")
	if h.canvas().Focused() != h.u.signIn.email {
		t.Error("the cursor is not in the email field")
	}

	// Enter in the email field moves on to the password; Enter there
	// submits, and the empty email field says what is missing.
	h.key(fyne.KeyReturn)
	if h.canvas().Focused() != h.u.signIn.password {
		t.Fatal("Enter in the email field did not move to the password")
	}
	h.key(fyne.KeyReturn)
	h.settle()
	if got := h.u.signIn.emailF.errorText(); got == "" {
		t.Error("an empty email shows no error")
	}
	if h.canvas().Focused() != h.u.signIn.email {
		t.Error("the cursor did not go to the field with the error")
	}
}

func TestSignInWithEmailAndPassword(t *testing.T) {
	h := newHarness(t)
	h.signUp(testEmail, testPassword, testCompany)

	// Tab moves from the email to the password; Enter in the email field
	// with no password moves there too.
	h.canvas().Focus(h.u.signIn.email)
	test.FocusNext(h.canvas())
	if h.canvas().Focused() != h.u.signIn.password {
		t.Errorf("Tab from the email field went to %T, not the password", h.canvas().Focused())
	}

	h.signIn(testEmail, testPassword)
	if h.u.workspace == nil || !h.onScreen(h.u.workspace.content) {
		t.Fatalf("signing in did not open the workspace; the window shows:\n%s", h.shown())
	}
	h.expectShown(testCompany, testEmail)
	if !strings.Contains(h.u.win.Title(), testCompany) {
		t.Errorf("window title %q does not name the account", h.u.win.Title())
	}
}

func TestSignInErrorsAppearNextToTheField(t *testing.T) {
	h := newHarness(t)
	h.signUp(testEmail, testPassword, testCompany)
	s := h.u.signIn

	h.signIn("nobody@example.com", testPassword)
	if s.emailF.errorText() == "" || s.passwordF.errorText() != "" {
		t.Errorf("unknown email: email error %q, password error %q", s.emailF.errorText(), s.passwordF.errorText())
	}

	h.signIn(testEmail, "not the password")
	if s.passwordF.errorText() == "" || s.emailF.errorText() != "" {
		t.Errorf("wrong password: email error %q, password error %q", s.emailF.errorText(), s.passwordF.errorText())
	}
	if s.password.Text != "" {
		t.Error("the wrong password was left in the field")
	}
	if h.canvas().Focused() != s.password {
		t.Error("after a wrong password the cursor is not in the password field")
	}

	h.signIn("not an address", testPassword)
	if !strings.Contains(s.emailF.errorText(), "not an email address") {
		t.Errorf("malformed email: email error %q", s.emailF.errorText())
	}
}

func TestRepeatedWrongPasswordsAreThrottled(t *testing.T) {
	h := newHarness(t)
	k := h.manualTicks()
	h.signUp(testEmail, testPassword, testCompany)
	s := h.u.signIn

	for range 4 {
		h.signIn(testEmail, "not the password")
	}
	// The clock has not moved, so the next attempt must wait.
	h.signIn(testEmail, testPassword)
	if h.u.acct != nil {
		t.Fatal("a throttled attempt signed in")
	}
	h.expectShown("Too many wrong attempts. You can try again in 0:01.")
	if !s.message.Visible() {
		t.Error("the throttle message is hidden")
	}

	// Once the wait is over, the right password works.
	k.pass(2 * time.Second)
	h.signIn(testEmail, testPassword)
	if h.u.acct == nil {
		t.Fatalf("after the wait the right password did not sign in; the window shows:\n%s", h.shown())
	}
}

func TestSignInWithTwoFactorCode(t *testing.T) {
	h := newHarness(t)
	secret := h.signUpWithTwoFactor()
	s := h.u.signIn

	h.signIn(testEmail, testPassword)
	if h.u.acct != nil {
		t.Fatal("signed in without the two-factor code")
	}
	if !s.codeStep.Visible() || s.credentials.Visible() {
		t.Fatalf("the code step is not shown; the window shows:\n%s", h.shown())
	}
	h.expectShown("Two-factor sign-in", "Two-factor code", "Verify", "Use another account")
	h.expectNotShown("Create account")
	if h.canvas().Focused() != s.code {
		t.Error("the cursor is not in the code field")
	}

	h.typeInto(s.code, "000000")
	h.key(fyne.KeyReturn)
	h.settle()
	if s.codeF.errorText() == "" || h.u.acct != nil {
		t.Fatalf("a wrong code: error %q, signed in %v", s.codeF.errorText(), h.u.acct != nil)
	}

	// The code of the next 30-second step is accepted (the one of this
	// step was spent turning two-factor on).
	code, err := totp.GenerateCode(secret, h.clock().Add(30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	h.typeInto(s.code, code)
	h.tap(s.submit)
	if h.u.acct == nil {
		t.Fatalf("the right code did not sign in; the window shows:\n%s", h.shown())
	}
}

func TestSignInWithRecoveryCode(t *testing.T) {
	h := newHarness(t)
	_, codes := h.signUpWithTwoFactorCodes()
	s := h.u.signIn

	h.signIn(testEmail, testPassword)
	h.typeInto(s.code, codes[3])
	h.tap(s.submit)
	if h.u.acct == nil {
		t.Fatalf("a recovery code did not sign in; the window shows:\n%s", h.shown())
	}
}

func TestLeavingTheCodeStep(t *testing.T) {
	h := newHarness(t)
	h.signUpWithTwoFactor()
	s := h.u.signIn

	h.signIn(testEmail, testPassword)
	h.tap(s.back)
	if s.codeStep.Visible() || !s.credentials.Visible() || s.pending != nil {
		t.Error("Use another account did not go back to email and password")
	}
	h.signIn(testEmail, testPassword)
	h.key(fyne.KeyEscape) // the cursor is in the code field
	if s.codeStep.Visible() || s.pending != nil {
		t.Error("Escape did not leave the code step")
	}
	// The abandoned sign-in let go of the account: signing in again works.
	h.signIn(testEmail, testPassword)
	if !s.codeStep.Visible() {
		t.Errorf("signing in again did not ask for the code; the window shows:\n%s", h.shown())
	}
}

// signUpWithTwoFactor makes the test account with two-factor sign-in on
// and returns its secret.
func (h *harness) signUpWithTwoFactor() string {
	secret, _ := h.signUpWithTwoFactorCodes()
	return secret
}

func (h *harness) signUpWithTwoFactorCodes() (string, []string) {
	h.t.Helper()
	a, err := h.store.SignUp(testEmail, testPassword, testCompany)
	if err != nil {
		h.t.Fatal(err)
	}
	defer a.Close()
	setup, err := a.NewTwoFactor()
	if err != nil {
		h.t.Fatal(err)
	}
	code, err := totp.GenerateCode(setup.Secret, h.clock())
	if err != nil {
		h.t.Fatal(err)
	}
	if err := a.EnableTwoFactor(setup, code); err != nil {
		h.t.Fatal(err)
	}
	return setup.Secret, setup.RecoveryCodes
}

func TestOpenTheSampleAccount(t *testing.T) {
	h := newHarness(t)

	h.tap(h.u.signIn.sample)
	if h.u.workspace == nil || !h.onScreen(h.u.workspace.content) {
		t.Fatalf("the sample did not open; the window shows:\n%s", h.shown())
	}
	// Its password is shown once, to sign in again later.
	h.expectShown("Your sample account", account.SampleEmail, account.SamplePassword, "Copy password")
	if h.dialogs() != 1 {
		t.Fatalf("%d dialogs open, want the password notice", h.dialogs())
	}
	h.key(fyne.KeyEscape)
	if h.dialogs() != 0 {
		t.Error("Escape did not close the password notice")
	}

	// A second time the sample exists: it opens without the notice.
	h.tap(h.u.workspace.avatar)
	h.tapMenuItem("Log out")
	h.tap(h.u.signIn.sample)
	if h.u.workspace == nil {
		t.Fatalf("the existing sample did not open; the window shows:\n%s", h.shown())
	}
	if h.dialogs() != 0 {
		t.Error("the password notice was shown again")
	}
}

func TestSampleWhosePasswordWasChanged(t *testing.T) {
	h := newHarness(t)
	a, err := h.store.CreateSample(account.SampleSmall, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.ChangePassword(account.SamplePassword, "a brand new passphrase"); err != nil {
		t.Fatal(err)
	}
	a.Close()

	h.tap(h.u.signIn.sample)
	if h.u.acct != nil {
		t.Fatal("the sample opened with its old password")
	}
	s := h.u.signIn
	if s.email.Text != account.SampleEmail {
		t.Errorf("email field %q, want the sample's", s.email.Text)
	}
	h.expectShown("The sample account's password was changed")
	if h.canvas().Focused() != s.password {
		t.Error("the cursor is not in the password field")
	}
	h.typeInto(s.password, "a brand new passphrase")
	h.key(fyne.KeyReturn)
	h.settle()
	if h.u.acct == nil {
		t.Fatalf("the new password did not open the sample; the window shows:\n%s", h.shown())
	}
}
