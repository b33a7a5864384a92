package ui

import (
	"errors"
	"fmt"
	"image/color"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

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
	ShowStartError(a, account.ErrAlreadyOpen)
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

// Each problem the core reports goes to its input by its type, whatever
// its wording: the fields come from account.FieldOf, never from the text.
func TestErrorsGoToTheirField(t *testing.T) {
	cases := []struct {
		err  error
		want account.Field
	}{
		{account.ErrNoAccount, account.FieldEmail},
		{account.ErrWrongPassword, account.FieldPassword},
		{account.ErrWrongCode, account.FieldCode},
		{&account.ThrottledError{}, account.FieldNone},
		{(&account.Profile{Email: "a@b.example"}).Validate(), account.FieldCompany},
		{(&account.Profile{Company: "C", Email: "not an address"}).Validate(), account.FieldEmail},
		{(&account.Profile{Company: "C", Email: "a@b.example", TimeZone: "Mars/Olympus"}).Validate(), account.FieldTimeZone},
		{(&account.Profile{Company: "C", Email: "a@b.example", Avatar: []byte("GIF89a")}).Validate(), account.FieldAvatar},
		{account.CheckNewPassword("password", "a@b.example"), account.FieldPassword},
		{fmt.Errorf("saving the profile: %w", (&account.Profile{Email: "a@b.example"}).Validate()), account.FieldCompany},
		{errors.New("the company name is required"), account.FieldNone}, // words alone route nowhere
	}
	for _, c := range cases {
		if c.err == nil {
			t.Fatalf("want an error for field %q, got none", c.want)
		}
		if got := account.FieldOf(c.err); got != c.want {
			t.Errorf("FieldOf(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}

func TestExportFolderIsRemembered(t *testing.T) {
	h := newHarness(t)
	h.openSample()
	d := h.openSettings("Data & privacy").data
	export := func() {
		h.tap(d.exportBtn)
		h.tap(d.options.next)
	}
	export()
	if h.savedIn[0] != "" {
		t.Errorf("the first export's chooser started in %q, want its own default", h.savedIn[0])
	}
	if got := h.u.prefs.exportFolder(); got != h.saveTo {
		t.Errorf("after exporting to %s the remembered folder is %q", h.saveTo, got)
	}
	export()
	if h.savedIn[1] != h.saveTo {
		t.Errorf("the next export's chooser started in %q, want %s", h.savedIn[1], h.saveTo)
	}

	// A failed export does not move it; a folder that is gone is forgotten.
	first := h.saveTo
	h.saveTo = filepath.Join(t.TempDir(), "gone")
	export()
	if got := h.u.prefs.exportFolder(); got != first {
		t.Errorf("a failed export changed the remembered folder to %q", got)
	}
	p := h.u.prefs
	p.setExportFolder(filepath.Join(t.TempDir(), "removed"))
	if got := p.exportFolder(); got != "" {
		t.Errorf("a folder that is gone is offered: %q", got)
	}
	p.setExportFolder(first)
	p.setExportFolder("relative/dir")
	if got := p.exportFolder(); got != first {
		t.Errorf("a relative folder replaced the remembered one: %q", got)
	}
}

func TestThemeChoiceAppliesAtOnceAndIsRemembered(t *testing.T) {
	h := newHarness(t)
	p := h.openSettings("Profile").profile
	app := h.u.app
	background := func() color.Color {
		// Asked for the light variant, as on a light desktop.
		return app.Settings().Theme().Color(theme.ColorNameBackground, theme.VariantLight)
	}
	light := theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantLight)
	dark := theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantDark)

	if p.appearance.selected != 0 || h.u.prefs.theme() != themeSystem || background() != light {
		t.Fatalf("a first start does not follow the system: choice %d, stored %q", p.appearance.selected, h.u.prefs.theme())
	}
	h.tap(p.appearance.options[2]) // Dark
	if background() != dark || h.u.prefs.theme() != themeDark {
		t.Errorf("choosing Dark drew %v and stored %q", background(), h.u.prefs.theme())
	}
	// Tapping the chosen look again keeps it: one of the three is always on.
	h.tap(p.appearance.options[2])
	if p.appearance.selected != 2 {
		t.Errorf("tapping Dark again left choice %d", p.appearance.selected)
	}

	// The next start on these preferences draws dark and shows the choice.
	u := New(app, h.store, "test")
	if background() != dark {
		t.Error("the next start does not draw the chosen look")
	}
	u.profile = h.u.profile
	if tab := newProfileTab(u, h.u.acct); tab.appearance.selected != 2 {
		t.Errorf("the next start's Settings shows choice %d", tab.appearance.selected)
	}
	// The test driver finds a widget's window by taking the newest one.
	u.win.Close()
	u.Close()

	// By keyboard: the arrow keys move the choice, and it applies at once.
	h.canvas().Focus(p.appearance.options[2])
	h.key(fyne.KeyUp)
	if background() != light || h.u.prefs.theme() != themeLight {
		t.Errorf("Up from Dark chose %q", h.u.prefs.theme())
	}
	h.key(fyne.KeyUp)
	if h.u.prefs.theme() != themeSystem {
		t.Errorf("Up from Light chose %q", h.u.prefs.theme())
	}

	// A value this version does not know counts as the system's.
	app.Preferences().SetString(prefTheme, "sepia")
	if got := h.u.prefs.theme(); got != themeSystem {
		t.Errorf("an unknown stored look reads as %q", got)
	}
}
