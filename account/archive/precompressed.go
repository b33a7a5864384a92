package archive

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"strings"
	"sync"
)

// ErrPrepareLimit is the error of a Prepared entry that outgrew the memory
// it was allowed; write the entry with Writer.Entry instead.
var ErrPrepareLimit = errors.New("the entry is larger than the memory set aside for it")

// Prepared is an entry compressed in memory ahead of its place in the ZIP,
// so that it can be made on another goroutine while the Writer is busy
// with other entries, then added whole with Writer.AddPrepared. It holds
// at most a set number of compressed bytes.
type Prepared struct {
	name  string
	limit int
	buf   bytes.Buffer
	fw    *flate.Writer
	crc   hash.Hash32
	sum   hash.Hash
	n     int64
	err   error
	done  bool
}

// Prepare starts the entry name (see Writer.Entry for what names are
// allowed), to hold at most limit compressed bytes.
func Prepare(name string, limit int) (*Prepared, error) {
	if err := checkName(name); err != nil {
		return nil, fmt.Errorf("export entry %q: %w", name, err)
	}
	if strings.EqualFold(name, ManifestName) || strings.EqualFold(name, ReadmeName) {
		return nil, fmt.Errorf("export entry %q: the name is reserved for the export itself", name)
	}
	p := &Prepared{name: name, limit: limit, crc: crc32.NewIEEE(), sum: sha256.New()}
	if fw, ok := compressors.Get().(*flate.Writer); ok {
		fw.Reset(&p.buf)
		p.fw = fw
		return p, nil
	}
	fw, err := flate.NewWriter(&p.buf, flate.BestSpeed)
	if err != nil {
		return nil, err
	}
	p.fw = fw
	return p, nil
}

// compressors keeps the compressors of finished entries for the next ones:
// each holds about 1 MiB of state, and an export prepares thousands of
// small entries (a page per thread, a PDF per invoice).
var compressors sync.Pool

// release hands the compressor back once the entry no longer needs it.
func (p *Prepared) release() {
	if p.fw != nil {
		compressors.Put(p.fw)
		p.fw = nil
	}
}

// Name is the entry's name in the export.
func (p *Prepared) Name() string { return p.name }

// Write compresses b into the entry.
func (p *Prepared) Write(b []byte) (int, error) {
	if p.err != nil {
		return 0, p.err
	}
	if p.done {
		return 0, fmt.Errorf("export entry %q is finished", p.name)
	}
	if _, err := p.fw.Write(b); err != nil {
		p.err = err
		return 0, err
	}
	p.crc.Write(b)
	p.sum.Write(b)
	p.n += int64(len(b))
	if p.buf.Len() > p.limit {
		p.err = fmt.Errorf("export entry %q: %w", p.name, ErrPrepareLimit)
		p.buf = bytes.Buffer{} // let go of what it held
		p.release()
		return 0, p.err
	}
	return len(b), nil
}

// Size is the compressed size so far.
func (p *Prepared) Size() int { return p.buf.Len() }

// Close ends the compression; AddPrepared does it if need be.
func (p *Prepared) Close() error {
	if p.err != nil || p.done {
		return p.err
	}
	p.done = true
	err := p.fw.Close()
	p.release()
	switch {
	case err != nil:
		p.err = err
	case p.buf.Len() > p.limit:
		p.err = fmt.Errorf("export entry %q: %w", p.name, ErrPrepareLimit)
		p.buf = bytes.Buffer{}
	case p.buf.Cap()-p.buf.Len() > p.buf.Len()/8:
		// A buffer grows by doubling: held until its turn, a finished
		// entry keeps only its bytes, not up to as many again unused.
		p.buf = *bytes.NewBuffer(bytes.Clone(p.buf.Bytes()))
	}
	return p.err
}

// AddPrepared writes p, finished, as the next entry of the export, and
// lists it in the manifest as Entry would have.
func (w *Writer) AddPrepared(p *Prepared) error {
	if err := w.usable(); err != nil {
		return err
	}
	if err := p.Close(); err != nil {
		return err
	}
	if w.names[strings.ToLower(p.name)] {
		return fmt.Errorf("export entry %q: an entry with this name was already written", p.name)
	}
	if err := w.ctx.Err(); err != nil {
		return w.fail(err)
	}
	if err := w.finishEntry(); err != nil {
		return err
	}
	fh := w.rawHeader(p.name, zip.Deflate)
	fh.CRC32 = p.crc.Sum32()
	fh.CompressedSize64 = uint64(p.buf.Len())
	fh.UncompressedSize64 = uint64(p.n)
	zf, err := w.zw.CreateRaw(fh)
	if err == nil {
		_, err = zf.Write(p.buf.Bytes())
	}
	if err != nil {
		return w.fail(w.wrapWriteErr("write the export file", err))
	}
	w.names[strings.ToLower(p.name)] = true
	w.manifest.Entries = append(w.manifest.Entries, Entry{Name: p.name, Size: p.n, SHA256: hex.EncodeToString(p.sum.Sum(nil))})
	w.total += p.n
	if w.progress != nil && w.total >= w.nextProgress {
		w.progress(w.total)
		w.nextProgress = w.total + progressStep
	}
	p.buf = bytes.Buffer{}
	return nil
}

// header is the ZIP header every entry gets: name, method, the export's
// time and owner-only permissions.
func (w *Writer) header(name string, method uint16) *zip.FileHeader {
	fh := &zip.FileHeader{Name: name, Method: method, Modified: w.mtim}
	// Owner-only permissions survive unzip on Unix, keeping extracted data private.
	fh.SetMode(0o600)
	return fh
}

// rawHeader is header for an entry written with CreateRaw, which takes the
// header's fields as they are: they are filled in here as CreateHeader
// fills them in (the time in both of ZIP's forms, the versions, the UTF-8
// flag), on a scratch writer. The scratch entry is opened as stored:
// CreateHeader fills in the same fields for every method but a directory's,
// and a deflated one would make a compressor of about 1 MiB that is never
// closed, so never reused: for each of the thousands of prepared entries
// of an export (a page per thread, a PDF per invoice), 3 GB of garbage.
func (w *Writer) rawHeader(name string, method uint16) *zip.FileHeader {
	fh := w.header(name, zip.Store)
	_, _ = zip.NewWriter(io.Discard).CreateHeader(fh) // cannot fail on io.Discard
	fh.Flags &^= 0x8                                  // the sizes are known: no data descriptor
	fh.Method = method
	return fh
}
