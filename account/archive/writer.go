package archive

import (
	"archive/zip"
	"compress/flate"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"filippo.io/age"

	"offboard/account/durable"
)

// TempPattern names the temporary file an export is written into (also a
// glob for finding what a crash left behind). The
// leading dot hides it in most file managers while it is incomplete.
const TempPattern = ".offboard-export-*.tmp"

// Sizes that trade memory for fewer system calls and checks.
const (
	fileBufferSize = 1 << 20   // bytes handed to the file at a time
	fileBuffers    = 4         // buffers of fileBufferSize in flight
	fileFlush      = 32 << 20  // bytes written between two starts of write-back
	writeChunk     = 1 << 20   // bytes written between two looks at ctx
	progressStep   = 256 << 10 // bytes between two Progress calls
)

// Options configures an export.
type Options struct {
	// Passphrase, when not empty, wraps the ZIP in age with an scrypt recipient.
	Passphrase string
	// AppVersion is recorded in the manifest.
	AppVersion string
	// AccountID is recorded in the manifest.
	AccountID string
	// Created is recorded in the manifest in UTC, to the second; zero means now.
	Created time.Time
	// FS is where the export is written; nil means durable.OS.
	FS durable.FS
	// Progress, if set, is called with the total uncompressed bytes accepted so far.
	Progress func(written int64)
	// ScryptWorkFactor is the base-2 logarithm of the scrypt cost; 0 means age's default (18).
	ScryptWorkFactor int
}

// Result describes a committed export.
type Result struct {
	Path     string
	Size     int64
	Manifest Manifest
	// SHA256 is the checksum of the whole file, in lowercase hex as
	// sha256sum prints it, computed from the bytes as they went into the
	// file (the file is written front to back, once): no second reading
	// of a large export. VerifyWritten then reads the file back.
	SHA256 string

	key   *passphraseRecipient // an encrypted export's file key and what wrapped it, for VerifyWritten
	early map[string]*readBack
}

// Writer writes one export. It is not safe for concurrent use; cancel the
// context given to Create to stop it from another goroutine.
type Writer struct {
	ctx       context.Context
	path      string
	encrypted bool
	progress  func(int64)

	tmp      *durable.Temp // the export until Commit puts it at path
	fileOpen bool          // the writing goroutines still need stopping

	out   *fileWriter
	early *earlyReader // the stored entries, read back as they are written
	key   *passphraseRecipient
	age   *lateWriter
	zw    *zip.Writer
	mtim  time.Time

	manifest Manifest
	names    map[string]bool // case-folded names already used
	cur      *entryWriter

	total        int64
	nextProgress int64

	committed bool
	closed    bool  // failed or aborted: nothing more will be written
	err       error // why the writer closed
	usageErr  error // first invalid SetCount, reported by Commit
}

