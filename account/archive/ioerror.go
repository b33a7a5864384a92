package archive

import (
	"errors"
	"fmt"
	"io/fs"

	"offboard/account/durable"
)

// ioError wraps a failed file-system step with what was being done and,
// when the disk is full or access was refused, with what the user can do.
func ioError(step string, err error) error {
	err = durable.DiskFull(err)
	var full *durable.DiskFullError
	if errors.Is(err, fs.ErrPermission) && !errors.As(err, &full) {
		return fmt.Errorf("%s: access was refused; choose another folder for the export: %w", step, err)
	}
	return fmt.Errorf("%s: %w", step, err)
}

// errAbandoned is returned by a Writer used after Abort.
var errAbandoned = errors.New("the export was abandoned")

// errCommitted is returned by a Writer used after Commit.
var errCommitted = errors.New("the export is already finished")
