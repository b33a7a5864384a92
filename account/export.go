package account

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	bolt "go.etcd.io/bbolt"

	"offboard/account/archive"
	"offboard/account/durable"
	"offboard/account/vault"
)

// The passphrase errors of an export, so that a caller of account needs no
// other package to tell them apart.
var (
	// ErrWrongPassphrase: the passphrase does not open the export.
	ErrWrongPassphrase = archive.ErrWrongPassphrase
	// ErrNeedPassphrase: the export is encrypted and no passphrase was given.
	ErrNeedPassphrase = archive.ErrNeedPassphrase
)

// ExportProgress reports how far an export has come.
type ExportProgress struct {
	Phase      string // "writing", then "verifying"
	Items      int
	TotalItems int
	Bytes      int64 // uncompressed bytes written so far
	TotalBytes int64 // estimate: file bytes plus records
}

// ExportOptions tune an export.
type ExportOptions struct {
	Passphrase string               // empty: a plain ZIP
	Progress   func(ExportProgress) // called from the exporting goroutine
	AppVersion string
	FS         durable.FS // nil: the real file system (tests inject faults)

	// ScryptWorkFactor is the log2 cost of the passphrase's scrypt; zero
	// means age's default (2^18). Only tests lower it, to run quickly.
	ScryptWorkFactor int
}

// ExportResult describes a written and verified export.
type ExportResult struct {
	Path     string
	Size     int64
	Counts   Counts
	Created  time.Time
	Verified bool
	Manifest archive.Manifest

	sum *exportSum
}

// exportSum is the checksum of a verified export. The writer computes it
// from the bytes as they go into the file, so it is ready with the export:
// a script that waits for it no longer waits for a second reading of the
// whole file.
type exportSum struct {
	done chan struct{}
	hex  string
	err  error
}

func knownSum(hex string) *exportSum {
	s := &exportSum{done: make(chan struct{}), hex: hex}
	close(s.done)
	return s
}

// SHA256 is the checksum of the whole export file in lowercase hex, as
// sha256sum prints it. It waits, if need be, until the file has been read.
func (r *ExportResult) SHA256() (string, error) {
	if r.sum == nil {
		return "", errors.New("this export has no checksum")
	}
	<-r.sum.done
	return r.sum.hex, r.sum.err
}

// The tabular kinds also get a CSV copy that opens in a spreadsheet.
var csvKinds = map[Kind]bool{KindContracts: true, KindInvoices: true, KindTransactions: true}

// exportFile is a file's description in files.json: where its bytes are.
type exportFile struct {
	File
	Path string `json:"path"`
}

// DefaultExportName suggests a file name: the company and the date.
func DefaultExportName(company string, t time.Time, encrypted bool) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(company)) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	name := strings.Trim(b.String(), "-")
	if name == "" {
		name = "account"
	}
	name += "-export-" + t.Format("2006-01-02") + ".zip"
	if encrypted {
		name += ".age"
	}
	return name
}

// besideEarlier is where an export to dest is written: dest itself, or,
// when a file is already there, a name beside it that the crash clean-up
// knows. The archive's own rename would replace the earlier file before
// the read-back, so the new one is renamed over it only once verified.
func besideEarlier(dest string) string {
	if fi, err := os.Lstat(dest); err != nil || !fi.Mode().IsRegular() {
		return dest
	}
	return filepath.Join(filepath.Dir(dest), strings.Replace(archive.TempPattern, "*", fmt.Sprintf("replace-%d", time.Now().UnixNano()), 1))
}

// exportTotals is the progress of an export that has written nothing yet:
// how many items and, roughly, bytes it will write.
func exportTotals(files []File, counts Counts) ExportProgress {
	var fileBytes int64
	for _, f := range files {
		fileBytes += f.Size
	}
	prog := ExportProgress{Phase: "writing", TotalBytes: fileBytes + int64(counts.Total())*300}
	for _, n := range counts {
		prog.TotalItems += n
	}
	return prog
}

