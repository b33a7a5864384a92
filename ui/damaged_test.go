package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"offboard/account"
	"offboard/account/damage"
)

// TestDamagedAccountFileShowsAnError damages the sample's account file on
// disk in each way the command-line torture test does (cuts, flips, zeroed
// pages, appended tails) and signs in to every copy: the window shows one
// clear sentence, or signs in when the damage missed everything a sign-in
// reads (never for a file cut short), and it stays usable, which the good file's sign-in at the end
// proves.
func TestDamagedAccountFileShowsAnError(t *testing.T) {
	h := newHarness(t)
	h.openSample()
	h.u.SignOut()
	h.settle()
	files, _ := filepath.Glob(filepath.Join(h.dir, "accounts", "*.db"))
	if len(files) != 1 {
		t.Fatalf("account files: %v", files)
	}
	good, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	cases := damage.Cases(good, 20261201)
	refused, opened := 0, 0
	for _, c := range cases {
		if err := os.WriteFile(files[0], c.Data, 0o600); err != nil {
			t.Fatal(err)
		}
		h.signIn(account.SampleEmail, account.SamplePassword)
		shown := h.shown()
		for _, w := range []string{"runtime error", "nil pointer", "index out of range", "goroutine", "panic"} {
			if strings.Contains(shown, w) {
				t.Fatalf("%s: runtime text %q on screen:\n%s", c.Name, w, shown)
			}
		}
		if h.u.workspace != nil && h.onScreen(h.u.workspace.content) {
			if c.Short {
				t.Fatalf("%s: a file cut short signed in", c.Name)
			}
			opened++
			h.u.dismissDialogs()
			h.u.SignOut()
			h.settle()
			continue
		}
		if !h.onScreen(h.u.signIn.content) {
			t.Fatalf("%s: the window left the sign-in screen; it shows:\n%s", c.Name, shown)
		}
		if low := strings.ToLower(shown); !strings.Contains(low, "account file") && !strings.Contains(low, "damaged") {
			t.Fatalf("%s: no word of the damage; the window shows:\n%s", c.Name, shown)
		}
		refused++
	}
	t.Logf("%d damaged copies: %d refused with a clear sentence, %d signed in (the damage missed what a sign-in reads)", len(cases), refused, opened)
	if err := os.WriteFile(files[0], good, 0o600); err != nil {
		t.Fatal(err)
	}
	h.signIn(account.SampleEmail, account.SamplePassword)
	if h.u.workspace == nil || !h.onScreen(h.u.workspace.content) {
		t.Fatalf("the good file does not sign in after the damaged ones; the window shows:\n%s", h.shown())
	}
}
