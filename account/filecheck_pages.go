package account

import (
	"bytes"
	"encoding/binary"
	"os"
)

func bit(set []uint64, id uint64) bool { return set[id/64]&(1<<(id%64)) != 0 }

func setBit(set []uint64, id uint64) { set[id/64] |= 1 << (id % 64) }

// claim marks the pages [id, id+n) as used by one page, refusing a page that
// lies outside the file, that is free, or that another page already uses.
func (c *fileChecker) claim(id uint64, overflow uint32) error {
	if id < 2 || id >= c.hwm || uint64(overflow) >= c.hwm-id {
		return c.fail(errFileDamaged, "page %d (+%d) outside the %d pages", id, overflow, c.hwm)
	}
	for p := id; p <= id+uint64(overflow); p++ {
		if bit(c.used, p) || bit(c.free, p) {
			return c.fail(errFileDamaged, "page %d used twice", p)
		}
		setBit(c.used, p)
	}
	return nil
}

// page reads page id's header and first page, checks its id and type and
// claims its pages. It returns a view of the whole page, overflow included.
func (c *fileChecker) page(id uint64, flags ...uint16) (*pageView, error) {
	if id < 2 || id >= c.hwm {
		return nil, c.fail(errFileDamaged, "page %d outside the %d pages", id, c.hwm)
	}
	first, err := c.readAt(id*c.psz, c.psz)
	if err != nil {
		return nil, err
	}
	ne := binary.NativeEndian
	pid, pflags, overflow := ne.Uint64(first), ne.Uint16(first[8:]), ne.Uint32(first[12:])
	if pid != id {
		return nil, c.fail(errFileDamaged, "page %d says it is page %d", id, pid)
	}
	ok := false
	for _, f := range flags {
		ok = ok || pflags == f
	}
	if !ok {
		return nil, c.fail(errFileDamaged, "page %d has type %#x", id, pflags)
	}
	if err := c.claim(id, overflow); err != nil {
		return nil, err
	}
	return &pageView{c: c, first: first, base: id * c.psz, length: (1 + uint64(overflow)) * c.psz}, nil
}

// pageView is one page's bytes: a page in the file (read as needed) or an
// inline bucket's page inside a value.
type pageView struct {
	c      *fileChecker
	first  []byte // the bytes at hand: the first page, or all of an inline page
	base   uint64 // where the page starts in the file
	length uint64 // its whole length
}

func (p *pageView) flags() uint16 { return binary.NativeEndian.Uint16(p.first[8:]) }

func (p *pageView) count() uint64 { return uint64(binary.NativeEndian.Uint16(p.first[10:])) }

// bytes returns the n bytes at off inside the page, or an error when they
// reach past its end.
func (p *pageView) bytes(off, n uint64) ([]byte, error) {
	if off > p.length || n > p.length-off {
		return nil, p.c.fail(errFileDamaged, "an entry reaches past its page")
	}
	if off+n <= uint64(len(p.first)) {
		return p.first[off : off+n], nil
	}
	return p.c.readAt(p.base+off, n)
}

// within checks that the n bytes at off lie inside the page without reading
// them.
func (p *pageView) within(off, n uint64) error {
	if off > p.length || n > p.length-off {
		return p.c.fail(errFileDamaged, "an entry reaches past its page")
	}
	return nil
}

func (c *fileChecker) checkFreelist(id uint64) error {
	p, err := c.page(id, flagFreelist)
	if err != nil {
		return err
	}
	start, count := uint64(pageHeaderSize), p.count()
	if count == 0xFFFF {
		b, err := p.bytes(pageHeaderSize, 8)
		if err != nil {
			return err
		}
		start, count = pageHeaderSize+8, binary.NativeEndian.Uint64(b)
	}
	if count > p.length/8 {
		return c.fail(errFileDamaged, "freelist of %d pages in %d bytes", count, p.length)
	}
	b, err := p.bytes(start, count*8)
	if err != nil {
		return err
	}
	for i := uint64(0); i < count; i++ {
		free := binary.NativeEndian.Uint64(b[i*8:])
		if free < 2 || free >= c.hwm || bit(c.free, free) || bit(c.used, free) {
			return c.fail(errFileDamaged, "freelist entry %d", free)
		}
		setBit(c.free, free)
		c.freeIDs = append(c.freeIDs, free)
	}
	return nil
}

