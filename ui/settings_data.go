package ui

import (
	"context"
	"errors"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"offboard/account"
)

// exportExtensions are the names an export file can have.
var exportExtensions = []string{".zip", ".age"}

// dataTab takes a complete copy of the account's data, checks an export
// file, and brings an export's data into this account. Its export is the
// one the closure sequence's backup step uses too (see export.go); the
// exporter's progress field is this tab's open progress dialog, whichever
// job it belongs to.
type dataTab struct {
	*exporter
	acct    *account.Account
	content fyne.CanvasObject

	exportBtn, verifyBtn, importBtn *button
	confirmImport                   *button // the Import button of the preview, while it is open
	verifyResult                    *fyne.Container
	importResult                    *fyne.Container

	// The dialogs, while open.
	options    *exportOptionsDialog
	passphrase *passphraseDialog
}

func newDataTab(u *UI, acct *account.Account) *dataTab {
	t := &dataTab{exporter: newExporter(u, acct.Export), acct: acct}
	t.exportBtn = newIconButton(lang.L("Export my data…"), theme.DownloadIcon(), t.startExport)
	t.exportBtn.Importance = widget.HighImportance
	t.verifyBtn = newIconButton(lang.L("Verify an export…"), theme.ConfirmIcon(), t.startVerify)
	t.importBtn = newIconButton(lang.L("Import an export…"), theme.UploadIcon(), t.startImport)
	t.verifyResult = container.NewVBox()
	t.importResult = container.NewVBox()

	form := container.NewVBox(
		subheading(lang.L("Export your data")),
		wrapLabel(lang.L("Take a complete copy of everything this account holds: a ZIP file with your records as JSON and CSV, and the original files. It opens without Offboard. After writing, the file is read back and checked entry by entry.")),
		container.NewHBox(t.exportBtn),
		t.exportResult,
		widget.NewSeparator(),
		subheading(lang.L("Verify an export")),
		wrapLabel(lang.L("Check that an export file is complete and unchanged since it was made.")),
		container.NewHBox(t.verifyBtn),
		t.verifyResult,
		widget.NewSeparator(),
		subheading(lang.L("Import an export")),
		wrapLabel(lang.L("Add the data of an export, for example from another account you are merging into this one. Importing the same export again adds nothing twice.")),
		container.NewHBox(t.importBtn),
		t.importResult,
	)
	t.content = column(settingsWidth, form)
	return t
}

// exportOptionsDialog asks whether to protect the export with a passphrase.
type exportOptionsDialog struct {
	*exportOptions
	d    *dialog.CustomDialog
	next *button
}

func (t *dataTab) startExport() {
	o := &exportOptionsDialog{}
	o.exportOptions = newExportOptions(t.u, t.exportOptionsChosen)
	cancel := newButton(lang.L("Cancel"), func() { o.d.Hide() })
	o.next = newPrimaryButton(lang.L("Choose where to save…"), t.exportOptionsChosen)
	o.d = t.u.newDialog(lang.L("Export my data"), container.New(&widthLayout{width: 440}, o.box), cancel, o.next)
	showInSlot(t.u, o.d, &t.options, o, o.next)
}

func (t *dataTab) exportOptionsChosen() {
	o := t.options
	if o == nil {
		return
	}
	passphrase, ok := o.chosen()
	if !ok {
		return
	}
	o.d.Hide()
	t.save(passphrase)
}

// passphraseDialog asks for the passphrase of a protected export.
type passphraseDialog struct {
	d          *dialog.CustomDialog
	passphrase *entry
	field      *field
	ok         *button
}

// askPassphrase asks for path's passphrase, showing problem (a wrong
// passphrase) under the field, and calls done with it.
func (t *dataTab) askPassphrase(path, action, problem string, done func(passphrase string)) {
	x := &passphraseDialog{}
	x.passphrase = newPasswordEntry()
	x.field = newField(lang.L("Passphrase"), x.passphrase)
	x.field.setError(problem)
	submit := func() {
		if x.passphrase.Text == "" {
			x.field.setError(lang.L("Enter the passphrase the export was protected with."))
			return
		}
		pw := x.passphrase.Text
		x.d.Hide()
		done(pw)
	}
	x.passphrase.OnSubmitted = func(string) { submit() }
	cancel := newButton(lang.L("Cancel"), func() { x.d.Hide() })
	x.ok = newPrimaryButton(action, submit)
	content := container.NewVBox(
		wrapLabel(lang.L("{{.Name}} is protected by a passphrase.", map[string]any{"Name": filepath.Base(path)})),
		x.field.box,
	)
	x.d = t.u.newDialog(lang.L("Passphrase"), container.New(&widthLayout{width: 420}, content), cancel, x.ok)
	showInSlot(t.u, x.d, &t.passphrase, x, x.passphrase)
}