// Create starts an export that Commit will move to path. Until then
// everything goes into a temporary file in path's folder.
func Create(ctx context.Context, path string, opt Options) (*Writer, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if path == "" {
		return nil, errors.New("create export: no destination file was given")
	}
	if opt.ScryptWorkFactor < 0 || opt.ScryptWorkFactor > maxScryptWorkFactor {
		return nil, fmt.Errorf("create export: the scrypt work factor must be between 1 and %d", maxScryptWorkFactor)
	}
	created := opt.Created
	if created.IsZero() {
		created = time.Now()
	}
	created = created.UTC().Truncate(time.Second)

	var recipient *passphraseRecipient
	if opt.Passphrase != "" {
		recipient = newPassphraseRecipient(opt.Passphrase, opt.ScryptWorkFactor)
	}

	tmp, err := durable.CreateTemp(opt.FS, path, TempPattern)
	if err != nil {
		return nil, ioError("start the export", err)
	}
	f := tmp.File()
	w := &Writer{
		ctx:       ctx,
		path:      path,
		encrypted: recipient != nil,
		progress:  opt.Progress,
		tmp:       tmp,
		fileOpen:  true,
		// The legacy ZIP timestamp is local time; the extended one that
		// archive/zip adds alongside is UTC, so both tools and people agree.
		mtim: created.Local(),
		manifest: Manifest{
			Format:     FormatVersion,
			App:        appName,
			AppVersion: opt.AppVersion,
			Created:    created,
			AccountID:  opt.AccountID,
			Counts:     map[string]int{},
		},
		names:        map[string]bool{},
		nextProgress: progressStep,
	}
	w.out = newFileWriter(f)
	if recipient == nil {
		w.early = newEarlyReader(&plainSource{ra: f, fw: w.out})
	}
	var zdst io.Writer = w.out
	if recipient != nil {
		// scrypt makes the header in about half a second; meanwhile the
		// ZIP's first megabytes (the records) are made and held.
		w.key = recipient
		late := &lateWriter{done: make(chan struct{}), max: lateHold}
		go func() {
			defer close(late.done)
			late.w, late.err = age.Encrypt(w.out, recipient)
			late.start = w.out.passed // the header and the nonce are written
			if late.err != nil {
				late.err = w.wrapWriteErr("start the encryption", late.err)
				return
			}
			// scrypt has just left 256 MiB of garbage: give it back now
			// rather than carry it through the whole export.
			debug.FreeOSMemory()
		}()
		w.age = late
		zdst = late
		w.early = newEarlyReader(newAgeSource(f, w.out, late, recipient))
	}
	w.zw = zip.NewWriter(zdst)
	// The records' JSON shrinks by nine tenths at flate's fastest level
	// already; the default level would spend several times the CPU for a
	// few per cent more.
	w.zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestSpeed)
	})
	return w, nil
}

// Entry finishes the previous entry and starts the entry name, a slash path
// such as "messages.json" or "files/0007-report.pdf".
func (w *Writer) Entry(name string) (io.Writer, error) {
	if err := w.usable(); err != nil {
		return nil, err
	}
	if err := checkName(name); err != nil {
		return nil, fmt.Errorf("export entry %q: %w", name, err)
	}
	if strings.EqualFold(name, ManifestName) || strings.EqualFold(name, ReadmeName) {
		return nil, fmt.Errorf("export entry %q: the name is reserved for the export itself", name)
	}
	// Names that differ only in letter case would overwrite each other when
	// the export is unzipped on Windows or macOS.
	if w.names[strings.ToLower(name)] {
		return nil, fmt.Errorf("export entry %q: an entry with this name was already written", name)
	}
	return w.startEntry(name, true)
}

// KnownEntry is Entry for content whose size and SHA-256 (lowercase hex)
// are known before it is written, such as a stored file that recorded both
// when it came in. The manifest takes them as they are instead of hashing
// the bytes a second time; the entry fails if a different number of bytes
// arrives, and VerifyWritten, which hashes what was read back from the
// disk, is what proves that the bytes match the sum.
func (w *Writer) KnownEntry(name string, size int64, sum string) (io.Writer, error) {
	if err := w.usable(); err != nil {
		return nil, err
	}
	if size < 0 {
		return nil, fmt.Errorf("export entry %q: a size cannot be negative", name)
	}
	if b, err := hex.DecodeString(sum); err != nil || len(b) != sha256.Size || strings.ToLower(sum) != sum {
		return nil, fmt.Errorf("export entry %q: %q is not a SHA-256 in lowercase hex", name, sum)
	}
	ew, err := w.Entry(name)
	if err != nil {
		return nil, err
	}
	e := ew.(*entryWriter)
	e.h, e.size, e.sum = nil, size, sum
	if w.early != nil {
		// The ZIP writer buffers a little: hand its header on, so that
		// the bytes the file writer has taken end where the data begins.
		if err := w.zw.Flush(); err != nil {
			return nil, w.fail(w.wrapWriteErr("write the export file", err))
		}
		e.start = w.zipOffset()
	}
	return e, nil
}

