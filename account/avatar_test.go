package account

import (
	"bytes"
	"image"
	"image/png"
	"testing"
)

// The sample's picture must read as a logo on the avatar: a light mark
// inside, and its rim the same colour as its background (no ring that looks
// like a focus ring round an empty disc).
func TestSampleAvatarIsARecognisableLogo(t *testing.T) {
	img, err := png.Decode(bytes.NewReader(sampleAvatar()))
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	lum := func(x, y int) uint32 {
		r, g, bl, _ := img.At(x, y).RGBA()
		return (r*299 + g*587 + bl*114) / 1000 >> 8
	}
	light := 0
	c := image.Rect(b.Dx()/4, b.Dy()/4, 3*b.Dx()/4, 3*b.Dy()/4)
	for y := c.Min.Y; y < c.Max.Y; y++ {
		for x := c.Min.X; x < c.Max.X; x++ {
			if lum(x, y) > 200 {
				light++
			}
		}
	}
	if share := float64(light) / float64(c.Dx()*c.Dy()); share < 0.15 || share > 0.7 {
		t.Errorf("the middle of the picture is %.0f%% light: no mark to recognise", share*100)
	}
	// Between the rim and the mark everything is the background colour.
	bg := img.At(b.Dx()/2, 4)
	for _, p := range []image.Point{{b.Dx() / 2, b.Dy() / 8}, {b.Dx() / 8, b.Dy() / 2}, {b.Dx() - 5, b.Dy() / 2}, {b.Dx() / 2, b.Dy() - 5}} {
		if img.At(p.X, p.Y) != bg {
			t.Errorf("the picture has a ring: %v at %v, %v at the rim", img.At(p.X, p.Y), p, bg)
		}
	}
}
