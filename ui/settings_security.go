package ui

import (
	"bytes"
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	qrcode "github.com/skip2/go-qrcode"

	"offboard/account"
)

// securityTab changes the password and turns two-factor sign-in on or off.
type securityTab struct {
	u       *UI
	acct    *account.Account
	content fyne.CanvasObject

	current    *entry
	currentF   *field
	newPw      *newPassword
	change     *button
	pwStatus   statusLabel
	pwSpinner  *widget.Activity
	pwBusy     bool
	twoFAState *widget.Label
	turnOn     *button
	turnOff    *button
	twoFAOn    bool

	// The two-factor dialogs, while open.
	enable  *enableTwoFactorDialog
	disable *disableTwoFactorDialog
	codes   *recoveryCodesDialog
}

func newSecurityTab(u *UI, acct *account.Account) *securityTab {
	t := &securityTab{u: u, acct: acct}
	t.current = newPasswordEntry()
	t.currentF = newField(lang.L("Current password"), t.current)
	t.newPw = newNewPassword(lang.L("New password"), lang.L("Repeat the new password"), func() string { return u.profile.Email })
	for _, e := range []*entry{t.current, t.newPw.entry, t.newPw.repeat} {
		e.OnSubmitted = func(string) { t.doChange() }
	}
	t.change = newPrimaryButton(lang.L("Change password"), t.doChange)
	t.pwStatus = newStatusLabel()
	t.pwSpinner = widget.NewActivity()
	t.pwSpinner.Hide()

	t.twoFAState = wrapLabel("")
	t.turnOn = newIconButton(lang.L("Turn on two-factor sign-in…"), theme.ConfirmIcon(), t.startEnable)
	t.turnOff = newIconButton(lang.L("Turn off two-factor sign-in…"), theme.CancelIcon(), t.startDisable)
	t.turnOn.Hide()
	t.turnOff.Hide()

	form := container.NewVBox(
		subheading(lang.L("Password")),
		wrapLabel(lang.L("The password unlocks the account's encryption key. Changing it re-locks the key; your data stays as it is.")),
		t.currentF.box, t.newPw.box,
		t.pwStatus.Label,
		container.NewHBox(t.change, t.pwSpinner),
		widget.NewSeparator(),
		subheading(lang.L("Two-factor sign-in")),
		wrapLabel(lang.L("With two-factor sign-in, signing in also asks for a 6-digit code from an authenticator app on your phone, so a stolen password alone cannot open the account.")),
		t.twoFAState,
		container.NewHBox(t.turnOn, t.turnOff),
	)
	t.content = column(settingsWidth, form)
	t.refreshTwoFactor()
	return t
}

func (t *securityTab) doChange() {
	if t.pwBusy {
		return
	}
	t.currentF.setError("")
	t.newPw.field.setError("")
	t.pwStatus.set("", widget.MediumImportance)
	c := t.u.win.Canvas()
	if t.current.Text == "" {
		t.currentF.setError(lang.L("Enter your current password."))
		c.Focus(t.current)
		return
	}
	if !t.newPw.matches() {
		c.Focus(t.newPw.repeat)
		return
	}
	oldPw, newPw := t.current.Text, t.newPw.entry.Text
	t.setPwBusy(true)
	acct := t.acct
	t.u.background(func() func() {
		err := acct.ChangePassword(oldPw, newPw)
		return func() {
			t.setPwBusy(false)
			if err == nil {
				t.current.SetText("")
				t.newPw.clear()
				t.pwStatus.set(lang.L("Your password was changed. Use the new one the next time you sign in."), widget.SuccessImportance)
				return
			}
			if msg, ok := throttleText(err); ok {
				t.pwStatus.set(msg, widget.DangerImportance)
				return
			}
			switch {
			case errors.Is(err, account.ErrWrongPassword):
				t.currentF.setError(errText(err))
				t.current.SetText("")
				c.Focus(t.current)
			case account.FieldOf(err) == account.FieldPassword:
				t.newPw.field.setError(errText(err))
				c.Focus(t.newPw.entry)
			default:
				t.pwStatus.set(errText(err), widget.DangerImportance)
			}
		}
	})
}

