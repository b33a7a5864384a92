package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"offboard/account"
)

// settingsWidth keeps the Settings forms readable on a wide window.
const settingsWidth = 640

// settingsPane replaces the workspace while the user changes the account's
// settings; Back (or Escape) returns to the workspace.
type settingsPane struct {
	u       *UI
	acct    *account.Account
	content fyne.CanvasObject
	back    *button
	tabs    *container.AppTabs

	profile  *profileTab
	security *securityTab
	data     *dataTab
	account  *accountTab
}

func newSettingsPane(u *UI, acct *account.Account) *settingsPane {
	s := &settingsPane{u: u, acct: acct}
	s.back = newIconButton(lang.L("Back"), theme.NavigateBackIcon(), u.showWorkspace)
	s.back.Importance = widget.LowImportance
	s.profile = newProfileTab(u, acct)
	s.security = newSecurityTab(u, acct)
	s.account = newAccountTab(u, acct)
	items := []*container.TabItem{
		container.NewTabItemWithIcon(lang.L("Profile"), theme.AccountIcon(), s.profile.content),
		container.NewTabItemWithIcon(lang.L("Security"), lockIcon, s.security.content),
	}
	s.data = newDataTab(u, acct)
	items = append(items,
		container.NewTabItemWithIcon(lang.L("Data & privacy"), theme.DownloadIcon(), s.data.content),
		container.NewTabItemWithIcon(lang.L("Account"), theme.InfoIcon(), s.account.content))
	s.tabs = container.NewAppTabs(items...)
	s.tabs.OnSelected = func(it *container.TabItem) {
		// The other tabs change what the Account tab reports (two-factor
		// on or off, the data held): it is read again each time it is shown.
		if it.Content == s.account.content {
			s.account.load()
		}
		s.focusTab()
	}

	header := container.NewBorder(nil, nil, s.back, nil, heading(lang.L("Settings")))
	s.content = container.NewBorder(container.NewVBox(container.NewPadded(header), widget.NewSeparator()), nil, nil, nil, s.tabs)
	return s
}

// selectTab shows the tab with the given title, or the first one.
func (s *settingsPane) selectTab(title string) {
	for _, it := range s.tabs.Items {
		if it.Text == title {
			s.tabs.Select(it)
			return
		}
	}
	s.tabs.SelectIndex(0)
	s.focusTab()
}

// focusTab puts the cursor in the first field of the shown tab.
func (s *settingsPane) focusTab() {
	if s.tabs.Selected() != nil && s.tabs.Selected().Content == s.profile.content {
		s.u.win.Canvas().Focus(s.profile.company)
	}
}
