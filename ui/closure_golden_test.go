package ui

import (
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"offboard/account"
)

// Golden markup of every step's dialog (the window's top overlay), light
// and dark: a widget
// moved, hidden or resized while its text stays fails here. The goldens are
// in testdata/closure/; after a deliberate change, the failing test writes
// the new markup to testdata/failed/closure/, to look at and move over.
func TestClosureStepsRenderAsBefore(t *testing.T) {
	local := time.Local
	time.Local = time.UTC // Done shows the time of closing
	t.Cleanup(func() { time.Local = local })
	for _, variant := range []themeChoice{themeLight, themeDark} {
		t.Run(fmt.Sprint(variant), func(t *testing.T) {
			h := newHarness(t)
			h.u.app.Settings().SetTheme(newTheme(variant))
			golden := func(step string) {
				t.Helper()
				h.settle()
				test.AssertObjectRendersToMarkup(t, fmt.Sprintf("closure/%s-%s.xml", step, variantName(variant)), h.canvas().Overlays().Top())
			}
			f := h.startDeactivation()
			golden("1-before-you-go")
			h.walkTo(f, account.StepBlockers)
			golden("2-settle-first")
			h.tap(f.settle.settleAll)
			golden("2-settle-all-question")
			h.tap(f.settle.question.yes)
			golden("2-nothing-to-settle")
			h.walkTo(f, account.StepBackup)
			golden("3-back-up")
			h.walkTo(f, account.StepReason)
			golden("4-reason")
			h.walkTo(f, account.StepConfirm)
			golden("5-confirm")
			h.walkTo(f, account.StepVerify)
			golden("6-verify")
			h.typeInto(f.verify.password, account.SamplePassword)
			testTap(f.next)
			for f.step != account.StepPurge {
				(<-h.queue)()
			}
			test.AssertObjectRendersToMarkup(t, fmt.Sprintf("closure/7-deleting-%s.xml", variantName(variant)), h.canvas().Overlays().Top())
			h.settle()
			golden("8-done")
		})
	}
}

func variantName(c themeChoice) string {
	if c == themeDark {
		return "dark"
	}
	return "light"
}
