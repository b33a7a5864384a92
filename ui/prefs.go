package ui

import "fyne.io/fyne/v2"

// Preference keys. They hold only how the window looks, never anything about
// an account: preferences are stored in the clear.
const (
	prefWindowWidth  = "window.width"
	prefWindowHeight = "window.height"
)

// defaultWindowSize fits the workspace's three panes on a small laptop.
var defaultWindowSize = fyne.NewSize(1100, 720)

// minWindowSize keeps a remembered size from making the window unusable.
var minWindowSize = fyne.NewSize(640, 480)

// prefs is a typed view of the app's fyne.Preferences.
type prefs struct {
	p fyne.Preferences
}

// windowSize is the size the window had when it was last closed.
func (p prefs) windowSize() fyne.Size {
	w := float32(p.p.FloatWithFallback(prefWindowWidth, float64(defaultWindowSize.Width)))
	h := float32(p.p.FloatWithFallback(prefWindowHeight, float64(defaultWindowSize.Height)))
	return fyne.NewSize(max(w, minWindowSize.Width), max(h, minWindowSize.Height))
}

// setWindowSize remembers the window's size for the next start.
func (p prefs) setWindowSize(s fyne.Size) {
	if s.Width < minWindowSize.Width || s.Height < minWindowSize.Height {
		return
	}
	p.p.SetFloat(prefWindowWidth, float64(s.Width))
	p.p.SetFloat(prefWindowHeight, float64(s.Height))
}