// freelistIDs reads the pages on the current meta's freelist, which holds
// the free pages and those freed by recent transactions, with the same
// checks as checkFile but without walking the tree.
func freelistIDs(path string) ([]uint64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	c := newFileChecker(f, path, info.Size())
	m, err := c.meta()
	if err != nil {
		return nil, err
	}
	if err := c.checkFreelist(m.freelist); err != nil {
		return nil, err
	}
	return c.freeIDs, nil
}

// walk checks the tree whose root is page id, and every bucket inside it.
func (c *fileChecker) walk(id uint64, depth int) error {
	if depth > maxTreeDepth {
		return c.fail(errFileDamaged, "pages nested more than %d deep", maxTreeDepth)
	}
	p, err := c.page(id, flagBranch, flagLeaf)
	if err != nil {
		return err
	}
	return c.elements(p, depth)
}

// elements checks a branch or leaf page's elements: each lies inside the
// page, the keys ascend, and the pages and buckets they lead to are sound.
func (c *fileChecker) elements(p *pageView, depth int) error {
	n := p.count()
	if err := p.within(pageHeaderSize, n*elementSize); err != nil {
		return err
	}
	branch := p.flags() == flagBranch
	if branch && n == 0 {
		return c.fail(errFileDamaged, "an empty branch page")
	}
	var prev []byte
	for i := uint64(0); i < n; i++ {
		at := pageHeaderSize + i*elementSize
		e, err := p.bytes(at, elementSize)
		if err != nil {
			return err
		}
		element := c.leafElement
		if branch {
			element = c.branchElement
		}
		key, err := element(p, at, e, depth)
		if err != nil {
			return err
		}
		if i > 0 && bytes.Compare(prev, key) >= 0 {
			return c.fail(errFileDamaged, "keys out of order")
		}
		prev = key
	}
	return nil
}

// branchElement checks the branch element e at offset at of p: its key
// lies in the page, and the child page it points to is sound.
func (c *fileChecker) branchElement(p *pageView, at uint64, e []byte, depth int) ([]byte, error) {
	ne := binary.NativeEndian
	pos, ksize := uint64(ne.Uint32(e)), uint64(ne.Uint32(e[4:]))
	key, err := p.bytes(at+pos, ksize)
	if err != nil {
		return nil, err
	}
	return key, c.walk(ne.Uint64(e[8:]), depth+1)
}

// leafElement checks the leaf element e at offset at of p: its key and
// value lie in the page, and a value that is a bucket is sound.
func (c *fileChecker) leafElement(p *pageView, at uint64, e []byte, depth int) ([]byte, error) {
	ne := binary.NativeEndian
	flags, pos := ne.Uint32(e), uint64(ne.Uint32(e[4:]))
	ksize, vsize := uint64(ne.Uint32(e[8:])), uint64(ne.Uint32(e[12:]))
	key, err := p.bytes(at+pos, ksize)
	if err != nil {
		return nil, err
	}
	if flags&flagBucket == 0 {
		return key, p.within(at+pos+ksize, vsize)
	}
	v, err := p.bytes(at+pos+ksize, vsize)
	if err != nil {
		return nil, err
	}
	return key, c.bucket(v, depth+1)
}

// bucket checks a nested bucket's value: a header, then either the root
// page's number or, for a small bucket, its one leaf page inline.
func (c *fileChecker) bucket(v []byte, depth int) error {
	if depth > maxTreeDepth {
		return c.fail(errFileDamaged, "buckets nested more than %d deep", maxTreeDepth)
	}
	if len(v) < bucketHeaderSize {
		return c.fail(errFileDamaged, "a bucket of %d bytes", len(v))
	}
	if root := binary.NativeEndian.Uint64(v); root != 0 {
		return c.walk(root, depth)
	}
	inline := v[bucketHeaderSize:]
	if len(inline) < pageHeaderSize {
		return c.fail(errFileDamaged, "an inline bucket of %d bytes", len(inline))
	}
	p := &pageView{c: c, first: inline, length: uint64(len(inline))}
	if p.flags() != flagLeaf {
		return c.fail(errFileDamaged, "an inline bucket of type %#x", p.flags())
	}
	return c.elements(p, depth)
}
