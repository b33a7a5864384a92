package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

func TestFieldsForwardEscapeAndSettingsShortcut(t *testing.T) {
	test.NewTempApp(t)
	e := newEntry()
	w := test.NewWindow(container.NewVBox(e))
	defer w.Close()
	var escapes, settings int
	w.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeyEscape {
			escapes++
		}
	})
	w.Canvas().AddShortcut(settingsShortcut, func(fyne.Shortcut) { settings++ })
	w.Canvas().Focus(e)

	test.Type(e, "abc")
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	e.TypedShortcut(settingsShortcut)
	e.TypedShortcut(&fyne.ShortcutSelectAll{})
	if escapes != 1 || settings != 1 {
		t.Errorf("the window got %d Escapes and %d Settings shortcuts, want 1 and 1", escapes, settings)
	}
	if e.SelectedText() != "abc" {
		t.Errorf("Select all was not left to the field: selected %q", e.SelectedText())
	}
}

func TestEnterActivatesTheFocusedButton(t *testing.T) {
	test.NewTempApp(t)
	taps := 0
	b := newButton("OK", func() { taps++ })
	w := test.NewWindow(b)
	defer w.Close()
	w.Canvas().Focus(b)
	b.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	// Space comes as a key and then as a typed space, as the driver sends it.
	b.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	b.TypedRune(' ')
	if taps != 2 {
		t.Errorf("Enter and Space tapped the button %d times, want 2", taps)
	}
}

func TestSpaceOnAButtonTypesNothingWhereItLeads(t *testing.T) {
	test.NewTempApp(t)
	e := newPasswordEntry()
	var b *button
	b = newButton("Next", func() { fyne.CurrentApp().Driver().CanvasForObject(b).Focus(e) })
	w := test.NewWindow(container.NewVBox(b, e))
	defer w.Close()
	w.Canvas().Focus(b)
	// The driver's order: the key to the focused widget, then the typed
	// space to whatever has the focus by then.
	w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	w.Canvas().Focused().TypedRune(' ')
	if w.Canvas().Focused() != e || e.Text != "" {
		t.Errorf("after Space on the button the field has the focus %v and holds %q", w.Canvas().Focused() == e, e.Text)
	}
}

func TestEscapeFromAFieldClosesTheDialog(t *testing.T) {
	h := newHarness(t)
	sec := h.openSettings("Security").security
	h.tap(sec.turnOn)
	if h.canvas().Focused() != sec.enable.code {
		t.Fatal("the cursor is not in the code field")
	}
	h.key(fyne.KeyEscape)
	if h.dialogs() != 0 || sec.enable != nil {
		t.Error("Escape in the code field did not close the dialog")
	}
	// With no dialog left, Escape leaves Settings.
	h.canvas().Focus(sec.current)
	h.key(fyne.KeyEscape)
	if !h.onScreen(h.u.workspace.content) {
		t.Error("Escape did not leave Settings")
	}
}

func TestTabMovesThroughEveryField(t *testing.T) {
	h := newHarness(t)
	h.tap(h.u.signIn.createAccount)
	s := h.u.signUp
	h.canvas().Focus(s.email)
	var seen []fyne.Focusable
	for range 12 {
		test.FocusNext(h.canvas())
		seen = append(seen, h.canvas().Focused())
	}
	want := []fyne.Focusable{s.password.entry, s.password.repeat, s.company, s.submit, s.back}
	i := 0
	for _, f := range seen {
		if i < len(want) && f == want[i] {
			i++
		}
	}
	if i != len(want) {
		t.Errorf("Tab from the email visited %d of the fields and buttons in order (%T…)", i, seen)
	}
}

