package account

import (
	"fmt"
	"io"
	"runtime"
	"sync"
	"sync/atomic"

	bolt "go.etcd.io/bbolt"

	"offboard/account/vault"
)

// OpenFile streams the bytes of file id, checking every chunk. A missing,
// moved or truncated chunk gives vault.ErrCorrupt rather than short data.
// Close it when done: from the first Read until the end of the file or
// Close, a goroutine decrypts ahead of the reader.
func (a *Account) OpenFile(id uint64) (io.ReadCloser, error) {
	return a.openFile(id)
}

func (a *Account) openFile(id uint64) (*fileReader, error) {
	f, err := Get[File](a, id)
	if err != nil {
		return nil, err
	}
	// The chunk that should carry the last flag follows from the size
	// (an empty file is one empty chunk). It is only a first guess for
	// which additional data to try: the flag itself is what is trusted.
	last := uint64(0)
	if f.Size > 0 {
		last = uint64((f.Size - 1) / vault.ChunkSize)
	}
	return &fileReader{a: a, file: f, last: last}, nil
}

// readBatch is how many chunks one read transaction takes (2 MiB): a long
// read does not hold a transaction open, which would stop bbolt reusing
// pages, and a batch is enough work to share between cores.
const readBatch = 32

// readAhead is how many batches a file reader decrypts ahead of its reader.
const readAhead = 2

// dropBatches is how many batches the file store reads between two calls of
// dropMapping: 4 MiB of the account file. Each call costs about a
// millisecond (the pages a read needs next must be mapped again), so not
// after every batch; but an export walks the records on another goroutine
// while it reads the files, and the pages both passed add up in its peak
// memory (8 MiB and 8,192 records: 123–127 MB peak RSS of a large export
// of format 2; 4 MiB and 2,048 records: 106–107 MB).
const dropBatches = 2

// readBuffers recycles the plaintext buffers of file readers: an export
// opens one reader per file.
var readBuffers = sync.Pool{New: func() any { b := make([]byte, readBatch*vault.ChunkSize); return &b }}

// fileReader reads a file a batch of chunks at a time. A goroutine of its
// own decrypts the batches ahead of the reader (on another core, while the
// reader hashes, compresses or writes what it got), from the first Read or
// from start; Close stops it.
type fileReader struct {
	a    *Account
	file File
	last uint64 // index of the chunk the size says is the last

	// The read-ahead goroutine's own.
	index uint64 // next chunk to read
	read  int64  // bytes decrypted

	// The reader's.
	started bool
	batches chan batch    // decrypted, in order
	free    chan *[]byte  // buffers to decrypt into
	stop    chan struct{} // closed by Close
	stopped chan struct{} // closed when the goroutine has ended
	cur     *[]byte       // the buffer buf is in
	buf     []byte        // plaintext not handed out yet
	done    bool          // the batch with the last chunk has arrived
	err     error
}

// batch is the plaintext of consecutive chunks, or why there is none.
type batch struct {
	space *[]byte
	data  []byte
	last  bool // the file ends with this batch
	err   error
}

// start sets the read-ahead going; Read does when it is first called.
func (r *fileReader) start() {
	if r.started {
		return
	}
	r.started = true
	r.batches = make(chan batch, 1)
	r.free = make(chan *[]byte, readAhead)
	r.stop = make(chan struct{})
	r.stopped = make(chan struct{})
	for range readAhead {
		r.free <- readBuffers.Get().(*[]byte)
	}
	go r.readAhead()
}

func (r *fileReader) readAhead() {
	defer close(r.stopped)
	for {
		var space *[]byte
		select {
		case space = <-r.free:
		case <-r.stop:
			return
		}
		data, last, err := r.fill(*space)
		select {
		case r.batches <- batch{space: space, data: data, last: last, err: err}:
		case <-r.stop:
			readBuffers.Put(space)
			return
		}
		if last || err != nil {
			return
		}
	}
}

// more makes the next batch current, handing the buffer of the last one
// back to the goroutine.
func (r *fileReader) more() {
	r.start()
	if r.cur != nil {
		r.free <- r.cur // never blocks: free has room for every buffer
		r.cur = nil
	}
	b := <-r.batches
	r.cur, r.buf, r.done, r.err = b.space, b.data, b.last, b.err
}

// Read hands out the plaintext, a batch at a time.
func (r *fileReader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		if r.done {
			return 0, io.EOF
		}
		r.more()
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

// WriteTo writes the plaintext to w a batch at a time, saving io.Copy's
// extra copy through a small buffer.
func (r *fileReader) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for {
		for len(r.buf) == 0 {
			if r.err != nil {
				return total, r.err
			}
			if r.done {
				return total, nil
			}
			r.more()
		}
		n, err := w.Write(r.buf)
		total += int64(n)
		r.buf = r.buf[n:]
		if err != nil {
			return total, err
		}
	}
}

