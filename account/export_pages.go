package account

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"offboard/account/archive"
)

// The browsable view of an export: index.html at the top, one page per kind
// under pages/, one page per message thread under pages/threads/. Every
// page stands alone (inline CSS, no script, no font, nothing fetched from
// anywhere) and links only to other entries of the same export, by
// relative path, so that it opens from the extracted folder in any browser
// long after Offboard is gone. Each page is written as its records are
// read, one record at a time, so memory does not grow with the account.

// IndexName is the entry of an export a person opens first.
const IndexName = "index.html"

// pageCSS reads well in light and dark and prints without the navigation.
const pageCSS = `
:root { color-scheme: light dark; --fg: #1d1d1f; --bg: #ffffff; --muted: #5f6368; --line: #d9dce0; --head: #f3f4f6; --link: #0b57d0; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e8eaed; --bg: #16181c; --muted: #a0a4aa; --line: #3a3d42; --head: #22252a; --link: #8ab4f8; }
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 72rem; padding: 1.5rem; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--link); }
nav { font-size: 0.9rem; color: var(--muted); }
nav a { margin-right: 0.6rem; }
h1 { font-size: 1.6rem; margin: 0.6rem 0 0.2rem; }
.lead, footer, .muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
th, td { text-align: left; vertical-align: top; padding: 0.35rem 0.6rem; border-bottom: 1px solid var(--line); }
th { background: var(--head); position: sticky; top: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td img { max-width: 12rem; max-height: 8rem; margin-top: 0.3rem; border: 1px solid var(--line); }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; }
dt { font-weight: 600; }
dd { margin: 0; }
.msg { border-bottom: 1px solid var(--line); padding: 0.6rem 0; }
.msg .body { white-space: pre-wrap; overflow-wrap: anywhere; }
.msg time { color: var(--muted); margin-left: 0.5rem; }
footer { margin-top: 2rem; font-size: 0.85rem; }
@media print {
  nav, footer { display: none; }
  body { max-width: none; padding: 0; font-size: 10pt; color: #000; background: #fff; }
  a { color: #000; text-decoration: none; }
  th { position: static; background: #eee; }
  tr, .msg { break-inside: avoid; }
}
`

// pageTemplateText is the markup of every page but a thread's messages
// (see pageWriter.message).
//
//go:embed export_pages.tmpl
var pageTemplateText string

var pageTemplates = template.Must(template.New("pages").Funcs(template.FuncMap{
	"css": func() template.CSS { return template.CSS(pageCSS) },
}).Parse(pageTemplateText))

// pageHead is what the head and foot of a page show.
type pageHead struct {
	Title, Company, Lead, Created string
	Root                          string // "" at the top, "../" in pages/, "../../" in pages/threads/
	Nav                           []cell
}

// cell is one value on a page. Href and Img are relative to the page.
type cell struct {
	Text string
	Num  bool // right-aligned
	Href string
	Img  string
}

// fact is a name and its value, in a definition list.
type fact struct{ Name, Value, Href string }

type row struct {
	ID    string
	Cells []cell
}

// pageWriter renders templates into one entry, keeping the first error.
type pageWriter struct {
	bw  *bufio.Writer
	err error
}

func newPageWriter(w io.Writer) *pageWriter { return &pageWriter{bw: bufio.NewWriterSize(w, 32<<10)} }

func (p *pageWriter) exec(name string, data any) {
	if p.err == nil {
		p.err = pageTemplates.ExecuteTemplate(p.bw, name, data)
	}
}

func (p *pageWriter) close() error {
	if p.err != nil {
		return fmt.Errorf("write a page of the export: %w", p.err)
	}
	return p.bw.Flush()
}

// pageSet holds what every page of one export shares.
type pageSet struct {
	a         *Account
	company   string
	created   string
	createdAt time.Time
	counts    Counts
	filePath  map[uint64]string

	// threads are the message threads in stored order, as their pages
	// show them, kept from the threads' pass when their pages are made in
	// the messages' pass (threadsPending until then): a few dozen bytes
	// per thread, where their messages are most of an account's records.
	threads        []threadHead
	threadsPending bool
}

