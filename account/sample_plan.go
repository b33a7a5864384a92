package account

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"
	_ "time/tzdata" // the sample's time zones must resolve on every system
)

// sampleData is an account's records, kind by kind: what the planner makes
// and what the tests read back.
type sampleData struct {
	profile      Profile
	team         []TeamMember
	jobs         []Job
	contracts    []Contract
	threads      []Thread
	messages     []Message
	files        []File
	reviews      []Review
	invoices     []Invoice
	transactions []Transaction
	billing      []BillingMethod
	disputes     []Dispute
}

// samplePlan is the whole sample, decided before anything is written; a
// file's bytes are made from its content description when it is written.
type samplePlan struct {
	sampleData
	now     time.Time
	content []*fileContent // one per file, in the same order
}

// sampleClientZone is the client's time zone: Northwind Studio is in Portland.
const sampleClientZone = "America/Los_Angeles"

type planner struct {
	*samplePlan
	spec     sampleSpec
	size     SampleSize
	rnd      *rand.Rand
	jobOf    []*sampleJob // per job record
	zones    map[string]*time.Location
	contacts []string              // client-side people who write messages
	threadOf map[uint64][]int      // contract ID → indexes of its threads
	byThread map[uint64][]*Message // thread ID → its messages in order
	signOffs []string              // per message (by ID-1), added last
}

const day = 24 * time.Hour

// planSample decides every record of the sample from the fixed seed and
// now: the same seed and clock give the same account.
func planSample(size SampleSize, email string, now time.Time) (*samplePlan, error) {
	spec := sampleSpecs[size]
	now = now.UTC().Truncate(time.Hour)
	p := &planner{samplePlan: &samplePlan{now: now}, spec: spec, size: size, rnd: rand.New(rand.NewPCG(sampleSeed, uint64(len(size)))),
		zones: map[string]*time.Location{}, threadOf: map[uint64][]int{}, byThread: map[uint64][]*Message{}}
	for _, z := range append([]string{sampleClientZone}, zonesOf(sampleFreelancers)...) {
		loc, err := time.LoadLocation(z)
		if err != nil {
			return nil, fmt.Errorf("time zone %s: %w", z, err)
		}
		p.zones[z] = loc
	}
	created := now.Add(-1100 * day).Truncate(time.Second)
	p.profile = Profile{Company: "Northwind Studio", Contact: "Dana Whitfield", Email: email, Phone: "+1 503 555 0142",
		TimeZone: sampleClientZone, Avatar: sampleAvatar(), Created: created}
	p.planTeam(email)
	p.planWork()
	p.planMessages()
	p.planFiles()
	p.finishMessages()
	p.planMoney()
	return p.samplePlan, nil
}

func zonesOf(fs []sampleFreelancer) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.zone)
	}
	return out
}

func (p *planner) between(a, b time.Time) time.Time {
	if !b.After(a) {
		return a
	}
	return a.Add(time.Duration(p.rnd.Int64N(int64(b.Sub(a))))).Truncate(time.Minute)
}

func (p *planner) days(lo, hi int) time.Duration { return time.Duration(lo+p.rnd.IntN(hi-lo+1)) * day }

