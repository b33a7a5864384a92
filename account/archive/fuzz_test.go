package archive

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// seedExports writes a small plain and a small encrypted export and returns
// their bytes and the plain one's manifest.
func seedExports(f *testing.F) (plain, encrypted, manifest []byte) {
	s := sample{
		entries: []sampleEntry{
			jsonEntry("messages.json", 3),
			csvEntry("contracts.csv", 2),
			bytesEntry("files/0001-a.txt", []byte("hello")),
			bytesEntry("files/0002-empty.bin", nil),
		},
		counts: map[string]int{"messages": 3, "contracts": 2, "files": 2},
	}
	read := func(encrypted bool) []byte {
		path, _ := mustWrite(f, testOptions(encrypted), s)
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		return b
	}
	plain, encrypted = read(false), read(true)
	zr, err := zip.NewReader(bytes.NewReader(plain), int64(len(plain)))
	if err != nil {
		f.Fatal(err)
	}
	for _, zf := range zr.File {
		if zf.Name == ManifestName {
			rc, err := zf.Open()
			if err != nil {
				f.Fatal(err)
			}
			manifest, err = io.ReadAll(rc)
			rc.Close()
			if err != nil {
				f.Fatal(err)
			}
		}
	}
	return plain, encrypted, manifest
}

func FuzzManifest(f *testing.F) {
	_, _, manifest := seedExports(f)
	f.Add(manifest)
	f.Add([]byte(`{"format":2}`))
	f.Add([]byte(`{"format":1,"app":"Offboard","created":"2025-01-01T00:00:00Z","entries":[{"name":"../x","size":1,"sha256":""}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := decodeManifest(data)
		if err != nil {
			return
		}
		// Whatever is accepted must survive a round trip unchanged.
		var b bytes.Buffer
		if err := writeManifest(&b, m); err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		m2, err := decodeManifest(b.Bytes())
		if err != nil {
			t.Fatalf("re-encoded manifest refused: %v\n%s", err, b.Bytes())
		}
		if len(m2.Entries) != len(m.Entries) || len(m2.Counts) != len(m.Counts) || !m2.Created.Equal(m.Created) {
			t.Fatalf("round trip changed the manifest")
		}
	})
}

func FuzzVerify(f *testing.F) {
	// A hostile file could ask for scrypt's most expensive setting; cap it
	// low so each run stays fast (the seeds use fastScrypt).
	old := maxScryptWorkFactor
	maxScryptWorkFactor = fastScrypt + 2
	f.Cleanup(func() { maxScryptWorkFactor = old })

	plain, encrypted, manifest := seedExports(f)
	f.Add(plain)
	f.Add(encrypted)
	f.Add(manifest)
	f.Add(plain[:len(plain)/2])
	f.Add(encrypted[:len(encrypted)-20])
	f.Add([]byte{})
	f.Add([]byte(ageIntro))
	// Each fuzzing process runs inputs one after another, so one file serves
	// them all and spares a directory per input.
	path := filepath.Join(f.TempDir(), "export.zip")
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		for _, pass := range []string{"", testPassphrase} {
			m, err := Verify(context.Background(), path, pass)
			if err == nil && m == nil {
				t.Fatal("Verify returned neither a manifest nor an error")
			}
			if err == nil {
				r, err := Open(path, pass)
				if err != nil {
					t.Fatalf("Verify passed but Open failed: %v", err)
				}
				for _, e := range r.Manifest.Entries {
					if _, err := readAllEntry(r, e.Name); err != nil {
						t.Fatalf("Verify passed but %s does not read: %v", e.Name, err)
					}
				}
				r.Close()
			}
		}
	})
}
