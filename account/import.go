package account

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"offboard/account/archive"
)

// bImports remembers which items of which exported account were already
// brought in, so importing the same export twice adds nothing twice. Its keys
// are hashes, its values new IDs: nothing personal.
var bImports = []byte("i")

// importBatch is how many items one transaction brings in.
const importBatch = 2000

// importOrder brings kinds in before the kinds that refer to them.
var importOrder = []Kind{KindTeam, KindJobs, KindContracts, KindThreads, KindFiles, KindMessages,
	KindReviews, KindInvoices, KindTransactions, KindBilling, KindDisputes}

// Import is PlanImport then Run: it verifies the export, reads it through
// against the import guards, and brings in what is new.
func (a *Account) Import(ctx context.Context, path, passphrase string, progress func(done, total int)) (Counts, error) {
	p, err := a.PlanImport(ctx, path, passphrase)
	if err != nil {
		return nil, err
	}
	return p.Run(ctx, progress)
}

type importer struct {
	a        *Account
	r        *archive.Reader
	ctx      context.Context
	source   string
	added    Counts
	ids      map[Kind]map[uint64]uint64 // old ID → new ID, for kinds others refer to
	done     int
	total    int
	progress func(done, total int)
}

func (im *importer) importKey(k Kind, old uint64) []byte {
	h := sha256.New()
	h.Write([]byte(im.a.id))
	h.Write([]byte(im.source))
	h.Write([]byte(k))
	h.Write(be64(old))
	return h.Sum(nil)[:16]
}

func (im *importer) remap(k Kind, old uint64) uint64 {
	if old == 0 {
		return 0
	}
	return im.ids[k][old] // 0 when the referred item is not in the export
}

// fix rewrites a record's references to the new IDs of what it refers to.
func (im *importer) fix(r Record) {
	switch v := r.(type) {
	case *TeamMember:
		v.Owner = false // the account importing has its own owner
	case *Contract:
		v.JobID = im.remap(KindJobs, v.JobID)
	case *Thread:
		v.ContractID = im.remap(KindContracts, v.ContractID)
	case *Message:
		v.ThreadID = im.remap(KindThreads, v.ThreadID)
		var att []uint64
		for _, f := range v.Attachments {
			if n := im.remap(KindFiles, f); n != 0 {
				att = append(att, n)
			}
		}
		v.Attachments = att
	case *Review:
		v.ContractID = im.remap(KindContracts, v.ContractID)
	case *Invoice:
		v.ContractID = im.remap(KindContracts, v.ContractID)
	case *Transaction:
		v.InvoiceID = im.remap(KindInvoices, v.InvoiceID)
		v.ContractID = im.remap(KindContracts, v.ContractID)
	case *Dispute:
		v.ContractID = im.remap(KindContracts, v.ContractID)
	}
}

// kind streams one kind's JSON array and brings each new item in.
func (im *importer) kind(k Kind) error {
	im.ids[k] = map[uint64]uint64{}
	batch := make([]Record, 0, importBatch)
	err := eachElement(im.ctx, im.r, k, func(dec *json.Decoder) error {
		if k == KindFiles {
			var f exportFile
			if err := dec.Decode(&f); err != nil {
				return fmt.Errorf("read item: %w", err)
			}
			return im.file(f)
		}
		r := newRecordOf(k)
		if err := dec.Decode(r); err != nil {
			return fmt.Errorf("read item: %w", err)
		}
		batch = append(batch, r)
		if len(batch) < importBatch {
			return nil
		}
		err := im.put(k, batch)
		batch = batch[:0]
		return err
	})
	if err != nil {
		return err
	}
	return im.put(k, batch)
}

// put stores a batch of records of kind k in one transaction, skipping those
// an earlier import of this export already brought in.
func (im *importer) put(k Kind, batch []Record) error {
	if len(batch) == 0 {
		return nil
	}
	added := 0
	err := im.a.Update(func(tx *Tx) error {
		added = 0
		seen := tx.tx.Bucket(bImports)
		for _, r := range batch {
			old := r.RecordID()
			key := im.importKey(k, old)
			if v := seen.Get(key); len(v) == 8 {
				im.ids[k][old] = binary.BigEndian.Uint64(v)
				continue
			}
			im.fix(r)
			if m, ok := r.(*Message); ok && m.ThreadID == 0 {
				continue // its thread is not in the export: nowhere to put it
			}
			r.setID(0)
			if err := tx.Put(r); err != nil {
				return fmt.Errorf("item %d: %w", old, err)
			}
			if k != KindMessages {
				im.ids[k][old] = r.RecordID()
			}
			if err := seen.Put(key, be64(r.RecordID())); err != nil {
				return err
			}
			added++
		}
		return nil
	})
	if err != nil {
		return err
	}
	im.added[k] += added
	im.tick(len(batch))
	return nil
}

func (im *importer) tick(n int) {
	im.done += n
	if im.progress != nil {
		im.progress(im.done, im.total)
	}
}

// file brings in one file, streaming its bytes from the export.
func (im *importer) file(ef exportFile) error {
	key := im.importKey(KindFiles, ef.ID)
	var prior []byte
	if err := im.a.view(func(tx *bolt.Tx) error {
		prior = append([]byte(nil), tx.Bucket(bImports).Get(key)...)
		return nil
	}); err != nil {
		return err
	}
	if len(prior) == 8 {
		im.ids[KindFiles][ef.ID] = binary.BigEndian.Uint64(prior)
		im.tick(1)
		return nil
	}
	rc, err := im.r.Open(ef.Path)
	if err != nil {
		return err
	}
	defer rc.Close()
	f := ef.File
	want := f.SHA256
	if err := im.a.AddFile(&f, rc); err != nil {
		return err
	}
	if want != "" && f.SHA256 != want {
		im.a.Update(func(tx *Tx) error { return tx.Delete(&f) })
		return fmt.Errorf("file %q: its bytes do not match its checksum (%s…, expected %s…)", f.Name, f.SHA256[:12], want[:min(12, len(want))])
	}
	if err := im.a.update(func(tx *bolt.Tx) error { return tx.Bucket(bImports).Put(key, be64(f.ID)) }); err != nil {
		return err
	}
	im.ids[KindFiles][ef.ID] = f.ID
	im.added[KindFiles]++
	im.tick(1)
	return nil
}
