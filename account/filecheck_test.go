package account

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// smallAccountFile is the bytes of a fresh account file with a few records.
func smallAccountFile(t testing.TB) []byte {
	t.Helper()
	dir := t.TempDir()
	s := openTestStore(t, dir, fastOptions())
	a, err := s.SignUp("check@example.com", "correct-horse-9", "Check Co")
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if err := a.Put(&Job{Title: "a posting", Budget: Money{Cents: 100, Currency: "USD"}, Type: Fixed, Status: JobClosed}); err != nil {
			t.Fatal(err)
		}
	}
	a.Close()
	b, err := os.ReadFile(a.path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// runtimeWords are the runtime's own words, which no message may contain.
var runtimeWords = []string{"runtime error", "nil pointer", "index out of range", "goroutine", "panic"}

func checkBytes(t testing.TB, b []byte) error {
	t.Helper()
	p := filepath.Join(t.TempDir(), "a.db")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return checkFile(p)
}

// TestCheckFileRefusesEveryTruncation cuts a real account file at every
// length up to its end (every 64 bytes, and around every page boundary):
// each cut that loses a page the meta counts is refused as shorter than it
// should be (or empty, or not an account file when even the meta is gone),
// and a cut that loses only the unused tail opens.
func TestCheckFileRefusesEveryTruncation(t *testing.T) {
	good := smallAccountFile(t)
	if err := checkBytes(t, good); err != nil {
		t.Fatalf("a good file is refused: %v", err)
	}
	hwm := boltHWM(good) * 4096
	lengths := map[int]bool{}
	for n := 0; n < len(good); n += 64 {
		lengths[n] = true
	}
	for p := 0; p <= len(good); p += 4096 {
		for _, n := range []int{p - 1, p, p + 1} {
			if n >= 0 && n < len(good) {
				lengths[n] = true
			}
		}
	}
	refused := 0
	for n := range lengths {
		err := checkBytes(t, good[:n])
		switch {
		case n >= hwm:
			if err != nil {
				t.Errorf("cut to %d (past the %d bytes in use): %v", n, hwm, err)
			}
		case err == nil:
			t.Errorf("cut to %d of %d bytes: not refused", n, hwm)
		default:
			var d *DamagedFileError
			if !errors.As(err, &d) || !errors.Is(err, ErrCorruptFile) {
				t.Errorf("cut to %d: %T %v", n, err, err)
			} else if n >= 2*4096 && d.Reason != errFileShort {
				t.Errorf("cut to %d: %v, want shorter than it should be", n, err)
			}
			refused++
		}
	}
	t.Logf("%d cuts of a %d-byte file (%d in use): %d refused", len(lengths), len(good), hwm, refused)
}

// TestCheckFileRefusesZeroedPages zeroes each page in use in turn: a zeroed
// older meta page leaves the current one; a zeroed current meta page leaves
// the older one, whose tree may itself be gone, since the pages only it
// pointed at were freed and cleared (scrub.go), and then it is refused
// clearly; any other page is refused.
func TestCheckFileRefusesZeroedPages(t *testing.T) {
	good := smallAccountFile(t)
	pages := boltHWM(good)
	current := 0
	if m0, m1 := readMeta(good[:4096]), readMeta(good[4096:8192]); m1.valid && (!m0.valid || m1.txid > m0.txid) {
		current = 1
	}
	for p := range pages {
		b := bytes.Clone(good)
		clear(b[p*4096 : (p+1)*4096])
		err := checkBytes(t, b)
		if p < 2 {
			var d *DamagedFileError
			switch {
			case err == nil:
			case p == current && errors.As(err, &d) && errors.Is(err, ErrCorruptFile):
				t.Logf("current meta page %d zeroed: the older meta's tree was cleared, refused: %v", p, err)
			default:
				t.Errorf("meta page %d zeroed: the other meta should do: %v", p, err)
			}
			continue
		}
		// A page no longer in use (freed) may be zeroed without harm.
		if err == nil {
			continue
		}
		if !errors.Is(err, ErrCorruptFile) {
			t.Errorf("page %d zeroed: %v", p, err)
		}
	}
}

func boltHWM(b []byte) int {
	m0, m1 := readMeta(b[:4096]), readMeta(b[4096:8192])
	m := m0
	if m1.valid && (!m0.valid || m1.txid > m0.txid) {
		m = m1
	}
	return int(m.pgid)
}

// FuzzOpenAccountFile feeds whole account files, cut and changed, to the
// open path. checkFile must refuse with its own message or pass; a file it
// passes must then be one bbolt reads and writes without a panic or fault
// (its calls are made here without the store's recovery), and stay one that
// checkFile passes after the write.
func FuzzOpenAccountFile(f *testing.F) {
	good := smallAccountFile(f)
	f.Add(good)
	for _, n := range []int{0, 1, 4095, 4096, 8192, 8193, len(good) / 2, len(good) - 4096, len(good) - 1} {
		if n >= 0 && n <= len(good) {
			f.Add(good[:n])
		}
	}
	for _, at := range []int{16, 4096 + 16, 2*4096 + 10, 3*4096 + 20, 3*4096 + 40} {
		b := bytes.Clone(good)
		b[at%len(b)] ^= 0x41
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "a.db")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := checkFile(p); err != nil {
			var d *DamagedFileError
			if !errors.As(err, &d) {
				t.Fatalf("not a DamagedFileError: %v", err)
			}
			for _, w := range runtimeWords {
				if strings.Contains(err.Error(), w) {
					t.Fatalf("runtime text in %q", err)
				}
			}
			return
		}
		// No fsync: the fuzzer runs this thousands of times, and what it
		// tests is what bbolt reads, not what reaches the disk.
		db, err := bolt.Open(p, 0o600, &bolt.Options{Timeout: time.Second, NoSync: true, NoGrowSync: true})
		if err != nil {
			return // bbolt's own refusal, made with plain reads
		}
		defer db.Close()
		walkAll := func(tx *bolt.Tx) error {
			var walk func(b *bolt.Bucket, depth int)
			walk = func(b *bolt.Bucket, depth int) {
				c := b.Cursor()
				for k, v := c.First(); k != nil; k, v = c.Next() {
					if v == nil && depth < 8 {
						if nb := b.Bucket(k); nb != nil {
							walk(nb, depth+1)
						}
					}
				}
			}
			return tx.ForEach(func(name []byte, b *bolt.Bucket) error { walk(b, 0); b.Stats(); return nil })
		}
		if err := db.View(walkAll); err != nil {
			t.Fatal(err)
		}
		if err := db.Update(func(tx *bolt.Tx) error {
			b, err := tx.CreateBucketIfNotExists([]byte("fuzz"))
			if err != nil {
				return err
			}
			return b.Put([]byte("k"), bytes.Repeat([]byte("v"), 5000))
		}); err != nil {
			return
		}
		db.Close()
		if err := checkFile(p); err != nil {
			t.Fatalf("a file bbolt wrote to is refused: %v", err)
		}
	})
}

// BenchmarkCheckFile is the check every open of the small sample's account
// file now makes before bbolt maps it.
func BenchmarkCheckFile(b *testing.B) {
	s := openTestStore(b, b.TempDir(), fastOptions())
	a, err := s.CreateSample(SampleSmall, "", nil)
	if err != nil {
		b.Fatal(err)
	}
	a.Close()
	info, err := os.Stat(a.path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(info.Size())
	b.ResetTimer()
	for b.Loop() {
		if err := checkFile(a.path); err != nil {
			b.Fatal(err)
		}
	}
}
