package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
)

func TestCreateAccount(t *testing.T) {
	h := newHarness(t)
	h.tap(h.u.signIn.createAccount)
	s := h.u.signUp
	if !h.onScreen(s.content) {
		t.Fatal("Create account did not open the sign-up screen")
	}
	h.expectShown("Create an account", "Email", "Password", "Repeat the password", "Company name")
	if h.canvas().Focused() != s.email {
		t.Error("the cursor is not in the email field")
	}

	h.typeInto(s.email, "grace@example.com")
	h.typeInto(s.password.entry, "sea-shell-orbit-72")
	h.typeInto(s.password.repeat, "sea-shell-orbit-72")
	h.typeInto(s.company, "Hopper Compilers")
	h.key(fyne.KeyReturn) // Enter submits from any field
	h.settle()

	if h.u.acct == nil || !h.onScreen(h.u.workspace.content) {
		t.Fatalf("the account was not created; the window shows:\n%s", h.shown())
	}
	h.expectShown("Hopper Compilers", "grace@example.com", "No job postings yet.")
}

func TestCreateAccountErrorsAppearNextToTheField(t *testing.T) {
	h := newHarness(t)
	h.signUp(testEmail, testPassword, testCompany)
	h.tap(h.u.signIn.createAccount)
	s := h.u.signUp
	fill := func(email, pw, repeat, company string) {
		h.typeInto(s.email, email)
		h.typeInto(s.password.entry, pw)
		h.typeInto(s.password.repeat, repeat)
		h.typeInto(s.company, company)
		h.tap(s.submit)
	}
	errs := func() [4]string {
		return [4]string{s.emailF.errorText(), s.password.field.errorText(), s.password.repeatField.errorText(), s.companyF.errorText()}
	}

	cases := []struct {
		name                       string
		email, pw, repeat, company string
		field                      int // which field shows the error
		want                       string
	}{
		{"malformed email", "grace", "sea-shell-orbit-72", "sea-shell-orbit-72", "Hopper", 0, "not an email address"},
		{"email taken", testEmail, "sea-shell-orbit-72", "sea-shell-orbit-72", "Hopper", 0, "already exists"},
		{"weak password", "grace@example.com", "password", "password", "Hopper", 1, "too weak"},
		{"too long", "grace@example.com", strings.Repeat("Ab1-", 19), strings.Repeat("Ab1-", 19), "Hopper", 1, "72 bytes"},
		{"not the same twice", "grace@example.com", "sea-shell-orbit-72", "sea-shell-orbit-73", "Hopper", 2, "not the same"},
		{"no company", "grace@example.com", "sea-shell-orbit-72", "sea-shell-orbit-72", "  ", 3, "company name is required"},
	}
	for _, c := range cases {
		fill(c.email, c.pw, c.repeat, c.company)
		got := errs()
		for i, msg := range got {
			if i == c.field {
				if !strings.Contains(strings.ToLower(msg), strings.ToLower(c.want)) {
					t.Errorf("%s: field %d says %q, want %q", c.name, i, msg, c.want)
				}
			} else if msg != "" {
				t.Errorf("%s: field %d also says %q", c.name, i, msg)
			}
		}
		if h.u.acct != nil {
			t.Fatalf("%s: an account was created", c.name)
		}
	}
}

func TestPasswordStrengthMeter(t *testing.T) {
	h := newHarness(t)
	h.tap(h.u.signIn.createAccount)
	p := h.u.signUp.password

	h.typeInto(p.entry, "abc")
	if p.meter.score != 0 || !p.meter.refused || !strings.Contains(p.strength.Text, "Too weak") {
		t.Errorf("short password: score %d refused %v text %q", p.meter.score, p.meter.refused, p.strength.Text)
	}
	h.typeInto(p.entry, "Harbor-lantern-47-kite")
	if p.meter.score != 4 || p.meter.refused || !strings.Contains(p.strength.Text, "Strong") {
		t.Errorf("strong password: score %d refused %v text %q", p.meter.score, p.meter.refused, p.strength.Text)
	}
}

func TestBackFromCreateAccount(t *testing.T) {
	h := newHarness(t)
	h.tap(h.u.signIn.createAccount)
	h.typeInto(h.u.signUp.email, "grace@example.com")
	h.key(fyne.KeyEscape)
	if !h.onScreen(h.u.signIn.content) {
		t.Fatal("Escape did not return to sign in")
	}
	if h.u.signIn.email.Text != "grace@example.com" {
		t.Errorf("the email typed was not carried over: %q", h.u.signIn.email.Text)
	}
}
