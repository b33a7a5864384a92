package archive

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"strings"
	"testing"
)

// TestVerifyRefusesLinksAndFolderClashes: an export with a symbolic-link
// entry, or with a name that is both a file and a folder, is not intact.
func TestVerifyRefusesLinksAndFolderClashes(t *testing.T) {
	src, _ := mustWrite(t, testOptions(false), smallSample())

	// A symbolic link, listed nowhere: it must be refused as a link.
	zr, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		zw.Copy(f)
	}
	h := &zip.FileHeader{Name: "files/link"}
	h.SetMode(fs.ModeSymlink | 0o777)
	w, _ := zw.CreateHeader(h)
	w.Write([]byte("/etc/passwd"))
	zw.Close()
	zr.Close()
	if _, err := Verify(context.Background(), writeTemp(t, buf.Bytes()), ""); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Fatalf("a symbolic-link entry: %v", err)
	}

	// A manifest that lists "x" and "x/y": one name is the other's folder.
	clash := replaceManifest(t, src, func(m *Manifest) []byte {
		e := m.Entries[0]
		e2 := e
		e2.Name = e.Name + "/inner.txt"
		m.Entries = append(m.Entries, e2)
		b, _ := json.Marshal(m)
		return b
	})
	if _, err := Verify(context.Background(), clash, ""); err == nil || !strings.Contains(err.Error(), "both a file and the folder") {
		t.Fatalf("a name that is both a file and a folder: %v", err)
	}
}
