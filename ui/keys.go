package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// Fyne hands a key press to the focused widget and only falls back to the
// window's handlers when nothing is focused, and an Entry silently swallows
// both Escape and shortcuts it does not know. So that Escape closes a dialog
// and Ctrl+, opens Settings wherever the cursor is, the widgets that can hold
// the focus in Offboard forward those keys to their window.

// settingsShortcut opens Settings (Ctrl+, or Cmd+, as on most desktop apps).
var settingsShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyComma, Modifier: fyne.KeyModifierShortcutDefault}

// forwardEscape passes Escape to the window holding obj. It reports whether
// the key was Escape.
func forwardEscape(obj fyne.CanvasObject, ev *fyne.KeyEvent) bool {
	if ev.Name != fyne.KeyEscape {
		return false
	}
	if c := canvasOf(obj); c != nil && c.OnTypedKey() != nil {
		c.OnTypedKey()(ev)
	}
	return true
}

// forwardShortcut passes the window-wide shortcut (Settings) to the window
// holding obj; every other shortcut stays with the focused widget.
func forwardShortcut(obj fyne.CanvasObject, s fyne.Shortcut) bool {
	cs, ok := s.(*desktop.CustomShortcut)
	if !ok || cs.ShortcutName() != settingsShortcut.ShortcutName() {
		return false
	}
	if c, ok := canvasOf(obj).(fyne.Shortcutable); ok {
		c.TypedShortcut(s)
	}
	return true
}

func canvasOf(obj fyne.CanvasObject) fyne.Canvas {
	app := fyne.CurrentApp()
	if app == nil {
		return nil
	}
	return app.Driver().CanvasForObject(obj)
}

// entry is a text field that lets Escape and the window's shortcuts through.
type entry struct {
	widget.Entry
}

func newEntry() *entry {
	e := &entry{}
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.ExtendBaseWidget(e)
	return e
}

// newPasswordEntry is an entry that hides what is typed; Entry adds the
// show/hide button itself when Password is set.
func newPasswordEntry() *entry {
	e := newEntry()
	e.Password = true
	return e
}

// TypedKey forwards Escape to the window and handles every other key.
func (e *entry) TypedKey(ev *fyne.KeyEvent) {
	if forwardEscape(e, ev) {
		return
	}
	e.Entry.TypedKey(ev)
}

// AcceptsTab is false even for a multi-line field, so that Tab always
// moves to the next control: no text in Offboard needs a tab character,
// and a field that kept Tab would trap someone using the keyboard.
func (e *entry) AcceptsTab() bool { return false }

// TypedShortcut forwards the window's shortcuts and handles the others.
func (e *entry) TypedShortcut(s fyne.Shortcut) {
	if forwardShortcut(e, s) {
		return
	}
	e.Entry.TypedShortcut(s)
}

// selectEntry is a text field with a list of suggestions that lets Escape
// and the window's shortcuts through.
type selectEntry struct {
	widget.SelectEntry
}

func newSelectEntry(options []string) *selectEntry {
	e := &selectEntry{}
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.ExtendBaseWidget(e)
	e.SetOptions(options)
	return e
}

// TypedKey forwards Escape to the window and handles every other key.
func (e *selectEntry) TypedKey(ev *fyne.KeyEvent) {
	if forwardEscape(e, ev) {
		return
	}
	e.SelectEntry.TypedKey(ev)
}

// TypedShortcut forwards the window's shortcuts and handles the others.
func (e *selectEntry) TypedShortcut(s fyne.Shortcut) {
	if forwardShortcut(e, s) {
		return
	}
	e.SelectEntry.TypedShortcut(s)
}

// button is a button that Enter (not only Space) activates when it has the
// focus, as on every desktop, and that lets Escape through to the window.
type button struct {
	widget.Button
}

func newButton(label string, tapped func()) *button {
	b := &button{}
	b.Text = label
	b.OnTapped = tapped
	b.ExtendBaseWidget(b)
	return b
}

func newIconButton(label string, icon fyne.Resource, tapped func()) *button {
	b := newButton(label, tapped)
	b.Icon = icon
	return b
}

// newPrimaryButton is the default button of a form: the one Enter submits.
func newPrimaryButton(label string, tapped func()) *button {
	b := newButton(label, tapped)
	b.Importance = widget.HighImportance
	return b
}

// TypedKey activates the button on Enter and forwards Escape. Space is
// left to TypedRune.
func (b *button) TypedKey(ev *fyne.KeyEvent) {
	if forwardEscape(b, ev) {
		return
	}
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		b.Tapped(nil)
	case fyne.KeySpace:
		// A Space press also types a space, which arrives after the key.
		// Fyne's button acts on the key, so when the tap moved the focus
		// into a field (the next dialog's password) the space landed
		// there. Acting on the typed space instead uses it up.
	default:
		b.Button.TypedKey(ev)
	}
}

// TypedRune activates the button on Space.
func (b *button) TypedRune(r rune) {
	if r == ' ' {
		b.Tapped(nil)
	}
}

// check is a check box that lets Escape through to the window.
type check struct {
	widget.Check
}

func newCheck(label string, changed func(bool)) *check {
	c := &check{}
	c.Text = label
	c.OnChanged = changed
	c.ExtendBaseWidget(c)
	return c
}

// TypedKey forwards Escape and handles every other key.
func (c *check) TypedKey(ev *fyne.KeyEvent) {
	if forwardEscape(c, ev) {
		return
	}
	c.Check.TypedKey(ev)
}
