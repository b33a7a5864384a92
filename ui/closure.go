package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"offboard/account"
)

// The deactivation sequence: Settings › Account › Deactivate Account walks
// the owner through account.Closure one dialog per step, in the only order
// the closure allows. Every dialog but the purge's has Keep my account,
// which leaves without deleting anything (what was already done, such as a
// settled contract, stays done), and every one between the first and the
// purge has Back. The rules live in the closure; the dialogs only show
// them. The steps are in closure_*.go.

// closureWidth keeps the dialogs' text at a readable line length.
const closureWidth = 600

// closureFlow is the deactivation sequence of one signed-in account. The
// buttons and fields of the open step are kept here, so that tests press
// them as a person would.
type closureFlow struct {
	u    *UI
	acct *account.Account
	c    *account.Closure
	done func() // returns the window to sign-in once the account is purged

	step account.Step         // the step whose dialog is open
	d    *dialog.CustomDialog // that dialog
	view any                  // that step's widgets (one of the fields below)

	// The open dialog's buttons; nil where the step has none.
	keep, back, next *button

	before  *beforeStep
	settle  *settleStep
	backup  *backupStep
	reason  *reasonStep
	confirm *confirmStep
	verify  *verifyStep
	purge   *purgeStep
	end     *doneStep

	// What the owner chose on the reason step, kept when they go back.
	reasonChoice account.Reason
	reasonText   string

	changed bool // blockers were settled, so the workspace shows stale data
	// settledItems names what was settled in this sequence, to tell the
	// owner who keeps the account that it stays settled.
	settledItems []string
	keptNotice   *dialog.CustomDialog // the message that lists them
	busy         int                  // closure calls still running off the UI goroutine
	over         bool                 // the sequence was left, abandoned or finished
}

// startClosure opens the first dialog of the sequence for acct; done is
// called once the account has been purged and the owner closed the last
// dialog.
func (u *UI) startClosure(acct *account.Account, done func()) {
	if u.closure != nil {
		return
	}
	c, err := acct.BeginClosure()
	if err != nil {
		u.showError(lang.L("Deactivation could not start"), err)
		return
	}
	f := &closureFlow{u: u, acct: acct, c: c, done: done}
	u.closure = f
	f.show(account.StepImplications, "")
}

// abandonClosure ends the sequence without touching the account any more,
// when the account is closed or the window goes away under it.
func (u *UI) abandonClosure() {
	if f := u.closure; f != nil {
		f.over = true
		u.closure = nil
	}
}

// stepView is what one step puts in its dialog.
type stepView struct {
	title   string
	body    fyne.CanvasObject
	next    *button           // the step's primary action, last in the row
	extra   fyne.CanvasObject // a button before next (Save receipt…)
	noKeep  bool              // the purge and Done have no Keep my account
	noBack  bool              // the first step, the purge and Done have no Back
	focus   fyne.Focusable    // where the cursor goes first
	sticky  bool              // Escape does not close it (the purge)
	onClose func()            // what closing the dialog means, when not Keep my account
}

