package account

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// The sample's words: job postings with what each one delivers, the people
// and their time zones, and the sentences of their conversations. Sentences
// carry slots ({thing}, {day}, …) filled per message, so that texts vary the
// way real ones do.

type sampleJob struct {
	title, short string
	things       []string
}

var sampleJobs = []sampleJob{
	{"Brand identity refresh", "Brand identity", []string{"logo concepts", "colour palette", "brand guidelines", "icon set"}},
	{"Shopify storefront build", "Storefront", []string{"product page", "checkout flow", "theme settings", "collection pages"}},
	{"Quarterly bookkeeping", "Bookkeeping", []string{"bank reconciliation", "expense report", "VAT return", "ledger clean-up"}},
	{"Product photography for spring catalogue", "Spring catalogue photos", []string{"product shots", "lifestyle photos", "retouching", "shot list"}},
	{"React dashboard for sales team", "Sales dashboard", []string{"pipeline chart", "login page", "data table", "filters panel"}},
	{"SEO audit and content plan", "SEO audit", []string{"keyword list", "site audit", "content calendar", "meta descriptions"}},
	{"Explainer video (90 seconds)", "Explainer video", []string{"script", "storyboard", "voice-over", "animatic"}},
	{"Data pipeline in Python", "Data pipeline", []string{"import job", "data model", "test suite", "nightly report"}},
	{"Customer support macros", "Support macros", []string{"refund macro", "shipping replies", "tone guide", "escalation rules"}},
	{"Mobile app UX review", "App UX review", []string{"onboarding flow", "usability report", "navigation map", "clickable prototype"}},
	{"Translate website into German", "German website", []string{"home page copy", "product pages", "glossary", "legal pages"}},
	{"Pitch deck design", "Pitch deck", []string{"title slide", "market slides", "financials slide", "speaker notes"}},
	{"Newsletter templates", "Newsletter", []string{"header design", "email template", "signup form", "welcome email"}},
	{"Warehouse inventory spreadsheet", "Inventory sheet", []string{"stock sheet", "reorder formula", "supplier list", "monthly summary"}},
	{"Packaging design for tea range", "Tea packaging", []string{"box layout", "label artwork", "print proofs", "die line"}},
	{"Office move logistics", "Office move", []string{"floor plan", "moving schedule", "furniture list", "IT checklist"}},
}

type sampleFreelancer struct{ name, zone string }

var sampleFreelancers = []sampleFreelancer{
	{"Aiko Tanaka", "Asia/Tokyo"}, {"Mateo Rossi", "Europe/Rome"}, {"Ngozi Adeyemi", "Africa/Lagos"},
	{"Liam O'Connor", "Europe/Dublin"}, {"Sofia Lindqvist", "Europe/Stockholm"}, {"Rahul Mehta", "Asia/Kolkata"},
	{"Chloé Martin", "Europe/Paris"}, {"Yusuf Demir", "Europe/Istanbul"}, {"Hannah Kowalski", "Europe/Warsaw"},
	{"Diego Fernández", "America/Mexico_City"}, {"Mei Lin", "Asia/Shanghai"}, {"Oluwaseun Bello", "Africa/Lagos"},
	{"Isabela Costa", "America/Sao_Paulo"}, {"Jakub Novák", "Europe/Prague"}, {"Amara Okafor", "Europe/London"},
	{"Elif Şahin", "Europe/Istanbul"},
}

var sampleThreadTopics = []string{"kick-off", "feedback round", "files and access", "schedule", "invoices", "hand-over", "second phase", "questions"}

// A question and the answers that fit it: a reply to a question starts
// with one of them.
type sampleQuestion struct {
	q       string
	answers []string
}

