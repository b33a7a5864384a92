package account

import (
	"fmt"
	"strings"
	"time"
)

// Kind names one kind of account data. It doubles as the name of the kind's
// bucket in the account file and of its entry in an export, so it must never
// carry anything personal.
type Kind string

// The kinds of data an account holds, in the order they are shown and exported.
const (
	KindTeam         Kind = "team"
	KindJobs         Kind = "jobs"
	KindContracts    Kind = "contracts"
	KindThreads      Kind = "threads"
	KindMessages     Kind = "messages"
	KindFiles        Kind = "files"
	KindReviews      Kind = "reviews"
	KindInvoices     Kind = "invoices"
	KindTransactions Kind = "transactions"
	KindBilling      Kind = "billing"
	KindDisputes     Kind = "disputes"
)

// Kinds lists every record kind (the profile is a single record, not a kind).
var Kinds = []Kind{
	KindTeam, KindJobs, KindContracts, KindThreads, KindMessages, KindFiles,
	KindReviews, KindInvoices, KindTransactions, KindBilling, KindDisputes,
}

// Record is one stored item of a kind. Only this package's types implement it.
type Record interface {
	Kind() Kind
	RecordID() uint64
	Validate() error
	setID(uint64)
}

// Counts holds how many records of each kind an account has.
type Counts map[Kind]int

// Money is an amount in the currency's minor unit (cents) to avoid rounding.
type Money struct {
	Cents    int64  `json:"cents"`
	Currency string `json:"currency"`
}

// String formats the amount as "USD 1,234.50".
func (m Money) String() string {
	neg := m.Cents < 0
	c := m.Cents
	if neg {
		c = -c
	}
	whole := fmt.Sprintf("%d", c/100)
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	sign := ""
	if neg {
		sign = "-"
	}
	return fmt.Sprintf("%s %s%s.%02d", m.Currency, sign, b.String(), c%100)
}

func (m Money) validate(what string) error {
	if len(m.Currency) != 3 || strings.ToUpper(m.Currency) != m.Currency {
		return fmt.Errorf("%s: currency must be a three-letter ISO code such as USD", what)
	}
	return nil
}

// PayType says how a job or contract is paid.
type PayType string

// Pay types.
const (
	Hourly PayType = "hourly"
	Fixed  PayType = "fixed"
)

func (p PayType) valid() bool { return p == Hourly || p == Fixed }

// Role is a team member's role on the account.
type Role string

// Team roles.
const (
	RoleAdmin         Role = "admin"
	RoleHiringManager Role = "hiring manager"
	RoleFinance       Role = "finance"
)

// Profile describes the client business that owns the account.
type Profile struct {
	Company  string    `json:"company"`
	Contact  string    `json:"contact"`
	Email    string    `json:"email"`
	Phone    string    `json:"phone"`
	TimeZone string    `json:"time_zone"`
	Avatar   []byte    `json:"avatar,omitempty"` // PNG or JPEG (CheckAvatar)
	Created  time.Time `json:"created"`
}

// MaxAvatarBytes bounds the profile image so a record stays small.
const MaxAvatarBytes = 1 << 20

// TeamMember is a person with access to the account.
type TeamMember struct {
	ID    uint64    `json:"id"`
	Name  string    `json:"name"`
	Email string    `json:"email"`
	Role  Role      `json:"role"`
	Owner bool      `json:"owner"`
	Added time.Time `json:"added"`
}

// Job is a job posting.
type Job struct {
	ID          uint64    `json:"id"`
	Title       string    `json:"title"`
	Description string    `json:"description"`
	Budget      Money     `json:"budget"`
	Type        PayType   `json:"type"`
	Status      JobStatus `json:"status"`
	Posted      time.Time `json:"posted"`
	Closed      time.Time `json:"closed,omitzero"`
}

// JobStatus is open or closed.
type JobStatus string

// Job statuses.
const (
	JobOpen   JobStatus = "open"
	JobClosed JobStatus = "closed"
)

// Contract is an engagement with a freelancer.
type Contract struct {
	ID         uint64         `json:"id"`
	JobID      uint64         `json:"job_id,omitempty"`
	Freelancer string         `json:"freelancer"`
	Title      string         `json:"title"`
	Type       PayType        `json:"type"`
	Rate       Money          `json:"rate"` // hourly rate, or the fixed amount
	Status     ContractStatus `json:"status"`
	Start      time.Time      `json:"start"`
	End        time.Time      `json:"end,omitzero"`
}

// ContractStatus is active, paused or ended.
type ContractStatus string

// Contract statuses.
const (
	ContractActive ContractStatus = "active"
	ContractPaused ContractStatus = "paused"
	ContractEnded  ContractStatus = "ended"
)

// Thread is a conversation with a freelancer.
type Thread struct {
	ID         uint64    `json:"id"`
	Freelancer string    `json:"freelancer"`
	Subject    string    `json:"subject"`
	ContractID uint64    `json:"contract_id,omitempty"`
	Started    time.Time `json:"started"`
}

// Message is one message of a thread.
type Message struct {
	ID          uint64    `json:"id"`
	ThreadID    uint64    `json:"thread_id"`
	Sender      string    `json:"sender"`
	Sent        time.Time `json:"sent"`
	Body        string    `json:"body"`
	Attachments []uint64  `json:"attachments,omitempty"` // file IDs
}

