package account

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"filippo.io/age"

	"offboard/account/archive"
	"offboard/account/durable"
)

func sampleAccount(t testing.TB) (*Store, *Account) {
	t.Helper()
	s := openTestStore(t, t.TempDir(), fastOptions())
	a, err := s.CreateSample(SampleSmall, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return s, a
}

func TestExportIsCompleteAndVerified(t *testing.T) {
	_, a := sampleAccount(t)
	out := filepath.Join(t.TempDir(), "export.zip")
	var last ExportProgress
	res, err := a.Export(context.Background(), out, ExportOptions{AppVersion: "test", Progress: func(p ExportProgress) { last = p }})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Verified || res.Size == 0 {
		t.Fatalf("result = %+v", res)
	}
	// The checksum is sha256sum's of the file as it is on disk.
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want := sha256.Sum256(raw)
	if sum, err := res.SHA256(); err != nil || sum != hex.EncodeToString(want[:]) {
		t.Fatalf("checksum = %q, %v; want %x", sum, err, want)
	}
	if last.Phase != "verifying" || last.Items != last.TotalItems {
		t.Fatalf("last progress = %+v", last)
	}
	if st, _ := os.Stat(out); st.Mode().Perm() != 0o600 {
		t.Fatalf("export mode = %v", st.Mode().Perm())
	}
	// The plain export opens with archive/zip alone.
	zr, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	names := map[string]*zip.File{}
	for _, f := range zr.File {
		names[f.Name] = f
	}
	for _, want := range []string{"manifest.json", "README.txt", "profile.json", "avatar.png", "messages.json", "contracts.csv", "invoices.csv", "transactions.csv"} {
		if names[want] == nil {
			t.Errorf("export lacks %s", want)
		}
	}
	nfiles := 0
	for n := range names {
		if strings.HasPrefix(n, "files/") {
			nfiles++
		}
	}
	if c, _ := a.Counts(); nfiles != c[KindFiles] {
		t.Fatalf("export has %d files, account %d", nfiles, c[KindFiles])
	}
	rc, _ := names["invoices.csv"].Open()
	rows, err := csv.NewReader(rc).ReadAll()
	rc.Close()
	if err != nil || len(rows) != 11 || rows[0][1] != "number" {
		t.Fatalf("invoices.csv: %d rows, %v", len(rows), err)
	}
}

func TestImportRoundTripAndIsIdempotent(t *testing.T) {
	s, a := sampleAccount(t)
	out := filepath.Join(t.TempDir(), "export.zip.age")
	if _, err := a.Export(context.Background(), out, ExportOptions{Passphrase: "pass phrase", ScryptWorkFactor: 10}); err != nil {
		t.Fatal(err)
	}
	// The encrypted export opens with the age library alone.
	f, _ := os.Open(out)
	plain, err := age.Decrypt(f, mustScrypt(t, "pass phrase"))
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := io.Copy(io.Discard, plain); n == 0 {
		t.Fatal("decrypted nothing")
	}
	f.Close()

	b, err := s.SignUp("new@example.com", "correct-horse-9", "New Co")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if _, err := b.Import(context.Background(), out, "wrong", nil); !errors.Is(err, archive.ErrWrongPassphrase) {
		t.Fatalf("wrong passphrase: %v", err)
	}
	added, err := b.Import(context.Background(), out, "pass phrase", nil)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := a.Counts()
	for _, k := range Kinds {
		if added[k] != want[k] {
			t.Errorf("imported %d %s, want %d", added[k], k, want[k])
		}
	}
	if got := contentOf(t, b); got != contentOf(t, a) {
		t.Fatalf("imported content differs:\n%s\n---\n%s", got[:min(len(got), 2000)], contentOf(t, a)[:2000])
	}
	again, err := b.Import(context.Background(), out, "pass phrase", nil)
	if err != nil {
		t.Fatal(err)
	}
	if again.Total() != 0 {
		t.Fatalf("second import added %v", again)
	}
	if _, err := a.Import(context.Background(), out, "pass phrase", nil); err == nil {
		t.Fatal("importing an account's own export was accepted")
	}
}

func mustScrypt(t testing.TB, pass string) age.Identity {
	id, err := age.NewScryptIdentity(pass)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// contentOf renders an account's items without IDs (which differ after an
// import), resolving references to the referred item's title, so two
// accounts with the same content render the same.
func contentOf(t testing.TB, a *Account) string {
	t.Helper()
	var b strings.Builder
	jobs := map[uint64]string{}
	contracts := map[uint64]string{}
	threads := map[uint64]string{}
	files := map[uint64]string{}
	invoices := map[uint64]string{}
	line := func(parts ...any) {
		for _, p := range parts {
			b.WriteString(strings.TrimSpace(strings.ReplaceAll(toString(p), "\n", " ")))
			b.WriteByte('|')
		}
		b.WriteByte('\n')
	}
	err := a.View(func(tx *Tx) error {
		Each(tx, func(m *TeamMember) error { line(m.Name, m.Email, m.Role, m.Added); return nil })
		Each(tx, func(j *Job) error {
			jobs[j.ID] = j.Title
			line(j.Title, j.Description, j.Budget, j.Type, j.Status, j.Posted, j.Closed)
			return nil
		})
		Each(tx, func(c *Contract) error {
			contracts[c.ID] = c.Title + c.Freelancer
			line(jobs[c.JobID], c.Freelancer, c.Title, c.Type, c.Rate, c.Status, c.Start, c.End)
			return nil
		})
		Each(tx, func(th *Thread) error {
			threads[th.ID] = th.Subject + th.Freelancer
			line(th.Freelancer, th.Subject, contracts[th.ContractID], th.Started)
			return nil
		})
		Each(tx, func(f *File) error {
			files[f.ID] = f.SHA256
			line(f.Name, f.MediaType, f.Size, f.SHA256, f.Added)
			return nil
		})
		Each(tx, func(m *Message) error {
			var att []string
			for _, id := range m.Attachments {
				att = append(att, files[id])
			}
			line(threads[m.ThreadID], m.Sender, m.Sent, m.Body, strings.Join(att, ","))
			return nil
		})
		Each(tx, func(r *Review) error {
			line(r.Direction, r.Freelancer, r.Rating, r.Text, contracts[r.ContractID], r.Date)
			return nil
		})
		Each(tx, func(i *Invoice) error {
			invoices[i.ID] = i.Number
			line(i.Number, i.Date, i.Due, i.Amount, i.Status, contracts[i.ContractID], i.Paid)
			return nil
		})
		Each(tx, func(x *Transaction) error {
			line(x.Date, x.Description, x.Amount, invoices[x.InvoiceID], contracts[x.ContractID])
			return nil
		})
		Each(tx, func(m *BillingMethod) error { line(m.Type, m.Label, m.Last4, m.Expiry, m.Primary); return nil })
		return Each(tx, func(d *Dispute) error {
			line(contracts[d.ContractID], d.Summary, d.Status, d.Opened, d.Resolved)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func toString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case interface{ String() string }:
		return x.String()
	default:
		return strings.TrimSpace(strings.Trim(jsonString(v), `"`))
	}
}

// failFS fails its nth write with err (a generic error when nil).
type failFS struct {
	durable.OS
	n   int
	err error
}

type failFile struct {
	durable.File
	fs *failFS
}

func (f *failFS) CreateTemp(dir, pattern string) (durable.File, error) {
	file, err := f.OS.CreateTemp(dir, pattern)
	return &failFile{File: file, fs: f}, err
}

func (f *failFile) Write(p []byte) (int, error) {
	f.fs.n--
	if f.fs.n == 0 {
		if f.fs.err != nil {
			return 0, &os.PathError{Op: "write", Path: f.Name(), Err: f.fs.err}
		}
		return 0, errors.New("injected write failure")
	}
	return f.File.Write(p)
}

func TestFailedExportLeavesNothing(t *testing.T) {
	_, a := sampleAccount(t)
	before := contentOf(t, a)
	// Count the writes of a whole export, then fail each of a spread of them.
	counter := &failFS{n: -1 << 30}
	if _, err := a.Export(context.Background(), filepath.Join(t.TempDir(), "x.zip"), ExportOptions{FS: counter}); err != nil {
		t.Fatal(err)
	}
	writes := -(counter.n + 1<<30)
	if writes < 3 {
		t.Fatalf("only %d writes", writes)
	}
	for n := 1; n <= writes; n += max(1, writes/12) {
		dir := t.TempDir()
		_, err := a.Export(context.Background(), filepath.Join(dir, "x.zip"), ExportOptions{FS: &failFS{n: n}})
		if err == nil {
			t.Fatalf("write %d: no error", n)
		}
		if left, _ := os.ReadDir(dir); len(left) != 0 {
			t.Fatalf("write %d failed but left %v", n, left[0].Name())
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	dir := t.TempDir()
	_, err := a.Export(ctx, filepath.Join(dir, "x.zip"), ExportOptions{Progress: func(p ExportProgress) {
		if p.Items > 20 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancel: %v", err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Fatalf("cancelled export left %v", left[0].Name())
	}
	if contentOf(t, a) != before {
		t.Fatal("a failed export changed the account")
	}
}

func TestDefaultExportName(t *testing.T) {
	when := mustTime("2026-11-28T10:00:00Z")
	if got := DefaultExportName("Northwind Studio, Inc.", when, false); got != "northwind-studio-inc-export-2026-11-28.zip" {
		t.Fatal(got)
	}
	if got := DefaultExportName("  ", when, true); got != "account-export-2026-11-28.zip.age" {
		t.Fatal(got)
	}
}

func TestUniqueFileNames(t *testing.T) {
	used := map[string]bool{}
	if n := uniqueFileName(3, "tab\there\x7f.txt", used); strings.ContainsFunc(n, unicode.IsControl) {
		t.Fatalf("control characters kept in %q", n)
	}
	a := uniqueFileName(1, `..\..\evil:name?.pdf`, used)
	if strings.Contains(a[len("files/"):], "/") || strings.ContainsAny(a, `\:?`) {
		t.Fatalf("unsafe name %q", a)
	}
	if b := uniqueFileName(1, `..\..\evil:name?.pdf`, used); b == a {
		t.Fatal("duplicate names")
	}
}

// Records too large for the memory set aside while the files are written
// go into the export directly, after the files: the same entries, the same
// bytes.
func TestExportRecordsBeyondTheirMemory(t *testing.T) {
	s, a := sampleAccount(t)
	// The threads' pages are made in the messages' pass when the records
	// fit in memory, by a walk of each thread when they do not: both must
	// agree on a thread without messages, the last thread, and a message
	// whose thread the account does not hold.
	err := a.Update(func(tx *Tx) error {
		answered := &Thread{Freelancer: "Last", Subject: "answered", Started: time.Now()}
		if err := tx.Put(answered); err != nil {
			return err
		}
		if err := tx.Put(&Message{ThreadID: answered.ID, Sender: "Last", Sent: time.Now(), Body: "an answer"}); err != nil {
			return err
		}
		// Between the two threads' IDs, and held by neither.
		if err := tx.Put(&Message{ThreadID: answered.ID + 1, Sender: "Lost", Sent: time.Now(), Body: "no thread"}); err != nil {
			return err
		}
		return tx.Put(&Thread{ID: answered.ID + 2, Freelancer: "Nobody", Subject: "never answered", Started: time.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	// One creation time for every export: the PDFs carry it to the second.
	at := s.now()
	s.opt.Now = func() time.Time { return at }
	mem := defaultExportMemory
	sums := func() map[string]string {
		t.Helper()
		res, err := a.Export(context.Background(), filepath.Join(t.TempDir(), "x.zip"), ExportOptions{AppVersion: "test", memory: mem})
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		for _, e := range res.Manifest.Entries {
			m[e.Name] = e.SHA256
		}
		return m
	}
	want := sums()
	same := func(what string) {
		t.Helper()
		got := sums()
		if len(got) != len(want) {
			t.Fatalf("%s: %d entries, want %d", what, len(got), len(want))
		}
		for name, sum := range want {
			if got[name] != sum {
				t.Errorf("%s: %s differs", what, name)
			}
		}
	}
	// Finished entries waiting for their turn beyond the budget ahead make
	// the goroutine that prepares them wait: the same export, in another
	// order.
	mem.ahead = 1
	same("one byte ahead")
	mem.ahead = defaultExportMemory.ahead
	for _, limit := range []int{0, 600, 5000} {
		mem.entry = limit
		same(fmt.Sprintf("limit %d", limit))
	}
}

// An export over an earlier file leaves that file as it was, byte for byte,
// when it fails or is cancelled, and replaces it only once verified.
func TestExportOverAnEarlierFileKeepsItUntilVerified(t *testing.T) {
	_, a := sampleAccount(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "backup.zip")
	earlier := []byte("the earlier backup, which must survive")
	if err := os.WriteFile(path, earlier, 0o600); err != nil {
		t.Fatal(err)
	}
	intact := func(what string) {
		t.Helper()
		got, err := os.ReadFile(path)
		if err != nil || string(got) != string(earlier) {
			t.Fatalf("%s: the earlier file is now %d bytes (%v)", what, len(got), err)
		}
		if left, _ := os.ReadDir(dir); len(left) != 1 {
			t.Fatalf("%s: the folder holds %d files", what, len(left))
		}
	}
	counter := &failFS{n: -1 << 30}
	if _, err := a.Export(context.Background(), filepath.Join(t.TempDir(), "x.zip"), ExportOptions{FS: counter}); err != nil {
		t.Fatal(err)
	}
	writes := -(counter.n + 1<<30)
	for n := 1; n <= writes; n += max(1, writes/4) {
		if _, err := a.Export(context.Background(), path, ExportOptions{FS: &failFS{n: n}}); err == nil {
			t.Fatalf("write %d: no error", n)
		}
		intact(fmt.Sprintf("write %d failed", n))
	}
	ctx, cancel := context.WithCancel(context.Background())
	_, err := a.Export(ctx, path, ExportOptions{Progress: func(p ExportProgress) {
		if p.Phase == "verifying" {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled while verifying: %v", err)
	}
	intact("cancelled while verifying")
	res, err := a.Export(context.Background(), path, ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Path != path {
		t.Fatalf("the export says it is at %s, not %s", res.Path, path)
	}
	if _, err := archive.Verify(context.Background(), path, ""); err != nil {
		t.Fatalf("the replaced file does not verify: %v", err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the replaced file: %v %v", fi.Mode(), err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 1 {
		t.Fatalf("the folder holds %d files after the export", len(left))
	}
	if _, err := res.SHA256(); err != nil {
		t.Fatal(err)
	}
}