func (t *securityTab) setPwBusy(on bool) {
	t.pwBusy = on
	t.newPw.setEnabled(!on)
	if on {
		t.current.Disable()
		t.change.Disable()
		t.pwSpinner.Show()
		t.pwSpinner.Start()
		t.pwStatus.set(lang.L("Changing the password…"), widget.MediumImportance)
		return
	}
	t.current.Enable()
	t.change.Enable()
	t.pwSpinner.Stop()
	t.pwSpinner.Hide()
}

// refreshTwoFactor reads whether two-factor sign-in is on and shows it.
func (t *securityTab) refreshTwoFactor() {
	acct := t.acct
	t.u.background(func() func() {
		on, err := acct.TwoFactor()
		left := 0
		if err == nil && on {
			left, err = acct.RecoveryCodesLeft()
		}
		return func() {
			t.twoFAOn = on
			switch {
			case err != nil:
				t.twoFAState.Importance = widget.DangerImportance
				t.twoFAState.SetText(errText(err))
			case on:
				t.twoFAState.Importance = widget.SuccessImportance
				t.twoFAState.SetText(lang.L("Two-factor sign-in is on. Recovery codes left: {{.N}} of 10.", map[string]any{"N": left}))
				t.turnOn.Hide()
				t.turnOff.Show()
			default:
				t.twoFAState.Importance = widget.MediumImportance
				t.twoFAState.SetText(lang.L("Two-factor sign-in is off."))
				t.turnOff.Hide()
				t.turnOn.Show()
			}
		}
	})
}

// enableTwoFactorDialog shows the QR code of a new secret and asks for a
// code from the app to prove that the app has it.
type enableTwoFactorDialog struct {
	d      *dialog.CustomDialog
	setup  *account.TwoFactorSetup
	qr     *canvas.Image
	secret *widget.Label
	code   *entry
	codeF  *field
	ok     *button
	cancel *button
	busy   bool
}

func (t *securityTab) startEnable() {
	setup, err := t.acct.NewTwoFactor()
	if err != nil {
		t.u.showError(lang.L("Two-factor sign-in could not be set up"), err)
		return
	}
	q, err := qrcode.New(setup.URI, qrcode.Medium)
	var png []byte
	if err == nil {
		// A whole number of pixels per module, shown at its own size,
		// keeps every module sharp for the phone's camera.
		png, err = q.PNG(-4)
	}
	if err != nil {
		t.u.showError(lang.L("Two-factor sign-in could not be set up"), err)
		return
	}
	e := &enableTwoFactorDialog{setup: setup}
	e.qr = canvas.NewImageFromReader(bytes.NewReader(png), "two-factor.png")
	e.qr.FillMode = canvas.ImageFillOriginal
	e.qr.ScaleMode = canvas.ImageScalePixels
	e.secret = widget.NewLabelWithStyle(groupSecret(setup.Secret), fyne.TextAlignCenter, fyne.TextStyle{Monospace: true})
	e.secret.Selectable = true
	e.secret.Wrapping = fyne.TextWrapBreak
	e.code = newEntry()
	e.code.SetPlaceHolder("123456")
	e.code.OnSubmitted = func(string) { t.confirmEnable() }
	e.codeF = newField(lang.L("Code from the app"), e.code)
	content := container.NewVBox(
		wrapLabel(lang.L("1. Scan this code with an authenticator app on your phone.")),
		container.NewCenter(e.qr),
		wrapLabel(lang.L("Cannot scan it? Type this key into the app instead:")),
		e.secret,
		wrapLabel(lang.L("2. Enter the 6-digit code the app now shows.")),
		e.codeF.box,
	)
	e.cancel = newButton(lang.L("Cancel"), func() { e.d.Hide() })
	e.ok = newPrimaryButton(lang.L("Turn on"), t.confirmEnable)
	e.d = t.u.newDialog(lang.L("Turn on two-factor sign-in"), container.New(&widthLayout{width: 420}, content), e.cancel, e.ok)
	showInSlot(t.u, e.d, &t.enable, e, e.code)
}

