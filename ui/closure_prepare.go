package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
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
	question  *settleQuestion // the open "Pay invoice?" and the like
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
		settleNow(),
		container.NewHBox(s.settleAll),
		s.status.Label,
		s.list,
	)
	// The dialog is centred on its size: kept from shrinking as items are
	// settled, it stays still, and its buttons stay under the mouse.
	return stepView{title: lang.L("Settle first"), body: container.New(&stillLayout{}, body), next: s.next}
}

// stillLayout gives its objects the whole space, and asks for the tallest
// size they ever asked for, so that what holds it never shrinks.
type stillLayout struct {
	tallest float32
}

func (l *stillLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects {
		o.Resize(size)
		o.Move(fyne.NewPos(0, 0))
	}
}

func (l *stillLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var m fyne.Size
	for _, o := range objects {
		m = m.Max(o.MinSize())
	}
	l.tallest = max(l.tallest, m.Height)
	return fyne.NewSize(m.Width, l.tallest)
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

// settleNow says, before anything is settled, that settling cannot wait
// for the end of the sequence.
func settleNow() *widget.Label {
	l := wrapLabel(lang.L("Settling is done at once and stays done, even if you then keep your account."))
	l.TextStyle.Bold = true
	return l
}

// settleQuestion asks before settling: each settling is a real act on the
// account, done at once.
type settleQuestion struct {
	d       *dialog.CustomDialog
	yes, no *button
}

// askSettle shows what settling list will do, with the money it pays, and
// runs do once the owner agrees.
func (f *closureFlow) askSettle(s *settleStep, list []account.Blocker, title, yes string, do func()) {
	var rows []fyne.CanvasObject
	totals := map[string]int64{}
	var currencies []string
	for _, b := range list {
		rows = append(rows, bullet(displayText(b.Text)), indented(wrapLabel(displayText(b.Effect))))
		if b.Amount.Cents != 0 {
			if _, ok := totals[b.Amount.Currency]; !ok {
				currencies = append(currencies, b.Amount.Currency)
			}
			totals[b.Amount.Currency] += b.Amount.Cents
		}
	}
	if len(list) > 1 && len(currencies) > 0 {
		total := ""
		for _, c := range currencies {
			if total != "" {
				total += ", "
			}
			total += account.Money{Cents: totals[c], Currency: c}.String()
		}
		// At the top, where it is read before the list scrolls.
		l := wrapLabel(lang.L("Paid in total: {{.Total}}", map[string]any{"Total": total}))
		l.TextStyle.Bold = true
		rows = append([]fyne.CanvasObject{l}, rows...)
	}
	rows = append(rows, settleNow())
	q := &settleQuestion{}
	q.no = newButton(lang.L("Cancel"), func() { q.d.Hide() })
	q.yes = newPrimaryButton(yes, func() {
		s.question = nil
		q.d.Hide()
		do()
	})
	q.d = f.u.newDialog(title, newCappedScroll(container.New(&widthLayout{width: 520}, container.NewVBox(rows...)), f.maxBodyHeight), q.no, q.yes)
	showInSlot(f.u, q.d, &s.question, q, q.yes)
}

// indented shows o a little to the right, under the bullet it belongs to.
func indented(o fyne.CanvasObject) fyne.CanvasObject {
	return container.NewBorder(nil, nil, widget.NewLabel(" "), nil, o)
}

// resolve asks, then settles blocker i and shows the list as it is now.
func (f *closureFlow) resolve(s *settleStep, i int) {
	if s.busy || i >= len(s.blockers) {
		return
	}
	b := s.blockers[i]
	f.askSettle(s, []account.Blocker{b}, lang.L(b.Action)+"?", lang.L(b.Action), func() { f.resolveNow(s, b) })
}

// resolveNow settles b, which the owner agreed to.
func (f *closureFlow) resolveNow(s *settleStep, b account.Blocker) {
	if s.busy || f.view != s {
		return
	}
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
			f.settledItems = append(f.settledItems, displayText(b.Text))
			f.showBlockers(s, list, lerr, lang.L("Settled: {{.Item}}", map[string]any{"Item": displayText(b.Text)}))
		}
	})
}

// settleAll asks, listing everything with the money it pays, then settles
// every blocker at once.
func (f *closureFlow) settleAll(s *settleStep) {
	if s.busy || len(s.blockers) == 0 {
		return
	}
	n := len(s.blockers)
	f.askSettle(s, s.blockers, lang.L("Settle all?"),
		lang.N("Settle all {{.N}}", n, map[string]any{"N": countText(n)}), func() { f.settleAllNow(s) })
}

// settleAllNow settles every blocker, which the owner agreed to.
func (f *closureFlow) settleAllNow(s *settleStep) {
	if s.busy || f.view != s {
		return
	}
	s.setBusy(f)
	f.changed = true
	f.run(func() func() {
		settled, err := f.c.ResolveAll()
		list, lerr := f.c.Blockers()
		return func() {
			for _, b := range settled {
				f.settledItems = append(f.settledItems, displayText(b.Text))
			}
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
