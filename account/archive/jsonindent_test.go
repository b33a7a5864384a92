package archive

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// indentMarshalled writes what json.Encoder with SetIndent and without HTML
// escaping would, for every shape a record can take.
func TestIndentMarshalledMatchesEncodingJSON(t *testing.T) {
	values := []any{
		map[string]any{},
		[]any{},
		map[string]any{"a": []any{}, "b": map[string]any{}, "c": []any{1, "two", nil, true}},
		map[string]any{"html": "<b>&amp;</b> \u2028 \"quoted\" back\\slash\ttab", "emoji": "★☆", "n": 1.5},
		[]any{map[string]any{"deep": []any{[]any{[]any{}}, map[string]any{"x": "y"}}}},
		map[string]any{"key with \"quotes\" and <tags>": "\u003c literal u003c"},
	}
	for _, v := range values {
		compact, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.SetIndent("  ", "  ")
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
		got, err := indentMarshalled(nil, compact, "  ")
		if err != nil {
			t.Fatalf("%s: %v", compact, err)
		}
		if string(got) != strings.TrimSuffix(want.String(), "\n") {
			t.Errorf("%s:\ngot  %s\nwant %s", compact, got, want.String())
		}
	}
	for _, bad := range []string{``, `1`, `"s"`, `{"a":1} `, `{"a":1}{}`, `{"a":"x`, `{"a":"x\`, `[1,2`, `{"a":1]`, `[1:2]`, `{"a" :1}`} {
		if _, err := indentMarshalled(nil, []byte(bad), ""); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
