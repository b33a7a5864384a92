package ui

import (
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/storage/repository"
	"fyne.io/fyne/v2/widget"
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
// cancels. Nothing is written to the location: Fyne's chooser would empty
// an existing file there (see saveChooserRepository), and every caller
// writes through saveSafely, which replaces the file only once the new one
// is whole.
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
		_ = w.Close() // nothing was opened: see lazyWriter
		if dir := filepath.Dir(uri.Path()); !isDir(dir) {
			u.showMessage(lang.L("That location cannot be used"),
				lang.L("The folder {{.Folder}} does not exist, so nothing was saved. Type a file name, or a full path in a folder that exists, such as {{.Example}}.",
					map[string]any{"Folder": dir, "Example": filepath.Join(homeDir(), name)}))
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
	u.fileOverlay = u.win.Canvas().Overlays().Top()
}

// chooserQuestion is the question Fyne's chooser asked over itself
// (Overwrite?), if one is open.
func (u *UI) chooserQuestion() fyne.CanvasObject {
	top := u.win.Canvas().Overlays().Top()
	if u.fileOverlay == nil || top == nil || top == u.fileOverlay {
		return nil
	}
	return top
}

// chooserReturn makes Return, which no widget of Fyne's chooser takes,
// press the default button: Yes at its question, else Save or Open.
func (u *UI) chooserReturn() {
	if u.fileDialog == nil || u.fileOverlay == nil {
		return
	}
	in, label := u.fileOverlay, ""
	if q := u.chooserQuestion(); q != nil {
		in, label = q, lang.L("Yes")
	}
	var found *widget.Button
	eachDrawn(in, func(o fyne.CanvasObject) bool {
		b, ok := o.(*widget.Button)
		if ok && found == nil && !b.Disabled() && (b.Text == label || (label == "" && b.Importance == widget.HighImportance)) {
			found = b
		}
		return found == nil
	})
	if found != nil && found.OnTapped != nil {
		found.OnTapped()
	}
}

// eachDrawn calls visit with o and, while visit returns true, with the
// visible objects it holds: a pop-up's content and a container's objects.
// Fyne's dialogs keep their button rows in containers.
func eachDrawn(o fyne.CanvasObject, visit func(fyne.CanvasObject) bool) {
	if o == nil || !o.Visible() || !visit(o) {
		return
	}
	switch x := o.(type) {
	case *widget.PopUp:
		eachDrawn(x.Content, visit)
	case *fyne.Container:
		for _, c := range x.Objects {
			eachDrawn(c, visit)
		}
	}
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

func homeDir() string {
	if h, err := os.UserHomeDir(); err == nil {
		return h
	}
	return string(filepath.Separator)
}

// saveChooserRepository is Fyne's repository of file: URIs with two changes
// that its save chooser needs. Writer opens nothing until the first byte is
// written: the chooser hands its callback a writer it opened with os.Create,
// which empties an existing file the moment the person confirms
// "Overwrite?", before anything is saved (and a cancel then left it empty).
// Child takes a full path typed into the chooser's name field as that
// path, not as a folder under the one shown.
type saveChooserRepository struct {
	fileRepository
}

// fileRepository is what Fyne's file repository is on the desktop.
type fileRepository interface {
	repository.AppendableRepository
	repository.ListableRepository
	repository.HierarchicalRepository
	repository.DeleteAllRepository
	repository.CopyableRepository
	repository.MovableRepository
}

// useSaveChooserRepository puts saveChooserRepository in place of the file
// repository that the app's driver registered.
func useSaveChooserRepository() {
	r, err := repository.ForScheme("file")
	if err != nil {
		return
	}
	if inner, ok := r.(fileRepository); ok {
		if _, done := r.(saveChooserRepository); !done {
			repository.Register("file", saveChooserRepository{inner})
		}
	}
}

// Writer is a writer that creates (or empties) the file at its first write.
func (r saveChooserRepository) Writer(u fyne.URI) (fyne.URIWriteCloser, error) {
	return &lazyWriter{uri: u}, nil
}

// Child is component inside u, or component itself when it is a full path.
func (r saveChooserRepository) Child(u fyne.URI, component string) (fyne.URI, error) {
	if filepath.IsAbs(component) {
		return storage.NewFileURI(filepath.Clean(component)), nil
	}
	return r.fileRepository.Child(u, component)
}

// lazyWriter opens its file only when something is written to it.
type lazyWriter struct {
	uri fyne.URI
	f   *os.File
}

// URI is where the writer writes.
func (w *lazyWriter) URI() fyne.URI { return w.uri }

// Write creates the file the first time, then writes to it.
func (w *lazyWriter) Write(b []byte) (int, error) {
	if w.f == nil {
		f, err := os.Create(w.uri.Path())
		if err != nil {
			return 0, err
		}
		w.f = f
	}
	return w.f.Write(b)
}

// Close closes the file if it was opened.
func (w *lazyWriter) Close() error {
	if w.f == nil {
		return nil
	}
	return w.f.Close()
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
	u.fileOverlay = u.win.Canvas().Overlays().Top()
}

func (u *UI) fileDialogClosed(d *dialog.FileDialog) {
	if u.fileDialog == d {
		u.fileDialog, u.fileOverlay = nil, nil
	}
}

// showInFolder opens the folder in the desktop's file manager.
func showInFolder(path string) error {
	return open.Start(path)
}
