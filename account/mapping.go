package account

import bolt "go.etcd.io/bbolt"

// LetGoOfPages tells the system that this process is done, for now, with
// the pages of the account file it has read: they leave its resident
// memory but stay in the page cache, so reading them again costs little.
// bbolt maps the whole file, so without this a walk over 100,000 messages
// keeps every page it passed counted as the process's memory. The window
// calls it once it has read what its lists need.
func (a *Account) LetGoOfPages() {
	_ = a.view(func(tx *bolt.Tx) error {
		dropMapping(tx)
		return nil
	})
}
