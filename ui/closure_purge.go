package ui

import (
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"offboard/account"
)

// purgeStep is Deleting your account: the purge's progress, with no way to
// stop it and no way out until it is over.
type purgeStep struct {
	bar   *progressBar
	text  *widget.Label
	steps []*widget.Label // the purge's stages, ticked as they finish
	at    int             // the stage under way
}

// The purge's stages as the step lists them.
const (
	purgeChecking = iota
	purgeOverwriting
	purgeRemoving
	purgeStages
)

func purgeStageText(i int) string {
	switch i {
	case purgeChecking:
		return lang.L("Checking that nothing needs settling and that your copy is whole")
	case purgeOverwriting:
		return lang.L("Overwriting the account's file")
	default:
		return lang.L("Removing the file and its key")
	}
}

// reach marks the stages before stage as done and stage as under way.
func (s *purgeStep) reach(stage int) {
	s.at = stage
	for i, l := range s.steps {
		mark := "○  "
		switch {
		case i < stage:
			mark = "✓  "
		case i == stage:
			mark = "…  "
		}
		l.SetText(mark + purgeStageText(i))
		l.TextStyle.Bold = i == stage
		l.Refresh()
	}
}

func (f *closureFlow) purgeView() stepView {
	s := &purgeStep{bar: newProgressBar(), text: wrapLabel(lang.L("Starting…"))}
	f.purge, f.view = s, s
	list := container.NewVBox()
	for range purgeStages {
		l := wrapLabel("")
		s.steps = append(s.steps, l)
		list.Add(l)
	}
	s.reach(purgeChecking)
	body := container.NewVBox(
		wrapLabel(lang.L("Verified. The account's data is now being overwritten and removed from this computer. This cannot be stopped; it takes a moment.")),
		list,
		s.bar,
		s.text,
	)
	return stepView{title: lang.L("Deleting your account"), body: body, noKeep: true, noBack: true, sticky: true, onClose: func() {}}
}

// startPurge shows the purge's dialog and runs it. Right before deleting,
// the closure checks once more that nothing needs settling and that the copy
// is still whole; if not, nothing is deleted and the sequence goes back to
// the step that needs attention.
func (f *closureFlow) startPurge() {
	f.show(account.StepPurge, "")
	s, deliver := f.purge, f.u.deliver
	steps := newPercentSteps()
	progress := func(done, total int64) {
		frac, ok := steps.next(done, total)
		if !ok {
			return
		}
		deliver(func() {
			stage := purgeOverwriting
			if done == total {
				stage = purgeRemoving
			}
			if s.at < stage {
				s.reach(stage)
			}
			s.bar.SetValue(frac)
			s.text.SetText(lang.L("Overwriting the account file: {{.Done}} of {{.Total}}", map[string]any{"Done": sizeText(done), "Total": sizeText(total)}))
		})
	}
	minShown := f.u.purgeMinShown
	f.run(func() func() {
		start := time.Now()
		r, err := f.c.Purge(progress)
		if r != nil {
			// A small account is erased in a fraction of a second; the step
			// stays long enough to be read, with every stage ticked.
			deliver(func() { s.reach(purgeStages) })
			time.Sleep(minShown - time.Since(start))
		}
		return func() { f.purged(r, err) }
	})
}

// purged shows how the purge ended.
func (f *closureFlow) purged(r *account.Receipt, err error) {
	var blockers *account.BlockersError
	switch {
	case r != nil:
		// The account is gone. An unfinished shred is finished by the next
		// start of Offboard; the Done dialog says so.
		f.u.prefs.forgetFolders()
		warning := ""
		if err != nil {
			warning = errText(err)
		}
		f.show(account.StepDone, warning)
	case f.c.Step() < account.StepPurge && errors.As(err, &blockers):
		f.show(f.c.Step(), lang.L("Nothing was deleted: something new needs settling first."))
	case f.c.Step() < account.StepPurge:
		f.show(f.c.Step(), lang.L("Nothing was deleted: {{.Problem}}", map[string]any{"Problem": errText(err)}))
	default:
		f.notDeleted(err)
	}
}

// notDeleted ends the sequence after a purge that failed before its commit
// point: the account is intact, but its file may already be closed, so the
// way to try again is to sign in again.
func (f *closureFlow) notDeleted(err error) {
	f.over = true
	if f.u.closure == f {
		f.u.closure = nil
	}
	if d := f.d; d != nil {
		f.d = nil
		d.Hide()
	}
	u, email := f.u, f.u.profile.Email
	d := u.showMessage(lang.L("Your account was not deleted"),
		lang.L("Deleting stopped before anything was removed: {{.Problem}} Your account and its data are still on this computer. Sign in again to try once more.", map[string]any{"Problem": errText(err)}))
	d.SetOnClosed(func() {
		if u.acct == f.acct {
			u.closeAccount()
			u.showSignIn(email, lang.L("Your account was not deleted. Sign in to try again."))
		}
	})
}

