package account

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"offboard/account/archive"
)

// Step is one stage of closing an account, in the only order allowed.
type Step int

// The steps of the closure sequence.
const (
	StepImplications Step = iota // Before you go
	StepBlockers                 // Settle first
	StepBackup                   // Back up your data
	StepReason                   // Why are you leaving?
	StepConfirm                  // Confirm
	StepVerify                   // Verify it's you
	StepPurge                    // Purging
	StepDone                     // Done
)

// StepCount is how many steps a person is shown ("Step 3 of 7"); Done is the end, not a step.
const StepCount = int(StepDone)

var stepNames = [...]string{"Before you go", "Settle first", "Back up your data", "Why are you leaving?",
	"Confirm", "Verify it's you", "Purging", "Done"}

// String is the step's title.
func (s Step) String() string {
	if s < 0 || int(s) >= len(stepNames) {
		return fmt.Sprintf("Step(%d)", int(s))
	}
	return stepNames[s]
}

// ErrOutOfOrder means an action was tried at the wrong step.
type ErrOutOfOrder struct {
	At, Want Step
}

func (e *ErrOutOfOrder) Error() string {
	return fmt.Sprintf("that belongs to the step %q, but the closure is at %q", e.Want, e.At)
}

// ErrPurgeStarted means the purge has begun, so there is no way back.
var ErrPurgeStarted = errors.New("the purge has started and cannot be stopped or undone")

// Implications is what closing this account means, with its own numbers.
type Implications struct {
	Counts          Counts
	ReviewsReceived int
	Consequences    []Text
}

// Reason is why the owner is leaving; optional.
type Reason string

// The reasons offered (from the guide), and Other with the owner's words.
const (
	ReasonNone          Reason = ""
	ReasonDirection     Reason = "changing business direction"
	ReasonJobDone       Reason = "job completed"
	ReasonConsolidating Reason = "consolidating accounts"
	ReasonNotSatisfied  Reason = "not satisfied with the platform"
	ReasonOther         Reason = "other"
)

// Reasons lists the choices in the order they are shown.
var Reasons = []Reason{ReasonDirection, ReasonJobDone, ReasonConsolidating, ReasonNotSatisfied, ReasonOther}

// maxReasonText bounds the free text of Other.
const maxReasonText = 500

// Receipt is the confirmation of a closed account. It holds no password or key.
type Receipt struct {
	Email        string
	Company      string
	Closed       time.Time
	Deleted      Counts
	Reason       Reason
	ReasonText   string
	ExportPath   string // empty when the owner chose not to keep a copy
	ExportSHA256 string
	ExportSize   int64
}

// String is the receipt as a text file, written for the person who closed
// the account: the same words as the window, none of the store's own.
func (r *Receipt) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Offboard — account closure receipt\n\n")
	fmt.Fprintf(&b, "Your account has been deactivated and its data deleted.\n\n")
	fmt.Fprintf(&b, "Account:   %s (%s)\n", r.Email, r.Company)
	fmt.Fprintf(&b, "Closed:    %s\n", r.Closed.Format("2 January 2006, 15:04:05 MST"))
	fmt.Fprintf(&b, "\nErased from this computer:\n")
	for _, k := range Kinds {
		fmt.Fprintf(&b, "  %-22s %d\n", KindPhrase(k)+":", r.Deleted[k])
	}
	fmt.Fprintf(&b, "  and the profile, the password and the two-factor settings.\n")
	fmt.Fprintf(&b, "The account's file was overwritten before it was removed.\n")
	if r.ExportPath != "" {
		fmt.Fprintf(&b, "\nYour copy of the data (verified before anything was deleted):\n  File:    %s\n  Size:    %d bytes\n  SHA-256: %s\n", r.ExportPath, r.ExportSize, r.ExportSHA256)
	} else {
		fmt.Fprintf(&b, "\nNo copy of the data was kept: you chose to go on without one.\n")
	}
	switch {
	case r.Reason == ReasonOther && strings.TrimSpace(r.ReasonText) != "":
		fmt.Fprintf(&b, "\nWhy you left, in your words: %s\n", strings.TrimSpace(r.ReasonText))
	case r.Reason == ReasonOther:
		fmt.Fprintf(&b, "\nWhy you left: another reason, not given.\n")
	case r.Reason != ReasonNone:
		fmt.Fprintf(&b, "\nWhy you left: %s.\n", capitalize(string(r.Reason)))
	}
	fmt.Fprintf(&b, "\nThe account cannot be reactivated. The same email can be used to create a new, empty account.\n")
	return b.String()
}

// WriteFile saves the receipt (String) at path, readable by its owner only
// (mode 0600) and durably: a file already at path is replaced only by the
// whole receipt, and a failure leaves nothing new (see package durable).
func (r *Receipt) WriteFile(path string) error {
	return SaveFile(context.Background(), path, func(w io.Writer) error {
		_, err := io.WriteString(w, r.String())
		return err
	})
}

// KindPhrase names a kind of record as a person would, in English: the same
// name in the receipt, the export's README and its pages.
func KindPhrase(k Kind) string {
	if n, ok := archive.KindName(string(k)); ok {
		return n
	}
	return capitalize(string(k))
}

