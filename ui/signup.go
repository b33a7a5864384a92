package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"offboard/account"
)

// signUpScreen creates an account: email, a new password typed twice and
// the company's name.
type signUpScreen struct {
	u       *UI
	content fyne.CanvasObject

	email, company   *entry
	emailF, companyF *field
	password         *newPassword
	message          statusLabel
	submit           *button
	back             *button
	spinner          *widget.Activity
	busyRow          fyne.CanvasObject
	busy             bool
}

func newSignUpScreen(u *UI) *signUpScreen {
	s := &signUpScreen{u: u}
	s.email = newEntry()
	s.email.SetPlaceHolder(lang.L("name@example.com"))
	s.emailF = newField(lang.L("Email"), s.email).withHint(lang.L("You sign in with this address."))
	s.password = newNewPassword(lang.L("Password"), lang.L("Repeat the password"), func() string { return s.email.Text })
	s.company = newEntry()
	s.company.SetPlaceHolder(lang.L("Your business's name"))
	s.companyF = newField(lang.L("Company name"), s.company)
	for _, e := range []*entry{s.email, s.password.entry, s.password.repeat, s.company} {
		e.OnSubmitted = func(string) { s.doSubmit() }
	}
	s.email.OnChanged = func(string) { s.password.update() }

	s.message = newStatusLabel()
	s.submit = newPrimaryButton(lang.L("Create account"), s.doSubmit)
	s.back = newIconButton(lang.L("Back to sign in"), theme.NavigateBackIcon(), func() { u.showSignIn(strings.TrimSpace(s.email.Text), "") })
	s.back.Importance = widget.LowImportance
	s.spinner = widget.NewActivity()
	s.busyRow = container.NewHBox(s.spinner, widget.NewLabel(lang.L("Creating your account…")))
	s.busyRow.Hide()

	card := container.NewVBox(
		heading(lang.L("Create an account")),
		wrapLabel(lang.L("The account is kept on this computer, encrypted with your password. Nobody can open it without the password, so choose one you will remember.")),
		s.emailF.box, s.password.box, s.companyF.box,
		s.message.Label, s.busyRow,
		s.submit, s.back,
	)
	s.content = container.NewVScroll(container.NewCenter(container.New(&widthLayout{width: 440}, container.NewPadded(card))))
	return s
}

func (s *signUpScreen) reset() {
	s.email.SetText("")
	s.company.SetText("")
	s.password.clear()
	s.emailF.setError("")
	s.companyF.setError("")
	s.message.set("", widget.MediumImportance)
	s.setBusy(false)
}

func (s *signUpScreen) focus() { s.u.win.Canvas().Focus(s.email) }

func (s *signUpScreen) setBusy(on bool) {
	s.busy = on
	for _, w := range []fyne.Disableable{s.email, s.company, s.submit, s.back} {
		if on {
			w.Disable()
		} else {
			w.Enable()
		}
	}
	s.password.setEnabled(!on)
	if on {
		s.busyRow.Show()
		s.spinner.Start()
	} else {
		s.spinner.Stop()
		s.busyRow.Hide()
	}
}

func (s *signUpScreen) doSubmit() {
	if s.busy {
		return
	}
	s.emailF.setError("")
	s.password.field.setError("")
	s.companyF.setError("")
	s.message.set("", widget.MediumImportance)
	if !s.password.matches() {
		s.u.win.Canvas().Focus(s.password.repeat)
		return
	}
	email, password, company := strings.TrimSpace(s.email.Text), s.password.entry.Text, s.company.Text
	s.setBusy(true)
	store := s.u.store
	s.u.background(func() func() {
		acct, err := store.SignUp(email, password, company)
		return func() {
			s.setBusy(false)
			if err == nil {
				s.password.clear()
				s.u.signedIn(acct)
				return
			}
			s.showErr(err)
		}
	})
}

// showErr puts err next to the field it is about and moves the cursor there.
func (s *signUpScreen) showErr(err error) {
	c := s.u.win.Canvas()
	switch account.FieldOf(err) {
	case account.FieldEmail:
		s.emailF.setError(errText(err))
		c.Focus(s.email)
	case account.FieldPassword:
		s.password.field.setError(errText(err))
		c.Focus(s.password.entry)
	case account.FieldCompany:
		s.companyF.setError(errText(err))
		c.Focus(s.company)
	default:
		s.message.set(errText(err), widget.DangerImportance)
	}
}