// withPassphrase finds out whether path is protected, asks for its
// passphrase if so, and runs job with it. A wrong passphrase asks again.
func (t *dataTab) withPassphrase(path, action string, result *fyne.Container, job func(passphrase string)) {
	t.u.background(func() func() {
		encrypted, err := account.IsEncryptedExport(path)
		return func() {
			switch {
			case err != nil:
				result.RemoveAll()
				result.Add(resultLabel(errText(err), widget.DangerImportance))
			case encrypted:
				t.askPassphrase(path, action, "", job)
			default:
				job("")
			}
		}
	})
}

func (t *dataTab) startVerify() {
	t.u.openFile(exportExtensions, func(uri fyne.URI) { t.verify(uri.Path()) })
}

// verify checks the export at path against its manifest.
func (t *dataTab) verify(path string) {
	t.verifyResult.RemoveAll()
	t.withPassphrase(path, lang.L("Verify"), t.verifyResult, func(passphrase string) { t.verifyWith(path, passphrase) })
}

func (t *dataTab) verifyWith(path, passphrase string) {
	p := t.u.newProgress(lang.L("Verifying the export"), lang.L("Reading {{.Name}} and checking every entry…", map[string]any{"Name": filepath.Base(path)}))
	p.infinite()
	t.progress = p
	t.u.background(func() func() {
		m, err := account.VerifyExport(p.ctx, path, passphrase)
		return func() {
			p.finish()
			t.progress = nil
			t.verifyResult.RemoveAll()
			switch {
			case errors.Is(err, account.ErrWrongPassphrase):
				t.askPassphrase(path, lang.L("Verify"), errText(err), func(pw string) { t.verifyWith(path, pw) })
			case errors.Is(err, context.Canceled):
				t.verifyResult.Add(resultLabel(lang.L("The check was cancelled."), widget.MediumImportance))
			case err != nil:
				t.verifyResult.Add(resultLabel(lang.L("{{.Name}} did not pass the check: {{.Problem}}", map[string]any{"Name": filepath.Base(path), "Problem": errText(err)}), widget.DangerImportance))
			default:
				t.verifyResult.Add(resultLabel(lang.L("{{.Name}} is intact: all {{.N}} entries match their checksums.", map[string]any{"Name": filepath.Base(path), "N": countText(len(m.Entries))}), widget.SuccessImportance))
				t.verifyResult.Add(facts(
					lang.L("Made"), timeText(m.Created),
					lang.L("By"), m.App+" "+m.AppVersion,
				))
				t.verifyResult.Add(countsGrid(m.Counts))
			}
		}
	})
}

