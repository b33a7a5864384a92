package account

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
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
	st := a.db.Stats()
	n, err := scrubFreePages(a.db)
	a.mu.Unlock()
	if err != nil || n == 0 {
		t.Fatalf("scrubbed %d pages: %v", n, err)
	}
	if want := st.FreePageN + st.PendingPageN; n != want {
		t.Fatalf("scrubbed %d pages; bbolt counts %d free and pending", n, want)
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

// TestPasswordChangeLeavesNoOldKeySlot: after a password change no key slot
// anywhere in the file, freed pages included, opens with the old password.
func TestPasswordChangeLeavesNoOldKeySlot(t *testing.T) {
	s, a := sampleAccount(t)
	// Wrong passwords rewrite the header, leaving more copies of the slot.
	a.Close()
	for range 3 {
		s.SignIn(SampleEmail, "wrong-password-1")
	}
	a = signIn(t, s, SampleEmail, SamplePassword)
	path := a.path
	if got := rawOpensFile(t, path, SamplePassword); len(got) == 0 {
		t.Fatal("the raw reader finds no slot at all: it proves nothing")
	}
	if err := a.ChangePassword(SamplePassword, crashPass); err != nil {
		t.Fatal(err)
	}
	if got := rawOpensFile(t, path, SamplePassword); len(got) != 0 {
		t.Fatalf("the old password still opens: %v", got)
	}
	if got := rawOpensFile(t, path, crashPass); len(got) != 1 {
		t.Fatalf("the new password opens %d slots, want the live one", len(got))
	}
	a.Close()
	if got := rawOpensFile(t, path, SamplePassword); len(got) != 0 {
		t.Fatalf("after closing, the old password still opens: %v", got)
	}
}

// TestDeletedFileLeavesNoChunk: once a file is deleted, none of its sealed
// chunks is left in the account file to decrypt with the current key.
func TestDeletedFileLeavesNoChunk(t *testing.T) {
	_, a := sampleAccount(t)
	files, _ := List[File](a)
	f := files[0]
	for _, g := range files {
		if g.Size > f.Size {
			f = g
		}
	}
	var sealed [][]byte
	a.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bChunks).Cursor()
		prefix := be64(f.ID)
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			sealed = append(sealed, bytes.Clone(v[:64]))
		}
		return nil
	})
	if len(sealed) == 0 {
		t.Fatal("the file has no chunks")
	}
	raw := func() []byte { b, _ := os.ReadFile(a.path); return b }
	if !bytes.Contains(raw(), sealed[0]) {
		t.Fatal("the chunk is not found in the file before: the test proves nothing")
	}
	if err := a.Update(func(tx *Tx) error { return tx.Delete(&f) }); err != nil {
		t.Fatal(err)
	}
	b := raw()
	for i, c := range sealed {
		if bytes.Contains(b, c) {
			t.Fatalf("chunk %d of the deleted file is still in the file", i)
		}
	}
	t.Logf("%d chunks of the deleted file are gone from the file", len(sealed))
}

// TestStartRefusesPurgingLinks: a symbolic link or a hard link named like an
// interrupted purge is refused loudly at start, and the file it points to
// is left as it was; a real interrupted purge is still finished.
func TestStartRefusesPurgingLinks(t *testing.T) {
	elsewhere := t.TempDir()
	keep := []byte("an unrelated file that must survive")
	for _, kind := range []string{"symlink", "hardlink"} {
		t.Run(kind, func(t *testing.T) {
			dir := t.TempDir()
			s := openTestStore(t, dir, fastOptions())
			s.Close()
			target := filepath.Join(elsewhere, kind+".txt")
			if err := os.WriteFile(target, keep, 0o600); err != nil {
				t.Fatal(err)
			}
			name := filepath.Join(dir, accountsDir, newID()+purgingExt)
			link := os.Symlink
			if kind == "hardlink" {
				link = os.Link
			}
			if err := link(target, name); err != nil {
				t.Fatal(err)
			}
			_, err := Open(dir, fastOptions())
			var notOurs *NotOursError
			if !errors.As(err, &notOurs) {
				t.Fatalf("start with a %s named .purging: %v", kind, err)
			}
			if got, _ := os.ReadFile(target); !bytes.Equal(got, keep) {
				t.Fatalf("the %s's target was overwritten", kind)
			}
			t.Logf("refused: %v", err)
			os.Remove(name)
			s2 := openTestStore(t, dir, fastOptions())
			s2.Close()
		})
	}
	// A regular purging file is still shredded and removed.
	dir := t.TempDir()
	openTestStore(t, dir, fastOptions()).Close()
	name := filepath.Join(dir, accountsDir, newID()+purgingExt)
	os.WriteFile(name, keep, 0o600)
	openTestStore(t, dir, fastOptions()).Close()
	if fileExists(name) {
		t.Fatal("a regular purging file was left")
	}
}