func (p *planner) planTeam(email string) {
	team := []TeamMember{
		{Name: "Dana Whitfield", Email: email, Role: RoleAdmin, Owner: true},
		{Name: "Marcus Oyelaran", Email: "marcus.oyelaran@northwind-studio.example", Role: RoleHiringManager},
		{Name: "Priya Raghunathan", Email: "priya.r@northwind-studio.example", Role: RoleFinance},
		{Name: "Tomás Echeverría", Email: "tomas.e@northwind-studio.example", Role: RoleHiringManager},
		{Name: "Lena Vogt", Email: "lena.vogt@northwind-studio.example", Role: RoleFinance},
		{Name: "Grace Abernathy", Email: "grace.a@northwind-studio.example", Role: RoleAdmin},
	}
	for i := range p.spec.team {
		m := team[i%len(team)]
		m.ID = uint64(i + 1)
		m.Added = p.profile.Created
		if i > 0 {
			m.Added = p.profile.Created.Add(p.days(5, 25)).Add(time.Duration(p.rnd.IntN(480)) * time.Minute)
		}
		p.team = append(p.team, m)
		// The owner writes most messages; hiring managers and admins some.
		if i == 0 {
			p.contacts = append(p.contacts, m.Name, m.Name)
		} else if m.Role != RoleFinance {
			p.contacts = append(p.contacts, m.Name)
		}
	}
	p.billing = []BillingMethod{
		{ID: 1, Type: BillingCard, Label: "Visa business card", Last4: "4242", Expiry: "09/2028", Primary: true},
		{ID: 2, Type: BillingBank, Label: "Business checking", Last4: "6021"},
		{ID: 3, Type: BillingPayPal, Label: "PayPal (accounts@northwind-studio.example)"},
	}
}

// perThread is how many messages a thread of the sample holds on average.
func (p *planner) perThread() int { return max(1, p.spec.messages/p.spec.threads) }

// planWork decides jobs, contracts, threads, reviews and disputes. A closed
// job is posted, its freelancers are hired within weeks, and each contract
// lasts long enough for its threads' messages at working hours.
// planWork makes the work the account holds: job postings, the contracts
// hired from them, their message threads, reviews and disputes. The order
// of the steps is the order the random numbers are drawn in, so the same
// seed always makes the same sample.
func (p *planner) planWork() {
	p.planJobs()
	p.planContracts()
	p.planThreads()
	ended := p.endedContracts()
	p.planReviews(ended)
	p.planDisputes(ended)
	p.describeJobs()
}

// planJobs makes the job postings: two open, the rest closed, their
// contracts hired from them.
func (p *planner) planJobs() {
	now, created := p.now, p.profile.Created
	for i := range p.spec.jobs {
		sj := &sampleJobs[(i+p.rnd.IntN(2))%len(sampleJobs)]
		if i < len(sampleJobs) {
			sj = &sampleJobs[i%len(sampleJobs)]
		}
		j := Job{ID: uint64(i + 1), Title: sj.title, Budget: Money{Cents: int64(500+p.rnd.IntN(9500)) * 100, Currency: "USD"},
			Type: []PayType{Hourly, Fixed}[i%2], Status: JobClosed}
		switch {
		case i < 2:
			j.Status, j.Posted = JobOpen, now.Add(-p.days(3, 20)).Add(-time.Duration(p.rnd.IntN(600))*time.Minute)
		case i < 5:
			// The postings the current contracts came from.
			j.Posted = now.Add(-p.days(150, 200))
		default:
			j.Posted = p.between(created.Add(30*day), now.Add(-220*day))
		}
		p.jobs = append(p.jobs, j)
		p.jobOf = append(p.jobOf, sj)
	}
}

// planContracts hires a contract from a closed posting each, the first
// three current (two active, one paused), the rest ended.
func (p *planner) planContracts() {
	now, hired := p.now, max(1, p.spec.jobs-2)
	minDays := max(20, 2*p.perThread())
	for i := range p.spec.contracts {
		ji := min(len(p.jobs)-1, 2+i%hired)
		job := &p.jobs[ji]
		f := sampleFreelancers[(i*5+p.rnd.IntN(3))%len(sampleFreelancers)]
		c := Contract{ID: uint64(i + 1), JobID: job.ID, Freelancer: f.name, Title: job.Title, Type: []PayType{Hourly, Fixed}[i%2],
			Status: ContractEnded, Start: job.Posted.Add(p.days(5, 25)).Add(time.Duration(p.rnd.IntN(480)) * time.Minute)}
		if c.Type == Hourly {
			c.Rate = Money{Cents: int64(25+p.rnd.IntN(95)) * 100, Currency: "USD"}
		} else {
			c.Rate = Money{Cents: int64(400+p.rnd.IntN(4600)) * 100, Currency: "USD"}
		}
		switch i {
		case 0, 1:
			c.Status = ContractActive
		case 2:
			c.Status = ContractPaused
		default:
			c.End = c.Start.Add(p.days(minDays, minDays+130))
			if last := now.Add(-3 * day); c.End.After(last) {
				c.End = last
			}
		}
		p.contracts = append(p.contracts, c)
		if job.Closed.Before(c.Start) {
			job.Closed = c.Start
		}
	}
	for i := range p.jobs {
		if j := &p.jobs[i]; j.Status == JobClosed && j.Closed.IsZero() {
			j.Closed = j.Posted.Add(30 * day)
		}
	}
}

