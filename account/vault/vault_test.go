package vault

import (
	"bytes"
	"errors"
	"testing"
)

var cheap = Params{Time: 1, MemoryKiB: 64, Threads: 1}

func TestWrapUnwrap(t *testing.T) {
	key := NewDataKey()
	s, err := Wrap([]byte("pw"), key, []byte("acct-1"), cheap)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := s.MarshalBinary()
	var s2 KeySlot
	if err := s2.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	got, err := s2.Unwrap([]byte("pw"), []byte("acct-1"))
	if err != nil || !bytes.Equal(got, key) {
		t.Fatalf("unwrap: %v", err)
	}
	if _, err := s2.Unwrap([]byte("pw2"), []byte("acct-1")); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("wrong password: %v", err)
	}
	if _, err := s2.Unwrap([]byte("pw"), []byte("acct-2")); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("slot from another account: %v", err)
	}
	// Lowering the stored cost parameters is detected.
	s2.Params.Time = 2
	if _, err := s2.Unwrap([]byte("pw"), []byte("acct-1")); err == nil {
		t.Fatal("changed parameters went unnoticed")
	}
}

func TestSlotRejectsAbsurdParameters(t *testing.T) {
	for _, p := range []Params{{0, 64, 1}, {1, 1, 1}, {1, 64, 0}, {65, 64, 1}, {1, 5 << 20, 1}} {
		if _, err := Wrap([]byte("pw"), NewDataKey(), nil, p); err == nil {
			t.Errorf("params %+v accepted", p)
		}
	}
}

func TestSealOpen(t *testing.T) {
	s, _ := NewSealer(NewDataKey())
	sealed := s.Seal(nil, []byte("hello"), []byte("ad"))
	if len(sealed) != len("hello")+Overhead {
		t.Fatalf("overhead %d", len(sealed)-5)
	}
	got, err := s.Open(nil, sealed, []byte("ad"))
	if err != nil || string(got) != "hello" {
		t.Fatal(err)
	}
	if _, err := s.Open(nil, sealed, []byte("other place")); !errors.Is(err, ErrCorrupt) {
		t.Fatal("moved value opened")
	}
	for i := range sealed {
		bad := bytes.Clone(sealed)
		bad[i] ^= 1
		if _, err := s.Open(nil, bad, []byte("ad")); err == nil {
			t.Fatalf("flip at %d opened", i)
		}
	}
	again := s.Seal(nil, []byte("hello"), []byte("ad"))
	if bytes.Equal(again, sealed) {
		t.Fatal("nonce reused")
	}
}

func FuzzKeySlot(f *testing.F) {
	s, _ := Wrap([]byte("pw"), NewDataKey(), []byte("id"), cheap)
	good, _ := s.MarshalBinary()
	f.Add(good)
	f.Add([]byte{})
	f.Add([]byte("OBK1"))
	f.Fuzz(func(t *testing.T, b []byte) {
		var s KeySlot
		if err := s.UnmarshalBinary(b); err != nil {
			return
		}
		// Whatever decodes must re-encode to the same bytes and stay within
		// the cost limits, so a tampered slot cannot ask for absurd work.
		out, _ := s.MarshalBinary()
		if !bytes.Equal(out, b) {
			t.Fatalf("re-encoding differs")
		}
		if s.Params.check() != nil {
			t.Fatal("decoded out-of-range parameters")
		}
	})
}

func FuzzOpen(f *testing.F) {
	key := bytes.Repeat([]byte{7}, KeySize)
	s, _ := NewSealer(key)
	f.Add(s.Seal(nil, []byte(`{"title":"x"}`), []byte("ad")), []byte("ad"))
	f.Add([]byte{1}, []byte{})
	f.Fuzz(func(t *testing.T, sealed, ad []byte) {
		s, _ := NewSealer(key)
		if out, err := s.Open(nil, sealed, ad); err == nil {
			// Only what this key sealed opens; re-sealing must round-trip.
			if back, err := s.Open(nil, s.Seal(nil, out, ad), ad); err != nil || !bytes.Equal(back, out) {
				t.Fatal("round trip failed")
			}
		}
	})
}
