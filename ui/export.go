package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"offboard/account"
)

// The export UI is shared by Settings › Data & privacy and the closure
// sequence's backup step, so that a copy taken before deactivating is made,
// shown and checked exactly like any other export.

// exportFunc makes an export: the account's Export on the Data & privacy
// tab, the closure's Backup in the sequence (which also keeps it as the
// closure's copy).
type exportFunc func(ctx context.Context, path string, opt account.ExportOptions) (*account.ExportResult, error)

// exportOptions is the form that asks whether to protect an export with a
// passphrase, typed twice.
type exportOptions struct {
	u                    *UI
	protect              *check
	passphrase, repeat   *entry
	passphraseF, repeatF *field
	box                  *fyne.Container
}

// newExportOptions makes the form; submit runs when Enter is pressed in the
// second passphrase field.
func newExportOptions(u *UI, submit func()) *exportOptions {
	o := &exportOptions{u: u}
	o.passphrase, o.repeat = newPasswordEntry(), newPasswordEntry()
	o.passphraseF = newField(lang.L("Passphrase"), o.passphrase)
	o.repeatF = newField(lang.L("Repeat the passphrase"), o.repeat)
	o.protect = newCheck(lang.L("Protect the file with a passphrase"), func(on bool) {
		if on {
			// The focus stays on the box: moving it would make "tick,
			// Tab, type" fill the second field instead of the first.
			o.passphrase.Enable()
			o.repeat.Enable()
		} else {
			o.passphrase.Disable()
			o.repeat.Disable()
			o.passphraseF.setError("")
			o.repeatF.setError("")
		}
	})
	o.passphrase.Disable()
	o.repeat.Disable()
	o.passphrase.OnSubmitted = func(string) { u.win.Canvas().Focus(o.repeat) }
	o.repeat.OnSubmitted = func(string) { submit() }
	o.box = container.NewVBox(
		wrapLabel(lang.L("A protected export is encrypted with the age format: Offboard or the standard age tool opens it with the passphrase. Without the passphrase nobody can open it, not even you.")),
		o.protect,
		o.passphraseF.box,
		o.repeatF.box,
	)
	return o
}

// chosen is the passphrase to use ("" for none). It is false, with the
// problem shown next to its field, when the two passphrases are missing or
// differ.
func (o *exportOptions) chosen() (passphrase string, ok bool) {
	o.passphraseF.setError("")
	o.repeatF.setError("")
	if !o.protect.Checked {
		return "", true
	}
	passphrase = o.passphrase.Text
	if passphrase == "" {
		o.passphraseF.setError(lang.L("Enter a passphrase, or untick the box to export without one."))
		o.u.win.Canvas().Focus(o.passphrase)
		return "", false
	}
	if err := account.CheckPassphrase(passphrase); err != nil {
		o.passphraseF.setError(errText(err))
		o.u.win.Canvas().Focus(o.passphrase)
		return "", false
	}
	if o.repeat.Text != passphrase {
		o.repeatF.setError(lang.L("The two passphrases are not the same. Type it again."))
		o.u.win.Canvas().Focus(o.repeat)
		return "", false
	}
	return passphrase, true
}

// exporter asks where to save an export, writes it with progress and a
// working Cancel, and shows the verified result with Show in folder.
type exporter struct {
	u   *UI
	run exportFunc

	exportResult *fyne.Container // the outcome of the last export
	showFolder   *button
	lastExport   *account.ExportResult

	// progress is the progress dialog while one is open.
	progress *progressDialog

	// finished, if set, runs after the outcome of an export is shown.
	finished func(*account.ExportResult, error)
}

func newExporter(u *UI, run exportFunc) *exporter {
	e := &exporter{u: u, run: run}
	e.exportResult = container.NewVBox()
	e.showFolder = newIconButton(lang.L("Show in folder"), theme.FolderOpenIcon(), e.doShowFolder)
	return e
}

// save asks where to save the export, suggesting a name made of the company
// and the date in the folder of the last export, and exports there.
func (e *exporter) save(passphrase string) {
	name := account.DefaultExportName(e.u.profile.Company, time.Now(), passphrase != "")
	e.u.saveFile(name, e.u.prefs.exportFolder(), func(uri fyne.URI) { e.exportTo(uri.Path(), passphrase) })
}

