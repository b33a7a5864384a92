package ui

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"offboard/account"
)

// selectFile shows the Files tab with the first file of the media type.
func (h *harness) selectFile(media string) account.File {
	h.t.Helper()
	files := h.u.workspace.files
	h.u.workspace.tabs.SelectIndex(3)
	for i := range files.rows.len() {
		if v, _ := files.rows.at(i); v.MediaType == media {
			files.list.Select(i)
			h.settle()
			return v
		}
	}
	h.t.Fatalf("the sample has no %s file", media)
	return account.File{}
}

func TestFilesShowAThumbnailOfAnImage(t *testing.T) {
	h := newHarness(t)
	h.openSample()
	files := h.u.workspace.files
	for _, media := range []string{"image/png", "image/jpeg"} {
		f := h.selectFile(media)
		h.expectShown(f.Name, "Open", "Save a copy…")
		if files.thumb == nil {
			t.Fatalf("%s: no thumbnail", f.Name)
		}
		b := files.thumb.Image.Bounds()
		if b.Dx() < 100 || b.Dy() < 50 || b.Dx() > 2*thumbWidth || b.Dy() > 2*thumbHeight {
			t.Errorf("%s: thumbnail of %v", f.Name, b)
		}
	}
	f := h.selectFile("application/pdf")
	h.expectShown(f.Name, "PDF document")
	if files.thumb != nil {
		t.Error("a PDF shows a thumbnail")
	}
}

func TestFilesRowKeepsTheDateBeforeTheType(t *testing.T) {
	h := newHarness(t)
	h.openSample()
	f := h.selectFile("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
	r := newListRow()
	h.u.workspace.files.update(0, r)
	for i := range h.u.workspace.files.rows.len() {
		if v, _ := h.u.workspace.files.rows.at(i); v.ID == f.ID {
			h.u.workspace.files.update(i, r)
		}
	}
	if !strings.HasPrefix(r.subtitle.Text, "added ") || !strings.HasSuffix(r.subtitle.Text, "Word document") {
		t.Errorf("row subtitle %q; want the date first, then a short type", r.subtitle.Text)
	}
}

func TestOpenAFileThroughAPrivateCopy(t *testing.T) {
	h := newHarness(t)
	h.u.openRoot = filepath.Join(t.TempDir(), "open")
	var opened []string
	h.u.openDocument = func(path string) error {
		opened = append(opened, path)
		return nil
	}
	h.openSample()
	f := h.selectFile("application/pdf")
	h.tap(h.u.workspace.files.open)
	h.settle()
	if len(opened) != 1 {
		t.Fatalf("Open opened %q; the window shows:\n%s", opened, h.shown())
	}
	path := opened[0]
	if filepath.Base(path) != f.Name || !strings.HasPrefix(path, h.u.openRoot+string(filepath.Separator)) {
		t.Errorf("the copy is %s", path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	if hex.EncodeToString(sum[:]) != f.SHA256 {
		t.Error("the copy's bytes differ from the file's")
	}
	for p, want := range map[string]os.FileMode{path: 0o600, filepath.Dir(path): 0o700, h.u.openRoot: 0o700} {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v (%v)", p, fi.Mode().Perm(), want, err)
		}
	}
	h.expectShown("Opened a private copy")

	// Signing out removes the copies.
	h.u.SignOut()
	h.settle()
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the copy is still there after signing out: %v", err)
	}

	// A copy left by a crash goes at the next start of this data folder.
	root := openCopiesRoot(h.store.Dir())
	left := filepath.Join(root, "file-1", "left.pdf")
	t.Cleanup(func() { os.RemoveAll(root) })
	if err := os.MkdirAll(filepath.Dir(left), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(left, []byte("%PDF"), 0o600); err != nil {
		t.Fatal(err)
	}
	u := New(fyne.CurrentApp(), h.store, "test")
	defer u.win.Close()
	if _, err := os.Stat(left); !os.IsNotExist(err) {
		t.Errorf("a copy left behind was not removed at start: %v", err)
	}
}

func TestOpenFailsWithAMessage(t *testing.T) {
	h := newHarness(t)
	root := filepath.Join(t.TempDir(), "open")
	// A root others can read is refused, and nothing is opened.
	if err := os.MkdirAll(root, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(root, 0o755); err != nil {
		t.Fatal(err)
	}
	h.u.openRoot = root
	h.u.openDocument = func(string) error { t.Error("a copy was opened"); return nil }
	h.openSample()
	h.selectFile("image/png")
	h.tap(h.u.workspace.files.open)
	h.settle()
	h.expectShown("The file could not be opened", "is not private to you")
	if entries, _ := os.ReadDir(root); len(entries) != 0 {
		t.Errorf("something was left in %s", root)
	}
}
