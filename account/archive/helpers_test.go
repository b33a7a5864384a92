package archive

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// testPassphrase is the passphrase of every encrypted export in these tests.
const testPassphrase = "correct horse battery staple"

// fastScrypt keeps encrypted tests quick; real exports use age's default.
const fastScrypt = 10

// sampleEntry is one entry of a test export, produced by a deterministic write.
type sampleEntry struct {
	name  string
	write func(w io.Writer) error
}

// sample is a test export: its entries in order, and the counts to record.
type sample struct {
	entries []sampleEntry
	counts  map[string]int
}

// expected renders every entry into memory, for comparison with what is read back.
func (s sample) expected(t testing.TB) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, e := range s.entries {
		var b bytes.Buffer
		if err := e.write(&b); err != nil {
			t.Fatalf("render %s: %v", e.name, err)
		}
		out[e.name] = b.Bytes()
	}
	return out
}

// randomBytes returns n bytes that are the same on every run.
func randomBytes(seed uint64, n int) []byte {
	r := rand.New(rand.NewChaCha8([32]byte{byte(seed), byte(seed >> 8)}))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

type message struct {
	ID     int       `json:"id"`
	Thread int       `json:"thread"`
	From   string    `json:"from"`
	Sent   time.Time `json:"sent"`
	Body   string    `json:"body"`
}

func jsonEntry(name string, n int) sampleEntry {
	return sampleEntry{name: name, write: func(w io.Writer) error {
		a := NewJSONArray(w)
		base := time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC)
		for i := range n {
			m := message{ID: i + 1, Thread: i % 7, From: fmt.Sprintf("person-%d", i%5),
				Sent: base.Add(time.Duration(i) * time.Minute),
				Body: fmt.Sprintf("Hello <team> & co, item %d — naïve café", i)}
			if err := a.Add(m); err != nil {
				return err
			}
		}
		return a.Close()
	}}
}

func bytesEntry(name string, b []byte) sampleEntry {
	return sampleEntry{name: name, write: func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	}}
}

func csvEntry(name string, rows int) sampleEntry {
	return sampleEntry{name: name, write: func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.UseCRLF = true
		if err := cw.Write([]string{"id", "title", "amount_cents", "currency"}); err != nil {
			return err
		}
		for i := range rows {
			if err := cw.Write([]string{fmt.Sprint(i + 1), fmt.Sprintf("Contract \"%d\", phase 1", i), fmt.Sprint(i * 1250), "USD"}); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	}}
}

// smallSample is an export of a few hundred kilobytes: enough to cross the
// file buffer more than once, small enough for many runs under -race.
func smallSample() sample {
	return sample{
		entries: []sampleEntry{
			bytesEntry("profile.json", []byte("{\n  \"name\": \"Ada\"\n}\n")),
			jsonEntry("team.json", 3),
			jsonEntry("messages.json", 200),
			csvEntry("contracts.csv", 20),
			jsonEntry("disputes.json", 0),
			bytesEntry("files/0001-report.pdf", randomBytes(1, 300<<10)),
			bytesEntry("files/0002-empty.txt", nil),
			bytesEntry("files/0003-photo.jpg", randomBytes(2, 400<<10)),
		},
		counts: map[string]int{"team": 3, "messages": 200, "contracts": 20, "disputes": 0, "files": 3},
	}
}

// fullSample adds a 3 MiB file to smallSample.
func fullSample() sample {
	s := smallSample()
	s.entries = append(s.entries, bytesEntry("files/0004-video.mp4", randomBytes(3, 3<<20)))
	s.counts["files"] = 4
	return s
}

// testOptions returns options with a fixed time and, if encrypted, a fast passphrase.
func testOptions(encrypted bool) Options {
	opt := Options{
		AppVersion: "1.2.3",
		AccountID:  "acc-7f3a",
		Created:    time.Date(2025, 3, 1, 10, 30, 15, 123, time.FixedZone("CET", 3600)),
	}
	if encrypted {
		opt.Passphrase = testPassphrase
		opt.ScryptWorkFactor = fastScrypt
	}
	return opt
}

// writeExport writes s to path and returns the first error of any step,
// leaving the writer aborted on failure as a caller's defer would.
func writeExport(ctx context.Context, path string, opt Options, s sample) (Result, error) {
	w, err := Create(ctx, path, opt)
	if err != nil {
		return Result{}, err
	}
	defer w.Abort()
	for _, e := range s.entries {
		ew, err := w.Entry(e.name)
		if err != nil {
			return Result{}, err
		}
		if err := e.write(ew); err != nil {
			return Result{}, err
		}
	}
	for k, n := range s.counts {
		w.SetCount(k, n)
	}
	return w.Commit()
}

// mustWrite writes s into a new folder and returns the export's path.
func mustWrite(t testing.TB, opt Options, s sample) (string, Result) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "export.zip")
	res, err := writeExport(context.Background(), path, opt, s)
	if err != nil {
		t.Fatalf("write export: %v", err)
	}
	return path, res
}

// assertEmptyDir fails unless dir holds nothing at all.
func assertEmptyDir(t testing.TB, dir string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		t.Errorf("left behind in the destination folder: %s", e.Name())
	}
}

// readAllEntry reads one entry through Reader.Open.
func readAllEntry(r *Reader, name string) ([]byte, error) {
	rc, err := r.Open(name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}
