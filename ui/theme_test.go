package ui

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// luminance is a colour's relative luminance (WCAG 2).
func luminance(c color.Color) float64 {
	r, g, b, _ := color.NRGBAModel.Convert(c).(color.NRGBA).RGBA()
	lin := func(v uint32) float64 {
		x := float64(v) / 0xffff
		if x <= 0.03928 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// contrast is the WCAG contrast ratio of two opaque colours.
func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// over is fg drawn over the opaque bg.
func over(fg, bg color.Color) color.Color {
	f := color.NRGBAModel.Convert(fg).(color.NRGBA)
	b := color.NRGBAModel.Convert(bg).(color.NRGBA)
	a := float64(f.A) / 0xff
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*a + float64(y)*(1-a))) }
	return color.NRGBA{R: mix(f.R, b.R), G: mix(f.G, b.G), B: mix(f.B, b.B), A: 0xff}
}

// TestTextIsReadableInBothVariants checks the contrast of every text and
// button colour Offboard uses against what it is drawn on, in the light and
// the dark variant: 4.5:1 for text (WCAG AA), 3:1 for a disabled button's
// label (still readable, plainly inactive), for the focus ring and for the
// outline of an unticked box (WCAG's contrast for controls).
func TestTextIsReadableInBothVariants(t *testing.T) {
	test.NewTempApp(t)
	th := newTheme(themeSystem)
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		name := map[fyne.ThemeVariant]string{theme.VariantLight: "light", theme.VariantDark: "dark"}[v]
		c := func(n fyne.ThemeColorName) color.Color { return th.Color(n, v) }
		check := func(what string, fg, bg color.Color, want float64) {
			t.Helper()
			if got := contrast(over(fg, bg), bg); got < want {
				t.Errorf("%s: %s has a contrast of %.2f:1, want at least %.1f:1", name, what, got, want)
			}
		}
		for _, bgName := range []fyne.ThemeColorName{theme.ColorNameBackground, theme.ColorNameOverlayBackground} {
			bg := c(bgName)
			for _, fg := range []fyne.ThemeColorName{
				theme.ColorNameForeground, theme.ColorNamePrimary, theme.ColorNameHyperlink,
				theme.ColorNameSuccess, theme.ColorNameWarning, theme.ColorNameError, theme.ColorNamePlaceHolder,
			} {
				check(string(fg)+" text on "+string(bgName), c(fg), bg, 4.5)
			}
			button := over(c(theme.ColorNameButton), bg)
			check("a button's label on "+string(bgName), c(theme.ColorNameForeground), button, 4.5)
			check("a focused button's label on "+string(bgName), c(theme.ColorNameForeground), over(c(theme.ColorNameFocus), button), 4.5)
			check("a hovered button's label on "+string(bgName), c(theme.ColorNameForeground), over(c(theme.ColorNameHover), button), 4.5)
			check("a disabled button's label on "+string(bgName), c(theme.ColorNameDisabled), over(c(theme.ColorNameDisabledButton), bg), 3)
			check("the focus ring on "+string(bgName), c(theme.ColorNamePrimary), bg, 3)
			check("an unticked box's outline on "+string(bgName), c(theme.ColorNameInputBorder), bg, 3)
			check("an input's text on "+string(bgName), c(theme.ColorNameForeground), over(c(theme.ColorNameInputBackground), bg), 4.5)
			selected := over(c(theme.ColorNameSelection), bg)
			for _, fg := range []fyne.ThemeColorName{
				theme.ColorNameForeground, theme.ColorNamePrimary, theme.ColorNameSuccess, theme.ColorNameWarning, theme.ColorNameError,
			} {
				// A list's selected row keeps its status in colour.
				check(string(fg)+" text on a selected row on "+string(bgName), c(fg), selected, 4.5)
			}
		}
		for _, p := range []struct{ fg, bg fyne.ThemeColorName }{
			{theme.ColorNameForegroundOnPrimary, theme.ColorNamePrimary},
			{theme.ColorNameForegroundOnError, theme.ColorNameError},
			{theme.ColorNameForegroundOnSuccess, theme.ColorNameSuccess},
			{theme.ColorNameForegroundOnWarning, theme.ColorNameWarning},
		} {
			check(string(p.fg)+" on a "+string(p.bg)+" button", c(p.fg), c(p.bg), 4.5)
			check(string(p.fg)+" on a focused "+string(p.bg)+" button", c(p.fg), over(c(theme.ColorNameFocus), c(p.bg)), 4.5)
		}
	}
}

func TestThemeChoiceForcesTheVariant(t *testing.T) {
	test.NewTempApp(t)
	def := theme.DefaultTheme()
	for _, tc := range []struct {
		choice themeChoice
		asked  fyne.ThemeVariant
		want   fyne.ThemeVariant
	}{
		{themeSystem, theme.VariantLight, theme.VariantLight},
		{themeSystem, theme.VariantDark, theme.VariantDark},
		{themeLight, theme.VariantDark, theme.VariantLight},
		{themeDark, theme.VariantLight, theme.VariantDark},
	} {
		got := newTheme(tc.choice).Color(theme.ColorNameBackground, tc.asked)
		if want := def.Color(theme.ColorNameBackground, tc.want); got != want {
			t.Errorf("%s asked for variant %d draws the background %v, want %v", tc.choice, tc.asked, got, want)
		}
	}
}
