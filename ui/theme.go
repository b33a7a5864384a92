package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// offboardTheme is Fyne's default theme, following the system's light or
// dark setting, with darker status colours in the light variant: the
// default green and orange are too pale to read as text on white.
type offboardTheme struct {
	fyne.Theme
}

func newTheme() fyne.Theme { return &offboardTheme{theme.DefaultTheme()} }

var (
	lightSuccess = color.NRGBA{R: 0x1b, G: 0x7a, B: 0x2e, A: 0xff}
	lightWarning = color.NRGBA{R: 0xa8, G: 0x55, B: 0x00, A: 0xff}
	lightError   = color.NRGBA{R: 0xc6, G: 0x28, B: 0x28, A: 0xff}
)

// Color returns the default colour except for the light variant's status colours.
func (t *offboardTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if v == theme.VariantLight {
		switch n {
		case theme.ColorNameSuccess:
			return lightSuccess
		case theme.ColorNameWarning:
			return lightWarning
		case theme.ColorNameError:
			return lightError
		}
	}
	return t.Theme.Color(n, v)
}
