package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"offboard/account"
)

// newPassword is the pair of fields where a new password is chosen: typed
// twice, with its strength shown as it is typed. The strength and the limits
// come from the core (account.PasswordStrength, account.CheckNewPassword),
// so the meter and the final check always agree.
type newPassword struct {
	entry, repeat      *entry
	field, repeatField *field
	meter              *strengthMeter
	strength           *widget.Label
	email              func() string // the account's email, which a password must not contain
	box                *fyne.Container
}

func newNewPassword(label, repeatLabel string, email func() string) *newPassword {
	n := &newPassword{email: email}
	n.entry = newPasswordEntry()
	n.repeat = newPasswordEntry()
	n.meter = newStrengthMeter()
	n.strength = wrapLabel("")
	n.strength.SizeName = theme.SizeNameCaptionText
	n.field = newField(label, container.NewVBox(n.entry, n.meter, n.strength))
	n.repeatField = newField(repeatLabel, n.repeat)
	n.entry.OnChanged = func(string) { n.update() }
	n.repeat.OnChanged = func(string) {
		if n.repeatField.errorText() != "" && n.repeat.Text == n.entry.Text {
			n.repeatField.setError("")
		}
	}
	n.box = container.NewVBox(n.field.box, n.repeatField.box)
	n.update()
	return n
}

// update redraws the meter for what is typed now.
func (n *newPassword) update() {
	pw := n.entry.Text
	if pw == "" {
		n.meter.set(-1, false)
		n.strength.SetText(lang.L("Use at least 8 characters. A few unrelated words make a strong password that is easy to remember."))
		n.strength.Importance = widget.MediumImportance
		n.strength.Refresh()
		return
	}
	score, hint := account.PasswordStrength(pw, n.email())
	if len(pw) > account.MaxPasswordBytes {
		n.meter.set(score, true)
		n.strength.Importance = widget.DangerImportance
		n.strength.SetText(errText(account.CheckNewPassword(pw, n.email())))
		return
	}
	refused := score < account.MinPasswordScore
	n.meter.set(score, refused)
	if refused {
		n.strength.Importance = widget.DangerImportance
		n.strength.SetText(lang.L("Too weak: {{.Hint}}", map[string]any{"Hint": lang.L(hint)}))
		return
	}
	n.strength.Importance = widget.MediumImportance
	n.strength.SetText(sentence(lang.L(hint)))
}

// matches checks that the password was typed the same twice, and says so
// under the second field when not.
func (n *newPassword) matches() bool {
	if n.entry.Text != n.repeat.Text {
		n.repeatField.setError(lang.L("The two passwords are not the same. Type the new password again."))
		return false
	}
	n.repeatField.setError("")
	return true
}

func (n *newPassword) clear() {
	n.entry.SetText("")
	n.repeat.SetText("")
	n.field.setError("")
	n.repeatField.setError("")
	n.update()
}

func (n *newPassword) setEnabled(on bool) {
	for _, e := range []*entry{n.entry, n.repeat} {
		if on {
			e.Enable()
		} else {
			e.Disable()
		}
	}
}
