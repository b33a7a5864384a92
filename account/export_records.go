package account

import (
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// walkLettingGo calls fn with the key and sealed value of every record of
// kind k, in stored order, letting go of the pages read every dropEvery
// records (see dropMapping). The slices are valid until fn returns.
func (t *Tx) walkLettingGo(k Kind, fn func(key, sealed []byte) error) error {
	b, err := t.bucket(k)
	if err != nil {
		return err
	}
	rel := pageReleaser{tx: t.tx}
	c := b.Cursor()
	for key, v := c.First(); key != nil; key, v = c.Next() {
		rel.read(1)
		if err := fn(key, v); err != nil {
			return err
		}
	}
	return nil
}

// dropEvery is how many records an export reads between two calls of
// dropMapping: a MiB or two of pages (see dropBatches).
const dropEvery = 2048

// pageReleaser lets go of the account file's mapped pages (dropMapping)
// every dropEvery records a long walk in tx has read, so that the walk
// keeps a MiB or two of them mapped, not all it passed.
type pageReleaser struct {
	tx   *bolt.Tx
	seen int // records read since the pages were last let go of
}

// read records that n more records were read.
func (r *pageReleaser) read(n int) {
	if r.seen += n; r.seen >= dropEvery {
		dropMapping(r.tx)
		r.seen = 0
	}
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
