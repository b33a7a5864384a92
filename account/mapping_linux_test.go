package account

import (
	"bufio"
	"io"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
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

// The threads' page counts each thread's messages by walking their keys,
// which maps the leaf pages that hold the messages themselves; it must let
// go of them on the way, as the messages' own pass does, or exporting an
// account maps all its messages at once (for the large sample, 60 MB more
// than the export's budget of memory allows).
func TestThreadsPageLetsGoOfTheMessagesPages(t *testing.T) {
	_, a := newTestAccount(t)
	body := strings.Repeat("The revised draft is attached; the second section changed most. ", 30) // ~2 KB
	const threads, perThread = 20, 1000
	err := a.Update(func(tx *Tx) error {
		for range threads {
			th := &Thread{Freelancer: "Aiko Tanaka", Subject: "Homepage copy", Started: time.Now()}
			if err := tx.Put(th); err != nil {
				return err
			}
			for range perThread {
				if err := tx.Put(&Message{ThreadID: th.ID, Sender: "Aiko Tanaka", Sent: time.Now(), Body: body}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ps, _ := benchPageSet(t, a)
	peak, rows := 0, 0
	err = a.View(func(tx *Tx) error {
		dropMapping(tx.tx)
		return ps.rows(tx, KindThreads, false, func(row) error {
			rows++
			peak = max(peak, mappedKiB(t, a))
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if rows != threads {
		t.Fatalf("%d rows, want %d", rows, threads)
	}
	// 20,000 messages of 2 KB: some 80 MiB of pages when none is let go of.
	if limit := 16 << 10; peak > limit {
		t.Errorf("the threads' page kept %d KiB of the account file mapped; want at most %d", peak, limit)
	}
	t.Logf("at most %d KiB of the account file mapped while counting %d messages", peak, threads*perThread)
}
