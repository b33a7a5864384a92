package ui

import (
	"image"
	_ "image/jpeg" // the thumbnails' formats
	_ "image/png"
	"io"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	xdraw "golang.org/x/image/draw"

	"offboard/account"
)

// Thumbnails are drawn at most this size; larger pictures are scaled down
// once, off the UI goroutine, so the window never holds a full photo.
const (
	thumbWidth, thumbHeight = 320, 200
	// thumbMaxPixels bounds what is decoded: a picture claiming more is
	// shown without a thumbnail rather than filling memory.
	thumbMaxPixels = 64 << 20
)

// thumbnail returns an image for f's details that fills in once the file
// has been read and decoded; a file that does not decode stays blank.
func (u *UI) thumbnail(acct *account.Account, f account.File) *canvas.Image {
	img := canvas.NewImageFromImage(image.NewRGBA(image.Rect(0, 0, 1, 1)))
	img.FillMode = canvas.ImageFillContain
	img.ScaleMode = canvas.ImageScaleSmooth
	img.SetMinSize(fyne.NewSize(thumbWidth, thumbHeight))
	u.background(func() func() {
		thumb := decodeThumbnail(acct, f.ID)
		if thumb == nil {
			return nil
		}
		return func() {
			img.Image = thumb
			img.Refresh()
		}
	})
	return img
}

func decodeThumbnail(acct *account.Account, id uint64) image.Image {
	open := func() (io.ReadCloser, error) { return acct.OpenFile(id) }
	r, err := open()
	if err != nil {
		return nil
	}
	cfg, _, err := image.DecodeConfig(r)
	r.Close()
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > thumbMaxPixels {
		return nil
	}
	r, err = open()
	if err != nil {
		return nil
	}
	defer r.Close()
	src, _, err := image.Decode(r)
	if err != nil {
		return nil
	}
	b := src.Bounds()
	scale := min(float64(thumbWidth*2)/float64(b.Dx()), float64(thumbHeight*2)/float64(b.Dy()), 1)
	dst := image.NewRGBA(image.Rect(0, 0, max(1, int(float64(b.Dx())*scale)), max(1, int(float64(b.Dy())*scale))))
	xdraw.ApproxBiLinear.Scale(dst, dst.Bounds(), src, b, xdraw.Src, nil)
	return dst
}