// threadHead is what a thread's page shows above its messages.
type threadHead struct {
	ID                  uint64
	Subject, Freelancer string
	Started             time.Time
}

// kindPage is the page of a kind, relative to the top of the export.
func kindPage(k Kind) string { return "pages/" + string(k) + ".html" }

// threadPage is the page of one message thread, relative to pages/.
func threadPage(id uint64) string { return "threads/" + strconv.FormatUint(id, 10) + ".html" }

// pageKinds are the kinds with a page of their own; messages are on the
// pages of their threads.
var pageKinds = []Kind{KindTeam, KindJobs, KindContracts, KindThreads, KindFiles, KindReviews,
	KindInvoices, KindTransactions, KindBilling, KindDisputes}

func (ps *pageSet) head(title, lead, root string) pageHead {
	h := pageHead{Title: title, Company: ps.company, Lead: lead, Created: ps.created, Root: root}
	for _, k := range pageKinds {
		h.Nav = append(h.Nav, cell{Text: KindPhrase(k), Href: kindPage(k)})
	}
	return h
}

// fileHref is the link from a page under pages/ (depth 1) or
// pages/threads/ (depth 2) to a stored file, each segment escaped so
// that a name holding "#" or "%" still points at its file.
func fileHref(root, entry string) string {
	parts := strings.Split(entry, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return root + strings.Join(parts, "/")
}

// isoDay writes a date as YYYY-MM-DD in UTC, or nothing for the zero time.
func isoDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02")
}