var (
	sampleGreetings = []string{"Hi {other},", "Hello {other},", "Hey {other},", "Dear {other},", "{other},"}
	sampleSignOffs  = []string{"Thanks!", "Cheers, {me}", "Best, {me}", "— {me}", "Talk soon.", "Thanks again, {me}"}

	sampleClientOpen = []string{
		"Welcome aboard, and thanks for taking on the {job}.",
		"I've put everything we know about the {thing} into the brief.",
		"Let me know if anything in the brief is unclear.",
		"Our launch is planned for {date}, so that's the date we work back from.",
		"{mate} will join the thread later; they look after the {thing} on our side.",
		"We have a budget for about {hours} hours for the first phase.",
	}
	sampleFreelancerOpen = []string{
		"Thanks for choosing me for the {job}.",
		"I've read the brief and have a few first ideas for the {thing}.",
		"I'll start with the {thing} and share a first draft on {day}.",
		"My working hours are roughly nine to six, {zone} time.",
		"I set up a shared folder for the {thing} drafts.",
	}
	sampleClientMiddle = []string{
		"The team looked at the {thing} and likes the direction.",
		"{mate} left a few comments on the {thing}; they're in the shared doc.",
		"We need the {thing} before {day} if at all possible.",
		"Budget-wise we're fine, so keep going.",
		"The latest draft of the {thing} looks much better.",
		"Our marketing lead wants to see the {thing} in context.",
		"I'm out on {day}, but {mate} can answer anything urgent.",
		"Small change of plan: the {thing} matters more than the {thing2} this month.",
		"The numbers from last week's test of the {thing} came in and they look good.",
		"I shared the draft {thing} with two customers and both liked it.",
	}
	sampleFreelancerMiddle = []string{
		"I'm about {pct}% of the way through the {thing}.",
		"I pushed a new version of the {thing} this morning.",
		"I spent {hours} hours on the {thing} this week.",
		"The first pass at the {thing} is ready for review.",
		"I tightened the {thing} based on your notes.",
		"I ran into a problem with the {thing} and found a way around it.",
		"I checked the {thing} on phones as well.",
		"I moved the {thing2} to next week so the {thing} gets done properly.",
		"Two versions of the {thing} are in the folder; I prefer the second.",
		"Everything for the {thing} is backed up in the shared folder.",
	}
	sampleClientEnd = []string{
		"Thank you, this is exactly what we needed.",
		"I'll release the final payment for the {thing} today.",
		"We'd love to work with you again on the next phase.",
		"The team is already using the {thing}.",
	}
	sampleFreelancerEnd = []string{
		"All final files for the {thing} are in the thread.",
		"It was a pleasure working on the {job}.",
		"Let me know if anything comes up after the hand-over.",
		"I've closed my last task on the {thing}; the time log is up to date.",
	}
	sampleClientQuestions = []sampleQuestion{
		{"Could you send the revised {thing} by {day}?", []string{"Yes, the revised {thing} will be with you on {day}.", "{day} is tight, but I'll make it work."}},
		{"Can we do a quick call on {day} at {time}?", []string{"{day} at {time} works; I'll send an invite.", "An hour later would suit me better; otherwise {day} is fine."}},
		{"How many hours do you think the {thing} still needs?", []string{"I'd estimate another {hours} hours.", "About {hours} hours, give or take a few."}},
		{"Would it help if we sent the final copy for the {thing} first?", []string{"That would help a lot, thanks.", "Yes please; it saves a round of changes."}},
		{"Are we on track with the {thing} for {date}?", []string{"It's on track; I'll flag it straight away if that changes.", "Yes, with a few days to spare."}},
		{"Did you get the access details for the {thing}?", []string{"Got them, thanks; everything works.", "Yes, I'm in. The login works fine."}},
	}
	sampleFreelancerQuestions = []sampleQuestion{
		{"Should the {thing} follow the old style guide or the new one?", []string{"Go with the new style guide, please.", "The new one; the old guide is retired."}},
		{"Can you confirm the colours before I export the {thing}?", []string{"Confirmed; go ahead with those colours.", "Yes, those are the right colours."}},
		{"Who on your side signs off on the {thing}?", []string{"{mate} signs off; I'll loop them in.", "I do, so send it straight to me."}},
		{"Do you have the original files for the {thing}?", []string{"I'll dig out the originals and send them today.", "They're in the shared folder under 'originals'."}},
		{"Would {day} at {time} your time work for a review?", []string{"{day} at {time} is perfect.", "Let's say {day}, but half an hour later."}},
		{"Is it all right if I invoice the {thing} at the end of the week?", []string{"Of course, invoice whenever it suits you.", "Yes, that's fine with our finance team."}},
	}
	sampleGiven = []string{
		"{first} delivered the {thing} ahead of schedule and kept us updated throughout.",
		"Working with {first} on the {job} was easy: clear updates, careful work, no surprises.",
		"{first} has a great eye for detail; the {thing} went beyond what we hoped for.",
		"Solid work from {first}. A few revisions were needed and {first} handled them quickly.",
		"{first} was responsive and professional from the brief to the hand-over.",
		"We hired {first} for the {thing} and will hire {first} again.",
	}
	sampleReceived = []string{
		"{client} at Northwind Studio gave clear requirements and paid promptly. Would work with them again.",
		"Northwind Studio was a pleasure to work for: quick feedback from {client} and a well-written brief.",
		"Great client. {client} made decisions fast and respected my time; Northwind Studio is well organised.",
		"Clear scope, a fair budget and friendly people at Northwind Studio.",
		"Northwind Studio knew what they wanted for the {thing} and said so early.",
	}
)

// textFill fills the slots of one message or review.
type textFill struct {
	rnd                *rand.Rand
	other, me, mate    string // first names
	job                *sampleJob
	when               time.Time
	zone               string
	client, freelancer string
}

var weekdays = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"}

func (f *textFill) fill(s string) string {
	if !strings.Contains(s, "{") {
		return s
	}
	things := f.job.things
	i := f.rnd.IntN(len(things))
	var b strings.Builder
	for {
		open := strings.IndexByte(s, '{')
		if open < 0 {
			b.WriteString(s)
			return b.String()
		}
		end := strings.IndexByte(s[open:], '}')
		if end < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:open])
		slot := s[open+1 : open+end]
		s = s[open+end+1:]
		b.WriteString(f.slot(slot, things, i))
	}
}

