package account

import (
	"bytes"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// sampleWriter stores a plan in a fresh account.
type sampleWriter struct {
	a        *Account
	plan     *samplePlan
	done     int
	total    int
	progress func(done, total int)
}

func (w *sampleWriter) tick(n int) {
	w.done += n
	if w.progress != nil {
		w.progress(w.done, w.total)
	}
}

func (w *sampleWriter) run() error {
	p := w.plan
	if err := w.a.SaveProfile(p.profile); err != nil {
		return err
	}
	// SaveProfile keeps the created date of the sign-up; the sample's
	// account has existed for years. (Read before the write transaction:
	// bbolt must not hold a read inside a write on one goroutine.)
	prof, err := w.a.Profile()
	if err != nil {
		return err
	}
	prof.Created = p.profile.Created
	err = w.a.update(func(tx *bolt.Tx) error { return w.a.putSealed(tx, bProfile, kRecord, &prof) })
	if err != nil {
		return err
	}
	err = w.a.Update(func(tx *Tx) error {
		return putAll(tx, p.team, p.billing, p.jobs, p.contracts, p.threads, p.reviews, p.disputes)
	})
	if err != nil {
		return err
	}
	w.tick(len(p.team) + len(p.jobs) + len(p.contracts) + len(p.threads) + len(p.reviews))
	if err := w.files(); err != nil {
		return err
	}
	if err := w.messages(); err != nil {
		return err
	}
	if err := w.a.Update(func(tx *Tx) error { return putAll(tx, p.invoices, p.transactions) }); err != nil {
		return err
	}
	w.tick(len(p.invoices) + len(p.transactions) + 5)
	return nil
}

// putAll stores every record of the given slices under its planned ID.
func putAll(tx *Tx, lists ...any) error {
	for _, l := range lists {
		var err error
		switch l := l.(type) {
		case []TeamMember:
			err = putEach(tx, l)
		case []BillingMethod:
			err = putEach(tx, l)
		case []Job:
			err = putEach(tx, l)
		case []Contract:
			err = putEach(tx, l)
		case []Thread:
			err = putEach(tx, l)
		case []Review:
			err = putEach(tx, l)
		case []Dispute:
			err = putEach(tx, l)
		case []Invoice:
			err = putEach(tx, l)
		case []Transaction:
			err = putEach(tx, l)
		case []Message:
			err = putEach(tx, l)
		default:
			err = fmt.Errorf("no records of type %T", l)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func putEach[T any, P interface {
	*T
	Record
}](tx *Tx, list []T) error {
	for i := range list {
		if err := tx.Put(P(&list[i])); err != nil {
			return err
		}
	}
	return nil
}

// files makes the files' bytes on two goroutines ahead of the one that
// stores them, in order, so making and encrypting overlap.
func (w *sampleWriter) files() error {
	p := w.plan
	type made struct {
		data []byte
		err  error
	}
	results := make([]chan made, len(p.content))
	for i := range results {
		results[i] = make(chan made, 1)
	}
	sem := make(chan struct{}, 3) // files made but not yet stored, at most
	stop := make(chan struct{})
	defer close(stop)
	next := make(chan int)
	go func() {
		defer close(next)
		for i := range p.content {
			select {
			case sem <- struct{}{}:
			case <-stop:
				return
			}
			select {
			case next <- i:
			case <-stop:
				return
			}
		}
	}()
	for range 2 {
		go func() {
			for i := range next {
				data, err := p.content[i].make()
				results[i] <- made{data, err}
			}
		}()
	}
	for i := range p.files {
		r := <-results[i]
		<-sem
		if r.err != nil {
			return fmt.Errorf("make %q: %w", p.files[i].Name, r.err)
		}
		f := p.files[i]
		if err := w.a.AddFile(&f, bytes.NewReader(r.data)); err != nil {
			return err
		}
		if f.ID != p.files[i].ID {
			return fmt.Errorf("sample file %q stored as %d, planned as %d", f.Name, f.ID, p.files[i].ID)
		}
		p.files[i] = f
		w.tick(1)
	}
	return nil
}

// messages writes messages in batches so the large sample streams.
func (w *sampleWriter) messages() error {
	const batch = 5000
	msgs := w.plan.messages
	for start := 0; start < len(msgs); start += batch {
		part := msgs[start:min(start+batch, len(msgs))]
		if err := w.a.Update(func(tx *Tx) error { return putAll(tx, part) }); err != nil {
			return err
		}
		w.tick(len(part))
	}
	return nil
}