// SetCount records how many items of kind the export holds, for the manifest.
func (w *Writer) SetCount(kind string, n int) {
	if w.committed || w.closed {
		return
	}
	if err := checkKind(kind); err != nil {
		if w.usageErr == nil {
			w.usageErr = fmt.Errorf("export count: %w", err)
		}
		return
	}
	if n < 0 {
		if w.usageErr == nil {
			w.usageErr = fmt.Errorf("export count %q: a count cannot be negative", kind)
		}
		return
	}
	w.manifest.Counts[kind] = n
}

// writeTail adds the README and the manifest, the last two entries.
func (w *Writer) writeTail() error {
	readme, err := w.startEntry(ReadmeName, true)
	if err != nil {
		return err
	}
	if _, err := readme.Write(buildReadme(&w.manifest, w.encrypted)); err != nil {
		return err
	}
	if err := w.finishEntry(); err != nil {
		return err
	}
	mw, err := w.startEntry(ManifestName, false)
	if err != nil {
		return err
	}
	if err := writeManifest(mw, &w.manifest); err != nil {
		return w.fail(err)
	}
	return w.finishEntry()
}

// closeLayers closes the ZIP archive, then the encryption around it, and
// flushes what is left to the file.
func (w *Writer) closeLayers() error {
	if err := w.zw.Close(); err != nil {
		return w.wrapWriteErr("finish the ZIP archive", err)
	}
	if w.age != nil {
		if err := w.age.Close(); err != nil {
			return w.wrapWriteErr("finish the encryption", err)
		}
	}
	if err := w.out.Flush(); err != nil {
		return w.wrapWriteErr("write the export file", err)
	}
	return nil
}

// Commit writes README.txt and manifest.json, makes the file durable and
// moves it to its destination. On error nothing new is left behind.
func (w *Writer) Commit() (Result, error) {
	if err := w.usable(); err != nil {
		return Result{}, err
	}
	if w.usageErr != nil {
		return Result{}, w.fail(w.usageErr)
	}
	if err := w.ctx.Err(); err != nil {
		return Result{}, w.fail(err)
	}
	if err := w.finishEntry(); err != nil {
		return Result{}, err
	}

	if err := w.writeTail(); err != nil {
		return Result{}, err
	}
	if err := w.closeLayers(); err != nil {
		return Result{}, w.fail(err)
	}
	w.out.markComplete()
	var early map[string]*readBack
	if w.early != nil {
		early, w.early = w.early.finish(), nil
	}
	w.out.stop()
	w.fileOpen = false
	// Commit honours a cancellation until the rename, after which the
	// export exists; and without the folder flush a power cut could lose
	// the rename, so then the export is not known to be safe and is
	// taken back.
	if err := w.tmp.Commit(w.ctx); err != nil {
		if errors.Is(err, w.ctx.Err()) {
			return Result{}, w.fail(err)
		}
		return Result{}, w.fail(ioError("finish the export", err))
	}
	w.committed = true
	if w.progress != nil {
		w.progress(w.total)
	}

	m := w.manifest
	m.Counts = make(map[string]int, len(w.manifest.Counts))
	for k, v := range w.manifest.Counts {
		m.Counts[k] = v
	}
	res := Result{
		Path:     w.path,
		Size:     w.out.written,
		Manifest: m,
		SHA256:   hex.EncodeToString(w.out.sum.Sum(nil)),
		early:    early,
	}
	if w.key != nil {
		res.key = w.key
	}
	return res, nil
}

// zipOffset is how many bytes of the ZIP the writer has handed on.
func (w *Writer) zipOffset() int64 {
	if w.age != nil {
		return w.age.passed
	}
	return w.out.passed
}

// lateHold is how much of the ZIP a lateWriter holds before it waits.
const lateHold = 8 << 20

// lateWriter is the age encryption of an export, which exists only once
// scrypt has made the header: until then it holds what is written to it,
// up to max bytes, and then waits.
type lateWriter struct {
	done  chan struct{} // closed when w or err is set
	w     io.WriteCloser
	err   error
	start int64 // where the payload's chunks begin in the file, set with w

	passed int64 // bytes of the ZIP taken

	max   int
	held  []byte
	ready bool // done was seen closed and held handed on
}

