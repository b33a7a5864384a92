package account

import (
	"fmt"
	"io"
	"time"

	"github.com/go-pdf/fpdf"
	"golang.org/x/text/encoding/charmap"
)

// Every invoice of an export is also a PDF under invoices/, named by its
// number, that an accountant can file without Offboard: the company, the
// freelancer and contract, the dates, the line, the amount and currency and
// the status, as real text (a PDF reader can search and copy it). The
// PDFs use the standard Helvetica font, which every PDF reader has, so no
// font travels in the file; its character set is Windows-1252, and a
// character outside it prints as "?" (the JSON keeps the exact text).

// pdfText turns text into Windows-1252, the encoding of the standard PDF
// fonts, with "?" for what it cannot hold and a space for control characters.
func pdfText(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		c, ok := charmap.Windows1252.EncodeRune(r)
		switch {
		case r < 0x20 || r == 0x7f:
			c = ' '
		case !ok:
			c = '?'
		}
		b = append(b, c)
	}
	return string(b)
}

// invoiceDoc is what an invoice's PDF shows.
type invoiceDoc struct {
	Company  string
	Invoice  *Invoice
	Contract *Contract // nil when the invoice names no contract in the account
	Created  time.Time // when the export was made
}

// writeInvoicePDF renders one invoice as a one-page A4 PDF.
func writeInvoicePDF(w io.Writer, d invoiceDoc) error {
	inv := d.Invoice
	pdf := fpdf.New("P", "mm", "A4", "")
	// The ZIP compresses every entry outside files/ already.
	pdf.SetCompression(false)
	// Same invoice, same bytes: fpdf otherwise writes its catalog in map order.
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(d.Created)
	pdf.SetModificationDate(d.Created)
	pdf.SetCreator("Offboard", false)
	pdf.SetTitle(pdfText("Invoice "+inv.Number), false)
	pdf.SetAuthor(pdfText(d.Company), false)
	pdf.SetMargins(20, 20, 20)
	pdf.SetAutoPageBreak(true, 20)
	pdf.AddPage()

	pdf.SetFont("Helvetica", "B", 20)
	pdf.CellFormat(0, 10, pdfText("Invoice "+inv.Number), "", 1, "L", false, 0, "")
	pdf.SetFont("Helvetica", "", 10)
	pdf.SetTextColor(90, 90, 90)
	pdf.CellFormat(0, 6, pdfText("Status: "+string(inv.Status)), "", 1, "L", false, 0, "")
	pdf.SetTextColor(0, 0, 0)
	pdf.Ln(4)

	freelancer, title := "", ""
	if c := d.Contract; c != nil {
		freelancer = c.Freelancer
		title = fmt.Sprintf("%s (contract #%d, %s)", c.Title, c.ID, c.Type)
	} else if inv.ContractID != 0 {
		title = fmt.Sprintf("contract #%d", inv.ContractID)
	}
	facts := [][2]string{
		{"Billed to", d.Company},
		{"Freelancer", freelancer},
		{"Contract", title},
		{"Invoice date", isoDay(inv.Date)},
		{"Due", isoDay(inv.Due)},
		{"Paid", isoDay(inv.Paid)},
		{"Currency", inv.Amount.Currency},
	}
	for _, f := range facts {
		if f[1] == "" {
			continue
		}
		pdf.SetFont("Helvetica", "B", 10)
		pdf.CellFormat(35, 6, pdfText(f[0]), "", 0, "L", false, 0, "")
		pdf.SetFont("Helvetica", "", 10)
		pdf.MultiCell(0, 6, pdfText(f[1]), "", "L", false)
	}
	pdf.Ln(6)

	pdf.SetFont("Helvetica", "B", 10)
	pdf.SetFillColor(235, 235, 235)
	pdf.CellFormat(120, 8, "Description", "B", 0, "L", true, 0, "")
	pdf.CellFormat(0, 8, "Amount", "B", 1, "R", true, 0, "")
	pdf.SetFont("Helvetica", "", 10)
	line := "Work"
	if c := d.Contract; c != nil {
		line = "Work on " + c.Title
	}
	pdf.CellFormat(120, 8, pdfText(line), "B", 0, "L", false, 0, "")
	pdf.CellFormat(0, 8, pdfText(inv.Amount.String()), "B", 1, "R", false, 0, "")
	pdf.SetFont("Helvetica", "B", 11)
	pdf.CellFormat(120, 9, "Total", "", 0, "R", false, 0, "")
	pdf.CellFormat(0, 9, pdfText(inv.Amount.String()), "", 1, "R", false, 0, "")

	pdf.Ln(10)
	pdf.SetFont("Helvetica", "", 8)
	pdf.SetTextColor(110, 110, 110)
	pdf.MultiCell(0, 4, pdfText(fmt.Sprintf("Exported from Offboard on %s with the rest of the account of %s. invoices.json holds this invoice's exact data (item %d).",
		d.Created.UTC().Format("2006-01-02"), d.Company, inv.ID)), "", "L", false)
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("invoice %s as PDF: %w", inv.Number, err)
	}
	return nil
}

// writeInvoicePDFs writes every invoice's PDF into entries made by open,
// named as the invoices page links them.
func (ps *pageSet) writeInvoicePDFs(open func(string) (io.Writer, error)) error {
	return ps.a.View(func(tx *Tx) error {
		defer dropMapping(tx.tx)
		names := invoiceNamer{}
		return Each(tx, func(i *Invoice) error {
			d := invoiceDoc{Company: ps.company, Invoice: i, Created: ps.createdAt}
			if i.ContractID != 0 {
				var c Contract
				if err := tx.Get(i.ContractID, &c); err == nil {
					d.Contract = &c
				}
			}
			ew, err := open(names.name(i))
			if err != nil {
				return err
			}
			return writeInvoicePDF(ew, d)
		})
	})
}