// Close ends the read: it stops the read-ahead and recycles the buffers.
func (r *fileReader) Close() error {
	if r.started && r.err != ErrClosed {
		close(r.stop)
		<-r.stopped
		if r.cur != nil {
			readBuffers.Put(r.cur)
		}
	drain:
		for {
			select {
			case b := <-r.free:
				readBuffers.Put(b)
			case b := <-r.batches:
				readBuffers.Put(b.space)
			default:
				break drain
			}
		}
	}
	r.err, r.buf, r.cur = ErrClosed, nil, nil
	return nil
}

// opened is one chunk of a batch after decryption.
type opened struct {
	n    int  // plaintext length
	last bool // it opened as the last chunk
	err  error
}

// inOrder takes the opened chunks in order up to the last, closing any
// gap a short chunk left in space, and moves the reader past them.
func (r *fileReader) inOrder(res []opened, space []byte) (size int, last bool, err error) {
	for i := 0; i < len(res) && !last; i++ {
		if res[i].err != nil {
			return 0, false, res[i].err
		}
		if size != i*vault.ChunkSize {
			copy(space[size:], space[i*vault.ChunkSize:i*vault.ChunkSize+res[i].n])
		}
		size += res[i].n
		r.index++
		last = res[i].last
	}
	return size, last, nil
}

// openChunk opens the sealed chunk idx into slot, as the last chunk if the
// size says it is, else as another; whichever opens is right.
func (r *fileReader) openChunk(slot, sealed []byte, idx uint64) opened {
	guess := idx == r.last
	out, err := r.a.sealer.Open(slot, sealed, r.a.chunkAD(r.file.ID, idx, guess))
	if err != nil {
		guess = !guess
		out, err = r.a.sealer.Open(slot, sealed, r.a.chunkAD(r.file.ID, idx, guess))
	}
	switch {
	case err != nil:
		return opened{err: fmt.Errorf("file %q: %w", r.file.Name, vault.ErrCorrupt)}
	case len(out) > vault.ChunkSize:
		// No chunk this store writes is larger; the slot cannot hold it.
		return opened{err: fmt.Errorf("file %q has the wrong length: %w", r.file.Name, vault.ErrCorrupt)}
	}
	return opened{n: len(out), last: guess}
}

// fill decrypts the next batch of chunks into space. The chunks are opened
// in parallel, one slot of the buffer each, while the read transaction
// keeps their sealed bytes in place; they are then taken in order exactly
// as a chunk-by-chunk read would: the first missing or failing chunk ends
// the file with an error, the first chunk marked last ends it.
func (r *fileReader) fill(space []byte) (data []byte, last bool, err error) {
	var res [readBatch]opened
	n := 0
	missing := false
	err = r.a.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bChunks)
		if b == nil {
			return ErrCorruptFile
		}
		// Up to the chunk the size says is the last, unless that one
		// turned out not to be: then on, as a plain walk would.
		limit := uint64(readBatch)
		if r.index <= r.last {
			limit = min(limit, r.last-r.index+1)
		}
		var sealed [readBatch][]byte
		for ; uint64(n) < limit; n++ {
			v := b.Get(chunkKey(r.file.ID, r.index+uint64(n)))
			if v == nil {
				missing = true
				break
			}
			sealed[n] = v
		}
		parallel(n, func(i int) {
			slot := space[i*vault.ChunkSize : i*vault.ChunkSize : (i+1)*vault.ChunkSize]
			res[i] = r.openChunk(slot, sealed[i], r.index+uint64(i))
		})
		// Only once every chunk is open: a page fault while opening one
		// maps the neighbouring pages too, which may hold the next chunk.
		if r.a.reads.Add(1)%dropBatches == 0 {
			dropMapping(tx)
		}
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	size, last, err := r.inOrder(res[:n], space)
	if err != nil {
		return nil, false, err
	}
	if !last && missing {
		return nil, false, fmt.Errorf("file %q is missing a part: %w", r.file.Name, vault.ErrCorrupt)
	}
	r.read += int64(size)
	if r.read > r.file.Size || (last && r.read != r.file.Size) {
		return nil, false, fmt.Errorf("file %q has the wrong length: %w", r.file.Name, vault.ErrCorrupt)
	}
	return space[:size], last, nil
}

// parallel runs fn(0) … fn(n-1) spread over the processors and returns
// when all have finished.
func parallel(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	work := func() {
		for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
			fn(i)
		}
	}
	for range workers - 1 {
		wg.Go(work)
	}
	work()
	wg.Wait()
}
