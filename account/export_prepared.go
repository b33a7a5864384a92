package account

import (
	"errors"
	"io"
	"slices"
	"sync"

	"offboard/account/archive"
)

// exportMemory bounds what an export holds in memory while it writes;
// ExportOptions carries one (tests set their own), and the zero value
// means defaultExportMemory.
type exportMemory struct {
	set bool
	// entry is the most compressed bytes one prepared entry of records may
	// take (the JSON of the 100,000 messages of the large sample takes
	// 4 MB); a larger one, and the kinds after it, are written into the
	// export as they are read, after the files.
	entry int
	// ahead is how many compressed bytes of finished entries may wait for
	// their turn while the export writes a file: they go in between two
	// files, so that the memory an export holds does not grow with the
	// account (the pages and PDFs of the large sample take 17 MB).
	ahead int
}

var defaultExportMemory = exportMemory{set: true, entry: 64 << 20, ahead: 4 << 20}

func (m exportMemory) orDefault() exportMemory {
	if !m.set {
		return defaultExportMemory
	}
	return m
}

// preparedItem is a finished entry of records, or, with entry nil, the
// end of kind k's entries: n records, or err.
type preparedItem struct {
	entry *archive.Prepared
	k     Kind
	n     int
	err   error // archive.ErrPrepareLimit: write this kind and the next ones directly
}

// preparedRecords is the goroutine that prepares the records' entries,
// and what the export has taken of them.
type preparedRecords struct {
	a      *Account
	w      *archive.Writer
	ps     *pageSet
	items  chan preparedItem
	quit   chan struct{}
	ahead  byteBudget
	added  map[string]bool // entries in the export
	held   *preparedItem   // an end of kind to act on after the files
	prog   *ExportProgress
	report func()
	done   bool // the direct writing has run: ignore what is left
}

// prepareRecords makes each kind's entries, in the order of Kinds, on a
// goroutine of its own, and hands each over as soon as it is finished.
func (a *Account) prepareRecords(ps *pageSet, w *archive.Writer, prog *ExportProgress, report func(), mem exportMemory) *preparedRecords {
	r := &preparedRecords{a: a, w: w, ps: ps, prog: prog, report: report, items: make(chan preparedItem, 64),
		quit: make(chan struct{}), added: map[string]bool{}, ahead: byteBudget{left: mem.ahead, total: mem.ahead}}
	r.ahead.cond.L = &r.ahead.mu
	go func() {
		defer close(r.items)
		send := func(it preparedItem) bool {
			if it.entry != nil && !r.ahead.take(it.entry.Size()) {
				return false
			}
			select {
			case r.items <- it:
				return true
			case <-r.quit:
				return false
			}
		}
		for _, k := range Kinds {
			// The kind's JSON and CSV go in main, the pages made from
			// the same pass over its records (a thread's page as its
			// messages stream by) in side: two entries open at once.
			main, side := &preparedSeq{send: send, limit: mem.entry}, &preparedSeq{send: send, limit: mem.entry}
			it := preparedItem{k: k}
			it.n, it.err = a.writeKind(main.open, side.open, k, ps, r.quit)
			for _, seq := range []*preparedSeq{main, side} {
				if err := seq.closeLast(); err != nil && it.err == nil {
					it.err = err
				}
			}
			if errors.Is(it.err, errStopped) || !send(it) || it.err != nil {
				return
			}
		}
	}()
	return r
}

// addReady adds, between two files, the entries finished so far.
func (r *preparedRecords) addReady() error {
	for r.held == nil {
		select {
		case it, ok := <-r.items:
			if !ok {
				return nil
			}
			if it.entry == nil && it.err != nil {
				r.held = &it // written after the files
				return nil
			}
			if err := r.add(it); err != nil {
				return err
			}
		default:
			return nil
		}
	}
	return nil
}

// finish adds the rest, once the files are in the export.
func (r *preparedRecords) finish() error {
	for it := range r.items {
		if err := r.add(it); err != nil {
			return err
		}
	}
	if r.held != nil {
		it := *r.held
		r.held = nil
		return r.add(it)
	}
	return nil
}

// add puts one item into the export.
func (r *preparedRecords) add(it preparedItem) error {
	if r.done {
		return nil
	}
	w := r.w
	switch {
	case it.entry != nil:
		size := it.entry.Size()
		err := w.AddPrepared(it.entry)
		r.ahead.give(size)
		r.added[it.entry.Name()] = true
		return err
	case errors.Is(it.err, archive.ErrPrepareLimit):
		// Too much to hold in memory: this kind and those after it are
		// written into the export as they are read. Entries of this kind
		// already in it come out the same again, and are not written twice.
		r.done = true
		open := func(name string) (io.Writer, error) {
			if r.added[name] {
				return io.Discard, nil
			}
			return w.Entry(name)
		}
		for _, k := range Kinds[slices.Index(Kinds, it.k):] {
			n, err := r.a.writeKind(open, nil, k, r.ps, nil)
			if err != nil {
				return err
			}
			r.a.countKind(w, k, n, r.prog, r.report)
		}
		return nil
	case it.err != nil:
		return it.err
	}
	r.a.countKind(w, it.k, it.n, r.prog, r.report)
	return nil
}

// stop ends the goroutine early and waits for it.
func (r *preparedRecords) stop() {
	close(r.quit)
	r.ahead.stop()
	for range r.items { // wait for the goroutine to let go of its transactions
	}
}

// byteBudget is how many bytes may still be taken; take waits for them.
type byteBudget struct {
	mu      sync.Mutex
	cond    sync.Cond
	left    int
	total   int
	stopped bool
}

// take waits until n bytes are free (or nothing is taken, for n larger
// than the whole budget) and takes them; false once stopped.
func (b *byteBudget) take(n int) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	for b.left < n && b.left < b.total && !b.stopped {
		b.cond.Wait()
	}
	b.left -= n
	return !b.stopped
}

func (b *byteBudget) give(n int) {
	b.mu.Lock()
	b.left += n
	b.cond.Broadcast()
	b.mu.Unlock()
}

func (b *byteBudget) stop() {
	b.mu.Lock()
	b.stopped = true
	b.cond.Broadcast()
	b.mu.Unlock()
}

// preparedSeq makes prepared entries one after another: an entry is
// finished when the next one starts, as with Writer.Entry, since a kind can
// have thousands (a page per thread, a PDF per invoice) and each open one
// holds a compressor. Each finished entry goes to send.
type preparedSeq struct {
	last  *archive.Prepared
	send  func(preparedItem) bool
	limit int // exportMemory.entry
}

func (q *preparedSeq) closeLast() error {
	p := q.last
	if p == nil {
		return nil
	}
	q.last = nil
	if err := p.Close(); err != nil {
		return err
	}
	if !q.send(preparedItem{entry: p}) {
		return errStopped
	}
	return nil
}

func (q *preparedSeq) open(name string) (io.Writer, error) {
	if err := q.closeLast(); err != nil {
		return nil, err
	}
	p, err := archive.Prepare(name, q.limit)
	if err == nil {
		q.last = p
	}
	return p, err
}
