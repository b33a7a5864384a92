package ui

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
)

// An export of a large account takes minutes, and people switch to another
// window meanwhile. When it ends while Offboard is in the background, the
// desktop's notification says so. The notification names only the file:
// it appears outside the window, where others may see it.

// defaultNotifyAfter is how long an export must have run for its end to be
// announced; a quick one ends before anyone has looked away.
const defaultNotifyAfter = 5 * time.Second

// watchForeground follows whether the window has the focus. On the desktop,
// Fyne reports the focus of the app's windows as the app entering and
// leaving the foreground. The window starts in front, as it opens there.
func (u *UI) watchForeground() {
	u.foreground.Store(true)
	lc := u.app.Lifecycle()
	lc.SetOnEnteredForeground(func() { u.foreground.Store(true) })
	lc.SetOnExitedForeground(func() { u.foreground.Store(false) })
}

// announceExport sends a notification that the export to path has ended,
// if it took long and the window is in the background. A cancelled export
// is not announced: cancelling is done in the window.
func (u *UI) announceExport(path string, took time.Duration, err error) {
	if took < u.notifyAfter || u.foreground.Load() || errors.Is(err, context.Canceled) {
		return
	}
	// Notifications may be shown on a locked screen and kept by the system:
	// they name nothing, not even the file (whose name names the company).
	n := fyne.NewNotification(lang.L("Export finished"), lang.L("Your data was exported and verified. Open Offboard to see where it was saved."))
	if err != nil {
		n = fyne.NewNotification(lang.L("Export failed"), lang.L("The export could not be finished. Open Offboard to see why."))
	}
	u.app.SendNotification(n)
}
