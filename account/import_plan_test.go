package account

import (
	"archive/zip"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"offboard/account/archive"
)

// readEntry reads one entry of a plain export.
func readEntry(t testing.TB, zipPath, name string) []byte {
	t.Helper()
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	rc, err := zr.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// contractTitles returns the title column of contracts.csv and the titles
// of contracts.json.
func contractTitles(t testing.TB, zipPath string) (csvTitles, jsonTitles []string) {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(string(readEntry(t, zipPath, "contracts.csv")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows[1:] {
		csvTitles = append(csvTitles, r[3])
	}
	var cs []Contract
	if err := json.Unmarshal(readEntry(t, zipPath, "contracts.json"), &cs); err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		jsonTitles = append(jsonTitles, c.Title)
	}
	return csvTitles, jsonTitles
}

const formulaTitle = `=HYPERLINK("https://example.com/steal","click")`

func TestCSVCellsAreNeutralised(t *testing.T) {
	for in, want := range map[string]string{
		"=1+2": "'=1+2", "+1 555": "'+1 555", "-2+3": "'-2+3", "@SUM(A1)": "'@SUM(A1)", "\tx": "'\tx", "\rx": "'\rx",
		"-12.50": "-12.50", "+7": "+7", "-0": "-0", "12": "12", "plain": "plain", "": "", "-": "'-", "-1.": "'-1.", "a=b": "a=b",
	} {
		if got := csvCell(in); got != want {
			t.Errorf("csvCell(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCSVInjectionRoundTrip: a formula title is text in every CSV, exact
// in every JSON, through an export, an import and a second export.
func TestCSVInjectionRoundTrip(t *testing.T) {
	s, a := sampleAccount(t)
	err := a.Update(func(tx *Tx) error {
		return tx.Put(&Contract{Freelancer: "Mallory", Title: formulaTitle, Type: Hourly,
			Rate: Money{Cents: -5000, Currency: "USD"}, Status: ContractActive, Start: time.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	first := filepath.Join(t.TempDir(), "first.zip")
	if _, err := a.Export(context.Background(), first, ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	b, err := s.SignUp("other@example.com", "correct-horse-9", "Other Co")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if _, err := b.Import(context.Background(), first, "", nil); err != nil {
		t.Fatal(err)
	}
	second := filepath.Join(t.TempDir(), "second.zip")
	if _, err := b.Export(context.Background(), second, ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{first, second} {
		csvTitles, jsonTitles := contractTitles(t, p)
		if !contains(csvTitles, "'"+formulaTitle) || contains(csvTitles, formulaTitle) {
			t.Errorf("%s: contracts.csv titles %q", filepath.Base(p), csvTitles)
		}
		if !contains(jsonTitles, formulaTitle) {
			t.Errorf("%s: contracts.json lost the exact title: %q", filepath.Base(p), jsonTitles)
		}
		// A negative amount is a number, not a formula.
		if !strings.Contains(string(readEntry(t, p, "contracts.csv")), ",-50.00,USD,") {
			t.Errorf("%s: the negative rate was changed", filepath.Base(p))
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestImportPlanChangesNothing: the preview counts what is new, writes
// nothing, and after the import counts everything as already here.
func TestImportPlanChangesNothing(t *testing.T) {
	s, a := sampleAccount(t)
	out := filepath.Join(t.TempDir(), "x.zip")
	if _, err := a.Export(context.Background(), out, ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	b, err := s.SignUp("other@example.com", "correct-horse-9", "Other Co")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	want, _ := a.Counts()
	before, _ := b.Counts()
	plan, err := b.PlanImport(context.Background(), out, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range Kinds {
		if plan.New[k] != want[k] || plan.Known[k] != 0 {
			t.Errorf("%s: plan new %d known %d, want %d new", k, plan.New[k], plan.Known[k], want[k])
		}
	}
	if after, _ := b.Counts(); !jsonEqual(t, after, before) {
		t.Fatalf("the plan changed the account: %v, then %v", before, after)
	}
	if _, err := plan.Run(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	again, err := b.PlanImport(context.Background(), out, "")
	if err != nil {
		t.Fatal(err)
	}
	if again.Total() != 0 || again.Known.Total() != want.Total() {
		t.Fatalf("after the import: new %v known %v", again.New, again.Known)
	}
	jobs, _ := b.Counts()
	if jobs[KindJobs] != before[KindJobs]+want[KindJobs] {
		t.Fatalf("jobs: %d, want %d", jobs[KindJobs], before[KindJobs]+want[KindJobs])
	}
}

// bombExport writes an export that verifies but whose one job unpacks to
// far more than the file's size: a description of n bytes of one letter.
func bombExport(t testing.TB, n int) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "bomb.zip")
	w, err := archive.Create(context.Background(), out, archive.Options{AppVersion: "1", AccountID: "elsewhere", Created: time.Now().UTC()})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	for _, k := range Kinds {
		ew, err := w.Entry(string(k) + ".json")
		if err != nil {
			t.Fatal(err)
		}
		if k != KindJobs {
			io.WriteString(ew, "[]\n")
			w.SetCount(string(k), 0)
			continue
		}
		io.WriteString(ew, `[{"id":1,"title":"x","type":"fixed","status":"open","budget":{"cents":1,"currency":"USD"},"description":"`)
		chunk := strings.Repeat("a", 1<<16)
		for i := 0; i < n; i += len(chunk) {
			io.WriteString(ew, chunk)
		}
		io.WriteString(ew, "\"}]\n")
		w.SetCount(string(k), 1)
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestImportRefusesWhatWouldGrowTheAccountFarBeyondTheExport: a small
// export that unpacks to far more than its size, and an export larger than the free disk
// space, are refused before anything is written.
func TestImportRefusesWhatWouldGrowTheAccountFarBeyondTheExport(t *testing.T) {
	s, a := sampleAccount(t)
	// The factor alone, without the 64 MiB of slack, so that a bomb of a
	// few MiB shows it (a real one of 3.9 MB unpacked to 1 GiB).
	bomb := bombExport(t, 4<<20)
	st, _ := os.Stat(bomb)
	path := s.accountPath(a.ID())
	sizeBefore, _ := os.Stat(path)
	countsBefore, _ := a.Counts()

	slack := importGrowthSlack
	importGrowthSlack = 0
	_, err := a.Import(context.Background(), bomb, "", nil)
	importGrowthSlack = slack
	if !errors.Is(err, ErrImportTooLarge) || !strings.Contains(err.Error(), "nothing was imported") {
		t.Fatalf("a %d-byte export unpacking to 4 MiB: %v", st.Size(), err)
	}
	t.Logf("refused: %v", err)

	// The disk guard, with the factor out of the way.
	ok := bombExport(t, 1<<20)
	old := freeSpaceAt
	t.Cleanup(func() { freeSpaceAt = old })
	freeSpaceAt = func(string) (int64, error) { return 8 << 20, nil }
	if _, err := a.Import(context.Background(), ok, "", nil); !errors.Is(err, ErrImportTooLarge) || !strings.Contains(err.Error(), "free disk space") {
		t.Fatalf("with 8 MiB free: %v", err)
	}
	freeSpaceAt = old

	sizeAfter, _ := os.Stat(path)
	countsAfter, _ := a.Counts()
	if sizeAfter.Size() != sizeBefore.Size() || !jsonEqual(t, countsAfter, countsBefore) {
		t.Fatalf("a refused import changed the account: %d → %d bytes, %v → %v",
			sizeBefore.Size(), sizeAfter.Size(), countsBefore, countsAfter)
	}
	// Within the guards the same kind of file comes in.
	if added, err := a.Import(context.Background(), ok, "", nil); err != nil || added[KindJobs] != 1 {
		t.Fatalf("a 1 MiB job: %v, %v", added, err)
	}
}

// TestVersionOneExportsStillVerifyAndImport reads an export that the
// format-1 code wrote (testdata/export-v1.zip: no pages, no PDFs).
func TestVersionOneExportsStillVerifyAndImport(t *testing.T) {
	const v1 = "testdata/export-v1.zip"
	m, err := VerifyExport(context.Background(), v1, "")
	if err != nil {
		t.Fatal(err)
	}
	if m.Format != 1 {
		t.Fatalf("format %d", m.Format)
	}
	_, a := sampleAccount(t)
	before, _ := a.Counts()
	added, err := a.Import(context.Background(), v1, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []Kind{KindJobs, KindContracts, KindThreads, KindMessages, KindFiles, KindInvoices, KindTransactions} {
		if added[k] != 1 {
			t.Errorf("%s: %d added, want 1", k, added[k])
		}
	}
	after, _ := a.Counts()
	if after[KindJobs] != before[KindJobs]+1 {
		t.Fatalf("jobs %d → %d", before[KindJobs], after[KindJobs])
	}
	if again, err := a.Import(context.Background(), v1, "", nil); err != nil || again.Total() != 0 {
		t.Fatalf("second import: %v, %v", again, err)
	}
}
