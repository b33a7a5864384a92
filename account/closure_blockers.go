package account

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// BlockerKind says what kind of item stands in the way of closing.
type BlockerKind string

// Blocker kinds, in the order they are listed.
const (
	BlockContract BlockerKind = "contract"
	BlockInvoice  BlockerKind = "invoice"
	BlockJob      BlockerKind = "job"
	BlockDispute  BlockerKind = "dispute"
	BlockMember   BlockerKind = "member"
)

// Blocker is one thing to settle before the account may be purged: deleting
// the account would not cancel it (seed FAQ), so it is settled first.
type Blocker struct {
	Kind   BlockerKind
	ID     uint64
	Text   Text   // what it is
	Action string // the button: "End contract", "Pay invoice", …
	// Effect is what settling it does, said before it is done.
	Effect Text
	// Amount is what settling it pays (an invoice); zero otherwise.
	Amount Money
}

// BlockersError lists what still needs settling.
type BlockersError struct {
	Blockers []Blocker
}

func (e *BlockersError) Error() string {
	lines := make([]string, len(e.Blockers))
	for i, b := range e.Blockers {
		lines[i] = "  - " + b.Text.String()
	}
	return fmt.Sprintf("%d item(s) must be settled before the account can be closed:\n%s", len(e.Blockers), strings.Join(lines, "\n"))
}

// Blockers lists what must be settled before the account can be purged.
func (c *Closure) Blockers() ([]Blocker, error) {
	return c.acct.blockers()
}

