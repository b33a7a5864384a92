package archive

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"offboard/account/durable"
)

func TestRoundTrip(t *testing.T) {
	for _, encrypted := range []bool{false, true} {
		name := "plain"
		if encrypted {
			name = "encrypted"
		}
		t.Run(name, func(t *testing.T) {
			s := fullSample()
			want := s.expected(t)
			path, res := mustWrite(t, testOptions(encrypted), s)

			// The result describes the file exactly as it is on disk.
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(raw)
			got, err := Checksum(path)
			if err != nil {
				t.Fatal(err)
			}
			if res.Path != path || res.Size != int64(len(raw)) || got != hex.EncodeToString(sum[:]) {
				t.Errorf("result = %q %d, checksum %s, file is %d bytes %x", res.Path, res.Size, got, len(raw), sum)
			}
			// The checksum made while writing is the file's own.
			if res.SHA256 != got {
				t.Errorf("result checksum %s, file's %s", res.SHA256, got)
			}
			if runtime.GOOS != "windows" {
				st, err := os.Stat(path)
				if err != nil {
					t.Fatal(err)
				}
				if st.Mode().Perm() != 0o600 {
					t.Errorf("mode = %v, want 0600", st.Mode().Perm())
				}
			}
			ents, _ := os.ReadDir(filepath.Dir(path))
			if len(ents) != 1 {
				t.Errorf("folder holds %d files, want only the export", len(ents))
			}
			if enc, err := IsEncrypted(path); err != nil || enc != encrypted {
				t.Errorf("IsEncrypted = %v, %v; want %v", enc, err, encrypted)
			}

			m, err := Verify(context.Background(), path, testPassphrase)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			checkManifest(t, m, s, want)
			checkManifest(t, &res.Manifest, s, want)

			r, err := Open(path, testPassphrase)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			for name, data := range want {
				got, err := readAllEntry(r, name)
				if err != nil {
					t.Fatalf("read %s: %v", name, err)
				}
				if !bytes.Equal(got, data) {
					t.Errorf("%s: read %d bytes that differ from the %d written", name, len(got), len(data))
				}
			}
			readme, err := readAllEntry(r, ReadmeName)
			if err != nil {
				t.Fatal(err)
			}
			if encrypted != strings.Contains(string(readme), "age -d -o export.zip export.zip.age") {
				t.Errorf("README decryption instructions do not match encryption %v:\n%s", encrypted, readme)
			}
		})
	}
}

// checkManifest compares a manifest with the sample it was written from.
func checkManifest(t *testing.T, m *Manifest, s sample, want map[string][]byte) {
	t.Helper()
	if m.Format != FormatVersion || m.App != "Offboard" || m.AppVersion != "1.2.3" || m.AccountID != "acc-7f3a" {
		t.Errorf("manifest header = %d %q %q %q", m.Format, m.App, m.AppVersion, m.AccountID)
	}
	if wantTime := time.Date(2025, 3, 1, 9, 30, 15, 0, time.UTC); !m.Created.Equal(wantTime) || m.Created.Location() != time.UTC {
		t.Errorf("created = %v, want %v in UTC", m.Created, wantTime)
	}
	if len(m.Counts) != len(s.counts) {
		t.Errorf("counts = %v, want %v", m.Counts, s.counts)
	}
	for k, n := range s.counts {
		if m.Counts[k] != n {
			t.Errorf("counts[%q] = %d, want %d", k, m.Counts[k], n)
		}
	}
	if len(m.Entries) != len(s.entries)+1 {
		t.Fatalf("manifest lists %d entries, want %d", len(m.Entries), len(s.entries)+1)
	}
	for i, e := range s.entries {
		got := m.Entries[i]
		sum := sha256.Sum256(want[e.name])
		if got.Name != e.name || got.Size != int64(len(want[e.name])) || got.SHA256 != hex.EncodeToString(sum[:]) {
			t.Errorf("entry %d = %+v, want %s of %d bytes", i, got, e.name, len(want[e.name]))
		}
	}
	if last := m.Entries[len(m.Entries)-1]; last.Name != ReadmeName {
		t.Errorf("last listed entry = %q, want %q", last.Name, ReadmeName)
	}
}