func TestSettingsShortcutOnlyFromTheWorkspace(t *testing.T) {
	h := newHarness(t)
	h.shortcut(settingsShortcut)
	if h.u.settings != nil {
		t.Fatal("Ctrl+, opened Settings with no one signed in")
	}
	h.signUp(testEmail, testPassword, testCompany)
	h.signIn(testEmail, testPassword)
	h.u.startClosure(h.u.acct, h.u.deactivated)
	h.settle()
	h.shortcut(settingsShortcut)
	if h.u.settings != nil {
		t.Error("Ctrl+, opened Settings under a dialog")
	}
	h.key(fyne.KeyEscape)
	h.canvas().Focus(h.u.workspace.avatar)
	h.shortcut(settingsShortcut)
	if h.u.settings == nil {
		t.Error("Ctrl+, did not open Settings from the workspace")
	}
}

func TestEscapeClosesTheFileChooser(t *testing.T) {
	h := newHarness(t)
	chosen := false
	h.u.chooseOpenFile(exportExtensions, func(fyne.URI) { chosen = true })
	if h.u.fileDialog == nil || h.canvas().Overlays().Top() == nil {
		t.Fatal("the file chooser did not open")
	}
	h.canvas().Unfocus()
	h.key(fyne.KeyEscape)
	if h.u.fileDialog != nil || h.canvas().Overlays().Top() != nil || chosen {
		t.Errorf("after Escape: chooser %v, overlay %v, chosen %v", h.u.fileDialog != nil, h.canvas().Overlays().Top() != nil, chosen)
	}
}

func TestTabShortcutsReachEveryTab(t *testing.T) {
	h := newHarness(t)
	h.openSample()
	w := h.u.workspace

	h.shortcut(tabShortcuts[2])
	if w.tabs.SelectedIndex() != 2 || h.canvas().Focused() != w.messages.threads {
		t.Fatalf("Ctrl+3 shows tab %d with the focus on %T", w.tabs.SelectedIndex(), h.canvas().Focused())
	}
	h.shortcut(nextTabShortcut)
	if w.tabs.SelectedIndex() != 3 || h.canvas().Focused() != w.files.list {
		t.Errorf("Ctrl+PageDown from Messages shows tab %d", w.tabs.SelectedIndex())
	}
	h.shortcut(tabShortcuts[0])
	h.shortcut(previousTabShortcut)
	if last := len(w.tabs.Items) - 1; w.tabs.SelectedIndex() != last {
		t.Errorf("Ctrl+PageUp does not go round from the first tab to the last: tab %d", w.tabs.SelectedIndex())
	}
	// On Contracts, Ctrl+PageDown moves to the disputes beside them.
	h.shortcut(tabShortcuts[1])
	h.shortcut(nextTabShortcut)
	if w.tabs.SelectedIndex() != 1 || w.contractsTabs.SelectedIndex() != 1 || h.canvas().Focused() != w.disputes.list {
		t.Errorf("Ctrl+PageDown on Contracts shows tab %d, Contracts' tab %d", w.tabs.SelectedIndex(), w.contractsTabs.SelectedIndex())
	}
	// On Billing, Ctrl+PageDown moves through Billing's own tabs; Ctrl+1
	// still reaches the workspace's.
	h.shortcut(tabShortcuts[5])
	h.shortcut(nextTabShortcut)
	if w.tabs.SelectedIndex() != 5 || w.billing.tabs.SelectedIndex() != 1 || h.canvas().Focused() != w.billing.transactions.list {
		t.Errorf("Ctrl+PageDown on Billing shows tab %d, Billing's tab %d", w.tabs.SelectedIndex(), w.billing.tabs.SelectedIndex())
	}
	h.shortcut(tabShortcuts[0])
	if w.tabs.SelectedIndex() != 0 || h.canvas().Focused() != w.jobs.list {
		t.Errorf("Ctrl+1 shows tab %d", w.tabs.SelectedIndex())
	}
	h.shortcut(tabShortcuts[8])
	if w.tabs.SelectedIndex() != 0 {
		t.Errorf("Ctrl+9, past the last tab, moved to tab %d", w.tabs.SelectedIndex())
	}

	// Not under the account menu.
	h.tap(w.avatar)
	h.shortcut(tabShortcuts[1])
	if w.tabs.SelectedIndex() != 0 {
		t.Error("Ctrl+2 switched tabs under the open account menu")
	}
	h.key(fyne.KeyEscape)

	// In Settings, from a text field: the field passes the shortcut on.
	s := h.openSettings("")
	if h.canvas().Focused() != s.profile.company {
		t.Fatal("the cursor is not in the company field")
	}
	h.shortcut(tabShortcuts[2])
	if s.tabs.Selected().Content != s.data.content {
		t.Errorf("Ctrl+3 in Settings shows %q", s.tabs.Selected().Text)
	}
	h.shortcut(previousTabShortcut)
	if s.tabs.Selected().Content != s.security.content {
		t.Errorf("Ctrl+PageUp in Settings shows %q", s.tabs.Selected().Text)
	}
	// Not under a dialog.
	h.tap(s.security.turnOn)
	h.shortcut(tabShortcuts[0])
	if s.tabs.Selected().Content != s.security.content {
		t.Error("Ctrl+1 switched tabs under a dialog")
	}
}

