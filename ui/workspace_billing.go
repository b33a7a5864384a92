package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"offboard/account"
)

// billingTab shows invoices, the money that moved, and the ways of paying.
type billingTab struct {
	content      fyne.CanvasObject
	tabs         *container.AppTabs
	invoices     *browser
	transactions *browser
	methods      *browser

	acct    *account.Account
	inv     *rows[uint64, account.Invoice]
	tx      *rows[uint64, account.Transaction]
	methodR *rows[uint64, account.BillingMethod]
}

func newBillingTab(u *UI, acct *account.Account) *billingTab {
	t := &billingTab{acct: acct}
	t.invoices = newBrowser(lang.L("No invoices yet."), lang.L("Select an invoice to see its details."),
		func() int { return t.inv.len() }, t.updateInvoice, t.showInvoice)
	t.transactions = newBrowser(lang.L("No transactions yet."), lang.L("Select a transaction to see its details."),
		func() int { return t.tx.len() }, t.updateTransaction, t.showTransaction)
	t.methods = newBrowser(lang.L("No billing methods yet."), lang.L("Select a billing method to see its details."),
		func() int { return t.methodR.len() }, t.updateMethod, t.showMethod)
	loadDated(u, func() ([]account.Invoice, error) { return account.List[account.Invoice](acct) },
		func(v *account.Invoice) uint64 { return v.ID }, func(v *account.Invoice) time.Time { return v.Date },
		func(id uint64) (account.Invoice, error) { return account.Get[account.Invoice](acct, id) },
		func(r *rows[uint64, account.Invoice], err error) { t.inv = r; t.invoices.loaded(err) })
	loadDated(u, func() ([]account.Transaction, error) { return account.List[account.Transaction](acct) },
		func(v *account.Transaction) uint64 { return v.ID }, func(v *account.Transaction) time.Time { return v.Date },
		func(id uint64) (account.Transaction, error) { return account.Get[account.Transaction](acct, id) },
		func(r *rows[uint64, account.Transaction], err error) { t.tx = r; t.transactions.loaded(err) })
	u.loadKeys(acct, account.KindBilling, func(keys []uint64, err error) {
		t.methodR = newRows(keys, func(id uint64) (account.BillingMethod, error) {
			return account.Get[account.BillingMethod](acct, id)
		})
		t.methodR.oldestFirst = true // the order the owner added them in
		t.methods.loaded(err)
	})
	t.tabs = container.NewAppTabs(
		container.NewTabItem(lang.L("Invoices"), t.invoices.content),
		container.NewTabItem(lang.L("Transactions"), t.transactions.content),
		container.NewTabItem(lang.L("Billing methods"), t.methods.content),
	)
	t.content = t.tabs
	return t
}

func (t *billingTab) updateInvoice(i int, r *listRow) {
	v, err := t.inv.at(i)
	if err != nil {
		unreadable(r, err)
		return
	}
	status, imp := invoiceStatusText(v.Status)
	r.set(lang.L("Invoice {{.Number}}", map[string]any{"Number": v.Number}), status, imp,
		v.Amount.String()+" · "+lang.L("due {{.Date}}", map[string]any{"Date": dateText(v.Due)}))
}

func (t *billingTab) showInvoice(i int) fyne.CanvasObject {
	v, err := t.inv.at(i)
	if err != nil {
		return detailPane(lang.L("This item could not be read"), []string{lang.L("Problem"), errText(err)})
	}
	status, _ := invoiceStatusText(v.Status)
	return detailPane(lang.L("Invoice {{.Number}}", map[string]any{"Number": v.Number}), []string{
		lang.L("Amount"), v.Amount.String(),
		lang.L("Status"), status,
		lang.L("Date"), dateText(v.Date),
		lang.L("Due"), dateText(v.Due),
		lang.L("Paid"), dateText(v.Paid),
		lang.L("Currency"), v.Amount.Currency,
		lang.L("Contract"), contractName(t.acct, v.ContractID),
	})
}

func (t *billingTab) updateTransaction(i int, r *listRow) {
	v, err := t.tx.at(i)
	if err != nil {
		unreadable(r, err)
		return
	}
	imp := widget.MediumImportance
	if v.Amount.Cents > 0 {
		imp = widget.SuccessImportance
	}
	r.set(v.Description, v.Amount.String(), imp, dateText(v.Date))
}

func (t *billingTab) showTransaction(i int) fyne.CanvasObject {
	v, err := t.tx.at(i)
	if err != nil {
		return detailPane(lang.L("This item could not be read"), []string{lang.L("Problem"), errText(err)})
	}
	invoice := "—"
	if v.InvoiceID != 0 {
		invoice = lang.L("Invoice {{.ID}} (not found)", map[string]any{"ID": v.InvoiceID})
		if inv, err := account.Get[account.Invoice](t.acct, v.InvoiceID); err == nil {
			invoice = inv.Number
		}
	}
	return detailPane(v.Description, []string{
		lang.L("Amount"), v.Amount.String(),
		lang.L("Date"), timeText(v.Date),
		lang.L("Invoice"), invoice,
		lang.L("Contract"), contractName(t.acct, v.ContractID),
	})
}

// methodName is how a billing method is named: its label and the last
// four digits, the only ones ever kept.
func methodName(m account.BillingMethod) string {
	if m.Last4 == "" {
		return m.Label
	}
	return m.Label + " ···· " + m.Last4
}

func (t *billingTab) updateMethod(i int, r *listRow) {
	m, err := t.methodR.at(i)
	if err != nil {
		unreadable(r, err)
		return
	}
	primary := ""
	if m.Primary {
		primary = lang.L("Primary")
	}
	sub := billingTypeText(m.Type)
	if m.Expiry != "" {
		sub += " · " + lang.L("expires {{.Date}}", map[string]any{"Date": m.Expiry})
	}
	r.set(methodName(m), primary, widget.HighImportance, sub)
}

func (t *billingTab) showMethod(i int) fyne.CanvasObject {
	m, err := t.methodR.at(i)
	if err != nil {
		return detailPane(lang.L("This item could not be read"), []string{lang.L("Problem"), errText(err)})
	}
	primary := lang.L("No")
	if m.Primary {
		primary = lang.L("Yes")
	}
	pairs := []string{
		lang.L("Kind"), billingTypeText(m.Type),
		lang.L("Number"), "···· " + m.Last4,
	}
	if m.Expiry != "" {
		pairs = append(pairs, lang.L("Expires"), m.Expiry)
	}
	pairs = append(pairs, lang.L("Primary"), primary)
	return detailPane(methodName(m), pairs)
}