// planThreads opens the message threads: the first of a contract carries
// its title, later ones a topic.
func (p *planner) planThreads() {
	for i := range p.spec.threads {
		ci := i % len(p.contracts)
		c := &p.contracts[ci]
		subject := c.Title
		if k := i / len(p.contracts); k > 0 {
			subject += " — " + sampleThreadTopics[(k-1+ci)%len(sampleThreadTopics)]
		}
		p.threads = append(p.threads, Thread{ID: uint64(i + 1), Freelancer: c.Freelancer, Subject: subject, ContractID: c.ID, Started: c.Start})
		p.threadOf[c.ID] = append(p.threadOf[c.ID], i)
	}
}

func (p *planner) endedContracts() []*Contract {
	var ended []*Contract
	for i := range p.contracts {
		if p.contracts[i].Status == ContractEnded {
			ended = append(ended, &p.contracts[i])
		}
	}
	return ended
}

// Reviews follow the end of an ended contract: the client's of the
// freelancer (given) and the freelancer's of the client (received).
func (p *planner) planReviews(ended []*Contract) {
	now := p.now
	for i := range p.spec.reviews {
		if len(ended) == 0 {
			break
		}
		c := ended[(i/2)%len(ended)]
		d := []Direction{Given, Received}[i%2]
		rating := 3 + p.rnd.IntN(3)
		fill := p.fill(c, p.contacts[0], d == Given)
		date := c.End.Add(p.days(1, 10)).Add(time.Duration(p.rnd.IntN(600)) * time.Minute)
		if last := now.Add(-time.Hour); date.After(last) {
			date = last
		}
		p.reviews = append(p.reviews, Review{ID: uint64(len(p.reviews) + 1), Direction: d, Freelancer: c.Freelancer, Rating: rating,
			Text: fill.review(d, rating), ContractID: c.ID, Date: date})
	}
}

// An open dispute on a current fixed-price contract, and a resolved one
// on an ended hourly contract.
func (p *planner) planDisputes(ended []*Contract) {
	now := p.now
	open := &p.contracts[min(1, len(p.contracts)-1)]
	p.disputes = append(p.disputes, Dispute{ID: 1, ContractID: open.ID, Summary: "Milestone 2 delivered without the agreed source files.",
		Status: DisputeOpen, Opened: now.Add(-20 * day)})
	for _, c := range ended {
		if c.Type == Hourly {
			opened := c.Start.Add(c.End.Sub(c.Start) / 2).Truncate(time.Hour)
			p.disputes = append(p.disputes, Dispute{ID: 2, ContractID: c.ID, Summary: "Hours logged on a public holiday.",
				Status: DisputeResolved, Opened: opened, Resolved: opened.Add(5 * day)})
			break
		}
	}
}

// describeJobs writes each posting's description.
func (p *planner) describeJobs() {
	for i := range p.jobs {
		t := textFill{rnd: p.rnd, job: p.jobOf[i]}
		p.jobs[i].Description = t.jobDescription()
	}
}

func (p *planner) jobFor(c *Contract) *sampleJob { return p.jobOf[c.JobID-1] }

func (p *planner) zoneOf(freelancer string) string {
	for _, f := range sampleFreelancers {
		if f.name == freelancer {
			return f.zone
		}
	}
	return sampleClientZone
}

