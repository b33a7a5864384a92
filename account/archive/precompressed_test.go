package archive

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"testing"
)

// A prepared entry reads back exactly like one written with Entry: same
// header fields, same bytes, same manifest line.
func TestAddPreparedIsLikeEntry(t *testing.T) {
	body := bytes.Repeat([]byte(`{"id": 1, "text": "Ünïcode & <tags>"},`+"\n"), 5000)
	for _, encrypted := range []bool{false, true} {
		path := filepath.Join(t.TempDir(), "x.zip")
		w, err := Create(context.Background(), path, testOptions(encrypted))
		if err != nil {
			t.Fatal(err)
		}
		p, err := Prepare("b-é.json", 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.Write(body); err != nil {
			t.Fatal(err)
		}
		ew, err := w.Entry("a-é.json")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ew.Write(body); err != nil {
			t.Fatal(err)
		}
		if err := w.AddPrepared(p); err != nil {
			t.Fatal(err)
		}
		if err := w.AddPrepared(p); err == nil {
			t.Fatal("the same entry was added twice")
		}
		res, err := w.Commit()
		if err != nil {
			t.Fatal(err)
		}
		m, err := VerifyWritten(context.Background(), res, testOptions(encrypted).Passphrase)
		if err != nil {
			t.Fatal(err)
		}
		a, b := m.Entries[0], m.Entries[1]
		if a.Size != b.Size || a.SHA256 != b.SHA256 || b.Name != "b-é.json" {
			t.Fatalf("manifest: %+v and %+v", a, b)
		}
		if encrypted {
			continue
		}
		zr, err := zip.OpenReader(path)
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		ha, hb := zr.File[0].FileHeader, zr.File[1].FileHeader
		if !ha.Modified.Equal(hb.Modified) || ha.Mode() != hb.Mode() || ha.Method != hb.Method ||
			!bytes.Equal(ha.Extra, hb.Extra) || ha.Flags&^0x8 != hb.Flags || ha.CreatorVersion != hb.CreatorVersion ||
			ha.ReaderVersion != hb.ReaderVersion {
			t.Fatalf("headers differ:\nEntry:       %+v\nAddPrepared: %+v", ha, hb)
		}
		// The MS-DOS time that older tools read: CreateRaw writes the
		// fields as it finds them, so they must have been filled in.
		//lint:ignore SA1019 the legacy fields themselves are what is checked
		da, db, ta, tb := ha.ModifiedDate, hb.ModifiedDate, ha.ModifiedTime, hb.ModifiedTime
		if da != db || ta != tb || db == 0 {
			t.Fatalf("MS-DOS times differ: %d %d, %d %d", da, ta, db, tb)
		}
	}
}

// An entry larger than its allowance fails, and lets go of its memory.
func TestPrepareLimit(t *testing.T) {
	p, err := Prepare("big.json", 1000)
	if err != nil {
		t.Fatal(err)
	}
	var werr error
	for i := 0; i < 100 && werr == nil; i++ {
		_, werr = p.Write(randomBytes(uint64(i), 4096))
	}
	if !errors.Is(werr, ErrPrepareLimit) || p.Size() != 0 {
		t.Fatalf("err = %v, size = %d", werr, p.Size())
	}
	// The last of the compressed bytes come out at Close.
	p, err = Prepare("small.json", 10)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Write([]byte("a few bytes, fewer than flate holds back")); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); !errors.Is(err, ErrPrepareLimit) {
		t.Fatalf("Close of an entry over its limit: %v", err)
	}
	for _, name := range []string{"", "manifest.json", "../x", "a\\b"} {
		if _, err := Prepare(name, 1000); err == nil {
			t.Errorf("Prepare(%q) was accepted", name)
		}
	}
}
