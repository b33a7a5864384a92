package archive

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
)

// ageIntro is the first line of every age v1 file.
const ageIntro = "age-encryption.org/v1\n"

// zipLocalHeader starts every ZIP archive that has at least one entry.
const zipLocalHeader = "PK\x03\x04"

// testHooks is the package's one seam for its tests, which read what the
// shipped code counts here: the passphrases tried on a header (each one a
// scrypt) and the entries a check took as read back while they were
// written, so that a test can tell which checks ran.
var testHooks struct {
	unwraps, trustedEarly atomic.Int64
}

// maxScryptWorkFactor is the highest scrypt cost (log2 N) accepted, in
// either direction. A file states its own cost and scrypt runs before the
// passphrase can be found wrong, so this bounds what any file can demand:
// 2^20 needs 1 GiB and a few seconds, four times Offboard's default of 18.
// age allows 22, which needs 4 GiB. It is a variable only so that fuzzing
// can lower it.
var maxScryptWorkFactor = 20

// Advice appended to errors, kept in one place so the wording stays consistent.
const (
	adviceRecopy     = "copy it again from the original or make a new export"
	adviceCutShort   = "its end is missing or damaged, for example after a full disk or an interrupted copy; " + adviceRecopy
	adviceNotArchive = "it is neither a ZIP archive nor an age-encrypted file"
)

// IsEncrypted reports whether the file at path starts with the age header.
func IsEncrypted(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, fmt.Errorf("open the export file: %w", err)
	}
	defer f.Close()
	head := make([]byte, len(ageIntro))
	if _, err := io.ReadFull(f, head); err != nil {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return false, nil
		}
		return false, fmt.Errorf("read the export file: %w", err)
	}
	return string(head) == ageIntro, nil
}

// Reader reads an export without ever writing decrypted bytes to disk.
type Reader struct {
	// Manifest is the validated content of manifest.json.
	Manifest Manifest

	f      *os.File
	files  map[string]*zip.File // ZIP entries by name, first occurrence, manifest excluded
	listed map[string]int       // manifest entries by name, as index into Manifest.Entries
	extra  string               // first ZIP entry that the manifest does not list, or a duplicate
	closed bool

	early map[string]*readBack // entries read back as they were written (VerifyWritten)
}

// Open opens the export at path. The passphrase is used only if the file is
// encrypted; decryption happens chunk by chunk as entries are read.
func Open(path, passphrase string) (*Reader, error) {
	return open(path, func(f io.ReaderAt, size int64) ([]byte, error) { return unwrapFileKey(f, size, passphrase) })
}

// open opens the export at path, getting the key of an encrypted one from fileKey.
func open(path string, fileKey func(f io.ReaderAt, size int64) ([]byte, error)) (*Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open the export file: %w", err)
	}
	r, err := newReader(f, fileKey)
	if err != nil {
		f.Close()
		return nil, err
	}
	return r, nil
}

// Close closes the underlying file.
func (r *Reader) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	return r.f.Close()
}

// Open streams the entry name. The reader it returns checks size and
// SHA-256 against the manifest at the end and reports a mismatch as an
// *EntryError instead of io.EOF.
func (r *Reader) Open(name string) (io.ReadCloser, error) {
	if r.closed {
		return nil, fmt.Errorf("export entry %q: the export is closed", name)
	}
	idx, listed := r.listed[name]
	zf := r.files[name]
	switch {
	case !listed && zf != nil:
		return nil, &EntryError{Name: name, Problem: ProblemNotListed}
	case !listed:
		return nil, fmt.Errorf("export entry %q: %w", name, fs.ErrNotExist)
	case zf == nil:
		return nil, &EntryError{Name: name, Problem: ProblemMissing}
	}
	return openEntry(zf, r.Manifest.Entries[idx])
}

// Verify reads the whole export back and checks it against its manifest:
// every listed entry present with its exact size and SHA-256, and nothing
// else. Memory use does not depend on the size of the file.
func Verify(ctx context.Context, path, passphrase string) (*Manifest, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r, err := Open(path, passphrase)
	if err != nil {
		return nil, err
	}
	return r.verify(ctx)
}

