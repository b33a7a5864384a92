package account

import (
	"bytes"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func jsonEqual(t testing.TB, a, b any) bool {
	t.Helper()
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

// knownPlaintext gathers strings and file bytes that must never appear on
// disk: every email, name and message text, and a slice of every file.
func knownPlaintext(t testing.TB, a *Account) [][]byte {
	t.Helper()
	var out [][]byte
	add := func(s string) {
		if len(s) >= 6 {
			out = append(out, []byte(s))
		}
	}
	p, err := a.Profile()
	if err != nil {
		t.Fatal(err)
	}
	add(p.Email)
	add(p.Company)
	add(p.Contact)
	add(p.Phone)
	err = a.View(func(tx *Tx) error {
		Each(tx, func(m *TeamMember) error { add(m.Name); add(m.Email); return nil })
		Each(tx, func(c *Contract) error { add(c.Freelancer); return nil })
		Each(tx, func(m *Message) error { add(m.Body); return nil })
		Each(tx, func(r *Review) error { add(r.Text); return nil })
		Each(tx, func(d *Dispute) error { add(d.Summary); return nil })
		return Each(tx, func(f *File) error { add(f.Name); return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	files, _ := List[File](a)
	for _, f := range files {
		if f.Size < 64 {
			continue
		}
		rc, err := a.OpenFile(f.ID)
		if err != nil {
			t.Fatal(err)
		}
		b := make([]byte, 64)
		io.ReadFull(rc, b)
		out = append(out, b[32:])
	}
	return out
}

// assertNoPlaintext searches every byte of every file under dir.
func assertNoPlaintext(t testing.TB, dir string, needles [][]byte) {
	t.Helper()
	var scanned int64
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		scanned += int64(len(b))
		lower := asciiLower(b)
		for _, n := range needles {
			if bytes.Contains(b, n) || bytes.Contains(lower, asciiLower(n)) {
				t.Errorf("%s holds plaintext %q", path, n)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if scanned == 0 {
		t.Fatal("nothing scanned")
	}
	t.Logf("privacy scan: %d bytes searched for %d known plaintexts", scanned, len(needles))
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// asciiLower folds ASCII letters only: the haystack is mostly binary.
func asciiLower(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return out
}
