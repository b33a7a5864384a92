package account

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"unicode/utf16"
)

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

// The PDFs' text is in WinAnsiEncoding: these letters have their own code
// there, and these others are written as their plain letter.
var (
	winAnsi     = map[rune]byte{'€': 0x80, '…': 0x85, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97, 'Š': 0x8a, 'š': 0x9a, 'Ž': 0x8e, 'ž': 0x9e}
	plainLetter = map[rune]byte{'Ş': 'S', 'ş': 's', 'ě': 'e', 'č': 'c', 'ř': 'r', 'ł': 'l', 'ń': 'n', 'ğ': 'g', 'ı': 'i', 'İ': 'I'}
)
