package archive

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

type marshalledItem struct {
	ID      uint64            `json:"id"`
	Text    string            `json:"text"`
	When    time.Time         `json:"when"`
	Amount  float64           `json:"amount"`
	Tags    []string          `json:"tags"`
	Empty   []int             `json:"empty"`
	Nothing *int              `json:"nothing"`
	Map     map[string]any    `json:"map"`
	NoMap   map[string]string `json:"no_map"`
	Skipped string            `json:"skipped,omitempty"`
	Nested  []map[string]any  `json:"nested"`
}

// randomText mixes what JSON escapes, what json.Marshal escapes for HTML,
// and what neither touches.
func randomText(r *rand.Rand) string {
	parts := []string{"<", ">", "&", `"`, `\`, "\u2028", "\u2029", "\n", "\t", "\x01", "é", "日本", "😀", "\xff", `\u003c`, "a", " ", "R&D <b>", "/"}
	var b strings.Builder
	for range r.IntN(12) {
		b.WriteString(parts[r.IntN(len(parts))])
	}
	return b.String()
}

func randomItem(r *rand.Rand) marshalledItem {
	it := marshalledItem{
		ID:     r.Uint64(),
		Text:   randomText(r),
		When:   time.Unix(r.Int64N(1<<32), r.Int64N(1e9)).UTC(),
		Amount: r.NormFloat64() * 1e6,
		Map:    map[string]any{},
	}
	for range r.IntN(3) {
		it.Tags = append(it.Tags, randomText(r))
	}
	if r.IntN(2) == 0 {
		it.Empty = []int{}
	}
	if r.IntN(2) == 0 {
		n := r.IntN(100)
		it.Nothing = &n
	}
	for range r.IntN(3) {
		it.Map[randomText(r)] = []any{randomText(r), r.IntN(9), true, nil, map[string]any{}}
	}
	if r.IntN(3) == 0 {
		it.Skipped = randomText(r)
	}
	for range r.IntN(2) {
		it.Nested = append(it.Nested, map[string]any{"x": []any{}, "y": map[string]any{"z": randomText(r)}})
	}
	return it
}

// AddMarshalled of json.Marshal's output writes what Add writes for the
// value itself, byte for byte.
func TestAddMarshalledMatchesAdd(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var viaAdd, viaRaw bytes.Buffer
	a, m := NewJSONArray(&viaAdd), NewJSONArray(&viaRaw)
	for range 2000 {
		it := randomItem(r)
		if err := a.Add(it); err != nil {
			t.Fatal(err)
		}
		compact, err := json.Marshal(it)
		if err != nil {
			t.Fatal(err)
		}
		if err := m.AddMarshalled(compact); err != nil {
			t.Fatalf("%s: %v", compact, err)
		}
	}
	a.Close()
	m.Close()
	if !bytes.Equal(viaAdd.Bytes(), viaRaw.Bytes()) {
		x, y := viaAdd.Bytes(), viaRaw.Bytes()
		i := 0
		for i < len(x) && i < len(y) && x[i] == y[i] {
			i++
		}
		t.Fatalf("outputs differ at byte %d:\nAdd:           %q\nAddMarshalled: %q", i, x[max(0, i-80):min(len(x), i+80)], y[max(0, i-80):min(len(y), i+80)])
	}
}

// What json.Marshal cannot have made is refused, and the array stays whole.
func TestAddMarshalledRefusesOtherInput(t *testing.T) {
	for _, bad := range []string{``, `1`, `"s"`, `{`, `[`, `{}}`, `{} {}`, `{"a" : 1}`, `{"a":1]`, `[1}`, `{"a":"b}`, `{"a":"\`, "{\n}", `{"a":1}x`, `[]]`, `[1:2]`} {
		var out bytes.Buffer
		arr := NewJSONArray(&out)
		if err := arr.AddMarshalled([]byte(bad)); err == nil {
			t.Errorf("%q was accepted", bad)
		}
		if err := arr.AddMarshalled([]byte(`{"ok":true}`)); err != nil {
			t.Fatalf("after %q: %v", bad, err)
		}
		arr.Close()
		if out.String() != "[\n  {\n    \"ok\": true\n  }\n]\n" {
			t.Errorf("after %q the array is %q", bad, out.String())
		}
	}
}
