package account

import (
	"encoding/json"
	"fmt"
	"io"

	"offboard/account/archive"
)

// writeFiles writes every stored file into the export.
func (a *Account) writeFiles(w *archive.Writer, files []File, filePath map[uint64]string, prog *ExportProgress, report func(), between func() error) error {
	// Each file is opened, and starts decrypting, while the one before it
	// is still being written.
	var next *fileReader
	defer func() {
		if next != nil {
			next.Close()
		}
	}()
	for i, f := range files {
		// A file's size and SHA-256 were recorded as it came in; reading
		// the export back checks its bytes against them, end to end.
		ew, err := w.KnownEntry(filePath[f.ID], f.Size, f.SHA256)
		if err != nil {
			return err
		}
		rc := next
		if rc == nil {
			if rc, err = a.openFile(f.ID); err != nil {
				return err
			}
		}
		next = nil
		if i+1 < len(files) {
			if next, err = a.openFile(files[i+1].ID); err != nil {
				rc.Close()
				return err
			}
			next.start()
		}
		_, err = io.Copy(ew, rc)
		rc.Close()
		if err != nil {
			return fmt.Errorf("copy file %q: %w", f.Name, err)
		}
		prog.Items++
		report()
		if err := between(); err != nil {
			return err
		}
	}
	return nil
}

func writeJSON(w *archive.Writer, name string, v any) error {
	ew, err := w.Entry(name)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(ew)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
