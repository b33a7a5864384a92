// Package earlylog keeps three harmless lines of the window toolkit (Fyne)
// off standard error, where they would otherwise greet every command:
//
//   - "Error parsing user locale C" (or POSIX): Fyne's lang package, in its
//     init, reads LANG=C.UTF-8 as the language "C", which is no language
//     tag. C means the untranslated text, English, which is what Fyne then
//     picks, so nothing is wrong but the line.
//   - "Preferences load error" caused by EOF: Fyne rewrites its preferences
//     file in place (truncate, then write) and watches it; another Offboard
//     window, or this one's own save seen late, makes it read the file half
//     written. The preferences it holds stay as they were.
//   - "Getting favorite locations": Fyne's file dialog asks for the
//     desktop's Documents, Pictures, Videos … folders and logs any that the
//     system does not have; the dialog simply leaves that shortcut out.
//
// The first is written while Fyne's packages initialise, before any code of
// Offboard's own module can run. Go initialises packages in the order of
// their import paths among those whose imports are ready, so this package
// is a module of its own whose path, "earlylog", sorts before "fyne.io":
// its init runs first and puts the filter in place. Every other line passes
// through unchanged. docs/DECISIONS.md says why the lines are dropped
// rather than their causes fixed.
package earlylog

import (
	"bytes"
	"io"
	"log"
	"os"
	"sync"
)

func init() {
	log.SetOutput(New(os.Stderr))
}

// Filter is a writer for the standard logger that drops the toolkit's known
// harmless messages, each written as one line per call: "Fyne error: …",
// then "  Cause: …" and "  At: …".
type Filter struct {
	mu       sync.Mutex
	out      io.Writer
	dropping bool   // the lines after a dropped message belong to it
	held     []byte // a preferences error, kept until its cause shows whether it is harmless
}

// New returns a Filter writing to out.
func New(out io.Writer) *Filter { return &Filter{out: out} }

var (
	fyneError   = []byte("Fyne error: ")
	causeLine   = []byte("  Cause: ")
	atLine      = []byte("  At: ")
	prefsError  = []byte("Preferences load error")
	harmlessEOF = [][]byte{[]byte("  Cause: EOF"), []byte("  Cause: unexpected EOF")}
	// Always harmless, whatever their cause.
	harmless = [][]byte{
		[]byte("Error parsing user locale C\n"),
		[]byte("Error parsing user locale POSIX\n"),
		[]byte("Getting favorite locations"),
	}
)

func (f *Filter) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := len(p)
	switch {
	case f.held != nil && bytes.Contains(p, causeLine):
		held := f.held
		f.held = nil
		if endsWithAny(bytes.TrimRight(p, "\r\n"), harmlessEOF) {
			f.dropping = true
			return n, nil
		}
		if _, err := f.out.Write(held); err != nil {
			return 0, err
		}
	case f.dropping && (bytes.Contains(p, causeLine) || bytes.Contains(p, atLine)):
		return n, nil
	}
	f.dropping = false
	if f.held != nil {
		// The message had no cause line after all: show it.
		held := f.held
		f.held = nil
		if _, err := f.out.Write(held); err != nil {
			return 0, err
		}
	}
	if bytes.Contains(p, fyneError) {
		if containsAny(p, harmless) {
			f.dropping = true
			return n, nil
		}
		if bytes.Contains(p, prefsError) {
			f.held = append([]byte(nil), p...)
			return n, nil
		}
	}
	if _, err := f.out.Write(p); err != nil {
		return 0, err
	}
	return n, nil
}

func containsAny(p []byte, subs [][]byte) bool {
	for _, s := range subs {
		if bytes.Contains(p, s) {
			return true
		}
	}
	return false
}

func endsWithAny(p []byte, ends [][]byte) bool {
	for _, e := range ends {
		if bytes.HasSuffix(p, e) {
			return true
		}
	}
	return false
}
