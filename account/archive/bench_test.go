package archive

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"filippo.io/age"
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

// BenchmarkScryptUnwrap is what opening a passphrase-protected export
// costs before any of its contents: age's scrypt identity unwrapping the
// file key of a tiny file, at age's default work factor (2^18), the one
// Offboard's exports use.
func BenchmarkScryptUnwrap(b *testing.B) {
	r, err := age.NewScryptRecipient(testPassphrase)
	if err != nil {
		b.Fatal(err)
	}
	var file bytes.Buffer
	w, err := age.Encrypt(&file, r)
	if err != nil {
		b.Fatal(err)
	}
	w.Write([]byte("tiny"))
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		id, err := age.NewScryptIdentity(testPassphrase)
		if err != nil {
			b.Fatal(err)
		}
		rd, err := age.Decrypt(bytes.NewReader(file.Bytes()), id)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, rd); err != nil {
			b.Fatal(err)
		}
	}
}
