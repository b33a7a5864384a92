package ui

import (
	"image/color"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Fyne hands a key press to the focused widget and only falls back to the
// window's handlers when nothing is focused, and an Entry silently swallows
// both Escape and shortcuts it does not know. So that Escape closes a dialog
// and the window's shortcuts work wherever the cursor is, the widgets that
// can hold the focus in Offboard forward those keys to their window.
//
// The window's shortcuts (Ctrl is Cmd on macOS):
//
//	Ctrl+,                    Settings (shown in the avatar menu)
//	Ctrl+1 … Ctrl+6           the workspace's tabs, or Settings' tabs
//	Ctrl+PageDown, Ctrl+PageUp the next or previous tab of the innermost
//	                          tab bar on screen (Billing has its own)
//
// Fyne's tab bars cannot take the focus, so these shortcuts are the
// keyboard's way to every tab.

// settingsShortcut opens Settings (Ctrl+, or Cmd+, as on most desktop apps).
var settingsShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyComma, Modifier: fyne.KeyModifierShortcutDefault}

// nextTabShortcut and previousTabShortcut move between tabs, as in browsers.
var (
	nextTabShortcut     = &desktop.CustomShortcut{KeyName: fyne.KeyPageDown, Modifier: fyne.KeyModifierShortcutDefault}
	previousTabShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyPageUp, Modifier: fyne.KeyModifierShortcutDefault}
)

// tabShortcuts select a tab by its place: Ctrl+1 the first, and so on.
var tabShortcuts = func() []*desktop.CustomShortcut {
	keys := []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6, fyne.Key7, fyne.Key8, fyne.Key9}
	out := make([]*desktop.CustomShortcut, len(keys))
	for i, k := range keys {
		out[i] = &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}
	}
	return out
}()

// windowShortcuts are the shortcuts the window handles, wherever the focus is.
func windowShortcuts() []*desktop.CustomShortcut {
	out := []*desktop.CustomShortcut{settingsShortcut, nextTabShortcut, previousTabShortcut}
	return append(out, tabShortcuts...)
}

// isWindowShortcut reports whether s is one of the window's shortcuts.
func isWindowShortcut(s fyne.Shortcut) bool {
	cs, ok := s.(*desktop.CustomShortcut)
	return ok && slices.ContainsFunc(windowShortcuts(), func(w *desktop.CustomShortcut) bool {
		return w.ShortcutName() == cs.ShortcutName()
	})
}

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

// forwardShortcut passes the window's shortcuts to the window holding obj;
// every other shortcut stays with the focused widget.
func forwardShortcut(obj fyne.CanvasObject, s fyne.Shortcut) bool {
	if !isWindowShortcut(s) {
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
	focused bool // whether it draws itself focused, for the tests
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

// FocusGained draws the field focused.
func (e *entry) FocusGained() { e.focused = true; e.Entry.FocusGained() }

// FocusLost draws the field unfocused.
func (e *entry) FocusLost() { e.focused = false; e.Entry.FocusLost() }

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
	focused bool
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

// FocusGained shows the focus ring as well as Fyne's tint.
func (b *button) FocusGained() {
	b.focused = true
	b.Button.FocusGained()
}

// FocusLost hides the focus ring.
func (b *button) FocusLost() {
	b.focused = false
	b.Button.FocusLost()
}

// CreateRenderer draws Fyne's button with a focus ring around it.
func (b *button) CreateRenderer() fyne.WidgetRenderer {
	return newFocusRing(b, b.Button.CreateRenderer(), &b.focused)
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
	focused bool
}

func newCheck(label string, changed func(bool)) *check {
	c := &check{}
	c.Text = label
	c.OnChanged = changed
	c.ExtendBaseWidget(c)
	return c
}

// FocusGained shows the focus ring as well as Fyne's tint.
func (c *check) FocusGained() {
	c.focused = true
	c.Check.FocusGained()
}

// FocusLost hides the focus ring.
func (c *check) FocusLost() {
	c.focused = false
	c.Check.FocusLost()
}

// CreateRenderer draws Fyne's check box with a focus ring around it.
func (c *check) CreateRenderer() fyne.WidgetRenderer {
	return newFocusRing(c, c.Check.CreateRenderer(), &c.focused)
}

// TypedKey forwards Escape and handles every other key.
func (c *check) TypedKey(ev *fyne.KeyEvent) {
	if forwardEscape(c, ev) {
		return
	}
	c.Check.TypedKey(ev)
}

// focusRing draws a ring in the primary colour just outside a focused
// control. Fyne marks the focus with a faint tint only, which on a blue
// button is no mark at all; the ring is plain on any button, in either
// theme (TestTextIsReadableInBothVariants checks its contrast).
type focusRing struct {
	fyne.WidgetRenderer
	w       fyne.Widget
	focused *bool
	ring    *canvas.Rectangle
}

// focusRingGap is how far outside the control the ring is drawn; the ring
// is 2 units wide, leaving a 1-unit gap to the control and to its
// neighbours, which are a padding (4) away.
const focusRingGap = 3

func newFocusRing(w fyne.Widget, r fyne.WidgetRenderer, focused *bool) *focusRing {
	ring := canvas.NewRectangle(color.Transparent)
	ring.StrokeWidth = 2
	ring.Hide()
	f := &focusRing{WidgetRenderer: r, w: w, focused: focused, ring: ring}
	f.update()
	return f
}

// Layout lays the control out and puts the ring around it.
func (f *focusRing) Layout(size fyne.Size) {
	f.WidgetRenderer.Layout(size)
	f.ring.Move(fyne.NewPos(-focusRingGap, -focusRingGap))
	f.ring.Resize(size.AddWidthHeight(2*focusRingGap, 2*focusRingGap))
}

// Refresh redraws the control and shows or hides the ring.
func (f *focusRing) Refresh() {
	f.WidgetRenderer.Refresh()
	f.update()
	f.ring.Refresh()
}

func (f *focusRing) update() {
	th := theme.CurrentForWidget(f.w)
	f.ring.StrokeColor = th.Color(theme.ColorNamePrimary, fyne.CurrentApp().Settings().ThemeVariant())
	f.ring.CornerRadius = th.Size(theme.SizeNameInputRadius) + focusRingGap
	if *f.focused {
		f.ring.Show()
	} else {
		f.ring.Hide()
	}
	f.ring.Move(fyne.NewPos(-focusRingGap, -focusRingGap))
	f.ring.Resize(f.w.Size().AddWidthHeight(2*focusRingGap, 2*focusRingGap))
}

// Objects are the control's objects and the ring.
func (f *focusRing) Objects() []fyne.CanvasObject {
	return append(slices.Clip(f.WidgetRenderer.Objects()), f.ring)
}
