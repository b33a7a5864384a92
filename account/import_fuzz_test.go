package account

import (
	"context"
	"path/filepath"
	"testing"

	"offboard/account/archive"
)

// FuzzImport feeds arbitrary bytes as one kind's list inside an otherwise
// valid export (so the manifest check passes and the decoder is reached):
// Import must return an error or bring in only valid items, never panic.
func FuzzImport(f *testing.F) {
	f.Add(uint8(1), []byte(`[{"title":"x","type":"fixed","status":"open","budget":{"cents":5,"currency":"USD"}}]`))
	f.Add(uint8(4), []byte(`[{"thread_id":1,"sender":"a","body":"b","attachments":[1,99]}]`))
	f.Add(uint8(5), []byte(`[{"id":1,"name":"a.txt","path":"files/0001-a.txt","size":3}]`))
	f.Add(uint8(0), []byte(`[`))
	f.Add(uint8(2), []byte(`{}`))
	s := openTestStore(f, f.TempDir(), fastOptions())
	a, err := s.SignUp("fuzz@example.com", "correct-horse-9", "Fuzz")
	if err != nil {
		f.Fatal(err)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		fuzzed := Kinds[int(which)%len(Kinds)]
		path := filepath.Join(dir, "fuzz.zip")
		w, err := archive.Create(context.Background(), path, archive.Options{AccountID: "0123456789abcdef0123456789abcdef"})
		if err != nil {
			t.Fatal(err)
		}
		defer w.Abort()
		for _, k := range Kinds {
			ew, err := w.Entry(string(k) + ".json")
			if err != nil {
				t.Fatal(err)
			}
			if k == fuzzed {
				ew.Write(data)
			} else {
				ew.Write([]byte("[]\n"))
			}
		}
		ew, _ := w.Entry("files/0001-a.txt")
		ew.Write([]byte("abc"))
		if _, err := w.Commit(); err != nil {
			t.Fatal(err)
		}
		a.Import(context.Background(), path, "", nil)
		if err := a.Check(); err != nil {
			t.Fatalf("import left the account unreadable: %v", err)
		}
	})
}
