// Package archive writes and reads Offboard export files.
//
// An export is a ZIP archive, optionally wrapped in the age format with a
// passphrase (scrypt recipient), so that it opens with standard tools long
// after Offboard is gone. The last entry, manifest.json, lists every other
// entry with its size and SHA-256, which is what lets Verify prove that the
// file on disk holds exactly what was written. docs/EXPORT_FORMAT.md is the
// specification; this package is its reference implementation.
package archive

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// FormatVersion is the version of the export format this package writes and the highest it reads.
// Version 2 added the browsable pages (index.html, pages/) and the invoices' PDFs (invoices/);
// readers accept versions 1 and 2.
const FormatVersion = 2

// oldestFormat is the earliest format version a reader still accepts.
const oldestFormat = 1

// ManifestName is the name of the entry that lists every other entry; it is always the last one written.
const ManifestName = "manifest.json"

// ReadmeName is the name of the plain-text entry that describes the layout to a person.
const ReadmeName = "README.txt"

// appName is the value of the manifest's "app" field; a reader refuses any other.
const appName = "Offboard"

// Limits that keep a hostile or damaged file from making a reader allocate
// without bound. They are far above what a real account produces.
const (
	maxManifestSize = 64 << 20 // bytes of manifest.json
	maxNameLen      = 1024     // bytes of an entry name
	maxKindLen      = 64       // bytes of a count's kind
	maxKinds        = 1024     // distinct kinds in counts
	maxEntries      = 1 << 22  // entries listed in the manifest
)

// Manifest describes an export; it is stored as manifest.json.
type Manifest struct {
	Format     int            `json:"format"`
	App        string         `json:"app"`
	AppVersion string         `json:"app_version"`
	Created    time.Time      `json:"created"`
	AccountID  string         `json:"account_id"`
	Counts     map[string]int `json:"counts"`
	Entries    []Entry        `json:"entries"`
}

// Entry is one file of the export as listed in the manifest.
type Entry struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// The errors below are matched with errors.Is. What this package returns
// wraps them in a message that also says what happened and what to do.
var (
	// ErrNotExport reports a file that is neither a ZIP nor an age file, or has no valid manifest.
	ErrNotExport = errors.New("this file is not an Offboard export")
	// ErrNeedPassphrase reports an encrypted export opened without a passphrase.
	ErrNeedPassphrase = errors.New("this export is protected by a passphrase")
	// ErrWrongPassphrase reports an encrypted export whose passphrase does not match.
	ErrWrongPassphrase = errors.New("the passphrase does not open this export")
	// ErrTruncated reports an export whose end is missing.
	ErrTruncated = errors.New("the export file is incomplete")
	// ErrDamaged reports an export whose structure or encryption no longer checks out.
	ErrDamaged = errors.New("the export file is damaged")
)

// Problems an EntryError can report.
const (
	ProblemMissing    = "missing"
	ProblemNotListed  = "not listed in the manifest"
	ProblemSize       = "size mismatch"
	ProblemChecksum   = "checksum mismatch"
	ProblemUnreadable = "unreadable"
)

// EntryError reports one entry of an export that does not match its manifest.
type EntryError struct {
	Name    string
	Problem string
	// Err is the underlying read error when Problem is ProblemUnreadable.
	Err error
}

// Error says which entry is wrong, how, and what that means for the user.
func (e *EntryError) Error() string {
	var advice string
	switch e.Problem {
	case ProblemMissing:
		advice = "the manifest lists it but the file does not contain it, so the export is incomplete"
	case ProblemNotListed:
		advice = "the file contains it but the manifest does not list it, so the file was changed after it was written"
	case ProblemSize, ProblemChecksum:
		advice = "the file was changed or damaged after it was written"
	case ProblemUnreadable:
		advice = "the file is damaged"
		if e.Err != nil {
			advice += " (" + e.Err.Error() + ")"
		}
	default:
		advice = "the export cannot be trusted"
	}
	return fmt.Sprintf("export entry %q: %s — %s", e.Name, e.Problem, advice)
}

// Unwrap returns the underlying read error, if any.
func (e *EntryError) Unwrap() error { return e.Err }

// exportError carries a message written for a person while staying matchable
// with errors.Is against one of the sentinel errors above.
type exportError struct {
	kind error
	msg  string
}

func (e *exportError) Error() string { return e.msg }
func (e *exportError) Unwrap() error { return e.kind }

// errorf builds an error that matches kind and reads "<kind>: <detail>".
func errorf(kind error, format string, args ...any) error {
	return &exportError{kind: kind, msg: kind.Error() + ": " + fmt.Sprintf(format, args...)}
}

// checkName enforces the entry-name rules shared by the writer and the
// manifest decoder: a relative slash path that extracts to the same place on
// every operating system and cannot escape the folder it is extracted into.
func checkName(name string) error {
	switch {
	case name == "":
		return errors.New("the name is empty")
	case len(name) > maxNameLen:
		return fmt.Errorf("the name is longer than %d bytes", maxNameLen)
	case !utf8.ValidString(name):
		return errors.New("the name is not valid UTF-8")
	case strings.HasPrefix(name, "/"):
		return errors.New("the name is absolute")
	case strings.Contains(name, `\`):
		return errors.New("the name contains a backslash; use / between folders")
	case strings.Contains(name, ":"):
		// "C:x" is a drive-relative path on Windows.
		return errors.New("the name contains a colon")
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return errors.New("the name contains a control character")
		}
	}
	if !fs.ValidPath(name) {
		return errors.New(`the name has an empty, "." or ".." element`)
	}
	return nil
}

// checkKind enforces the rule for the keys of Manifest.Counts.
func checkKind(kind string) error {
	if kind == "" || len(kind) > maxKindLen {
		return fmt.Errorf("a kind must be 1 to %d characters long", maxKindLen)
	}
	for i := 0; i < len(kind); i++ {
		c := kind[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' && c != '-' {
			return fmt.Errorf("kind %q may only hold a-z, 0-9, _ and -", kind)
		}
	}
	return nil
}

// isFilesName reports whether name is one of the original files, which are
// stored uncompressed because media is usually compressed already.
func isFilesName(name string) bool { return strings.HasPrefix(name, "files/") }
