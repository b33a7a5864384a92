package account

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// hostileAccount is the small sample plus items whose text tries to break
// out of a page, a spreadsheet cell or a file name.
func hostileAccount(t testing.TB) *Account {
	t.Helper()
	_, a := sampleAccount(t)
	err := a.Update(func(tx *Tx) error {
		if err := tx.Put(&Job{Title: `<script>alert("job")</script>`, Description: `"><img src=https://example.com/x.png>`,
			Budget: Money{Cents: 100, Currency: "USD"}, Type: Fixed, Status: JobOpen, Posted: time.Now()}); err != nil {
			return err
		}
		th := &Thread{Freelancer: "Eve", Subject: "<script>alert(1)</script>", Started: time.Now()}
		if err := tx.Put(th); err != nil {
			return err
		}
		if err := tx.Put(&Message{ThreadID: th.ID, Sender: "Eve <b>bold</b>", Sent: time.Now(),
			Body: "</div><script>alert(\"message\")</script><a href=\"https://example.com/\">x</a>"}); err != nil {
			return err
		}
		return tx.Put(&Contract{Freelancer: "Eve <b>bold</b>", Title: `=HYPERLINK("https://example.com/steal","click")`,
			Type: Hourly, Rate: Money{Cents: 5000, Currency: "USD"}, Status: ContractActive, Start: time.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	f := &File{Name: "50% #1 ?.png", MediaType: "image/png"}
	if err := a.AddFile(f, bytes.NewReader(tinyPNG(t))); err != nil {
		t.Fatal(err)
	}
	return a
}

func tinyPNG(t testing.TB) []byte {
	t.Helper()
	var b bytes.Buffer
	img := imageOf(4, 4)
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// exportAndExtract exports a into a plain ZIP and unzips it into a folder,
// as a person would before opening index.html.
func exportAndExtract(t testing.TB, a *Account) (zipPath, dir string) {
	t.Helper()
	zipPath = filepath.Join(t.TempDir(), "export.zip")
	if _, err := a.Export(context.Background(), zipPath, ExportOptions{AppVersion: "test"}); err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, zf := range zr.File {
		dst := filepath.Join(dir, filepath.FromSlash(zf.Name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
			t.Fatal(err)
		}
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return zipPath, dir
}

// TestExportPagesStayInTheFolder parses every page of an export: each link
// and image must name an entry of the same export by a relative path, no
// URL may leave the machine, no script may run, and hostile text must show
// as text.
func TestExportPagesStayInTheFolder(t *testing.T) {
	a := hostileAccount(t)
	_, dir := exportAndExtract(t, a)
	var pages []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".html") {
			pages = append(pages, p)
		}
		return err
	})
	counts, _ := a.Counts()
	// index, a page per kind but messages, a page per thread.
	if want := 1 + len(pageKinds) + counts[KindThreads]; len(pages) != want {
		t.Fatalf("%d pages, want %d", len(pages), want)
	}
	linked := map[string]bool{}
	links := 0
	for _, p := range pages {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"<script", "url(", "@import", "<img src=https", "<b>bold"} {
			if bytes.Contains(bytes.ToLower(raw), []byte(bad)) {
				t.Errorf("%s holds %q", p, bad)
			}
		}
		doc, err := html.Parse(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for n := range doc.Descendants() {
			if n.Type != html.ElementNode {
				continue
			}
			if n.Data == "script" || n.Data == "link" || n.Data == "iframe" || n.Data == "object" {
				t.Errorf("%s has a <%s>", p, n.Data)
			}
			for _, at := range n.Attr {
				if strings.HasPrefix(at.Key, "on") {
					t.Errorf("%s: <%s %s>", p, n.Data, at.Key)
				}
				if at.Key != "href" && at.Key != "src" {
					continue
				}
				links++
				u, err := url.Parse(at.Val)
				if err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(at.Val, "/") {
					t.Errorf("%s: %s=%q leaves the export folder", p, at.Key, at.Val)
					continue
				}
				if u.Path == "" { // a link within the page
					continue
				}
				target := filepath.Join(filepath.Dir(p), filepath.FromSlash(u.Path))
				rel, err := filepath.Rel(dir, target)
				if err != nil || strings.HasPrefix(rel, "..") {
					t.Errorf("%s: %s=%q points outside the export", p, at.Key, at.Val)
					continue
				}
				if _, err := os.Stat(target); err != nil {
					t.Errorf("%s: broken %s=%q", p, at.Key, at.Val)
				}
				linked[filepath.ToSlash(rel)] = true
			}
		}
	}
	t.Logf("%d pages, %d links and images checked", len(pages), links)
	// Every page, file and PDF can be reached from the pages.
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		top := strings.SplitN(rel, "/", 2)[0]
		if err == nil && !d.IsDir() && (top == "pages" || top == "files" || top == "invoices") && !linked[rel] {
			t.Errorf("nothing links to %s", rel)
		}
		return err
	})
	jobs, _ := os.ReadFile(filepath.Join(dir, "pages", "jobs.html"))
	if !bytes.Contains(jobs, []byte("&lt;script&gt;alert(&#34;job&#34;)&lt;/script&gt;")) {
		t.Errorf("the hostile job title is not shown as text:\n%s", jobs)
	}
}

// requireTool finds a command the test needs. make test installs it
// (scripts/deps.sh export-check) and sets OFFBOARD_REQUIRE_TOOLS, so that
// there a missing tool fails the test instead of skipping it.
func requireTool(t *testing.T, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	if os.Getenv("OFFBOARD_REQUIRE_TOOLS") != "" {
		t.Fatalf("%s is not installed: run scripts/deps.sh export-check", names[0])
	}
	t.Skipf("%s is not installed (scripts/deps.sh export-check installs it)", names[0])
	return ""
}

// TestInvoicePDFsHoldTheirText runs pdftotext over every invoice's PDF.
func TestInvoicePDFsHoldTheirText(t *testing.T) {
	pdftotext := requireTool(t, "pdftotext")
	_, a := sampleAccount(t)
	_, dir := exportAndExtract(t, a)
	raw, err := os.ReadFile(filepath.Join(dir, "invoices.json"))
	if err != nil {
		t.Fatal(err)
	}
	var invoices []Invoice
	if err := json.Unmarshal(raw, &invoices); err != nil {
		t.Fatal(err)
	}
	p, _ := a.Profile()
	pdfs, _ := filepath.Glob(filepath.Join(dir, "invoices", "*.pdf"))
	if len(invoices) == 0 || len(pdfs) != len(invoices) {
		t.Fatalf("%d PDFs for %d invoices", len(pdfs), len(invoices))
	}
	names := invoiceNamer{}
	for i := range invoices {
		inv := &invoices[i]
		file := filepath.Join(dir, filepath.FromSlash(names.name(inv)))
		out, err := exec.Command(pdftotext, "-layout", file, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext %s: %v", file, err)
		}
		text := string(out)
		for _, want := range []string{inv.Number, inv.Amount.String(), p.Company, string(inv.Status), isoDay(inv.Date)} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: pdftotext finds no %q in:\n%s", path.Base(file), want, text)
			}
		}
	}
	t.Logf("%d invoice PDFs read by pdftotext", len(pdfs))
}

