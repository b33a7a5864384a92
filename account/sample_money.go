package account

import (
	"fmt"
	"sort"
	"time"
)

// planMoney decides invoices and their payments. An hourly invoice bills
// whole quarter hours at the contract's rate; a fixed contract's invoices
// are milestones that add up to its amount once it has ended. The newest
// invoices of the current contracts are due (one of them overdue).
func (p *planner) planMoney() {
	per := map[int]int{}
	for i := range p.spec.invoices {
		per[i%len(p.contracts)]++
	}
	var invs []Invoice
	for ci := range p.contracts {
		invs = append(invs, p.contractInvoices(ci, per[ci])...)
	}
	sort.SliceStable(invs, func(i, j int) bool { return invs[i].Date.Before(invs[j].Date) })
	for i := range invs {
		invs[i].ID, invs[i].Number = uint64(i+1), fmt.Sprintf("INV-%06d", 4100+i)
	}
	p.invoices = invs
	p.transactions = p.payments(invs)
}

// contractInvoices bills contract ci n times between its start and its end
// (or yesterday): hourly work by the hours, a fixed price in milestones.
// The last invoice of the first contract is due and of the second overdue.
func (p *planner) contractInvoices(ci, n int) []Invoice {
	now, c := p.now, &p.contracts[ci]
	end := now.Add(-day)
	if !c.End.IsZero() {
		end = c.End
	}
	var invs []Invoice
	var billed int64
	for q := range n {
		inv := Invoice{ContractID: c.ID, Amount: Money{Currency: c.Rate.Currency}, Status: InvoicePaid}
		inv.Date = c.Start.Add(end.Sub(c.Start) * time.Duration(q+1) / time.Duration(n+1)).Truncate(time.Hour)
		inv.Amount.Cents = p.invoiceCents(c, q, n, billed)
		billed += inv.Amount.Cents
		last := q == n-1
		switch {
		case ci == 0 && last:
			inv.Status, inv.Date = InvoiceDue, now.Add(-3*day)
		case ci == 1 && last:
			inv.Status, inv.Date = InvoiceOverdue, now.Add(-30*day)
		}
		inv.Due = inv.Date.Add(14 * day)
		if inv.Status == InvoicePaid {
			inv.Paid = inv.Date.Add(p.days(2, 13)).Add(time.Duration(p.rnd.IntN(600)) * time.Minute)
			if inv.Paid.After(now.Add(-time.Hour)) {
				inv.Paid = now.Add(-time.Hour)
			}
		}
		invs = append(invs, inv)
	}
	return invs
}

// invoiceCents is the amount of invoice q of n on c, after billed so far.
func (p *planner) invoiceCents(c *Contract, q, n int, billed int64) int64 {
	if c.Type == Hourly {
		return c.Rate.Cents * int64(20+p.rnd.IntN(141)) / 4
	}
	parts := int64(n)
	if c.Status != ContractEnded {
		parts++ // one milestone is still ahead
	}
	if q == n-1 && c.Status == ContractEnded {
		return c.Rate.Cents - billed
	}
	return c.Rate.Cents / parts
}

// payments are a payment for every paid invoice, then the marketplace's
// fee on as many of them as the spec's count of transactions leaves room for.
func (p *planner) payments(invs []Invoice) []Transaction {
	var txs []Transaction
	var paid []*Invoice
	for i := range invs {
		if inv := &invs[i]; inv.Status == InvoicePaid {
			paid = append(paid, inv)
			txs = append(txs, Transaction{Date: inv.Paid, Description: "Payment to " + p.contracts[inv.ContractID-1].Freelancer + " for " + inv.Number,
				Amount: Money{Cents: -inv.Amount.Cents, Currency: inv.Amount.Currency}, InvoiceID: inv.ID, ContractID: inv.ContractID})
		}
	}
	for i := 0; len(txs) < p.spec.transactions && i < len(paid); i++ {
		inv := paid[i]
		txs = append(txs, Transaction{Date: inv.Paid.Add(time.Minute), Description: "Marketplace service fee for " + inv.Number,
			Amount: Money{Cents: -sampleFee(inv.Amount.Cents), Currency: inv.Amount.Currency}, InvoiceID: inv.ID, ContractID: inv.ContractID})
	}
	sort.SliceStable(txs, func(i, j int) bool { return txs[i].Date.Before(txs[j].Date) })
	for i := range txs {
		txs[i].ID = uint64(i + 1)
	}
	return txs
}

// sampleFee is the marketplace's 5 % service fee, rounded to the cent.
func sampleFee(cents int64) int64 { return (cents*5 + 50) / 100 }
