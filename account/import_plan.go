package account

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	bolt "go.etcd.io/bbolt"

	"offboard/account/archive"
)

// ImportPlan is what an export would bring into an account, found by
// verifying the export and reading it through before anything is written:
// the preview that `offboard import --dry-run` prints and the window shows
// before it asks. Run carries it out.
type ImportPlan struct {
	// Manifest is the verified export's manifest.
	Manifest *archive.Manifest
	// New counts, per kind, the items that would be added.
	New Counts
	// Known counts the items an earlier import of this export already
	// brought in; they are not added again.
	Known Counts
	// Growth estimates how many bytes the account file would grow by.
	Growth int64
	// ExportSize is the size of the export file.
	ExportSize int64

	a          *Account
	path       string
	passphrase string
}

// Import guards. A ZIP compresses text a hundredfold and more, so a small
// export can unpack to far more than it looks; bbolt never gives space
// back, so what an import adds stays in the account file for good. An
// export whose content would grow the account past importGrowthFactor
// times the export's own size plus importGrowthSlack, or past the free
// disk space, is refused before anything is written. A real export stays
// far below: its files are stored, not compressed, and its JSON shrinks
// about ten times in the ZIP.
const importGrowthFactor = 32

// importGrowthSlack is a variable so that tests can hold an import to the
// factor alone.
var importGrowthSlack int64 = 64 << 20

// freeSpaceAt is freeSpace, which tests replace to fake a full disk.
var freeSpaceAt = freeSpace

const (
	// importDiskMargin is left free on the disk after an import, for
	// the system and the account's own later writes.
	importDiskMargin = 64 << 20
	// recordOverhead estimates what one stored record costs beyond its
	// JSON: the key, the nonce and tag of its sealing, bbolt's element
	// header and index entry.
	recordOverhead = 96
)

// ErrImportTooLarge reports an export refused by the import guards.
var ErrImportTooLarge = errors.New("this export is too large to import")

// PlanImport verifies the export at path and reads what it holds against
// this account, writing nothing.
func (a *Account) PlanImport(ctx context.Context, path, passphrase string) (*ImportPlan, error) {
	m, err := archive.Verify(ctx, path, passphrase)
	if err != nil {
		return nil, err
	}
	if m.AccountID == a.id {
		return nil, errors.New("this export was made from this same account, so it holds nothing new")
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("read the export: %w", err)
	}
	p := &ImportPlan{Manifest: m, New: Counts{}, Known: Counts{}, ExportSize: st.Size(), a: a, path: path, passphrase: passphrase}
	// The manifest's sizes are verified: what the kinds' lists and the
	// files unpack to bounds what the import can add, before a byte of
	// it is read.
	var content int64
	for _, e := range m.Entries {
		if isImportedEntry(e.Name) {
			content += e.Size
		}
	}
	if err := p.checkGrowth(content); err != nil {
		return nil, err
	}
	if err := p.scan(ctx); err != nil {
		return nil, err
	}
	if err := p.checkGrowth(p.Growth); err != nil {
		return nil, err
	}
	return p, nil
}

// isImportedEntry reports whether an import reads entry name into the account.
func isImportedEntry(name string) bool {
	if strings.HasPrefix(name, "files/") {
		return true
	}
	k, ok := strings.CutSuffix(name, ".json")
	return ok && newRecordOf(Kind(k)) != nil
}

// checkGrowth refuses an import that would add n bytes to the account.
func (p *ImportPlan) checkGrowth(n int64) error {
	if limit := importGrowthFactor*p.ExportSize + importGrowthSlack; n > limit {
		return fmt.Errorf("%w: it would add about %s to the account, %d times its own size of %s, which only a damaged or hand-made file does; nothing was imported",
			ErrImportTooLarge, archive.HumanBytes(n), n/max(p.ExportSize, 1), archive.HumanBytes(p.ExportSize))
	}
	free, err := freeSpaceAt(p.a.store.dir)
	if err == nil && n+importDiskMargin > free {
		return fmt.Errorf("%w: it needs about %s of free disk space where the account is kept, and %s is free; free some space and import again (nothing was imported)",
			ErrImportTooLarge, archive.HumanBytes(n+importDiskMargin), archive.HumanBytes(free))
	}
	return nil
}

