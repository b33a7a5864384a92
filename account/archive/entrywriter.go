package archive

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"strings"
)

// startEntry finishes the current entry and opens the next one; record says
// whether it is listed in the manifest (everything but the manifest itself).
func (w *Writer) startEntry(name string, record bool) (*entryWriter, error) {
	if err := w.ctx.Err(); err != nil {
		return nil, w.fail(err)
	}
	if err := w.finishEntry(); err != nil {
		return nil, err
	}
	method := zip.Deflate
	if isFilesName(name) {
		method = zip.Store
	}
	zf, err := w.zw.CreateHeader(w.header(name, method))
	if err != nil {
		return nil, w.fail(w.wrapWriteErr("write the export file", err))
	}
	w.names[strings.ToLower(name)] = true
	w.cur = &entryWriter{w: w, zf: zf, name: name, h: sha256.New(), record: record}
	return w.cur, nil
}

// finishEntry closes the current entry and adds it to the manifest. An
// entry whose size was promised fails the writer if it came out different.
func (w *Writer) finishEntry() error {
	e := w.cur
	if e == nil {
		return nil
	}
	w.cur = nil
	e.done = true
	if !e.record {
		return nil
	}
	sum := e.sum
	if e.h != nil {
		sum = hex.EncodeToString(e.h.Sum(nil))
	} else if e.n != e.size {
		return w.fail(fmt.Errorf("export entry %q: %d bytes were written where %d were announced", e.name, e.n, e.size))
	} else if w.early != nil {
		if err := w.zw.Flush(); err != nil {
			return w.fail(w.wrapWriteErr("write the export file", err))
		}
		w.early.add(&readBack{name: e.name, offset: e.start, size: e.n, sum: sum})
	}
	w.manifest.Entries = append(w.manifest.Entries, Entry{Name: e.name, Size: e.n, SHA256: sum})
	return nil
}

// entryWriter is the io.Writer of one entry.
type entryWriter struct {
	w      *Writer
	zf     io.Writer
	name   string
	h      hash.Hash // nil when the sum is known (KnownEntry)
	size   int64     // the announced size, when the sum is known
	sum    string    // the known sum, in hex
	start  int64     // where its data begins in the file, when read back early
	n      int64
	record bool
	done   bool
}

// Write compresses p into the entry, checking for cancellation between chunks.
func (e *entryWriter) Write(p []byte) (int, error) {
	w := e.w
	if e.done {
		if err := w.usable(); err != nil {
			return 0, err
		}
		return 0, fmt.Errorf("export entry %q is finished: write to the writer the latest Entry call returned", e.name)
	}
	if err := w.usable(); err != nil {
		return 0, err
	}
	written := 0
	for len(p) > 0 {
		if err := w.ctx.Err(); err != nil {
			return written, w.fail(err)
		}
		chunk := p[:min(len(p), writeChunk)]
		if e.h == nil && e.n+int64(len(chunk)) > e.size {
			return written, w.fail(fmt.Errorf("export entry %q: more than the announced %d bytes were written", e.name, e.size))
		}
		n, err := e.zf.Write(chunk)
		if e.h != nil {
			e.h.Write(chunk[:n])
		}
		e.n += int64(n)
		written += n
		w.total += int64(n)
		if err != nil {
			return written, w.fail(w.wrapWriteErr("write the export file", err))
		}
		p = p[n:]
		if w.progress != nil && w.total >= w.nextProgress {
			w.progress(w.total)
			w.nextProgress = w.total + progressStep
		}
	}
	return written, nil
}
