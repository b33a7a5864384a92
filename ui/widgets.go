package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Small building blocks shared by the screens.

// field is a labelled input with, under it, the message that says what is
// wrong with what was typed, so that an error appears next to its cause.
type field struct {
	label *widget.Label
	input fyne.CanvasObject
	hint  *widget.Label
	err   *widget.Label
	box   *fyne.Container
}

func newField(label string, input fyne.CanvasObject) *field {
	f := &field{label: widget.NewLabelWithStyle(label, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), input: input}
	f.err = wrapLabel("")
	f.err.Importance = widget.DangerImportance
	f.err.Hide()
	f.box = container.NewVBox(f.label, input, f.err)
	return f
}

// withHint adds a quiet line of help under the input.
func (f *field) withHint(text string) *field {
	f.hint = wrapLabel(text)
	f.hint.SizeName = theme.SizeNameCaptionText
	f.box.Objects = []fyne.CanvasObject{f.label, f.input, f.hint, f.err}
	f.box.Refresh()
	return f
}

// setError shows msg under the input, or hides the message when msg is "".
func (f *field) setError(msg string) {
	f.err.SetText(msg)
	if msg == "" {
		f.err.Hide()
	} else {
		f.err.Show()
	}
}

// errorText is the message shown under the input, "" when there is none.
func (f *field) errorText() string {
	if !f.err.Visible() {
		return ""
	}
	return f.err.Text
}

// wrapLabel is a label whose text wraps at word boundaries.
func wrapLabel(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// heading is a screen or section title.
func heading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameHeadingText
	l.Wrapping = fyne.TextWrapWord
	return l
}

// subheading is a smaller bold title inside a screen.
func subheading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	l.Wrapping = fyne.TextWrapWord
	return l
}

// statusLabel shows the outcome of an action next to its button.
type statusLabel struct {
	*widget.Label
}

func newStatusLabel() statusLabel {
	l := wrapLabel("")
	l.Hide()
	return statusLabel{l}
}

// set shows text with the given importance, or hides the label when text is "".
func (s statusLabel) set(text string, imp widget.Importance) {
	s.Importance = imp
	s.SetText(text)
	if text == "" {
		s.Hide()
	} else {
		s.Show()
	}
}

// widthLayout gives its objects a fixed width (or the available width when
// less) and their natural height, so that forms and wrapped text do not
// stretch across a wide window.
type widthLayout struct {
	width float32
}

func (l *widthLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	w := min(size.Width, l.width)
	for _, o := range objects {
		o.Resize(fyne.NewSize(w, size.Height))
		o.Move(fyne.NewPos((size.Width-w)/2, 0))
	}
}

func (l *widthLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var h float32
	for _, o := range objects {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(l.width, h)
}

// column centres content at the given width at the top of a scrolling area,
// for panes that hold a form.
func column(width float32, content fyne.CanvasObject) fyne.CanvasObject {
	return container.NewVScroll(container.NewPadded(container.New(&widthLayout{width: width}, content)))
}

// listRow is one row of a long list: a title with a trailing note (a date,
// an amount, a status) and a second line under them.
type listRow struct {
	widget.BaseWidget
	title, trailing, subtitle *widget.Label
}

func newListRow() *listRow {
	r := &listRow{
		title:    widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		trailing: widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{}),
		subtitle: widget.NewLabel(""),
	}
	r.title.Truncation = fyne.TextTruncateEllipsis
	r.subtitle.Truncation = fyne.TextTruncateEllipsis
	r.ExtendBaseWidget(r)
	return r
}

func (r *listRow) set(title, trailing string, imp widget.Importance, subtitle string) {
	r.title.Importance = widget.MediumImportance
	r.title.SetText(title)
	r.trailing.Importance = imp
	r.trailing.SetText(trailing)
	r.subtitle.SetText(subtitle)
}

