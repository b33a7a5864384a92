package account

import (
	"context"
	"io"

	"offboard/account/durable"
)

// SaveFile writes a file that the person chose to save (a copy of an
// account's file, the receipt), as every file is written here (package
// durable): write fills a temporary file in the same folder, readable by
// the owner only (mode 0600), which is flushed to disk and renamed over
// path, and the folder is flushed. Until that rename a file already at
// path is untouched, byte for byte; after a failure or a cancel (ctx)
// nothing new is left behind.
func SaveFile(ctx context.Context, path string, write func(io.Writer) error) error {
	return durable.WriteFile(ctx, nil, path, write)
}
