package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
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
