package account

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"offboard/account/vault"
)

// rawOpens is an attacker's reader that needs no database code: it scans the
// raw bytes of every file in the accounts folder for key-slot structures and
// tries each password on each. It returns "file@offset" for every slot that
// opens. The slot's additional data is the account's ID, which is the file's
// name.
func rawOpens(t testing.TB, dir string, passwords ...string) []string {
	t.Helper()
	ents, err := os.ReadDir(filepath.Join(dir, accountsDir))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		path := filepath.Join(dir, accountsDir, e.Name())
		out = append(out, rawOpensFile(t, path, passwords...)...)
	}
	return out
}

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