// Export writes everything the account holds to path (a ZIP, or an age file
// when a passphrase is given), then reads it back and verifies every entry
// against its manifest and the manifest's counts against the account. Only
// a verified export returns without error; otherwise nothing is left at path
// that was not there before, and a file already at path is left as it was,
// byte for byte: it is replaced only once the new export has verified.
// Cancel ctx to stop it.
func (a *Account) Export(ctx context.Context, dest string, opt ExportOptions) (*ExportResult, error) {
	if opt.Passphrase != "" {
		if err := CheckPassphrase(opt.Passphrase); err != nil {
			return nil, err
		}
	}
	final, dest := dest, besideEarlier(dest)
	// Signing in has just left tens of MiB of key-derivation memory
	// (Argon2id) as garbage; hand it back before a long streaming job, so
	// that the export runs in little memory whatever the account's size.
	debug.FreeOSMemory()
	// Remember the folder (sealed) until the export ends, so that if the
	// process dies mid-way the next sign-in removes the temporary file.
	if err := a.setPendingExport(filepath.Dir(dest)); err != nil {
		return nil, err
	}
	defer a.setPendingExport("")
	// The file first: with a passphrase, scrypt starts at once and the
	// counting below runs beside it.
	var prog ExportProgress
	report := func() {
		if opt.Progress != nil {
			opt.Progress(prog)
		}
	}
	created := a.store.now().UTC().Truncate(time.Second)
	w, err := archive.Create(ctx, dest, archive.Options{
		Passphrase: opt.Passphrase, AppVersion: opt.AppVersion, AccountID: a.id, Created: created,
		FS: opt.FS, ScryptWorkFactor: opt.ScryptWorkFactor,
		Progress: func(n int64) { prog.Bytes = n; report() },
	})
	if err != nil {
		return nil, err
	}
	defer w.Abort()
	counts, err := a.exportCounts()
	if err != nil {
		return nil, err
	}
	files, err := List[File](a)
	if err != nil {
		return nil, err
	}
	prog = exportTotals(files, counts)
	if err := a.writeExport(w, files, counts, created, &prog, report); err != nil {
		return nil, err
	}
	res, err := w.Commit()
	if err != nil {
		return nil, err
	}
	prog.Phase = "verifying"
	report()
	m, err := archive.VerifyWritten(ctx, res, opt.Passphrase)
	if err == nil {
		err = checkCounts(m.Counts, counts)
	}
	if err != nil {
		os.Remove(res.Path)
		return nil, fmt.Errorf("the export was written but did not verify, so it was removed: %w", err)
	}
	if final != res.Path {
		if err := replaceWith(opt.FS, res.Path, final); err != nil {
			return nil, err
		}
		res.Path = final
	}
	return &ExportResult{Path: res.Path, Size: res.Size, Counts: counts, Created: created, Verified: true, Manifest: *m,
		sum: knownSum(res.SHA256)}, nil
}

// exportCounts is Counts for an export: the same numbers, counted by
// walking the keys so that the pages read can be let go of on the way
// (see dropMapping) instead of all staying mapped at once.
func (a *Account) exportCounts() (Counts, error) {
	c := Counts{}
	err := a.View(func(tx *Tx) error {
		defer dropMapping(tx.tx)
		for _, k := range Kinds {
			n := 0
			if err := tx.walkLettingGo(k, func(_, _ []byte) error { n++; return nil }); err != nil {
				return err
			}
			c[k] = n
		}
		return nil
	})
	return c, err
}

// walkLettingGo calls fn with the key and sealed value of every record of
// kind k, in stored order, letting go of the pages read every dropEvery
// records (see dropMapping). The slices are valid until fn returns.
func (t *Tx) walkLettingGo(k Kind, fn func(key, sealed []byte) error) error {
	b, err := t.bucket(k)
	if err != nil {
		return err
	}
	n := 0
	c := b.Cursor()
	for key, v := c.First(); key != nil; key, v = c.Next() {
		if n++; n%dropEvery == 0 {
			dropMapping(t.tx)
		}
		if err := fn(key, v); err != nil {
			return err
		}
	}
	return nil
}

