package ui

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"offboard/account"
)

// benchMessages is the size of the large sample's Messages list.
const (
	benchMessages = 100_000
	benchThreads  = 2_000
)

// BenchmarkMessagesFirstRows times what a person waits for after signing
// in to an account with 100,000 messages: from the moment the workspace is
// built (its lists start loading in the background) and the Messages tab
// is chosen, until the list of conversations shows its rows; then from
// choosing "All messages" until the first message rows show their sender
// and text. ns/op is the sum of both; threads-ms and rows-ms are the two
// parts. heap-MiB is the Go heap the open workspace holds (after a
// collection), the part of the process's memory that grows with the
// account. The account is made once, with cheap key derivation and no
// files (neither matters here).
func BenchmarkMessagesFirstRows(b *testing.B) {
	b.Setenv("LANG", "C.UTF-8")
	a := test.NewTempApp(b)
	store, err := account.Open(b.TempDir(), account.Options{KDF: cheap, LookupKDF: cheap, BcryptCost: 4})
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	const email, password = "bench@example.com", "correct horse battery"
	acct, err := store.SignUp(email, password, "Bench Studio")
	if err != nil {
		b.Fatal(err)
	}
	fillMessages(b, acct)
	acct.Close()

	var threadsTook, rowsTook time.Duration
	var heap uint64
	n := 0
	for b.Loop() {
		b.StopTimer()
		u := New(a, store, "bench")
		queue := make(chan func(), 1<<16)
		u.deliver = func(f func()) { queue <- f }
		u.win.Resize(fyne.NewSize(1100, 720))
		u.win.Show()
		si, err := store.SignIn(email, password)
		if err != nil {
			b.Fatal(err)
		}
		signedIn, err := si.Complete("")
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		b.StartTimer()

		start := time.Now()
		u.signedIn(signedIn)
		w := u.workspace
		w.tabs.SelectIndex(2) // Messages
		waitFor(b, u, queue, func() bool { return rowsShown(w.messages.threads) > 1 })
		threadsAt := time.Now()
		w.messages.threads.Select(0) // All messages
		waitFor(b, u, queue, func() bool { return rowsShown(w.messages.messages) > 0 })
		end := time.Now()

		b.StopTimer()
		threadsTook += threadsAt.Sub(start)
		rowsTook += end.Sub(threadsAt)
		n++
		runtime.GC()
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		if after.HeapAlloc > before.HeapAlloc {
			heap = max(heap, after.HeapAlloc-before.HeapAlloc)
		}
		if shown := rowsShown(w.messages.messages); shown < 5 {
			b.Fatalf("only %d message rows are shown", shown)
		}
		u.win.Close()
		u.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(threadsTook.Milliseconds())/float64(n), "threads-ms")
	b.ReportMetric(float64(rowsTook.Milliseconds())/float64(n), "rows-ms")
	b.ReportMetric(float64(heap)/(1<<20), "heap-MiB")
}

// fillMessages adds benchThreads conversations holding benchMessages
// messages, written in batches as the sample generator does.
func fillMessages(b *testing.B, acct *account.Account) {
	b.Helper()
	sent := time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC)
	err := acct.Update(func(tx *account.Tx) error {
		for i := range benchThreads {
			t := &account.Thread{Freelancer: fmt.Sprintf("Freelancer %d", i%16), Subject: fmt.Sprintf("Project %d", i), Started: sent}
			if err := tx.Put(t); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	const batch = 5000
	for start := 0; start < benchMessages; start += batch {
		err := acct.Update(func(tx *account.Tx) error {
			for i := start; i < start+batch; i++ {
				m := &account.Message{ThreadID: uint64(i%benchThreads + 1), Sender: fmt.Sprintf("Freelancer %d", i%16),
					Sent: sent.Add(time.Duration(i) * time.Minute), Body: "Could you send the revised draft by Friday? Thanks for the update."}
				if err := tx.Put(m); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// waitFor runs the work that background jobs hand to the UI goroutine, as
// fyne.Do does in the app, until done reports true.
func waitFor(b *testing.B, u *UI, queue chan func(), done func() bool) {
	b.Helper()
	deadline := time.Now().Add(time.Minute)
	for !done() {
		select {
		case f := <-queue:
			f()
		case <-time.After(time.Millisecond):
		}
		if time.Now().After(deadline) {
			b.Fatalf("the rows did not appear; %d jobs still running", u.pending.Load())
		}
	}
}

// rowsShown counts the rows of list that are drawn with a title.
func rowsShown(list fyne.Widget) int {
	n := 0
	eachObject(list, func(o fyne.CanvasObject) bool {
		if !o.Visible() {
			return false
		}
		if row, ok := o.(*listRow); ok {
			if row.title.Text != "" {
				n++
			}
			return false
		}
		return true
	})
	return n
}
