package account

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestReceiptWriteFile: the receipt file is its text, private to its owner,
// replaces an earlier file whole, and a folder that is not there gives an
// error and leaves nothing.
func TestReceiptWriteFile(t *testing.T) {
	r := &Receipt{Email: "gone@example.com", Company: "Gone", Closed: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC),
		Deleted: Counts{KindMessages: 3}, Reason: ReasonOther, ReasonText: "moving on"}
	dir := t.TempDir()
	path := filepath.Join(dir, "receipt.txt")
	if err := os.WriteFile(path, []byte("an earlier, longer file that the receipt replaces"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := r.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != r.String() {
		t.Fatalf("the file holds %q (%v), want the receipt", got, err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("the folder holds %d files, want the receipt alone", len(ents))
	}
	missing := filepath.Join(dir, "no such folder", "receipt.txt")
	if err := r.WriteFile(missing); err == nil {
		t.Fatal("a receipt was written into a folder that does not exist")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("a failed write left %d files", len(ents)-1)
	}
}
