package ui

import (
	"fyne.io/fyne/v2/lang"

	"offboard/account"
)

// showDataDirMove tells the person, once, that their data folder moved to
// where their system keeps application data, or that an older one was left
// in place because the new place already held accounts.
func (u *UI) showDataDirMove(mv account.DataDirMove) {
	switch {
	case mv.Moved:
		u.showMessage(lang.L("Your data folder moved"), lang.L(
			"Offboard now keeps your accounts in {{.To}}, the folder this system keeps for application data, rather than with the settings, which are often synced or copied to servers. They were moved from {{.From}}; nothing was left there.",
			map[string]any{"From": mv.From, "To": mv.To}))
	case mv.Left:
		u.showMessage(lang.L("An older data folder was left in place"), lang.L(
			"Offboard now keeps your accounts in {{.To}}, which already holds accounts, so the older folder {{.From}} was left as it is. To use it, start Offboard with --data-dir {{.From}}.",
			map[string]any{"From": mv.From, "To": mv.To}))
	}
}
