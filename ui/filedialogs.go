package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"github.com/skratchdot/open-golang/open"
)

// The file choosers and the file manager are reached through these
// functions, set in New. Tests replace them: a file chooser cannot be driven
// headless, and a test must not open the desktop's file manager.
//
// A file chooser is not on the dialog stack: on some systems (Windows) it
// is the platform's own window, which Fyne cannot close. u.fileDialog is
// the open one, so that Escape closes it when Fyne drew it and otherwise
// leaves the window alone until it is answered.

// chooseSaveFile asks where to save a file suggested to be called name,
// starting in folder (where Fyne's chooser was last when folder is ""), and
// calls done with the chosen location. Nothing is called if the user
// cancels. The location exists (empty) afterwards: Fyne's save dialog
// creates it when the user confirms.
func (u *UI) chooseSaveFile(name, folder string, done func(fyne.URI)) {
	var d *dialog.FileDialog
	d = dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		u.fileDialogClosed(d)
		if err != nil {
			u.showError(lang.L("That location cannot be used"), err)
			return
		}
		if w == nil {
			return
		}
		uri := w.URI()
		if err := w.Close(); err != nil {
			u.showError(lang.L("That location cannot be used"), err)
			return
		}
		done(uri)
	}, u.win)
	d.SetFileName(name)
	if folder != "" {
		if l, err := storage.ListerForURI(storage.NewFileURI(folder)); err == nil {
			d.SetLocation(l)
		}
	}
	u.fileDialog = d
	d.Show()
}

// chooseOpenFile asks for a file with one of the extensions (all files when
// none) and calls done with it. Nothing is called if the user cancels.
func (u *UI) chooseOpenFile(extensions []string, done func(fyne.URI)) {
	var d *dialog.FileDialog
	d = dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		u.fileDialogClosed(d)
		if err != nil {
			u.showError(lang.L("That file cannot be opened"), err)
			return
		}
		if r == nil {
			return
		}
		uri := r.URI()
		_ = r.Close() // the caller reads it off the UI goroutine
		done(uri)
	}, u.win)
	if len(extensions) > 0 {
		d.SetFilter(storage.NewExtensionFileFilter(extensions))
	}
	u.fileDialog = d
	d.Show()
}

func (u *UI) fileDialogClosed(d *dialog.FileDialog) {
	if u.fileDialog == d {
		u.fileDialog = nil
	}
}

// showInFolder opens the folder in the desktop's file manager.
func showInFolder(path string) error {
	return open.Start(path)
}
