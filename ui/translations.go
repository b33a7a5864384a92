package ui

import (
	"maps"
	"strings"
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

// displayText is one of the core's sentences in the user's language. The
// words of the core's own vocabulary among its values (a contract's status,
// a team member's role) are translated too, and a due date is written as
// the window writes dates; names and amounts are shown as they are.
func displayText(t account.Text) string {
	data := maps.Clone(t.Data)
	if s, ok := data["Status"].(string); ok {
		data["Status"], _ = contractStatusText(account.ContractStatus(strings.ToLower(s)))
	}
	if r, ok := data["Role"].(string); ok {
		data["Role"] = roleText(account.Role(r))
	}
	if s, ok := data["Due"].(string); ok {
		if d, err := time.ParseInLocation(time.DateOnly, s, time.Local); err == nil {
			data["Due"] = dateText(d)
		}
	}
	return lang.L(t.Template, data)
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