// File describes a stored file; its bytes are kept apart, in sealed chunks.
type File struct {
	ID        uint64    `json:"id"`
	Name      string    `json:"name"`
	MediaType string    `json:"media_type"`
	Size      int64     `json:"size"`
	SHA256    string    `json:"sha256"` // hex
	Added     time.Time `json:"added"`
}

// Review is feedback given to or received from a freelancer.
type Review struct {
	ID         uint64    `json:"id"`
	Direction  Direction `json:"direction"`
	Freelancer string    `json:"freelancer"`
	Rating     int       `json:"rating"`
	Text       string    `json:"text"`
	ContractID uint64    `json:"contract_id,omitempty"`
	Date       time.Time `json:"date"`
}

// Direction says whether a review was given or received.
type Direction string

// Review directions.
const (
	Given    Direction = "given"
	Received Direction = "received"
)

// Invoice is a bill for work on a contract.
type Invoice struct {
	ID         uint64        `json:"id"`
	Number     string        `json:"number"`
	Date       time.Time     `json:"date"`
	Due        time.Time     `json:"due"`
	Amount     Money         `json:"amount"`
	Status     InvoiceStatus `json:"status"`
	ContractID uint64        `json:"contract_id,omitempty"`
	Paid       time.Time     `json:"paid,omitzero"`
}

// InvoiceStatus is paid, due or overdue.
type InvoiceStatus string

// Invoice statuses.
const (
	InvoicePaid    InvoiceStatus = "paid"
	InvoiceDue     InvoiceStatus = "due"
	InvoiceOverdue InvoiceStatus = "overdue"
)

// Transaction is a movement of money on the account.
type Transaction struct {
	ID          uint64    `json:"id"`
	Date        time.Time `json:"date"`
	Description string    `json:"description"`
	Amount      Money     `json:"amount"`
	InvoiceID   uint64    `json:"invoice_id,omitempty"`
	ContractID  uint64    `json:"contract_id,omitempty"`
}

// BillingMethod is a way of paying. Only the last four digits are ever kept.
type BillingMethod struct {
	ID      uint64      `json:"id"`
	Type    BillingType `json:"type"`
	Label   string      `json:"label"` // "Visa", "Business checking"
	Last4   string      `json:"last4"`
	Expiry  string      `json:"expiry,omitempty"` // MM/YYYY, cards only
	Primary bool        `json:"primary"`
}

// BillingType is card, PayPal or bank.
type BillingType string

// Billing method types.
const (
	BillingCard   BillingType = "card"
	BillingPayPal BillingType = "paypal"
	BillingBank   BillingType = "bank"
)

// Dispute is a disagreement on a contract.
type Dispute struct {
	ID         uint64        `json:"id"`
	ContractID uint64        `json:"contract_id"`
	Summary    string        `json:"summary"`
	Status     DisputeStatus `json:"status"`
	Opened     time.Time     `json:"opened"`
	Resolved   time.Time     `json:"resolved,omitzero"`
}

// DisputeStatus is open or resolved.
type DisputeStatus string

// Dispute statuses.
const (
	DisputeOpen     DisputeStatus = "open"
	DisputeResolved DisputeStatus = "resolved"
)

func (*TeamMember) Kind() Kind    { return KindTeam }
func (*Job) Kind() Kind           { return KindJobs }
func (*Contract) Kind() Kind      { return KindContracts }
func (*Thread) Kind() Kind        { return KindThreads }
func (*Message) Kind() Kind       { return KindMessages }
func (*File) Kind() Kind          { return KindFiles }
func (*Review) Kind() Kind        { return KindReviews }
func (*Invoice) Kind() Kind       { return KindInvoices }
func (*Transaction) Kind() Kind   { return KindTransactions }
func (*BillingMethod) Kind() Kind { return KindBilling }
func (*Dispute) Kind() Kind       { return KindDisputes }

func (r *TeamMember) RecordID() uint64    { return r.ID }
func (r *Job) RecordID() uint64           { return r.ID }
func (r *Contract) RecordID() uint64      { return r.ID }
func (r *Thread) RecordID() uint64        { return r.ID }
func (r *Message) RecordID() uint64       { return r.ID }
func (r *File) RecordID() uint64          { return r.ID }
func (r *Review) RecordID() uint64        { return r.ID }
func (r *Invoice) RecordID() uint64       { return r.ID }
func (r *Transaction) RecordID() uint64   { return r.ID }
func (r *BillingMethod) RecordID() uint64 { return r.ID }
func (r *Dispute) RecordID() uint64       { return r.ID }

func (r *TeamMember) setID(id uint64)    { r.ID = id }
func (r *Job) setID(id uint64)           { r.ID = id }
func (r *Contract) setID(id uint64)      { r.ID = id }
func (r *Thread) setID(id uint64)        { r.ID = id }
func (r *Message) setID(id uint64)       { r.ID = id }
func (r *File) setID(id uint64)          { r.ID = id }
func (r *Review) setID(id uint64)        { r.ID = id }
func (r *Invoice) setID(id uint64)       { r.ID = id }
func (r *Transaction) setID(id uint64)   { r.ID = id }
func (r *BillingMethod) setID(id uint64) { r.ID = id }
func (r *Dispute) setID(id uint64)       { r.ID = id }
