package ui

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestSaveSafelyKeepsTheEarlierFileUntilTheNewOneIsWhole(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "receipt.txt")
	if err := os.WriteFile(path, []byte("earlier"), 0o644); err != nil {
		t.Fatal(err)
	}
	intact := func(when string) {
		t.Helper()
		if got, err := os.ReadFile(path); err != nil || string(got) != "earlier" {
			t.Fatalf("%s: the earlier file is %q (%v)", when, got, err)
		}
		if left, _ := os.ReadDir(dir); len(left) != 1 {
			t.Fatalf("%s: the folder holds %d files", when, len(left))
		}
	}
	failed := errors.New("disk full")
	if err := saveSafely(context.Background(), path, func(w io.Writer) error {
		_, _ = w.Write([]byte("half"))
		return failed
	}); !errors.Is(err, failed) {
		t.Fatalf("a failed write: %v", err)
	}
	intact("after a failed write")
	ctx, cancel := context.WithCancel(context.Background())
	if err := saveSafely(ctx, path, func(w io.Writer) error {
		_, err := w.Write([]byte("whole but cancelled"))
		cancel()
		return err
	}); !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled write: %v", err)
	}
	intact("after a cancel")
	if err := saveSafely(context.Background(), path, func(w io.Writer) error {
		_, err := w.Write([]byte("new"))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	fi, _ := os.Stat(path)
	if string(got) != "new" || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the saved file is %q, mode %v; want \"new\", 0600", got, fi.Mode().Perm())
	}
}
