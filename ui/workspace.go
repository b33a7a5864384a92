package ui

import (
	"runtime/debug"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"offboard/account"
)

// workspace is the main window of a signed-in account: its data in tabs,
// and the avatar with the account menu in the top-right corner.
type workspace struct {
	u       *UI
	acct    *account.Account
	content fyne.CanvasObject

	company *widget.Label
	email   *widget.Label
	avatar  *avatar
	menu    *widget.PopUpMenu // the account menu while it is open
	items   *fyne.Menu        // what menu shows

	tabs      *container.AppTabs
	jobs      *jobsTab
	contracts *contractsTab
	messages  *messagesTab
	files     *filesTab
	reviews   *reviewsTab
	billing   *billingTab
	team      *teamTab
	disputes  *disputesTab
	// contractsTabs holds the contracts and, beside them, their disputes.
	contractsTabs *container.AppTabs
}

func newWorkspace(u *UI, acct *account.Account) *workspace {
	// Signing in has just left its key derivation's memory (Argon2id,
	// about 80 MiB) as garbage: hand it back before the lists below start
	// filling memory, rather than whenever the runtime gets round to it.
	// With little else alive this takes a few milliseconds.
	debug.FreeOSMemory()
	w := &workspace{u: u, acct: acct}
	w.company = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	w.company.SizeName = theme.SizeNameSubHeadingText
	w.company.Truncation = fyne.TextTruncateEllipsis
	w.email = widget.NewLabel("")
	w.email.SizeName = theme.SizeNameCaptionText
	w.email.Truncation = fyne.TextTruncateEllipsis
	w.avatar = newAvatar(44)
	w.avatar.OnTapped = w.showMenu
	w.profileChanged(u.profile)

	w.jobs = newJobsTab(u, acct)
	w.contracts = newContractsTab(u, acct)
	w.messages = newMessagesTab(u, acct)
	w.files = newFilesTab(u, acct)
	w.reviews = newReviewsTab(u, acct)
	w.billing = newBillingTab(u, acct)
	w.team = newTeamTab(u, acct)
	w.disputes = newDisputesTab(u, acct)
	w.contractsTabs = container.NewAppTabs(
		container.NewTabItem(lang.L("Contracts"), w.contracts.content),
		container.NewTabItem(lang.L("Disputes"), w.disputes.content),
	)
	// Seven tabs of icon-over-label buttons fit in a 600-pixel-high window
	// only with smaller icons; the tabs' contents keep the app's theme.
	tab := func(title string, icon fyne.Resource, content fyne.CanvasObject) *container.TabItem {
		return container.NewTabItemWithIcon(title, icon, container.NewThemeOverride(content, liveTheme{}))
	}
	w.tabs = container.NewAppTabs(
		tab(lang.L("Jobs"), theme.DocumentIcon(), w.jobs.content),
		tab(lang.L("Contracts"), theme.DocumentCreateIcon(), w.contractsTabs),
		tab(lang.L("Messages"), theme.MailComposeIcon(), w.messages.content),
		tab(lang.L("Files"), theme.FolderIcon(), w.files.content),
		tab(lang.L("Reviews"), theme.ConfirmIcon(), w.reviews.content),
		tab(lang.L("Billing"), theme.ListIcon(), w.billing.content),
		tab(lang.L("Team"), theme.AccountIcon(), w.team.content),
	)
	w.tabs.SetTabLocation(container.TabLocationLeading)
	tabsBar := container.NewThemeOverride(w.tabs, compactTabsTheme{})

	names := container.New(&tightVBox{}, w.company, w.email)
	header := container.NewBorder(nil, nil, nil, w.avatar, names)
	w.content = container.NewBorder(container.NewVBox(container.NewPadded(header), widget.NewSeparator()), nil, nil, nil, tabsBar)
	return w
}

// profileChanged shows the account's name and picture.
func (w *workspace) profileChanged(p account.Profile) {
	w.company.SetText(p.Company)
	w.email.SetText(p.Email)
	w.avatar.set(p.Avatar, p.Company)
}

// showMenu opens the account menu under the avatar, aligned to its right
// edge so that it stays inside the window.
func (w *workspace) showMenu() {
	u := w.u
	settings := fyne.NewMenuItem(lang.L("Settings"), func() { u.showSettings("") })
	settings.Icon = theme.SettingsIcon()
	settings.Shortcut = settingsShortcut
	switchAcct := fyne.NewMenuItem(lang.L("Switch account"), func() { u.showSignIn("", "") })
	switchAcct.Icon = theme.AccountIcon()
	logOut := fyne.NewMenuItem(lang.L("Log out"), u.logOut)
	logOut.Icon = theme.LogoutIcon()
	w.items = fyne.NewMenu("", settings, switchAcct, fyne.NewMenuItemSeparator(), logOut)
	w.menu = widget.NewPopUpMenu(w.items, u.win.Canvas())
	container.NewThemeOverride(w.menu, menuTheme{u.app.Settings().Theme()}) // a readable Ctrl+,
	w.menu.OnDismiss = func() {
		w.menu.Hide()
		w.menu = nil
	}
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(w.avatar)
	size := w.menu.MinSize()
	w.menu.ShowAtPosition(pos.AddXY(w.avatar.Size().Width-size.Width, w.avatar.Size().Height+theme.Padding()))
}

// focusTab puts the focus on the list of the tab on screen, so that the
// arrow keys move through it at once.
func (w *workspace) focusTab() {
	var list fyne.Focusable
	switch w.shownTab() {
	case w.jobs.content:
		list = w.jobs.list
	case w.contractsTabs:
		list = w.contracts.list
		if w.contractsTabs.Selected().Content == w.disputes.content {
			list = w.disputes.list
		}
	case w.messages.content:
		list = w.messages.threads
	case w.files.content:
		list = w.files.list
	case w.reviews.content:
		list = w.reviews.list
	case w.team.content:
		list = w.team.list
	case w.billing.content:
		switch w.billing.tabs.Selected().Content {
		case w.billing.invoices.content:
			list = w.billing.invoices.list
		case w.billing.transactions.content:
			list = w.billing.transactions.list
		default:
			list = w.billing.methods.list
		}
	}
	w.u.win.Canvas().Focus(list)
}

// shownTab is the content of the tab on screen.
func (w *workspace) shownTab() fyne.CanvasObject {
	c := w.tabs.Selected().Content
	if o, ok := c.(*container.ThemeOverride); ok {
		return o.Content
	}
	return c
}

// close lets go of what the workspace holds once its account is closed.
func (w *workspace) close() {
	if w.menu != nil {
		w.menu.Hide()
		w.menu = nil
	}
}

// logOut closes the account and returns to the sign-in screen with its
// email filled in, for signing in again.
func (u *UI) logOut() {
	email := u.profile.Email
	u.closeAccount()
	u.showSignIn(email, lang.L("You are signed out."))
}
