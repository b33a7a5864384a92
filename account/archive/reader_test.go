package archive

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// rebuildZip copies the ZIP at src to a new file entry by entry, without
// recompressing, letting edit drop entries (return false) and add more.
func rebuildZip(t *testing.T, src string, keep func(name string) bool, add map[string][]byte) string {
	t.Helper()
	zr, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		if keep != nil && !keep(f.Name) {
			continue
		}
		if err := zw.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	for name, data := range add {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return writeTemp(t, buf.Bytes())
}

func writeTemp(t testing.TB, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tampered.zip")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// replaceManifest rebuilds src with manifest.json replaced by edit's output.
func replaceManifest(t *testing.T, src string, edit func(m *Manifest) []byte) string {
	t.Helper()
	r, err := Open(src, "")
	if err != nil {
		t.Fatal(err)
	}
	m := r.Manifest
	r.Close()
	return rebuildZip(t, src, func(name string) bool { return name != ManifestName }, map[string][]byte{ManifestName: edit(&m)})
}

func encodeManifest(t *testing.T, m *Manifest) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := writeManifest(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func wantEntryError(name, problem string) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var ee *EntryError
		if !errors.As(err, &ee) || ee.Problem != problem || (name != "" && ee.Name != name) {
			t.Errorf("err = %v, want %q for entry %q", err, problem, name)
		}
	}
}

func wantIs(target error) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		if !errors.Is(err, target) {
			t.Errorf("err = %v, want %v", err, target)
		}
	}
}

func TestVerifyDetectsTampering(t *testing.T) {
	path, _ := mustWrite(t, testOptions(false), smallSample())
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const stored = "files/0003-photo.jpg"

	cases := []struct {
		name  string
		make  func(t *testing.T) string
		check func(*testing.T, error)
	}{
		{"byte changed in stored entry", func(t *testing.T) string {
			zr, _ := zip.NewReader(bytes.NewReader(orig), int64(len(orig)))
			for _, f := range zr.File {
				if f.Name == stored {
					off, _ := f.DataOffset()
					b := bytes.Clone(orig)
					b[off+1000] ^= 0x01
					return writeTemp(t, b)
				}
			}
			t.Fatal("entry not found")
			return ""
		}, wantEntryError(stored, ProblemChecksum)},
		{"entry removed", func(t *testing.T) string {
			return rebuildZip(t, path, func(n string) bool { return n != "team.json" }, nil)
		}, wantEntryError("team.json", ProblemMissing)},
		{"entry added", func(t *testing.T) string {
			return rebuildZip(t, path, nil, map[string][]byte{"files/0099-extra.exe": []byte("MZ")})
		}, wantEntryError("files/0099-extra.exe", ProblemNotListed)},
		{"entry duplicated", func(t *testing.T) string {
			return rebuildZip(t, path, nil, map[string][]byte{"team.json": []byte("[]\n")})
		}, wantEntryError("team.json", ProblemNotListed)},
		{"manifest missing", func(t *testing.T) string {
			return rebuildZip(t, path, func(n string) bool { return n != ManifestName }, nil)
		}, wantIs(ErrNotExport)},
		{"manifest size changed", func(t *testing.T) string {
			return replaceManifest(t, path, func(m *Manifest) []byte {
				m.Entries[1].Size++
				return encodeManifest(t, m)
			})
		}, wantEntryError("team.json", ProblemSize)},
		{"manifest checksum changed", func(t *testing.T) string {
			return replaceManifest(t, path, func(m *Manifest) []byte {
				m.Entries[2].SHA256 = strings.Repeat("0", 64)
				return encodeManifest(t, m)
			})
		}, wantEntryError("messages.json", ProblemChecksum)},
		{"manifest not JSON", func(t *testing.T) string {
			return replaceManifest(t, path, func(*Manifest) []byte { return []byte("{not json") })
		}, wantIs(ErrNotExport)},
		{"manifest of a later format", func(t *testing.T) string {
			return replaceManifest(t, path, func(m *Manifest) []byte {
				return []byte(`{"format": 3, "entries": "a new shape"}`)
			})
		}, func(t *testing.T, err error) {
			if !errors.Is(err, ErrNotExport) || !strings.Contains(err.Error(), "update Offboard") {
				t.Errorf("err = %v", err)
			}
		}},
		{"manifest from another app", func(t *testing.T) string {
			return replaceManifest(t, path, func(m *Manifest) []byte {
				m.App = "Other"
				return encodeManifest(t, m)
			})
		}, wantIs(ErrNotExport)},
		{"zero-length file", func(t *testing.T) string { return writeTemp(t, nil) }, wantIs(ErrTruncated)},
		{"random bytes", func(t *testing.T) string {
			b := randomBytes(9, 5000)
			b[0] = 'x'
			return writeTemp(t, b)
		}, wantIs(ErrNotExport)},
		{"text file", func(t *testing.T) string { return writeTemp(t, []byte("hello\n")) }, wantIs(ErrNotExport)},
		{"folder", func(t *testing.T) string { return t.TempDir() }, wantIs(ErrNotExport)},
	}
	for _, n := range []int{1, 3, 4, 10, 100, len(orig) / 3, len(orig) / 2, len(orig) - 200, len(orig) - 22, len(orig) - 1} {
		cases = append(cases, struct {
			name  string
			make  func(t *testing.T) string
			check func(*testing.T, error)
		}{fmt.Sprintf("truncated to %d bytes", n), func(t *testing.T) string { return writeTemp(t, orig[:n]) }, wantIs(ErrTruncated)})
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Verify(context.Background(), tc.make(t), "")
			if err == nil {
				t.Fatal("Verify passed")
			}
			tc.check(t, err)
		})
	}
}

