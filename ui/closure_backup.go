package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"offboard/account"
)

// backupStep is Back up your data: the export of Settings › Data & privacy,
// made through the closure so that the purge can check the copy is still
// there, whole. Going on without a copy takes a tick first.
type backupStep struct {
	*exporter
	options   *exportOptions
	start     *button         // Back up my data…
	form      *fyne.Container // the options and start, until a copy is made
	noCopy    *check          // I don't need a copy of my data
	skip      *button         // Continue without a copy
	noCopyBox *fyne.Container // the tick and its button, until a copy is made
	status    statusLabel     // why going on without a copy did not work
	next      *button         // Continue, once the copy is verified
	another   *button         // Remove this copy and back up again
}

func (f *closureFlow) backupView() stepView {
	s := &backupStep{exporter: newExporter(f.u, f.c.Backup)}
	f.backup, f.view = s, s
	s.options = newExportOptions(f.u, func() { f.startBackup(s) })
	s.start = newIconButton(lang.L("Back up my data…"), theme.DownloadIcon(), func() { f.startBackup(s) })
	s.start.Importance = widget.HighImportance
	s.form = container.NewVBox(s.options.box, container.NewHBox(s.start))
	s.next = newPrimaryButton(lang.L("Continue"), func() { f.backedUp(s) })
	s.next.Disable()
	s.another = newButton(lang.L("Remove this copy and back up again"), func() { f.forgetBackup() })
	s.another.Hide()
	s.skip = newButton(lang.L("Continue without a copy"), func() { f.skipBackup(s) })
	s.skip.Disable()
	s.noCopy = newCheck(lang.L("I don't need a copy of my data"), func(on bool) {
		if on {
			s.skip.Enable()
		} else {
			s.skip.Disable()
		}
	})
	s.status = newStatusLabel()
	s.noCopyBox = container.NewVBox(widget.NewSeparator(), s.noCopy, container.NewHBox(s.skip), s.status.Label)
	s.finished = func(_ *account.ExportResult, err error) {
		if f.over || f.view != s {
			return
		}
		if err == nil {
			// The closure has moved on to the reason; Continue shows it.
			s.form.Hide()
			s.noCopyBox.Hide()
			s.next.Enable()
			s.another.Show()
			f.u.win.Canvas().Focus(s.next)
		}
		f.refit()
	}
	if prev := f.c.BackupResult(); prev != nil {
		// Back from the reason: the copy made before stays chosen.
		s.exportDone(prev, nil)
	}
	body := container.NewVBox(
		wrapLabel(lang.L("Once the account is deleted its data cannot be brought back, so take a copy first: a ZIP file with your records as JSON and CSV and the original files. It is read back and verified before you can go on, and it stays yours after the account is gone.")),
		s.form,
		s.exportResult,
		container.NewHBox(s.another),
		s.noCopyBox,
	)
	focus := fyne.Focusable(s.start)
	if !s.next.Disabled() {
		focus = s.next
	}
	return stepView{title: lang.L("Back up your data"), body: body, next: s.next, focus: focus}
}

// startBackup asks where to save the copy and makes it.
func (f *closureFlow) startBackup(s *backupStep) {
	s.status.set("", widget.MediumImportance)
	passphrase, ok := s.options.chosen()
	if !ok {
		f.refit()
		return
	}
	s.save(passphrase)
}

// skipBackup goes on without a copy, which the closure allows only once
// the box is ticked.
func (f *closureFlow) skipBackup(s *backupStep) {
	if err := f.c.SkipBackup(s.noCopy.Checked); err != nil {
		s.status.set(errText(err), widget.DangerImportance)
		f.refit()
		return
	}
	f.moveOn()
}

// backedUp goes on with the verified copy. Right after the export the
// closure is at the reason already; after Back it checks the copy again.
func (f *closureFlow) backedUp(s *backupStep) {
	if f.c.Step() != account.StepBackup {
		f.moveOn()
		return
	}
	s.next.Disable()
	f.run(func() func() {
		err := f.c.KeepBackup()
		return func() {
			if f.view != s {
				return
			}
			if err != nil {
				f.show(account.StepBackup, errText(err))
				return
			}
			f.moveOn()
		}
	})
}

// forgetBackup drops the chosen copy (its file stays) and shows the step
// as it is before any backup.
func (f *closureFlow) forgetBackup() {
	for f.c.Step() > account.StepBackup {
		if err := f.c.Back(); err != nil {
			f.show(f.c.Step(), errText(err))
			return
		}
	}
	f.c.ForgetBackup()
	f.show(account.StepBackup, "")
}
