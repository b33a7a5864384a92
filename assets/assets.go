// Package assets holds the files built into Offboard's binary.
package assets

import "embed"

// Translations holds translations/<language>.json: the window's strings in
// go-i18n's JSON format, keyed by their English text, for Fyne's lang
// package (lang.AddTranslationsFS(Translations, "translations")).
//
//go:embed translations/*.json
var Translations embed.FS