// dropEvery is how many records an export reads between two calls of
// dropMapping: a MiB or two of pages (see dropBatches).
var dropEvery = 2048

// Total is the number of records of all kinds.
func (c Counts) Total() int {
	n := 0
	for _, v := range c {
		n += v
	}
	return n
}

func checkCounts(got map[string]int, want Counts) error {
	for _, k := range Kinds {
		if got[string(k)] != want[k] {
			return fmt.Errorf("the export holds %d %s but the account has %d", got[string(k)], k, want[k])
		}
	}
	return nil
}

func (a *Account) writeExport(w *archive.Writer, files []File, counts Counts, created time.Time, prog *ExportProgress, report func()) error {
	p, err := a.Profile()
	if err != nil {
		return err
	}
	avatar := p.Avatar
	p.Avatar = nil
	if err := writeJSON(w, "profile.json", p); err != nil {
		return err
	}
	ps := &pageSet{a: a, company: p.Company, createdAt: created, created: created.Format("2006-01-02 15:04 UTC"), counts: counts}
	ew, err := w.Entry(IndexName)
	if err != nil {
		return err
	}
	if err := ps.writeIndex(ew, p); err != nil {
		return err
	}
	if len(avatar) > 0 {
		ew, err := w.Entry("avatar" + imageExt(avatar))
		if err != nil {
			return err
		}
		if _, err := ew.Write(avatar); err != nil {
			return err
		}
	}
	names := map[string]bool{}
	filePath := map[uint64]string{}
	for i, f := range files {
		filePath[f.ID] = uniqueFileName(i+1, f.Name, names)
	}
	ps.filePath = filePath
	// The records are read, encoded and compressed on a goroutine of their
	// own while the files are written, and go into the export between two
	// files and after them.
	rec := a.prepareRecords(ps, w, prog, report)
	defer rec.stop()
	if err := a.writeFiles(w, files, filePath, prog, report, rec.addReady); err != nil {
		return err
	}
	return rec.finish()
}

// countKind records that the export holds n items of kind k.
func (a *Account) countKind(w *archive.Writer, k Kind, n int, prog *ExportProgress, report func()) {
	w.SetCount(string(k), n)
	if k != KindFiles {
		prog.Items += n
		report()
	}
}

// recordMemory is the most compressed bytes one prepared entry of records
// may take (the JSON of the 100,000 messages of the large sample takes
// 4 MB); a larger one, and the kinds after it, are written into the export
// as they are read, after the files.
var recordMemory = 64 << 20

// recordsAhead is how many compressed bytes of finished entries may wait
// for their turn while the export writes a file: they go in between two
// files, so that the memory an export holds does not grow with the
// account (the pages and PDFs of the large sample take 17 MB).
var recordsAhead = 4 << 20

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
func (a *Account) prepareRecords(ps *pageSet, w *archive.Writer, prog *ExportProgress, report func()) *preparedRecords {
	r := &preparedRecords{a: a, w: w, ps: ps, prog: prog, report: report, items: make(chan preparedItem, 64),
		quit: make(chan struct{}), added: map[string]bool{}, ahead: byteBudget{left: recordsAhead, total: recordsAhead}}
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
			main, side := &preparedSeq{send: send}, &preparedSeq{send: send}
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
	last *archive.Prepared
	send func(preparedItem) bool
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
	p, err := archive.Prepare(name, recordMemory)
	if err == nil {
		q.last = p
	}
	return p, err
}

// addRecord adds one record of kind k to its JSON array. Records are
// stored as json.Marshal made them from their type, so they are written as
// they are, not decoded first; a file's record also gets its path in the
// export.
func addRecord(arr *archive.JSONArray, k Kind, plain []byte, filePath map[uint64]string) error {
	if k != KindFiles {
		return arr.AddMarshalled(plain)
	}
	var f File
	if json.Unmarshal(plain, &f) != nil {
		return fmt.Errorf("%s item: %w", k, vault.ErrCorrupt)
	}
	return arr.Add(exportFile{File: f, Path: filePath[f.ID]})
}

