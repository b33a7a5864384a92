package ui

import (
	"errors"
	"os/exec"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// revealFile opens the folder that holds path in the file manager. When
// that fails, the person is told so in plain words, never in the system's
// ("exec: xdg-open: executable file not found"), and gets the path to
// copy, so the file can still be found.
func (u *UI) revealFile(path string) {
	if err := u.openFolder(filepath.Dir(path)); err != nil {
		u.showFolderFailed(path, err)
	}
}

// folderFailedDialog is what showFolderFailed shows, for the tests.
type folderFailedDialog struct {
	text   *widget.Label
	path   *widget.Entry
	copy   *button
	copied statusLabel
}

func (u *UI) showFolderFailed(path string, err error) *folderFailedDialog {
	why := lang.L("The file manager did not open the folder.")
	if errors.Is(err, exec.ErrNotFound) {
		why = lang.L("No file manager is set up on this computer to open folders.")
	}
	f := &folderFailedDialog{text: wrapLabel(why + " " + lang.L("The file is here:")), copied: newStatusLabel()}
	f.path = widget.NewEntry()
	f.path.SetText(path)
	f.path.TextStyle.Monospace = true
	f.path.Wrapping = fyne.TextWrapBreak
	f.path.MultiLine = true
	f.path.OnChanged = func(string) { f.path.SetText(path) } // read-only, but selectable
	f.copy = newIconButton(lang.L("Copy path"), theme.ContentCopyIcon(), func() {
		u.app.Clipboard().SetContent(path)
		f.copied.set(lang.L("Path copied."), widget.SuccessImportance)
	})
	content := container.NewVBox(f.text, f.path, f.copied.Label)
	d := u.newDialog(lang.L("The folder could not be opened"), container.New(&widthLayout{width: 460}, content))
	ok := newPrimaryButton(lang.L("Close"), func() { d.Hide() })
	d.SetButtons([]fyne.CanvasObject{f.copy, ok})
	u.showDialog(d)
	u.win.Canvas().Focus(f.copy)
	u.folderFailed = f
	return f
}