func TestVerifyDetectsEncryptedProblems(t *testing.T) {
	path, _ := mustWrite(t, testOptions(true), smallSample())
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	headerEnd := bytes.Index(orig, []byte("\n---")) + 1
	headerEnd += bytes.IndexByte(orig[headerEnd:], '\n') + 1

	check := func(name, path, pass string, want error) {
		t.Run(name, func(t *testing.T) {
			_, err := Verify(context.Background(), path, pass)
			if !errors.Is(err, want) {
				t.Errorf("err = %v, want %v", err, want)
			}
			if err != nil && strings.Contains(err.Error(), pass) && pass != "" {
				t.Errorf("message reveals the passphrase: %v", err)
			}
		})
	}
	check("wrong passphrase", path, "not the passphrase", ErrWrongPassphrase)
	check("empty passphrase", path, "", ErrNeedPassphrase)
	for _, n := range []int{5, len(ageIntro), 40, headerEnd - 2, headerEnd, headerEnd + 10, headerEnd + 16 + 100, len(orig) / 2, len(orig) - 17, len(orig) - 1} {
		check(fmt.Sprintf("truncated to %d bytes", n), writeTemp(t, orig[:n]), testPassphrase, ErrTruncated)
	}

	b := bytes.Clone(orig)
	b[headerEnd-5] ^= 0x01 // inside the header MAC
	check("header changed", writeTemp(t, b), testPassphrase, ErrDamaged)

	// A changed byte in the middle of the payload fails age's authentication
	// of that chunk, which surfaces on the entry that spans it.
	b = bytes.Clone(orig)
	b[len(b)/2] ^= 0x01
	t.Run("payload changed", func(t *testing.T) {
		_, err := Verify(context.Background(), writeTemp(t, b), testPassphrase)
		var ee *EntryError
		if !errors.As(err, &ee) && !errors.Is(err, ErrDamaged) {
			t.Errorf("err = %v, want an entry or damage error", err)
		}
	})
}

