// Package damage makes damaged copies of an account file, for the tests of
// the command line and the window that must refuse each clearly.
package damage

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
)

// Case is one damaged copy of an account file.
type Case struct {
	Name string
	Data []byte
	// Short is set on a cut that loses pages in use: it can never open.
	Short bool
}

// Cases makes the damaged copies of good, the same for the same seed:
// truncations at 19 lengths (0, 1, around the first page boundaries, fractions
// of the size, just under the pages in use, size-1), 40 flips anywhere, 40 in
// pages' headers and element tables, 5 zeroed pages and 2 appended tails.
func Cases(good []byte, seed uint64) []Case {
	const page = 4096
	size := len(good)
	hwm := HighWater(good) * page
	var cases []Case
	cut := map[int]bool{}
	for _, n := range []int{0, 1, 100, page - 1, page, page + 1, 2*page - 1, 2 * page, 2*page + 1, 4 * page, size / 8, size / 4, size / 3, size / 2, 3 * size / 4, hwm - page, hwm - 1, size - page, size - 1} {
		if n >= 0 && n < size && !cut[n] {
			cut[n] = true
			cases = append(cases, Case{Name: fmt.Sprintf("cut to %d of %d bytes", n, size), Data: append([]byte(nil), good[:n]...), Short: n < hwm})
		}
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	flip := func(name string, at int) {
		b := append([]byte(nil), good...)
		b[at] ^= byte(1 + rng.IntN(255))
		cases = append(cases, Case{Name: fmt.Sprintf("%s at byte %d", name, at), Data: b})
	}
	for range 40 {
		flip("random flip", rng.IntN(size))
	}
	// Where bbolt keeps its numbers: the first 256 bytes of a page hold its
	// header and the first element entries (positions, sizes, page numbers).
	pages := max(1, hwm/page)
	for range 40 {
		flip("page header flip", rng.IntN(pages)*page+rng.IntN(256))
	}
	for _, p := range []int{0, 1, 2, 3, pages - 1} {
		b := append([]byte(nil), good...)
		clear(b[p*page : min(size, (p+1)*page)])
		cases = append(cases, Case{Name: fmt.Sprintf("page %d zeroed", p), Data: b})
	}
	tail := make([]byte, 3*page+7)
	for i := range tail {
		tail[i] = byte(rng.Uint32())
	}
	cases = append(cases,
		Case{Name: "a random tail appended", Data: append(append([]byte(nil), good...), tail...)},
		Case{Name: "one zero byte appended", Data: append(append([]byte(nil), good...), 0)})
	return cases
}

// HighWater reads the number of pages in use from the newer meta page
// (bbolt's layout: the meta starts 16 bytes into pages 0 and 1; its page
// count at +40, transaction ID at +48).
func HighWater(b []byte) int {
	const page = 4096
	if len(b) < 2*page {
		return len(b) / page
	}
	m0, m1 := b[16:], b[page+16:]
	m := m0
	if binary.NativeEndian.Uint64(m1[48:]) > binary.NativeEndian.Uint64(m0[48:]) {
		m = m1
	}
	return int(binary.NativeEndian.Uint64(m[40:]))
}