// fill prepares the slots for text written by the contact (client) or by
// the contract's freelancer.
func (p *planner) fill(c *Contract, contact string, client bool) *textFill {
	mate := firstName(p.team[min(len(p.team)-1, 1)].Name)
	if firstName(contact) == mate {
		mate = firstName(p.team[0].Name)
	}
	f := &textFill{rnd: p.rnd, job: p.jobFor(c), when: c.Start, client: contact, freelancer: c.Freelancer, mate: mate,
		zone: strings.ReplaceAll(p.zoneOf(c.Freelancer)[strings.IndexByte(p.zoneOf(c.Freelancer), '/')+1:], "_", " ")}
	f.me, f.other = firstName(c.Freelancer), firstName(contact)
	if client {
		f.me, f.other = f.other, f.me
	}
	return f
}

// workingTime moves t forward to the sender's working hours (8:00 to 18:00
// on weekdays in their zone).
func (p *planner) workingTime(t time.Time, loc *time.Location) time.Time {
	lt := t.In(loc)
	for range 5 {
		wd, h := lt.Weekday(), lt.Hour()
		weekday := wd != time.Saturday && wd != time.Sunday
		if weekday && h >= 8 && h < 18 {
			break
		}
		y, m, d := lt.Date()
		if !weekday || h >= 18 {
			d++
		}
		lt = time.Date(y, m, d, 8, p.rnd.IntN(120), 0, 0, loc)
	}
	return lt.UTC().Truncate(time.Minute)
}

// planMessages writes each thread's conversation: messages spread over the
// contract's life, at the sender's working hours, turns alternating and
// every question answered by the other side in the next message.
func (p *planner) planMessages() {
	base, extra := p.spec.messages/len(p.threads), p.spec.messages%len(p.threads)
	var all []plannedMessage
	for ti := range p.threads {
		n := base
		if ti < extra {
			n++
		}
		all = append(all, p.threadMessages(ti, n)...)
	}
	// IDs follow time across threads, as they would have been written.
	sort.SliceStable(all, func(i, j int) bool { return all[i].m.Sent.Before(all[j].m.Sent) })
	p.messages = make([]Message, len(all))
	for i, pm := range all {
		pm.m.ID = uint64(i + 1)
		p.messages[i] = *pm.m
		p.signOffs = append(p.signOffs, pm.signOff)
		p.byThread[pm.m.ThreadID] = append(p.byThread[pm.m.ThreadID], &p.messages[i])
	}
}

// plannedMessage is a message and the sign-off it gets once its
// attachment note, if any, is known.
type plannedMessage struct {
	m       *Message
	signOff string
}

// threadMessages writes up to n messages of thread ti, spread over its part
// of the contract, the client and the freelancer mostly taking turns; it
// stops early when the contract has no room left.
func (p *planner) threadMessages(ti, n int) []plannedMessage {
	t := &p.threads[ti]
	c := &p.contracts[t.ContractID-1]
	end := p.now
	if !c.End.IsZero() {
		end = c.End
	}
	k := ti / len(p.contracts)
	from := c.Start.Add(end.Sub(c.Start) * time.Duration(k) / time.Duration(4*(len(p.threadOf[c.ID])+1)))
	limit := end.Add(-3 * day)
	contact := p.contacts[p.rnd.IntN(len(p.contacts))]
	client := k == 0 || p.rnd.IntN(2) == 0
	var asked *sampleQuestion
	var out []plannedMessage
	prev := from
	step := limit.Sub(from) / time.Duration(n+1)
	for i := range n {
		sender, zone := c.Freelancer, p.zoneOf(c.Freelancer)
		if client {
			sender, zone = contact, sampleClientZone
		}
		// Each message keeps to its place in the thread's span, give or
		// take; waiting for the sender's working hours does not add up.
		sent := from.Add(step*time.Duration(i+1) + time.Duration((p.rnd.Float64()-0.5)*0.6*float64(step)))
		if soonest := prev.Add(time.Duration(4+p.rnd.IntN(60)) * time.Minute); sent.Before(soonest) {
			sent = soonest
		}
		sent = p.workingTime(sent, p.zones[zone])
		if sent.After(end) || sent.After(p.now) {
			break // no room left in the contract: the thread is shorter
		}
		ph := messagePhase(i, n, c)
		body, signOff, q := p.fill(c, contact, client).compose(client, ph, asked, i < n-1 && ph != phaseEnd && p.rnd.IntN(5) < 2)
		out = append(out, plannedMessage{&Message{ThreadID: t.ID, Sender: sender, Sent: sent, Body: body}, signOff})
		if i == 0 {
			t.Started = sent
		}
		prev, asked = sent, q
		// A question is answered by the other side; otherwise turns
		// mostly alternate.
		if q != nil || p.rnd.IntN(4) != 0 {
			client = !client
		}
	}
	return out
}