// TestIndexPageInBrowser renders index.html in headless Chromium from the
// extracted folder: it must show the company's name and not be blank.
func TestIndexPageInBrowser(t *testing.T) {
	chromium := requireTool(t, "chromium", "chromium-browser", "google-chrome")
	_, a := sampleAccount(t)
	_, dir := exportAndExtract(t, a)
	p, _ := a.Profile()
	index := (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(dir, IndexName))}).String()
	args := []string{"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
		"--user-data-dir=" + t.TempDir(), "--window-size=1200,900"}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	dom, err := exec.CommandContext(ctx, chromium, append(args, "--dump-dom", index)...).Output()
	if err != nil {
		t.Fatalf("chromium --dump-dom: %v", err)
	}
	if !strings.Contains(html.UnescapeString(string(dom)), p.Company) {
		t.Fatalf("the rendered page does not show %q:\n%s", p.Company, dom)
	}
	shot := filepath.Join(t.TempDir(), "index.png")
	cmd := exec.CommandContext(ctx, chromium, append(args, "--screenshot="+shot, index)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium --screenshot: %v\n%s", err, out)
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	// Not blank: a good share of the pixels differ from the background.
	bg := img.At(0, 0)
	b := img.Bounds()
	differ := 0
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			if img.At(x, y) != bg {
				differ++
			}
		}
	}
	total := (b.Dx() / 2) * (b.Dy() / 2)
	if differ < total/100 {
		t.Fatalf("the page looks blank: %d of %d pixels differ from the background", differ, total)
	}
	t.Logf("chromium rendered %dx%d, %d of %d sampled pixels are content", b.Dx(), b.Dy(), differ, total)
}

func imageOf(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{R: uint8(60 * x), G: uint8(60 * y), B: 200, A: 255})
		}
	}
	return img
}
