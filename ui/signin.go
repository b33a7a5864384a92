package ui

import (
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"offboard/account"
)

// signInScreen is the first screen: email and password, then the
// two-factor code when the account asks for one.
type signInScreen struct {
	u       *UI
	content fyne.CanvasObject

	title, intro *widget.Label
	notice       statusLabel // what brought the user here (signed out, …)

	credentials          *fyne.Container
	email, password      *entry
	emailF, passwordF    *field
	codeStep             *fyne.Container
	code                 *entry
	codeF                *field
	message              statusLabel // errors about the form as a whole
	submit               *button     // Sign in, or Verify on the code step
	back                 *button     // leaves the code step
	createAccount        *button
	sample               *button
	returnTo             *button // back to the account still open while switching
	spinner              *widget.Activity
	busyText             *widget.Label
	progress             *progressBar
	busyRow, progressRow fyne.CanvasObject
	newHere              *fyne.Container // Create account and the sample, hidden on the code step

	pending *account.SignIn  // the password was right; waiting for the code
	current *account.Account // the account kept open while switching
	busy    bool

	// The throttle as this screen has met it: wrong answers in a row per
	// account (the core keeps the real count, in the account file), and
	// the wait running now, for which account, and which countdown tick is
	// the live one.
	wrong     map[string]uint32
	waitFor   string
	waitUntil time.Time
	waitTick  int
	steady    *steadyLayout
}

func newSignInScreen(u *UI) *signInScreen {
	s := &signInScreen{u: u}
	s.title = heading(lang.L("Sign in to Offboard"))
	s.intro = wrapLabel(lang.L("Your client account, kept encrypted on this computer."))
	s.notice = newStatusLabel()

	s.email = newEntry()
	s.email.SetPlaceHolder(lang.L("name@example.com"))
	s.email.OnChanged = func(string) { s.render() }
	s.email.OnSubmitted = func(string) {
		if s.password.Text == "" {
			u.win.Canvas().Focus(s.password)
			return
		}
		s.doSubmit()
	}
	s.password = newPasswordEntry()
	s.password.OnSubmitted = func(string) { s.doSubmit() }
	s.emailF = newField(lang.L("Email"), s.email)
	s.passwordF = newField(lang.L("Password"), s.password)
	s.credentials = container.NewVBox(s.emailF.box, s.passwordF.box)

	s.code = newEntry()
	s.code.SetPlaceHolder(lang.L("123456 or a recovery code"))
	s.code.OnSubmitted = func(string) { s.doSubmit() }
	s.codeF = newField(lang.L("Two-factor code"), s.code)
	s.codeStep = container.NewVBox(
		wrapLabel(lang.L("Two-factor sign-in is on for this account. Enter the 6-digit code from your authenticator app, or one of your recovery codes.")),
		s.codeF.box,
	)
	s.codeStep.Hide()

	s.message = newStatusLabel()
	s.submit = newPrimaryButton(lang.L("Sign in"), s.doSubmit)
	s.back = newButton(lang.L("Use another account"), s.leaveCodeStep)
	s.back.Importance = widget.LowImportance
	s.back.Hide()

	s.spinner = widget.NewActivity()
	s.busyText = widget.NewLabel("")
	s.busyRow = container.NewHBox(s.spinner, s.busyText)
	s.busyRow.Hide()
	s.progress = newProgressBar()
	s.progressRow = s.progress
	s.progressRow.Hide()

	s.createAccount = newIconButton(lang.L("Create account"), theme.ContentAddIcon(), u.showSignUp)
	s.sample = newIconButton(lang.L("Open the sample account"), theme.FolderOpenIcon(), s.openSample)
	s.returnTo = newIconButton("", theme.NavigateBackIcon(), s.backToCurrent)
	s.returnTo.Importance = widget.LowImportance
	s.returnTo.Hide()

	s.newHere = container.NewVBox(
		widget.NewSeparator(),
		wrapLabel(lang.L("New here? Create an account, or look around in a sample account with realistic data.")),
		container.NewGridWithColumns(2, s.createAccount, s.sample),
	)
	card := container.NewVBox(
		s.title, s.intro, s.notice.Label,
		s.credentials, s.codeStep,
		s.message.Label, s.busyRow, s.progressRow,
		s.submit, s.back,
		s.newHere,
		s.returnTo,
	)
	version := widget.NewLabelWithStyle(lang.L("Offboard {{.Version}}", map[string]any{"Version": u.version}), fyne.TextAlignCenter, fyne.TextStyle{})
	version.SizeName = theme.SizeNameCaptionText
	s.steady = &steadyLayout{}
	scroll := container.NewVScroll(container.New(s.steady, container.New(&widthLayout{width: 480}, container.NewPadded(card))))
	s.steady.viewport = scroll.Size
	s.content = container.NewBorder(nil, version, nil, nil, scroll)
	return s
}

// reset empties the form; email and notice prefill it. current is the
// account that stays open while the user signs in to another one.
func (s *signInScreen) reset(email, notice string, current *account.Account) {
	s.cancelPending()
	s.current = current
	s.email.SetText(email)
	s.password.SetText("")
	s.code.SetText("")
	for _, f := range []*field{s.emailF, s.passwordF, s.codeF} {
		f.setError("")
	}
	s.message.set("", widget.MediumImportance)
	s.notice.set(notice, widget.HighImportance)
	if current != nil {
		s.returnTo.SetText(lang.L("Back to {{.Company}}", map[string]any{"Company": s.u.profile.Company}))
		s.returnTo.Show()
	} else {
		s.returnTo.Hide()
	}
	s.showCodeStep(false)
	s.setBusy(false, "")
	s.render()
}