// messagePhase is where message i of n stands in its thread: the first two
// open it, the last two of an ended contract close it.
func messagePhase(i, n int, c *Contract) phase {
	switch {
	case i < 2:
		return phaseStart
	case i >= n-2 && c.Status == ContractEnded:
		return phaseEnd
	}
	return phaseMiddle
}

// finishMessages adds each message's sign-off after any attachment note.
func (p *planner) finishMessages() {
	for i, s := range p.signOffs {
		if s != "" {
			p.messages[i].Body += " " + s
		}
	}
}

// planFiles decides each attachment: a document of its contract, sent in
// one of the contract's threads by the side that writes such a document,
// with a sentence in that message naming it. The sizes of the documents
// that can grow share the spec's total.
func (p *planner) planFiles() {
	attached := map[uint64]bool{}
	weights := make([]float64, p.spec.files)
	var sum float64
	for i := range weights {
		weights[i] = 0.2 + p.rnd.Float64()
		if sampleDocs[p.docIndex(i)].sized {
			sum += weights[i]
		}
	}
	for i := range p.spec.files {
		ci := i % len(p.contracts)
		c := &p.contracts[ci]
		doc := &sampleDocs[p.docIndex(i)]
		fc := &fileContent{job: p.jobFor(c), contract: c, company: p.profile.Company, doc: doc, date: c.Start.Add(2 * day),
			rnd: rand.New(rand.NewPCG(sampleSeed, uint64(i+1)<<8|uint64(len(p.size))))}
		if doc.sized {
			fc.targetSize = int(weights[i] / sum * float64(p.spec.fileBytes))
		}
		f := File{ID: uint64(i + 1), Name: fc.title() + doc.ext, MediaType: doc.media, Added: fc.date}
		fc.client = p.contacts[0]
		// The message that carries it: in a thread of the contract, from
		// the side that writes this kind of document.
		threads := p.threadOf[c.ID]
		if len(threads) > 0 {
			msgs := p.byThread[p.threads[threads[(i/len(p.contracts))%len(threads)]].ID]
			var pick *Message
			for _, k := range p.rnd.Perm(len(msgs)) {
				m := msgs[k]
				if attached[m.ID] {
					continue
				}
				if fromClient := m.Sender != c.Freelancer; fromClient == doc.fromClient || pick == nil {
					pick = m
					if fromClient == doc.fromClient {
						break
					}
				}
			}
			if pick != nil {
				attached[pick.ID] = true
				pick.Attachments = append(pick.Attachments, f.ID)
				pick.Body += " " + []string{"I've attached the %s.", "Attached: %s.", "Here is the %s.", "The %s is attached."}[p.rnd.IntN(4)]
				pick.Body = fmt.Sprintf(pick.Body, f.Name)
				f.Added, fc.date = pick.Sent, pick.Sent
				if pick.Sender != c.Freelancer {
					fc.client = pick.Sender
				}
			}
		}
		p.files = append(p.files, f)
		p.content = append(p.content, fc)
	}
}

// docIndex spreads the kinds of documents over the files so the small
// sample has every kind.
func (p *planner) docIndex(i int) int {
	return (i%len(p.contracts)*3 + i/len(p.contracts)) % len(sampleDocs)
}
