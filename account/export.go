package account

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

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

	memory exportMemory // zero: defaultExportMemory (tests set their own)
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
	if err := a.writeExport(w, files, counts, created, &prog, report, opt.memory.orDefault()); err != nil {
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

func (a *Account) writeExport(w *archive.Writer, files []File, counts Counts, created time.Time, prog *ExportProgress, report func(), mem exportMemory) error {
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
	rec := a.prepareRecords(ps, w, prog, report, mem)
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