// doneStep is Done: what was deleted, where the copy is, and the receipt.
type doneStep struct {
	receipt    *account.Receipt
	save       *button // Save receipt…
	close      *button
	showFolder *button
	status     statusLabel
}

// doneView builds Done from the closure's receipt. A notice that show puts
// above it is the warning that the account's file is not fully removed yet.
func (f *closureFlow) doneView() stepView {
	r := f.c.Receipt()
	s := &doneStep{receipt: r}
	f.end, f.view = s, s
	s.status = newStatusLabel()
	s.save = newIconButton(lang.L("Save receipt…"), theme.DocumentSaveIcon(), func() { f.saveReceipt(s) })
	s.close = newPrimaryButton(lang.L("Close"), func() {
		if f.d != nil {
			f.d.Hide() // its closing returns to sign-in
		}
	})
	headline := resultLabel(lang.L("Your account has been deactivated and its data deleted."), widget.SuccessImportance)
	headline.TextStyle.Bold = true
	pairs := []string{
		lang.X("Closed (when the account was deactivated)", "Closed"), timeText(r.Closed),
		lang.L("Account"), r.Email + " (" + r.Company + ")",
	}
	if r.ExportPath != "" {
		pairs = append(pairs, lang.L("Your copy"), r.ExportPath, lang.L("Size"), exportSizeText(r.ExportSize), lang.L("SHA-256"), r.ExportSHA256)
	} else {
		pairs = append(pairs, lang.L("Your copy"), lang.L("No copy of the data was kept: you chose to go on without one."))
	}
	// The outcome of Save receipt… goes at the top, where it is seen
	// without scrolling.
	objs := []fyne.CanvasObject{headline, s.status.Label, factsWithSums(f.u, pairs...), erasedList(r)}
	if r.ExportPath != "" {
		s.showFolder = newIconButton(lang.L("Show in folder"), theme.FolderOpenIcon(), func() { f.u.revealFile(r.ExportPath) })
		objs = append(objs, container.NewHBox(s.showFolder))
	}
	objs = append(objs,
		widget.NewSeparator(),
		wrapLabel(lang.L("The account cannot be reactivated. You can create a new, empty account with the same email at any time. Save the receipt if you want a record of this.")),
	)
	return stepView{title: lang.L("Done"), body: container.NewVBox(objs...), next: s.close, extra: s.save,
		noKeep: true, noBack: true, focus: s.close, onClose: f.finish}
}

// finish returns the window to sign-in once the owner has read the result.
func (f *closureFlow) finish() {
	f.over = true
	if f.u.closure == f {
		f.u.closure = nil
	}
	// The purge closed the account: nothing may use it again, not even to
	// close it.
	if f.u.acct == f.acct {
		f.u.acct = nil
	}
	f.done()
}

// receiptName suggests a file name for the receipt: the day of closing.
func receiptName(r *account.Receipt) string {
	return "offboard-receipt-" + r.Closed.Local().Format("2006-01-02") + ".txt"
}

// saveReceipt asks where to save the receipt and writes it there,
// readable by the owner only.
func (f *closureFlow) saveReceipt(s *doneStep) {
	r := s.receipt
	f.u.saveFile(receiptName(r), "", func(uri fyne.URI) {
		path := uri.Path()
		f.u.background(func() func() {
			err := r.WriteFile(path)
			return func() {
				if err != nil {
					s.status.set(lang.L("The receipt could not be saved: {{.Problem}}", map[string]any{"Problem": errText(err)}), widget.DangerImportance)
				} else {
					s.status.set(lang.L("The receipt was saved to {{.Path}}.", map[string]any{"Path": path}), widget.SuccessImportance)
				}
				if f.end == s {
					f.refit()
				}
			}
		})
	})
}

// erasedList says what the purge erased, one kind of record a line.
func erasedList(r *account.Receipt) fyne.CanvasObject {
	box := container.NewVBox(subheading(lang.N("Erased from this computer: {{.N}} items", r.Deleted.Total(), map[string]any{"N": countText(r.Deleted.Total())})))
	for _, k := range account.Kinds {
		if n := r.Deleted[k]; n > 0 {
			box.Add(bullet(lang.L("{{.Kind}}: {{.N}}", map[string]any{"Kind": kindName(k), "N": countText(n)})))
		}
	}
	box.Add(bullet(lang.L("Your profile, your password and the two-factor settings")))
	box.Add(bullet(lang.L("The account's file, overwritten before it was removed")))
	return box
}
