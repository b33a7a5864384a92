package account

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
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
	"unicode/utf16"

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

// ---------------------------------------------------------------- text documents

type docPara struct {
	text    string
	heading bool
}

func (c *fileContent) intro() []docPara {
	return []docPara{
		{text: c.title(), heading: true},
		{text: fmt.Sprintf("%s · %s · %s", c.company, c.contract.Freelancer, c.date.Format("2 January 2006"))},
	}
}

func (c *fileContent) briefParas() []docPara {
	j := c.job
	p := c.intro()
	p = append(p,
		docPara{text: "Background", heading: true},
		docPara{text: fmt.Sprintf("%s is a small design and product studio. We are looking for help with %s, and this brief sets out what we need, by when and how we will work together.", c.company, strings.ToLower(j.title))},
		docPara{text: "What we need", heading: true})
	for i, t := range j.things {
		p = append(p, docPara{text: fmt.Sprintf("%d. %s%s, reviewed with %s before it is final.", i+1, strings.ToUpper(t[:1]), t[1:], c.client)})
	}
	p = append(p,
		docPara{text: "Timeline", heading: true},
		docPara{text: fmt.Sprintf("We would like to start in the week of %s and see a first draft within %d working days. Feedback comes back within two working days.", c.contract.Start.Format("2 January"), 5+c.rnd.IntN(10))},
		docPara{text: "Budget", heading: true},
		docPara{text: fmt.Sprintf("The contract is %s at %s. Invoices are paid within fourteen days.", c.contract.Type, c.contract.Rate)})
	return p
}

func (c *fileContent) reportParas() []docPara {
	p := c.intro()
	p = append(p, docPara{text: "Summary", heading: true},
		docPara{text: fmt.Sprintf("Work on %s is on track. Since the last report I finished the %s and started on the %s.", strings.ToLower(c.job.title), c.thing(), c.thing())},
		docPara{text: "Done this period", heading: true})
	for _, t := range c.job.things {
		p = append(p, docPara{text: fmt.Sprintf("• %s: %d%% complete.", strings.ToUpper(t[:1])+t[1:], 40+c.rnd.IntN(61))})
	}
	p = append(p, docPara{text: "Next steps", heading: true},
		docPara{text: fmt.Sprintf("Review the %s with %s, then prepare the hand-over. Open questions are listed in the thread.", c.thing(), c.client)})
	return p
}

func (c *fileContent) estimateRows() ([][2]string, Money) {
	var rows [][2]string
	var total int64
	for _, t := range c.job.things {
		hours := 4 + c.rnd.IntN(30)
		rate := c.contract.Rate.Cents
		if c.contract.Type == Fixed {
			rate = max(2500, c.contract.Rate.Cents/int64(10*len(c.job.things)))
		}
		amount := rate * int64(hours)
		total += amount
		rows = append(rows, [2]string{fmt.Sprintf("%s (%d h)", t, hours), Money{Cents: amount, Currency: c.contract.Rate.Currency}.String()})
	}
	return rows, Money{Cents: total, Currency: c.contract.Rate.Currency}
}

func (c *fileContent) brief(target int) ([]byte, error) {
	return c.pdf(c.briefParas(), target, "Reference images")
}

func (c *fileContent) report(target int) ([]byte, error) {
	return c.pdf(c.reportParas(), target, "Appendix: photos from the review")
}

func (c *fileContent) estimate(int) ([]byte, error) {
	p := c.intro()
	p = append(p, docPara{text: "Estimate", heading: true},
		docPara{text: fmt.Sprintf("This estimate for %s is valid for thirty days.", strings.ToLower(c.job.title))})
	rows, total := c.estimateRows()
	for _, r := range rows {
		p = append(p, docPara{text: r[0] + " — " + r[1]})
	}
	p = append(p, docPara{text: "Total: " + total.String(), heading: true},
		docPara{text: "Payment within fourteen days of each invoice. Thank you for the opportunity."})
	return c.pdf(p, 0, "")
}

func (c *fileContent) notesParas() []docPara {
	p := c.intro()
	p = append(p, docPara{text: "Attendees", heading: true},
		docPara{text: c.client + ", " + c.contract.Freelancer},
		docPara{text: "Discussed", heading: true})
	for range 3 {
		p = append(p, docPara{text: fmt.Sprintf("The %s: %s", c.thing(), sampleNoteLines[c.rnd.IntN(len(sampleNoteLines))])})
	}
	p = append(p, docPara{text: "Actions", heading: true},
		docPara{text: fmt.Sprintf("%s sends the next draft by %s.", firstName(c.contract.Freelancer), c.date.AddDate(0, 0, 3+c.rnd.IntN(5)).Format("Monday 2 January"))},
		docPara{text: fmt.Sprintf("%s collects feedback from the team.", firstName(c.client))})
	return p
}

