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
	if a.err != nil {
		return a.err
	}
	if a.closed {
		return errArrayClosed
	}
	b, err := a.enc.encode(v, "  ")
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
