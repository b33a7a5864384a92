package ui

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"offboard/account"
)

// The real save chooser, driven headless: Fyne's own dialog in the window's
// overlays, its name field typed into and its buttons pressed.

// realSaveChooser puts Fyne's save chooser back in place of the harness's
// answer, starting in dir.
func (h *harness) realSaveChooser(dir string) {
	h.u.saveFile = func(name, _ string, done func(fyne.URI)) { h.u.chooseSaveFile(name, dir, done) }
}

// overlayButton is the visible button labelled text in the newest overlay
// that has one.
func (h *harness) overlayButton(text string) *widget.Button {
	h.t.Helper()
	list := h.canvas().Overlays().List()
	for i := len(list) - 1; i >= 0; i-- {
		var found *widget.Button
		eachObject(list[i], func(o fyne.CanvasObject) bool {
			if !o.Visible() || found != nil {
				return false
			}
			if b, ok := o.(*widget.Button); ok && b.Text == text {
				found = b
				return false
			}
			return true
		})
		if found != nil {
			return found
		}
	}
	h.t.Fatalf("no %q button in the overlays; the window shows:\n%s", text, h.shown())
	return nil
}

// chooserName is the save chooser's name field.
func (h *harness) chooserName() *widget.Entry {
	h.t.Helper()
	var found *widget.Entry
	eachObject(h.u.fileOverlay, func(o fyne.CanvasObject) bool {
		if e, ok := o.(*widget.Entry); ok && e.PlaceHolder == "Enter filename" {
			found = e
		}
		return found == nil
	})
	if found == nil {
		h.t.Fatal("the save chooser has no name field")
	}
	return found
}

// openExportChooser taps Export my data… and Choose where to save….
func (h *harness) openExportChooser(t *dataTab) {
	h.t.Helper()
	test.Tap(t.exportBtn)
	test.Tap(t.options.next)
}

// exportOver starts Export my data… on the Data & privacy tab and answers
// the real chooser with name, and Yes at Overwrite?.
func (h *harness) exportOver(t *dataTab, name string) {
	h.t.Helper()
	h.openExportChooser(t)
	if h.u.fileDialog == nil {
		h.t.Fatalf("no save chooser opened; the window shows:\n%s", h.shown())
	}
	h.chooserName().SetText(name)
	test.Tap(h.overlayButton("Save"))
	test.Tap(h.overlayButton("Yes"))
}

func TestSaveChooserOverwriteKeepsTheEarlierFileUntilTheNewOneVerifies(t *testing.T) {
	h := newHarness(t)
	h.openSample()
	dir := t.TempDir()
	path := filepath.Join(dir, "backup.zip")
	earlier := []byte("the earlier backup")
	if err := os.WriteFile(path, earlier, 0o600); err != nil {
		t.Fatal(err)
	}
	intact := func(when string) {
		t.Helper()
		if got, err := os.ReadFile(path); err != nil || string(got) != string(earlier) {
			t.Fatalf("%s: the earlier file is %d bytes (%v)", when, len(got), err)
		}
	}
	h.realSaveChooser(dir)
	data := h.openSettings("Data & privacy").data

	// Yes at Overwrite?, then Cancel in the progress: the earlier file is
	// never emptied.
	h.exportOver(data, "backup.zip")
	intact("right after Yes at Overwrite?")
	if data.progress == nil {
		t.Fatalf("no export started; the window shows:\n%s", h.shown())
	}
	test.Tap(data.progress.cancel)
	h.settle()
	intact("after Cancel")
	h.expectShown("The export was cancelled")

	// Escape at Overwrite? closes only the question, every time; Return
	// there answers Yes.
	h.openExportChooser(data)
	h.chooserName().SetText("backup.zip")
	for i := 0; i < 3; i++ {
		test.Tap(h.overlayButton("Save"))
		if h.u.chooserQuestion() == nil {
			t.Fatal("no Overwrite? question")
		}
		h.canvas().Unfocus()
		h.key(fyne.KeyEscape)
		if h.u.chooserQuestion() != nil || h.u.fileDialog == nil || data.progress != nil {
			t.Fatalf("Escape %d at Overwrite? did not close just the question", i+1)
		}
	}
	intact("after Escape at Overwrite?")
	test.Tap(h.overlayButton("Save"))
	h.canvas().Unfocus()
	h.key(fyne.KeyReturn)
	if data.progress == nil {
		t.Fatal("Return at Overwrite? did not answer Yes")
	}
	intact("right after Return at Overwrite?")
	h.settle()
	h.expectShown("Your data was exported and verified.")
	if _, err := account.VerifyExport(context.Background(), path, ""); err != nil {
		t.Fatalf("the new export at the earlier file's name: %v", err)
	}

	// Space at Yes, as the keyboard sends it: the key, then the space it
	// types, which must not reach the export's Cancel.
	h.openExportChooser(data)
	h.chooserName().SetText("backup.zip")
	test.Tap(h.overlayButton("Save"))
	yes := h.overlayButton("Yes")
	h.canvas().Focus(yes)
	h.key(fyne.KeySpace)
	if f := h.canvas().Focused(); f != nil {
		f.TypedRune(' ')
	}
	h.settle()
	h.expectShown("Your data was exported and verified.")
	h.expectNotShown("The export was cancelled")

	// Once more with Yes: the new export replaces the one before.
	h.exportOver(data, "backup.zip")
	h.settle()
	h.expectShown("Your data was exported and verified.")
	if _, err := account.VerifyExport(context.Background(), path, ""); err != nil {
		t.Fatalf("the new export at the earlier file's name: %v", err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 1 {
		t.Fatalf("the folder holds %d files", len(left))
	}
}

func TestSaveChooserTakesAFullPathTypedAsTheName(t *testing.T) {
	h := newHarness(t)
	h.openSample()
	start, elsewhere := t.TempDir(), t.TempDir()
	h.realSaveChooser(start)
	data := h.openSettings("Data & privacy").data
	h.openExportChooser(data)
	target := filepath.Join(elsewhere, "typed.zip")
	h.chooserName().SetText(target)
	test.Tap(h.overlayButton("Save"))
	h.settle()
	h.expectNotShown("no such file")
	if _, err := account.VerifyExport(context.Background(), target, ""); err != nil {
		t.Fatalf("the export is not at the typed path: %v", err)
	}

	// A folder that does not exist is refused with a plain message, and
	// nothing is written.
	h.openExportChooser(data)
	h.chooserName().SetText(filepath.Join(elsewhere, "missing", "x.zip"))
	test.Tap(h.overlayButton("Save"))
	h.settle()
	h.expectShown("does not exist, so nothing was saved")
	h.expectNotShown("no such file")
}
