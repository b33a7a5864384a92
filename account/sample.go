package account

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"math/rand/v2"
	"strings"
	"time"
)

// SampleSize picks how much data the sample account holds.
type SampleSize string

// Sample sizes: small is for exploring, large for benchmarks.
const (
	SampleSmall SampleSize = "small"
	SampleLarge SampleSize = "large"
)

// The sample account's sign-in. The password is printed and shown to the user
// so they can sign in again; it is not a secret.
const (
	SampleEmail    = "owner@northwind-studio.example"
	SamplePassword = "harbor-lantern-47"
)

// sampleSeed fixes the generator so every sample has the same content.
const sampleSeed = 20240611

type sampleSpec struct {
	team, jobs, contracts, threads, messages, files, reviews, invoices, transactions int
	fileBytes                                                                        int64
}

var sampleSpecs = map[SampleSize]sampleSpec{
	SampleSmall: {team: 3, jobs: 6, contracts: 8, threads: 8, messages: 64, files: 12, reviews: 6, invoices: 10, transactions: 14, fileBytes: 3 << 20},
	SampleLarge: {team: 6, jobs: 120, contracts: 400, threads: 2000, messages: 100000, files: 512, reviews: 300, invoices: 2400, transactions: 4000, fileBytes: 1 << 30},
}

// ParseSampleSize accepts "small" or "large".
func ParseSampleSize(s string) (SampleSize, error) {
	if _, ok := sampleSpecs[SampleSize(s)]; !ok {
		return "", fmt.Errorf("sample size %q must be small or large", s)
	}
	return SampleSize(s), nil
}

// CreateSample makes the sample account with email (SampleEmail when empty)
// and SamplePassword. Its data is realistic and the same every time. The small
// size includes every blocker of the closure sequence: active and paused
// contracts, due and overdue invoices, open job postings, an open dispute and
// other team members. progress, if set, receives items written and the total.
func (s *Store) CreateSample(size SampleSize, email string, progress func(done, total int)) (*Account, error) {
	spec, ok := sampleSpecs[size]
	if !ok {
		return nil, fmt.Errorf("sample size %q must be small or large", size)
	}
	if email == "" {
		email = SampleEmail
	}
	a, err := s.SignUp(email, SamplePassword, "Northwind Studio")
	if err != nil {
		return nil, err
	}
	g := &sampler{a: a, spec: spec, rnd: rand.New(rand.NewPCG(sampleSeed, uint64(len(size)))), progress: progress,
		now: s.now().UTC().Truncate(time.Hour)}
	g.total = spec.team + spec.jobs + spec.contracts + spec.threads + spec.messages + spec.files + spec.reviews + spec.invoices + spec.transactions + 5
	if err := g.run(email); err != nil {
		a.Close()
		// Leave no half-made sample behind: remove what was written.
		a2, serr := s.unlock(a.file, SamplePassword)
		if serr == nil {
			if acct, cerr := a2.Complete(""); cerr == nil {
				acct.Purge(nil, nil)
			}
		}
		return nil, fmt.Errorf("create the sample account: %w", err)
	}
	return a, nil
}

type sampler struct {
	a        *Account
	spec     sampleSpec
	rnd      *rand.Rand
	now      time.Time
	done     int
	total    int
	progress func(done, total int)

	contracts []uint64
	files     []uint64
}

func (g *sampler) tick(n int) {
	g.done += n
	if g.progress != nil {
		g.progress(g.done, g.total)
	}
}

func (g *sampler) pick(list []string) string { return list[g.rnd.IntN(len(list))] }

func (g *sampler) ago(maxDays int) time.Time {
	return g.now.Add(-time.Duration(g.rnd.IntN(maxDays*24)+24) * time.Hour)
}

func (g *sampler) run(email string) error {
	p, err := g.a.Profile()
	if err != nil {
		return err
	}
	p.Contact, p.Phone, p.TimeZone = "Dana Whitfield", "+1 503 555 0142", "America/Los_Angeles"
	p.Email = email
	p.Avatar = sampleAvatar()
	if err := g.a.SaveProfile(p); err != nil {
		return err
	}
	if err := g.a.Update(g.people); err != nil {
		return err
	}
	if err := g.a.Update(g.work); err != nil {
		return err
	}
	if err := g.filesAll(); err != nil {
		return err
	}
	if err := g.messagesAll(); err != nil {
		return err
	}
	return g.a.Update(g.money)
}

