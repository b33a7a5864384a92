package ui

import (
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
)

// Preference keys. They hold only how the window looks and where it saves,
// never anything about an account: preferences are stored in the clear.
// The export folder is a place on this computer; the export's own name,
// which names the company, is not kept.
const (
	prefWindowWidth  = "window.width"
	prefWindowHeight = "window.height"
	prefExportFolder = "export.folder"
	prefTheme        = "appearance.theme"
)

// defaultWindowSize fits the workspace's three panes on a small laptop.
var defaultWindowSize = fyne.NewSize(1100, 720)

// minWindowSize keeps a remembered size from making the window unusable.
var minWindowSize = fyne.NewSize(640, 480)

// themeChoice is the look the user chose in Settings › Profile: the
// system's light or dark setting, or always light, or always dark.
type themeChoice string

const (
	themeSystem themeChoice = "system"
	themeLight  themeChoice = "light"
	themeDark   themeChoice = "dark"
)

// themeChoices are the choices in the order Settings shows them.
var themeChoices = []themeChoice{themeSystem, themeLight, themeDark}

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

// fileDialogFolderKey is where the toolkit's file dialogs remember the last
// folder they showed (fyne/dialog keeps it under this name).
const fileDialogFolderKey = "fyne:fileDialogLastFolder"

// forgetFolders removes the folders remembered from the account's exports
// and file dialogs: after a purge nothing outside the data folder may point
// at where the account's data went.
func (p prefs) forgetFolders() {
	p.p.RemoveValue(prefExportFolder)
	p.p.RemoveValue(fileDialogFolderKey)
}

// exportFolder is the folder the last export was saved in, or "" when
// there was none or the folder is gone.
func (p prefs) exportFolder() string {
	dir := p.p.String(prefExportFolder)
	if dir == "" {
		return ""
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return ""
	}
	return dir
}

// setExportFolder remembers the folder of a finished export, where the
// next export's save dialog starts.
func (p prefs) setExportFolder(dir string) {
	if dir == "" || !filepath.IsAbs(dir) {
		return
	}
	p.p.SetString(prefExportFolder, filepath.Clean(dir))
}

// theme is the look chosen in Settings; the system's when none was, or
// when the stored value is not one Offboard knows.
func (p prefs) theme() themeChoice {
	c := themeChoice(p.p.StringWithFallback(prefTheme, string(themeSystem)))
	for _, known := range themeChoices {
		if c == known {
			return c
		}
	}
	return themeSystem
}

// setTheme remembers the chosen look.
func (p prefs) setTheme(c themeChoice) {
	p.p.SetString(prefTheme, string(c))
}
