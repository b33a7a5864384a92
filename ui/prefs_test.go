package ui

import (
	"errors"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"offboard/account"
)

func TestWindowSizeIsRemembered(t *testing.T) {
	h := newHarness(t)
	p := prefs{h.u.app.Preferences()}
	if got := p.windowSize(); got != defaultWindowSize {
		t.Errorf("first start: %v, want the default %v", got, defaultWindowSize)
	}
	h.u.win.Resize(fyne.NewSize(900, 650))
	h.u.win.Close()
	if got := p.windowSize(); got != fyne.NewSize(900, 650) {
		t.Errorf("after closing at 900×650 the next start gets %v", got)
	}
	// A size too small to use is not kept.
	p.setWindowSize(fyne.NewSize(100, 80))
	if got := p.windowSize(); got != fyne.NewSize(900, 650) {
		t.Errorf("a tiny size was kept: %v", got)
	}
}

func TestStartErrorSaysWhy(t *testing.T) {
	a := test.NewTempApp(t)
	showStartError(a, account.ErrAlreadyOpen)
	ws := a.Driver().AllWindows()
	if len(ws) == 0 {
		t.Fatal("no window")
	}
	var b strings.Builder
	collectText(&b, ws[len(ws)-1].Canvas().Content())
	for _, want := range []string{"Offboard cannot start", "already open in another Offboard window", "Quit"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the window does not say %q; it says:\n%s", want, b.String())
		}
	}
}

func TestErrorsGoToTheirField(t *testing.T) {
	cases := map[string]error{
		"email":    account.ErrNoAccount,
		"password": account.ErrWrongPassword,
		"code":     account.ErrWrongCode,
		"":         &account.ThrottledError{},
		"company":  errors.New("company name is required"),
		"timezone": errors.New(`time zone "x" is not known`),
	}
	for want, err := range cases {
		if got := fieldOf(err); got != want {
			t.Errorf("fieldOf(%v) = %q, want %q", err, got, want)
		}
	}
	if got := fieldOf(account.CheckNewPassword("password", "a@b.example")); got != "password" {
		t.Errorf("a weak password goes to %q", got)
	}
}
