package account

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"time"
)

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