// countsGrid shows how many items of each kind an account or an export
// holds, in two columns so that all eleven kinds fit in little height.
func countsGrid(counts map[string]int) *fyne.Container {
	cols := [2]*fyne.Container{container.New(layout.NewFormLayout()), container.New(layout.NewFormLayout())}
	half := (len(account.Kinds) + 1) / 2
	for i, k := range account.Kinds {
		c := cols[i/half]
		c.Add(widget.NewLabelWithStyle(kindName(k), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		c.Add(widget.NewLabel(countText(counts[string(k)])))
	}
	return container.NewGridWithColumns(2, cols[0], cols[1])
}

func (t *dataTab) startImport() {
	t.u.openFile(exportExtensions, func(uri fyne.URI) { t.importFrom(uri.Path()) })
}

// importFrom adds the data of the export at path to this account.
func (t *dataTab) importFrom(path string) {
	t.importResult.RemoveAll()
	t.withPassphrase(path, lang.L("Import"), t.importResult, func(passphrase string) { t.importWith(path, passphrase) })
}

// importWith checks the export and reads it through, writing nothing,
// then shows what it would add and asks before adding it.
func (t *dataTab) importWith(path, passphrase string) {
	p := t.u.newProgress(lang.L("Importing an export"), lang.L("Checking {{.Name}} before anything is added…", map[string]any{"Name": filepath.Base(path)}))
	p.infinite()
	t.progress = p
	acct := t.acct
	t.u.background(func() func() {
		plan, err := acct.PlanImport(p.ctx, path, passphrase)
		return func() {
			p.finish()
			t.progress = nil
			if err != nil {
				t.importDone(path, nil, err)
				return
			}
			t.askImport(path, plan)
		}
	})
}

// confirmImport shows what the export would add, per kind, and imports it
// only when asked to.
func (t *dataTab) askImport(path string, plan *account.ImportPlan) {
	known := plan.Known.Total()
	if plan.Total() == 0 {
		t.importDone(path, account.Counts{}, nil)
		return
	}
	counts := map[string]int{}
	for k, n := range plan.New {
		counts[string(k)] = n
	}
	text := lang.N("{{.N}} items of {{.Name}} will be added to this account.", plan.Total(), map[string]any{"N": countText(plan.Total()), "Name": filepath.Base(path)})
	if known > 0 {
		text += " " + lang.N("{{.N}} items are already here from an earlier import and are left as they are.", known, map[string]any{"N": countText(known)})
	}
	var d *dialog.CustomDialog
	cancel := newButton(lang.L("Cancel"), func() { d.Hide() })
	ok := newPrimaryButton(lang.L("Import"), func() { d.Hide(); t.confirmImport = nil; t.runImport(path, plan) })
	t.confirmImport = ok
	d = t.u.newDialog(lang.L("Import this export?"), container.New(&widthLayout{width: 480}, container.NewVBox(wrapLabel(text), countsGrid(counts))), cancel, ok)
	t.u.showDialog(d)
	t.u.win.Canvas().Focus(ok)
}

func (t *dataTab) runImport(path string, plan *account.ImportPlan) {
	p := t.u.newProgress(lang.L("Importing an export"), lang.L("Adding the items of {{.Name}}…", map[string]any{"Name": filepath.Base(path)}))
	t.progress = p
	deliver := t.u.deliver
	t.u.background(func() func() {
		steps := newPercentSteps()
		added, err := plan.Run(p.ctx, func(done, total int) {
			if f, ok := steps.next(int64(done), int64(total)); ok {
				deliver(func() {
					p.set(f, lang.L("Adding: {{.Done}} of {{.Total}} items", map[string]any{"Done": countText(done), "Total": countText(total)}))
				})
			}
		})
		return func() {
			p.finish()
			t.progress = nil
			t.importDone(path, added, err)
		}
	})
}

func (t *dataTab) importDone(path string, added account.Counts, err error) {
	t.importResult.RemoveAll()
	total := 0
	for _, n := range added {
		total += n
	}
	if total > 0 {
		// The workspace and the counts show the new items from now on.
		t.u.dataChanged()
	}
	switch {
	case errors.Is(err, account.ErrWrongPassphrase):
		t.askPassphrase(path, lang.L("Import"), errText(err), func(pw string) { t.importWith(path, pw) })
		return
	case errors.Is(err, context.Canceled):
		t.importResult.Add(resultLabel(lang.L("The import was cancelled. Importing the same export again finishes it."), widget.MediumImportance))
	case err != nil:
		t.importResult.Add(resultLabel(lang.L("The import failed: {{.Problem}}", map[string]any{"Problem": errText(err)}), widget.DangerImportance))
	case total == 0:
		t.importResult.Add(resultLabel(lang.L("Nothing new: everything in this export is already in the account."), widget.MediumImportance))
	default:
		t.importResult.Add(resultLabel(lang.N("{{.N}} items were added to this account.", total, map[string]any{"N": countText(total)}), widget.SuccessImportance))
	}
	if total > 0 {
		m := map[string]int{}
		for k, n := range added {
			m[string(k)] = n
		}
		t.importResult.Add(countsGrid(m))
	}
}
