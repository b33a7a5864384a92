package account

import (
	"bufio"
	"io"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
)

// mappedKiB is how much of the account file is mapped into this process
// (the Rss of its mapping in /proc/self/smaps).
func mappedKiB(t *testing.T, a *Account) int {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip("no /proc/self/smaps:", err)
	}
	defer f.Close()
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		switch {
		case len(fields) >= 5 && strings.Contains(fields[0], "-"):
			in = len(fields) >= 6 && fields[len(fields)-1] == a.path
		case in && len(fields) == 3 && fields[0] == "Rss:":
			n, _ := strconv.Atoi(fields[1])
			return n
		}
	}
	t.Fatal("the account file is not mapped")
	return 0
}

// Reading a file, or exporting, must not leave the account file's pages
// counted in the process's memory, or a large account makes a large process.
func TestReadsLetGoOfPages(t *testing.T) {
	_, a := newTestAccount(t)
	const size = 32 << 20
	f := File{Name: "big.bin"}
	if err := a.AddFile(&f, io.LimitReader(rand.NewChaCha8([32]byte{}), size)); err != nil {
		t.Fatal(err)
	}
	rc, err := a.OpenFile(f.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := io.Copy(io.Discard, rc); err != nil || n != size {
		t.Fatal(n, err)
	}
	rc.Close()
	if kib := mappedKiB(t, a); kib > 4<<10 {
		t.Errorf("after reading a 32 MiB file, %d KiB of the account file stay mapped", kib)
	}
	if _, err := a.Export(t.Context(), t.TempDir()+"/x.zip", ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	if kib := mappedKiB(t, a); kib > 4<<10 {
		t.Errorf("after an export, %d KiB of the account file stay mapped", kib)
	}
}
