package account

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"path/filepath"

	bolt "go.etcd.io/bbolt"

	"offboard/account/vault"
)

// chunksPerTx bounds how much one transaction writes while a file streams in:
// small enough to keep memory flat, large enough to amortise bbolt's fsync.
const chunksPerTx = 128 // 8 MiB

func chunkKey(file, index uint64) []byte {
	return binary.BigEndian.AppendUint64(be64(file), index)
}

// fileAD binds a chunk to its account as well as to its file and place.
func (a *Account) chunkAD(file, index uint64, last bool) []byte {
	return vault.ChunkAD(append([]byte(a.id), be64(file)...), index, last)
}

// AddFile streams r into the account as a new file described by f. It fills in
// f's ID, Size, SHA256 and (when empty) MediaType. The bytes are sealed in
// 64 KiB chunks and written in batches, so memory stays flat for any size.
// On error nothing of the file remains.
func (a *Account) AddFile(f *File, r io.Reader) error {
	if f.MediaType == "" {
		f.MediaType = mime.TypeByExtension(filepath.Ext(f.Name))
		if f.MediaType == "" {
			f.MediaType = "application/octet-stream"
		}
	}
	f.ID, f.Size, f.SHA256 = 0, 0, ""
	if err := f.Validate(); err != nil {
		return err
	}
	// Reserve the ID first so chunks can be written before the metadata.
	err := a.update(func(tx *bolt.Tx) error {
		id, err := tx.Bucket([]byte(KindFiles)).NextSequence()
		f.ID = id
		return err
	})
	if err != nil {
		return err
	}
	h := sha256.New()
	buf := make([]byte, vault.ChunkSize)
	next := make([]byte, vault.ChunkSize)
	n, rerr := io.ReadFull(r, buf)
	var index uint64
	batch := make([][]byte, 0, chunksPerTx)
	sealed := make([]byte, 0, chunksPerTx*(vault.ChunkSize+vault.Overhead))
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		first := index - uint64(len(batch))
		err := a.update(func(tx *bolt.Tx) error {
			b := tx.Bucket(bChunks)
			for i, v := range batch {
				if err := b.Put(chunkKey(f.ID, first+uint64(i)), v); err != nil {
					return err
				}
			}
			return nil
		})
		batch, sealed = batch[:0], sealed[:0]
		return err
	}
	fail := func(err error) error {
		a.update(func(tx *bolt.Tx) error { return deleteChunks(tx, f.ID) })
		return fmt.Errorf("store file %q: %w", f.Name, err)
	}
	for {
		if rerr != nil && rerr != io.ErrUnexpectedEOF && rerr != io.EOF {
			return fail(rerr)
		}
		// Read ahead one chunk so the last one can be marked as last.
		var m int
		var nerr error
		if rerr == nil {
			m, nerr = io.ReadFull(r, next)
		} else {
			nerr = io.EOF
		}
		last := nerr == io.EOF
		if nerr != nil && nerr != io.EOF && nerr != io.ErrUnexpectedEOF {
			return fail(nerr)
		}
		h.Write(buf[:n])
		f.Size += int64(n)
		start := len(sealed)
		sealed = a.sealer.Seal(sealed, buf[:n], a.chunkAD(f.ID, index, last))
		batch = append(batch, sealed[start:])
		index++
		if len(batch) == chunksPerTx || last {
			if err := flush(); err != nil {
				return fail(err)
			}
		}
		if last {
			break
		}
		buf, next = next, buf
		n, rerr = m, nerr
	}
	f.SHA256 = hex.EncodeToString(h.Sum(nil))
	if err := a.Put(f); err != nil {
		return fail(err)
	}
	return nil
}

// OpenFile streams the bytes of file id, checking every chunk. A missing,
// moved or truncated chunk gives vault.ErrCorrupt rather than short data.
func (a *Account) OpenFile(id uint64) (io.ReadCloser, error) {
	f, err := Get[File](a, id)
	if err != nil {
		return nil, err
	}
	return &fileReader{a: a, file: f}, nil
}

type fileReader struct {
	a     *Account
	file  File
	index uint64
	buf   []byte
	done  bool
	read  int64
	hash  []byte
	err   error
}

// Read decrypts a batch of chunks per transaction so a long read does not
// hold one read transaction open (which would stop bbolt reusing pages).
func (r *fileReader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		if r.done {
			return 0, io.EOF
		}
		r.err = r.fill()
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

func (r *fileReader) fill() error {
	const batch = 16
	out := r.buf[:0]
	err := r.a.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bChunks)
		if b == nil {
			return ErrCorruptFile
		}
		for i := 0; i < batch && !r.done; i++ {
			v := b.Get(chunkKey(r.file.ID, r.index))
			if v == nil {
				return fmt.Errorf("file %q is missing a part: %w", r.file.Name, vault.ErrCorrupt)
			}
			// A chunk opens either as a middle chunk or as the last one.
			next, err := r.a.sealer.Open(out, v, r.a.chunkAD(r.file.ID, r.index, false))
			if err != nil {
				next, err = r.a.sealer.Open(out, v, r.a.chunkAD(r.file.ID, r.index, true))
				if err != nil {
					return fmt.Errorf("file %q: %w", r.file.Name, vault.ErrCorrupt)
				}
				r.done = true
			}
			out = next
			r.index++
		}
		return nil
	})
	if err != nil {
		return err
	}
	r.read += int64(len(out))
	if r.read > r.file.Size || (r.done && r.read != r.file.Size) {
		return fmt.Errorf("file %q has the wrong length: %w", r.file.Name, vault.ErrCorrupt)
	}
	r.buf = out
	return nil
}

func (r *fileReader) Close() error {
	r.err = ErrClosed
	return nil
}

func deleteChunks(tx *bolt.Tx, file uint64) error {
	c := tx.Bucket(bChunks).Cursor()
	prefix := be64(file)
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Seek(prefix) {
		if err := c.Delete(); err != nil {
			return err
		}
	}
	return nil
}

// checkChunks opens every chunk of every file: each must authenticate in place
// and each file must end with a chunk marked last.
func checkChunks(tx *bolt.Tx, s *vault.Sealer) error {
	files := tx.Bucket([]byte(KindFiles))
	chunks := tx.Bucket(bChunks)
	if files == nil || chunks == nil {
		return ErrCorruptFile
	}
	id := string(tx.Bucket(bHeader).Get(kID))
	buf := make([]byte, 0, vault.ChunkSize)
	return files.ForEach(func(k, _ []byte) error {
		file := binary.BigEndian.Uint64(k)
		for i := uint64(0); ; i++ {
			v := chunks.Get(chunkKey(file, i))
			if v == nil {
				return fmt.Errorf("file %d chunk %d is missing: %w", file, i, vault.ErrCorrupt)
			}
			ad := func(last bool) []byte { return vault.ChunkAD(append([]byte(id), be64(file)...), i, last) }
			if _, err := s.Open(buf[:0], v, ad(false)); err == nil {
				continue
			}
			if _, err := s.Open(buf[:0], v, ad(true)); err != nil {
				return fmt.Errorf("file %d chunk %d: %w", file, i, vault.ErrCorrupt)
			}
			return nil
		}
	})
}
