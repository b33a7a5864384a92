package account

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
)

// bbolt reads an account file through a memory mapping and trusts every
// number in it: a page number past the end of a shortened file makes it read
// beyond the file (SIGBUS) or beyond the mapping (into the process's own
// memory), and a page that points back at its parent makes a walk loop for
// ever. Neither can be caught safely. So before bbolt opens a file, every
// time, checkFile reads the file with plain reads, never through a mapping,
// and follows everything bbolt will follow: the meta page bbolt will choose,
// its freelist, and every branch, leaf, overflow and bucket page reachable
// from its root. Only a file on which bbolt cannot read outside the file nor
// loop is handed to it. The layout below is bbolt's file format (version 2),
// in the machine's byte order as bbolt writes it.

const (
	boltMagic        = 0xED0CDAED
	boltVersion      = 2
	pageHeaderSize   = 16 // id u64, flags u16, count u16, overflow u32
	elementSize      = 16 // branch: pos, ksize u32, pgid u64; leaf: flags, pos, ksize, vsize u32
	bucketHeaderSize = 16 // root pgid u64, sequence u64
	metaSize         = 64 // magic … txid, checksum
	metaSumLen       = 56 // the checksum covers the meta up to itself

	flagBranch   = 0x01
	flagLeaf     = 0x02
	flagFreelist = 0x10
	flagBucket   = 0x01 // a leaf element that is a nested bucket

	noFreelist = ^uint64(0)
	// maxTreeDepth bounds nesting of pages and buckets: a real tree of a
	// terabyte is a few levels deep, a deeper one is a loop in disguise.
	maxTreeDepth = 64
)

// Why an account file is refused. Each says what happened and what to do;
// DamagedFileError puts the file's path in front.
var (
	errFileEmpty      = errors.New("is empty: its content was lost, perhaps by a full disk or an interrupted copy. Restore it from a backup, or copy it again from where it came from; Offboard has not changed it")
	errFileShort      = errors.New("is shorter than it should be: it was cut off, perhaps by a full disk or an interrupted copy. Restore it from a backup, or copy it again from where it came from; Offboard has not changed it")
	errFileNotAccount = errors.New("is not an Offboard account file, or its beginning was overwritten. Restore it from a backup, or move the file out of the data folder's accounts folder; Offboard has not changed it")
	errFileDamaged    = errors.New("is damaged: part of it was overwritten or changed, perhaps by a disk fault or another program. Restore it from a backup; Offboard has not changed it")
)

// DamagedFileError is an account file refused before it was opened.
type DamagedFileError struct {
	Path   string
	Reason error // one of errFileEmpty, errFileShort, errFileNotAccount, errFileDamaged
	Detail string
}

func (e *DamagedFileError) Error() string {
	return fmt.Sprintf("the account file %s %v", e.Path, e.Reason)
}

// Is makes errors.Is(err, ErrCorruptFile) and errors.Is(err, e.Reason) hold.
func (e *DamagedFileError) Is(target error) bool {
	return target == ErrCorruptFile || target == e.Reason
}

// checkFile reads the account file at path and returns a *DamagedFileError
// unless bbolt can open it and walk every page without reading outside it
// or looping. It never writes.
func checkFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return fmt.Errorf("read the account file: %w", err)
	}
	c := newFileChecker(f, path, info.Size())
	if err := c.check(); err != nil {
		var d *DamagedFileError
		if errors.As(err, &d) {
			return err
		}
		return fmt.Errorf("read the account file %s: %w", path, err)
	}
	return nil
}

// newFileChecker reads the file f of size bytes, found at path.
func newFileChecker(f io.ReaderAt, path string, size int64) *fileChecker {
	return &fileChecker{f: f, size: uint64(size), fail: func(reason error, format string, args ...any) error {
		return &DamagedFileError{Path: path, Reason: reason, Detail: fmt.Sprintf(format, args...)}
	}}
}

type fileChecker struct {
	f    io.ReaderAt
	size uint64
	fail func(reason error, format string, args ...any) error

	psz  uint64 // page size
	hwm  uint64 // the meta's high-water mark: pages [0, hwm) exist
	used []uint64
	free []uint64
	// freeIDs lists the freelist's pages in its order.
	freeIDs []uint64
}

type boltMeta struct {
	pageSize       uint32
	root, freelist uint64
	pgid, txid     uint64
	bolt           bool // bbolt's magic number and version
	valid          bool // and its checksum matches
}