func (l *lateWriter) Write(p []byte) (int, error) {
	if l.ready && l.err != nil {
		return 0, l.err
	}
	l.passed += int64(len(p))
	if !l.ready {
		select {
		case <-l.done:
		default:
			if len(l.held)+len(p) <= l.max {
				l.held = append(l.held, p...)
				return len(p), nil
			}
		}
		if err := l.handOn(); err != nil {
			return 0, err
		}
	}
	return l.w.Write(p)
}

// handOn waits for the encryption and gives it what was held.
func (l *lateWriter) handOn() error {
	<-l.done
	l.ready = true
	if l.err != nil {
		return l.err
	}
	held := l.held
	l.held = nil
	_, err := l.w.Write(held)
	return err
}

// Close hands on what is held and ends the encryption.
func (l *lateWriter) Close() error {
	if l.ready && l.err != nil {
		return l.err
	}
	if !l.ready {
		if err := l.handOn(); err != nil {
			return err
		}
	}
	if l.err != nil {
		return l.err
	}
	return l.w.Close()
}

// Abort removes the temporary file. It does nothing after a successful
// Commit and may be called any number of times.
func (w *Writer) Abort() error {
	if w.committed {
		return nil
	}
	if !w.closed {
		w.closed, w.err = true, errAbandoned
	}
	return w.removeTemp()
}

// usable reports why the writer cannot take more work, if it cannot.
func (w *Writer) usable() error {
	switch {
	case w.committed:
		return errCommitted
	case w.closed:
		return w.err
	}
	return nil
}

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

// fail closes the writer for good, removes the temporary file and returns err.
func (w *Writer) fail(err error) error {
	if !w.closed {
		w.closed, w.err = true, err
	}
	if rerr := w.removeTemp(); rerr != nil {
		return fmt.Errorf("%w; %v", err, rerr)
	}
	return err
}

// removeTemp closes and deletes the temporary file if it still exists.
func (w *Writer) removeTemp() error {
	if w.fileOpen {
		w.fileOpen = false
		if w.age != nil {
			<-w.age.done // age.Encrypt may still be writing the header
		}
		w.out.stop()
		if w.early != nil {
			w.early.finish() // after stop, nothing it waits for comes
			w.early = nil
		}
	}
	if err := w.tmp.Abort(); err != nil {
		return ioError("abandon the export", err)
	}
	return nil
}

