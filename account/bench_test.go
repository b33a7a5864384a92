package account

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
	"golang.org/x/crypto/chacha20poly1305"

	"offboard/account/vault"
)

// BenchmarkSignIn is a real sign-in at the real costs: the email lookup
// (Argon2id 19 MiB), bcrypt at cost 12 and the key slot (Argon2id 64 MiB).
func BenchmarkSignIn(b *testing.B) {
	s := openTestStore(b, b.TempDir(), Options{})
	a, err := s.SignUp("bench@example.com", "correct-horse-9", "Bench")
	if err != nil {
		b.Fatal(err)
	}
	a.Close()
	for b.Loop() {
		si, err := s.SignIn("bench@example.com", "correct-horse-9")
		if err != nil {
			b.Fatal(err)
		}
		si.Cancel()
	}
}

// BenchmarkArgon2idKeySlot and BenchmarkBcrypt time the two halves alone.
func BenchmarkArgon2idKeySlot(b *testing.B) {
	slot, _ := vault.Wrap([]byte("pw"), vault.NewDataKey(), nil, vault.DefaultParams)
	for b.Loop() {
		slot.Unwrap([]byte("pw"), nil)
	}
}

func BenchmarkBcrypt(b *testing.B) {
	h, _ := bcrypt.GenerateFromPassword([]byte("pw"), DefaultBcryptCost)
	for b.Loop() {
		bcrypt.CompareHashAndPassword(h, []byte("pw"))
	}
}

func benchRecord() *Message {
	return &Message{ThreadID: 7, Sender: "Aiko Tanaka", Body: "Thanks for the update, this looks great. Could you send the revised draft by Friday?", Attachments: []uint64{3}}
}

