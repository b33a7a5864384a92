package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"offboard/account"
)

// reviewsTab lists the feedback given to and received from freelancers.
type reviewsTab struct {
	*browser
	acct *account.Account
	rows *rows[uint64, account.Review]
}

func newReviewsTab(u *UI, acct *account.Account) *reviewsTab {
	t := &reviewsTab{acct: acct}
	t.browser = newBrowser(lang.L("No reviews yet."), lang.L("Select a review to read it."),
		func() int { return t.rows.len() }, t.update, t.show)
	loadDated(u, func() ([]account.Review, error) { return account.List[account.Review](acct) },
		func(v *account.Review) uint64 { return v.ID }, func(v *account.Review) time.Time { return v.Date },
		func(id uint64) (account.Review, error) { return account.Get[account.Review](acct, id) },
		func(r *rows[uint64, account.Review], err error) { t.rows = r; t.loaded(err) })
	return t
}

func (t *reviewsTab) update(i int, r *listRow) {
	v, err := t.rows.at(i)
	if err != nil {
		unreadable(r, err)
		return
	}
	imp := widget.MediumImportance
	if v.Rating >= 4 {
		imp = widget.SuccessImportance
	} else if v.Rating <= 2 {
		imp = widget.WarningImportance
	}
	r.set(v.Freelancer, stars(v.Rating), imp, directionText(v.Direction)+" · "+dateText(v.Date)+" · "+v.Text)
}

func (t *reviewsTab) show(i int) fyne.CanvasObject {
	v, err := t.rows.at(i)
	if err != nil {
		return detailPane(lang.L("This item could not be read"), []string{lang.L("Problem"), errText(err)})
	}
	title := lang.L("Review of {{.Name}}", map[string]any{"Name": v.Freelancer})
	if v.Direction == account.Received {
		title = lang.L("Review from {{.Name}}", map[string]any{"Name": v.Freelancer})
	}
	return detailPane(title, []string{
		lang.L("Direction"), directionText(v.Direction),
		lang.L("Rating"), fmt.Sprintf("%s  %s", stars(v.Rating), lang.L("{{.N}} of 5", map[string]any{"N": v.Rating})),
		lang.L("Date"), dateText(v.Date),
		lang.L("Contract"), contractName(t.acct, v.ContractID),
	}, bodyText(v.Text))
}
