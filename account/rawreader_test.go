package account

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"offboard/account/vault"
)

// rawOpensFile is an attacker's reader that needs no database code: it scans
// the raw bytes of a file for key-slot structures and tries each password
// on each. It returns "file@offset opens with password" for every slot that
// opens. The slot's additional data is the account's ID, the file's name.
func rawOpensFile(t testing.TB, path string, passwords ...string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	id, _, _ := strings.Cut(filepath.Base(path), ".")
	var out []string
	for _, pw := range passwords {
		for _, off := range vault.SlotsOpening(b, []byte(pw), []byte(id)) {
			out = append(out, filepath.Base(path)+"@"+strconv.FormatInt(off, 10)+" opens with "+pw)
		}
	}
	return out
}
