package ui

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// Every dialog goes through showDialog so that Escape can close the newest
// one: Fyne 2.7 dialogs do not react to Escape by themselves.

// showDialog shows d and keeps it on the stack that Escape pops.
func (u *UI) showDialog(d dialog.Dialog) {
	u.dialogs = append(u.dialogs, d)
	d.SetOnClosed(func() {
		if i := slices.Index(u.dialogs, d); i >= 0 {
			u.dialogs = slices.Delete(u.dialogs, i, i+1)
		}
	})
	d.Show()
}

// dismissDialogs closes every open dialog, newest first; used when the
// screen under them goes away.
func (u *UI) dismissDialogs() {
	for len(u.dialogs) > 0 {
		n := len(u.dialogs)
		d := u.dialogs[n-1]
		d.Dismiss()
		if len(u.dialogs) == n { // the dialog did not report its closing
			u.dialogs = u.dialogs[:n-1]
		}
	}
}

// newDialog makes a dialog with content and a row of buttons, the default
// (Enter) one last, as desktop platforms order them.
func (u *UI) newDialog(title string, content fyne.CanvasObject, buttons ...fyne.CanvasObject) *dialog.CustomDialog {
	d := dialog.NewCustomWithoutButtons(title, content, u.win)
	d.SetButtons(buttons)
	return d
}

// showInSlot shows d, a dialog that owner stands for, and keeps owner in
// *slot while d is open, so that the screen that opened it can find it (to
// report into it, or to not open a second one); focus, if set, takes the
// keyboard, as a person expects of a dialog that asks something.
func showInSlot[T comparable](u *UI, d *dialog.CustomDialog, slot *T, owner T, focus fyne.Focusable) {
	*slot = owner
	u.showDialog(d)
	d.SetOnClosed(func() {
		if *slot == owner {
			var none T
			*slot = none
		}
	})
	if focus != nil {
		u.win.Canvas().Focus(focus)
	}
}

// showMessage shows a short text in a dialog with a single Close button.
func (u *UI) showMessage(title, message string) *dialog.CustomDialog {
	text := widget.NewLabel(message)
	text.Wrapping = fyne.TextWrapWord
	var d *dialog.CustomDialog
	ok := newPrimaryButton(lang.L("Close"), func() { d.Hide() })
	d = u.newDialog(title, container.New(&widthLayout{width: 420}, text), ok)
	u.showDialog(d)
	u.win.Canvas().Focus(ok)
	return d
}

// showError explains a failure in a dialog: what went wrong, in the core's
// words, which say what to do next.
func (u *UI) showError(title string, err error) *dialog.CustomDialog {
	return u.showMessage(title, errText(err))
}
