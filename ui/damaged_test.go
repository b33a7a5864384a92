package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDamagedAccountFileShowsAnError damages the account file on disk and
// signs in: the window says what is wrong and stays usable, instead of
// crashing.
func TestDamagedAccountFileShowsAnError(t *testing.T) {
	for name, damage := range map[string]func([]byte) []byte{
		"truncated":     func(b []byte) []byte { return b[:4096+100] },
		"meta flipped":  func(b []byte) []byte { b[16] ^= 0xff; b[4096+16] ^= 0xff; return b },
		"zero length":   func([]byte) []byte { return nil },
		"random filler": func(b []byte) []byte { return []byte(strings.Repeat("not a database ", len(b)/15)) },
	} {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t)
			h.signUp(testEmail, testPassword, testCompany)
			h.u.SignOut()
			h.settle()
			files, _ := filepath.Glob(filepath.Join(h.dir, "accounts", "*.db"))
			if len(files) != 1 {
				t.Fatalf("account files: %v", files)
			}
			b, err := os.ReadFile(files[0])
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(files[0], damage(b), 0o600); err != nil {
				t.Fatal(err)
			}
			h.signIn(testEmail, testPassword)
			shown := h.shown()
			if !strings.Contains(shown, "damaged") {
				t.Fatalf("no word of the damage; the window shows:\n%s", shown)
			}
			if !h.onScreen(h.u.signIn.content) {
				t.Fatal("the window left the sign-in screen")
			}
		})
	}
}
