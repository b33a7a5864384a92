package account

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Validate reports the first problem with the profile.
func (p *Profile) Validate() error {
	if strings.TrimSpace(p.Company) == "" {
		return problem(FieldCompany, "company name is required", nil)
	}
	if _, err := NormalizeEmail(p.Email); err != nil {
		return err
	}
	if p.TimeZone != "" {
		if _, err := time.LoadLocation(p.TimeZone); err != nil {
			return problem(FieldTimeZone, "time zone “{{.Zone}}” is not known; use a name such as Europe/Berlin", map[string]any{"Zone": p.TimeZone})
		}
	}
	if len(p.Avatar) > 0 {
		return CheckAvatar(p.Avatar)
	}
	return nil
}

// Validate reports the first problem with the team member.
func (r *TeamMember) Validate() error {
	if err := required("team member name", r.Name); err != nil {
		return err
	}
	if _, err := NormalizeEmail(r.Email); err != nil {
		return fmt.Errorf("team member: %w", err)
	}
	switch r.Role {
	case RoleAdmin, RoleHiringManager, RoleFinance:
		return nil
	}
	return fmt.Errorf("team member role %q must be admin, hiring manager or finance", r.Role)
}

// Validate reports the first problem with the job posting.
func (r *Job) Validate() error {
	if err := required("job title", r.Title); err != nil {
		return err
	}
	if !r.Type.valid() {
		return fmt.Errorf("job type %q must be hourly or fixed", r.Type)
	}
	if r.Status != JobOpen && r.Status != JobClosed {
		return fmt.Errorf("job status %q must be open or closed", r.Status)
	}
	return r.Budget.validate("job budget")
}

// Validate reports the first problem with the contract.
func (r *Contract) Validate() error {
	if err := required("contract title", r.Title); err != nil {
		return err
	}
	if err := required("freelancer", r.Freelancer); err != nil {
		return err
	}
	if !r.Type.valid() {
		return fmt.Errorf("contract type %q must be hourly or fixed", r.Type)
	}
	switch r.Status {
	case ContractActive, ContractPaused, ContractEnded:
	default:
		return fmt.Errorf("contract status %q must be active, paused or ended", r.Status)
	}
	if r.Status == ContractEnded && r.End.IsZero() {
		return errors.New("an ended contract needs an end date")
	}
	if !r.End.IsZero() && r.End.Before(r.Start) {
		return errors.New("a contract cannot end before it starts")
	}
	return r.Rate.validate("contract rate")
}

// Validate reports the first problem with the thread.
func (r *Thread) Validate() error {
	if err := required("thread subject", r.Subject); err != nil {
		return err
	}
	return required("freelancer", r.Freelancer)
}

// Validate reports the first problem with the message.
func (r *Message) Validate() error {
	if r.ThreadID == 0 {
		return errors.New("a message belongs to a thread")
	}
	return required("message sender", r.Sender)
}

// Validate reports the first problem with the file's description.
func (r *File) Validate() error {
	if err := required("file name", r.Name); err != nil {
		return err
	}
	if r.Size < 0 {
		return errors.New("file size cannot be negative")
	}
	return nil
}

// Validate reports the first problem with the review.
func (r *Review) Validate() error {
	if r.Direction != Given && r.Direction != Received {
		return fmt.Errorf("review direction %q must be given or received", r.Direction)
	}
	if r.Rating < 1 || r.Rating > 5 {
		return fmt.Errorf("review rating %d must be from 1 to 5", r.Rating)
	}
	return nil
}

// Validate reports the first problem with the invoice.
func (r *Invoice) Validate() error {
	if err := required("invoice number", r.Number); err != nil {
		return err
	}
	switch r.Status {
	case InvoicePaid:
		if r.Paid.IsZero() {
			return errors.New("a paid invoice needs a paid date")
		}
	case InvoiceDue, InvoiceOverdue:
	default:
		return fmt.Errorf("invoice status %q must be paid, due or overdue", r.Status)
	}
	return r.Amount.validate("invoice amount")
}

// Validate reports the first problem with the transaction.
func (r *Transaction) Validate() error {
	if err := required("transaction description", r.Description); err != nil {
		return err
	}
	return r.Amount.validate("transaction amount")
}

// Validate reports the first problem with the billing method.
func (r *BillingMethod) Validate() error {
	switch r.Type {
	case BillingCard, BillingPayPal, BillingBank:
	default:
		return fmt.Errorf("billing method type %q must be card, paypal or bank", r.Type)
	}
	if r.Type != BillingPayPal {
		if len(r.Last4) != 4 || strings.Trim(r.Last4, "0123456789") != "" {
			return errors.New("keep only the last four digits of a card or account number")
		}
	}
	if r.Type == BillingCard {
		var m, y int
		if n, _ := fmt.Sscanf(r.Expiry, "%02d/%04d", &m, &y); n != 2 || m < 1 || m > 12 {
			return fmt.Errorf("card expiry %q must be MM/YYYY", r.Expiry)
		}
	}
	return nil
}

// Validate reports the first problem with the dispute.
func (r *Dispute) Validate() error {
	if r.Status != DisputeOpen && r.Status != DisputeResolved {
		return fmt.Errorf("dispute status %q must be open or resolved", r.Status)
	}
	if r.Status == DisputeResolved && r.Resolved.IsZero() {
		return errors.New("a resolved dispute needs a resolution date")
	}
	return nil
}

func required(what, v string) error {
	if strings.TrimSpace(v) == "" {
		return fmt.Errorf("%s is required", what)
	}
	if !utf8.ValidString(v) {
		return fmt.Errorf("%s is not valid text", what)
	}
	return nil
}

// NormalizeEmail trims and lower-cases an address and checks its form, so that
// sign-in, sign-up and the typed confirmation all compare the same string.
func NormalizeEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return "", problem(FieldEmail, "email is required", nil)
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".") {
		return "", problem(FieldEmail, "“{{.Email}}” is not an email address; use the form name@example.com", map[string]any{"Email": s})
	}
	return s, nil
}
