package ui

import (
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"offboard/account"
)

// lifecycle is what the test app's lifecycle lets a test trigger: the
// hooks the driver calls when the window gains or loses the focus.
type lifecycle interface {
	OnEnteredForeground() func()
	OnExitedForeground() func()
}

// toBackground and toForeground act as the desktop does when the user
// switches to another window and back.
func (h *harness) toBackground() {
	h.t.Helper()
	h.u.app.Lifecycle().(lifecycle).OnExitedForeground()()
}

func (h *harness) toForeground() {
	h.t.Helper()
	h.u.app.Lifecycle().(lifecycle).OnEnteredForeground()()
}

func TestLongExportInTheBackgroundNotifies(t *testing.T) {
	h := newHarness(t)
	h.openSample()
	d := h.openSettings("Data & privacy").data
	export := func() {
		h.tap(d.exportBtn)
		h.tap(d.options.next)
	}

	// In front, however long it takes: the person sees the result.
	h.u.notifyAfter = 0
	test.AssertNotificationSent(t, nil, export)

	// In the background but quick: over before anyone looked away.
	h.toBackground()
	h.u.notifyAfter = time.Hour
	test.AssertNotificationSent(t, nil, export)

	// In the background and long: a notification that names nothing.
	h.u.notifyAfter = 0
	test.AssertNotificationSent(t, fyne.NewNotification("Export finished", "Your data was exported and verified. Open Offboard to see where it was saved."), export)
	h.expectShown("Your data was exported and verified.")

	// A failure is announced too.
	h.saveTo = filepath.Join(t.TempDir(), "gone")
	test.AssertNotificationSent(t, fyne.NewNotification("Export failed", "The export could not be finished. Open Offboard to see why."), export)
	h.expectShown("The export failed")

	// Back in front: no more notifications.
	h.toForeground()
	test.AssertNotificationSent(t, nil, export)
}

func TestLongBackupInTheBackgroundNotifies(t *testing.T) {
	h := newHarness(t)
	f := h.startDeactivation()
	h.walkTo(f, account.StepBackup)
	h.toBackground()
	h.u.notifyAfter = 0
	test.AssertNotificationSent(t, fyne.NewNotification("Export finished", "Your data was exported and verified. Open Offboard to see where it was saved."), func() {
		h.tap(f.backup.start)
	})
	if f.next.Disabled() {
		t.Error("Continue is disabled after the backup")
	}
}
