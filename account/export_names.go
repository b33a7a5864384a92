package account

import (
	"fmt"
	"path"
	"path/filepath"
	"strings"
	"time"
	"unicode"
)

// DefaultExportName suggests a file name: the company and the date.
func DefaultExportName(company string, t time.Time, encrypted bool) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(company)) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	name := strings.Trim(b.String(), "-")
	if name == "" {
		name = "account"
	}
	name += "-export-" + t.Format("2006-01-02") + ".zip"
	if encrypted {
		name += ".age"
	}
	return name
}

// uniqueFileName makes a stored file's name safe for every file system and
// unique within the export: "files/0007-report.pdf".
func uniqueFileName(n int, name string, used map[string]bool) string {
	safe := safeBaseName(name, 120)
	out := fmt.Sprintf("files/%04d-%s", n, safe)
	for i := 2; used[strings.ToLower(out)]; i++ {
		out = fmt.Sprintf("files/%04d-%d-%s", n, i, safe)
	}
	used[strings.ToLower(out)] = true
	return out
}

// safeBaseName is the base of name with what some file system refuses
// replaced, at most max bytes long, keeping an extension of up to 16 bytes.
func safeBaseName(name string, max int) string {
	var b strings.Builder
	for _, r := range path.Base(strings.ReplaceAll(name, "\\", "/")) {
		switch {
		case unicode.IsControl(r) || strings.ContainsRune(`<>:"/\|?*`, r):
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	safe := strings.Trim(b.String(), ". ")
	if safe == "" {
		safe = "file"
	}
	if len(safe) > max {
		ext := filepath.Ext(safe)
		if len(ext) > 16 {
			ext = ""
		}
		safe = strings.ToValidUTF8(safe[:max-len(ext)], "") + ext
	}
	return safe
}

func imageExt(b []byte) string {
	if len(b) > 3 && b[0] == 0xff && b[1] == 0xd8 {
		return ".jpg"
	}
	return ".png"
}
