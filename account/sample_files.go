package account

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// The sample's attachments are real files of the type their names say, drawn
// and written here so that an export opens file by file in ordinary
// programs. Each file has its own seed, so files can be made in any order
// (and on another goroutine) and still come out the same.

// sampleDoc is one kind of document a contract's thread carries.
type sampleDoc struct {
	label, ext, media string
	fromClient        bool // the client sends it; otherwise the freelancer
	sized             bool // it can grow to any size the sample asks for
	make              func(c *fileContent, target int) ([]byte, error)
}

var sampleDocs = []sampleDoc{
	{label: "brief", ext: ".pdf", media: "application/pdf", fromClient: true, sized: true, make: (*fileContent).brief},
	{label: "mock-up", ext: ".png", media: "image/png", sized: true, make: (*fileContent).mockup},
	{label: "estimate", ext: ".pdf", media: "application/pdf", make: (*fileContent).estimate},
	{label: "timesheet", ext: ".csv", media: "text/csv", sized: true, make: (*fileContent).timesheet},
	{label: "reference photo", ext: ".jpg", media: "image/jpeg", fromClient: true, make: (*fileContent).photoJPEG},
	{label: "meeting notes", ext: ".docx", media: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", make: (*fileContent).notes},
	{label: "deliverables", ext: ".zip", media: "application/zip", sized: true, make: (*fileContent).deliverables},
	{label: "progress report", ext: ".pdf", media: "application/pdf", sized: true, make: (*fileContent).report},
	{label: "weekly figures", ext: ".png", media: "image/png", sized: true, make: (*fileContent).chart},
	{label: "statement of work", ext: ".docx", media: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", fromClient: true, make: (*fileContent).statementOfWork},
}

// fileContent is what one file is about: the contract it belongs to, who
// wrote it and when, and its own random stream.
type fileContent struct {
	job        *sampleJob
	contract   *Contract
	client     string // the client's contact
	company    string
	date       time.Time
	rnd        *rand.Rand
	doc        *sampleDoc
	targetSize int
}

func (c *fileContent) make() ([]byte, error) {
	return c.doc.make(c, c.targetSize)
}

func (c *fileContent) title() string {
	return c.job.short + " — " + c.doc.label
}

func (c *fileContent) thing() string { return c.job.things[c.rnd.IntN(len(c.job.things))] }

// ---------------------------------------------------------------- images

var (
	inkDark  = color.RGBA{0x22, 0x2b, 0x33, 0xff}
	inkMid   = color.RGBA{0x8a, 0x94, 0x9e, 0xff}
	inkLight = color.RGBA{0xe4, 0xe8, 0xec, 0xff}
	paper    = color.RGBA{0xfb, 0xfc, 0xfd, 0xff}
	palettes = [][]color.RGBA{
		{{0x14, 0x7a, 0x78, 0xff}, {0xf2, 0xa6, 0x3b, 0xff}, {0x0e, 0x4f, 0x5c, 0xff}},
		{{0x5b, 0x4b, 0xc4, 0xff}, {0xf0, 0x5d, 0x5e, 0xff}, {0x2d, 0x2a, 0x5a, 0xff}},
		{{0x2f, 0x85, 0x4a, 0xff}, {0xe8, 0xc5, 0x47, 0xff}, {0x1d, 0x3b, 0x2a, 0xff}},
		{{0xc2, 0x41, 0x0c, 0xff}, {0x38, 0x82, 0xc4, 0xff}, {0x3a, 0x24, 0x1b, 0xff}},
	}
)

func fill(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	draw.Draw(img, r.Intersect(img.Bounds()), &image.Uniform{c}, image.Point{}, draw.Src)
}

// label writes s at (x, y) (the baseline) in a small bitmap face; scale
// enlarges it by repeating pixels, so headings read at a glance.
func label(img *image.RGBA, x, y int, s string, c color.RGBA, scale int) {
	if scale <= 1 {
		d := font.Drawer{Dst: img, Src: &image.Uniform{c}, Face: basicfont.Face7x13, Dot: fixed.P(x, y)}
		d.DrawString(s)
		return
	}
	w := font.MeasureString(basicfont.Face7x13, s).Ceil()
	small := image.NewRGBA(image.Rect(0, 0, w+1, 16))
	d := font.Drawer{Dst: small, Src: &image.Uniform{c}, Face: basicfont.Face7x13, Dot: fixed.P(0, 12)}
	d.DrawString(s)
	top := y - 12*scale
	for sy := range 16 {
		for sx := range w + 1 {
			p := small.RGBAAt(sx, sy)
			if p.A == 0 {
				continue
			}
			fill(img, image.Rect(x+sx*scale, top+sy*scale, x+(sx+1)*scale, top+(sy+1)*scale), c)
		}
	}
}

// bigImage is the target size from which an image is drawn to fill it
// (stored without compression, so it is quick to make) rather than at its
// natural size.
const bigImage = 256 << 10

// sizeFor picks a width and height of about the given aspect whose raw RGB
// pixels take about target bytes, and whether that is the large, stored
// form. A picture is never drawn smaller than its natural size (its text
// would not fit): a small target gives the natural, compressed picture, a
// target up to the natural size the natural picture stored.
func sizeFor(target int, w, h int) (int, int, bool) {
	if target < bigImage {
		return w, h, false
	}
	if target < w*h*3 {
		return w, h, true
	}
	k := math.Sqrt(float64(target) / float64(w*h*3))
	return int(float64(w) * k), int(float64(h) * k), true
}

// encodePNG writes img; a target past the natural size means an image
// drawn that large, stored without compression so it is quick to make.
func encodePNG(img image.Image, big bool) ([]byte, error) {
	e := png.Encoder{CompressionLevel: png.BestSpeed}
	if big {
		e.CompressionLevel = png.NoCompression
	}
	var b bytes.Buffer
	if big {
		// Stored rows: the pixels, a filter byte per row, a little framing.
		r := img.Bounds()
		b.Grow(r.Dx()*r.Dy()*3 + r.Dy()*2 + 64<<10)
	}
	if err := e.Encode(&b, img); err != nil {
		return nil, fmt.Errorf("encode PNG: %w", err)
	}
	return b.Bytes(), nil
}

// mockup draws a web page wireframe: navigation, a hero, cards with text.
func (c *fileContent) mockup(target int) ([]byte, error) {
	w, h, big := sizeFor(target, 960, 600)
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	pal := palettes[c.rnd.IntN(len(palettes))]
	fill(img, img.Bounds(), paper)
	s := max(1, w/960)
	u := func(v int) int { return v * w / 1280 }
	v := func(y int) int { return y * h / 800 }
	fill(img, image.Rect(0, 0, w, v(64)), pal[2])
	label(img, u(32), v(40), c.company, paper, 2*s)
	for i, item := range []string{"Work", "Services", "About", "Contact"} {
		label(img, u(760+i*110), v(38), item, inkLight, s)
	}
	fill(img, image.Rect(u(32), v(96), u(1248), v(360)), pal[0])
	label(img, u(72), v(200), c.job.short, paper, 3*s)
	label(img, u(72), v(250), "Draft "+strconv.Itoa(1+c.rnd.IntN(4))+" by "+c.contract.Freelancer, inkLight, s)
	fill(img, image.Rect(u(72), v(290), u(240), v(330)), pal[1])
	label(img, u(96), v(316), "Get started", inkDark, s)
	first := c.rnd.IntN(len(c.job.things))
	for i := range 3 {
		x := u(32 + i*410)
		fill(img, image.Rect(x, v(392), x+u(390), v(760)), inkLight)
		fill(img, image.Rect(x+u(20), v(412), x+u(370), v(560)), pal[i%len(pal)])
		t := c.job.things[(first+i)%len(c.job.things)]
		label(img, x+u(20), v(596), strings.ToUpper(t[:1])+t[1:], inkDark, s)
		for l := range 4 {
			fill(img, image.Rect(x+u(20), v(620+l*28), x+u(370-c.rnd.IntN(120)), v(632+l*28)), inkMid)
		}
	}
	return encodePNG(img, big)
}

// chart draws a bar chart of weekly hours with axes and labels.
func (c *fileContent) chart(target int) ([]byte, error) {
	w, h, big := sizeFor(target, 960, 560)
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	pal := palettes[c.rnd.IntN(len(palettes))]
	fill(img, img.Bounds(), paper)
	s := max(1, w/960)
	u := func(v int) int { return v * w / 1200 }
	v := func(y int) int { return y * h / 700 }
	// The bitmap face has no dash, hence the colon.
	label(img, u(60), v(60), c.job.short+": hours per week", inkDark, 2*s)
	left, bottom, top, right := u(100), v(620), v(110), u(1140)
	fill(img, image.Rect(left, top, left+max(1, s), bottom), inkDark)
	fill(img, image.Rect(left, bottom, right, bottom+max(1, s)), inkDark)
	for g := 1; g <= 4; g++ {
		y := bottom - (bottom-top)*g/4
		fill(img, image.Rect(left+1, y, right, y+max(1, s)), inkLight)
		label(img, u(50), y+4, strconv.Itoa(g*10), inkMid, s)
	}
	weeks := 12
	bw := (right - left) / weeks
	week := c.date.AddDate(0, 0, -7*weeks)
	for i := range weeks {
		hours := 8 + c.rnd.IntN(32)
		bh := (bottom - top) * hours / 40
		x := left + i*bw + bw/6
		fill(img, image.Rect(x, bottom-bh, x+bw*2/3, bottom), pal[i%2])
		label(img, x, bottom+v(24), week.AddDate(0, 0, 7*i).Format("Jan 2"), inkMid, s)
	}
	return encodePNG(img, big)
}

// photo paints a landscape of nothing in particular: a sky, hills and a
// sun, with a little grain so it looks like a photograph. It works in
// integers row by row, since the large sample paints hundreds of them.
func (c *fileContent) photo(w, h int) *image.RGBA {
	img := &image.RGBA{Pix: make([]byte, w*h*4), Stride: w * 4, Rect: image.Rect(0, 0, w, h)}
	c.paint(img.Pix, w, h, 4)
	return img
}

// paint draws the landscape into pix, w by h pixels of bpp bytes (RGB or
// RGBA, the alpha left opaque).
func (c *fileContent) paint(pix []byte, w, h, bpp int) {
	r := c.rnd
	skyTop := [3]float64{40 + r.Float64()*60, 90 + r.Float64()*60, 160 + r.Float64()*80}
	skyLow := [3]float64{200 + r.Float64()*55, 170 + r.Float64()*60, 140 + r.Float64()*80}
	hill := [3]int{40 + r.IntN(60), 80 + r.IntN(60), 40 + r.IntN(40)}
	sunX, sunY, sunR := int(float64(w)*(0.2+0.6*r.Float64())), int(float64(h)*(0.15+0.25*r.Float64())), max(1, h*7/100)
	f1, f2, ph := 2+r.Float64()*4, 5+r.Float64()*9, r.Float64()*6
	seed := r.Uint32()
	ridge := make([]int, w)
	for x := range ridge {
		fx := float64(x) / float64(w)
		ridge[x] = int(float64(h) * (0.55 + 0.08*math.Sin(fx*f1+ph) + 0.03*math.Sin(fx*f2*3+ph*2)))
	}
	var sky [3]int
	for y := range h {
		row := pix[y*w*bpp : (y+1)*w*bpp]
		fy := float64(y) / float64(h) / 0.6
		for k := range 3 {
			sky[k] = int(skyTop[k] + (skyLow[k]-skyTop[k])*min(1, fy))
		}
		dy := y - sunY
		for x := range w {
			var px [3]int
			if y > ridge[x] {
				// Darker further down the slope: shade in 1/256ths.
				shade := max(40, 256-(y-ridge[x])*230/h)
				px = [3]int{hill[0] * shade >> 8, hill[1] * shade >> 8, hill[2] * shade >> 8}
			} else if dx := x - sunX; dx*dx+dy*dy < sunR*sunR {
				px = [3]int{255, 240, 200}
			} else {
				px = sky
			}
			// A cheap hash of the position for grain: the same every run.
			n := (uint32(x)*0x9e3779b1 + uint32(y)*0x85ebca77) ^ seed
			n ^= n >> 13
			n *= 0xc2b2ae35
			n ^= n >> 16
			g := int(n&15) - 8
			o := x * bpp
			row[o] = clamp8(px[0] + g)
			row[o+1] = clamp8(px[1] + g)
			row[o+2] = clamp8(px[2] + g)
			if bpp == 4 {
				row[o+3] = 0xff
			}
		}
	}
}

func clamp8(v int) uint8 { return uint8(min(255, max(0, v))) }

func (c *fileContent) photoJPEG(int) ([]byte, error) {
	img := c.photo(960, 640)
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 82}); err != nil {
		return nil, fmt.Errorf("encode JPEG: %w", err)
	}
	return b.Bytes(), nil
}
