package account

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"offboard/account/archive"
	"offboard/account/vault"
)

// The corpus under testdata/corpus holds damaged account files and exports.
// Every one must give a clear error, never a panic and never silently wrong
// data. Regenerate with: go test ./account -run TestCorpus -update-corpus
var updateCorpus = flag.Bool("update-corpus", false, "rewrite testdata/corpus")

const (
	corpusDir    = "testdata/corpus"
	corpusEmail  = "corpus@example.com"
	corpusPass   = "correct-horse-9"
	corpusPhrase = "corpus passphrase"
)

func TestCorpus(t *testing.T) {
	if *updateCorpus {
		writeCorpus(t)
	}
	accounts, _ := filepath.Glob(filepath.Join(corpusDir, "accounts", "*.db"))
	exports, _ := filepath.Glob(filepath.Join(corpusDir, "exports", "*"))
	if len(accounts) < 20 || len(exports) < 10 {
		t.Fatalf("corpus has %d account files and %d exports; run with -update-corpus", len(accounts), len(exports))
	}
	for _, f := range accounts {
		t.Run(filepath.Base(f), func(t *testing.T) { checkDamagedAccount(t, f) })
	}
	for _, f := range exports {
		t.Run(filepath.Base(f), func(t *testing.T) {
			_, err := VerifyExport(context.Background(), f, corpusPhrase)
			if err == nil {
				t.Fatal("a damaged export verified")
			}
			if !clearExportError(err) {
				t.Fatalf("unclear error: %v", err)
			}
		})
	}
	t.Logf("%d damaged account files and %d damaged exports each gave a clear error", len(accounts), len(exports))
}

func clearExportError(err error) bool {
	var ee *archive.EntryError
	for _, e := range []error{archive.ErrNotExport, archive.ErrTruncated, archive.ErrDamaged, archive.ErrWrongPassphrase, archive.ErrNeedPassphrase} {
		if errors.Is(err, e) {
			return true
		}
	}
	return errors.As(err, &ee)
}

// checkDamagedAccount puts one damaged file in a data folder and signs in: the
// sign-in, or the full check after it, must fail with a clear error.
func checkDamagedAccount(t *testing.T, file string) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, accountsDir), 0o700)
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, accountsDir, newID()+accountExt), b, 0o600)
	s := openTestStore(t, dir, fastOptions())
	si, err := s.SignIn(corpusEmail, corpusPass)
	if err != nil {
		if !errors.Is(err, ErrCorruptFile) && !errors.Is(err, ErrNoAccount) && !errors.Is(err, vault.ErrCorrupt) {
			t.Fatalf("unclear sign-in error: %v", err)
		}
		return
	}
	a, err := si.Complete("")
	if err != nil {
		return
	}
	defer a.Close()
	if err := a.Check(); err == nil {
		t.Fatal("damage went unnoticed")
	} else if !errors.Is(err, vault.ErrCorrupt) && !errors.Is(err, ErrCorruptFile) {
		t.Fatalf("unclear check error: %v", err)
	}
}

