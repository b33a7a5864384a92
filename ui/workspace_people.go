package ui

import (
	"cmp"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"offboard/account"
)

// teamTab lists the people who work in the account: the Account tab counts
// them, and the closure asks for the other members to be removed first.
type teamTab struct {
	*browser
	rows *rows[uint64, account.TeamMember]
}

func newTeamTab(u *UI, acct *account.Account) *teamTab {
	t := &teamTab{}
	t.browser = newBrowser(lang.L("No team members yet."), lang.L("Select a team member to see their details."),
		func() int { return t.rows.len() }, t.update, t.show)
	loadDated(u, func() ([]account.TeamMember, error) { return account.List[account.TeamMember](acct) },
		func(m *account.TeamMember) uint64 { return m.ID }, func(m *account.TeamMember) time.Time { return m.Added },
		func(id uint64) (account.TeamMember, error) { return account.Get[account.TeamMember](acct, id) },
		func(r *rows[uint64, account.TeamMember], err error) {
			t.rows = r
			if r != nil {
				// The owner at the top, then the others as they joined.
				r.oldestFirst = true
				slices.SortStableFunc(r.keys, func(a, b uint64) int {
					return cmp.Compare(ownerRank(r.cache[a]), ownerRank(r.cache[b]))
				})
			}
			t.loaded(err)
		})
	return t
}

func ownerRank(m account.TeamMember) int {
	if m.Owner {
		return 0
	}
	return 1
}

// memberRoleText is a member's role as a list shows it, the owner marked.
func memberRoleText(m account.TeamMember) string {
	role := sentence(roleText(m.Role))
	role = role[:len(role)-1] // a label, not a sentence: no full stop
	if m.Owner {
		return lang.L("{{.Role}}, owner", map[string]any{"Role": role})
	}
	return role
}

func (t *teamTab) update(i int, r *listRow) {
	m, err := t.rows.at(i)
	if err != nil {
		unreadable(r, err)
		return
	}
	r.set(m.Name, memberRoleText(m), widget.MediumImportance, m.Email+" · "+lang.L("added {{.Date}}", map[string]any{"Date": dateText(m.Added)}))
}

func (t *teamTab) show(i int) fyne.CanvasObject {
	m, err := t.rows.at(i)
	if err != nil {
		return detailPane(lang.L("This item could not be read"), []string{lang.L("Problem"), errText(err)})
	}
	pairs := []string{
		lang.L("Email"), m.Email,
		lang.L("Role"), memberRoleText(m),
		lang.L("Added"), dateText(m.Added),
	}
	more := []fyne.CanvasObject{}
	if !m.Owner {
		more = append(more, wrapLabel(lang.L("Before the account is deactivated, every member but the owner is removed: they lose access to the account.")))
	}
	return detailPane(m.Name, pairs, more...)
}

// disputesTab lists the disagreements over contracts, open and resolved: an
// open one must be settled before the account can be deactivated.
type disputesTab struct {
	*browser
	acct *account.Account
	rows *rows[uint64, account.Dispute]
}

func newDisputesTab(u *UI, acct *account.Account) *disputesTab {
	t := &disputesTab{acct: acct}
	t.browser = newBrowser(lang.L("No disputes."), lang.L("Select a dispute to see its details."),
		func() int { return t.rows.len() }, t.update, t.show)
	loadDated(u, func() ([]account.Dispute, error) { return account.List[account.Dispute](acct) },
		func(d *account.Dispute) uint64 { return d.ID }, func(d *account.Dispute) time.Time { return d.Opened },
		func(id uint64) (account.Dispute, error) { return account.Get[account.Dispute](acct, id) },
		func(r *rows[uint64, account.Dispute], err error) { t.rows = r; t.loaded(err) })
	return t
}

func disputeStatusText(s account.DisputeStatus) (string, widget.Importance) {
	switch s {
	case account.DisputeOpen:
		return lang.X("Open (dispute status)", "Open"), widget.WarningImportance
	case account.DisputeResolved:
		return lang.L("Resolved"), widget.SuccessImportance
	}
	return string(s), widget.MediumImportance
}

func (t *disputesTab) update(i int, r *listRow) {
	d, err := t.rows.at(i)
	if err != nil {
		unreadable(r, err)
		return
	}
	status, imp := disputeStatusText(d.Status)
	r.set(d.Summary, status, imp, contractName(t.acct, d.ContractID)+" · "+lang.L("opened {{.Date}}", map[string]any{"Date": dateText(d.Opened)}))
}

func (t *disputesTab) show(i int) fyne.CanvasObject {
	d, err := t.rows.at(i)
	if err != nil {
		return detailPane(lang.L("This item could not be read"), []string{lang.L("Problem"), errText(err)})
	}
	status, _ := disputeStatusText(d.Status)
	pairs := []string{
		lang.L("Status"), status,
		lang.L("Contract"), contractName(t.acct, d.ContractID),
		lang.L("Opened"), dateText(d.Opened),
	}
	if !d.Resolved.IsZero() {
		pairs = append(pairs, lang.L("Resolved"), dateText(d.Resolved))
	}
	return detailPane(lang.L("Dispute"), pairs, bodyText(d.Summary))
}
