package account

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// sampleNow is the clock the sample tests run on: the sample's dates are
// relative to its clock, so a fixed one makes it the same every run.
var sampleNow = time.Date(2026, 3, 18, 14, 0, 0, 0, time.UTC)

func sampleStore(t testing.TB, now time.Time) *Store {
	t.Helper()
	opt := fastOptions()
	opt.Now = func() time.Time { return now }
	return openTestStore(t, t.TempDir(), opt)
}

// readSample reads every record of a back into the planner's shape.
func readSample(t testing.TB, a *Account) sampleData {
	t.Helper()
	var d sampleData
	var err error
	if d.profile, err = a.Profile(); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	d.team, err = List[TeamMember](a)
	must(err)
	d.jobs, err = List[Job](a)
	must(err)
	d.contracts, err = List[Contract](a)
	must(err)
	d.threads, err = List[Thread](a)
	must(err)
	d.messages, err = List[Message](a)
	must(err)
	d.files, err = List[File](a)
	must(err)
	d.reviews, err = List[Review](a)
	must(err)
	d.invoices, err = List[Invoice](a)
	must(err)
	d.transactions, err = List[Transaction](a)
	must(err)
	d.billing, err = List[BillingMethod](a)
	must(err)
	d.disputes, err = List[Dispute](a)
	must(err)
	return d
}

