package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// radioGroup is a list of choices of which at most one is selected.
// Fyne's RadioGroup keeps Escape to itself when one of its choices has the
// focus; this one passes it to the window like every other control here,
// and Enter submits the form it is in.
type radioGroup struct {
	options   []*radioOption
	selected  int  // -1 while none is
	required  bool // a choice, once made, can be changed but not cleared
	box       *fyne.Container
	onChanged func(selected int)
	onSubmit  func()
}

func newRadioGroup(labels []string, changed func(int), submit func()) *radioGroup {
	g := &radioGroup{selected: -1, onChanged: changed, onSubmit: submit, box: container.NewVBox()}
	for i, l := range labels {
		o := &radioOption{group: g, index: i, text: l}
		o.ExtendBaseWidget(o)
		g.options = append(g.options, o)
		g.box.Add(o)
	}
	return g
}

// setSelected selects choice i (none when -1) and reports the change.
func (g *radioGroup) setSelected(i int) {
	if i == g.selected {
		return
	}
	old := g.selected
	g.selected = i
	if old >= 0 {
		g.options[old].Refresh()
	}
	if i >= 0 {
		g.options[i].Refresh()
	}
	if g.onChanged != nil {
		g.onChanged(i)
	}
}

// radioOption is one choice of a radioGroup.
type radioOption struct {
	widget.BaseWidget
	group            *radioGroup
	index            int
	text             string
	focused, hovered bool
}

// Tapped selects the choice, or clears it when it was selected (unless
// the group requires a choice).
func (o *radioOption) Tapped(*fyne.PointEvent) {
	if c := canvasOf(o); c != nil && !o.focused {
		c.Focus(o)
	}
	o.toggle()
}

func (o *radioOption) toggle() {
	if o.group.selected == o.index {
		if o.group.required {
			return
		}
		o.group.setSelected(-1)
	} else {
		o.group.setSelected(o.index)
	}
}

// FocusGained shows the focus.
func (o *radioOption) FocusGained() {
	o.focused = true
	o.Refresh()
}

// FocusLost hides the focus.
func (o *radioOption) FocusLost() {
	o.focused = false
	o.Refresh()
}

// TypedRune selects the choice on Space.
func (o *radioOption) TypedRune(r rune) {
	if r == ' ' {
		o.toggle()
	}
}

// TypedKey moves between the choices with the arrow keys, submits on
// Enter and passes Escape to the window.
func (o *radioOption) TypedKey(ev *fyne.KeyEvent) {
	if forwardEscape(o, ev) {
		return
	}
	g := o.group
	switch ev.Name {
	case fyne.KeyUp, fyne.KeyLeft, fyne.KeyDown, fyne.KeyRight:
		step := 1
		if ev.Name == fyne.KeyUp || ev.Name == fyne.KeyLeft {
			step = -1
		}
		i := (o.index + step + len(g.options)) % len(g.options)
		if c := canvasOf(o); c != nil {
			c.Focus(g.options[i])
		}
		g.setSelected(i)
	case fyne.KeyReturn, fyne.KeyEnter:
		if g.onSubmit != nil {
			g.onSubmit()
		}
	}
}

// MouseIn shows the hover.
func (o *radioOption) MouseIn(*desktop.MouseEvent) {
	o.hovered = true
	o.Refresh()
}

// MouseMoved is needed to be hoverable.
func (o *radioOption) MouseMoved(*desktop.MouseEvent) {}

// MouseOut hides the hover.
func (o *radioOption) MouseOut() {
	o.hovered = false
	o.Refresh()
}

// CreateRenderer draws the circle, its dot when selected, and the label.
func (o *radioOption) CreateRenderer() fyne.WidgetRenderer {
	r := &radioRenderer{o: o, halo: canvas.NewCircle(color.Transparent), label: widget.NewLabel(o.text)}
	r.fill, r.ring = canvas.NewImageFromResource(nil), canvas.NewImageFromResource(nil)
	r.Refresh()
	return r
}

type radioRenderer struct {
	o          *radioOption
	halo       *canvas.Circle // the focus or hover, around the circle
	fill, ring *canvas.Image
	label      *widget.Label
}

func (r *radioRenderer) Layout(size fyne.Size) {
	th := r.o.Theme()
	icon := th.Size(theme.SizeNameInlineIcon)
	pad := th.Size(theme.SizeNameInnerPadding)
	halo := icon + pad
	r.halo.Resize(fyne.NewSquareSize(halo))
	r.halo.Move(fyne.NewPos(0, (size.Height-halo)/2))
	pos := fyne.NewPos(pad/2, (size.Height-icon)/2)
	for _, img := range []*canvas.Image{r.fill, r.ring} {
		img.Resize(fyne.NewSquareSize(icon))
		img.Move(pos)
	}
	r.label.Move(fyne.NewPos(halo, 0))
	r.label.Resize(fyne.NewSize(size.Width-halo, size.Height))
}

func (r *radioRenderer) MinSize() fyne.Size {
	th := r.o.Theme()
	halo := th.Size(theme.SizeNameInlineIcon) + th.Size(theme.SizeNameInnerPadding)
	l := r.label.MinSize()
	return fyne.NewSize(halo+l.Width, max(halo, l.Height))
}

func (r *radioRenderer) Refresh() {
	th := r.o.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	ring := theme.NewThemedResource(th.Icon(theme.IconNameRadioButton))
	fill := theme.NewThemedResource(th.Icon(theme.IconNameRadioButtonFill))
	ring.ColorName, fill.ColorName = theme.ColorNameInputBorder, theme.ColorNameInputBackground
	if r.o.group.selected == r.o.index {
		ring.ColorName, fill.ColorName = theme.ColorNameForeground, theme.ColorNamePrimary
	}
	r.ring.Resource, r.fill.Resource = ring, fill
	r.halo.FillColor, r.halo.StrokeColor, r.halo.StrokeWidth = color.Transparent, color.Transparent, 0
	switch {
	case r.o.focused:
		// A ring, as on the buttons: a tint alone is too faint to see.
		r.halo.StrokeColor, r.halo.StrokeWidth = th.Color(theme.ColorNamePrimary, v), 2
	case r.o.hovered:
		r.halo.FillColor = th.Color(theme.ColorNameHover, v)
	}
	r.label.SetText(r.o.text)
	r.halo.Refresh()
	r.fill.Refresh()
	r.ring.Refresh()
}

func (r *radioRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.halo, r.fill, r.ring, r.label}
}

func (r *radioRenderer) Destroy() {}