// people writes the team and billing methods.
func (g *sampler) people(tx *Tx) error {
	team := []TeamMember{
		{Name: "Dana Whitfield", Email: "owner@northwind-studio.example", Role: RoleAdmin, Owner: true},
		{Name: "Marcus Oyelaran", Email: "marcus.oyelaran@northwind-studio.example", Role: RoleHiringManager},
		{Name: "Priya Raghunathan", Email: "priya.r@northwind-studio.example", Role: RoleFinance},
		{Name: "Tomás Echeverría", Email: "tomas.e@northwind-studio.example", Role: RoleHiringManager},
		{Name: "Lena Vogt", Email: "lena.vogt@northwind-studio.example", Role: RoleFinance},
		{Name: "Grace Abernathy", Email: "grace.a@northwind-studio.example", Role: RoleAdmin},
	}
	for i := range g.spec.team {
		m := team[i%len(team)]
		m.Added = g.ago(900)
		if i == 0 {
			m.Email = g.a.mustEmail()
		}
		if err := tx.Put(&m); err != nil {
			return err
		}
	}
	g.tick(g.spec.team)
	methods := []BillingMethod{
		{Type: BillingCard, Label: "Visa business card", Last4: "4242", Expiry: "09/2028", Primary: true},
		{Type: BillingBank, Label: "Business checking", Last4: "6021"},
		{Type: BillingPayPal, Label: "PayPal (accounts@northwind-studio.example)"},
	}
	for i := range methods {
		if err := tx.Put(&methods[i]); err != nil {
			return err
		}
	}
	return nil
}

func (a *Account) mustEmail() string {
	p, _ := a.Profile()
	return p.Email
}

var (
	sampleFreelancers = []string{"Aiko Tanaka", "Mateo Rossi", "Ngozi Adeyemi", "Liam O'Connor", "Sofia Lindqvist",
		"Rahul Mehta", "Chloé Martin", "Yusuf Demir", "Hannah Kowalski", "Diego Fernández", "Mei Lin", "Oluwaseun Bello",
		"Isabela Costa", "Jakub Novák", "Amara Okafor", "Elif Şahin"}
	sampleJobs = []string{"Brand identity refresh", "Shopify storefront build", "Quarterly bookkeeping",
		"Product photography for spring catalogue", "React dashboard for sales team", "SEO audit and content plan",
		"Explainer video (90 seconds)", "Data pipeline in Python", "Customer support macros", "Mobile app UX review",
		"Translate website into German", "Pitch deck design"}
	sampleSentences = []string{"Thanks for the update, this looks great.", "Could you send the revised draft by Friday?",
		"I've attached the latest version with your comments addressed.", "Let's schedule a quick call to go over the milestones.",
		"The invoice for this week is ready for review.", "We need to adjust the scope slightly before the next phase.",
		"Happy to start on the next milestone whenever you are ready.", "Please confirm the brand colours before I export the assets.",
		"I found a bug in the checkout flow and have a fix ready.", "The client loved the first round of concepts!",
		"Can we move the deadline by two days? The feedback came in late.", "All files are uploaded to the shared folder."}
	sampleReviews = []string{"Excellent communication and delivered ahead of schedule.", "Solid work, a few revisions needed but handled them quickly.",
		"Clear requirements and prompt payments. Would work with again.", "Great eye for detail; the results exceeded expectations.",
		"Responsive and professional throughout the project."}
)

