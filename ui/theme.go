package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// offboardTheme is Fyne's default theme with colours chosen for contrast:
// darker status colours in the light variant (the default green and orange
// are too pale to read as text on white), a primary blue that reads as
// text in both variants, and readable disabled labels. It follows the
// system's light or dark setting unless the user chose one in Settings;
// then it draws that variant whatever it is asked for.
type offboardTheme struct {
	fyne.Theme
	forced  bool
	variant fyne.ThemeVariant // the variant drawn when forced
}

// newTheme is Offboard's theme for the user's choice.
func newTheme(c themeChoice) fyne.Theme {
	t := &offboardTheme{Theme: theme.DefaultTheme()}
	switch c {
	case themeLight:
		t.forced, t.variant = true, theme.VariantLight
	case themeDark:
		t.forced, t.variant = true, theme.VariantDark
	}
	return t
}

// The colours that differ from Fyne's default theme. Each text colour reads
// at 4.5:1 or more on the background it is drawn on, in dialogs too (see
// TestTextIsReadableInBothVariants); Fyne's own blue is a shade too light
// on white and too dark on the dark background, and its disabled labels
// and the outlines of check boxes and radio buttons all but vanish.
var (
	lightColors = map[fyne.ThemeColorName]color.Color{
		theme.ColorNamePrimary:             color.NRGBA{R: 0x1d, G: 0x4e, B: 0xd8, A: 0xff},
		theme.ColorNameHyperlink:           color.NRGBA{R: 0x1d, G: 0x4e, B: 0xd8, A: 0xff},
		theme.ColorNameForegroundOnPrimary: color.White,
		theme.ColorNameSuccess:             color.NRGBA{R: 0x1b, G: 0x7a, B: 0x2e, A: 0xff},
		theme.ColorNameWarning:             color.NRGBA{R: 0x9a, G: 0x4d, B: 0x00, A: 0xff},
		theme.ColorNameError:               color.NRGBA{R: 0xc6, G: 0x28, B: 0x28, A: 0xff},
		theme.ColorNamePlaceHolder:         color.NRGBA{R: 0x70, G: 0x70, B: 0x70, A: 0xff},
		theme.ColorNameDisabled:            color.NRGBA{R: 0x80, G: 0x80, B: 0x80, A: 0xff},
		// The outline of check boxes, radio buttons and fields, which
		// Fyne draws all but white on white.
		theme.ColorNameInputBorder: color.NRGBA{R: 0x8c, G: 0x8c, B: 0x8c, A: 0xff},
		// A selected list row, light enough that its status colours read.
		theme.ColorNameSelection: color.NRGBA{R: 0xe3, G: 0xed, B: 0xfd, A: 0xff},
		// The focus tint; focused buttons also get a ring (see controls.go).
		theme.ColorNameFocus: color.NRGBA{R: 0x1d, G: 0x4e, B: 0xd8, A: 0x30},
	}
	darkColors = map[fyne.ThemeColorName]color.Color{
		theme.ColorNamePrimary:             color.NRGBA{R: 0x60, G: 0xa5, B: 0xfa, A: 0xff},
		theme.ColorNameHyperlink:           color.NRGBA{R: 0x60, G: 0xa5, B: 0xfa, A: 0xff},
		theme.ColorNameForegroundOnPrimary: color.NRGBA{R: 0x10, G: 0x14, B: 0x1c, A: 0xff},
		theme.ColorNameDisabled:            color.NRGBA{R: 0x80, G: 0x80, B: 0x84, A: 0xff},
		theme.ColorNameInputBorder:         color.NRGBA{R: 0x7a, G: 0x7a, B: 0x7e, A: 0xff},
		theme.ColorNameSelection:           color.NRGBA{R: 0x1e, G: 0x2a, B: 0x3d, A: 0xff},
		theme.ColorNameError:               color.NRGBA{R: 0xff, G: 0x6b, B: 0x5e, A: 0xff},
		theme.ColorNameFocus:               color.NRGBA{R: 0x60, G: 0xa5, B: 0xfa, A: 0x40},
	}
)

// Color returns Offboard's colour for n, in the forced variant if there
// is one, and otherwise Fyne's default.
func (t *offboardTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if t.forced {
		v = t.variant
	}
	colors := darkColors
	if v == theme.VariantLight {
		colors = lightColors
	}
	if c, ok := colors[n]; ok {
		return c
	}
	return t.Theme.Color(n, v)
}

// menuTheme draws the account menu, whose Settings item shows its shortcut.
// Fyne 2.7 draws a shortcut in the foreground colour with the alpha scaled
// to 95% and then cut to the low byte of its 16-bit value, which turns an
// opaque foreground into one a fifth as strong: Ctrl+, all but vanishes.
// With the foreground's alpha at 238 the shortcut comes out at 251 (and at
// 226 once Fyne scales it right), while the items' labels stay at 93%,
// well above 4.5:1 (TestAccountMenuShortcutIsReadable checks both).
type menuTheme struct {
	fyne.Theme
}

// menuForegroundAlpha is the alpha of the account menu's text.
const menuForegroundAlpha = 238

// Size is the app theme's size, with more room inside each item: Fyne puts
// the shortcut one inner padding from the menu's edge, where "Ctrl+,"
// seems to touch it.
func (t menuTheme) Size(n fyne.ThemeSizeName) float32 {
	if n == theme.SizeNameInnerPadding {
		return t.Theme.Size(n) + 6
	}
	return t.Theme.Size(n)
}

// Color is the app theme's colour, with the foreground's alpha lowered.
func (t menuTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	c := t.Theme.Color(n, v)
	if n != theme.ColorNameForeground {
		return c
	}
	nc := color.NRGBAModel.Convert(c).(color.NRGBA)
	nc.A = min(nc.A, menuForegroundAlpha)
	return nc
}

// liveTheme is the app's theme as it is now: a theme override holding it
// follows a change of light or dark made after the override was made.
type liveTheme struct{}

func (liveTheme) current() fyne.Theme { return fyne.CurrentApp().Settings().Theme() }

// Color is the app theme's colour.
func (t liveTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	return t.current().Color(n, v)
}

// Font is the app theme's font.
func (t liveTheme) Font(s fyne.TextStyle) fyne.Resource { return t.current().Font(s) }

// Icon is the app theme's icon.
func (t liveTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return t.current().Icon(n) }

// Size is the app theme's size.
func (t liveTheme) Size(n fyne.ThemeSizeName) float32 { return t.current().Size(n) }

// compactTabsTheme draws the workspace's tab bar with smaller icons (the
// bar draws them at twice the inline size, above the label).
type compactTabsTheme struct{ liveTheme }

// Size is the app theme's size, with a smaller inline icon.
func (t compactTabsTheme) Size(n fyne.ThemeSizeName) float32 {
	if n == theme.SizeNameInlineIcon {
		return 14
	}
	return t.current().Size(n)
}
