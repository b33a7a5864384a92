package archive

import (
	"errors"
	"fmt"
	"io"
)

// JSONArray streams a JSON array one item at a time, so that an entry of
// 100,000 items never has to be held in memory. The result is byte for byte
// what json.Encoder with SetIndent("", "  ") and no HTML escaping makes of
// the whole slice.
type JSONArray struct {
	w      io.Writer
	enc    jsonEncoder
	raw    []byte // AddMarshalled's output, reused
	n      int
	closed bool
	err    error
}

// errArrayClosed is returned by Add after Close.
var errArrayClosed = errors.New("JSON array is already closed")

// NewJSONArray starts an array written to w. The opening "[\n" goes out with
// the first item, because an empty array is written as "[]\n" instead.
func NewJSONArray(w io.Writer) *JSONArray {
	return &JSONArray{w: w}
}

// Add writes one item, indented by two spaces and separated from the previous one by a comma.
func (a *JSONArray) Add(v any) error {
	return a.add(func() ([]byte, error) { return a.enc.encode(v, "  ") })
}

// add writes the item render makes, after the comma or the opening bracket.
func (a *JSONArray) add(render func() ([]byte, error)) error {
	if a.err != nil {
		return a.err
	}
	if a.closed {
		return errArrayClosed
	}
	b, err := render()
	if err != nil {
		// Nothing was written, so the array is still intact.
		return fmt.Errorf("encode JSON item %d: %w", a.n+1, err)
	}
	lead := ",\n  "
	if a.n == 0 {
		lead = "[\n  "
	}
	if err := a.write([]byte(lead)); err != nil {
		return err
	}
	if err := a.write(b); err != nil {
		return err
	}
	a.n++
	return nil
}

// Close ends the array; an array without items is written as "[]\n".
func (a *JSONArray) Close() error {
	if a.err != nil {
		return a.err
	}
	if a.closed {
		return nil
	}
	a.closed = true
	if a.n == 0 {
		return a.write([]byte("[]\n"))
	}
	return a.write([]byte("\n]\n"))
}

// write sends b to the destination and remembers a failure, since the
// array cannot be repaired after a partial write.
func (a *JSONArray) write(b []byte) error {
	if _, err := a.w.Write(b); err != nil {
		a.err = err
		return err
	}
	return nil
}

// AddMarshalled writes one item given as the output of json.Marshal, and
// writes exactly what Add writes for the value it came from: indented by
// two spaces, with <, > and & as they are rather than json.Marshal's
// \u003c, \u003e and \u0026. It saves decoding a stored record only to
// encode it again. Anything that is not a single JSON value in
// json.Marshal's compact form is refused and leaves the array intact.
func (a *JSONArray) AddMarshalled(compact []byte) error {
	return a.add(func() ([]byte, error) {
		b, err := indentMarshalled(a.raw[:0], compact, "  ")
		if err == nil {
			a.raw = b // reused by the next item
		}
		return b, err
	})
}

// errNotCompact is indentMarshalled's answer to input json.Marshal cannot
// have made.
var errNotCompact = errors.New("not a JSON value in compact form")

// indentMarshalled appends src, compact JSON from json.Marshal, to dst as
// json.Encoder with SetEscapeHTML(false) and SetIndent(prefix, "  ") would
// have written the value (without the final newline). The value must be
// an object or an array, as a record is. It checks only what it needs to:
// that brackets and quotes pair up and that one value fills src;
// json.Marshal's output always passes.
func indentMarshalled(dst, src []byte, prefix string) ([]byte, error) {
	if len(src) == 0 || (src[0] != '{' && src[0] != '[') {
		return dst, errNotCompact
	}
	in := indenter{dst: dst, prefix: prefix}
	for i := 0; i < len(src); i++ {
		var err error
		if i, err = in.token(src, i); err != nil {
			return in.dst, err
		}
		if len(in.stack) == 0 && i+1 < len(src) {
			return in.dst, errNotCompact // more than one value
		}
	}
	if len(in.stack) != 0 {
		return in.dst, errNotCompact
	}
	return in.dst, nil
}

// indenter is indentMarshalled's output and the brackets open in it.
type indenter struct {
	dst    []byte
	prefix string
	stack  []byte // the closing brackets of those open, innermost last
}

// token copies the token that starts at src[i] and returns the index of
// its last byte.
func (in *indenter) token(src []byte, i int) (int, error) {
	c := src[i]
	switch c {
	case '"':
		return in.str(src, i)
	case '{', '[':
		return in.open(src, i), nil
	case '}', ']':
		return i, in.close(c)
	case ',':
		if len(in.stack) == 0 {
			return i, errNotCompact
		}
		in.dst = append(in.dst, ',')
		in.newline()
	case ':':
		if len(in.stack) == 0 || in.stack[len(in.stack)-1] != '}' {
			return i, errNotCompact
		}
		in.dst = append(in.dst, ':', ' ')
	case ' ', '\t', '\n', '\r':
		return i, errNotCompact
	default:
		in.dst = append(in.dst, c)
	}
	return i, nil
}

func (in *indenter) newline() {
	in.dst = append(in.dst, '\n')
	in.dst = append(in.dst, in.prefix...)
	for range len(in.stack) {
		in.dst = append(in.dst, ' ', ' ')
	}
}

// open copies the bracket at src[i]: an empty object or array stays on
// its line, any other opens a level.
func (in *indenter) open(src []byte, i int) int {
	c := src[i]
	closing := byte('}')
	if c == '[' {
		closing = ']'
	}
	if i+1 < len(src) && src[i+1] == closing {
		in.dst = append(in.dst, c, closing)
		return i + 1
	}
	in.stack = append(in.stack, closing)
	in.dst = append(in.dst, c)
	in.newline()
	return i
}

// close copies the closing bracket c, which must close the innermost one.
func (in *indenter) close(c byte) error {
	if len(in.stack) == 0 || in.stack[len(in.stack)-1] != c {
		return errNotCompact
	}
	in.stack = in.stack[:len(in.stack)-1]
	in.newline()
	in.dst = append(in.dst, c)
	return nil
}

// str copies the string that starts at src[i], undoing json.Marshal's HTML
// escapes, and returns the index of its closing quote.
func (in *indenter) str(src []byte, i int) (int, error) {
	in.dst = append(in.dst, '"')
	for i++; ; i++ {
		j := i
		for j < len(src) && src[j] != '"' && src[j] != '\\' {
			j++
		}
		in.dst = append(in.dst, src[i:j]...)
		if i = j; i >= len(src) || i+1 >= len(src) && src[i] != '"' {
			return i, errNotCompact
		}
		if src[i] == '"' {
			in.dst = append(in.dst, '"')
			return i, nil
		}
		if b, ok := htmlEscape(src[i:]); ok {
			in.dst, i = append(in.dst, b), i+5
			continue
		}
		in.dst, i = append(in.dst, src[i], src[i+1]), i+1
	}
}

// htmlEscape is the character of the escape json.Marshal writes for <, >
// and &, when esc starts with one.
func htmlEscape(esc []byte) (byte, bool) {
	if len(esc) < 6 || esc[1] != 'u' || esc[2] != '0' || esc[3] != '0' {
		return 0, false
	}
	switch string(esc[4:6]) {
	case "3c":
		return '<', true
	case "3e":
		return '>', true
	case "26":
		return '&', true
	}
	return 0, false
}
