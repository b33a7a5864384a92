package ui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"offboard/account"
)

// The two steps that lead to the purge. Their buttons delete nothing by
// Enter alone: a field's Enter never presses them, and the cursor starts in
// a field, so only a click, or Enter or Space on the focused button itself,
// goes on.

// confirmStep is Confirm: a summary of what will happen and the account's
// email typed once more.
type confirmStep struct {
	summary *fyne.Container
	email   *entry
	emailF  *field
	next    *button // Confirm Deactivation, enabled while the email matches
}

func (f *closureFlow) confirmView() stepView {
	s := &confirmStep{summary: container.NewVBox(wrapLabel(lang.L("Reading this account's numbers…")))}
	f.confirm, f.view = s, s
	s.next = newButton(lang.L("Confirm Deactivation"), func() { f.doConfirm(s) })
	s.next.Importance = widget.DangerImportance
	s.next.Icon = theme.WarningIcon()
	s.next.Disable()
	s.email = newEntry()
	s.email.OnChanged = func(typed string) {
		if s.emailF.errorText() != "" {
			s.emailF.setError("")
			f.refit()
		}
		if f.c.ConfirmMatches(typed) {
			s.next.Enable()
		} else {
			s.next.Disable()
		}
	}
	s.emailF = newField(lang.L("To confirm, type this account's email: {{.Email}}", map[string]any{"Email": f.c.Email()}), s.email).
		withHint(lang.L("Typing or pasting it is fine; capitals do not matter."))
	s.emailF.label.Wrapping = fyne.TextWrapWord

	f.run(func() func() {
		sum := f.c.Summary()
		return func() {
			if f.view != s {
				return
			}
			pairs := []string{
				lang.L("Account"), sum.Email + " (" + sum.Company + ")",
				lang.L("To be deleted"), deletedText(sum),
				lang.L("Your copy"), lang.L("No copy kept: you chose to go on without one."),
			}
			if sum.Backup != nil {
				pairs[5] = sum.Backup.Path
			}
			if sum.BackupSHA256 != "" {
				pairs = append(pairs, lang.L("SHA-256"), sum.BackupSHA256)
			}
			reason := reasonText(sum.Reason)
			if sum.Reason == account.ReasonOther && sum.ReasonText != "" {
				reason += ": " + sum.ReasonText
			}
			pairs = append(pairs, lang.L("Reason"), reason)
			s.summary.Objects = []fyne.CanvasObject{factsWithSums(f.u, pairs...)}
			s.summary.Refresh()
			f.refit()
		}
	})
	warn := wrapLabel(lang.L("Deactivation is permanent: the account cannot be reactivated, and its data cannot be brought back from Offboard."))
	warn.TextStyle.Bold = true
	body := container.NewVBox(
		wrapLabel(lang.L("Please check that this is what you want:")),
		s.summary,
		warn,
		s.emailF.box,
	)
	return stepView{title: lang.L("Confirm"), body: body, next: s.next, focus: s.email}
}

func (f *closureFlow) doConfirm(s *confirmStep) {
	if err := f.c.Confirm(s.email.Text); err != nil {
		s.emailF.setError(errText(err))
		f.u.win.Canvas().Focus(s.email)
		f.refit()
		return
	}
	f.moveOn()
}

// verifyStep is Verify it's you: the password, and a two-factor code when
// two-factor sign-in is on. Once they are right the purge starts.
type verifyStep struct {
	intro            *widget.Label
	password, code   *entry
	passwordF, codeF *field
	message          statusLabel
	spinner          *widget.Activity
	busyRow          *fyne.Container
	next             *button // Verify and delete
	needsCode        bool
	busy             bool
}

