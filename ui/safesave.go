package ui

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// saveSafely is the one way the window writes a file the person chose (a
// receipt, a copy of a file): write calls fill a temporary file in the same
// folder, readable by the owner only (mode 0600), which is flushed to disk
// and then renamed over path. Until that rename a file already at path is
// untouched, byte for byte; after a failure or a cancel (ctx) nothing new
// is left behind. Exports do the same in account.Export, which also reads
// the file back before the rename.
func saveSafely(ctx context.Context, path string, write func(io.Writer) error) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".offboard-save-*.tmp") // made 0600
	if err != nil {
		return fmt.Errorf("save %s: %w", filepath.Base(path), err)
	}
	buf := bufio.NewWriterSize(tmp, 1<<20)
	err = write(buf)
	if err == nil {
		err = ctx.Err()
	}
	if err == nil {
		err = buf.Flush()
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = ctx.Err() // the last moment a cancel keeps the earlier file
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("save %s: %w", filepath.Base(path), err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // the rename survives a power cut; not every system can
		_ = d.Close()
	}
	return nil
}
