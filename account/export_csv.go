package account

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// safeCSV writes rows that a spreadsheet shows as text rather than runs:
// a cell that starts with "=", "+", "-", "@", a tab or a carriage return
// would be read as a formula (OWASP's CSV injection), so it gets a leading
// "'" unless it is a plain number such as "-12.50". Only the CSV copies
// change; the JSON arrays keep every value exactly.
type safeCSV struct{ *csv.Writer }

// Write writes one row, each cell neutralised as above.
func (w safeCSV) Write(row []string) error {
	out := row
	for i, c := range row {
		if s := csvCell(c); s != c {
			if &out[0] == &row[0] {
				out = append([]string(nil), row...)
			}
			out[i] = s
		}
	}
	return w.Writer.Write(out)
}

// csvCell neutralises one cell (see safeCSV).
func csvCell(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) || plainNumber(s) {
		return s
	}
	return "'" + s
}

// plainNumber reports whether s is a sign, digits and at most one decimal
// point with digits after it: what a spreadsheet reads as a number only.
func plainNumber(s string) bool {
	if s[0] == '+' || s[0] == '-' {
		s = s[1:]
	}
	whole, frac, dot := strings.Cut(s, ".")
	return allDigits(whole) && (!dot || allDigits(frac))
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func (a *Account) writeCSV(open func(string) (io.Writer, error), k Kind) error {
	ew, err := open(string(k) + ".csv")
	if err != nil {
		return err
	}
	cw := safeCSV{csv.NewWriter(ew)}
	cw.UseCRLF = true // RFC 4180
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	id := func(v uint64) string {
		if v == 0 {
			return ""
		}
		return strconv.FormatUint(v, 10)
	}
	amount := func(m Money) string {
		neg := ""
		c := m.Cents
		if c < 0 {
			neg, c = "-", -c
		}
		return fmt.Sprintf("%s%d.%02d", neg, c/100, c%100)
	}
	err = a.View(func(tx *Tx) error {
		switch k {
		case KindContracts:
			cw.Write([]string{"id", "job_id", "freelancer", "title", "type", "rate", "currency", "status", "start", "end"})
			return Each(tx, func(c *Contract) error {
				return cw.Write([]string{id(c.ID), id(c.JobID), c.Freelancer, c.Title, string(c.Type), amount(c.Rate), c.Rate.Currency, string(c.Status), date(c.Start), date(c.End)})
			})
		case KindInvoices:
			cw.Write([]string{"id", "number", "date", "due", "amount", "currency", "status", "contract_id", "paid"})
			return Each(tx, func(i *Invoice) error {
				return cw.Write([]string{id(i.ID), i.Number, date(i.Date), date(i.Due), amount(i.Amount), i.Amount.Currency, string(i.Status), id(i.ContractID), date(i.Paid)})
			})
		default:
			cw.Write([]string{"id", "date", "description", "amount", "currency", "invoice_id", "contract_id"})
			return Each(tx, func(t *Transaction) error {
				return cw.Write([]string{id(t.ID), date(t.Date), t.Description, amount(t.Amount), t.Amount.Currency, id(t.InvoiceID), id(t.ContractID)})
			})
		}
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}
