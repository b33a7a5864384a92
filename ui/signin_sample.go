package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"offboard/account"
)

// openSample creates the small sample account and signs in to it, or signs
// in to it when it already exists.
func (s *signInScreen) openSample() {
	if s.busy {
		return
	}
	s.clearErrors()
	if s.isCurrent(account.SampleEmail) {
		s.backToCurrent()
		return
	}
	s.setBusy(true, lang.L("Opening the sample account…"))
	store, deliver := s.u.store, s.u.deliver
	s.u.background(func() func() {
		steps, started := newPercentSteps(), false
		o, err := store.OpenSample(func(done, total int) {
			if !started {
				started = true
				deliver(func() {
					s.busyText.SetText(lang.L("Creating the sample account…"))
					s.progress.SetValue(0)
					s.progressRow.Show()
				})
			}
			if f, ok := steps.next(int64(done), int64(total)); ok {
				deliver(func() { s.progress.SetValue(f) })
			}
		})
		return func() {
			switch {
			case errors.Is(err, account.ErrWrongPassword):
				// The owner changed the sample's password: they sign in
				// with theirs, like with any other account.
				s.setBusy(false, "")
				s.email.SetText(account.SampleEmail)
				s.password.SetText("")
				s.notice.set(lang.L("The sample account's password was changed. Sign in with the new password."), widget.HighImportance)
				s.u.win.Canvas().Focus(s.password)
			case err == nil && o.Created:
				s.setBusy(false, "")
				s.u.signedIn(o.Account)
				s.u.showSamplePassword()
			default:
				var si *account.SignIn
				var acct *account.Account
				if o != nil {
					si, acct = o.SignIn, o.Account
				}
				if si != nil && acct == nil && err == nil {
					s.email.SetText(account.SampleEmail)
				}
				s.signInDone(si, acct, err)
			}
		}
	})
}

// showSamplePassword shows the sample account's sign-in once, right after
// the sample was made, so that the user can come back to it.
func (u *UI) showSamplePassword() {
	password := widget.NewLabelWithStyle(account.SamplePassword, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	password.Selectable = true
	email := widget.NewLabelWithStyle(account.SampleEmail, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	email.Selectable = true
	copied := newStatusLabel()
	copyBtn := newIconButton(lang.L("Copy password"), theme.ContentCopyIcon(), func() {
		u.app.Clipboard().SetContent(account.SamplePassword)
		copied.set(lang.L("Password copied."), widget.SuccessImportance)
	})
	content := container.NewVBox(
		wrapLabel(lang.L("The sample account is ready. To sign in to it again later, use:")),
		container.New(layout.NewFormLayout(), widget.NewLabelWithStyle(lang.L("Email"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), email,
			widget.NewLabelWithStyle(lang.L("Password"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), password),
		wrapLabel(lang.L("This password is shown only now. You can change it in Settings, under Security.")),
		copied.Label,
	)
	dlg := u.newDialog(lang.L("Your sample account"), container.New(&widthLayout{width: 440}, content))
	ok := newPrimaryButton(lang.L("Done"), func() { dlg.Hide() })
	dlg.SetButtons([]fyne.CanvasObject{copyBtn, ok})
	u.showDialog(dlg)
	u.win.Canvas().Focus(ok)
}

// The throttle, as a person meets it: a warning before a wait starts, then
// a live countdown with Sign in disabled, for the account being tried.