// slot is the words for one {slot} of a sentence; things and i are the
// sentence's thing, so that {thing2} is always another one.
func (f *textFill) slot(slot string, things []string, i int) string {
	switch slot {
	case "other":
		return f.other
	case "me":
		return f.me
	case "mate":
		return f.mate
	case "job":
		return lowerFirst(f.job.short)
	case "thing":
		return things[i]
	case "thing2":
		return things[(i+1+f.rnd.IntN(len(things)-1))%len(things)]
	case "day":
		return weekdays[f.rnd.IntN(len(weekdays))]
	case "time":
		h := strconv.Itoa(9 + f.rnd.IntN(8))
		return h + []string{":00", ":30"}[f.rnd.IntN(2)]
	case "date":
		return f.when.AddDate(0, 0, 10+f.rnd.IntN(60)).Format("2 January")
	case "hours":
		return strconv.Itoa(4 + f.rnd.IntN(37))
	case "pct":
		return strconv.Itoa(10 * (2 + f.rnd.IntN(8)))
	case "zone":
		return f.zone
	case "first":
		return firstName(f.freelancer)
	case "client":
		return firstName(f.client)
	}
	return "{" + slot + "}"
}

// lowerFirst lower-cases the first letter of a title for use inside a
// sentence, unless it starts an abbreviation such as SEO.
func lowerFirst(s string) string {
	if len(s) > 1 && s[1] >= 'A' && s[1] <= 'Z' {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

func firstName(name string) string {
	if i := strings.IndexByte(name, ' '); i > 0 {
		return name[:i]
	}
	return name
}

// phase is where in its thread a message falls: the start, the middle or
// the end.
type phase int

const (
	phaseStart phase = iota
	phaseMiddle
	phaseEnd
)

// compose writes one message: an answer if it replies to a question, one
// to three sentences of the sender's side and phase, perhaps a question
// and a sign-off. No sentence appears twice. It returns the text, the
// sign-off (kept apart so a note of an attachment can go before it) and
// the question it asks, if any, so the reply can answer it.
func (f *textFill) compose(client bool, ph phase, answering *sampleQuestion, ask bool) (body, signOff string, _ *sampleQuestion) {
	var parts []string
	seen := map[string]bool{}
	add := func(s string) bool {
		s = f.fill(s)
		if seen[s] {
			return false
		}
		seen[s] = true
		parts = append(parts, s)
		return true
	}
	if f.rnd.IntN(2) == 0 {
		parts = append(parts, f.fill(sampleGreetings[f.rnd.IntN(len(sampleGreetings))]))
	}
	if answering != nil {
		add(answering.answers[f.rnd.IntN(len(answering.answers))])
	}
	pool := sentencePool(client, ph)
	n := 1 + f.rnd.IntN(3)
	if answering != nil {
		n = f.rnd.IntN(2)
	}
	for _, k := range f.rnd.Perm(len(pool)) {
		if n == 0 {
			break
		}
		if add(pool[k]) {
			n--
		}
	}
	var asked *sampleQuestion
	if ask {
		asked = f.question(client, add)
	}
	if f.rnd.IntN(3) == 0 {
		signOff = f.fill(sampleSignOffs[f.rnd.IntN(len(sampleSignOffs))])
	}
	return strings.Join(parts, " "), signOff, asked
}

// sentencePool is the sentences the sender's side says at that phase.
func sentencePool(client bool, ph phase) []string {
	switch {
	case ph == phaseStart && client:
		return sampleClientOpen
	case ph == phaseStart:
		return sampleFreelancerOpen
	case ph == phaseEnd && client:
		return sampleClientEnd
	case ph == phaseEnd:
		return sampleFreelancerEnd
	case client:
		return sampleClientMiddle
	}
	return sampleFreelancerMiddle
}

// question picks a question of the sender's side and adds it, returning it
// unless the message already says it.
func (f *textFill) question(client bool, add func(string) bool) *sampleQuestion {
	qs := sampleFreelancerQuestions
	if client {
		qs = sampleClientQuestions
	}
	q := &qs[f.rnd.IntN(len(qs))]
	if add(q.q) {
		return q
	}
	return nil
}

// review writes a review's text: given reviews are the client's words about
// the freelancer, received ones the freelancer's about the client.
func (f *textFill) review(d Direction, rating int) string {
	pool := sampleGiven
	if d == Received {
		pool = sampleReceived
	}
	// Better ratings take the warmer sentences at the front of the list.
	k := min(len(pool)-1, (5-rating)*2+f.rnd.IntN(2))
	return f.fill(pool[k])
}

func (f *textFill) jobDescription() string {
	t := f.job.things
	return fmt.Sprintf("Northwind Studio is looking for a freelancer for %s. You will deliver the %s, the %s and the %s, working with our team in Portland. Please share two or three examples of similar work.",
		strings.ToLower(f.job.title), t[0], t[1], t[2])
}
