package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"offboard/account"
)

// The first two steps: what closing means for this account, and settling
// what deleting it would not cancel.

// beforeStep is Before you go: the consequences, with this account's numbers.
type beforeStep struct {
	list *fyne.Container
}

func (f *closureFlow) beforeView() stepView {
	s := &beforeStep{list: container.NewVBox(wrapLabel(lang.L("Reading this account's numbers…")))}
	f.before, f.view = s, s
	next := newPrimaryButton(lang.L("Continue"), f.doContinue)
	next.Disable()
	f.run(func() func() {
		imp, err := f.c.Implications()
		return func() {
			if f.view != s {
				return
			}
			if err != nil {
				s.list.Objects = []fyne.CanvasObject{resultLabel(lang.L("This account's numbers could not be read: {{.Problem}}", map[string]any{"Problem": errText(err)}), widget.DangerImportance)}
				s.list.Refresh()
				return
			}
			objs := make([]fyne.CanvasObject, 0, len(imp.Consequences)+3)
			for _, t := range imp.Consequences {
				objs = append(objs, bullet(displayText(t)))
			}
			objs = append(objs, widget.NewSeparator(),
				wrapLabel(lang.N("This account holds {{.N}} items. {{.Kinds}}", imp.Counts.Total(), map[string]any{"N": countText(imp.Counts.Total()), "Kinds": countsLine(imp.Counts)})))
			s.list.Objects = objs
			s.list.Refresh()
			next.Enable()
			f.u.win.Canvas().Focus(next)
			f.refit()
		}
	})
	body := container.NewVBox(
		wrapLabel(lang.L("Deactivating closes this account for good and deletes its data from this computer. Before you decide, this is what it means:")),
		s.list,
	)
	return stepView{title: lang.L("Before you go"), body: body, next: next, noBack: true, focus: next}
}

func (f *closureFlow) doContinue() {
	if err := f.c.Continue(); err != nil {
		f.show(f.c.Step(), errText(err))
		return
	}
	f.moveOn()
}

// settleStep is Settle first: everything that deleting the account would
// not cancel, each with a button that settles it in place.
type settleStep struct {
	list      *fyne.Container
	blockers  []account.Blocker
	resolve   []*button // one per blocker, in the same order
	settleAll *button
	next      *button // Continue, enabled once nothing is left
	status    statusLabel
	busy      bool
}

func (f *closureFlow) settleView() stepView {
	s := &settleStep{list: container.NewVBox(wrapLabel(lang.L("Checking what is still running…")))}
	f.settle, f.view = s, s
	s.status = newStatusLabel()
	s.settleAll = newIconButton(lang.L("Settle all"), theme.ConfirmIcon(), func() { f.settleAll(s) })
	s.settleAll.Disable()
	s.next = newPrimaryButton(lang.L("Continue"), func() { f.settled(s) })
	s.next.Disable()
	f.loadBlockers(s, "")
	body := container.NewVBox(
		wrapLabel(lang.L("Deleting the account does not cancel contracts or billing, so these are settled first. Each button does it right here and records it in your data.")),
		container.NewHBox(s.settleAll),
		s.status.Label,
		s.list,
	)
	return stepView{title: lang.L("Settle first"), body: body, next: s.next}
}

// loadBlockers reads the blockers again and shows them, with done, if set,
// as the outcome of what was just settled.
func (f *closureFlow) loadBlockers(s *settleStep, done string) {
	s.busy = true
	f.run(func() func() {
		list, err := f.c.Blockers()
		return func() { f.showBlockers(s, list, err, done) }
	})
}

func (f *closureFlow) showBlockers(s *settleStep, list []account.Blocker, err error, done string) {
	if f.view != s {
		return
	}
	s.busy = false
	if err != nil {
		s.status.set(lang.L("The items to settle could not be read: {{.Problem}}", map[string]any{"Problem": errText(err)}), widget.DangerImportance)
		return
	}
	s.blockers = list
	s.resolve = make([]*button, len(list))
	var rows []fyne.CanvasObject
	for i, b := range list {
		btn := newButton(lang.L(b.Action), func() { f.resolve(s, i) })
		s.resolve[i] = btn
		rows = append(rows, container.NewBorder(nil, nil, nil, container.NewVBox(btn), wrapLabel(displayText(b.Text))))
	}
	if len(list) == 0 {
		ok := resultLabel(lang.L("Nothing to settle."), widget.SuccessImportance)
		ok.TextStyle.Bold = true
		rows = []fyne.CanvasObject{ok, wrapLabel(lang.L("No contract is running, no invoice is due, no job posting or dispute is open, and nobody else has access to the account."))}
		s.settleAll.Hide()
		s.next.Enable()
		f.u.win.Canvas().Focus(s.next)
	} else {
		s.settleAll.Enable()
		s.settleAll.Show()
		s.next.Disable()
	}
	s.list.Objects = rows
	s.list.Refresh()
	if done != "" {
		s.status.set(done, widget.SuccessImportance)
	}
	f.refit()
}

// setBusy keeps anything else from being settled while one change is saved.
func (s *settleStep) setBusy(f *closureFlow) {
	s.busy = true
	for _, b := range s.resolve {
		b.Disable()
	}
	s.settleAll.Disable()
	s.next.Disable()
	s.status.set("", widget.MediumImportance)
}

// resolve settles blocker i and shows the list as it is now.
func (f *closureFlow) resolve(s *settleStep, i int) {
	if s.busy || i >= len(s.blockers) {
		return
	}
	b := s.blockers[i]
	s.setBusy(f)
	f.changed = true
	f.run(func() func() {
		err := f.c.Resolve(b)
		list, lerr := f.c.Blockers()
		return func() {
			if err != nil {
				f.showBlockers(s, list, lerr, "")
				s.status.set(lang.L("This could not be settled: {{.Problem}}", map[string]any{"Problem": errText(err)}), widget.DangerImportance)
				return
			}
			f.showBlockers(s, list, lerr, lang.L("Settled: {{.Item}}", map[string]any{"Item": displayText(b.Text)}))
		}
	})
}

// settleAll settles every blocker at once.
func (f *closureFlow) settleAll(s *settleStep) {
	if s.busy {
		return
	}
	s.setBusy(f)
	f.changed = true
	f.run(func() func() {
		settled, err := f.c.ResolveAll()
		list, lerr := f.c.Blockers()
		return func() {
			if err != nil {
				f.showBlockers(s, list, lerr, "")
				s.status.set(lang.L("Not everything could be settled: {{.Problem}}", map[string]any{"Problem": errText(err)}), widget.DangerImportance)
				return
			}
			f.showBlockers(s, list, lerr, lang.N("{{.N}} items were settled.", len(settled), map[string]any{"N": countText(len(settled))}))
		}
	})
}

// settled moves on once nothing is left to settle; the closure checks again.
func (f *closureFlow) settled(s *settleStep) {
	if s.busy {
		return
	}
	s.setBusy(f)
	f.run(func() func() {
		err := f.c.Settled()
		if err == nil {
			return func() {
				if f.view == s {
					f.moveOn()
				}
			}
		}
		list, lerr := f.c.Blockers()
		return func() {
			f.showBlockers(s, list, lerr, "")
			var be *account.BlockersError
			if errors.As(err, &be) {
				s.status.set(lang.L("Something new needs settling before you go on."), widget.DangerImportance)
				return
			}
			s.status.set(errText(err), widget.DangerImportance)
		}
	})
}