// writeKind writes kind k's JSON array, and its CSV for the tabular kinds,
// into the entries open makes, and its pages, and returns how many records
// it held. side, when not nil, makes entries that can be open beside
// open's: the pages of the message threads are then made in the same pass
// over the messages as messages.json, each message decrypted once (in the
// export's fallback, which writes straight into the ZIP one entry at a
// time, side is nil and the pages take a pass of their own). A closed quit
// stops it with errStopped.
func (a *Account) writeKind(open, side func(string) (io.Writer, error), k Kind, ps *pageSet, quit <-chan struct{}) (int, error) {
	counts, filePath := ps.counts, ps.filePath
	ew, err := open(string(k) + ".json")
	if err != nil {
		return 0, err
	}
	arr := archive.NewJSONArray(ew)
	var threads *threadPages
	if k == KindMessages && side != nil && ps.threadsPending {
		threads = ps.newThreadPages(side)
	}
	n := 0
	err = a.eachPlain(k, func(key, plain []byte) error {
		select {
		case <-quit:
			return errStopped
		default:
		}
		n++
		if threads != nil {
			if err := threads.add(key, plain); err != nil {
				return err
			}
		}
		return addRecord(arr, k, plain, filePath)
	})
	if err != nil {
		return 0, err
	}
	if err := arr.Close(); err != nil {
		return 0, err
	}
	if threads != nil {
		if err := threads.finish(); err != nil {
			return 0, err
		}
		ps.threadsPending = false
	}
	if n != counts[k] {
		return 0, fmt.Errorf("the account changed during the export (%s: %d, then %d); export again", k, counts[k], n)
	}
	return n, a.writeKindViews(open, k, ps, side != nil)
}

// writeKindViews writes what else the export shows of kind k: its CSV
// table, its pages, and the invoices' PDFs.
func (a *Account) writeKindViews(open func(string) (io.Writer, error), k Kind, ps *pageSet, threadsDone bool) error {
	if csvKinds[k] {
		if err := a.writeCSV(open, k); err != nil {
			return err
		}
	}
	if err := ps.writeKindPages(open, k, threadsDone); err != nil {
		return err
	}
	if k == KindInvoices {
		return ps.writeInvoicePDFs(open)
	}
	return nil
}

// writeFiles writes every stored file into the export.
func (a *Account) writeFiles(w *archive.Writer, files []File, filePath map[uint64]string, prog *ExportProgress, report func(), between func() error) error {
	// Each file is opened, and starts decrypting, while the one before it
	// is still being written.
	var next *fileReader
	defer func() {
		if next != nil {
			next.Close()
		}
	}()
	for i, f := range files {
		// A file's size and SHA-256 were recorded as it came in; reading
		// the export back checks its bytes against them, end to end.
		ew, err := w.KnownEntry(filePath[f.ID], f.Size, f.SHA256)
		if err != nil {
			return err
		}
		rc := next
		if rc == nil {
			if rc, err = a.openFile(f.ID); err != nil {
				return err
			}
		}
		next = nil
		if i+1 < len(files) {
			if next, err = a.openFile(files[i+1].ID); err != nil {
				rc.Close()
				return err
			}
			next.start()
		}
		_, err = io.Copy(ew, rc)
		rc.Close()
		if err != nil {
			return fmt.Errorf("copy file %q: %w", f.Name, err)
		}
		prog.Items++
		report()
		if err := between(); err != nil {
			return err
		}
	}
	return nil
}

// recordBatch is how many records eachPlain hands over at a time.
const recordBatch = 256

// errStopped ends a walk whose reader has gone.
var errStopped = errors.New("stopped")

