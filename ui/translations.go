package ui

import (
	"fmt"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"offboard/account"
	"offboard/assets"
)

// Every string the window shows is looked up with Fyne's lang package; the
// key is the English text itself, so a missing translation shows English.
// The translations live in assets/translations (English and German); lang
// picks the one closest to the system's locale (LANGUAGE, LC_ALL, LC_MESSAGES
// or LANG on Linux, the user's languages on Windows and macOS).
// translations_test.go checks that each language translates every key.

var translationsOnce sync.Once

// loadTranslations adds Offboard's translations to lang; it runs once,
// before the first window is built.
func loadTranslations() {
	translationsOnce.Do(func() {
		if err := lang.AddTranslationsFS(assets.Translations, "translations"); err != nil {
			// English, the keys themselves, still works.
			fyne.LogError("Could not load the translations", err)
		}
	})
}

// displayText is one of the core's sentences in the user's language. Its
// values come typed, and each is written here the way the window writes it
// everywhere else: a contract's status and a team member's role in the
// user's words, a date as the language writes dates, a rate per hour or
// fixed, a phrase of the core's (a password hint) translated; names and
// amounts are shown as they are.
func displayText(t account.Text) string {
	data := make(map[string]any, len(t.Data))
	for k, v := range t.Data {
		data[k] = displayValue(v)
	}
	return lang.L(t.Template, data)
}

func displayValue(v any) any {
	switch x := v.(type) {
	case account.ContractStatus:
		s, _ := contractStatusText(x)
		return s
	case account.Role:
		return roleText(x)
	case time.Time:
		return dateText(x)
	case account.Rate:
		return rateText(x.Type, x.Amount)
	case account.Phrase:
		return lang.L(string(x))
	case account.Bytes:
		return sizeText(int64(x))
	case fmt.Stringer:
		return x.String()
	}
	return v
}

// roleText is a team member's role, as it reads in a sentence.
func roleText(r account.Role) string {
	switch r {
	case account.RoleAdmin:
		return lang.L("admin")
	case account.RoleHiringManager:
		return lang.L("hiring manager")
	case account.RoleFinance:
		return lang.L("finance")
	}
	return string(r)
}