// CreateRenderer lays the row out.
func (r *listRow) CreateRenderer() fyne.WidgetRenderer {
	top := container.NewBorder(nil, nil, nil, r.trailing, r.title)
	return widget.NewSimpleRenderer(container.New(&tightVBox{}, top, r.subtitle))
}

// tightVBox stacks objects with no padding between them: a list row's two
// lines belong together.
type tightVBox struct{}

func (tightVBox) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	var y float32
	gap := -theme.Padding() * 2
	for _, o := range objects {
		h := o.MinSize().Height
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h + gap
	}
}

func (tightVBox) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	gap := -theme.Padding() * 2
	for i, o := range objects {
		m := o.MinSize()
		s.Width = max(s.Width, m.Width)
		s.Height += m.Height
		if i > 0 {
			s.Height += gap
		}
	}
	return s
}

// facts lays out label–value pairs as a two-column form. Values can be
// selected and copied.
func facts(pairs ...string) *fyne.Container {
	c := container.New(layout.NewFormLayout())
	for i := 0; i+1 < len(pairs); i += 2 {
		k := widget.NewLabelWithStyle(pairs[i], fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		v := wrapLabel(pairs[i+1])
		v.Selectable = true
		c.Add(k)
		c.Add(v)
	}
	return c
}

// placeholder is the quiet, centred text shown where a list is empty or a
// pane has nothing selected. It is one line, cut short in a narrow pane:
// text that wraps inside a centring container would ask for the height of
// one word per line and stretch the window.
func placeholder(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignCenter, fyne.TextStyle{Italic: true})
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

// centered puts obj in the middle of the height it is given, at full width
// (so that a one-line text is cut only when the pane is really too narrow).
func centered(obj fyne.CanvasObject) *fyne.Container {
	return container.NewVBox(layout.NewSpacer(), obj, layout.NewSpacer())
}

// strengthMeter shows a password's strength as four bars, coloured from
// red (weak) to green (strong), redrawn when the theme changes.
type strengthMeter struct {
	widget.BaseWidget
	score   int // 0..4; -1 shows empty bars
	refused bool
}

func newStrengthMeter() *strengthMeter {
	m := &strengthMeter{score: -1}
	m.ExtendBaseWidget(m)
	return m
}

func (m *strengthMeter) set(score int, refused bool) {
	m.score, m.refused = score, refused
	m.Refresh()
}

// CreateRenderer draws the bars.
func (m *strengthMeter) CreateRenderer() fyne.WidgetRenderer {
	r := &meterRenderer{m: m}
	for i := range r.bars {
		r.bars[i] = canvas.NewRectangle(color.Transparent)
		r.bars[i].CornerRadius = 2
	}
	r.Refresh()
	return r
}

type meterRenderer struct {
	m    *strengthMeter
	bars [4]*canvas.Rectangle
}

func (r *meterRenderer) Layout(size fyne.Size) {
	gap := theme.Padding()
	w := (size.Width - 3*gap) / 4
	for i, b := range r.bars {
		b.Move(fyne.NewPos(float32(i)*(w+gap), 0))
		b.Resize(fyne.NewSize(w, size.Height))
	}
}

func (r *meterRenderer) MinSize() fyne.Size { return fyne.NewSize(120, 6) }

func (r *meterRenderer) Refresh() {
	v := fyne.CurrentApp().Settings().ThemeVariant()
	th := r.m.Theme()
	on := th.Color(theme.ColorNameSuccess, v)
	lit := r.m.score + 1 // score 0 still lights one bar, in red
	switch {
	case r.m.score < 0:
		lit = 0
	case r.m.refused:
		on = th.Color(theme.ColorNameError, v)
	case r.m.score < 3:
		on = th.Color(theme.ColorNameWarning, v)
	}
	for i, b := range r.bars {
		if i < lit {
			b.FillColor = on
		} else {
			b.FillColor = th.Color(theme.ColorNameInputBorder, v)
		}
		b.Refresh()
	}
}

func (r *meterRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.bars[0], r.bars[1], r.bars[2], r.bars[3]}
}

func (r *meterRenderer) Destroy() {}
