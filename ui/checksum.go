package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// checksumView shows a SHA-256 value so that a person can compare it by
// eye: in a monospace face, in groups of eight characters, four groups a
// line (it never wraps mid-group), with a button that copies the value
// itself, without the spaces.
type checksumView struct {
	box  *fyne.Container
	text *widget.Label
	copy *button
	sum  string
}

func newChecksumView(u *UI, sum string) *checksumView {
	v := &checksumView{text: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})}
	v.text.Selectable = true
	v.copy = newIconButton(lang.L("Copy"), theme.ContentCopyIcon(), func() {
		u.app.Clipboard().SetContent(v.sum)
		v.copy.SetText(lang.L("Copied"))
	})
	v.box = container.NewVBox(v.text, container.NewHBox(v.copy))
	v.set(sum)
	return v
}

// set shows sum; anything that is not a checksum (a "Computing…") is shown
// as it is, without the copy button.
func (v *checksumView) set(sum string) {
	v.sum = sum
	v.text.SetText(groupedSum(sum))
	if isChecksum(sum) {
		v.copy.SetText(lang.L("Copy"))
		v.copy.Show()
	} else {
		v.copy.Hide()
	}
}

func isChecksum(s string) bool {
	if len(s) != 64 {
		return false
	}
	return strings.Trim(s, "0123456789abcdef") == ""
}

// groupedSum is a checksum in groups of eight, four to a line.
func groupedSum(sum string) string {
	if !isChecksum(sum) {
		return sum
	}
	var b strings.Builder
	for i := 0; i < len(sum); i += 8 {
		switch {
		case i == 32:
			b.WriteByte('\n')
		case i > 0:
			b.WriteByte(' ')
		}
		b.WriteString(sum[i : i+8])
	}
	return b.String()
}

// factsWithSums is facts with every SHA-256 value shown as a checksumView.
func factsWithSums(u *UI, pairs ...string) *fyne.Container {
	c := facts(pairs...)
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i] == lang.L("SHA-256") && isChecksum(pairs[i+1]) {
			c.Objects[i+1] = newChecksumView(u, pairs[i+1]).box
		}
	}
	return c
}
