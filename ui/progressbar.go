package ui

import (
	"image/color"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// progressBar shows how far a job is: a filled part in the primary colour on
// a neutral track, and the percentage beside it. Fyne's own bar draws its
// track in the primary colour at half strength, so that at 0 % it looks
// almost full (docs/DECISIONS.md).
type progressBar struct {
	widget.BaseWidget
	value float64 // 0 to 1
}

func newProgressBar() *progressBar {
	p := &progressBar{}
	p.ExtendBaseWidget(p)
	return p
}

// SetValue shows fraction (0 to 1) of the job as done.
func (p *progressBar) SetValue(fraction float64) {
	p.value = max(0, min(1, fraction))
	p.Refresh()
}

// Value is the fraction shown.
func (p *progressBar) Value() float64 { return p.value }

// CreateRenderer draws the track, the filled part and the percentage.
func (p *progressBar) CreateRenderer() fyne.WidgetRenderer {
	r := &progressBarRenderer{p: p, track: canvas.NewRectangle(color.Transparent),
		fill: canvas.NewRectangle(color.Transparent), label: canvas.NewText("", color.Black)}
	r.label.Alignment = fyne.TextAlignTrailing
	r.Refresh()
	return r
}

type progressBarRenderer struct {
	p           *progressBar
	track, fill *canvas.Rectangle
	label       *canvas.Text
}

// barHeight is the height of the track, in the middle of a line of text.
const barHeight = 8

func (r *progressBarRenderer) labelWidth() float32 {
	return fyne.MeasureText("100 %", r.label.TextSize, r.label.TextStyle).Width
}

func (r *progressBarRenderer) Layout(size fyne.Size) {
	lw := r.labelWidth()
	pad := r.p.Theme().Size(theme.SizeNamePadding)
	w := max(0, size.Width-lw-pad)
	y := (size.Height - barHeight) / 2
	r.track.Move(fyne.NewPos(0, y))
	r.track.Resize(fyne.NewSize(w, barHeight))
	r.fill.Move(fyne.NewPos(0, y))
	r.fill.Resize(fyne.NewSize(w*float32(r.p.value), barHeight))
	r.label.Move(fyne.NewPos(size.Width-lw, 0))
	r.label.Resize(fyne.NewSize(lw, size.Height))
}

func (r *progressBarRenderer) MinSize() fyne.Size {
	th := r.p.Theme()
	h := r.label.MinSize().Height + 2*th.Size(theme.SizeNamePadding)
	return fyne.NewSize(120+r.labelWidth(), h)
}

func (r *progressBarRenderer) Refresh() {
	th := r.p.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	r.track.FillColor = th.Color(theme.ColorNameInputBorder, v)
	r.track.StrokeColor, r.track.StrokeWidth = color.Transparent, 0
	r.track.CornerRadius = barHeight / 2
	r.fill.FillColor = th.Color(theme.ColorNamePrimary, v)
	r.fill.CornerRadius = barHeight / 2
	if r.p.value == 0 {
		r.fill.Hide()
	} else {
		r.fill.Show()
	}
	r.label.Color = th.Color(theme.ColorNameForeground, v)
	r.label.TextSize = th.Size(theme.SizeNameText)
	r.label.Text = strconv.Itoa(int(r.p.value*100)) + " %"
	r.Layout(r.p.Size())
	canvas.Refresh(r.p)
}

func (r *progressBarRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.track, r.fill, r.label}
}

func (r *progressBarRenderer) Destroy() {}