// exportTo writes the export to path with progress and a working Cancel.
func (e *exporter) exportTo(path, passphrase string) {
	e.exportResult.RemoveAll()
	p := e.u.newProgress(lang.L("Exporting your data"), lang.L("Starting…"))
	e.progress = p
	run, deliver := e.run, e.u.deliver
	opt := account.ExportOptions{Passphrase: passphrase, AppVersion: e.u.version, ScryptWorkFactor: e.u.scryptWorkFactor}
	start := time.Now()
	e.u.background(func() func() {
		steps, lastPhase := newPercentSteps(), ""
		opt.Progress = func(pr account.ExportProgress) {
			// One update per percent or phase.
			f, ok := steps.next(pr.Bytes, pr.TotalBytes)
			if !ok && pr.Phase == lastPhase {
				return
			}
			lastPhase = pr.Phase
			deliver(func() { p.set(f, exportProgressText(pr)) })
		}
		res, err := run(p.ctx, path, opt)
		return func() {
			p.finish()
			if e.progress == p {
				e.progress = nil
			}
			e.exportDone(res, err)
			e.u.announceExport(path, time.Since(start), err)
		}
	})
}

func exportProgressText(pr account.ExportProgress) string {
	if pr.Phase == "verifying" {
		return lang.L("Reading the file back to verify it…")
	}
	return lang.L("Writing: {{.Items}} of {{.Total}} items, {{.Bytes}} of about {{.TotalBytes}}", map[string]any{
		"Items": countText(pr.Items), "Total": countText(pr.TotalItems),
		"Bytes": sizeText(pr.Bytes), "TotalBytes": sizeText(max(pr.TotalBytes, pr.Bytes)),
	})
}

func (e *exporter) exportDone(res *account.ExportResult, err error) {
	e.exportResult.RemoveAll()
	switch {
	case errors.Is(err, context.Canceled):
		e.exportResult.Add(resultLabel(lang.L("The export was cancelled. No file was left behind."), widget.MediumImportance))
	case err != nil:
		e.exportResult.Add(resultLabel(lang.L("The export failed: {{.Problem}}", map[string]any{"Problem": errText(err)}), widget.DangerImportance))
	default:
		e.lastExport = res
		e.u.prefs.setExportFolder(filepath.Dir(res.Path))
		verified := lang.L("No")
		if res.Verified {
			verified = lang.L("Yes: every entry matches its checksum")
		}
		e.exportResult.Add(resultLabel(lang.L("Your data was exported and verified."), widget.SuccessImportance))
		list := facts(
			lang.L("File"), res.Path,
			lang.L("Size"), exportSizeText(res.Size),
			lang.L("Items"), countText(res.Counts.Total()),
			lang.L("SHA-256"), lang.L("Computing…"),
			lang.L("Verified"), verified,
		)
		sumView := newChecksumView(e.u, lang.L("Computing…"))
		list.Objects[7] = sumView.box
		e.exportResult.Add(list)
		// The checksum is read from the finished file in the background
		// (a second or so per GiB): the copy is usable before it is known.
		e.u.background(func() func() {
			sum, err := res.SHA256()
			if err != nil {
				sum = lang.L("Could not be computed: {{.Problem}}", map[string]any{"Problem": errText(err)})
			}
			return func() { sumView.set(sum) }
		})
		e.exportResult.Add(container.NewHBox(e.showFolder))
	}
	if e.finished != nil {
		e.finished(res, err)
	}
}

// exportSizeText is an export's size, rounded and in bytes.
func exportSizeText(n int64) string {
	return fmt.Sprintf("%s (%s)", sizeText(n), lang.N("{{.N}} bytes", int(n), map[string]any{"N": countText(int(n))}))
}

func (e *exporter) doShowFolder() {
	if e.lastExport == nil {
		return
	}
	e.u.revealFile(e.lastExport.Path)
}

// resultLabel is the outcome of an action, in the colour of its kind.
func resultLabel(text string, imp widget.Importance) *widget.Label {
	l := wrapLabel(text)
	l.Importance = imp
	return l
}
