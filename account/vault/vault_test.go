package vault

import (
	"bytes"
	"errors"
	"testing"

	"golang.org/x/crypto/chacha20poly1305"
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

// TestGenerationIsCovered: the generation is in the slot's bytes and under
// its additional data; a slot re-wrapped by the kept key-encryption key opens
// with the password; changing the generation in the bytes, or rewriting the
// slot in the 0.1 form without it, makes it fail.
func TestGenerationIsCovered(t *testing.T) {
	key := NewDataKey()
	kek, err := NewKEK([]byte("pw"), cheap)
	if err != nil {
		t.Fatal(err)
	}
	s, err := kek.Wrap(key, []byte("acct"), 7)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := s.MarshalBinary()
	var s2 KeySlot
	if err := s2.UnmarshalBinary(b); err != nil || s2.Generation != 7 || s2.Version != 2 {
		t.Fatalf("decoded generation %d version %d: %v", s2.Generation, s2.Version, err)
	}
	got, kek2, err := s2.Open([]byte("pw"), []byte("acct"))
	if err != nil || !bytes.Equal(got, key) {
		t.Fatalf("open: %v", err)
	}
	// The returned key re-wraps without the password, at another generation.
	s3, err := kek2.Wrap(key, []byte("acct"), 8)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s3.Unwrap([]byte("pw"), []byte("acct")); err != nil || !bytes.Equal(got, key) {
		t.Fatalf("re-wrapped slot: %v", err)
	}
	kek2.Wipe()
	if _, err := kek2.Wrap(key, []byte("acct"), 9); err == nil {
		t.Fatal("a wiped key wrapped")
	}
	s2.Generation = 6
	if _, err := s2.Unwrap([]byte("pw"), []byte("acct")); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("changed generation: %v", err)
	}
	s2.Generation, s2.Version = 7, 1
	if _, err := s2.Unwrap([]byte("pw"), []byte("acct")); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("rewritten as a 0.1 slot: %v", err)
	}
	// A 0.1 slot (no generation) still decodes, opens and re-encodes as it was.
	v1 := &KeySlot{Params: cheap, Version: 1}
	k1 := &KEK{params: cheap}
	k1.key = make([]byte, KeySize)
	copy(k1.key, kek.key)
	k1.salt = kek.salt
	v1.Salt = kek.salt
	aead, _ := chacha20poly1305.NewX(k1.key)
	v1.Wrapped = aead.Seal(nil, v1.Nonce[:], key, v1.ad([]byte("acct")))
	b1, _ := v1.MarshalBinary()
	var d1 KeySlot
	if err := d1.UnmarshalBinary(b1); err != nil || d1.Version != 1 || string(b1[:4]) != "OBK1" {
		t.Fatalf("0.1 slot: version %d: %v", d1.Version, err)
	}
	if got, err := d1.Unwrap([]byte("pw"), []byte("acct")); err != nil || !bytes.Equal(got, key) {
		t.Fatalf("0.1 slot: %v", err)
	}
	if again, _ := d1.MarshalBinary(); !bytes.Equal(again, b1) {
		t.Fatal("0.1 slot re-encodes differently")
	}
	if found := ScanSlots(append(append(bytes.Clone(b1), "xx"...), b...)); len(found) != 2 || found[0].Slot.Version != 1 || found[1].Slot.Version != 2 {
		t.Fatalf("ScanSlots found %d slots", len(found))
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
	f.Add([]byte("OBK2"))
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
