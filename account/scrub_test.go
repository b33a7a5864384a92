package account

import (
	"testing"

	bolt "go.etcd.io/bbolt"
)

// TestScrubKeepsTheFileWhole zeroes the freed pages of a sample account that
// has seen a password change and deletions, then checks every page and record.
func TestScrubKeepsTheFileWhole(t *testing.T) {
	s, a := sampleAccount(t)
	if err := a.ChangePassword(SamplePassword, crashPass); err != nil {
		t.Fatal(err)
	}
	files, _ := List[File](a)
	if err := a.Update(func(tx *Tx) error { return tx.Delete(&files[0]) }); err != nil {
		t.Fatal(err)
	}
	a.mu.Lock()
	n, err := scrubFreePages(a.db)
	a.mu.Unlock()
	if err != nil || n == 0 {
		t.Fatalf("scrubbed %d pages: %v", n, err)
	}
	a.Close()
	b := signIn(t, s, SampleEmail, crashPass)
	err = b.view(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Check(); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d freed pages zeroed", n)
}
