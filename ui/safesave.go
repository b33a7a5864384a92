package ui

import (
	"context"
	"io"

	"offboard/account/durable"
)

// saveSafely is the one way the window writes a file the person chose (a
// copy of a file; the receipt goes through account.Receipt.WriteFile, the
// same writer): write fills a temporary file in the same folder, readable
// by the owner only (mode 0600), which is flushed to disk and renamed over
// path, and the folder is flushed. Until that rename a file already at
// path is untouched, byte for byte; after a failure or a cancel (ctx)
// nothing new is left behind.
func saveSafely(ctx context.Context, path string, write func(io.Writer) error) error {
	return durable.WriteFile(ctx, nil, path, write)
}
