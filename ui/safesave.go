package ui

import (
	"context"
	"io"

	"offboard/account"
)

// saveSafely is the one way the window writes a file the person chose (a
// copy of a file; the receipt goes through account.Receipt.WriteFile, the
// same writer): account.SaveFile, which keeps a file already at path until
// the new one is whole on disk.
func saveSafely(ctx context.Context, path string, write func(io.Writer) error) error {
	return account.SaveFile(ctx, path, write)
}