// blockers lists them in the order Settle first shows them: contracts,
// invoices, job postings, disputes, team members.
func (a *Account) blockers() ([]Blocker, error) {
	var out []Blocker
	err := a.View(func(tx *Tx) error {
		pay, err := paymentEffect(tx)
		if err != nil {
			return err
		}
		for _, list := range []func(*Tx, *[]Blocker) error{
			contractBlockers, invoiceBlockers(pay), jobBlockers, disputeBlockers, memberBlockers,
		} {
			if err := list(tx, &out); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// paymentEffect says how an invoice is paid: with the primary billing
// method, else the first one, else the account's method in general.
func paymentEffect(tx *Tx) (Text, error) {
	pay := Text{"{{.Amount}} is paid now with the account's billing method.", nil}
	err := Each(tx, func(r *BillingMethod) error {
		if r.Primary || pay.Data == nil {
			pay = Text{"{{.Amount}} is paid now with {{.Method}} ending in {{.Last4}}.", map[string]any{"Method": r.Label, "Last4": r.Last4}}
		}
		return nil
	})
	return pay, err
}

func contractBlockers(tx *Tx, out *[]Blocker) error {
	return Each(tx, func(r *Contract) error {
		if r.Status == ContractActive || r.Status == ContractPaused {
			*out = append(*out, Blocker{Kind: BlockContract, ID: r.ID, Action: "End contract", Text: Text{
				"{{.Status}} contract “{{.Title}}” with {{.Freelancer}} ({{.Rate}})",
				map[string]any{"Status": r.Status, "Title": r.Title, "Freelancer": r.Freelancer, "Rate": Rate{r.Type, r.Rate}}},
				Effect: Text{"The contract ends today. {{.Freelancer}} is told, and is paid for the work up to today.", map[string]any{"Freelancer": r.Freelancer}}})
		}
		return nil
	})
}

func invoiceBlockers(pay Text) func(*Tx, *[]Blocker) error {
	return func(tx *Tx, out *[]Blocker) error {
		return Each(tx, func(r *Invoice) error {
			if r.Status != InvoiceDue && r.Status != InvoiceOverdue {
				return nil
			}
			tpl := "Invoice {{.Number}}, {{.Amount}}, due on {{.Due}}"
			if r.Status == InvoiceOverdue {
				tpl = "Invoice {{.Number}}, {{.Amount}}, overdue since {{.Due}}"
			}
			*out = append(*out, Blocker{Kind: BlockInvoice, ID: r.ID, Action: "Pay invoice", Text: Text{
				tpl, map[string]any{"Number": r.Number, "Amount": r.Amount, "Due": r.Due}},
				Effect: Text{pay.Template, map[string]any{"Amount": r.Amount, "Method": pay.Data["Method"], "Last4": pay.Data["Last4"]}},
				Amount: r.Amount})
			return nil
		})
	}
}

func jobBlockers(tx *Tx, out *[]Blocker) error {
	return Each(tx, func(r *Job) error {
		if r.Status == JobOpen {
			*out = append(*out, Blocker{Kind: BlockJob, ID: r.ID, Action: "Close posting", Text: Text{
				"Open job posting “{{.Title}}”", map[string]any{"Title": r.Title}},
				Effect: Text{"The posting closes: nobody can apply to it any more.", nil}})
		}
		return nil
	})
}

func disputeBlockers(tx *Tx, out *[]Blocker) error {
	return Each(tx, func(r *Dispute) error {
		if r.Status == DisputeOpen {
			*out = append(*out, Blocker{Kind: BlockDispute, ID: r.ID, Action: "Resolve dispute", Text: Text{
				"Open dispute: {{.Summary}}", map[string]any{"Summary": r.Summary}},
				Effect: Text{"The dispute is closed as resolved, as it stands now, and cannot be reopened.", nil}})
		}
		return nil
	})
}

func memberBlockers(tx *Tx, out *[]Blocker) error {
	return Each(tx, func(r *TeamMember) error {
		if !r.Owner {
			*out = append(*out, Blocker{Kind: BlockMember, ID: r.ID, Action: "Remove member", Text: Text{
				"Team member {{.Name}} ({{.Role}}) still has access", map[string]any{"Name": r.Name, "Role": r.Role}},
				Effect: Text{"{{.Name}} loses access to the account at once.", map[string]any{"Name": r.Name}}})
		}
		return nil
	})
}

// Resolve settles one blocker in place and records it in the account's data:
// an ended contract gets its end date, a paid invoice its paid date and a
// payment transaction, a closed posting its closing date, a resolved dispute
// its resolution date; a removed member is deleted.
func (c *Closure) Resolve(b Blocker) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.at(StepBlockers); err != nil {
		return err
	}
	return c.acct.resolve(b)
}

// settlers settle one blocker of each kind in tx, at now; settling what is
// already settled changes nothing.
var settlers = map[BlockerKind]func(tx *Tx, id uint64, now time.Time) error{
	BlockContract: endContract,
	BlockInvoice:  payInvoice,
	BlockJob:      closeJob,
	BlockDispute:  resolveDispute,
	BlockMember:   removeMember,
}

func (a *Account) resolve(b Blocker) error {
	settle, ok := settlers[b.Kind]
	if !ok {
		return fmt.Errorf("unknown blocker kind %q", b.Kind)
	}
	now := a.store.now().UTC().Truncate(time.Second)
	return a.Update(func(tx *Tx) error { return settle(tx, b.ID, now) })
}

func endContract(tx *Tx, id uint64, now time.Time) error {
	var r Contract
	if err := tx.Get(id, &r); err != nil || r.Status == ContractEnded {
		return err
	}
	r.Status, r.End = ContractEnded, now
	if r.End.Before(r.Start) {
		r.End = r.Start
	}
	return tx.Put(&r)
}

func payInvoice(tx *Tx, id uint64, now time.Time) error {
	var r Invoice
	if err := tx.Get(id, &r); err != nil || r.Status == InvoicePaid {
		return err
	}
	r.Status, r.Paid = InvoicePaid, now
	if err := tx.Put(&r); err != nil {
		return err
	}
	pay := Transaction{Date: now, Description: "Payment of invoice " + r.Number,
		Amount: Money{Cents: -r.Amount.Cents, Currency: r.Amount.Currency}, InvoiceID: r.ID, ContractID: r.ContractID}
	return tx.Put(&pay)
}

func closeJob(tx *Tx, id uint64, now time.Time) error {
	var r Job
	if err := tx.Get(id, &r); err != nil || r.Status == JobClosed {
		return err
	}
	r.Status, r.Closed = JobClosed, now
	return tx.Put(&r)
}

func resolveDispute(tx *Tx, id uint64, now time.Time) error {
	var r Dispute
	if err := tx.Get(id, &r); err != nil || r.Status == DisputeResolved {
		return err
	}
	r.Status, r.Resolved = DisputeResolved, now
	return tx.Put(&r)
}

func removeMember(tx *Tx, id uint64, _ time.Time) error {
	var r TeamMember
	if err := tx.Get(id, &r); err != nil {
		return err
	}
	if r.Owner {
		return errors.New("the account owner cannot be removed")
	}
	return tx.Delete(&r)
}

// ResolveAll settles every blocker and returns what it settled.
func (c *Closure) ResolveAll() ([]Blocker, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.at(StepBlockers); err != nil {
		return nil, err
	}
	list, err := c.acct.blockers()
	if err != nil {
		return nil, err
	}
	for i, b := range list {
		if err := c.acct.resolve(b); err != nil {
			return list[:i], err
		}
	}
	return list, nil
}

// Settled moves on from Settle first; it refuses while any blocker remains.
func (c *Closure) Settled() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.at(StepBlockers); err != nil {
		return err
	}
	list, err := c.acct.blockers()
	if err != nil {
		return err
	}
	if len(list) > 0 {
		return &BlockersError{Blockers: list}
	}
	c.step = StepBackup
	return nil
}
