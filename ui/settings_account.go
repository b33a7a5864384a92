package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"offboard/account"
)

// accountTab shows the account's facts and how much data it holds, and
// ends with the way out: Deactivate Account.
type accountTab struct {
	u       *UI
	acct    *account.Account
	content fyne.CanvasObject

	about      *fyne.Container
	counts     *fyne.Container
	deactivate *button
	loaded     account.Counts // nil until read
	twoFactor  bool
}

func newAccountTab(u *UI, acct *account.Account) *accountTab {
	t := &accountTab{u: u, acct: acct}
	t.about = container.NewStack()
	t.counts = container.NewStack()
	t.deactivate = newButton(lang.L("Deactivate Account"), t.doDeactivate)
	t.deactivate.Importance = widget.DangerImportance
	t.deactivate.Icon = theme.WarningIcon()

	// The button says what it does; a heading above it saying the same
	// again would only be read twice.
	danger := container.NewVBox(
		wrapLabel(lang.L("Deactivating deletes this account and all of its data from this computer for good; it cannot be undone. Offboard first helps you settle what is still running and take a copy of your data.")),
		container.NewHBox(t.deactivate),
	)
	form := container.NewVBox(
		subheading(lang.L("Account")),
		t.about,
		widget.NewSeparator(),
		subheading(lang.L("Your data")),
		wrapLabel(lang.L("Everything below is stored encrypted in this account.")),
		t.counts,
		layout.NewSpacer(),
		widget.NewSeparator(),
		danger,
	)
	t.content = column(settingsWidth, form)
	t.showAbout()
	t.load()
	return t
}

// showAbout lists the account's facts.
func (t *accountTab) showAbout() {
	p := t.u.profile
	contact := p.Contact
	if contact == "" {
		contact = "—"
	}
	twoFA := lang.L("Off")
	if t.twoFactor {
		twoFA = lang.L("On")
	}
	t.about.Objects = []fyne.CanvasObject{facts(
		lang.L("Email"), p.Email,
		lang.L("Company"), p.Company,
		lang.L("Contact"), contact,
		lang.L("Created"), timeText(p.Created),
		lang.L("Two-factor sign-in"), twoFA,
		lang.L("Data folder"), t.u.store.Dir(),
	)}
	t.about.Refresh()
}

// load counts every kind of data off the UI goroutine: messages can number
// in the hundred thousands.
func (t *accountTab) load() {
	acct := t.acct
	t.u.background(func() func() {
		counts, err := acct.Counts()
		on, terr := acct.TwoFactor()
		return func() {
			t.twoFactor = terr == nil && on
			t.showAbout()
			t.counts.Objects = nil
			if err != nil {
				l := wrapLabel(errText(err))
				l.Importance = widget.DangerImportance
				t.counts.Objects = []fyne.CanvasObject{l}
				t.counts.Refresh()
				return
			}
			t.loaded = counts
			m := map[string]int{}
			for k, n := range counts {
				m[string(k)] = n
			}
			t.counts.Objects = []fyne.CanvasObject{countsGrid(m)}
			t.counts.Refresh()
		}
	})
}

func (t *accountTab) doDeactivate() {
	if t.u.OnDeactivate != nil {
		t.u.OnDeactivate(t.u.win, t.acct, t.u.deactivated)
	}
}
