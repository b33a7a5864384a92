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
}

func (f *closureFlow) backupView() stepView {
	s := &backupStep{exporter: newExporter(f.u, f.c.Backup)}
	f.backup, f.view = s, s
	s.options = newExportOptions(f.u, func() { f.startBackup(s) })
	s.start = newIconButton(lang.L("Back up my data…"), theme.DownloadIcon(), func() { f.startBackup(s) })
	s.start.Importance = widget.HighImportance
	s.form = container.NewVBox(s.options.box, container.NewHBox(s.start))
	s.next = newPrimaryButton(lang.L("Continue"), f.moveOn)
	s.next.Disable()
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
			f.u.win.Canvas().Focus(s.next)
		}
		f.refit()
	}
	body := container.NewVBox(
		wrapLabel(lang.L("Once the account is deleted its data cannot be brought back, so take a copy first: a ZIP file with your records as JSON and CSV and the original files. It is read back and verified before you can go on, and it stays yours after the account is gone.")),
		s.form,
		s.exportResult,
		s.noCopyBox,
	)
	return stepView{title: lang.L("Back up your data"), body: body, next: s.next, focus: s.start}
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
