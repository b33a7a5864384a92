package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"offboard/account"
)

// explainDeactivation says, with this account's numbers, what deactivating
// will involve. It is shown while this build has no closure sequence
// (UI.OnDeactivate is nil), and it says so: it changes nothing.
func (u *UI) explainDeactivation(counts account.Counts) *dialog.CustomDialog {
	lost := lang.L("All of the account's job postings, messages, files and reviews will be deleted.")
	if counts != nil {
		lost = lang.L("{{.Jobs}} job postings, {{.Messages}} messages, {{.Files}} files and {{.Reviews}} reviews will be deleted.", map[string]any{
			"Jobs": countText(counts[account.KindJobs]), "Messages": countText(counts[account.KindMessages]),
			"Files": countText(counts[account.KindFiles]), "Reviews": countText(counts[account.KindReviews]),
		})
	}
	steps := []struct{ title, text string }{
		{lang.L("Before you go"), lost + " " + lang.L("Reviews and feedback disappear with the account. There is no reactivation. Deleting the account does not cancel contracts or billing. You can use the same email for a new account later.")},
		{lang.L("Settle first"), lang.L("End active and paused contracts, pay due and overdue invoices, close open job postings, resolve open disputes and remove other team members. Each can be done right there.")},
		{lang.L("Back up your data"), lang.L("Export everything to a file you choose, optionally protected with a passphrase. The file is read back and verified before anything is deleted.")},
		{lang.L("Why are you leaving?"), lang.L("An optional reason.")},
		{lang.L("Confirm"), lang.L("A summary, and the account's email typed once more.")},
		{lang.L("Verify it's you"), lang.L("Your password, and a two-factor code when two-factor sign-in is on.")},
		{lang.L("Delete"), lang.L("The account's data is erased from this computer. This cannot be stopped once it has started.")},
		{lang.L("Done"), lang.L("A confirmation of what was deleted, which you can save.")},
	}
	// Said first, so that nobody reads the steps as something under way.
	notYet := wrapLabel(lang.L("This version of Offboard cannot deactivate accounts yet, so nothing will be changed. This is what deactivating will involve."))
	notYet.Importance = widget.WarningImportance
	notYet.TextStyle.Bold = true
	list := container.NewVBox(notYet,
		wrapLabel(lang.L("Deactivating closes this account for good. Offboard takes you through these steps, and until the very last one you can keep your account:")))
	for i, s := range steps {
		title := widget.NewLabelWithStyle(lang.L("{{.N}}. {{.Title}}", map[string]any{"N": i + 1, "Title": s.title}), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		list.Add(container.New(&tightVBox{}, title, wrapLabel(s.text)))
	}
	var d *dialog.CustomDialog
	keep := newPrimaryButton(lang.L("Keep my account"), func() { d.Hide() })
	scroll := container.NewVScroll(container.New(&widthLayout{width: 520}, list))
	scroll.SetMinSize(fyne.NewSize(540, 420))
	d = u.newDialog(lang.L("Deactivate Account"), scroll, keep)
	u.showDialog(d)
	u.win.Canvas().Focus(keep)
	return d
}