func minute(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

func idText(id uint64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatUint(id, 10)
}

// ref links to the row of item id on the page of kind k, from pages/.
func ref(k Kind, id uint64) cell {
	if id == 0 {
		return cell{}
	}
	return cell{Text: "#" + idText(id), Href: string(k) + ".html#r" + idText(id)}
}

func rowID(id uint64) string { return "r" + idText(id) }

// writeIndex writes index.html: the account at a glance and a way to every page.
func (ps *pageSet) writeIndex(w io.Writer, p Profile) error {
	pw := newPageWriter(w)
	pw.exec("head", ps.head(ps.company, "Everything this account held, exported on "+ps.created+".", ""))
	pw.exec("facts", []fact{
		{"Company", p.Company, ""}, {"Contact", p.Contact, ""}, {"Email", p.Email, ""},
		{"Phone", p.Phone, ""}, {"Time zone", p.TimeZone, ""}, {"Account opened", isoDay(p.Created), ""},
	})
	pw.exec("table", []cell{{Text: "What"}, {Text: "Items", Num: true}, {Text: "Data"}})
	for _, k := range Kinds {
		page := kindPage(k)
		if k == KindMessages {
			page = kindPage(KindThreads)
		}
		pw.exec("row", row{Cells: []cell{
			{Text: KindPhrase(k), Href: page},
			{Text: strconv.Itoa(ps.counts[k]), Num: true},
			{Text: string(k) + ".json", Href: string(k) + ".json"},
		}})
	}
	pw.exec("endtable", nil)
	pw.exec("facts", []fact{
		{"Invoices as PDF", "invoices/ (one per invoice, listed on the invoices page)", kindPage(KindInvoices)},
		{"Spreadsheets", "contracts.csv, invoices.csv, transactions.csv", ""},
		{"Original files", "files/ (listed on the files page)", kindPage(KindFiles)},
		{"About this export", "README.txt", "README.txt"},
		{"Checksums", "manifest.json", "manifest.json"},
	})
	pw.exec("foot", ps.head("", "", ""))
	return pw.close()
}

// writeKindPages writes the page of kind k, and for threads one page per
// thread, into entries made by open. With streamed, the threads' own pages
// are left for the messages' pass (see threadPages), which writes them as
// the messages go by; this only keeps the threads' heads for it.
func (ps *pageSet) writeKindPages(open func(string) (io.Writer, error), k Kind, streamed bool) error {
	if k == KindMessages {
		if !ps.threadsPending {
			return nil
		}
		ps.threadsPending = false
		return ps.writeThreadPages(open)
	}
	collect := k == KindThreads && streamed
	if collect {
		ps.threads = ps.threads[:0]
	}
	ew, err := open(kindPage(k))
	if err != nil {
		return err
	}
	pw := newPageWriter(ew)
	pw.exec("head", ps.head(KindPhrase(k), strconv.Itoa(ps.counts[k])+" in this export.", "../"))
	if ps.counts[k] == 0 {
		pw.exec("empty", nil)
	} else {
		pw.exec("table", kindColumns[k])
		err = ps.a.View(func(tx *Tx) error {
			defer dropMapping(tx.tx)
			return ps.rows(tx, k, collect, func(r row) error { pw.exec("row", r); return pw.err })
		})
		pw.exec("endtable", nil)
	}
	pw.exec("foot", ps.head("", "", "../"))
	if err == nil {
		err = pw.close()
	}
	if err != nil || k != KindThreads {
		return err
	}
	if collect {
		ps.threadsPending = true
		return nil
	}
	return ps.writeThreadPages(open)
}

func cols(names ...string) []cell {
	out := make([]cell, len(names))
	for i, n := range names {
		out[i] = cell{Text: n}
		if rest, ok := strings.CutPrefix(n, ">"); ok {
			out[i] = cell{Text: rest, Num: true}
		}
	}
	return out
}

// kindColumns are the column heads of each kind's table; ">" right-aligns.
var kindColumns = map[Kind][]cell{
	KindTeam:         cols("Name", "Email", "Role", "Owner", "Added"),
	KindJobs:         cols("Job", "Title", "Description", ">Budget", "Type", "Status", "Posted", "Closed"),
	KindContracts:    cols("Contract", "Title", "Freelancer", "Job", ">Rate", "Type", "Status", "Start", "End"),
	KindThreads:      cols("Subject", "Freelancer", "Contract", ">Messages", "Started"),
	KindFiles:        cols("File", "Type", ">Size", "Added"),
	KindReviews:      cols("Date", "Direction", "Freelancer", ">Rating", "Review", "Contract"),
	KindInvoices:     cols("Invoice", "PDF", "Date", "Due", ">Amount", "Status", "Paid", "Contract"),
	KindTransactions: cols("Date", "Description", ">Amount", "Invoice", "Contract"),
	KindBilling:      cols("Type", "Label", "Last four", "Expiry", "Primary"),
	KindDisputes:     cols("Dispute", "Opened", "Contract", "Summary", "Status", "Resolved"),
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return ""
}

// rows calls fn with the table row of every record of kind k; with
// collect, it also keeps the threads' heads in ps.threads.
func (ps *pageSet) rows(tx *Tx, k Kind, collect bool, fn func(row) error) error {
	num := func(s string) cell { return cell{Text: s, Num: true} }
	switch k {
	case KindTeam:
		return Each(tx, func(m *TeamMember) error {
			return fn(row{rowID(m.ID), []cell{{Text: m.Name}, {Text: m.Email}, {Text: string(m.Role)}, {Text: yes(m.Owner)}, {Text: isoDay(m.Added)}}})
		})
	case KindJobs:
		return Each(tx, func(j *Job) error {
			return fn(row{rowID(j.ID), []cell{{Text: "#" + idText(j.ID)}, {Text: j.Title}, {Text: j.Description}, num(j.Budget.String()),
				{Text: string(j.Type)}, {Text: string(j.Status)}, {Text: isoDay(j.Posted)}, {Text: isoDay(j.Closed)}}})
		})
	case KindContracts:
		return Each(tx, func(c *Contract) error {
			return fn(row{rowID(c.ID), []cell{{Text: "#" + idText(c.ID)}, {Text: c.Title}, {Text: c.Freelancer}, ref(KindJobs, c.JobID),
				num(c.Rate.String()), {Text: string(c.Type)}, {Text: string(c.Status)}, {Text: isoDay(c.Start)}, {Text: isoDay(c.End)}}})
		})
	case KindThreads:
		msgs, err := tx.bucket(KindMessages)
		if err != nil {
			return err
		}
		// Counting walks the messages' keys, which maps the leaf pages
		// that hold the messages themselves: let go of them on the way.
		rel := pageReleaser{tx: tx.tx}
		return Each(tx, func(t *Thread) error {
			n := countPrefix(msgs, be64(t.ID))
			rel.read(n)
			if collect {
				ps.threads = append(ps.threads, threadHead{ID: t.ID, Subject: t.Subject, Freelancer: t.Freelancer, Started: t.Started})
			}
			subject := t.Subject
			if strings.TrimSpace(subject) == "" {
				subject = "(no subject)"
			}
			return fn(row{rowID(t.ID), []cell{{Text: subject, Href: threadPage(t.ID)}, {Text: t.Freelancer}, ref(KindContracts, t.ContractID),
				num(strconv.Itoa(n)), {Text: isoDay(t.Started)}}})
		})
	case KindFiles:
		return Each(tx, func(f *File) error {
			c := cell{Text: f.Name, Href: fileHref("../", ps.filePath[f.ID])}
			if strings.HasPrefix(f.MediaType, "image/") {
				c.Img = c.Href
			}
			return fn(row{rowID(f.ID), []cell{c, {Text: f.MediaType}, num(archive.HumanBytes(f.Size)), {Text: isoDay(f.Added)}}})
		})
	case KindReviews:
		return Each(tx, func(r *Review) error {
			return fn(row{rowID(r.ID), []cell{{Text: isoDay(r.Date)}, {Text: string(r.Direction)}, {Text: r.Freelancer},
				num(strconv.Itoa(r.Rating) + " of 5"), {Text: r.Text}, ref(KindContracts, r.ContractID)}})
		})
	case KindInvoices:
		names := invoiceNamer{}
		return Each(tx, func(i *Invoice) error {
			return fn(row{rowID(i.ID), []cell{{Text: i.Number}, {Text: "PDF", Href: fileHref("../", names.name(i))}, {Text: isoDay(i.Date)}, {Text: isoDay(i.Due)},
				num(i.Amount.String()), {Text: string(i.Status)}, {Text: isoDay(i.Paid)}, ref(KindContracts, i.ContractID)}})
		})
	case KindTransactions:
		return Each(tx, func(t *Transaction) error {
			return fn(row{rowID(t.ID), []cell{{Text: isoDay(t.Date)}, {Text: t.Description}, num(t.Amount.String()),
				ref(KindInvoices, t.InvoiceID), ref(KindContracts, t.ContractID)}})
		})
	case KindBilling:
		return Each(tx, func(b *BillingMethod) error {
			return fn(row{rowID(b.ID), []cell{{Text: string(b.Type)}, {Text: b.Label}, {Text: b.Last4}, {Text: b.Expiry}, {Text: yes(b.Primary)}}})
		})
	case KindDisputes:
		return Each(tx, func(d *Dispute) error {
			return fn(row{rowID(d.ID), []cell{{Text: "#" + idText(d.ID)}, {Text: isoDay(d.Opened)}, ref(KindContracts, d.ContractID),
				{Text: d.Summary}, {Text: string(d.Status)}, {Text: isoDay(d.Resolved)}}})
		})
	}
	return fmt.Errorf("no page for %s", k)
}

// countPrefix counts the keys that start with prefix, without decrypting.
func countPrefix(b *bolt.Bucket, prefix []byte) int {
	n := 0
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		n++
	}
	return n
}

// invoiceNamer names each invoice's PDF by its number, made safe for every
// file system and unique within the export ("invoices/INV-0042.pdf"). The
// invoices page and the PDFs walk the invoices in the same order with a
// namer each, so they agree.
type invoiceNamer map[string]bool

func (used invoiceNamer) name(i *Invoice) string {
	base := safeBaseName(i.Number, 100)
	if strings.TrimSpace(i.Number) == "" {
		base = "invoice-" + idText(i.ID)
	}
	out := "invoices/" + base + ".pdf"
	for n := 2; used[strings.ToLower(out)]; n++ {
		out = "invoices/" + base + "-" + strconv.Itoa(n) + ".pdf"
	}
	used[strings.ToLower(out)] = true
	return out
}