// eachPlain calls fn with the key and plaintext of every record of kind k
// (its json.Marshal form) in stored order, as a walk in one transaction would,
// but the records are read and decrypted on a goroutine of their own, a
// few batches ahead of fn: for the 100,000 messages of a large account,
// decrypting them and writing them into the export run side by side.
func (a *Account) eachPlain(k Kind, fn func(key, plain []byte) error) error {
	type batch struct {
		keys  [][]byte // slices of one array per batch: the keys outlive the transaction
		plain [][]byte
		err   error
	}
	ch := make(chan batch, 2)
	quit := make(chan struct{})
	go func() {
		defer close(ch)
		plain := make([][]byte, 0, recordBatch)
		keys := make([][]byte, 0, recordBatch)
		var keyBytes []byte
		send := func(b batch) bool {
			select {
			case ch <- b:
				return true
			case <-quit:
				return false
			}
		}
		err := a.View(func(tx *Tx) error {
			defer dropMapping(tx.tx)
			return tx.walkLettingGo(k, func(key, v []byte) error {
				p, err := a.sealer.Open(nil, v, recordAD([]byte(k), key))
				if err != nil {
					return fmt.Errorf("%s item: %w", k, err)
				}
				if len(keyBytes)+len(key) > cap(keyBytes) {
					keyBytes = make([]byte, 0, max(recordBatch*16, len(key)))
				}
				keyBytes = append(keyBytes, key...)
				keys = append(keys, keyBytes[len(keyBytes)-len(key):])
				if plain = append(plain, p); len(plain) == recordBatch {
					if !send(batch{keys: keys, plain: plain}) {
						return errStopped
					}
					plain = make([][]byte, 0, recordBatch)
					keys = make([][]byte, 0, recordBatch)
				}
				return nil
			})
		})
		switch {
		case errors.Is(err, errStopped):
		case err != nil:
			send(batch{err: err})
		case len(plain) > 0:
			send(batch{keys: keys, plain: plain})
		}
	}()
	defer func() {
		close(quit)
		for range ch { // wait for the reader to let go of its transaction
		}
	}()
	for b := range ch {
		if b.err != nil {
			return b.err
		}
		for i, p := range b.plain {
			if err := fn(b.keys[i], p); err != nil {
				return err
			}
		}
	}
	return nil
}