var sampleNoteLines = []string{
	"agreed to keep the current direction and tighten the details.",
	"two options are still open; we pick one after the team has seen both.",
	"needs another pass once the new copy arrives.",
	"is approved as it is.",
	"moves to the next milestone so the launch date holds.",
	"gets simpler: fewer variants, clearer labels.",
}

func (c *fileContent) notes(int) ([]byte, error) { return docx(c.notesParas()) }

func (c *fileContent) statementOfWork(int) ([]byte, error) {
	p := c.intro()
	p = append(p, docPara{text: "Scope", heading: true},
		docPara{text: fmt.Sprintf("%s engages %s for %s.", c.company, c.contract.Freelancer, strings.ToLower(c.job.title))})
	for _, t := range c.job.things {
		p = append(p, docPara{text: "Deliverable: " + t + "."})
	}
	p = append(p, docPara{text: "Terms", heading: true},
		docPara{text: fmt.Sprintf("%s contract at %s. Work starts on %s.", strings.ToUpper(string(c.contract.Type[:1]))+string(c.contract.Type[1:]), c.contract.Rate, c.contract.Start.Format("2 January 2006"))},
		docPara{text: "Either side may end the contract with seven days' notice. Work delivered up to then is paid."})
	return docx(p)
}

// ---------------------------------------------------------------- CSV and ZIP

// timesheet writes one row per block of logged work, as many as fill the
// target size. Rows are appended by hand: the large sample writes millions.
func (c *fileContent) timesheet(target int) ([]byte, error) {
	var head bytes.Buffer
	w := csv.NewWriter(&head)
	w.Write([]string{"date", "freelancer", "task", "hours", "rate", "amount"})
	w.Flush()
	b := head.Bytes()
	day := c.contract.Start
	rate := c.contract.Rate
	if c.contract.Type == Fixed {
		rate.Cents = 5000
	}
	name := csvField(c.contract.Freelancer)
	things := make([]string, len(c.job.things))
	for i, t := range c.job.things {
		things[i] = csvField(t)
	}
	date := day.Format("2006-01-02")
	for rows := 0; rows < 8 || len(b) < target; rows++ {
		quarters := int64(2 + c.rnd.IntN(22))
		b = append(b, date...)
		b = append(b, ',')
		b = append(b, name...)
		b = append(b, ',')
		b = append(b, things[c.rnd.IntN(len(things))]...)
		b = append(b, ',')
		b = appendCents(b, quarters*25)
		b = append(b, ',')
		b = appendCents(b, rate.Cents)
		b = append(b, ',')
		b = appendCents(b, rate.Cents*quarters/4)
		b = append(b, '\n')
		if c.rnd.IntN(3) == 0 {
			day = day.AddDate(0, 0, 1)
			date = day.Format("2006-01-02")
		}
	}
	return b, nil
}

// csvField quotes s the way encoding/csv would.
func csvField(s string) string {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{s})
	w.Flush()
	return strings.TrimSuffix(b.String(), "\n")
}

func appendCents(b []byte, c int64) []byte {
	b = strconv.AppendInt(b, c/100, 10)
	b = append(b, '.', byte('0'+c%100/10), byte('0'+c%10))
	return b
}

// deliverables packs a README, a colour palette and a final image; the
// image takes up whatever size the target asks for.
func (c *fileContent) deliverables(target int) ([]byte, error) {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	add := func(name string, method uint16, data []byte) error {
		w, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: method, Modified: c.date})
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	}
	readme := fmt.Sprintf("%s\r\n\r\nFinal files for %s, delivered by %s on %s.\r\n\r\nfinal.png   the approved design\r\npalette.csv the colours, as hex\r\n",
		c.title(), c.company, c.contract.Freelancer, c.date.Format("2 January 2006"))
	var pal bytes.Buffer
	pal.WriteString("name,hex\r\n")
	for i, col := range palettes[c.rnd.IntN(len(palettes))] {
		fmt.Fprintf(&pal, "%s,#%02x%02x%02x\r\n", []string{"primary", "accent", "ink"}[i], col.R, col.G, col.B)
	}
	final, err := c.mockup(max(0, target-4096))
	if err != nil {
		return nil, err
	}
	for _, f := range []struct {
		name   string
		method uint16
		data   []byte
	}{{"README.txt", zip.Deflate, []byte(readme)}, {"palette.csv", zip.Deflate, pal.Bytes()}, {"final.png", zip.Store, final}} {
		if err := add(f.name, f.method, f.data); err != nil {
			return nil, fmt.Errorf("write ZIP: %w", err)
		}
	}
	if err := z.Close(); err != nil {
		return nil, fmt.Errorf("write ZIP: %w", err)
	}
	return b.Bytes(), nil
}