func TestPlainExportOpensWithArchiveZip(t *testing.T) {
	s := smallSample()
	want := s.expected(t)
	path, res := mustWrite(t, testOptions(false), s)

	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	checkZipContents(t, &zr.Reader, want, res.Manifest)
}

func TestEncryptedExportOpensWithAgeDecrypt(t *testing.T) {
	s := smallSample()
	want := s.expected(t)
	path, res := mustWrite(t, testOptions(true), s)

	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	id, err := age.NewScryptIdentity(testPassphrase)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := age.Decrypt(f, id)
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(plain)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	checkZipContents(t, zr, want, res.Manifest)
}

// checkZipContents checks an export with nothing but archive/zip.
func checkZipContents(t *testing.T, zr *zip.Reader, want map[string][]byte, m Manifest) {
	t.Helper()
	if n := len(zr.File); n != len(want)+2 {
		t.Fatalf("ZIP holds %d entries, want %d", n, len(want)+2)
	}
	if last := zr.File[len(zr.File)-1].Name; last != ManifestName {
		t.Errorf("last ZIP entry = %q, want %q", last, ManifestName)
	}
	for i, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", zf.Name, err)
		}
		if zf.Name == ManifestName {
			var decoded Manifest
			if err := json.Unmarshal(got, &decoded); err != nil {
				t.Fatalf("manifest.json does not decode with encoding/json: %v", err)
			}
			if len(decoded.Entries) != len(zr.File)-1 {
				t.Errorf("manifest lists %d entries, ZIP has %d besides it", len(decoded.Entries), len(zr.File)-1)
			}
			continue
		}
		if m.Entries[i].Name != zf.Name {
			t.Errorf("ZIP entry %d is %q, manifest entry %d is %q", i, zf.Name, i, m.Entries[i].Name)
		}
		wantMethod := zip.Deflate
		if strings.HasPrefix(zf.Name, "files/") {
			wantMethod = zip.Store
		}
		if zf.Method != wantMethod {
			t.Errorf("%s: method %d, want %d", zf.Name, zf.Method, wantMethod)
		}
		if zf.Name == ReadmeName {
			continue
		}
		if !bytes.Equal(got, want[zf.Name]) {
			t.Errorf("%s differs from what was written", zf.Name)
		}
	}
}

