package ui

import (
	"bytes"
	"image"
	"image/color"
	_ "image/jpeg" // avatars may be JPEG
	_ "image/png"  // or PNG

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// avatar is the account's picture in a circle — or, without one, the
// company's initials — that opens the account menu when clicked, or when
// it has the focus and Space or Enter is pressed.
type avatar struct {
	widget.BaseWidget
	size     float32
	img      image.Image // nil shows the initials
	initials string
	OnTapped func()

	hovered, focused bool
}

func newAvatar(size float32) *avatar {
	a := &avatar{size: size, initials: "?"}
	a.ExtendBaseWidget(a)
	return a
}

// set shows picture (PNG or JPEG bytes), or name's initials when there is
// no picture or it cannot be decoded.
func (a *avatar) set(picture []byte, name string) {
	a.initials = initials(name)
	a.img = decodeImage(picture)
	a.Refresh()
}

// decodeImage decodes a PNG or JPEG, or returns nil.
func decodeImage(b []byte) image.Image {
	if len(b) == 0 {
		return nil
	}
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return nil
	}
	return img
}

// Tapped opens the menu.
func (a *avatar) Tapped(*fyne.PointEvent) {
	if a.OnTapped != nil {
		a.OnTapped()
	}
}

// Cursor shows that the avatar can be clicked.
func (a *avatar) Cursor() desktop.Cursor { return desktop.PointerCursor }

// MouseIn highlights the avatar under the pointer.
func (a *avatar) MouseIn(*desktop.MouseEvent) { a.hovered = true; a.Refresh() }

// MouseMoved does nothing; the highlight follows MouseIn and MouseOut.
func (a *avatar) MouseMoved(*desktop.MouseEvent) {}

// MouseOut removes the highlight.
func (a *avatar) MouseOut() { a.hovered = false; a.Refresh() }

// FocusGained draws the focus ring.
func (a *avatar) FocusGained() { a.focused = true; a.Refresh() }

// FocusLost removes the focus ring.
func (a *avatar) FocusLost() { a.focused = false; a.Refresh() }

// TypedRune does nothing: the avatar takes no text.
func (a *avatar) TypedRune(rune) {}

// TypedKey opens the menu on Space or Enter.
func (a *avatar) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeySpace, fyne.KeyReturn, fyne.KeyEnter:
		a.Tapped(nil)
	default:
		forwardEscape(a, ev)
	}
}

// MinSize is the avatar's fixed size.
func (a *avatar) MinSize() fyne.Size { return fyne.NewSquareSize(a.size) }

// CreateRenderer draws the circle.
func (a *avatar) CreateRenderer() fyne.WidgetRenderer {
	r := &avatarRenderer{a: a, ring: canvas.NewCircle(color.Transparent), disc: canvas.NewCircle(color.Transparent),
		text: canvas.NewText("", color.White), picture: &canvas.Image{FillMode: canvas.ImageFillCover}}
	r.text.TextStyle.Bold = true
	r.text.Alignment = fyne.TextAlignCenter
	r.Refresh()
	return r
}

type avatarRenderer struct {
	a       *avatar
	ring    *canvas.Circle // focus or hover highlight
	disc    *canvas.Circle
	text    *canvas.Text
	picture *canvas.Image
}

func (r *avatarRenderer) Layout(size fyne.Size) {
	d := min(size.Width, size.Height)
	off := fyne.NewPos((size.Width-d)/2, (size.Height-d)/2)
	r.ring.Move(off)
	r.ring.Resize(fyne.NewSquareSize(d))
	inset := float32(3)
	inner := fyne.NewSquareSize(d - 2*inset)
	pos := off.AddXY(inset, inset)
	r.disc.Move(pos)
	r.disc.Resize(inner)
	r.picture.Move(pos)
	r.picture.Resize(inner)
	r.picture.CornerRadius = inner.Width / 2
	r.text.TextSize = inner.Height * 0.4
	ts := r.text.MinSize()
	r.text.Move(pos.AddXY(0, (inner.Height-ts.Height)/2))
	r.text.Resize(fyne.NewSize(inner.Width, ts.Height))
}

func (r *avatarRenderer) MinSize() fyne.Size { return r.a.MinSize() }

func (r *avatarRenderer) Refresh() {
	th := r.a.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	// The focus is a ring in the primary colour with a gap to the disc,
	// plain in either theme; the hover a soft halo.
	r.ring.FillColor, r.ring.StrokeColor, r.ring.StrokeWidth = color.Transparent, color.Transparent, 0
	switch {
	case r.a.focused:
		r.ring.StrokeColor, r.ring.StrokeWidth = th.Color(theme.ColorNamePrimary, v), 2
	case r.a.hovered:
		r.ring.FillColor = th.Color(theme.ColorNameHover, v)
	}
	r.disc.FillColor = th.Color(theme.ColorNamePrimary, v)
	r.text.Color = th.Color(theme.ColorNameForegroundOnPrimary, v)
	r.text.Text = r.a.initials
	r.picture.Image = r.a.img
	if r.a.img != nil {
		r.picture.Show()
		r.text.Hide()
	} else {
		r.picture.Hide()
		r.text.Show()
	}
	r.Layout(r.a.Size())
	for _, o := range r.Objects() {
		o.Refresh()
	}
}

func (r *avatarRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.ring, r.disc, r.text, r.picture}
}

func (r *avatarRenderer) Destroy() {}
