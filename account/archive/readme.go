package archive

import (
	"fmt"
	"path"
	"strings"
)

// kindNames are the English names of the kinds of data, by the name of
// their entry: the one list that the README, the browsable pages and the
// receipt all use (account.KindPhrase reads it).
var kindNames = map[string]string{
	"team":         "Team members",
	"jobs":         "Job postings",
	"contracts":    "Contracts",
	"threads":      "Message threads",
	"messages":     "Messages",
	"files":        "Files",
	"reviews":      "Reviews",
	"invoices":     "Invoices",
	"transactions": "Transactions",
	"billing":      "Billing methods",
	"disputes":     "Disputes",
}

// KindName is the English name of the kind of data an export holds under
// kind ("jobs": "Job postings"), and whether kind is one Offboard knows.
func KindName(kind string) (string, bool) {
	n, ok := kindNames[kind]
	return n, ok
}

// readmeLine is one line of the README's table: an entry or a folder, and
// what it holds.
type readmeLine struct{ name, what string }

// readmeLines are the lines of "What is inside", in the archive's order:
// the uploaded files, the pages and the invoices' PDFs a line per folder,
// every other entry a line of its own; and whether there are files.
func readmeLines(m *Manifest) ([]readmeLine, bool) {
	type line = readmeLine
	var lines []line
	var nFiles int
	var filesBytes int64
	filesAt := -1
	// The pages and the invoices' PDFs are a line per folder, not per file.
	grouped, groupAt := map[string]int{}, map[string]int{}
	for _, e := range m.Entries {
		if isFilesName(e.Name) {
			if filesAt < 0 {
				filesAt = len(lines)
				lines = append(lines, line{name: "files/"})
			}
			nFiles++
			filesBytes += e.Size
			continue
		}
		if dir, ok := groupedFolder(e.Name); ok {
			if grouped[dir] == 0 {
				groupAt[dir] = len(lines)
				lines = append(lines, line{name: dir})
			}
			grouped[dir]++
			continue
		}
		lines = append(lines, line{e.Name, describeEntry(e.Name, m.Counts)})
	}
	for dir, at := range groupAt {
		lines[at].what = describeFolder(dir, grouped[dir])
	}
	if filesAt >= 0 {
		noun := "original files"
		if nFiles == 1 {
			noun = "original file"
		}
		lines[filesAt].what = fmt.Sprintf("%d %s (%s), byte for byte as they were uploaded.", nFiles, noun, HumanBytes(filesBytes))
	}
	lines = append(lines,
		line{ReadmeName, "This description."},
		line{ManifestName, "The size and SHA-256 checksum of every other file in this archive."},
	)
	return lines, filesAt >= 0
}