// scan reads each kind's list, counting what is new and what an earlier
// import brought in, and estimating what the new items take once stored.
func (p *ImportPlan) scan(ctx context.Context) error {
	r, err := archive.Open(p.path, p.passphrase)
	if err != nil {
		return err
	}
	defer r.Close()
	im := &importer{a: p.a, source: p.Manifest.AccountID}
	threads := map[uint64]bool{} // threads in the export: a message needs its thread
	var seen *bolt.Bucket
	for _, k := range importOrder {
		var item struct {
			ID       uint64 `json:"id"`
			ThreadID uint64 `json:"thread_id"`
			Size     int64  `json:"size"`
		}
		n := 0
		err := p.a.view(func(tx *bolt.Tx) error {
			seen = tx.Bucket(bImports)
			return eachItem(ctx, r, k, &item, func(size int64) error {
				n++
				if k == KindThreads {
					threads[item.ID] = true
				}
				if k == KindMessages && !threads[item.ThreadID] {
					return nil // the import has nowhere to put it
				}
				if seen != nil && len(seen.Get(im.importKey(k, item.ID))) == 8 {
					p.Known[k]++
					return nil
				}
				p.New[k]++
				// bbolt fills its pages about half (they split at 50%).
				p.Growth += 2 * (size + recordOverhead)
				if k == KindFiles {
					p.Growth += max(item.Size, 0)
				}
				return nil
			})
		})
		if err != nil {
			return fmt.Errorf("read %s: %w", k, err)
		}
		if c, ok := p.Manifest.Counts[string(k)]; ok && c != n {
			return fmt.Errorf("%s.json holds %d items but the manifest says %d: %w", k, n, c, archive.ErrNotExport)
		}
	}
	return nil
}

// eachItem streams kind k's JSON array, decoding each element into item
// and calling fn with the element's size in bytes.
func eachItem(ctx context.Context, r *archive.Reader, k Kind, item any, fn func(size int64) error) error {
	return eachElement(ctx, r, k, func(dec *json.Decoder) error {
		start := dec.InputOffset()
		if err := dec.Decode(item); err != nil {
			return fmt.Errorf("read item: %w", err)
		}
		return fn(dec.InputOffset() - start)
	})
}

// eachElement streams kind k's JSON array, calling decode once for each
// element, which decode reads from dec. Reading on to the end lets the
// archive entry check its size and checksum.
func eachElement(ctx context.Context, r *archive.Reader, k Kind, decode func(dec *json.Decoder) error) error {
	rc, err := r.Open(string(k) + ".json")
	if err != nil {
		return err
	}
	defer rc.Close()
	dec := json.NewDecoder(rc)
	if t, err := dec.Token(); err != nil || t != json.Delim('[') {
		return fmt.Errorf("not a list: %w", archive.ErrNotExport)
	}
	for dec.More() {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := decode(dec); err != nil {
			return err
		}
	}
	_, err = io.Copy(io.Discard, rc)
	return err
}

// Total is how many items the import would add.
func (p *ImportPlan) Total() int { return p.New.Total() }

// Run carries the plan out: it copies the data of the export into the
// account (for consolidating accounts). Items keep their content;
// references between them (a message's thread, an invoice's contract) are
// carried over to their new IDs. Each item keeps its identity (the account
// it came from and its ID there), so importing the same export again adds
// nothing twice, and an interrupted import finishes when run again. It
// returns how many items of each kind were added. progress, if set, gets
// items done and the total.
func (p *ImportPlan) Run(ctx context.Context, progress func(done, total int)) (Counts, error) {
	r, err := archive.Open(p.path, p.passphrase)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	a := p.a
	im := &importer{a: a, r: r, ctx: ctx, source: p.Manifest.AccountID, added: Counts{}, ids: map[Kind]map[uint64]uint64{}, progress: progress}
	for _, n := range p.Manifest.Counts {
		im.total += n
	}
	if err := a.update(func(tx *bolt.Tx) error { _, err := tx.CreateBucketIfNotExists(bImports); return err }); err != nil {
		return nil, err
	}
	for _, k := range importOrder {
		if err := im.kind(k); err != nil {
			return im.added, fmt.Errorf("import %s: %w", k, err)
		}
	}
	return im.added, nil
}