// Closure drives the closing of one account through its steps. The window
// and the command line both use it, so they cannot disagree on the rules.
// It is safe for use from several goroutines.
type Closure struct {
	acct *Account

	mu         sync.Mutex
	step       Step
	profile    Profile
	backup     *ExportResult
	skipped    bool
	reason     Reason
	reasonText string
	receipt    *Receipt
}

// BeginClosure starts closing the account at the first step.
func (a *Account) BeginClosure() (*Closure, error) {
	p, err := a.Profile()
	if err != nil {
		return nil, err
	}
	return &Closure{acct: a, profile: p}, nil
}

// Step is the current step.
func (c *Closure) Step() Step {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.step
}

func (c *Closure) at(want Step) error {
	if c.step == want {
		return nil
	}
	if c.step >= StepPurge {
		return ErrPurgeStarted
	}
	return &ErrOutOfOrder{At: c.step, Want: want}
}

// Back returns to the previous step; nothing already done is undone (a
// settled contract stays ended, a written export stays). Not after the purge
// has started.
func (c *Closure) Back() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.step >= StepPurge:
		return ErrPurgeStarted
	case c.step == StepImplications:
		return errors.New("this is the first step; use Keep my account to leave")
	}
	c.step--
	return nil
}

// Implications reads this account's numbers and the consequences of closing.
func (c *Closure) Implications() (*Implications, error) {
	counts, err := c.acct.Counts()
	if err != nil {
		return nil, err
	}
	received := 0
	err = c.acct.View(func(tx *Tx) error {
		return Each(tx, func(r *Review) error {
			if r.Direction == Received {
				received++
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	d := map[string]any{"Jobs": counts[KindJobs], "Messages": counts[KindMessages], "Files": counts[KindFiles],
		"Reviews": counts[KindReviews], "Received": received, "Email": c.profile.Email}
	return &Implications{Counts: counts, ReviewsReceived: received, Consequences: []Text{
		{"All data will be deleted: {{.Jobs}} job postings, {{.Messages}} messages, {{.Files}} files and {{.Reviews}} reviews, with your contract and billing history. Back up anything you need in step 3.", d},
		{"Reviews and feedback disappear, including the {{.Received}} reviews freelancers gave you.", d},
		{"There is no reactivation. To come back later you would create a new account from scratch.", d},
		{"Deleting the account does not cancel contracts or billing. The next step asks you to settle them first.", d},
		{"You can use the same email ({{.Email}}) for a new account later; it will start empty.", d},
	}}, nil
}

// Continue moves from Before you go to Settle first.
func (c *Closure) Continue() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.at(StepImplications); err != nil {
		return err
	}
	c.step = StepBlockers
	return nil
}

// Backup writes and verifies an export, then moves on to the reason. The
// sequence cannot go on unless the export verified.
func (c *Closure) Backup(ctx context.Context, path string, opt ExportOptions) (*ExportResult, error) {
	c.mu.Lock()
	if err := c.at(StepBackup); err != nil {
		c.mu.Unlock()
		return nil, err
	}
	c.mu.Unlock()
	// The export runs unlocked so Step() stays responsive; the step cannot
	// change meanwhile because every other action needs another step.
	res, err := c.acct.Export(ctx, path, opt)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.at(StepBackup); err != nil {
		return nil, err
	}
	c.backup, c.skipped = res, false
	c.step = StepReason
	return res, nil
}

// KeepBackup goes on to the reason with the copy this closure made before
// the owner went Back from it. The file is read again first: a copy that
// was moved, changed or removed meanwhile is forgotten, and the owner backs
// up again.
func (c *Closure) KeepBackup() error {
	c.mu.Lock()
	if err := c.at(StepBackup); err != nil {
		c.mu.Unlock()
		return err
	}
	backup := c.backup
	c.mu.Unlock()
	if backup == nil {
		return errors.New("no copy was made yet; back up first")
	}
	want, err := backup.SHA256()
	got := ""
	if err == nil {
		got, err = archive.Checksum(backup.Path)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil || got != want {
		if c.backup == backup {
			c.backup = nil
		}
		return fmt.Errorf("the copy at %s is gone or has changed since it was verified; back up again", backup.Path)
	}
	if err := c.at(StepBackup); err != nil {
		return err
	}
	c.step = StepReason
	return nil
}

// ForgetBackup stops using the copy made in this closure (the file stays
// where it is): the owner backs up again or goes on without a copy.
func (c *Closure) ForgetBackup() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.step == StepBackup {
		c.backup = nil
	}
}

// SkipBackup moves on without a copy; the owner must say they need none.
func (c *Closure) SkipBackup(iDontNeedACopy bool) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.at(StepBackup); err != nil {
		return err
	}
	if !iDontNeedACopy {
		return errors.New(`tick "I don't need a copy of my data" to go on without a backup`)
	}
	c.backup, c.skipped = nil, true
	c.step = StepReason
	return nil
}

// BackupResult is the verified export of this closure, if one was made.
func (c *Closure) BackupResult() *ExportResult {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.backup
}

// SetReason records why the owner is leaving (optional: ReasonNone) and moves
// on. The reason is kept only in the receipt; it is never sent anywhere.
func (c *Closure) SetReason(r Reason, other string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.at(StepReason); err != nil {
		return err
	}
	other = strings.TrimSpace(other)
	switch r {
	case ReasonNone, ReasonDirection, ReasonJobDone, ReasonConsolidating, ReasonNotSatisfied:
		other = ""
	case ReasonOther:
		if len(other) > maxReasonText {
			return fmt.Errorf("please keep the reason under %d characters", maxReasonText)
		}
	default:
		return fmt.Errorf("unknown reason %q", r)
	}
	c.reason, c.reasonText = r, other
	c.step = StepConfirm
	return nil
}

// Email is the account's email, which the owner types to confirm.
func (c *Closure) Email() string { return c.profile.Email }

// ConfirmMatches says whether typed is the account's email (case and
// surrounding spaces ignored), so the window can enable its button.
func (c *Closure) ConfirmMatches(typed string) bool {
	return strings.EqualFold(strings.TrimSpace(typed), c.profile.Email)
}

// Confirm checks the typed email and moves on to identity verification.
func (c *Closure) Confirm(typed string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.at(StepConfirm); err != nil {
		return err
	}
	if !c.ConfirmMatches(typed) {
		return problem(FieldEmail, "the email you typed is not this account's email; type it exactly to confirm", nil)
	}
	c.step = StepVerify
	return nil
}

// NeedsCode says whether identity verification asks for a two-factor code.
func (c *Closure) NeedsCode() (bool, error) { return c.acct.TwoFactor() }

// Verify checks the password (bcrypt) and, when two-factor is on, a code
// never used before. Wrong answers change nothing but are throttled like
// sign-in. On success the sequence is ready to purge.
func (c *Closure) Verify(password, code string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.at(StepVerify); err != nil {
		return err
	}
	if err := c.acct.CheckPassword(password); err != nil {
		return err
	}
	on, err := c.acct.TwoFactor()
	if err != nil {
		return err
	}
	if on {
		if strings.TrimSpace(code) == "" {
			return ErrCodeRequired
		}
		if err := c.acct.CheckCode(code); err != nil {
			return err
		}
	}
	c.step = StepPurge
	return nil
}

// Purge deletes the account for good and returns the receipt. Right before
// the commit point it checks again that no blocker remains and that the
// export (when one was made) is still there, whole; if not, nothing changes
// and the sequence returns to the step that needs attention. When the account
// is gone but its file could not be removed yet, both the receipt and an
// *IncompleteShredError are returned.
func (c *Closure) Purge(progress func(done, total int64)) (*Receipt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.step != StepPurge {
		return nil, &ErrOutOfOrder{At: c.step, Want: StepPurge}
	}
	if c.receipt != nil {
		return c.receipt, nil
	}
	counts, err := c.acct.Counts()
	if err != nil {
		return nil, err
	}
	var sum string // the export's checksum, for the receipt
	check := func() (err error) {
		sum, err = c.lastChecks()
		return err
	}
	err = c.acct.Purge(check, progress)
	var incomplete *IncompleteShredError
	if err != nil && !errors.As(err, &incomplete) {
		return nil, err
	}
	if incomplete != nil && c.acct.store.finishPurges() == nil {
		err = nil // a second try went through
	}
	r := &Receipt{Email: c.profile.Email, Company: c.profile.Company, Closed: c.acct.store.now(), Deleted: counts,
		Reason: c.reason, ReasonText: c.reasonText}
	if c.backup != nil {
		r.ExportPath, r.ExportSHA256, r.ExportSize = c.backup.Path, sum, c.backup.Size
	}
	c.receipt = r
	c.step = StepDone
	return r, err
}

// lastChecks runs inside the purge, right before its commit point: nothing
// is left to settle, and the verified export is still there, unchanged (its
// checksum is returned for the receipt), or the owner chose to keep none.
// A failed check sends the closure back to the step that can mend it.
func (c *Closure) lastChecks() (string, error) {
	list, err := c.acct.blockers()
	if err != nil {
		return "", err
	}
	if len(list) > 0 {
		c.step = StepBlockers
		return "", &BlockersError{Blockers: list}
	}
	if c.backup == nil {
		if !c.skipped {
			c.step = StepBackup
			return "", errors.New("there is no verified export; back up first or choose not to keep a copy")
		}
		return "", nil
	}
	st, err := os.Stat(c.backup.Path)
	var sum string
	if err == nil && st.Size() == c.backup.Size {
		sum, err = c.backup.SHA256()
	}
	if err != nil || st.Size() != c.backup.Size {
		c.step = StepBackup
		return "", fmt.Errorf("the export %s is gone or has changed since it was verified; back up again", c.backup.Path)
	}
	return sum, nil
}

// Receipt is the receipt once the purge is done, else nil.
func (c *Closure) Receipt() *Receipt {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.receipt
}