func writeJSON(w *archive.Writer, name string, v any) error {
	ew, err := w.Entry(name)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(ew)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// uniqueFileName makes a stored file's name safe for every file system and
// unique within the export: "files/0007-report.pdf".
func uniqueFileName(n int, name string, used map[string]bool) string {
	safe := safeBaseName(name, 120)
	out := fmt.Sprintf("files/%04d-%s", n, safe)
	for i := 2; used[strings.ToLower(out)]; i++ {
		out = fmt.Sprintf("files/%04d-%d-%s", n, i, safe)
	}
	used[strings.ToLower(out)] = true
	return out
}

// safeBaseName is the base of name with what some file system refuses
// replaced, at most max bytes long, keeping an extension of up to 16 bytes.
func safeBaseName(name string, max int) string {
	var b strings.Builder
	for _, r := range path.Base(strings.ReplaceAll(name, "\\", "/")) {
		switch {
		case unicode.IsControl(r) || strings.ContainsRune(`<>:"/\|?*`, r):
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	safe := strings.Trim(b.String(), ". ")
	if safe == "" {
		safe = "file"
	}
	if len(safe) > max {
		ext := filepath.Ext(safe)
		if len(ext) > 16 {
			ext = ""
		}
		safe = strings.ToValidUTF8(safe[:max-len(ext)], "") + ext
	}
	return safe
}

func imageExt(b []byte) string {
	if len(b) > 3 && b[0] == 0xff && b[1] == 0xd8 {
		return ".jpg"
	}
	return ".png"
}

func (a *Account) writeCSV(open func(string) (io.Writer, error), k Kind) error {
	ew, err := open(string(k) + ".csv")
	if err != nil {
		return err
	}
	cw := safeCSV{csv.NewWriter(ew)}
	cw.UseCRLF = true // RFC 4180
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	id := func(v uint64) string {
		if v == 0 {
			return ""
		}
		return strconv.FormatUint(v, 10)
	}
	amount := func(m Money) string {
		neg := ""
		c := m.Cents
		if c < 0 {
			neg, c = "-", -c
		}
		return fmt.Sprintf("%s%d.%02d", neg, c/100, c%100)
	}
	err = a.View(func(tx *Tx) error {
		switch k {
		case KindContracts:
			cw.Write([]string{"id", "job_id", "freelancer", "title", "type", "rate", "currency", "status", "start", "end"})
			return Each(tx, func(c *Contract) error {
				return cw.Write([]string{id(c.ID), id(c.JobID), c.Freelancer, c.Title, string(c.Type), amount(c.Rate), c.Rate.Currency, string(c.Status), date(c.Start), date(c.End)})
			})
		case KindInvoices:
			cw.Write([]string{"id", "number", "date", "due", "amount", "currency", "status", "contract_id", "paid"})
			return Each(tx, func(i *Invoice) error {
				return cw.Write([]string{id(i.ID), i.Number, date(i.Date), date(i.Due), amount(i.Amount), i.Amount.Currency, string(i.Status), id(i.ContractID), date(i.Paid)})
			})
		default:
			cw.Write([]string{"id", "date", "description", "amount", "currency", "invoice_id", "contract_id"})
			return Each(tx, func(t *Transaction) error {
				return cw.Write([]string{id(t.ID), date(t.Date), t.Description, amount(t.Amount), t.Amount.Currency, id(t.InvoiceID), id(t.ContractID)})
			})
		}
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// kPending is where the folder of an export in progress is kept (sealed).
var kPending = []byte("pending-export")

func (a *Account) setPendingExport(dir string) error {
	return a.update(func(tx *bolt.Tx) error {
		if dir == "" {
			return tx.Bucket(bProfile).Delete(kPending)
		}
		return a.putSealed(tx, bProfile, kPending, dir)
	})
}

// cleanPendingExport removes what an export that a crash interrupted left
// behind: its temporary file in the destination folder. Offboard holds the
// data folder's lock, so no export of this account is running.
func (a *Account) cleanPendingExport() error {
	var dir string
	err := a.view(func(tx *bolt.Tx) error { return a.getSealed(tx, bProfile, kPending, &dir) })
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	matches, _ := filepath.Glob(filepath.Join(dir, archive.TempPattern))
	for _, m := range matches {
		if err := os.Remove(m); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("remove an unfinished export: %w", err)
		}
	}
	return a.setPendingExport("")
}

// IsEncryptedExport reports whether an export needs a passphrase.
func IsEncryptedExport(path string) (bool, error) { return archive.IsEncrypted(path) }

// VerifyExport checks an export against its manifest; see archive.Verify.
func VerifyExport(ctx context.Context, path, passphrase string) (*archive.Manifest, error) {
	return archive.Verify(ctx, path, passphrase)
}

func newRecordOf(k Kind) Record {
	switch k {
	case KindTeam:
		return new(TeamMember)
	case KindJobs:
		return new(Job)
	case KindContracts:
		return new(Contract)
	case KindThreads:
		return new(Thread)
	case KindMessages:
		return new(Message)
	case KindFiles:
		return new(File)
	case KindReviews:
		return new(Review)
	case KindInvoices:
		return new(Invoice)
	case KindTransactions:
		return new(Transaction)
	case KindBilling:
		return new(BillingMethod)
	case KindDisputes:
		return new(Dispute)
	}
	return nil
}

// replaceWith renames the verified export at tmp over the earlier file at
// path, durably; on failure tmp is removed and path is left as it was.
func replaceWith(fsys durable.FS, tmp, path string) error {
	if fsys == nil {
		fsys = durable.OS{}
	}
	err := durable.Rename(fsys, tmp, path)
	var folder *durable.FolderError
	switch {
	case errors.As(err, &folder):
		return fmt.Errorf("make the replaced %s durable: %w", filepath.Base(path), err)
	case err != nil:
		_ = fsys.Remove(tmp)
		return fmt.Errorf("replace %s with the verified export (the earlier file is unchanged): %w", filepath.Base(path), err)
	}
	return nil
}