func TestSmallSampleHoldsTogether(t *testing.T) {
	s := sampleStore(t, sampleNow)
	a, err := s.CreateSample(SampleSmall, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	d := readSample(t, a)
	checkSample(t, d, sampleNow)
	if r := distinctShare(d.messages); r < 0.8 {
		t.Errorf("%.0f %% of the small sample's message texts are distinct; want at least 80 %%", 100*r)
	}
	if len(d.messages) < 56 || len(d.files) != 12 || len(d.contracts) != 8 {
		t.Errorf("small sample has %d messages, %d files, %d contracts", len(d.messages), len(d.files), len(d.contracts))
	}
	// Every attachment is a real file of its type, whole.
	kinds := map[string]bool{}
	for _, f := range d.files {
		rc, err := a.OpenFile(f.ID)
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := checkSampleFile(t, f, data); err != nil {
			t.Errorf("%s: %v", f.Name, err)
		}
		kinds[filepath.Ext(f.Name)] = true
	}
	if len(kinds) != 6 {
		t.Errorf("the small sample's files have %d kinds (%v); want PDF, PNG, JPEG, DOCX, ZIP and CSV", len(kinds), kinds)
	}
}

// TestLargeSamplePlanHoldsTogether checks the large sample as planned (the
// same records CreateSample writes) without writing its gigabyte, and makes
// a share of its files.
func TestLargeSamplePlanHoldsTogether(t *testing.T) {
	p, err := planSample(SampleLarge, SampleEmail, sampleNow)
	if err != nil {
		t.Fatal(err)
	}
	checkSample(t, p.sampleData, sampleNow)
	if n := len(p.messages); n < 99000 || n > 100000 {
		t.Errorf("the large sample has %d messages; want about 100,000", n)
	}
	// Any 1,000 messages: in the order they were sent, and thread by thread.
	byThread := append([]Message(nil), p.messages...)
	sortByThread(byThread)
	for _, list := range [][]Message{p.messages, byThread} {
		for i := 0; i+1000 <= len(list); i += 500 {
			if r := distinctShare(list[i : i+1000]); r < 0.8 {
				t.Fatalf("messages %d to %d: %.0f %% distinct; want at least 80 %%", i, i+1000, 100*r)
			}
		}
	}
	var planned int64
	for _, c := range p.content {
		planned += int64(max(c.targetSize, 0))
	}
	if planned < 1<<30*98/100 || planned > 1<<30 {
		t.Errorf("the large sample plans %d bytes of files; want about 1 GiB", planned)
	}
	// Make every 32nd file: each is valid and near its planned size.
	step := 32
	if testing.Short() {
		step = 128
	}
	for i := 0; i < len(p.content); i += step {
		data, err := p.content[i].make()
		if err != nil {
			t.Fatal(err)
		}
		if err := checkSampleFile(t, p.files[i], data); err != nil {
			t.Errorf("%s: %v", p.files[i].Name, err)
		}
		// A picture is made no smaller than its natural size.
		natural := (p.content[i].doc.ext == ".png" || p.content[i].doc.ext == ".zip") && len(data) < 2<<20
		if want := p.content[i].targetSize; want > 0 && !natural && (len(data) < want*9/10 || len(data) > want*11/10+64<<10) {
			t.Errorf("%s is %d bytes; planned %d", p.files[i].Name, len(data), want)
		}
	}
}

func TestSampleIsTheSameEveryTime(t *testing.T) {
	var seen [2][]byte
	for i := range seen {
		a, err := sampleStore(t, sampleNow).CreateSample(SampleSmall, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		d := readSample(t, a)
		a.Close()
		d.profile.Avatar = nil
		b, err := json.Marshal([]any{d.profile, d.team, d.jobs, d.contracts, d.threads, d.messages, d.files, d.reviews,
			d.invoices, d.transactions, d.billing, d.disputes})
		if err != nil {
			t.Fatal(err)
		}
		seen[i] = b
	}
	if !bytes.Equal(seen[0], seen[1]) {
		t.Fatal("two samples made with the same seed and clock differ")
	}
	// A later clock moves the dates along with it.
	p1, _ := planSample(SampleSmall, SampleEmail, sampleNow)
	p2, _ := planSample(SampleSmall, SampleEmail, sampleNow.Add(7*24*time.Hour))
	if d := p2.contracts[0].Start.Sub(p1.contracts[0].Start); d != 7*24*time.Hour {
		t.Errorf("a week later, the first contract starts %v later", d)
	}
}

func sortByThread(ms []Message) {
	byID := func(a, b Message) bool {
		if a.ThreadID != b.ThreadID {
			return a.ThreadID < b.ThreadID
		}
		return a.ID < b.ID
	}
	sort.SliceStable(ms, func(i, j int) bool { return byID(ms[i], ms[j]) })
}

func distinctShare(ms []Message) float64 {
	seen := map[string]bool{}
	for _, m := range ms {
		seen[m.Body] = true
	}
	return float64(len(seen)) / float64(len(ms))
}

var sentenceEnd = regexp.MustCompile(`[.?!]\s+`)

// checkSample checks the relations and the order in time the sample
// promises; see PRODUCT.md's sample account.
func checkSample(t *testing.T, d sampleData, now time.Time) {
	t.Helper()
	errs := 0
	fail := func(format string, args ...any) {
		t.Helper()
		if errs++; errs <= 20 {
			t.Errorf(format, args...)
		}
	}
	created := d.profile.Created
	when := func(what string, at time.Time) {
		t.Helper()
		if at.Before(created) || at.After(now) {
			fail("%s at %v is outside the account's life (%v to %v)", what, at, created, now)
		}
	}
	clientZone, err := time.LoadLocation(d.profile.TimeZone)
	if err != nil {
		t.Fatal(err)
	}
	client := map[string]bool{d.profile.Contact: true}
	for _, m := range d.team {
		when("team member "+m.Name+" added", m.Added)
		client[m.Name] = true
	}
	jobs := map[uint64]Job{}
	for _, j := range d.jobs {
		jobs[j.ID] = j
		when("job posted", j.Posted)
		if j.Status == JobClosed {
			when("job closed", j.Closed)
			if j.Closed.Before(j.Posted) {
				fail("job %d closed before it was posted", j.ID)
			}
		}
	}
	contracts := map[uint64]Contract{}
	for _, c := range d.contracts {
		contracts[c.ID] = c
		when("contract start", c.Start)
		j, ok := jobs[c.JobID]
		if !ok || !j.Posted.Before(c.Start) {
			fail("contract %d starts %v, its job %d (found %v) was posted %v", c.ID, c.Start, c.JobID, ok, j.Posted)
		}
		if c.Status == ContractEnded {
			when("contract end", c.End)
		}
	}
	end := func(c Contract) time.Time {
		if c.End.IsZero() {
			return now
		}
		return c.End
	}
	threads := map[uint64]Thread{}
	for _, th := range d.threads {
		threads[th.ID] = th
		if c, ok := contracts[th.ContractID]; !ok || c.Freelancer != th.Freelancer {
			fail("thread %d names %s, its contract %d is with %q", th.ID, th.Freelancer, th.ContractID, c.Freelancer)
		}
	}
	files := map[uint64]File{}
	for _, f := range d.files {
		files[f.ID] = f
		when("file added", f.Added)
	}
	zones := map[string]*time.Location{}
	for _, f := range sampleFreelancers {
		zones[f.name], _ = time.LoadLocation(f.zone)
	}
	perThread := map[uint64][]Message{}
	for _, m := range d.messages {
		th, ok := threads[m.ThreadID]
		if !ok {
			fail("message %d is in no thread", m.ID)
			continue
		}
		c := contracts[th.ContractID]
		if m.Sent.Before(c.Start) || m.Sent.After(end(c)) {
			fail("message %d sent %v outside its contract (%v to %v)", m.ID, m.Sent, c.Start, end(c))
		}
		loc := clientZone
		if m.Sender == th.Freelancer {
			loc = zones[m.Sender]
		} else if !client[m.Sender] {
			fail("message %d is from %q: neither the client's side nor the thread's freelancer %s", m.ID, m.Sender, th.Freelancer)
		}
		if lt := m.Sent.In(loc); lt.Weekday() == time.Saturday || lt.Weekday() == time.Sunday || lt.Hour() < 8 || lt.Hour() >= 18 {
			fail("message %d from %s sent at %v their time, outside working hours", m.ID, m.Sender, lt)
		}
		seen := map[string]bool{}
		for _, s := range sentenceEnd.Split(m.Body, -1) {
			if seen[s] {
				fail("message %d repeats %q", m.ID, s)
			}
			seen[s] = true
		}
		for _, id := range m.Attachments {
			if f, ok := files[id]; !ok || !f.Added.Equal(m.Sent) || !strings.Contains(m.Body, f.Name) {
				fail("message %d attaches file %d (found %v, added %v, sent %v)", m.ID, id, ok, f.Added, m.Sent)
			}
		}
		perThread[m.ThreadID] = append(perThread[m.ThreadID], m)
	}
	for id, ms := range perThread {
		for i := 1; i < len(ms); i++ {
			if ms[i].Sent.Before(ms[i-1].Sent) {
				fail("thread %d: message %d sent before the one before it", id, ms[i].ID)
			}
			fromClient := func(m Message) bool { return m.Sender != threads[id].Freelancer }
			if strings.Contains(ms[i-1].Body, "?") && (fromClient(ms[i]) == fromClient(ms[i-1]) || !ms[i].Sent.After(ms[i-1].Sent)) {
				fail("thread %d: message %d asks a question; the next one (%d, %s) is no reply", id, ms[i-1].ID, ms[i].ID, ms[i].Sender)
			}
		}
		if len(ms) >= 4 && ms[len(ms)-1].Sent.Sub(ms[0].Sent) < 7*24*time.Hour {
			fail("thread %d: %d messages within %v; want them spread over weeks", id, len(ms), ms[len(ms)-1].Sent.Sub(ms[0].Sent))
		}
		if !threads[id].Started.Equal(ms[0].Sent) {
			fail("thread %d started %v, its first message %v", id, threads[id].Started, ms[0].Sent)
		}
	}
	for _, r := range d.reviews {
		c, ok := contracts[r.ContractID]
		if !ok || c.Freelancer != r.Freelancer || c.Status != ContractEnded || !r.Date.After(c.End) {
			fail("review %d of %s on %v: contract %d with %q ended %v", r.ID, r.Freelancer, r.Date, r.ContractID, c.Freelancer, c.End)
		}
		when("review", r.Date)
		about := strings.Contains(r.Text, firstName(r.Freelancer)) && !strings.Contains(r.Text, "Northwind")
		if r.Direction == Received {
			about = strings.Contains(r.Text, "Northwind")
		}
		if !about {
			fail("%s review %d reads the wrong way round: %q", r.Direction, r.ID, r.Text)
		}
	}
	invoices := map[uint64]Invoice{}
	billed := map[uint64]int64{}
	for _, inv := range d.invoices {
		invoices[inv.ID] = inv
		c, ok := contracts[inv.ContractID]
		if !ok || inv.Date.Before(c.Start) || inv.Date.After(end(c)) {
			fail("invoice %s dated %v is outside contract %d", inv.Number, inv.Date, inv.ContractID)
		}
		switch inv.Status {
		case InvoicePaid:
			if inv.Paid.Before(inv.Date) || inv.Paid.After(now) {
				fail("invoice %s dated %v paid %v", inv.Number, inv.Date, inv.Paid)
			}
		case InvoiceDue:
			if !inv.Paid.IsZero() || !inv.Due.After(now) {
				fail("invoice %s is due but its due date %v is not after today %v", inv.Number, inv.Due, now)
			}
		case InvoiceOverdue:
			if !inv.Paid.IsZero() || !inv.Due.Before(now) {
				fail("invoice %s is overdue but its due date %v is not before today %v", inv.Number, inv.Due, now)
			}
		}
		if inv.Amount.Cents <= 0 || inv.Amount.Currency != c.Rate.Currency {
			fail("invoice %s amounts to %v", inv.Number, inv.Amount)
		}
		if c.Type == Hourly && inv.Amount.Cents*4%c.Rate.Cents != 0 {
			fail("invoice %s: %v is not whole quarter hours at %v", inv.Number, inv.Amount, c.Rate)
		}
		billed[c.ID] += inv.Amount.Cents
	}
	for _, c := range d.contracts {
		if c.Type == Fixed && (billed[c.ID] > c.Rate.Cents || c.Status == ContractEnded && billed[c.ID] != 0 && billed[c.ID] != c.Rate.Cents) {
			fail("fixed contract %d of %v has invoices of %d cents", c.ID, c.Rate, billed[c.ID])
		}
	}
	for _, tx := range d.transactions {
		inv, ok := invoices[tx.InvoiceID]
		if !ok || inv.ContractID != tx.ContractID || inv.Status != InvoicePaid {
			fail("transaction %d points at invoice %d (found %v, contract %d, %s)", tx.ID, tx.InvoiceID, ok, inv.ContractID, inv.Status)
			continue
		}
		when("transaction", tx.Date)
		switch {
		case strings.HasPrefix(tx.Description, "Payment to "+contracts[inv.ContractID].Freelancer):
			if tx.Amount.Cents != -inv.Amount.Cents || !tx.Date.Equal(inv.Paid) {
				fail("payment %d of %v on %v for invoice %s of %v paid %v", tx.ID, tx.Amount, tx.Date, inv.Number, inv.Amount, inv.Paid)
			}
		case strings.HasPrefix(tx.Description, "Marketplace service fee"):
			if tx.Amount.Cents != -sampleFee(inv.Amount.Cents) {
				fail("fee %d of %v for invoice %v", tx.ID, tx.Amount, inv.Amount)
			}
		default:
			fail("transaction %d: %q", tx.ID, tx.Description)
		}
	}
	for _, dp := range d.disputes {
		c, ok := contracts[dp.ContractID]
		if !ok || dp.Opened.Before(c.Start) || dp.Opened.After(end(c)) {
			fail("dispute %d opened %v outside contract %d", dp.ID, dp.Opened, dp.ContractID)
		}
		if dp.Status == DisputeResolved && (dp.Resolved.Before(dp.Opened) || dp.Resolved.After(now)) {
			fail("dispute %d resolved %v, opened %v", dp.ID, dp.Resolved, dp.Opened)
		}
	}
	if errs > 20 {
		t.Errorf("… and %d more", errs-20)
	}
}

var (
	runningNumber = regexp.MustCompile(`\s\d+\.[a-z]+$`)
	mediaOfExt    = map[string]string{".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".csv": "text/csv",
		".zip": "application/zip", ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
)

// checkSampleFile fails unless data is a whole, valid file of the type f's
// name and media type say.
func checkSampleFile(t *testing.T, f File, data []byte) error {
	t.Helper()
	ext := filepath.Ext(f.Name)
	if mediaOfExt[ext] != f.MediaType {
		return fmt.Errorf("media type %q does not match the name", f.MediaType)
	}
	if runningNumber.MatchString(f.Name) {
		return errors.New("the name ends in a running number")
	}
	if len(data) == 0 {
		return errors.New("empty")
	}
	switch ext {
	case ".png":
		_, err := png.Decode(bytes.NewReader(data))
		return err
	case ".jpg":
		_, err := jpeg.Decode(bytes.NewReader(data))
		return err
	case ".pdf":
		return checkPDF(t, data)
	case ".csv":
		rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
		if err == nil && len(rows) < 3 {
			err = fmt.Errorf("%d rows", len(rows))
		}
		return err
	case ".docx":
		return checkZip(data, func(name string, b []byte) error {
			if strings.HasSuffix(name, ".xml") || strings.HasSuffix(name, ".rels") {
				dec := xml.NewDecoder(bytes.NewReader(b))
				for {
					if _, err := dec.Token(); err == io.EOF {
						break
					} else if err != nil {
						return fmt.Errorf("%s: %w", name, err)
					}
				}
			}
			if name == "word/document.xml" && !bytes.Contains(b, []byte("<w:t")) {
				return errors.New("the document has no text")
			}
			return nil
		}, "[Content_Types].xml", "_rels/.rels", "word/document.xml")
	case ".zip":
		return checkZip(data, func(name string, b []byte) error {
			if strings.HasSuffix(name, ".png") {
				_, err := png.Decode(bytes.NewReader(b))
				return err
			}
			return nil
		}, "README.txt", "palette.csv", "final.png")
	}
	return fmt.Errorf("no check for %s", ext)
}

func checkZip(data []byte, each func(string, []byte) error, want ...string) error {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			return err
		}
		b, err := io.ReadAll(rc) // checks the CRC at the end
		rc.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", f.Name, err)
		}
		if len(b) == 0 {
			return fmt.Errorf("%s is empty", f.Name)
		}
		if err := each(f.Name, b); err != nil {
			return err
		}
		have[f.Name] = true
	}
	for _, w := range want {
		if !have[w] {
			return fmt.Errorf("no %s inside", w)
		}
	}
	return nil
}