// focus puts the cursor where the user types next.
func (s *signInScreen) focus() {
	switch {
	case s.codeStep.Visible():
		s.u.win.Canvas().Focus(s.code)
	case s.email.Text != "":
		s.u.win.Canvas().Focus(s.password)
	default:
		s.u.win.Canvas().Focus(s.email)
	}
}

func (s *signInScreen) showCodeStep(on bool) {
	s.steady.rebase()
	if on {
		s.title.SetText(lang.L("Two-factor sign-in"))
		s.credentials.Hide()
		s.newHere.Hide()
		s.codeStep.Show()
		s.back.Show()
		s.submit.SetText(lang.L("Verify"))
		return
	}
	if s.current != nil {
		s.title.SetText(lang.L("Switch account"))
	} else {
		s.title.SetText(lang.L("Sign in to Offboard"))
	}
	s.codeStep.Hide()
	s.credentials.Show()
	s.newHere.Show()
	s.back.Hide()
	s.submit.SetText(lang.L("Sign in"))
}

// setBusy shows the spinner and text while a slow check runs, and keeps the
// form from being submitted twice.
func (s *signInScreen) setBusy(on bool, text string) {
	s.busy = on
	for _, w := range []fyne.Disableable{s.email, s.password, s.code, s.submit, s.back, s.createAccount, s.sample, s.returnTo} {
		if on {
			w.Disable()
		} else {
			w.Enable()
		}
	}
	if on {
		s.busyText.SetText(text)
		s.busyRow.Show()
		s.spinner.Start()
		return
	}
	s.spinner.Stop()
	s.busyRow.Hide()
	s.progressRow.Hide()
	s.render()
}

func (s *signInScreen) clearErrors() {
	for _, f := range []*field{s.emailF, s.passwordF, s.codeF} {
		f.setError("")
	}
	s.message.set("", widget.MediumImportance)
	s.notice.set("", widget.MediumImportance)
}

func (s *signInScreen) doSubmit() {
	if s.busy || s.waiting() {
		return
	}
	s.clearErrors()
	if s.pending != nil {
		s.submitCode()
		return
	}
	email, password := strings.TrimSpace(s.email.Text), s.password.Text
	if email == "" {
		s.emailF.setError(lang.L("Enter the email address you signed up with."))
		s.u.win.Canvas().Focus(s.email)
		return
	}
	if password == "" {
		s.passwordF.setError(lang.L("Enter your password."))
		s.u.win.Canvas().Focus(s.password)
		return
	}
	if s.isCurrent(email) {
		s.backToCurrent()
		return
	}
	s.setBusy(true, lang.L("Checking your password…"))
	store := s.u.store
	s.u.background(func() func() {
		si, err := store.SignIn(email, password)
		var acct *account.Account
		if err == nil && !si.NeedsCode() {
			acct, err = si.Complete("")
		}
		return func() { s.signInDone(si, acct, err) }
	})
}

// signInDone shows the outcome of a password check.
func (s *signInScreen) signInDone(si *account.SignIn, acct *account.Account, err error) {
	s.setBusy(false, "")
	switch {
	case err != nil:
		s.showErr(err)
		s.counted(err)
		if account.FieldOf(err) == account.FieldPassword {
			s.password.SetText("")
		}
		s.focusError()
	case acct != nil:
		s.password.SetText("")
		s.forget()
		s.u.signedIn(acct)
	default:
		s.pending = si
		s.showCodeStep(true)
		s.u.win.Canvas().Focus(s.code)
	}
}

func (s *signInScreen) submitCode() {
	code := strings.TrimSpace(s.code.Text)
	if code == "" {
		s.codeF.setError(errText(account.ErrCodeRequired))
		s.u.win.Canvas().Focus(s.code)
		return
	}
	si := s.pending
	s.setBusy(true, lang.L("Checking the code…"))
	s.u.background(func() func() {
		acct, err := si.Complete(code)
		return func() {
			s.setBusy(false, "")
			if err != nil {
				s.showErr(err)
				s.counted(err)
				s.code.SetText("")
				s.u.win.Canvas().Focus(s.code)
				return
			}
			s.forget()
			s.pending = nil
			s.password.SetText("")
			s.code.SetText("")
			s.u.signedIn(acct)
		}
	})
}

// showErr puts err next to the field it is about.
func (s *signInScreen) showErr(err error) {
	var te *account.ThrottledError
	if errors.As(err, &te) {
		s.startWait(te.Wait)
		return
	}
	switch account.FieldOf(err) {
	case account.FieldEmail:
		s.emailF.setError(errText(err))
	case account.FieldPassword:
		s.passwordF.setError(errText(err))
	case account.FieldCode:
		s.codeF.setError(errText(err))
	default:
		s.message.set(errText(err), widget.DangerImportance)
	}
}

func (s *signInScreen) focusError() {
	switch {
	case s.emailF.errorText() != "":
		s.u.win.Canvas().Focus(s.email)
	case s.codeStep.Visible():
		s.u.win.Canvas().Focus(s.code)
	default:
		s.u.win.Canvas().Focus(s.password)
	}
}

func (s *signInScreen) leaveCodeStep() {
	s.cancelPending()
	s.clearErrors()
	s.code.SetText("")
	s.password.SetText("")
	s.showCodeStep(false)
	s.focus()
}

func (s *signInScreen) cancelPending() {
	if s.pending != nil {
		s.pending.Cancel()
		s.pending = nil
	}
}

// isCurrent reports whether email is the account kept open while switching.
func (s *signInScreen) isCurrent(email string) bool {
	if s.current == nil {
		return false
	}
	e, err := account.NormalizeEmail(email)
	return err == nil && e == s.u.profile.Email
}

func (s *signInScreen) backToCurrent() {
	if s.current == nil {
		return
	}
	s.cancelPending()
	s.current = nil
	s.u.showWorkspace()
}
