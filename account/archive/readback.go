package archive

import (
	"crypto/cipher"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"io"
	"sync"

	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/hkdf"
)

// An export's stored entries (the files, which are nearly all of its
// bytes) are read back from the file as soon as they are in it, beside
// the writing of the next ones, instead of all after the commit.
// VerifyWritten then opens the committed file as any reader would and
// checks each of those entries against what was read back: same place in
// the ZIP, same size, same CRC-32, and a SHA-256 that matched the
// manifest's. Every other entry, and any that does not match, it reads
// and checks itself. In an encrypted export the ZIP is age's payload: it
// is read back by decrypting, chunk by chunk, what is in the file.

// readBack is one stored entry, read back from the file.
type readBack struct {
	name   string
	offset int64 // of its data in the ZIP
	size   int64
	sum    string // the manifest's SHA-256

	crc   uint32
	match bool // the bytes read back hash to sum
}

// zipSource gives the bytes of the ZIP as they are in the file, at
// increasing offsets, waiting for them to get there.
type zipSource interface {
	// each hands fn the ZIP's n bytes at off, a piece at a time, and
	// reports false if it cannot: they never reach the file, or do not
	// read back as written.
	each(off, n int64, fn func([]byte)) bool
}

// plainSource is the ZIP of a plain export: the file itself.
type plainSource struct {
	ra  io.ReaderAt
	fw  *fileWriter
	buf []byte
}

func (s *plainSource) each(off, n int64, fn func([]byte)) bool {
	if s.buf == nil {
		s.buf = make([]byte, 1<<20)
	}
	for n > 0 {
		p := s.buf[:min(int64(len(s.buf)), n)]
		if !s.fw.waitFor(off + int64(len(p))) {
			return false
		}
		if m, err := s.ra.ReadAt(p, off); m != len(p) || (err != nil && err != io.EOF) {
			return false
		}
		fn(p)
		off, n = off+int64(len(p)), n-int64(len(p))
	}
	return true
}

// ageChunk is age's payload chunk: 64 KiB of plaintext, then a 16-byte tag.
const (
	ageChunk     = 64 << 10
	ageChunkSeal = ageChunk + chacha20poly1305.Overhead
)

// ageSource is the ZIP of an encrypted export: age's payload, which starts
// after the header with a 16-byte nonce and is decrypted here as age's
// STREAM (age-encryption.org/v1, "Payload") decrypts it: chunk k opens
// under the key HKDF-SHA-256(file key, nonce, "payload") with the nonce k
// as 11 big-endian bytes, then 1 for the last chunk and 0 for the others.
// A chunk is known not to be the last once a byte of the next one is in
// the file, and the last once the writer has finished.
type ageSource struct {
	ra   io.ReaderAt
	fw   *fileWriter
	late *lateWriter          // its start, once age.Encrypt has written the header
	key  *passphraseRecipient // the file key

	start int64 // of the payload's first chunk in the file
	aead  cipher.AEAD
	k     int64 // the chunk in plain, or -1
	plain []byte
	ct    []byte
	bad   bool
}

func newAgeSource(ra io.ReaderAt, fw *fileWriter, late *lateWriter, key *passphraseRecipient) *ageSource {
	return &ageSource{ra: ra, fw: fw, late: late, key: key, k: -1,
		plain: make([]byte, 0, ageChunk), ct: make([]byte, ageChunkSeal)}
}

func (s *ageSource) each(off, n int64, fn func([]byte)) bool {
	for n > 0 {
		k := off / ageChunk
		if k != s.k && !s.load(k) {
			return false
		}
		i := off - k*ageChunk
		if i >= int64(len(s.plain)) {
			return false // past the end of the payload
		}
		p := s.plain[i:min(int64(len(s.plain)), i+n)]
		fn(p)
		off, n = off+int64(len(p)), n-int64(len(p))
	}
	return true
}

// open derives the payload key, once the header and nonce are written.
func (s *ageSource) open() bool {
	<-s.late.done
	if s.late.err != nil {
		return false
	}
	s.start = s.late.start
	nonce := make([]byte, 16)
	if !s.fw.waitFor(s.start) {
		return false
	}
	if n, _ := s.ra.ReadAt(nonce, s.start-16); n != len(nonce) {
		return false
	}
	key := make([]byte, chacha20poly1305.KeySize)
	if _, err := io.ReadFull(hkdf.New(sha256.New, s.key.fileKey, nonce, []byte("payload")), key); err != nil {
		return false
	}
	aead, err := chacha20poly1305.New(key)
	if err != nil {
		return false
	}
	s.aead = aead
	return true
}

// load decrypts chunk k; chunks are asked for in order.
func (s *ageSource) load(k int64) bool {
	if s.bad || k < s.k || (s.aead == nil && !s.open()) {
		return s.fail()
	}
	at := s.start + k*ageChunkSeal
	// Wait for the chunk and a byte after it, or for the writer to finish.
	s.fw.waitFor(at + ageChunkSeal + 1)
	onDisk, complete := s.fw.progress()
	last := onDisk <= at+ageChunkSeal
	if last && !complete {
		return s.fail() // the file failed, or was abandoned
	}
	n := min(onDisk-at, ageChunkSeal)
	if n < chacha20poly1305.Overhead {
		return s.fail()
	}
	if m, _ := s.ra.ReadAt(s.ct[:n], at); int64(m) != n {
		return s.fail()
	}
	var nonce [chacha20poly1305.NonceSize]byte
	binary.BigEndian.PutUint64(nonce[3:11], uint64(k))
	if last {
		nonce[11] = 1
	}
	plain, err := s.aead.Open(s.plain[:0], nonce[:], s.ct[:n], nil)
	if err != nil {
		return s.fail()
	}
	s.plain, s.k = plain, k
	return true
}

func (s *ageSource) fail() bool {
	s.bad = true
	return false
}

// earlyReader reads entries back as the file writer gets them into the
// file, on a goroutine of its own. Its queue never blocks the writer.
type earlyReader struct {
	src zipSource

	mu      sync.Mutex
	more    sync.Cond
	queue   []*readBack
	closing bool
	done    chan struct{}

	checked map[string]*readBack // read back; owned by the goroutine until done
}

func newEarlyReader(src zipSource) *earlyReader {
	r := &earlyReader{src: src, done: make(chan struct{}), checked: map[string]*readBack{}}
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
// and returns what was. Call it once the file writer has everything, or
// has stopped.
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
		if r.read(rb) {
			r.checked[rb.name] = rb
		}
	}
}

// read hashes rb's bytes as they are in the file.
func (r *earlyReader) read(rb *readBack) bool {
	h, c := sha256.New(), crc32.NewIEEE()
	if !r.src.each(rb.offset, rb.size, func(p []byte) {
		h.Write(p)
		c.Write(p)
	}) {
		return false
	}
	rb.crc = c.Sum32()
	rb.match = hex.EncodeToString(h.Sum(nil)) == rb.sum
	return true
}
