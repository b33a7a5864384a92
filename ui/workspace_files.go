package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"offboard/account"
)

// filesTab lists the files shared in the account, and saves a copy of one
// out of the encrypted store on request.
type filesTab struct {
	*browser
	u      *UI
	acct   *account.Account
	rows   *rows[uint64, account.File]
	save   *button       // Save a copy… of the selected file
	open   *button       // Open the selected file in the system's application
	thumb  *canvas.Image // the selected image's thumbnail; nil for other files
	status statusLabel   // where the last copy went
}

func newFilesTab(u *UI, acct *account.Account) *filesTab {
	t := &filesTab{u: u, acct: acct}
	t.browser = newBrowser(lang.L("No files yet."), lang.L("Select a file to see its details."),
		func() int { return t.rows.len() }, t.update, t.show)
	loadDated(u, func() ([]account.File, error) { return account.List[account.File](acct) },
		func(f *account.File) uint64 { return f.ID }, func(f *account.File) time.Time { return f.Added },
		func(id uint64) (account.File, error) { return account.Get[account.File](acct, id) },
		func(r *rows[uint64, account.File], err error) { t.rows = r; t.loaded(err) })
	return t
}

func (t *filesTab) update(i int, r *listRow) {
	f, err := t.rows.at(i)
	if err != nil {
		unreadable(r, err)
		return
	}
	// The date goes first: a long media type is cut short, not the date.
	r.set(f.Name, sizeText(f.Size), widget.MediumImportance, lang.L("added {{.Date}}", map[string]any{"Date": dateText(f.Added)})+" · "+typeText(f.MediaType))
}

// typeText names a media type the way a person would; unknown types are
// shown as they are.
func typeText(media string) string {
	switch media {
	case "application/pdf":
		return lang.L("PDF document")
	case "image/png":
		return lang.L("PNG image")
	case "image/jpeg":
		return lang.L("JPEG image")
	case "text/csv":
		return lang.L("CSV table")
	case "application/zip":
		return lang.L("ZIP archive")
	case "application/vnd.openxmlformats-officedocument.wordprocessingml.document":
		return lang.L("Word document")
	}
	return media
}

// isImage says whether the Files tab can show a thumbnail of f.
func isImage(f account.File) bool {
	return f.MediaType == "image/png" || f.MediaType == "image/jpeg"
}

func (t *filesTab) show(i int) fyne.CanvasObject {
	f, err := t.rows.at(i)
	if err != nil {
		return detailPane(lang.L("This item could not be read"), []string{lang.L("Problem"), errText(err)})
	}
	t.save = newIconButton(lang.L("Save a copy…"), theme.DocumentSaveIcon(), func() { t.u.saveFileAs(t.acct, f, t.status) })
	t.open = newIconButton(lang.L("Open"), theme.FileApplicationIcon(), func() { t.u.openFileCopy(t.acct, f, t.status) })
	t.status = newStatusLabel()
	var preview []fyne.CanvasObject
	t.thumb = nil
	if isImage(f) {
		t.thumb = t.u.thumbnail(t.acct, f)
		preview = append(preview, t.thumb)
	}
	sum := widget.NewLabelWithStyle(f.SHA256, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	sum.Selectable = true
	sum.Wrapping = fyne.TextWrapBreak
	return detailPane(f.Name, []string{
		lang.L("Type"), f.MediaType,
		lang.L("Size"), fmt.Sprintf("%s (%s)", sizeText(f.Size), lang.N("{{.N}} bytes", int(f.Size), map[string]any{"N": countText(int(f.Size))})),
		lang.L("Added"), timeText(f.Added),
	}, append(preview, subheading(lang.L("SHA-256 checksum")), sum,
		container.NewHBox(t.open, t.save), t.status.Label)...)
}

// saveFileAs asks where to save a copy of f, then streams its bytes there,
// checking every chunk, with progress and Cancel.
func (u *UI) saveFileAs(acct *account.Account, f account.File, status statusLabel) {
	u.saveFile(f.Name, "", func(uri fyne.URI) { u.copyFileTo(acct, f, uri, status) })
}

// copyFileTo writes f's bytes to dest off the UI goroutine, through
// saveSafely: a failed or cancelled copy leaves nothing behind, and a file
// already at dest is replaced only by the whole copy.
func (u *UI) copyFileTo(acct *account.Account, f account.File, dest fyne.URI, status statusLabel) {
	status.set("", widget.MediumImportance)
	p := u.newProgress(lang.L("Saving a copy"), lang.L("Saving {{.Name}}…", map[string]any{"Name": f.Name}))
	deliver := u.deliver
	u.background(func() func() {
		err := func() error {
			r, err := acct.OpenFile(f.ID)
			if err != nil {
				return err
			}
			defer r.Close()
			report := percentReporter(f.Size, func(fr float64) { deliver(func() { p.set(fr, "") }) })
			return saveSafely(p.ctx, dest.Path(), func(w io.Writer) error {
				_, err := io.Copy(w, &ctxReader{ctx: p.ctx, r: r, on: report})
				return err
			})
		}()
		return func() {
			p.finish()
			switch {
			case errors.Is(err, context.Canceled):
				status.set(lang.L("Cancelled; nothing was saved."), widget.MediumImportance)
			case err != nil:
				u.showError(lang.L("The file could not be saved"), err)
			default:
				status.set(lang.L("Saved a copy to {{.Path}}", map[string]any{"Path": dest.Path()}), widget.SuccessImportance)
			}
		}
	})
}
