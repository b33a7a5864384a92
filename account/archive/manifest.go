package archive

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// jsonEncoder renders values the way every JSON entry of an export is
// rendered: two-space indentation and no HTML escaping, because the files
// are read by people and "<" is clearer than "\u003c".
type jsonEncoder struct {
	buf bytes.Buffer
}

// encode returns v rendered with prefix before every line but the first,
// without the trailing newline. The result is valid until the next call.
func (e *jsonEncoder) encode(v any, prefix string) ([]byte, error) {
	e.buf.Reset()
	enc := json.NewEncoder(&e.buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(e.buf.Bytes(), []byte("\n")), nil
}

// writeManifest writes m as indented JSON, byte for byte what
// json.Encoder with SetIndent("", "  ") and no HTML escaping produces, but
// one entry at a time so that a manifest of many entries is never held
// twice in memory.
func writeManifest(dst io.Writer, m *Manifest) error {
	bw := bufio.NewWriterSize(dst, 64<<10)
	var enc jsonEncoder
	field := func(lead, name string, v any, prefix string) error {
		b, err := enc.encode(v, prefix)
		if err != nil {
			return fmt.Errorf("encode the manifest's %s: %w", name, err)
		}
		bw.WriteString(lead)
		bw.WriteString(`"` + name + `": `)
		bw.Write(b)
		return nil
	}
	counts := m.Counts
	if counts == nil {
		counts = map[string]int{}
	}
	steps := []struct {
		name   string
		v      any
		prefix string
	}{
		{"format", m.Format, ""},
		{"app", m.App, ""},
		{"app_version", m.AppVersion, ""},
		{"created", m.Created, ""},
		{"account_id", m.AccountID, ""},
		{"counts", counts, "  "},
	}
	for i, s := range steps {
		lead := ",\n  "
		if i == 0 {
			lead = "{\n  "
		}
		if err := field(lead, s.name, s.v, s.prefix); err != nil {
			return err
		}
	}
	bw.WriteString(",\n  \"entries\": ")
	if len(m.Entries) == 0 {
		bw.WriteString("[]")
	} else {
		bw.WriteString("[\n")
		for i := range m.Entries {
			if i > 0 {
				bw.WriteString(",\n")
			}
			b, err := enc.encode(&m.Entries[i], "    ")
			if err != nil {
				return fmt.Errorf("encode the manifest's entries: %w", err)
			}
			bw.WriteString("    ")
			bw.Write(b)
		}
		bw.WriteString("\n  ]")
	}
	bw.WriteString("\n}\n")
	// bufio keeps the first write error, so checking Flush covers every write above.
	return bw.Flush()
}

// errNewerFormat builds the error for a manifest of a later format version.
func errNewerFormat(format int) error {
	return &exportError{kind: ErrNotExport, msg: fmt.Sprintf(
		"this export uses format version %d, which is newer than this version of Offboard understands (%d): update Offboard to open it",
		format, FormatVersion)}
}

// decodeManifest parses and validates manifest.json. It walks the JSON token
// by token so that it can stop at the limits on kinds and entries instead of
// letting a hostile file decide how much memory is allocated.
func decodeManifest(data []byte) (*Manifest, error) {
	m, err := parseManifest(data)
	if err != nil {
		// A later format may have changed the shape of any field; look for
		// its version alone so that the user hears "update Offboard" rather
		// than "not an export".
		var probe struct {
			Format int `json:"format"`
		}
		if json.Unmarshal(data, &probe) == nil && probe.Format > FormatVersion {
			return nil, errNewerFormat(probe.Format)
		}
		return nil, errorf(ErrNotExport, "manifest.json is not valid: %v", err)
	}
	switch {
	case m.Format > FormatVersion:
		return nil, errNewerFormat(m.Format)
	case m.Format < oldestFormat:
		return nil, errorf(ErrNotExport, "manifest.json has format version %d, which does not exist", m.Format)
	case m.App != appName:
		return nil, errorf(ErrNotExport, "manifest.json was not written by %s", appName)
	case m.Created.IsZero():
		return nil, errorf(ErrNotExport, "manifest.json has no creation time")
	}
	return m, nil
}

// parseManifest does the structural half of decodeManifest.
func parseManifest(data []byte) (*Manifest, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := expectDelim(dec, '{'); err != nil {
		return nil, err
	}
	m := &Manifest{}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, ok := tok.(string)
		if !ok {
			return nil, errors.New("expected a field name")
		}
		if seen[key] {
			return nil, fmt.Errorf("field %q appears twice", key)
		}
		seen[key] = true
		if err := m.decodeField(dec, key); err != nil {
			return nil, fmt.Errorf("field %q: %w", key, err)
		}
		if len(seen) > 64 {
			return nil, errors.New("too many fields")
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("unexpected data after the end")
	}
	for _, need := range []string{"format", "entries"} {
		if !seen[need] {
			return nil, fmt.Errorf("field %q is missing", need)
		}
	}
	if m.Counts == nil {
		m.Counts = map[string]int{}
	}
	m.Created = m.Created.UTC()
	return m, nil
}

// decodeField reads the value of the manifest's field key into m.
func (m *Manifest) decodeField(dec *json.Decoder, key string) (err error) {
	switch key {
	case "format":
		return dec.Decode(&m.Format)
	case "app":
		return dec.Decode(&m.App)
	case "app_version":
		return dec.Decode(&m.AppVersion)
	case "created":
		return dec.Decode(&m.Created)
	case "account_id":
		return dec.Decode(&m.AccountID)
	case "counts":
		m.Counts, err = parseCounts(dec)
	case "entries":
		m.Entries, err = parseEntries(dec)
	default:
		// Fields added by a later writer of the same format are
		// ignored, as the format's versioning rule allows.
		var skip json.RawMessage
		err = dec.Decode(&skip)
	}
	return err
}

func parseCounts(dec *json.Decoder) (map[string]int, error) {
	if err := expectDelim(dec, '{'); err != nil {
		return nil, err
	}
	counts := map[string]int{}
	for dec.More() {
		if len(counts) == maxKinds {
			return nil, fmt.Errorf("more than %d kinds", maxKinds)
		}
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		kind, ok := tok.(string)
		if !ok {
			return nil, errors.New("expected a kind")
		}
		if err := checkKind(kind); err != nil {
			return nil, err
		}
		if _, dup := counts[kind]; dup {
			return nil, fmt.Errorf("kind %q appears twice", kind)
		}
		var n int
		if err := dec.Decode(&n); err != nil {
			return nil, fmt.Errorf("kind %q: %w", kind, err)
		}
		if n < 0 {
			return nil, fmt.Errorf("kind %q has a negative count", kind)
		}
		counts[kind] = n
	}
	return counts, expectDelim(dec, '}')
}

func parseEntries(dec *json.Decoder) ([]Entry, error) {
	if err := expectDelim(dec, '['); err != nil {
		return nil, err
	}
	entries := []Entry{}
	names := map[string]bool{}
	for dec.More() {
		if len(entries) == maxEntries {
			return nil, fmt.Errorf("more than %d entries", maxEntries)
		}
		var e Entry
		if err := dec.Decode(&e); err != nil {
			return nil, fmt.Errorf("entry %d: %w", len(entries)+1, err)
		}
		if err := checkEntry(e); err != nil {
			return nil, err
		}
		folded := strings.ToLower(e.Name)
		if names[folded] {
			return nil, fmt.Errorf("entry %q is listed twice", e.Name)
		}
		names[folded] = true
		entries = append(entries, e)
	}
	// A name that is also a folder of another cannot be extracted: one of
	// the two would be lost or the extraction would fail.
	for _, e := range entries {
		for dir := path.Dir(e.Name); dir != "."; dir = path.Dir(dir) {
			if names[strings.ToLower(dir)] {
				return nil, fmt.Errorf("entry %q is both a file and the folder of %q", dir, e.Name)
			}
		}
	}
	return entries, expectDelim(dec, ']')
}

// checkEntry validates one manifest entry on its own.
func checkEntry(e Entry) error {
	if err := checkName(e.Name); err != nil {
		if len(e.Name) > maxNameLen {
			return fmt.Errorf("entry name: %w", err)
		}
		return fmt.Errorf("entry %q: %w", e.Name, err)
	}
	if strings.EqualFold(e.Name, ManifestName) {
		return fmt.Errorf("entry %q: the manifest cannot list itself", e.Name)
	}
	if e.Size < 0 {
		return fmt.Errorf("entry %q: negative size", e.Name)
	}
	if len(e.SHA256) != 64 {
		return fmt.Errorf("entry %q: the SHA-256 must be 64 hexadecimal digits", e.Name)
	}
	for i := 0; i < len(e.SHA256); i++ {
		c := e.SHA256[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return fmt.Errorf("entry %q: the SHA-256 must be lower-case hexadecimal", e.Name)
		}
	}
	return nil
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("expected %q", string(want))
	}
	return nil
}
