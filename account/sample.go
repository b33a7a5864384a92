package account

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
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

// SampleOpening is what OpenSample found: a sample it just created and
// signed in to (Created, Account set), or the existing sample's sign-in
// (SignIn set), which goes on as any other: a code when two-factor is on.
type SampleOpening struct {
	Created bool
	Account *Account
	SignIn  *SignIn
}

// OpenSample is "Open the sample account": the small sample under
// SampleEmail, created the first time (progress as for CreateSample), and
// signed in to with SamplePassword after that. When its owner changed that
// password, the error is ErrWrongPassword: they sign in with theirs, as to
// any other account. offboard sample, by contrast, always creates one, of
// the size and email asked for.
func (s *Store) OpenSample(progress func(done, total int)) (*SampleOpening, error) {
	// Signing in first looks the email up once; a separate Exists would
	// run the same per-file Argon2id lookup again.
	si, err := s.SignIn(SampleEmail, SamplePassword)
	if errors.Is(err, ErrNoAccount) {
		a, err := s.CreateSample(SampleSmall, "", progress)
		if err != nil {
			return nil, err
		}
		return &SampleOpening{Created: true, Account: a}, nil
	}
	if err != nil {
		return nil, err
	}
	o := &SampleOpening{SignIn: si}
	if !si.NeedsCode() {
		if o.Account, err = si.Complete(""); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// CreateSample makes the sample account with email (SampleEmail when empty)
// and SamplePassword. Its data is realistic and, for a given clock, the same
// every time. The small size includes every blocker of the closure
// sequence: active and paused contracts, due and overdue invoices, open job
// postings, an open dispute and other team members. progress, if set,
// receives items written and the total.
func (s *Store) CreateSample(size SampleSize, email string, progress func(done, total int)) (*Account, error) {
	if _, ok := sampleSpecs[size]; !ok {
		return nil, fmt.Errorf("sample size %q must be small or large", size)
	}
	if email == "" {
		email = SampleEmail
	}
	plan, err := planSample(size, email, s.now())
	if err != nil {
		return nil, fmt.Errorf("create the sample account: %w", err)
	}
	a, err := s.SignUp(email, SamplePassword, plan.profile.Company)
	if err != nil {
		return nil, err
	}
	w := &sampleWriter{a: a, plan: plan, progress: progress}
	w.total = len(plan.team) + len(plan.jobs) + len(plan.contracts) + len(plan.threads) + len(plan.messages) +
		len(plan.files) + len(plan.reviews) + len(plan.invoices) + len(plan.transactions) + 5
	if err := w.run(); err != nil {
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
