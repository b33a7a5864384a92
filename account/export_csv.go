package account

import (
	"encoding/csv"
	"strings"
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