// work writes jobs, contracts, threads, reviews and disputes.
func (g *sampler) work(tx *Tx) error {
	for i := range g.spec.jobs {
		j := Job{Title: sampleJobs[i%len(sampleJobs)], Description: "We are looking for an experienced freelancer. " + g.pick(sampleSentences),
			Budget: Money{Cents: int64(500+g.rnd.IntN(9500)) * 100, Currency: "USD"}, Type: []PayType{Hourly, Fixed}[i%2],
			Status: JobClosed, Posted: g.ago(700)}
		if i < 2 {
			j.Status = JobOpen
		} else {
			j.Closed = j.Posted.Add(30 * 24 * time.Hour)
		}
		if err := tx.Put(&j); err != nil {
			return err
		}
	}
	g.tick(g.spec.jobs)
	for i := range g.spec.contracts {
		c := Contract{JobID: uint64(i%g.spec.jobs + 1), Freelancer: sampleFreelancers[i%len(sampleFreelancers)],
			Title: sampleJobs[i%len(sampleJobs)], Type: []PayType{Hourly, Fixed}[i%2], Status: ContractEnded, Start: g.ago(600)}
		if c.Type == Hourly {
			c.Rate = Money{Cents: int64(25+g.rnd.IntN(95)) * 100, Currency: "USD"}
		} else {
			c.Rate = Money{Cents: int64(400+g.rnd.IntN(4600)) * 100, Currency: "USD"}
		}
		switch i {
		case 0, 1:
			c.Status = ContractActive
		case 2:
			c.Status = ContractPaused
		default:
			c.End = c.Start.Add(time.Duration(20+g.rnd.IntN(90)) * 24 * time.Hour)
			if c.End.After(g.now) {
				c.End = g.now.Add(-24 * time.Hour)
			}
		}
		if err := tx.Put(&c); err != nil {
			return err
		}
		g.contracts = append(g.contracts, c.ID)
	}
	g.tick(g.spec.contracts)
	for i := range g.spec.threads {
		t := Thread{Freelancer: sampleFreelancers[i%len(sampleFreelancers)], Subject: sampleJobs[i%len(sampleJobs)],
			ContractID: g.contracts[i%len(g.contracts)], Started: g.ago(600)}
		if err := tx.Put(&t); err != nil {
			return err
		}
	}
	g.tick(g.spec.threads)
	for i := range g.spec.reviews {
		r := Review{Direction: []Direction{Given, Received}[i%2], Freelancer: sampleFreelancers[i%len(sampleFreelancers)],
			Rating: 3 + g.rnd.IntN(3), Text: sampleReviews[i%len(sampleReviews)], ContractID: g.contracts[(i+3)%len(g.contracts)], Date: g.ago(400)}
		if err := tx.Put(&r); err != nil {
			return err
		}
	}
	g.tick(g.spec.reviews)
	disputes := []Dispute{
		{ContractID: g.contracts[1], Summary: "Milestone 2 delivered without the agreed source files.", Status: DisputeOpen, Opened: g.ago(20)},
		{ContractID: g.contracts[3%len(g.contracts)], Summary: "Hours logged on a public holiday.", Status: DisputeResolved, Opened: g.ago(300)},
	}
	disputes[1].Resolved = disputes[1].Opened.Add(5 * 24 * time.Hour)
	for i := range disputes {
		if err := tx.Put(&disputes[i]); err != nil {
			return err
		}
	}
	return nil
}

