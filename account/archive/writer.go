package archive

import (
	"archive/zip"
	"compress/flate"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
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