// VerifyWritten is Verify for the export that res describes, just
// committed by this process, and gives the same answer for a file no one
// changed since it was written. The stored entries were read back and
// hashed as they were written (see readback.go); they are taken as checked
// where the ZIP's directory agrees with what was read. The slow
// part of opening an encrypted export is scrypt, which turns the
// passphrase into the key that opens the header; the writer kept that key
// and the file key it wrapped, so for the same passphrase the header read
// back from the disk is opened with it, and the contents are checked under
// the file key at once, on every core. Otherwise (another passphrase, a
// header that changed) scrypt opens the header on disk beside the check of
// the contents, and both must pass.
func VerifyWritten(ctx context.Context, res Result, passphrase string) (*Manifest, error) {
	if res.key == nil && res.early != nil && passphrase == "" {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r, err := Open(res.Path, "")
		if err != nil {
			return nil, err
		}
		r.early = res.early
		return r.verify(ctx)
	}
	if res.key == nil {
		return Verify(ctx, res.Path, passphrase)
	}
	fileKey := res.key.fileKey
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	withKey := func(busy <-chan struct{}, early map[string]*readBack) (*Manifest, error) {
		r, err := open(res.Path, func(io.ReaderAt, int64) ([]byte, error) { return fileKey, nil })
		if err != nil {
			return nil, err
		}
		defer r.Close()
		r.early = early
		return r.verifyWith(ctx, busy)
	}
	if res.key.opensWithKeptKey(res.Path, passphrase) {
		return withKey(nil, res.early)
	}
	header := make(chan error, 1)
	checked := make(chan struct{})
	go func() {
		defer close(checked)
		header <- checkFileKey(res.Path, passphrase, fileKey)
	}()
	m, err := withKey(checked, nil)
	// Verify would have stopped at the header: its answer comes first.
	if herr := <-header; herr != nil {
		return nil, herr
	}
	return m, err
}

// checkFileKey checks that the passphrase opens the header of the export
// at path to the file key want.
func checkFileKey(path, passphrase string, want []byte) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open the export file: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("read the export file: %w", err)
	}
	key, err := unwrapFileKey(f, st.Size(), passphrase)
	if err != nil {
		return err
	}
	if subtle.ConstantTimeCompare(key, want) != 1 {
		return errorf(ErrDamaged, "its encryption header does not hold the key its contents were written with; %s", adviceRecopy)
	}
	return nil
}

// verify is Verify on an open export; it closes r.
func (r *Reader) verify(ctx context.Context) (*Manifest, error) {
	defer r.Close()
	return r.verifyWith(ctx, nil)
}

// verifyWith checks r's entries, with one core fewer until busy is closed
// when busy is not nil.
func (r *Reader) verifyWith(ctx context.Context, busy <-chan struct{}) (*Manifest, error) {
	// Cheap structural checks first, so that a wrong file fails fast.
	if r.extra != "" {
		return nil, &EntryError{Name: r.extra, Problem: ProblemNotListed}
	}
	for _, e := range r.Manifest.Entries {
		if r.files[e.Name] == nil {
			return nil, &EntryError{Name: e.Name, Problem: ProblemMissing}
		}
	}

	if err := r.verifyEntries(ctx, busy); err != nil {
		return nil, err
	}
	m := r.Manifest
	return &m, nil
}