// ---------------------------------------------------------------- DOCX

// docx writes a minimal Office Open XML document: content types, the
// package relationship and the document body, which word processors open.
func docx(paras []docPara) ([]byte, error) {
	var body strings.Builder
	for _, p := range paras {
		body.WriteString("<w:p>")
		if p.heading {
			body.WriteString(`<w:pPr><w:spacing w:before="240" w:after="120"/></w:pPr><w:r><w:rPr><w:b/><w:sz w:val="28"/></w:rPr>`)
		} else {
			body.WriteString("<w:r>")
		}
		body.WriteString(`<w:t xml:space="preserve">`)
		body.WriteString(xmlText(p.text))
		body.WriteString("</w:t></w:r></w:p>")
	}
	files := []struct{ name, data string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body.String() +
			`<w:sectPr><w:pgSz w:w="12240" w:h="15840"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="720" w:footer="720" w:gutter="0"/></w:sectPr></w:body></w:document>`},
	}
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, f := range files {
		w, err := z.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return nil, fmt.Errorf("write DOCX: %w", err)
		}
		if _, err := w.Write([]byte(f.data)); err != nil {
			return nil, fmt.Errorf("write DOCX: %w", err)
		}
	}
	if err := z.Close(); err != nil {
		return nil, fmt.Errorf("write DOCX: %w", err)
	}
	return b.Bytes(), nil
}

func xmlText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ---------------------------------------------------------------- PDF

