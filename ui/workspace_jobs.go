package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"offboard/account"
)

// jobsTab lists the account's job postings.
type jobsTab struct {
	*browser
	rows *rows[uint64, account.Job]
}

func newJobsTab(u *UI, acct *account.Account) *jobsTab {
	t := &jobsTab{}
	t.browser = newBrowser(lang.L("No job postings yet."), lang.L("Select a job posting to see its details."),
		func() int { return t.rows.len() }, t.update, t.show)
	loadDated(u, func() ([]account.Job, error) { return account.List[account.Job](acct) },
		func(j *account.Job) uint64 { return j.ID }, func(j *account.Job) time.Time { return j.Posted },
		func(id uint64) (account.Job, error) { return account.Get[account.Job](acct, id) },
		func(r *rows[uint64, account.Job], err error) { t.rows = r; t.loaded(err) })
	return t
}

func (t *jobsTab) update(i int, r *listRow) {
	j, err := t.rows.at(i)
	if err != nil {
		unreadable(r, err)
		return
	}
	status, imp := jobStatusText(j.Status)
	r.set(j.Title, status, imp, payTypeText(j.Type)+" · "+j.Budget.String()+" · "+lang.L("posted {{.Date}}", map[string]any{"Date": dateText(j.Posted)}))
}

func (t *jobsTab) show(i int) fyne.CanvasObject {
	j, err := t.rows.at(i)
	if err != nil {
		return detailPane(lang.L("This item could not be read"), []string{lang.L("Problem"), errText(err)})
	}
	status, _ := jobStatusText(j.Status)
	pairs := []string{
		lang.L("Status"), status,
		lang.L("Type"), payTypeText(j.Type),
		lang.L("Budget"), j.Budget.String(),
		lang.L("Posted"), dateText(j.Posted),
	}
	if !j.Closed.IsZero() {
		pairs = append(pairs, lang.L("Closed"), dateText(j.Closed))
	}
	return detailPane(j.Title, pairs, subheading(lang.X("Description (of a job posting)", "Description")), bodyText(j.Description))
}
