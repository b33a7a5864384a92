package ui

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"offboard/account"
)

// How account data is put into words on screen.

// errText is err's message as a sentence. The core's messages already say
// what happened and what to do next; they are looked up as translation keys
// like every other string, except when they quote the user's own input in a
// way the translation templates would misread.
func errText(err error) string {
	if err == nil {
		return ""
	}
	var p *account.Problem
	if errors.As(err, &p) {
		return sentence(displayText(p.Text))
	}
	msg := err.Error()
	if !strings.Contains(msg, "{{") {
		msg = lang.L(msg)
	}
	return sentence(msg)
}

// sentence capitalises the first letter and ends the text with a full stop.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[n:]
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "?") && !strings.HasSuffix(s, "!") {
		s += "."
	}
	return s
}

// throttleText says how long to wait after too many wrong attempts.
func throttleText(err error) (string, bool) {
	var te *account.ThrottledError
	if !errors.As(err, &te) {
		return "", false
	}
	return lang.L("Too many wrong attempts. Wait {{.Wait}} before trying again.", map[string]any{"Wait": waitText(te.Wait)}), true
}

// waitText rounds a wait up to whole seconds or minutes.
func waitText(d time.Duration) string {
	s := int(math.Ceil(d.Seconds()))
	switch {
	case s <= 1:
		return lang.L("1 second")
	case s < 120:
		return lang.L("{{.N}} seconds", map[string]any{"N": s})
	default:
		return lang.L("{{.N}} minutes", map[string]any{"N": (s + 59) / 60})
	}
}

// Dates and numbers are written the way the user's language writes them:
// each translation gives its own Go time layout and separators.

// shownZone is the time zone the window writes times in: the signed-in
// profile's, where the account's business happens, or else the computer's.
// It is a pointer read atomically because texts are also put together off
// the UI goroutine.
var shownZone atomic.Pointer[time.Location]

// showTimesIn makes the window write times in the IANA zone name, or in the
// computer's zone when name is empty or unknown.
func showTimesIn(name string) {
	loc, err := time.LoadLocation(name)
	if name == "" || err != nil {
		loc = time.Local
	}
	shownZone.Store(loc)
}

func zone() *time.Location {
	if loc := shownZone.Load(); loc != nil {
		return loc
	}
	return time.Local
}

// dateText shows a day, or a dash for "not set".
func dateText(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(zone()).Format(lang.X("date layout (Go reference time)", "2 Jan 2006"))
}

// timeText shows a day and time, or a dash for "not set". The time names
// its zone (PDT, CET): it need not be the computer's.
func timeText(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	t = t.In(zone())
	return t.Format(lang.X("date and time layout (Go reference time)", "2 Jan 2006, 15:04")) + " " + t.Format("MST")
}

// sizeText shows a byte count the way file managers do (1 kB = 1000 B).
func sizeText(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	f := float64(n)
	for _, u := range []string{"kB", "MB", "GB", "TB"} {
		f /= unit
		if f < unit || u == "TB" {
			return strings.Replace(fmt.Sprintf("%.1f", f), ".", lang.X("decimal separator", "."), 1) + " " + u
		}
	}
	return ""
}

// countText shows a count with thousands separators.
func countText(n int) string {
	s := fmt.Sprint(n)
	if len(s) < 4 {
		return s
	}
	sep := lang.X("thousands separator", ",")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && r != '-' && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// initials are up to two letters standing for a company on its avatar.
func initials(name string) string {
	var out []rune
	for _, w := range strings.Fields(name) {
		r, _ := utf8.DecodeRuneInString(w)
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			out = append(out, unicode.ToUpper(r))
		}
		if len(out) == 2 {
			break
		}
	}
	if len(out) == 0 {
		return "?"
	}
	return string(out)
}

// The words for the model's enumerations.

func payTypeText(t account.PayType) string {
	switch t {
	case account.Hourly:
		return lang.L("Hourly")
	case account.Fixed:
		return lang.L("Fixed price")
	}
	return string(t)
}

// rateText is a contract's rate: per hour, or the fixed amount.
func rateText(t account.PayType, m account.Money) string {
	if t == account.Hourly {
		return lang.L("{{.Amount}} per hour", map[string]any{"Amount": m.String()})
	}
	return m.String()
}

func jobStatusText(s account.JobStatus) (string, widget.Importance) {
	switch s {
	case account.JobOpen:
		// Keyed apart from Fyne's own "Open", the file chooser's button.
		return lang.X("Open (job posting status)", "Open"), widget.HighImportance
	case account.JobClosed:
		return lang.L("Closed"), widget.MediumImportance
	}
	return string(s), widget.MediumImportance
}

func contractStatusText(s account.ContractStatus) (string, widget.Importance) {
	switch s {
	case account.ContractActive:
		return lang.L("Active"), widget.SuccessImportance
	case account.ContractPaused:
		return lang.L("Paused"), widget.WarningImportance
	case account.ContractEnded:
		return lang.L("Ended"), widget.MediumImportance
	}
	return string(s), widget.MediumImportance
}

func invoiceStatusText(s account.InvoiceStatus) (string, widget.Importance) {
	switch s {
	case account.InvoicePaid:
		return lang.L("Paid"), widget.SuccessImportance
	case account.InvoiceDue:
		return lang.L("Due"), widget.WarningImportance
	case account.InvoiceOverdue:
		return lang.L("Overdue"), widget.DangerImportance
	}
	return string(s), widget.MediumImportance
}

func directionText(d account.Direction) string {
	switch d {
	case account.Given:
		return lang.L("Given")
	case account.Received:
		return lang.L("Received")
	}
	return string(d)
}

func billingTypeText(t account.BillingType) string {
	switch t {
	case account.BillingCard:
		return lang.L("Card")
	case account.BillingPayPal:
		return lang.L("PayPal")
	case account.BillingBank:
		return lang.L("Bank account")
	}
	return string(t)
}

// stars shows a 1–5 rating as filled and empty stars.
func stars(n int) string {
	n = max(0, min(5, n))
	return strings.Repeat("★", n) + strings.Repeat("☆", 5-n)
}

// kindName is the plural name of a kind of data, as counted on screen.
func kindName(k account.Kind) string {
	switch k {
	case account.KindTeam:
		return lang.L("Team members")
	case account.KindJobs:
		return lang.L("Job postings")
	case account.KindContracts:
		return lang.L("Contracts")
	case account.KindThreads:
		return lang.L("Message threads")
	case account.KindMessages:
		return lang.L("Messages")
	case account.KindFiles:
		return lang.L("Files")
	case account.KindReviews:
		return lang.L("Reviews")
	case account.KindInvoices:
		return lang.L("Invoices")
	case account.KindTransactions:
		return lang.L("Transactions")
	case account.KindBilling:
		return lang.L("Billing methods")
	case account.KindDisputes:
		return lang.L("Disputes")
	}
	return string(k)
}