// show opens the dialog of step, closing the one before. notice, if set,
// says at the top why the sequence came (back) to this step.
func (f *closureFlow) show(step account.Step, notice string) {
	if f.over {
		return
	}
	f.step = step
	f.keep, f.back, f.next = nil, nil, nil
	v := f.viewOf(step)
	top := []fyne.CanvasObject{}
	if int(step) < account.StepCount {
		hint := widget.NewLabelWithStyle(lang.L("Step {{.N}} of {{.Total}}", map[string]any{"N": int(step) + 1, "Total": account.StepCount}),
			fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		hint.Importance = widget.HighImportance
		top = append(top, hint)
	}
	if notice != "" {
		top = append(top, resultLabel(notice, widget.WarningImportance))
	}
	content := container.NewBorder(container.NewVBox(top...), nil, nil, nil,
		newCappedScroll(container.New(&widthLayout{width: closureWidth}, v.body), f.maxBodyHeight))

	d := f.u.newDialog(v.title, content, f.buttons(v)...)
	old := f.d
	f.d = d
	if old != nil {
		old.Hide()
	}
	if v.sticky {
		f.u.showDialog(stickyDialog{d})
	} else {
		f.u.showDialog(d)
	}
	d.SetOnClosed(func() {
		if f.d != d || f.over {
			return // replaced by the next step's dialog
		}
		f.d = nil
		if v.onClose != nil {
			v.onClose()
			return
		}
		f.leave()
	})
	if v.focus != nil {
		f.u.win.Canvas().Focus(v.focus)
	}
}

// viewOf builds the view of step.
func (f *closureFlow) viewOf(step account.Step) stepView {
	switch step {
	case account.StepImplications:
		return f.beforeView()
	case account.StepBlockers:
		return f.settleView()
	case account.StepBackup:
		return f.backupView()
	case account.StepReason:
		return f.reasonView()
	case account.StepConfirm:
		return f.confirmView()
	case account.StepVerify:
		return f.verifyView()
	case account.StepPurge:
		return f.purgeView()
	}
	return f.doneView()
}

// buttons are the step's row: Keep my account, Back, its own extra button
// and the way forward, each where the step has it.
func (f *closureFlow) buttons(v stepView) []fyne.CanvasObject {
	var buttons []fyne.CanvasObject
	if !v.noKeep {
		f.keep = newButton(lang.L("Keep my account"), f.keepAccount)
		// The way out is never the lesser choice: on every step it is as
		// strong as the way forward (the dialog gives its buttons one
		// width).
		f.keep.Importance = widget.HighImportance
		buttons = append(buttons, f.keep)
	}
	if !v.noBack {
		f.back = newButton(lang.L("Back"), f.goBack)
		buttons = append(buttons, f.back)
	}
	if v.extra != nil {
		buttons = append(buttons, v.extra)
	}
	if v.next != nil {
		f.next = v.next
		buttons = append(buttons, v.next)
	}
	return buttons
}

// maxBodyHeight keeps a step's dialog inside the window; a longer body
// scrolls.
func (f *closureFlow) maxBodyHeight() float32 {
	return max(f.u.win.Canvas().Size().Height-190, 200)
}

// keepAccount leaves the sequence: Keep my account, or Escape.
func (f *closureFlow) keepAccount() {
	if f.d != nil {
		f.d.Hide() // its closing leaves the sequence
	}
}

// leave ends the sequence with the account kept, and says what was settled
// on the way: that stays done.
func (f *closureFlow) leave() {
	f.over = true
	if f.u.closure == f {
		f.u.closure = nil
	}
	f.refresh()
	if len(f.settledItems) > 0 {
		text := lang.L("Your account is kept. What was settled stays settled:")
		for _, item := range f.settledItems {
			text += "\n•  " + item
		}
		f.keptNotice = f.u.showMessage(lang.L("Your account is kept"), text)
	}
}

// refresh shows settled blockers in the workspace once the sequence is
// left and nothing of it is still running.
func (f *closureFlow) refresh() {
	if f.changed && f.busy == 0 && f.u.acct == f.acct && f.u.closure == nil {
		f.changed = false
		f.u.dataChanged()
	}
}

// goBack shows the step before the one on screen. The closure may already
// be a step further (a finished backup moves it on at once), so it is
// moved back until it is at the step before.
func (f *closureFlow) goBack() {
	target := f.step - 1
	for f.c.Step() > target {
		if err := f.c.Back(); err != nil {
			f.show(f.c.Step(), errText(err))
			return
		}
	}
	f.show(f.c.Step(), "")
}

// moveOn shows the step the closure is at after an action moved it.
func (f *closureFlow) moveOn() {
	f.show(f.c.Step(), "")
}

// run does work off the UI goroutine and runs what it returns on the UI
// goroutine, unless the sequence was left meanwhile: then the result is
// dropped and only the workspace is brought up to date.
func (f *closureFlow) run(work func() func()) {
	f.busy++
	f.u.background(func() func() {
		apply := work()
		return func() {
			f.busy--
			if f.over {
				f.refresh()
				return
			}
			if apply != nil {
				apply()
				f.refit()
			}
		}
	})
}

// refit lays the open dialog out again after its content grew or shrank:
// an error shown under a field, a list that got shorter.
func (f *closureFlow) refit() {
	if f.d != nil {
		f.d.Refresh()
		// A wrapped message knows its height only once laid out at the
		// dialog's width; the pop-up does not grow by itself for that, so
		// the message was cut off in the scroll area. Size it again.
		f.d.Resize(f.d.MinSize())
	}
}

// stickyDialog is a dialog that Escape cannot close: the purge's, which
// nothing may interrupt. The sequence hides it itself when the purge ends.
type stickyDialog struct {
	*dialog.CustomDialog
}

// Dismiss does nothing: the purge cannot be stopped.
func (stickyDialog) Dismiss() {}

// cappedScroll shows its content at its natural height up to a limit, and
// scrolls it beyond, so that a dialog never grows out of its window.
type cappedScroll struct {
	widget.BaseWidget
	content   fyne.CanvasObject
	scroll    *container.Scroll
	maxHeight func() float32
}

func newCappedScroll(content fyne.CanvasObject, maxHeight func() float32) *cappedScroll {
	// The scroll bar is drawn over the content's right edge; a gap keeps it
	// off the buttons there.
	gap := canvas.NewRectangle(color.Transparent)
	gap.SetMinSize(fyne.NewSize(theme.ScrollBarSize()+theme.Padding(), 0))
	content = container.NewBorder(nil, nil, nil, gap, content)
	c := &cappedScroll{content: content, scroll: container.NewVScroll(content), maxHeight: maxHeight}
	c.ExtendBaseWidget(c)
	return c
}

// MinSize is the content's natural size, no taller than the limit.
func (c *cappedScroll) MinSize() fyne.Size {
	m := c.content.MinSize()
	return fyne.NewSize(m.Width, min(m.Height, c.maxHeight()))
}

// CreateRenderer draws the scrolling content.
func (c *cappedScroll) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(c.scroll)
}

// bullet is one item of a list of sentences.
func bullet(text string) fyne.CanvasObject {
	return wrapLabel("•  " + text)
}

// countsLine names how many items of each kind there are, in one wrapped
// line, for where a table would take too much room.
func countsLine(counts account.Counts) string {
	line := ""
	for _, k := range account.Kinds {
		if line != "" {
			line += " · "
		}
		line += lang.L("{{.Kind}}: {{.N}}", map[string]any{"Kind": kindName(k), "N": countText(counts[k])})
	}
	return line
}
