package archive

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// benchSample is 64 MiB of original files, written 4 MiB at a time.
func benchSample() sample {
	chunk := randomBytes(7, 4<<20)
	var s sample
	for i := range 16 {
		s.entries = append(s.entries, bytesEntry(fmt.Sprintf("files/%04d-clip.bin", i+1), chunk))
	}
	return s
}

func BenchmarkWrite(b *testing.B) {
	s := benchSample()
	dir := b.TempDir()
	path := filepath.Join(dir, "export.zip")
	b.SetBytes(64 << 20)
	b.ResetTimer()
	for b.Loop() {
		if _, err := writeExport(context.Background(), path, Options{}, s); err != nil {
			b.Fatal(err)
		}
		os.Remove(path)
	}
}

func BenchmarkVerify(b *testing.B) {
	path, _ := mustWrite(b, Options{}, benchSample())
	b.SetBytes(64 << 20)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Verify(context.Background(), path, ""); err != nil {
			b.Fatal(err)
		}
	}
}