func readMeta(b []byte) boltMeta {
	var m boltMeta
	if len(b) < pageHeaderSize+metaSize {
		return m
	}
	b = b[pageHeaderSize : pageHeaderSize+metaSize]
	ne := binary.NativeEndian
	m.bolt = ne.Uint32(b) == boltMagic && ne.Uint32(b[4:]) == boltVersion
	m.pageSize = ne.Uint32(b[8:])
	m.root = ne.Uint64(b[16:])
	m.freelist = ne.Uint64(b[32:])
	m.pgid = ne.Uint64(b[40:])
	m.txid = ne.Uint64(b[48:])
	h := fnv.New64a()
	h.Write(b[:metaSumLen])
	m.valid = m.bolt && h.Sum64() == ne.Uint64(b[metaSumLen:])
	return m
}

// readAt reads n bytes at off; the caller has checked they lie in the file.
func (c *fileChecker) readAt(off, n uint64) ([]byte, error) {
	b := make([]byte, n)
	if _, err := c.f.ReadAt(b, int64(off)); err != nil {
		return nil, err
	}
	return b, nil
}

// pageSize finds the page size as bbolt does when it opens a file: from the
// first meta page if it is valid, else from the second one, looked for at
// each page size bbolt supports.
func (c *fileChecker) pageSize() (uint64, error) {
	if c.size >= 0x1000 {
		b, err := c.readAt(0, 0x1000)
		if err != nil {
			return 0, err
		}
		if m := readMeta(b); m.valid {
			return uint64(m.pageSize), nil
		}
	}
	for i := 0; i <= 14; i++ {
		pos := uint64(1024) << i
		if pos+1024 >= c.size {
			break
		}
		b, err := c.readAt(pos, min(0x1000, c.size-pos))
		if err != nil {
			return 0, err
		}
		if m := readMeta(b); m.valid {
			return uint64(m.pageSize), nil
		}
	}
	return 0, c.fail(errFileNotAccount, "neither meta page is valid")
}

func (c *fileChecker) check() error {
	m, err := c.meta()
	if err != nil {
		return err
	}
	if err := c.checkFreelist(m.freelist); err != nil {
		return err
	}
	return c.walk(m.root, 0)
}

// meta finds the meta page bbolt will use and checks what it says against
// the file's length; it sets the page size and the high-water mark.
func (c *fileChecker) meta() (boltMeta, error) {
	if c.size == 0 {
		return boltMeta{}, c.fail(errFileEmpty, "0 bytes")
	}
	psz, err := c.pageSize()
	if err != nil {
		return boltMeta{}, err
	}
	if psz < 1024 || psz > 1<<16 || psz&(psz-1) != 0 {
		return boltMeta{}, c.fail(errFileDamaged, "page size %d", psz)
	}
	c.psz = psz
	if c.size < 2*psz {
		return boltMeta{}, c.fail(errFileShort, "%d bytes, less than two pages", c.size)
	}
	m, err := c.newestMeta()
	if err != nil {
		return boltMeta{}, err
	}
	if uint64(m.pageSize) != psz {
		return boltMeta{}, c.fail(errFileDamaged, "meta page size %d, file page size %d", m.pageSize, psz)
	}
	c.hwm = m.pgid
	if err := c.checkHighWater(); err != nil {
		return boltMeta{}, err
	}
	words := (c.hwm + 63) / 64
	c.used, c.free = make([]uint64, words), make([]uint64, words)
	if m.freelist == noFreelist {
		// bbolt would rebuild the freelist by a walk of its own that panics
		// on any inconsistency; Offboard always writes one.
		return boltMeta{}, c.fail(errFileDamaged, "no freelist")
	}
	return m, nil
}

// newestMeta is the meta page bbolt would use: the valid one of the two
// with the higher transaction ID.
func (c *fileChecker) newestMeta() (boltMeta, error) {
	var metas [2]boltMeta
	for i := range metas {
		b, err := c.readAt(uint64(i)*c.psz, pageHeaderSize+metaSize)
		if err != nil {
			return boltMeta{}, err
		}
		metas[i] = readMeta(b)
	}
	a, b := metas[0], metas[1]
	if b.txid > a.txid {
		a, b = b, a
	}
	m := a
	if !a.valid {
		m = b
	}
	if !m.valid {
		if !metas[0].bolt && !metas[1].bolt {
			return boltMeta{}, c.fail(errFileNotAccount, "no meta page")
		}
		return boltMeta{}, c.fail(errFileDamaged, "both meta pages fail their checksum")
	}
	return m, nil
}

// checkHighWater refuses a page count the file cannot hold: one past its
// end says it was cut off, a wild one that it is damaged.
func (c *fileChecker) checkHighWater() error {
	if c.hwm >= 3 && c.hwm <= c.size/c.psz {
		return nil
	}
	if c.hwm > c.size/c.psz && c.hwm <= 1<<40 {
		return c.fail(errFileShort, "%d bytes, the meta page counts %d pages of %d bytes", c.size, c.hwm, c.psz)
	}
	return c.fail(errFileDamaged, "high-water mark %d", c.hwm)
}
