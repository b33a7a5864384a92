package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"offboard/account"
)

// contractsTab lists the account's contracts with freelancers.
type contractsTab struct {
	*browser
	acct *account.Account
	rows *rows[uint64, account.Contract]
}

func newContractsTab(u *UI, acct *account.Account) *contractsTab {
	t := &contractsTab{acct: acct}
	t.browser = newBrowser(lang.L("No contracts yet."), lang.L("Select a contract to see its details."),
		func() int { return t.rows.len() }, t.update, t.show)
	loadDated(u, func() ([]account.Contract, error) { return account.List[account.Contract](acct) },
		func(c *account.Contract) uint64 { return c.ID }, func(c *account.Contract) time.Time { return c.Start },
		func(id uint64) (account.Contract, error) { return account.Get[account.Contract](acct, id) },
		func(r *rows[uint64, account.Contract], err error) { t.rows = r; t.loaded(err) })
	return t
}

func (t *contractsTab) update(i int, r *listRow) {
	c, err := t.rows.at(i)
	if err != nil {
		unreadable(r, err)
		return
	}
	status, imp := contractStatusText(c.Status)
	r.set(c.Title, status, imp, c.Freelancer+" · "+rateText(c.Type, c.Rate)+" · "+contractPeriodText(c))
}

func (t *contractsTab) show(i int) fyne.CanvasObject {
	c, err := t.rows.at(i)
	if err != nil {
		return detailPane(lang.L("This item could not be read"), []string{lang.L("Problem"), errText(err)})
	}
	status, _ := contractStatusText(c.Status)
	pairs := []string{
		lang.L("Freelancer"), c.Freelancer,
		lang.L("Status"), status,
		lang.L("Type"), payTypeText(c.Type),
		lang.L("Rate"), rateText(c.Type, c.Rate),
		lang.L("Started"), dateText(c.Start),
	}
	if c.Status == account.ContractEnded || !c.End.IsZero() {
		pairs = append(pairs, lang.L("Ended"), dateText(c.End))
	}
	if c.JobID != 0 {
		job := lang.L("Job posting {{.ID}} (not found)", map[string]any{"ID": c.JobID})
		if j, err := account.Get[account.Job](t.acct, c.JobID); err == nil {
			job = j.Title
		}
		pairs = append(pairs, lang.L("Job posting"), job)
	}
	return detailPane(c.Title, pairs)
}

// contractPeriodText is when a contract ran: since its start while it runs,
// from its start to its end once it ended.
func contractPeriodText(c account.Contract) string {
	if c.Status == account.ContractEnded {
		if c.End.IsZero() {
			return lang.L("ended, started {{.Date}}", map[string]any{"Date": dateText(c.Start)})
		}
		return lang.L("{{.Start}} to {{.End}}", map[string]any{"Start": dateText(c.Start), "End": dateText(c.End)})
	}
	return lang.L("since {{.Date}}", map[string]any{"Date": dateText(c.Start)})
}