func TestReaderOpenChecksEntries(t *testing.T) {
	path, _ := mustWrite(t, testOptions(false), smallSample())
	tampered := replaceManifest(t, path, func(m *Manifest) []byte {
		m.Entries[2].SHA256 = strings.Repeat("f", 64)
		return encodeManifest(t, m)
	})
	r, err := Open(tampered, "")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()

	rc, err := r.Open("messages.json")
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.ReadAll(rc)
	rc.Close()
	wantEntryError("messages.json", ProblemChecksum)(t, err)
	if err != nil && !strings.Contains(err.Error(), "changed or damaged after it was written") {
		t.Errorf("message = %q", err)
	}

	if got, err := readAllEntry(r, "team.json"); err != nil || len(got) == 0 {
		t.Errorf("untouched entry: %d bytes, %v", len(got), err)
	}
	if _, err := r.Open("nope.json"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("unknown entry: %v", err)
	}
	if _, err := r.Open(ManifestName); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("manifest as an entry: %v", err)
	}

	removed := rebuildZip(t, path, func(n string) bool { return n != "team.json" }, nil)
	r2, err := Open(removed, "")
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	_, err = r2.Open("team.json")
	wantEntryError("team.json", ProblemMissing)(t, err)
}

func TestIsEncrypted(t *testing.T) {
	for _, tc := range []struct {
		data []byte
		want bool
	}{{nil, false}, {[]byte("age"), false}, {[]byte(ageIntro), true}, {[]byte("PK\x03\x04rest"), false}} {
		got, err := IsEncrypted(writeTemp(t, tc.data))
		if err != nil || got != tc.want {
			t.Errorf("IsEncrypted(%q) = %v, %v", tc.data, got, err)
		}
	}
	if _, err := IsEncrypted(filepath.Join(t.TempDir(), "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestVerifyHonoursCancellation(t *testing.T) {
	path, _ := mustWrite(t, testOptions(false), fullSample())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Verify(ctx, path, ""); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
}

// TestVerifyMemoryIsFlat checks that Verify streams: verifying an export
// allocates far less than the export's size.
func TestVerifyMemoryIsFlat(t *testing.T) {
	s := sample{entries: []sampleEntry{
		bytesEntry("files/0001-a.bin", randomBytes(4, 8<<20)),
		bytesEntry("files/0002-b.bin", randomBytes(5, 4<<20)),
	}}
	opt := testOptions(false)
	path, _ := mustWrite(t, opt, s)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	if _, err := Verify(context.Background(), path, ""); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 2<<20 {
		t.Errorf("Verify of a 12 MiB export allocated %d bytes", alloc)
	}
}

func TestDecodeManifest(t *testing.T) {
	good := func() Manifest {
		return Manifest{Format: 1, App: "Offboard", AppVersion: "1.0", Created: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
			AccountID: "a", Counts: map[string]int{"messages": 2},
			Entries: []Entry{{Name: "messages.json", Size: 3, SHA256: strings.Repeat("ab", 32)}, {Name: ReadmeName, Size: 1, SHA256: strings.Repeat("0", 64)}}}
	}
	m := good()
	data := encodeManifest(t, &m)
	got, err := decodeManifest(data)
	if err != nil {
		t.Fatal(err)
	}
	if got.Entries[0] != m.Entries[0] || got.Counts["messages"] != 2 || !got.Created.Equal(m.Created) {
		t.Errorf("decoded %+v", got)
	}
	if _, err := decodeManifest([]byte(`{"format":1,"app":"Offboard","created":"2025-01-01T00:00:00Z","entries":[],"future_field":{"x":[1]}}`)); err != nil {
		t.Errorf("unknown field refused: %v", err)
	}

	bad := map[string]func(m *Manifest){
		"format 0":           func(m *Manifest) { m.Format = 0 },
		"format 3":           func(m *Manifest) { m.Format = 3 },
		"other app":          func(m *Manifest) { m.App = "offboard" },
		"no time":            func(m *Manifest) { m.Created = time.Time{} },
		"short hash":         func(m *Manifest) { m.Entries[0].SHA256 = "abc" },
		"upper-case hash":    func(m *Manifest) { m.Entries[0].SHA256 = strings.Repeat("AB", 32) },
		"negative size":      func(m *Manifest) { m.Entries[0].Size = -1 },
		"escaping name":      func(m *Manifest) { m.Entries[0].Name = "../../.bashrc" },
		"absolute name":      func(m *Manifest) { m.Entries[0].Name = "/etc/passwd" },
		"backslash name":     func(m *Manifest) { m.Entries[0].Name = `..\x` },
		"long name":          func(m *Manifest) { m.Entries[0].Name = strings.Repeat("n", maxNameLen+1) },
		"lists itself":       func(m *Manifest) { m.Entries[0].Name = ManifestName },
		"duplicate":          func(m *Manifest) { m.Entries[1].Name = "Messages.json" },
		"negative count":     func(m *Manifest) { m.Counts["messages"] = -1 },
		"bad kind":           func(m *Manifest) { m.Counts["Bad Kind"] = 1 },
		"too many kinds":     func(m *Manifest) { addKinds(m, maxKinds+1) },
		"empty name":         func(m *Manifest) { m.Entries[0].Name = "" },
		"control in name":    func(m *Manifest) { m.Entries[0].Name = "a\nb" },
		"empty element name": func(m *Manifest) { m.Entries[0].Name = "files//a" },
	}
	for name, edit := range bad {
		m := good()
		edit(&m)
		if _, err := decodeManifest(encodeManifest(t, &m)); !errors.Is(err, ErrNotExport) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	for _, raw := range []string{
		"", "null", "[]", "{}", `{"format":1}`, `{"format":"1"}`,
		`{"format":1,"app":"Offboard","created":"2025-01-01T00:00:00Z","entries":[]} trailing`,
		`{"format":1,"format":1,"app":"Offboard","created":"2025-01-01T00:00:00Z","entries":[]}`,
		`{"format":1,"app":"Offboard","created":"2025-01-01T00:00:00Z","entries":null}`,
		`{"format":1,"app":"Offboard","created":"2025-01-01T00:00:00Z","entries":[],"counts":{"a":1,"a":2}}`,
		`{"format":1e400}`,
	} {
		if _, err := decodeManifest([]byte(raw)); !errors.Is(err, ErrNotExport) {
			t.Errorf("%q: err = %v", raw, err)
		}
	}
}

func addKinds(m *Manifest, n int) {
	for i := range n {
		m.Counts[fmt.Sprintf("k%d", i)] = i
	}
}

func TestVerifyRefusesCostlyScrypt(t *testing.T) {
	opt := testOptions(true)
	opt.ScryptWorkFactor = fastScrypt + 1
	path, _ := mustWrite(t, opt, sample{})
	old := maxScryptWorkFactor
	maxScryptWorkFactor = fastScrypt
	t.Cleanup(func() { maxScryptWorkFactor = old })
	if _, err := Verify(context.Background(), path, testPassphrase); !errors.Is(err, ErrDamaged) {
		t.Errorf("err = %v, want ErrDamaged", err)
	}
}

func TestErrorMessages(t *testing.T) {
	e := &EntryError{Name: "x", Problem: ProblemChecksum}
	if got, want := e.Error(), `export entry "x": checksum mismatch — the file was changed or damaged after it was written`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	for _, err := range []error{
		errorf(ErrTruncated, adviceCutShort), errNewerFormat(2),
		&EntryError{Name: "a.json", Problem: ProblemUnreadable, Err: io.ErrUnexpectedEOF},
	} {
		if msg := err.Error(); len(msg) < 40 || strings.Contains(msg, "%!") {
			t.Errorf("unhelpful message: %q", msg)
		}
	}
	var ee *EntryError
	if err := error(&EntryError{Name: "a", Problem: ProblemUnreadable, Err: io.ErrUnexpectedEOF}); !errors.As(err, &ee) || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Error("EntryError does not unwrap its cause")
	}
}

// The manifest is read in one allocation when its header tells its size,
// and whole whatever the header claims.
func TestReadAllSized(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789abcdef"), 50_000) // 800 KB, a large export's manifest
	for _, hint := range []uint64{0, 1, 4096, uint64(len(data)), uint64(len(data)) * 2} {
		got, err := readAllSized(bytes.NewReader(data), hint)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("hint %d: %d bytes, %v; want the %d bytes", hint, len(got), err, len(data))
		}
	}
	r := bytes.NewReader(data)
	allocs := testing.AllocsPerRun(5, func() {
		r.Reset(data)
		if _, err := readAllSized(r, uint64(len(data))); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 1 {
		t.Errorf("reading a manifest of the size its header gives took %.0f allocations, want 1", allocs)
	}
}