// buildReadme describes the export to a person who opens it without
// Offboard. It is generated from the manifest so that it always matches the
// entries actually present.
func buildReadme(m *Manifest, encrypted bool) []byte {
	lines, hasFiles := readmeLines(m)
	width := 0
	for _, l := range lines {
		width = max(width, min(len(l.name), 24))
	}

	var b strings.Builder
	b.WriteString("Offboard export\n===============\n\n")
	fmt.Fprintf(&b, "This archive holds a copy of the data of one client account of a freelancing\nmarketplace, exported by Offboard")
	if m.AppVersion != "" {
		fmt.Fprintf(&b, " %s", m.AppVersion)
	}
	fmt.Fprintf(&b, " on %s.\n", m.Created.UTC().Format("2 January 2006 at 15:04 UTC"))
	if m.AccountID != "" {
		fmt.Fprintf(&b, "Account ID: %s\n", m.AccountID)
	}
	fmt.Fprintf(&b, "Export format version: %d\n", m.Format)

	b.WriteString("\nWhat is inside\n--------------\n\n")
	for _, l := range lines {
		fmt.Fprintf(&b, "%-*s  %s\n", width, l.name, l.what)
	}
	if hasFiles {
		b.WriteString("\nThe original files keep their own names after a number that makes each one\nunique.")
		if hasEntry(m, "files.json") {
			b.WriteString(" files.json describes each one: original name, type, size and date.")
		}
		b.WriteString("\n")
	}
	if hasEntry(m, "index.html") {
		b.WriteString("\nTo browse the account, open index.html in a web browser: it needs no\nnetwork and links to every page, PDF and file of this folder.\n")
	}
	b.WriteString("\nJSON files are UTF-8 text. CSV files are comma-separated tables (RFC 4180)\nwith a header row; they open in any spreadsheet.\n")

	b.WriteString("\nChecking the files\n------------------\n\n")
	b.WriteString("manifest.json lists every file of this archive with its size in bytes and its\n")
	b.WriteString("SHA-256 checksum. To check a file by hand, compute its checksum and compare it\n")
	b.WriteString("with the one in manifest.json:\n\n")
	b.WriteString("  Linux:    sha256sum messages.json\n")
	b.WriteString("  macOS:    shasum -a 256 messages.json\n")
	b.WriteString("  Windows:  certutil -hashfile messages.json SHA256\n")

	b.WriteString("\nKeeping it safe\n---------------\n\n")
	if encrypted {
		b.WriteString("This export was saved encrypted with a passphrase, in the age format\n")
		b.WriteString("(https://age-encryption.org). Offboard opens it directly. Without Offboard,\n")
		b.WriteString("decrypt it with the age tool and the passphrase, then unzip the result:\n\n")
		b.WriteString("  age -d -o export.zip export.zip.age\n")
		b.WriteString("  unzip export.zip\n\n")
		b.WriteString("Once decrypted, the ZIP and the files in it are readable by anyone who has\nthem: delete them when you are done.\n")
	} else {
		b.WriteString("This export was saved without a passphrase: anyone who has this file can read\n")
		b.WriteString("it. Keep it somewhere only you can reach.\n")
	}
	return []byte(b.String())
}

// describeEntry says in a few words what the entry name holds.
func describeEntry(name string, counts map[string]int) string {
	ext := path.Ext(name)
	kind := strings.TrimSuffix(name, ext)
	noun, known := KindName(kind)
	count := ""
	if n, ok := counts[kind]; ok {
		count = fmt.Sprintf(" (%s)", plural(n, "item"))
	}
	switch {
	case name == "profile.json":
		return "The account profile (JSON)."
	case name == "index.html":
		return "The account to browse in a web browser, offline: start here."
	case kind == "avatar":
		return "The profile picture."
	case known && ext == ".json":
		return noun + ", a JSON array" + count + "."
	case known && ext == ".csv":
		return noun + ", a CSV table" + count + "."
	case ext == ".json":
		return "JSON data."
	case ext == ".csv":
		return "A table (CSV)."
	case ext == ".txt":
		return "Text."
	}
	return "Data."
}

// groupedFolder says whether name lies in a folder the README sums up in
// one line, and which.
func groupedFolder(name string) (string, bool) {
	for _, dir := range []string{"pages/", "invoices/"} {
		if strings.HasPrefix(name, dir) {
			return dir, true
		}
	}
	return "", false
}

func describeFolder(dir string, n int) string {
	if dir == "invoices/" {
		return fmt.Sprintf("Each invoice as a PDF document named by its number (%s).", plural(n, "file"))
	}
	return fmt.Sprintf("The pages index.html links to, one per kind and one per message thread (%s).", plural(n, "page"))
}

func hasEntry(m *Manifest, name string) bool {
	for _, e := range m.Entries {
		if e.Name == name {
			return true
		}
	}
	return false
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// HumanBytes renders a size in binary units ("1.5 MiB"), the one way the
// export's README, its pages and the import's refusals write a size.
func HumanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return plural(int(n), "byte")
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 4; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTP"[exp])
}
