package account

import (
	"fmt"
	"strings"
	"text/template"
	"time"
	"unicode"
	"unicode/utf8"
)

// Text is a sentence with its values kept apart and typed, so that the
// window can translate the template and write each value the way its
// language writes it (a date, a contract's status, an amount), and the
// command line can print it in English. Nothing in Data is pre-formatted.
type Text struct {
	Template string         // Go template, English; also the translation key
	Data     map[string]any // values for the template, typed (see String)
}

// String renders the English sentence: a time.Time is written as a date
// (2006-01-02), a ContractStatus as its capitalised word, a Phrase and a
// Role as their words, anything else through its String method or as is.
func (t Text) String() string {
	tpl, err := template.New("").Option("missingkey=zero").Parse(t.Template)
	if err != nil {
		return t.Template
	}
	data := make(map[string]any, len(t.Data))
	for k, v := range t.Data {
		data[k] = englishValue(v)
	}
	var b strings.Builder
	if err := tpl.Execute(&b, data); err != nil {
		return t.Template
	}
	return b.String()
}

func englishValue(v any) any {
	switch x := v.(type) {
	case time.Time:
		return x.Format(time.DateOnly)
	case ContractStatus:
		return capitalize(string(x))
	case Role:
		return string(x)
	case Phrase:
		return string(x)
	}
	return v
}

// Phrase is a word or phrase of the core's own vocabulary carried in a
// Text's values (a password hint): the window translates it, as a key of its
// own, before it puts it into the sentence.
type Phrase string

// Rate is what a contract pays: an amount per hour, or a fixed amount.
type Rate struct {
	Type   PayType
	Amount Money
}

func (r Rate) String() string {
	if r.Type == Hourly {
		return r.Amount.String() + "/h"
	}
	return r.Amount.String()
}

// Bytes is a size, written the way file managers write it (1 kB = 1000 B).
type Bytes int64

func (n Bytes) String() string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", int64(n))
	}
	f := float64(n)
	for _, u := range []string{"kB", "MB", "GB"} {
		f /= unit
		if f < unit {
			return fmt.Sprintf("%.1f %s", f, u)
		}
	}
	return fmt.Sprintf("%.1f TB", f/unit)
}

// capitalize upper-cases the first letter, for a value that starts a sentence.
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