// BenchmarkRecordPut is one sealed record written per transaction (fsync
// each time); BenchmarkRecordPutBatch writes 1,000 per transaction.
func BenchmarkRecordPut(b *testing.B) {
	_, a := newTestAccount(b)
	for b.Loop() {
		m := benchRecord()
		if err := a.Put(m); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRecordPutBatch(b *testing.B) {
	_, a := newTestAccount(b)
	b.ReportMetric(1000, "records/op")
	for b.Loop() {
		err := a.Update(func(tx *Tx) error {
			for range 1000 {
				if err := tx.Put(benchRecord()); err != nil {
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

// BenchmarkRecordOpen decrypts and decodes one stored record.
func BenchmarkRecordOpen(b *testing.B) {
	_, a := newTestAccount(b)
	m := benchRecord()
	a.Put(m)
	b.ResetTimer()
	for b.Loop() {
		a.View(func(tx *Tx) error {
			_, err := tx.MessageAt(m.ThreadID, m.ID)
			return err
		})
	}
}

// BenchmarkSealRecord and BenchmarkOpenRecord are the crypto alone.
func BenchmarkSealRecord(b *testing.B) {
	s, _ := vault.NewSealer(vault.NewDataKey())
	plain := bytes.Repeat([]byte("x"), 256)
	ad := recordAD([]byte(KindMessages), be64(1))
	buf := make([]byte, 0, 512)
	b.SetBytes(int64(len(plain)))
	for b.Loop() {
		buf = s.Seal(buf[:0], plain, ad)
	}
}

func BenchmarkOpenRecord(b *testing.B) {
	s, _ := vault.NewSealer(vault.NewDataKey())
	plain := bytes.Repeat([]byte("x"), 256)
	ad := recordAD([]byte(KindMessages), be64(1))
	sealed := s.Seal(nil, plain, ad)
	buf := make([]byte, 0, 512)
	b.SetBytes(int64(len(plain)))
	for b.Loop() {
		var err error
		if buf, err = s.Open(buf[:0], sealed, ad); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFileWrite and BenchmarkFileRead stream 64 MiB through the chunked
// file store; BenchmarkAEADRaw is XChaCha20-Poly1305 on 64 KiB chunks with
// nothing else, the ceiling for both.
func BenchmarkFileWrite(b *testing.B) {
	_, a := newTestAccount(b)
	const size = 64 << 20
	b.SetBytes(size)
	for b.Loop() {
		f := File{Name: "bench.bin"}
		if err := a.AddFile(&f, io.LimitReader(rand.NewChaCha8([32]byte{}), size)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFileRead(b *testing.B) {
	_, a := newTestAccount(b)
	const size = 64 << 20
	f := File{Name: "bench.bin"}
	if err := a.AddFile(&f, io.LimitReader(rand.NewChaCha8([32]byte{}), size)); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size)
	b.ResetTimer()
	for b.Loop() {
		rc, _ := a.OpenFile(f.ID)
		if n, err := io.Copy(io.Discard, rc); err != nil || n != size {
			b.Fatal(n, err)
		}
	}
}

func BenchmarkAEADRaw(b *testing.B) {
	aead, _ := chacha20poly1305.NewX(vault.NewDataKey())
	nonce := make([]byte, chacha20poly1305.NonceSizeX)
	chunk := make([]byte, vault.ChunkSize)
	out := make([]byte, 0, vault.ChunkSize+aead.Overhead())
	b.SetBytes(vault.ChunkSize)
	for b.Loop() {
		out = aead.Seal(out[:0], nonce, chunk, nil)
	}
}

// BenchmarkAEADRawOpen is the ceiling of one core for reading: opening
// (checking and decrypting) 64 KiB chunks. BenchmarkAEADRawOpenAllCores
// opens on every core at once, the ceiling for BenchmarkFileRead, which
// opens a batch of chunks in parallel.
func BenchmarkAEADRawOpen(b *testing.B) {
	aead, _ := chacha20poly1305.NewX(vault.NewDataKey())
	nonce := make([]byte, chacha20poly1305.NonceSizeX)
	sealed := aead.Seal(nil, nonce, make([]byte, vault.ChunkSize), nil)
	out := make([]byte, 0, vault.ChunkSize)
	b.SetBytes(vault.ChunkSize)
	for b.Loop() {
		var err error
		if out, err = aead.Open(out[:0], nonce, sealed, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSHA256Raw is SHA-256 on one core with nothing else: an export
// hashes all of its bytes twice (the file's checksum beside the write, and
// every entry read back against the manifest), so it is, with the AEAD's
// ceiling, what bounds an export from below (see scripts/bench.sh, "floor").
func BenchmarkSHA256Raw(b *testing.B) {
	block := make([]byte, 1<<20)
	h := sha256.New()
	b.SetBytes(int64(len(block)))
	for b.Loop() {
		h.Write(block)
	}
}

func BenchmarkAEADRawOpenAllCores(b *testing.B) {
	aead, _ := chacha20poly1305.NewX(vault.NewDataKey())
	nonce := make([]byte, chacha20poly1305.NonceSizeX)
	sealed := aead.Seal(nil, nonce, make([]byte, vault.ChunkSize), nil)
	b.SetBytes(vault.ChunkSize)
	b.RunParallel(func(pb *testing.PB) {
		out := make([]byte, 0, vault.ChunkSize)
		for pb.Next() {
			var err error
			if out, err = aead.Open(out[:0], nonce, sealed, nil); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkExportSmall is a whole plain export of the small sample, written
// and verified.
func BenchmarkExportSmall(b *testing.B) {
	_, a := sampleAccount(b)
	dir := b.TempDir()
	for b.Loop() {
		if _, err := a.Export(context.Background(), filepath.Join(dir, "x.zip"), ExportOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExportAccount is the export of an existing account, as the
// window makes it for an owner who is signed in: written, flushed to disk,
// moved into place, read back and verified. It is for scripts/bench.sh,
// which points OFFBOARD_BENCH_DATA at the data folder of a sample
// (`offboard sample`) and, for an encrypted export, OFFBOARD_BENCH_PASSPHRASE
// at a passphrase; without them it is skipped. Signing in is not timed (it
// has a benchmark of its own), nor is the checksum that is computed after
// the export has verified; that is reported as checksum-s.
func BenchmarkExportAccount(b *testing.B) {
	dir := os.Getenv("OFFBOARD_BENCH_DATA")
	if dir == "" {
		b.Skip("OFFBOARD_BENCH_DATA names no sample's data folder")
	}
	s, err := Open(dir, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	si, err := s.SignIn(SampleEmail, SamplePassword)
	if err != nil {
		b.Fatal(err)
	}
	a, err := si.Complete("")
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	out := filepath.Join(b.TempDir(), "export.zip")
	opt := ExportOptions{Passphrase: os.Getenv("OFFBOARD_BENCH_PASSPHRASE")}
	var sum time.Duration
	b.ResetTimer()
	for b.Loop() {
		res, err := a.Export(context.Background(), out, opt)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		t0 := time.Now()
		if _, err := res.SHA256(); err != nil {
			b.Fatal(err)
		}
		sum += time.Since(t0)
		if err := os.Remove(out); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(sum.Seconds()/float64(b.N), "checksum-s")
}

// threadsAccount is an account of 20 threads of 50 messages each (1,000
// messages, the body of the large sample's length) and 100 invoices of 10
// contracts, for the benchmarks of the export's pages and PDFs.
func threadsAccount(b *testing.B) *Account {
	_, a := newTestAccount(b)
	err := a.Update(func(tx *Tx) error {
		for c := range 10 {
			ct := &Contract{Freelancer: "Aiko Tanaka", Title: fmt.Sprintf("Brand refresh, part %d", c+1), Type: Hourly,
				Rate: Money{Cents: 6500, Currency: "USD"}, Status: ContractActive, Start: time.Now()}
			if err := tx.Put(ct); err != nil {
				return err
			}
			for i := range 10 {
				if err := tx.Put(&Invoice{Number: fmt.Sprintf("INV-%04d", c*10+i+1), Date: time.Now(), Due: time.Now(),
					Amount: Money{Cents: 125000, Currency: "USD"}, Status: InvoicePaid, Paid: time.Now(), ContractID: ct.ID}); err != nil {
					return err
				}
			}
		}
		for range 20 {
			th := &Thread{Freelancer: "Aiko Tanaka", Subject: "Homepage copy", Started: time.Now()}
			if err := tx.Put(th); err != nil {
				return err
			}
			for range 50 {
				m := benchRecord()
				m.ThreadID = th.ID
				m.Sent = time.Now()
				if err := tx.Put(m); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return a
}

// benchPageSet is the page set of an export of a, and a discarding opener.
func benchPageSet(tb testing.TB, a *Account) (*pageSet, func(string) (io.Writer, error)) {
	counts, err := a.exportCounts()
	if err != nil {
		tb.Fatal(err)
	}
	ps := &pageSet{a: a, company: "Bench", createdAt: time.Now(), created: "now", counts: counts, filePath: map[uint64]string{}}
	return ps, func(string) (io.Writer, error) { return io.Discard, nil }
}

// BenchmarkExportMessages is the threads' and messages' part of an export,
// per 1,000 messages: messages.json, threads.json and every page, as the
// export makes them (one-pass: each message decrypted once, its thread's
// page written as it goes by) and as its fallback does (two-pass: the
// pages walk the messages again). cpu-ms is user and system time of the
// whole process per operation.
func BenchmarkExportMessages(b *testing.B) {
	a := threadsAccount(b)
	for _, mode := range []string{"one-pass", "two-pass"} {
		b.Run(mode, func(b *testing.B) {
			ps, discard := benchPageSet(b, a)
			side := discard
			if mode == "two-pass" {
				side = nil
			}
			cpu := startCPU()
			for b.Loop() {
				for _, k := range []Kind{KindThreads, KindMessages} {
					if _, err := a.writeKind(discard, side, k, ps, nil); err != nil {
						b.Fatal(err)
					}
				}
			}
			cpu.report(b)
		})
	}
}

// BenchmarkInvoicePDF is one invoice's PDF, per invoice, of 100.
func BenchmarkInvoicePDF(b *testing.B) {
	a := threadsAccount(b)
	ps, discard := benchPageSet(b, a)
	cpu := startCPU()
	for b.Loop() {
		if err := ps.writeInvoicePDFs(discard); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/100, "µs/invoice")
	cpu.report(b)
}
