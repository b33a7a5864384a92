package archive

import (
	"crypto/sha256"
	"hash"
	"io"
	"sync"

	"offboard/account/durable"
)

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