// wrapWriteErr prefers the file's own error, which already says what failed,
// over the same error as passed up through the ZIP and age layers.
func (w *Writer) wrapWriteErr(step string, err error) error {
	if err := w.out.error(); err != nil {
		return err
	}
	return ioError(step, err)
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

// fileWriter counts the bytes that reach the file and keeps the first
// error so that every later write reports the real cause. It hands the
// bytes to the file a buffer at a time from a goroutine of its own, so that
// the file system's work runs beside the caller's (decrypting and
// compressing the entries), on another core. An error of the file
// therefore surfaces at a later Write, or at Flush.
type fileWriter struct {
	f    durable.File
	buf  []byte      // being filled by Write
	free chan []byte // empty buffers
	full chan []byte // buffers to write, in order
	done chan struct{}

	passed int64 // bytes taken by Write (the caller's goroutine)

	// Set by the goroutine; read once it has stopped.
	sum     hash.Hash // SHA-256 of every byte written, in order: the file's checksum
	written int64
	flushed int64 // bytes whose write-back has been started

	mu       sync.Mutex
	landed   sync.Cond // signalled when onDisk grows, or the file fails or stops
	onDisk   int64     // written, for other goroutines (under mu)
	complete bool      // everything taken is in the file, and no more comes
	err      error
	stopped  bool
}

func newFileWriter(f durable.File) *fileWriter {
	fw := &fileWriter{
		f:    f,
		sum:  sha256.New(),
		free: make(chan []byte, fileBuffers),
		full: make(chan []byte, fileBuffers),
		done: make(chan struct{}),
	}
	fw.landed.L = &fw.mu
	for range fileBuffers {
		fw.free <- make([]byte, 0, fileBufferSize)
	}
	go fw.run()
	return fw
}

// run writes the full buffers to the file until stop; after an error it
// only hands the buffers back.
//
// The checksum is computed on a goroutine of its own, a buffer behind the
// write: hashing every byte on this one made it the export's slowest
// step (the kernel's copy into the page cache, then SHA-256, one after
// the other). A buffer goes back to Write only once it is written and
// hashed, so Flush, which waits for every buffer, also waits for the sum.
func (fw *fileWriter) run() {
	defer close(fw.done)
	hashed := make(chan []byte, fileBuffers)
	hashDone := make(chan struct{})
	go func() {
		defer close(hashDone)
		for b := range hashed {
			fw.sum.Write(b)
			fw.free <- b[:0]
		}
	}()
	defer func() {
		close(hashed)
		<-hashDone
	}()
	for b := range fw.full {
		if fw.error() == nil {
			n, err := fw.f.Write(b)
			fw.written += int64(n)
			if fw.written-fw.flushed >= fileFlush {
				durable.StartWriteback(fw.f, fw.flushed, fw.written-fw.flushed)
				fw.flushed = fw.written
			}
			if err == nil && n < len(b) {
				err = io.ErrShortWrite
			}
			fw.mu.Lock()
			if err != nil {
				fw.err = ioError("write the export file", err)
			}
			fw.onDisk = fw.written
			fw.landed.Broadcast()
			fw.mu.Unlock()
			hashed <- b[:n]
			continue
		}
		fw.free <- b[:0]
	}
}

// waitFor waits until the first n bytes taken by Write are in the file,
// and reports false if they never will be: the file failed or stopped.
func (fw *fileWriter) waitFor(n int64) bool {
	fw.mu.Lock()
	defer fw.mu.Unlock()
	for fw.onDisk < n && fw.err == nil && !fw.stopped && !fw.complete {
		fw.landed.Wait()
	}
	return fw.onDisk >= n
}

// progress is how many bytes are in the file, and whether that is all.
func (fw *fileWriter) progress() (onDisk int64, complete bool) {
	fw.mu.Lock()
	defer fw.mu.Unlock()
	return fw.onDisk, fw.complete && fw.err == nil
}

// markComplete says, after a successful Flush, that no more bytes come.
func (fw *fileWriter) markComplete() {
	fw.mu.Lock()
	fw.complete = true
	fw.landed.Broadcast()
	fw.mu.Unlock()
}

// error is the first error of the file, if any.
func (fw *fileWriter) error() error {
	fw.mu.Lock()
	defer fw.mu.Unlock()
	return fw.err
}

// Write takes p into the buffers, handing each one to the file when full.
func (fw *fileWriter) Write(p []byte) (int, error) {
	if err := fw.error(); err != nil {
		return 0, err
	}
	n := len(p)
	fw.passed += int64(n)
	for len(p) > 0 {
		if fw.buf == nil {
			fw.buf = <-fw.free
		}
		c := copy(fw.buf[len(fw.buf):cap(fw.buf)], p)
		fw.buf = fw.buf[:len(fw.buf)+c]
		p = p[c:]
		if len(fw.buf) == cap(fw.buf) {
			fw.full <- fw.buf
			fw.buf = nil
		}
	}
	return n, nil
}

// Flush hands over what is buffered and waits until the file has taken
// everything, then reports the first error.
func (fw *fileWriter) Flush() error {
	if fw.buf != nil {
		if len(fw.buf) > 0 {
			fw.full <- fw.buf
		} else {
			fw.free <- fw.buf
		}
		fw.buf = nil
	}
	// Every buffer back means every byte handed over was written.
	var held [fileBuffers][]byte
	for i := range held {
		held[i] = <-fw.free
	}
	for _, b := range held {
		fw.free <- b
	}
	return fw.error()
}

// stop ends the goroutine once nothing more will be written; what is
// still buffered is dropped.
func (fw *fileWriter) stop() {
	fw.mu.Lock()
	stopped := fw.stopped
	fw.stopped = true
	fw.landed.Broadcast()
	fw.mu.Unlock()
	if !stopped {
		close(fw.full)
		<-fw.done
	}
}