func TestEntryRefusesBadNames(t *testing.T) {
	dir := t.TempDir()
	w, err := Create(context.Background(), filepath.Join(dir, "x.zip"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	if _, err := w.Entry("files/0001-a.pdf"); err != nil {
		t.Fatal(err)
	}
	bad := []string{
		"", "/etc/passwd", "../up.json", "files/../../up.json", "a/./b", "a//b", "dir/",
		`files\0002.pdf`, "C:/x.json", "nul\x00.json", "tab\t.json", "\xff.json",
		strings.Repeat("a", maxNameLen+1),
		ManifestName, ReadmeName, "MANIFEST.JSON", "readme.txt",
		"files/0001-a.pdf", "FILES/0001-A.PDF",
	}
	for _, name := range bad {
		if _, err := w.Entry(name); err == nil {
			t.Errorf("Entry(%q) was accepted", name)
		}
	}
	for _, name := range []string{"messages.json", "files/0002-été.pdf", "a/b/c.txt", strings.Repeat("b", maxNameLen)} {
		if _, err := w.Entry(name); err != nil {
			t.Errorf("Entry(%q): %v", name, err)
		}
	}
	// A refused name leaves the writer usable.
	if _, err := w.Commit(); err != nil {
		t.Fatalf("Commit after refused names: %v", err)
	}
}

func TestWriterMisuse(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.zip")
	w, err := Create(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	first, err := w.Entry("a.json")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Entry("b.json"); err != nil {
		t.Fatal(err)
	}
	if _, err := first.Write([]byte("late")); err == nil {
		t.Error("writing to a finished entry was accepted")
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Entry("c.json"); err == nil {
		t.Error("Entry after Commit was accepted")
	}
	if _, err := w.Commit(); err == nil {
		t.Error("second Commit was accepted")
	}
	if err := w.Abort(); err != nil {
		t.Errorf("Abort after Commit: %v", err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("Abort after Commit removed the export: %v", err)
	}
}

func TestSetCountRefusesBadKinds(t *testing.T) {
	for _, tc := range []struct {
		kind string
		n    int
	}{{"", 1}, {"Messages", 1}, {"a b", 1}, {strings.Repeat("k", maxKindLen+1), 1}, {"messages", -1}} {
		dir := t.TempDir()
		w, err := Create(context.Background(), filepath.Join(dir, "x.zip"), Options{})
		if err != nil {
			t.Fatal(err)
		}
		w.SetCount(tc.kind, tc.n)
		if _, err := w.Commit(); err == nil {
			t.Errorf("SetCount(%q, %d) then Commit succeeded", tc.kind, tc.n)
		}
		w.Abort()
		assertEmptyDir(t, dir)
	}
}

func TestAbortIsIdempotent(t *testing.T) {
	dir := t.TempDir()
	w, err := Create(context.Background(), filepath.Join(dir, "x.zip"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ew, _ := w.Entry("a.json")
	ew.Write([]byte("[]\n"))
	for range 3 {
		if err := w.Abort(); err != nil {
			t.Fatal(err)
		}
	}
	assertEmptyDir(t, dir)
	if _, err := ew.Write([]byte("x")); err == nil {
		t.Error("write after Abort was accepted")
	}
	if _, err := w.Commit(); err == nil {
		t.Error("Commit after Abort was accepted")
	}
	assertEmptyDir(t, dir)
}

func TestCreateInMissingFolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no", "such", "x.zip")
	_, err := Create(context.Background(), path, Options{})
	if err == nil || !strings.Contains(err.Error(), "create a temporary file in the folder") {
		t.Fatalf("err = %v", err)
	}
}

func TestCreateRefusesBadWorkFactor(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []int{-1, 31} {
		if _, err := Create(context.Background(), filepath.Join(dir, "x.zip"), Options{Passphrase: "p", ScryptWorkFactor: f}); err == nil {
			t.Errorf("work factor %d accepted", f)
		}
	}
	assertEmptyDir(t, dir)
}

func TestCommitReplacesExistingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "export.zip")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := writeExport(context.Background(), path, testOptions(false), smallSample()); err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(context.Background(), path, ""); err != nil {
		t.Fatal(err)
	}
}

func TestProgress(t *testing.T) {
	var calls []int64
	opt := testOptions(false)
	opt.Progress = func(n int64) { calls = append(calls, n) }
	_, res := mustWrite(t, opt, fullSample())
	var total int64
	for _, e := range res.Manifest.Entries {
		total += e.Size
	}
	if len(calls) < 4 {
		t.Fatalf("Progress called %d times for %d bytes", len(calls), total)
	}
	for i := 1; i < len(calls)-1; i++ {
		if calls[i]-calls[i-1] < progressStep {
			t.Errorf("Progress calls %d and %d only %d bytes apart", i-1, i, calls[i]-calls[i-1])
		}
	}
	// The last call covers everything, the manifest included.
	if last := calls[len(calls)-1]; last <= total {
		t.Errorf("last Progress = %d, want more than the %d bytes of listed entries", last, total)
	}
}

func TestManifestEncodingMatchesEncodingJSON(t *testing.T) {
	created := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, m := range []Manifest{
		{Format: 1, App: "Offboard", Created: created},
		{Format: 1, App: "Offboard", Created: created, Counts: map[string]int{}, Entries: []Entry{}},
		{Format: 1, App: "Offboard", AppVersion: "v<1>&", Created: created, AccountID: "é\"\\",
			Counts: map[string]int{"messages": 120, "files": 3, "billing": 0},
			Entries: []Entry{
				{Name: "messages.json", Size: 10, SHA256: strings.Repeat("a", 64)},
				{Name: "files/0001-<r&d>.pdf", Size: 0, SHA256: strings.Repeat("0", 64)},
			}},
	} {
		var got bytes.Buffer
		if err := writeManifest(&got, &m); err != nil {
			t.Fatal(err)
		}
		if m.Counts == nil {
			m.Counts = map[string]int{}
		}
		if m.Entries == nil {
			m.Entries = []Entry{}
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(&m); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("streamed manifest:\n%s\nencoding/json:\n%s", got.String(), want.String())
		}
		if _, err := decodeManifest(got.Bytes()); err != nil {
			t.Errorf("own manifest does not decode: %v", err)
		}
	}
}

func TestJSONArray(t *testing.T) {
	var empty bytes.Buffer
	a := NewJSONArray(&empty)
	if err := a.Close(); err != nil || empty.String() != "[]\n" {
		t.Errorf("empty array = %q, %v", empty.String(), err)
	}

	items := []any{map[string]any{"a": 1, "b": []int{1, 2}}, "x<y", 3.5, nil, []string{}}
	var got bytes.Buffer
	a = NewJSONArray(&got)
	for _, it := range items {
		if err := a.Add(it); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Add(func() {}); err == nil {
		t.Error("an unencodable item was accepted")
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	enc.Encode(items)
	if got.String() != want.String() {
		t.Errorf("got:\n%s\nwant:\n%s", got.String(), want.String())
	}
	if err := a.Add(1); err == nil {
		t.Error("Add after Close was accepted")
	}

	boom := errors.New("boom")
	a = NewJSONArray(failingWriter{boom})
	if err := a.Add(1); !errors.Is(err, boom) {
		t.Errorf("Add = %v, want the write error", err)
	}
	if err := a.Close(); !errors.Is(err, boom) {
		t.Errorf("Close = %v, want the earlier write error", err)
	}
}

type failingWriter struct{ err error }

func (f failingWriter) Write([]byte) (int, error) { return 0, f.err }

func TestReadmeDescribesLayout(t *testing.T) {
	m := &Manifest{Format: 1, App: "Offboard", AppVersion: "1.0", Created: time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC),
		AccountID: "acc-1", Counts: map[string]int{"messages": 120, "contracts": 1},
		Entries: []Entry{
			{Name: "profile.json"}, {Name: "messages.json"}, {Name: "files.json"}, {Name: "contracts.csv"},
			{Name: "files/0001-a.pdf", Size: 2048}, {Name: "files/0002-b.png", Size: 1024}, {Name: "notes/extra.bin"},
		}}
	text := string(buildReadme(m, false))
	for _, want := range []string{
		"Offboard 1.0 on 1 March 2025 at 10:00 UTC", "acc-1",
		"messages.json", "Messages, a JSON array (120 items).",
		"Contracts, a CSV table (1 item).", "The account profile (JSON).",
		"2 original files (3.0 KiB)", "files.json describes each one", "notes/extra.bin", "manifest.json", "sha256sum", "without a passphrase",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("README lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "files/0001-a.pdf") {
		t.Error("README lists original files one by one")
	}
	if !strings.Contains(string(buildReadme(m, true)), "age -d") {
		t.Error("encrypted README does not say how to decrypt")
	}
}

// TestRenameRetry: a rename another program blocks for a moment is tried
// again; one blocked for good fails after a few tries and leaves nothing.
func TestRenameRetry(t *testing.T) {
	transient := durable.ErrInUse
	dir := t.TempDir()
	fsys := &faultFS{failWriteAfter: -1, renameErr: transient, renameFailures: 2}
	opt := testOptions(false)
	opt.FS = fsys
	path := filepath.Join(dir, "export.zip")
	if _, err := writeExport(context.Background(), path, opt, sample{}); err != nil {
		t.Fatalf("rename refused twice then allowed: %v", err)
	}
	if fsys.renameCalls != 3 {
		t.Errorf("rename tried %d times, want 3", fsys.renameCalls)
	}

	dir = t.TempDir()
	fsys = &faultFS{failWriteAfter: -1, renameErr: transient, renameFailures: 100}
	opt.FS = fsys
	if _, err := writeExport(context.Background(), filepath.Join(dir, "export.zip"), opt, sample{}); !errors.Is(err, transient) {
		t.Fatalf("err = %v", err)
	}
	if fsys.renameCalls < 3 || fsys.renameCalls == 100 {
		t.Errorf("rename tried %d times, want a few", fsys.renameCalls)
	}
	assertEmptyDir(t, dir)
}