// pdf lays the paragraphs out on Letter pages in Helvetica, then adds
// photo pages (raw RGB images) until the file reaches target bytes.
func (c *fileContent) pdf(paras []docPara, target int, appendix string) ([]byte, error) {
	const (
		pageW, pageH = 612, 792
		margin       = 72
		body, head   = 11.0, 15.0
	)
	type line struct {
		text string
		size float64
		bold bool
	}
	var lines []line
	for _, p := range paras {
		size, width := body, 88
		if p.heading {
			size, width = head, 60
		}
		for _, l := range wrap(p.text, width) {
			lines = append(lines, line{text: l, size: size, bold: p.heading})
		}
		lines = append(lines, line{size: body * 0.5})
	}
	var d pdfWriter
	var pages []string
	var content strings.Builder
	y := float64(pageH - margin)
	flush := func() {
		pages = append(pages, content.String())
		content.Reset()
		y = pageH - margin
	}
	for _, l := range lines {
		if y-l.size*1.4 < margin {
			flush()
		}
		y -= l.size * 1.4
		if l.text == "" {
			continue
		}
		font := "F1"
		if l.bold {
			font = "F2"
		}
		fmt.Fprintf(&content, "BT /%s %.0f Tf %d %.1f Td (%s) Tj ET\n", font, l.size, margin, y, pdfString(l.text))
	}
	flush()
	// Photo pages: each holds one image of at most imageBytes.
	type photoPage struct {
		w, h int
		img  []byte
	}
	var photos []photoPage
	const imageBytes = 1400 * 1000 * 3
	for rest := target - 4096*len(pages); rest > 64<<10; rest -= imageBytes {
		w, h := 1400, 1000
		if rest < imageBytes {
			// The last photo is smaller, in the same proportions.
			k := math.Sqrt(float64(rest) / imageBytes)
			w, h = max(64, int(1400*k)), max(64, int(1000*k))
		}
		rgb := make([]byte, w*h*3)
		c.paint(rgb, w, h, 3)
		photos = append(photos, photoPage{w, h, rgb})
	}
	catalog := d.reserve()
	pagesObj := d.reserve()
	f1 := d.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	f2 := d.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
	res := fmt.Sprintf("/Font << /F1 %d 0 R /F2 %d 0 R >>", f1, f2)
	var kids []string
	addPage := func(stream, resources string) {
		cs := d.addStream("", []byte(stream))
		kids = append(kids, fmt.Sprintf("%d 0 R", d.add(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] /Resources << %s >> /Contents %d 0 R >>", pagesObj, pageW, pageH, resources, cs))))
	}
	for _, p := range pages {
		addPage(p, res)
	}
	for i, p := range photos {
		im := d.addStream(fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8", p.w, p.h), p.img)
		// Fit the photo in the page's text area, keeping its aspect.
		dw := float64(pageW - 2*margin)
		dh := dw * float64(p.h) / float64(p.w)
		if dh > pageH-2*margin-60 {
			dh = pageH - 2*margin - 60
			dw = dh * float64(p.w) / float64(p.h)
		}
		stream := fmt.Sprintf("BT /F2 %.0f Tf %d %d Td (%s) Tj ET\nq %.1f 0 0 %.1f %d %.1f cm /Im1 Do Q\n",
			head, margin, pageH-margin-int(head), pdfString(fmt.Sprintf("%s (%d of %d)", appendix, i+1, len(photos))), dw, dh, margin, pageH-margin-40-dh)
		addPage(stream, fmt.Sprintf("%s /XObject << /Im1 %d 0 R >>", res, im))
	}
	d.set(pagesObj, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(kids)))
	d.set(catalog, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", pagesObj))
	info := d.add(fmt.Sprintf("<< /Title %s /Author %s /CreationDate (D:%s) >>",
		pdfTextString(c.title()), pdfTextString(c.author()), c.date.UTC().Format("20060102150405Z")))
	return d.bytes(catalog, info), nil
}

func (c *fileContent) author() string {
	if c.doc.fromClient {
		return c.client
	}
	return c.contract.Freelancer
}

// wrap breaks s into lines of at most width characters at spaces.
func wrap(s string, width int) []string {
	var out []string
	var cur strings.Builder
	for _, w := range strings.Fields(s) {
		if cur.Len() > 0 && len([]rune(cur.String()))+1+len([]rune(w)) > width {
			out = append(out, cur.String())
			cur.Reset()
		}
		if cur.Len() > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(w)
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// pdfString encodes s in WinAnsi (the standard fonts' encoding) inside a
// PDF literal string; letters WinAnsi lacks lose their accent.
func pdfString(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '(' || r == ')' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x80:
			b.WriteRune(r)
		case r >= 0xa0 && r <= 0xff:
			fmt.Fprintf(&b, "\\%03o", r)
		default:
			if c, ok := winAnsi[r]; ok {
				fmt.Fprintf(&b, "\\%03o", c)
			} else if a, ok := plainLetter[r]; ok {
				b.WriteByte(a)
			} else {
				b.WriteByte('?')
			}
		}
	}
	return b.String()
}

// pdfTextString writes s as a PDF text string (the document information's
// encoding, unlike page text): UTF-16BE with its byte order mark, in hex.
func pdfTextString(s string) string {
	var b strings.Builder
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteString(">")
	return b.String()
}

var (
	winAnsi     = map[rune]byte{'€': 0x80, '…': 0x85, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97, 'Š': 0x8a, 'š': 0x9a, 'Ž': 0x8e, 'ž': 0x9e}
	plainLetter = map[rune]byte{'Ş': 'S', 'ş': 's', 'ě': 'e', 'č': 'c', 'ř': 'r', 'ł': 'l', 'ń': 'n', 'ğ': 'g', 'ı': 'i', 'İ': 'I'}
)

// pdfWriter collects numbered objects and writes them with their
// cross-reference table.
type pdfWriter struct {
	objs    [][]byte
	streams map[int][]byte // an object's stream data, written after its dictionary
}

func (d *pdfWriter) reserve() int { d.objs = append(d.objs, nil); return len(d.objs) }

func (d *pdfWriter) set(n int, dict string) { d.objs[n-1] = []byte(dict) }

func (d *pdfWriter) add(dict string) int { d.objs = append(d.objs, []byte(dict)); return len(d.objs) }

func (d *pdfWriter) addStream(dict string, data []byte) int {
	n := d.add(fmt.Sprintf("<< %s /Length %d >>", dict, len(data)))
	if d.streams == nil {
		d.streams = map[int][]byte{}
	}
	d.streams[n] = data
	return n
}

func (d *pdfWriter) bytes(root, info int) []byte {
	var b bytes.Buffer
	size := 1 << 12
	for i, o := range d.objs {
		size += len(o) + len(d.streams[i+1]) + 64
	}
	b.Grow(size)
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(d.objs))
	for i, o := range d.objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n", i+1)
		b.Write(o)
		if data, ok := d.streams[i+1]; ok {
			b.WriteString("\nstream\n")
			b.Write(data)
			b.WriteString("\nendstream")
		}
		b.WriteString("\nendobj\n")
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(d.objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(d.objs)+1, root, info, xref)
	return b.Bytes()
}
