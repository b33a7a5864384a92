package archive

import (
	"crypto/sha256"
	"encoding/hex"
	"hash/crc32"
	"io"
	"sync"
)

// An export's stored entries (the files, which are nearly all of its
// bytes) are read back from the file as soon as they are in it, beside
// the writing of the next ones, instead of all after the commit.
// VerifyWritten then opens the committed file as any reader would and
// checks each of those entries against what was read back: same place in
// the file, same size, same CRC-32, and a SHA-256 that matched the
// manifest's. Every other entry, and any that does not match, it reads
// and checks itself.

// readBack is one stored entry, read back from the file.
type readBack struct {
	name   string
	offset int64 // of its data in the file
	size   int64
	sum    string // the manifest's SHA-256

	crc   uint32
	match bool // the bytes read back hash to sum
}

// earlyReader reads entries back as the file writer gets them into the
// file, on a goroutine of its own. Its queue never blocks the writer.
type earlyReader struct {
	ra io.ReaderAt
	fw *fileWriter

	mu      sync.Mutex
	more    sync.Cond
	queue   []*readBack
	closing bool
	done    chan struct{}

	checked map[string]*readBack // read back; owned by the goroutine until done
}

func newEarlyReader(ra io.ReaderAt, fw *fileWriter) *earlyReader {
	r := &earlyReader{ra: ra, fw: fw, done: make(chan struct{}), checked: map[string]*readBack{}}
	r.more.L = &r.mu
	go r.run()
	return r
}

// add queues an entry whose data the writer has taken.
func (r *earlyReader) add(rb *readBack) {
	r.mu.Lock()
	r.queue = append(r.queue, rb)
	r.more.Signal()
	r.mu.Unlock()
}

// finish waits until everything queued was read back (or could not be)
// and returns what was.
func (r *earlyReader) finish() map[string]*readBack {
	r.mu.Lock()
	r.closing = true
	r.more.Signal()
	r.mu.Unlock()
	<-r.done
	return r.checked
}

func (r *earlyReader) run() {
	defer close(r.done)
	buf := make([]byte, 1<<20)
	for {
		r.mu.Lock()
		for len(r.queue) == 0 && !r.closing {
			r.more.Wait()
		}
		if len(r.queue) == 0 {
			r.mu.Unlock()
			return
		}
		rb := r.queue[0]
		r.queue = r.queue[1:]
		r.mu.Unlock()
		if !r.fw.waitFor(rb.offset + rb.size) {
			continue // the file failed or was abandoned: nothing to trust
		}
		if r.read(rb, buf) {
			r.checked[rb.name] = rb
		}
	}
}

// read hashes rb's bytes as they are in the file.
func (r *earlyReader) read(rb *readBack, buf []byte) bool {
	h, c := sha256.New(), crc32.NewIEEE()
	for off := int64(0); off < rb.size; {
		n, err := r.ra.ReadAt(buf[:min(int64(len(buf)), rb.size-off)], rb.offset+off)
		h.Write(buf[:n])
		c.Write(buf[:n])
		off += int64(n)
		if err != nil && off < rb.size {
			return false
		}
	}
	rb.crc = c.Sum32()
	rb.match = hex.EncodeToString(h.Sum(nil)) == rb.sum
	return true
}