var (
	pdfObj  = regexp.MustCompile(`^(\d+) 0 obj\b`)
	pdfPage = regexp.MustCompile(`/Type /Page\b[^s]`)
	pdfCnt  = regexp.MustCompile(`/Type /Pages /Kids \[[^\]]*\] /Count (\d+)`)
)

// checkPDF reads the structure a reader relies on: the header, startxref,
// the cross-reference table (each entry must point at its object), the
// trailer's root, and the page tree's count. With pdftotext at hand, the
// text must come out too.
func checkPDF(t *testing.T, data []byte) error {
	if !bytes.HasPrefix(data, []byte("%PDF-1.")) || !bytes.HasSuffix(bytes.TrimSpace(data), []byte("%%EOF")) {
		return errors.New("no PDF header or end")
	}
	i := bytes.LastIndex(data, []byte("startxref\n"))
	if i < 0 {
		return errors.New("no startxref")
	}
	off, err := strconv.Atoi(strings.Fields(string(data[i+len("startxref\n"):]))[0])
	if err != nil || off >= len(data) || !bytes.HasPrefix(data[off:], []byte("xref\n0 ")) {
		return fmt.Errorf("startxref %d points at no xref table", off)
	}
	lines := strings.Split(string(data[off:]), "\n")
	n, _ := strconv.Atoi(strings.Fields(lines[1])[1])
	for k := 1; k < n; k++ {
		entry := strings.Fields(lines[2+k])
		o, _ := strconv.Atoi(entry[0])
		if m := pdfObj.FindSubmatch(data[o:min(len(data), o+20)]); m == nil || string(m[1]) != strconv.Itoa(k) {
			return fmt.Errorf("xref entry %d points at %q", k, data[o:min(len(data), o+12)])
		}
	}
	if trailer := strings.Join(lines[2+n:], "\n"); !strings.Contains(trailer, "trailer") || !strings.Contains(trailer, "/Root") {
		return errors.New("no trailer with a root")
	}
	m := pdfCnt.FindSubmatch(data)
	if m == nil {
		return errors.New("no page tree")
	}
	if pages := len(pdfPage.FindAllIndex(data, -1)); strconv.Itoa(pages) != string(m[1]) {
		return fmt.Errorf("%d pages, the page tree counts %s", pages, m[1])
	}
	if tool, err := exec.LookPath("pdftotext"); err == nil && len(data) < 8<<20 {
		path := filepath.Join(t.TempDir(), "f.pdf")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			return err
		}
		out, err := exec.Command(tool, "-q", path, "-").Output()
		if err != nil {
			return fmt.Errorf("pdftotext: %w", err)
		}
		if !bytes.Contains(out, []byte("Northwind Studio")) {
			return fmt.Errorf("pdftotext finds no text: %.200q", out)
		}
	}
	return nil
}