// groupSecret spaces the base32 key in groups of four for typing.
func groupSecret(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (t *securityTab) confirmEnable() {
	e := t.enable
	if e == nil || e.busy {
		return
	}
	code := strings.TrimSpace(e.code.Text)
	if code == "" {
		e.codeF.setError(lang.L("Enter the 6-digit code from your authenticator app."))
		return
	}
	e.busy = true
	e.ok.Disable()
	acct := t.acct
	t.u.background(func() func() {
		err := acct.EnableTwoFactor(e.setup, code)
		return func() {
			e.busy = false
			e.ok.Enable()
			if err != nil {
				e.codeF.setError(errText(err))
				e.code.SetText("")
				t.u.win.Canvas().Focus(e.code)
				return
			}
			e.d.Hide()
			t.refreshTwoFactor()
			t.showRecoveryCodes(e.setup.RecoveryCodes)
		}
	})
}

// recoveryCodesDialog shows the recovery codes, once, with a copy button.
type recoveryCodesDialog struct {
	d      *dialog.CustomDialog
	list   *widget.Label
	copy   *button
	done   *button
	copied statusLabel
}

func (t *securityTab) showRecoveryCodes(codes []string) {
	r := &recoveryCodesDialog{copied: newStatusLabel()}
	text := strings.Join(codes, "\n")
	r.list = widget.NewLabelWithStyle(text, fyne.TextAlignCenter, fyne.TextStyle{Monospace: true})
	r.list.Selectable = true
	r.copy = newIconButton(lang.L("Copy codes"), theme.ContentCopyIcon(), func() {
		t.u.copySecret(text)
		r.copied.set(lang.L("The codes are copied. Paste them somewhere safe, such as a password manager; Offboard clears the clipboard in a minute."), widget.SuccessImportance)
	})
	r.done = newPrimaryButton(lang.L("I have saved them"), func() { r.d.Hide() })
	content := container.NewVBox(
		wrapLabel(lang.L("Two-factor sign-in is on. If you lose your phone, each of these codes signs you in once instead of a code from the app. They are shown only now: save them before you go on.")),
		r.list,
		r.copied.Label,
	)
	r.d = t.u.newDialog(lang.L("Your recovery codes"), container.New(&widthLayout{width: 420}, content), r.copy, r.done)
	showInSlot(t.u, r.d, &t.codes, r, r.copy)
}

// disableTwoFactorDialog asks for the password before two-factor goes off.
type disableTwoFactorDialog struct {
	d         *dialog.CustomDialog
	password  *entry
	passwordF *field
	ok        *button
	busy      bool
}

func (t *securityTab) startDisable() {
	x := &disableTwoFactorDialog{}
	x.password = newPasswordEntry()
	x.password.OnSubmitted = func(string) { t.confirmDisable() }
	x.passwordF = newField(lang.L("Password"), x.password)
	content := container.NewVBox(
		wrapLabel(lang.L("Signing in will then ask only for your password, and your recovery codes stop working. Enter your password to turn two-factor sign-in off.")),
		x.passwordF.box,
	)
	cancel := newButton(lang.L("Cancel"), func() { x.d.Hide() })
	x.ok = newPrimaryButton(lang.L("Turn off"), t.confirmDisable)
	x.ok.Importance = widget.DangerImportance
	x.d = t.u.newDialog(lang.L("Turn off two-factor sign-in"), container.New(&widthLayout{width: 420}, content), cancel, x.ok)
	showInSlot(t.u, x.d, &t.disable, x, x.password)
}

func (t *securityTab) confirmDisable() {
	x := t.disable
	if x == nil || x.busy {
		return
	}
	if x.password.Text == "" {
		x.passwordF.setError(lang.L("Enter your password."))
		return
	}
	pw := x.password.Text
	x.busy = true
	x.ok.Disable()
	acct := t.acct
	t.u.background(func() func() {
		err := acct.DisableTwoFactor(pw)
		return func() {
			x.busy = false
			x.ok.Enable()
			if err != nil {
				msg, ok := throttleText(err)
				if !ok {
					msg = errText(err)
				}
				x.passwordF.setError(msg)
				x.password.SetText("")
				t.u.win.Canvas().Focus(x.password)
				return
			}
			x.d.Hide()
			t.refreshTwoFactor()
		}
	})
}

// clipboardClearAfter is how long copied secrets stay on the clipboard.
const clipboardClearAfter = time.Minute

// copySecret puts text on the clipboard and takes it off again after
// u.clipboardClear, unless something else was copied meanwhile: other apps
// can read the clipboard, and clipboard managers keep what it held.
func (u *UI) copySecret(text string) {
	cb := u.app.Clipboard()
	cb.SetContent(text)
	u.pending.Add(1)
	deliver := u.deliver
	time.AfterFunc(u.clipboardClear, func() {
		deliver(func() {
			u.pending.Add(-1)
			if cb.Content() == text {
				cb.SetContent("")
			}
		})
	})
}