// verifyEntries checks every listed entry, on all cores: most of the work
// is SHA-256, and the entries are independent. The answer is the one a
// check in manifest order gives: the first entry that fails, or nil. While
// busy is open (when not nil) one core is left to other work: VerifyWritten
// runs scrypt on it, and the garbage the check makes as it goes would
// otherwise pile up beside scrypt's 256 MiB.
func (r *Reader) verifyEntries(ctx context.Context, busy <-chan struct{}) error {
	entries := r.Manifest.Entries
	errs := make([]error, len(entries))
	var next atomic.Int64
	// failed is the lowest index that failed so far; entries after it
	// cannot change the answer and are skipped.
	var failed atomic.Int64
	failed.Store(int64(len(entries)))
	fail := func(i int64, err error) {
		errs[i] = err
		for {
			f := failed.Load()
			if i >= f || failed.CompareAndSwap(f, i) {
				return
			}
		}
	}
	work := func() {
		// Large reads: age allocates a chunk for every read of an
		// encrypted export, whatever its size.
		buf := make([]byte, 512<<10)
		for {
			i := next.Add(1) - 1
			if i >= int64(len(entries)) || i > failed.Load() {
				return
			}
			if err := ctx.Err(); err != nil {
				fail(i, err)
				continue
			}
			e := entries[i]
			if r.readBackEarly(r.files[e.Name], e) {
				continue
			}
			if err := verifyEntry(ctx, r.files[e.Name], e, buf); err != nil {
				fail(i, err)
			}
		}
	}
	var wg sync.WaitGroup
	for i := range min(runtime.GOMAXPROCS(0), len(entries)) - 1 {
		if i == 0 && busy != nil {
			wg.Go(func() {
				<-busy
				work()
			})
			continue
		}
		wg.Go(work)
	}
	work()
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// readBackEarly reports whether entry e was read back as it was written,
// matched its SHA-256 then, and is, by the ZIP's own directory, exactly
// the bytes that were read: stored, at the same place, of the same size
// and CRC-32.
func (r *Reader) readBackEarly(zf *zip.File, e Entry) bool {
	rb := r.early[e.Name]
	if rb == nil || !rb.match || rb.sum != e.SHA256 || rb.size != e.Size ||
		zf.Method != zip.Store || zf.CompressedSize64 != uint64(e.Size) || zf.UncompressedSize64 != uint64(e.Size) ||
		zf.CRC32 != rb.crc {
		return false
	}
	if off, err := zf.DataOffset(); err != nil || off != rb.offset {
		return false
	}
	testHooks.trustedEarly.Add(1)
	return true
}

// verifyEntry streams one entry through its checks, looking at ctx about
// every megabyte so that cancelling a large export's check is prompt.
func verifyEntry(ctx context.Context, zf *zip.File, e Entry, buf []byte) error {
	rc, err := openEntry(zf, e)
	if err != nil {
		return err
	}
	defer rc.Close()
	for i := 1; ; i++ {
		if i%2 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		_, err := rc.Read(buf)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// openEntry opens a ZIP entry for reading with the manifest's checks.
func openEntry(zf *zip.File, e Entry) (io.ReadCloser, error) {
	// The central directory already states the size; a mismatch there is
	// certain without reading a byte.
	if zf.UncompressedSize64 != uint64(e.Size) {
		return nil, &EntryError{Name: e.Name, Problem: ProblemSize}
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, &EntryError{Name: e.Name, Problem: ProblemUnreadable, Err: err}
	}
	return &entryReader{rc: rc, e: e, h: sha256.New()}, nil
}

// entryReader hashes an entry as it is read and checks it at the end.
type entryReader struct {
	rc  io.ReadCloser
	e   Entry
	h   hash.Hash
	n   int64
	err error
}

func (r *entryReader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	n, err := r.rc.Read(p)
	r.h.Write(p[:n])
	r.n += int64(n)
	switch {
	case r.n > r.e.Size:
		// Never hand out bytes beyond what the manifest promised.
		r.err = &EntryError{Name: r.e.Name, Problem: ProblemSize}
		return 0, r.err
	case err == io.EOF && r.n != r.e.Size:
		r.err = &EntryError{Name: r.e.Name, Problem: ProblemSize}
	case err == io.EOF && hex.EncodeToString(r.h.Sum(nil)) != r.e.SHA256:
		r.err = &EntryError{Name: r.e.Name, Problem: ProblemChecksum}
	case err == io.EOF:
		r.err = io.EOF
	case errors.Is(err, zip.ErrChecksum):
		r.err = &EntryError{Name: r.e.Name, Problem: ProblemChecksum}
	case errors.Is(err, zip.ErrFormat):
		// archive/zip reports data running past the declared size this way.
		r.err = &EntryError{Name: r.e.Name, Problem: ProblemSize}
	case err != nil:
		r.err = &EntryError{Name: r.e.Name, Problem: ProblemUnreadable, Err: err}
	}
	return n, r.err
}

func (r *entryReader) Close() error { return r.rc.Close() }

// entryKind says what a ZIP entry that is not a regular file is.
func entryKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsDir():
		return "a folder"
	}
	return "a special file"
}