func (f *closureFlow) verifyView() stepView {
	s := &verifyStep{}
	f.verify, f.view = s, s
	s.intro = wrapLabel(lang.L("To make sure it is you, enter your password. As soon as it is right, the account and all of its data are deleted from this computer; this cannot be stopped or undone."))
	s.password = newPasswordEntry()
	s.passwordF = newField(lang.L("Password"), s.password)
	s.password.OnSubmitted = func(string) {
		if s.needsCode {
			f.u.win.Canvas().Focus(s.code)
		}
	}
	s.code = newEntry()
	s.code.SetPlaceHolder(lang.L("123456 or a recovery code"))
	s.codeF = newField(lang.L("Two-factor code"), s.code)
	s.codeF.box.Hide()
	s.message = newStatusLabel()
	s.spinner = widget.NewActivity()
	s.busyRow = container.NewHBox(s.spinner, widget.NewLabel(lang.L("Checking…")))
	s.busyRow.Hide()
	s.next = newButton(lang.L("Verify and delete"), func() { f.doVerify(s) })
	s.next.Importance = widget.DangerImportance
	s.next.Icon = theme.DeleteIcon()
	s.next.Disable()
	f.run(func() func() {
		on, err := f.c.NeedsCode()
		return func() {
			if f.view != s {
				return
			}
			if err != nil {
				s.message.set(errText(err), widget.DangerImportance)
				return
			}
			s.setNeedsCode(on)
			s.next.Enable()
			f.refit()
		}
	})
	body := container.NewVBox(s.intro, s.passwordF.box, s.codeF.box, s.message.Label, s.busyRow)
	return stepView{title: lang.L("Verify it's you"), body: body, next: s.next, focus: s.password}
}

func (s *verifyStep) setNeedsCode(on bool) {
	s.needsCode = on
	if on {
		s.intro.SetText(lang.L("To make sure it is you, enter your password and the 6-digit code from your authenticator app (or a recovery code). As soon as they are right, the account and all of its data are deleted from this computer; this cannot be stopped or undone."))
		s.codeF.box.Show()
	}
}

// setBusy shows the spinner while bcrypt checks the password, and keeps the
// form from being sent twice or left by Back meanwhile.
func (s *verifyStep) setBusy(f *closureFlow, on bool) {
	s.busy = on
	for _, w := range []fyne.Disableable{s.password, s.code, s.next, f.back} {
		if on {
			w.Disable()
		} else {
			w.Enable()
		}
	}
	if on {
		s.busyRow.Show()
		s.spinner.Start()
		return
	}
	s.spinner.Stop()
	s.busyRow.Hide()
}

func (f *closureFlow) doVerify(s *verifyStep) {
	if s.busy {
		return
	}
	s.passwordF.setError("")
	s.codeF.setError("")
	s.message.set("", widget.MediumImportance)
	defer f.refit()
	c := f.u.win.Canvas()
	if s.password.Text == "" {
		s.passwordF.setError(lang.L("Enter your password."))
		c.Focus(s.password)
		return
	}
	if s.needsCode && strings.TrimSpace(s.code.Text) == "" {
		s.codeF.setError(lang.L("Enter the 6-digit code from your authenticator app, or a recovery code."))
		c.Focus(s.code)
		return
	}
	password, code := s.password.Text, s.code.Text
	s.setBusy(f, true)
	f.run(func() func() {
		err := f.c.Verify(password, code)
		return func() {
			if f.view != s {
				return
			}
			s.setBusy(f, false)
			if err == nil {
				f.startPurge()
				return
			}
			f.verifyFailed(s, err)
		}
	})
}

// verifyFailed shows what was wrong next to its field; nothing changed.
func (f *closureFlow) verifyFailed(s *verifyStep, err error) {
	c := f.u.win.Canvas()
	var order *account.ErrOutOfOrder
	if msg, ok := throttleText(err); ok {
		s.passwordF.setError(msg)
		return
	}
	switch {
	case errors.Is(err, account.ErrWrongPassword):
		s.passwordF.setError(errText(err))
		s.password.SetText("")
		c.Focus(s.password)
	case errors.Is(err, account.ErrWrongCode), errors.Is(err, account.ErrCodeRequired):
		s.setNeedsCode(true)
		s.codeF.setError(errText(err))
		s.code.SetText("")
		c.Focus(s.code)
	case errors.Is(err, account.ErrPurgeStarted) && f.c.Step() == account.StepPurge:
		f.startPurge() // verified already: the purge is what comes next
	case errors.As(err, &order):
		f.show(f.c.Step(), errText(err))
	default:
		s.message.set(errText(err), widget.DangerImportance)
	}
}

// deletedText is what the purge deletes, counted by kind.
func deletedText(sum *account.Summary) string {
	if sum.CountsErr != nil {
		return lang.L("Everything the account holds (the numbers could not be read: {{.Problem}})", map[string]any{"Problem": errText(sum.CountsErr)})
	}
	return lang.N("{{.N}} items. {{.Kinds}}", sum.Counts.Total(), map[string]any{"N": countText(sum.Counts.Total()), "Kinds": countsLine(sum.Counts)})
}