func TestAccountMenuByKeyboard(t *testing.T) {
	h := newHarness(t)
	h.openSample()
	w := h.u.workspace
	if w.menu != nil {
		t.Fatal("the menu is open")
	}
	h.canvas().Focus(w.avatar)
	h.key(fyne.KeyReturn)
	if w.menu == nil || h.canvas().Focused() != w.menu {
		t.Fatal("Enter on the avatar did not open the menu with the focus in it")
	}
	if s := w.items.Items[0]; s.Label != "Settings" || s.Shortcut != settingsShortcut {
		t.Errorf("the menu's first item is %q with the shortcut %v; it should show Ctrl+,", s.Label, s.Shortcut)
	}
	h.key(fyne.KeyDown)
	h.key(fyne.KeyReturn)
	h.settle()
	if h.u.settings == nil || !h.onScreen(h.u.settings.content) {
		t.Errorf("Down and Enter in the menu did not open Settings; the window shows:\n%s", h.shown())
	}
}

func TestFocusedControlsShowARing(t *testing.T) {
	test.NewTempApp(t)
	b := newPrimaryButton("Continue", func() {})
	c := newCheck("Protect the file", nil)
	w := test.NewWindow(container.NewVBox(b, c))
	defer w.Close()
	for _, o := range []fyne.Focusable{b, c} {
		ring := test.WidgetRenderer(o.(fyne.Widget)).(*focusRing).ring
		if ring.Visible() {
			t.Errorf("%T shows a ring before it has the focus", o)
		}
		w.Canvas().Focus(o)
		if !ring.Visible() || ring.StrokeWidth < 2 || ring.Size().Width <= o.(fyne.Widget).Size().Width {
			t.Errorf("the focused %T shows no ring around it (visible %v, %v)", o, ring.Visible(), ring.Size())
		}
		w.Canvas().Unfocus()
		if ring.Visible() {
			t.Errorf("%T keeps its ring after losing the focus", o)
		}
	}
}

func TestAccountMenuShortcutIsReadable(t *testing.T) {
	h := newHarness(t)
	h.openSample()
	h.tap(h.u.workspace.avatar)
	var texts []*canvas.Text
	eachObject(h.u.workspace.menu, func(o fyne.CanvasObject) bool {
		if x, ok := o.(*canvas.Text); ok {
			texts = append(texts, x)
		}
		return true
	})
	bg := h.u.app.Settings().Theme().Color(theme.ColorNameOverlayBackground, h.u.app.Settings().ThemeVariant())
	found := false
	for _, tx := range texts {
		if tx.Text == "" {
			continue
		}
		if got := contrast(over(tx.Color, bg), bg); got < 4.5 {
			t.Errorf("the menu's %q has a contrast of %.2f:1", tx.Text, got)
		}
		found = found || strings.Contains(tx.Text, ",")
	}
	if !found {
		t.Errorf("the menu shows no Ctrl+, shortcut: %d texts", len(texts))
	}
}
