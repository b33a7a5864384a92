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
	w := newChunkWriter(a, f.ID)
	err = readChunks(r, func(chunk []byte, last bool) error {
		h.Write(chunk)
		f.Size += int64(len(chunk))
		return w.add(chunk, last)
	})
	if err == nil {
		f.SHA256 = hex.EncodeToString(h.Sum(nil))
		err = a.Put(f)
	}
	if err != nil {
		a.update(func(tx *bolt.Tx) error { return deleteChunks(tx, f.ID) })
		return fmt.Errorf("store file %q: %w", f.Name, err)
	}
	return nil
}

// readChunks reads r a chunk at a time and hands each to fn, reading one
// ahead so that the last one is known as last. An empty r is one empty
// last chunk.
func readChunks(r io.Reader, fn func(chunk []byte, last bool) error) error {
	buf := make([]byte, vault.ChunkSize)
	next := make([]byte, vault.ChunkSize)
	n, rerr := io.ReadFull(r, buf)
	for {
		if rerr != nil && rerr != io.ErrUnexpectedEOF && rerr != io.EOF {
			return rerr
		}
		var m int
		nerr := io.EOF
		if rerr == nil {
			m, nerr = io.ReadFull(r, next)
		}
		last := nerr == io.EOF
		if nerr != nil && nerr != io.EOF && nerr != io.ErrUnexpectedEOF {
			return nerr
		}
		if err := fn(buf[:n], last); err != nil {
			return err
		}
		if last {
			return nil
		}
		buf, next = next, buf
		n, rerr = m, nerr
	}
}

// chunkWriter seals a file's chunks and writes them chunksPerTx to a
// transaction.
type chunkWriter struct {
	a      *Account
	fileID uint64
	index  uint64   // the next chunk's
	batch  [][]byte // sealed chunks not yet written, slices of sealed
	sealed []byte
}

func newChunkWriter(a *Account, fileID uint64) *chunkWriter {
	return &chunkWriter{a: a, fileID: fileID, batch: make([][]byte, 0, chunksPerTx),
		sealed: make([]byte, 0, chunksPerTx*(vault.ChunkSize+vault.Overhead))}
}

// add seals the next chunk; a full batch, or the last chunk, is written.
func (w *chunkWriter) add(chunk []byte, last bool) error {
	start := len(w.sealed)
	w.sealed = w.a.sealer.Seal(w.sealed, chunk, w.a.chunkAD(w.fileID, w.index, last))
	w.batch = append(w.batch, w.sealed[start:])
	w.index++
	if len(w.batch) == chunksPerTx || last {
		return w.flush()
	}
	return nil
}

func (w *chunkWriter) flush() error {
	if len(w.batch) == 0 {
		return nil
	}
	first := w.index - uint64(len(w.batch))
	err := w.a.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bChunks)
		for i, v := range w.batch {
			if err := b.Put(chunkKey(w.fileID, first+uint64(i)), v); err != nil {
				return err
			}
		}
		return nil
	})
	w.batch, w.sealed = w.batch[:0], w.sealed[:0]
	return err
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
		if len(k) != 8 {
			return fmt.Errorf("%s: %w", KindFiles, ErrCorruptFile)
		}
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
