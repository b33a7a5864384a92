package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// steadyLayout centres one object in the space it is given, but keeps its
// top edge where it was when a message appears or goes under it: a
// centring layout would move the whole form up by half of every new line,
// and the field the person is typing in would jump away. rebase lets the
// next layout centre it afresh (a new screen, a new step).
//
// It also keeps a gutter for the scroll bar on the right, which Fyne draws
// over the content: on a narrow window the bar would cover the fields.
type steadyLayout struct {
	viewport func() fyne.Size // the visible area: the scroll container's size
	base     float32          // the height it was centred for; 0 until laid out
	top      float32          // where its top edge is
}

// rebase centres the object again at the next layout.
func (l *steadyLayout) rebase() { l.base = 0 }

func (l *steadyLayout) gutter() float32 { return theme.ScrollBarSize() }

func (l *steadyLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	g := l.gutter()
	for _, o := range objects {
		m := o.MinSize()
		// The top edge is where it would be to centre the object as it
		// was first laid out, in the visible area (the window's size). When
		// the object grows past the area, the area grows too (MinSize) and
		// scrolls: the top stays.
		if l.base == 0 {
			l.base = m.Height
		}
		view := size
		if l.viewport != nil {
			view = l.viewport()
		}
		l.top = max(0, (view.Height-l.base)/2)
		o.Resize(fyne.NewSize(max(0, size.Width-2*g), m.Height))
		o.Move(fyne.NewPos(g, l.top))
	}
}

func (l *steadyLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	// No width of its own: the object takes what the window has (a
	// widthLayout caps it on a wide one), so a narrow window does not cut
	// the fields off at its edge.
	var h float32
	for _, o := range objects {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(2*l.gutter(), h+l.top)
}