func writeCorpus(t *testing.T) {
	os.RemoveAll(corpusDir)
	os.MkdirAll(filepath.Join(corpusDir, "accounts"), 0o755)
	os.MkdirAll(filepath.Join(corpusDir, "exports"), 0o755)
	dir := t.TempDir()
	s := openTestStore(t, dir, fastOptions())
	other, _ := s.SignUp("other@example.com", corpusPass, "Other")
	a, err := s.SignUp(corpusEmail, corpusPass, "Corpus Co")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		a.Put(&Job{Title: fmt.Sprintf("posting %d", i), Budget: Money{Cents: 100, Currency: "USD"}, Type: Fixed, Status: JobClosed})
	}
	f := File{Name: "brief.bin"}
	a.AddFile(&f, io.LimitReader(rand.NewChaCha8([32]byte{1}), 700))
	// Collect the raw sealed values and where they sit in the file.
	type val struct {
		bucket, key, v []byte
	}
	var vals []val
	a.db.View(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bHeader, []byte(KindJobs), bChunks, bProfile, bSecurity} {
			tx.Bucket(name).ForEach(func(k, v []byte) error {
				vals = append(vals, val{name, bytes.Clone(k), bytes.Clone(v)})
				return nil
			})
		}
		return nil
	})
	var foreignSlot []byte
	other.db.View(func(tx *bolt.Tx) error { foreignSlot = bytes.Clone(tx.Bucket(bHeader).Get(kSlot)); return nil })
	exportPlain := filepath.Join(t.TempDir(), "plain.zip")
	exportAge := filepath.Join(t.TempDir(), "enc.zip.age")
	if _, err := a.Export(context.Background(), exportPlain, ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Export(context.Background(), exportAge, ExportOptions{Passphrase: "another phrase", ScryptWorkFactor: 10}); err != nil {
		t.Fatal(err)
	}
	a.Close()
	other.Close()
	good, _ := os.ReadFile(a.path)
	// Damage that leaves every byte of data readable and right (a flip in a
	// free page, or in one meta page when bbolt falls back to the other) is
	// not kept: the corpus is of damage that must be reported.
	put := func(name string, b []byte) {
		if harmless(t, b) {
			return
		}
		os.WriteFile(filepath.Join(corpusDir, "accounts", name+".db"), b, 0o644)
	}
	rnd := rand.New(rand.NewPCG(7, 7))
	for i, v := range vals {
		if string(v.bucket) == string(bHeader) && (string(v.key) == string(kFormat) || string(v.key) == string(kThrottle)) {
			continue
		}
		at := bytes.Index(good, v.v)
		if at < 0 {
			continue
		}
		for _, off := range []int{0, len(v.v) / 2} {
			bad := bytes.Clone(good)
			bad[at+off] ^= byte(1 + rnd.IntN(255))
			put(fmt.Sprintf("flip-%s-%d-at-%d", v.bucket, i, off), bad)
		}
	}
	// Meta and page headers: bbolt's own checks or our recovery catch these.
	for _, off := range []int{0, 16, 20, 32, 48, 64, 4096 + 16, 4096 + 32} {
		bad := bytes.Clone(good)
		bad[off] ^= 0xff
		if off < 4096 {
			bad[4096+off] ^= 0xff // both meta pages, or bbolt falls back to the other
		}
		put(fmt.Sprintf("meta-%d", off), bad)
	}
	for _, n := range []int{0, 100, 4096, 8192 + 10, len(good) / 3, len(good) / 2, len(good) - 4096} {
		put(fmt.Sprintf("truncated-%d", n), good[:n])
	}
	random := make([]byte, len(good))
	rand.NewChaCha8([32]byte{9}).Read(random)
	put("random", random)
	put("text", []byte("this is not an account file\n"))
	// Two records swapped in place (same length, different places).
	var jobs []val
	for _, v := range vals {
		if string(v.bucket) == string(KindJobs) {
			jobs = append(jobs, v)
		}
	}
	if len(jobs[0].v) == len(jobs[1].v) {
		sw := bytes.Clone(good)
		i, j := bytes.Index(good, jobs[0].v), bytes.Index(good, jobs[1].v)
		copy(sw[i:], jobs[1].v)
		copy(sw[j:], jobs[0].v)
		put("swapped-records", sw)
	}
	for _, v := range vals {
		if string(v.bucket) == string(bHeader) && string(v.key) == string(kSlot) && len(v.v) == len(foreignSlot) {
			fs := bytes.Clone(good)
			copy(fs[bytes.Index(good, v.v):], foreignSlot)
			put("foreign-key-slot", fs)
		}
	}
	// Exports.
	plain, _ := os.ReadFile(exportPlain)
	enc, _ := os.ReadFile(exportAge)
	putExport := func(name string, b []byte) { os.WriteFile(filepath.Join(corpusDir, "exports", name), b, 0o644) }
	putExport("empty.zip", nil)
	putExport("random.zip", random[:20000])
	putExport("wrong-passphrase.zip.age", enc)
	for _, n := range []int{10, len(plain) / 3, len(plain) - 30} {
		putExport(fmt.Sprintf("truncated-%d.zip", n), plain[:n])
	}
	for _, n := range []int{30, len(enc) / 2, len(enc) - 10} {
		putExport(fmt.Sprintf("truncated-%d.zip.age", n), enc[:n])
	}
	// Flip a byte inside the data of several entries (stored and deflated).
	zr, _ := zip.NewReader(bytes.NewReader(plain), int64(len(plain)))
	for _, zf := range zr.File {
		if zf.CompressedSize64 < 8 || (zf.Name != "jobs.json" && zf.Name != "profile.json" && !strings.HasPrefix(zf.Name, "files/")) {
			continue
		}
		off, _ := zf.DataOffset()
		bad := bytes.Clone(plain)
		bad[off+int64(zf.CompressedSize64)/2] ^= 0x55
		putExport("flip-in-"+strings.ReplaceAll(zf.Name, "/", "-")+".zip", bad)
	}
	putExport("entry-removed.zip", rewriteZip(t, plain, func(name string) (string, bool) { return name, name != "jobs.json" }, nil))
	putExport("entry-added.zip", rewriteZip(t, plain, func(name string) (string, bool) { return name, true }, map[string]string{"extra.txt": "surprise"}))
	putExport("no-manifest.zip", rewriteZip(t, plain, func(name string) (string, bool) { return name, name != archive.ManifestName }, nil))
	putExport("entry-renamed.zip", rewriteZip(t, plain, func(name string) (string, bool) {
		return strings.Replace(name, "reviews.json", "review.json", 1), true
	}, nil))
}

// rewriteZip copies a ZIP, renaming or dropping entries and adding some.
func rewriteZip(t *testing.T, src []byte, keep func(string) (string, bool), add map[string]string) []byte {
	zr, err := zip.NewReader(bytes.NewReader(src), int64(len(src)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		name, ok := keep(f.Name)
		if !ok {
			continue
		}
		w, _ := zw.Create(name)
		rc, _ := f.Open()
		io.Copy(w, rc)
		rc.Close()
	}
	for n, v := range add {
		w, _ := zw.Create(n)
		io.WriteString(w, v)
	}
	zw.Close()
	return out.Bytes()
}

// harmless reports whether a damaged account file still signs in and passes
// the full check.
func harmless(t *testing.T, b []byte) bool {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, accountsDir), 0o700)
	os.WriteFile(filepath.Join(dir, accountsDir, newID()+accountExt), b, 0o600)
	s, err := Open(dir, fastOptions())
	if err != nil {
		return false
	}
	defer s.Close()
	si, err := s.SignIn(corpusEmail, corpusPass)
	if err != nil {
		return false
	}
	a, err := si.Complete("")
	if err != nil {
		return false
	}
	defer a.Close()
	return a.Check() == nil
}