var sampleFileKinds = []struct{ ext, media string }{
	{".pdf", "application/pdf"}, {".png", "image/png"}, {".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
	{".csv", "text/csv"}, {".zip", "application/zip"}, {".jpg", "image/jpeg"},
}

// filesAll streams the sample files: their sizes follow a fixed random draw
// that adds up to the spec's total, and their bytes come from a seeded stream.
func (g *sampler) filesAll() error {
	weights := make([]float64, g.spec.files)
	var sum float64
	for i := range weights {
		weights[i] = 0.2 + g.rnd.Float64()
		sum += weights[i]
	}
	for i := range g.spec.files {
		size := int64(weights[i] / sum * float64(g.spec.fileBytes))
		k := sampleFileKinds[i%len(sampleFileKinds)]
		name := fmt.Sprintf("%s %d%s", strings.ToLower(sampleJobs[i%len(sampleJobs)]), i+1, k.ext)
		if i == 0 {
			size = 0 // one empty file, as real accounts have
		}
		f := File{Name: name, MediaType: k.media, Added: g.ago(600)}
		src := io.LimitReader(rand.NewChaCha8([32]byte{byte(i), byte(i >> 8), 'o', 'b'}), size)
		if err := g.a.AddFile(&f, src); err != nil {
			return err
		}
		g.files = append(g.files, f.ID)
		g.tick(1)
	}
	return nil
}

// messagesAll writes messages in batches so the large sample streams.
func (g *sampler) messagesAll() error {
	const batch = 5000
	for start := 0; start < g.spec.messages; start += batch {
		n := min(batch, g.spec.messages-start)
		err := g.a.Update(func(tx *Tx) error {
			for i := start; i < start+n; i++ {
				thread := uint64(i%g.spec.threads + 1)
				m := Message{ThreadID: thread, Sent: g.now.Add(-time.Duration(g.spec.messages-i) * 17 * time.Minute),
					Body: g.pick(sampleSentences) + " " + g.pick(sampleSentences)}
				// Turns alternate within a thread (i/threads counts them).
				if (i/g.spec.threads)%2 == 0 {
					m.Sender = "Dana Whitfield"
				} else {
					m.Sender = sampleFreelancers[int(thread-1)%len(sampleFreelancers)]
				}
				if i%9 == 0 && len(g.files) > 0 {
					m.Attachments = []uint64{g.files[i%len(g.files)]}
				}
				if err := tx.Put(&m); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		g.tick(n)
	}
	return nil
}

// money writes invoices and transactions: most paid, one due, one overdue.
func (g *sampler) money(tx *Tx) error {
	for i := range g.spec.invoices {
		inv := Invoice{Number: fmt.Sprintf("INV-%06d", 4100+i), Date: g.ago(500),
			Amount: Money{Cents: int64(150+g.rnd.IntN(4850))*100 + int64(g.rnd.IntN(100)), Currency: "USD"},
			Status: InvoicePaid, ContractID: g.contracts[i%len(g.contracts)]}
		inv.Due = inv.Date.Add(14 * 24 * time.Hour)
		switch i {
		case 0:
			inv.Status, inv.Date = InvoiceDue, g.now.Add(-3*24*time.Hour)
			inv.Due = inv.Date.Add(14 * 24 * time.Hour)
		case 1:
			inv.Status, inv.Date = InvoiceOverdue, g.now.Add(-30*24*time.Hour)
			inv.Due = inv.Date.Add(14 * 24 * time.Hour)
		default:
			inv.Paid = inv.Due.Add(-time.Duration(g.rnd.IntN(10)) * 24 * time.Hour)
		}
		if err := tx.Put(&inv); err != nil {
			return err
		}
	}
	g.tick(g.spec.invoices)
	for i := range g.spec.transactions {
		t := Transaction{Date: g.ago(500), Description: "Payment to " + sampleFreelancers[i%len(sampleFreelancers)],
			Amount: Money{Cents: -int64(100+g.rnd.IntN(3000)) * 100, Currency: "USD"}, ContractID: g.contracts[i%len(g.contracts)],
			InvoiceID: uint64(i%g.spec.invoices + 1)}
		if i%5 == 4 {
			t.Description, t.Amount.Cents = "Marketplace service fee", -int64(10+g.rnd.IntN(90))*100
		}
		if err := tx.Put(&t); err != nil {
			return err
		}
	}
	g.tick(g.spec.transactions + 5)
	return nil
}

// sampleAvatar draws a small logo: a white "N" on a coral square. A mark
// inside the picture and no ring round it, so that on the avatar it reads
// as a company's logo and never as a focus ring or an empty disc.
func sampleAvatar() []byte {
	const n = 96
	img := image.NewRGBA(image.Rect(0, 0, n, n))
	coral, white := color.RGBA{0xd9, 0x5d, 0x39, 0xff}, color.RGBA{0xff, 0xff, 0xff, 0xff}
	// The diagonal of the N runs from (34, 26) to (62, 70).
	const x0, y0, x1, y1 = 34.0, 26.0, 62.0, 70.0
	length := math.Hypot(x1-x0, y1-y0)
	for y := range n {
		for x := range n {
			img.Set(x, y, coral)
			fx, fy := float64(x)+0.5, float64(y)+0.5
			if fy < y0 || fy > y1 {
				continue
			}
			stem := (fx >= 28 && fx <= 40) || (fx >= 56 && fx <= 68)
			diagonal := math.Abs((y1-y0)*fx-(x1-x0)*fy+x1*y0-y1*x0)/length < 7
			if stem || diagonal {
				img.Set(x, y, white)
			}
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}
