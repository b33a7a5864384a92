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
	newline := func(depth int) {
		dst = append(dst, '\n')
		dst = append(dst, prefix...)
		for range depth {
			dst = append(dst, ' ', ' ')
		}
	}
	var stack []byte // the open brackets
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch c {
		case '"':
			// Copy the string, undoing json.Marshal's HTML escapes.
			dst = append(dst, '"')
			for i++; ; i++ {
				if i >= len(src) {
					return dst, errNotCompact
				}
				j := i
				for j < len(src) && src[j] != '"' && src[j] != '\\' {
					j++
				}
				dst = append(dst, src[i:j]...)
				if i = j; i >= len(src) {
					return dst, errNotCompact
				}
				if src[i] == '"' {
					break
				}
				if i+1 >= len(src) {
					return dst, errNotCompact
				}
				if src[i+1] == 'u' && i+5 < len(src) && string(src[i+2:i+4]) == "00" {
					switch string(src[i+4 : i+6]) {
					case "3c":
						dst, i = append(dst, '<'), i+5
						continue
					case "3e":
						dst, i = append(dst, '>'), i+5
						continue
					case "26":
						dst, i = append(dst, '&'), i+5
						continue
					}
				}
				dst, i = append(dst, src[i], src[i+1]), i+1
			}
			dst = append(dst, '"')
		case '{', '[':
			closing := byte('}')
			if c == '[' {
				closing = ']'
			}
			if i+1 < len(src) && src[i+1] == closing {
				dst, i = append(dst, c, closing), i+1
				break
			}
			stack = append(stack, closing)
			dst = append(dst, c)
			newline(len(stack))
		case '}', ']':
			if len(stack) == 0 || stack[len(stack)-1] != c {
				return dst, errNotCompact
			}
			stack = stack[:len(stack)-1]
			newline(len(stack))
			dst = append(dst, c)
		case ',':
			if len(stack) == 0 {
				return dst, errNotCompact
			}
			dst = append(dst, ',')
			newline(len(stack))
		case ':':
			if len(stack) == 0 || stack[len(stack)-1] != '}' {
				return dst, errNotCompact
			}
			dst = append(dst, ':', ' ')
		case ' ', '\t', '\n', '\r':
			return dst, errNotCompact
		default:
			dst = append(dst, c)
		}
		if len(stack) == 0 && i+1 < len(src) {
			return dst, errNotCompact // more than one value
		}
	}
	if len(stack) != 0 {
		return dst, errNotCompact
	}
	return dst, nil
}
