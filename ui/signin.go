package ui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
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
		last := -1
		o, err := store.OpenSample(func(done, total int) {
			if last < 0 {
				deliver(func() {
					s.busyText.SetText(lang.L("Creating the sample account…"))
					s.progress.SetValue(0)
					s.progressRow.Show()
				})
			}
			// Only whole percents reach the window: thousands of updates
			// a second would only queue up behind each other.
			if p := done * 100 / max(total, 1); p != last {
				last = p
				deliver(func() { s.progress.SetValue(float64(p) / 100) })
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

// who is the account the form is about: the normalised email, as the core
// keys its throttle.
func (s *signInScreen) who() string {
	e, err := account.NormalizeEmail(strings.TrimSpace(s.email.Text))
	if err != nil {
		return strings.TrimSpace(s.email.Text)
	}
	return e
}

// counted notes a wrong password or code, and says what the next wrong one
// costs, or starts the wait this one costs.
func (s *signInScreen) counted(err error) {
	if !errors.Is(err, account.ErrWrongPassword) && !errors.Is(err, account.ErrWrongCode) {
		return
	}
	if s.wrong == nil {
		s.wrong = map[string]uint32{}
	}
	who := s.who()
	s.wrong[who]++
	n := s.wrong[who]
	if wait := account.DelayAfter(n); wait > 0 {
		s.startWait(wait)
		return
	}
	if next := account.DelayAfter(n + 1); next > 0 {
		what := lang.L("One more wrong password and you wait {{.Wait}} before you can try again.", map[string]any{"Wait": waitText(next)})
		if errors.Is(err, account.ErrWrongCode) {
			what = lang.L("One more wrong code and you wait {{.Wait}} before you can try again.", map[string]any{"Wait": waitText(next)})
		}
		s.message.set(what, widget.WarningImportance)
	}
}

// forget clears what the screen knew of the throttle once a sign-in worked:
// the core has cleared its count too.
func (s *signInScreen) forget() {
	delete(s.wrong, s.who())
	s.waitFor, s.waitUntil = "", time.Time{}
	s.waitTick++
}

// startWait disables Sign in for d and counts down to the next try. When
// the screen did not see the earlier wrong answers (they were made before
// a restart), the wait tells how many there were.
func (s *signInScreen) startWait(d time.Duration) {
	who := s.who()
	if s.wrong == nil {
		s.wrong = map[string]uint32{}
	}
	for s.wrong[who] < 64 && account.DelayAfter(s.wrong[who]) < d {
		s.wrong[who]++
	}
	s.waitFor, s.waitUntil = who, s.u.now().Add(d)
	s.waitTick++
	s.tick(s.waitTick)
}

// waiting reports whether the account in the form must wait now.
func (s *signInScreen) waiting() bool {
	return !s.waitUntil.IsZero() && s.waitFor == s.who() && s.u.now().Before(s.waitUntil)
}

// tick shows the time left and comes back when the shown number changes,
// until the wait is over; a tick of an earlier wait does nothing.
func (s *signInScreen) tick(n int) {
	if n != s.waitTick || s.waitUntil.IsZero() {
		return
	}
	s.render()
	if s.waitUntil.IsZero() {
		return
	}
	left := s.waitUntil.Sub(s.u.now())
	step := left - left.Truncate(time.Second)
	if step <= 0 {
		step = time.Second
	}
	s.u.after(step, func() { s.tick(n) })
}

// render shows the wait as it is now: the time left, with Sign in disabled,
// while the account in the form must wait; Sign in enabled otherwise.
func (s *signInScreen) render() {
	enable := func() {
		if s.busy {
			s.submit.Disable()
		} else {
			s.submit.Enable()
		}
	}
	if s.waitUntil.IsZero() {
		enable()
		return
	}
	left := s.waitUntil.Sub(s.u.now())
	switch {
	case left <= 0:
		if s.waitFor == s.who() {
			s.message.set(lang.L("You can try again now."), widget.MediumImportance)
		}
		s.waitFor, s.waitUntil = "", time.Time{}
		enable()
	case s.waitFor != s.who():
		// Another account is typed in: its own throttle applies.
		s.message.set("", widget.MediumImportance)
		enable()
	default:
		s.message.set(lang.L("Too many wrong attempts. You can try again in {{.Wait}}.", map[string]any{"Wait": countdownText(left)}), widget.DangerImportance)
		s.submit.Disable()
	}
}

// countdownText is a wait left as a clock shows it: 0:45, 2:05.
func countdownText(d time.Duration) string {
	secs := int((d + time.Second - 1) / time.Second)
	return fmt.Sprintf("%d:%02d", secs/60, secs%60)
}
