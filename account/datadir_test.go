package account

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

func TestDefaultDirFollowsEachSystem(t *testing.T) {
	cases := []struct {
		goos string
		env  map[string]string
		want string
	}{
		{"linux", map[string]string{"HOME": "/home/ann"}, filepath.Join("/home/ann", ".local", "share", "Offboard")},
		{"linux", map[string]string{"HOME": "/home/ann", "XDG_DATA_HOME": "/data/ann"}, filepath.Join("/data/ann", "Offboard")},
		// A relative XDG_DATA_HOME is invalid by the XDG rules.
		{"linux", map[string]string{"HOME": "/home/ann", "XDG_DATA_HOME": "rel"}, filepath.Join("/home/ann", ".local", "share", "Offboard")},
		{"freebsd", map[string]string{"HOME": "/home/ann"}, filepath.Join("/home/ann", ".local", "share", "Offboard")},
		{"windows", map[string]string{"LocalAppData": `C:\Users\ann\AppData\Local`, "AppData": `C:\Users\ann\AppData\Roaming`}, filepath.Join(`C:\Users\ann\AppData\Local`, "Offboard")},
		{"darwin", map[string]string{"HOME": "/Users/ann"}, filepath.Join("/Users/ann", "Library", "Application Support", "Offboard")},
	}
	for _, c := range cases {
		got, err := defaultDirFor(c.goos, func(k string) string { return c.env[k] })
		if err != nil || got != c.want {
			t.Errorf("%s %v: got %q, %v; want %q", c.goos, c.env, got, err, c.want)
		}
	}
	for _, goos := range []string{"linux", "windows", "darwin"} {
		if _, err := defaultDirFor(goos, func(string) string { return "" }); err == nil {
			t.Errorf("%s with no environment: no error", goos)
		}
	}
}

// oldDataDir makes a 0.1 data folder with one real account and a stray file,
// and returns the contents of every file in it but the lock.
func oldDataDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	s, err := Open(dir, fastOptions())
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.SignUp("owner@example.com", "correct-horse-9", "Acme Ltd")
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	s.Close()
	if err := os.WriteFile(filepath.Join(dir, accountsDir, "zz"+purgingExt), []byte("a purge to finish"), 0o600); err != nil {
		t.Fatal(err)
	}
	return treeContents(t, dir)
}

func treeContents(t *testing.T, dir string) map[string]string {
	t.Helper()
	got := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == lockName {
			return err
		}
		b, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		got[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// assertMoved checks that to holds exactly want, from is gone, no marker is
// left, and the account signs in from the new place.
func assertMoved(t *testing.T, from, to string, want map[string]string) {
	t.Helper()
	if _, err := os.Stat(from); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("old folder still there: %v", err)
	}
	got := treeContents(t, to)
	if len(got) != len(want) {
		t.Fatalf("moved %d files, want %d: %v", len(got), len(want), keys(got))
	}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("%s differs after the move", k)
		}
	}
	s := openTestStore(t, to, fastOptions())
	signIn(t, s, "owner@example.com", "correct-horse-9")
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestMoveDataDirRenamesOnOneFilesystem(t *testing.T) {
	root := t.TempDir()
	from, to := filepath.Join(root, "config", "Offboard"), filepath.Join(root, "share", "Offboard")
	want := oldDataDir(t, from)
	mv, err := moveDataDir(from, to)
	if err != nil || !mv.Moved || mv.Left {
		t.Fatalf("got %+v, %v", mv, err)
	}
	assertMoved(t, from, to, want)
	// Once: a second start finds nothing to move.
	mv, err = moveDataDir(from, to)
	if err != nil || mv.Moved || mv.Left {
		t.Fatalf("second run: %+v, %v", mv, err)
	}
}

// crossDevice makes every folder rename fail the way it does between two
// filesystems, so the move copies.
func crossDevice(t *testing.T) {
	renameDir = func(oldpath, newpath string) error {
		return &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: syscall.EXDEV}
	}
	t.Cleanup(func() { renameDir = os.Rename })
}

func TestMoveDataDirCopiesAcrossFilesystems(t *testing.T) {
	crossDevice(t)
	root := t.TempDir()
	from, to := filepath.Join(root, "config", "Offboard"), filepath.Join(root, "share", "Offboard")
	want := oldDataDir(t, from)
	// A folder an earlier start left empty gives way.
	openTestStore(t, to, fastOptions()).Close()
	mv, err := moveDataDir(from, to)
	if err != nil || !mv.Moved || mv.Left {
		t.Fatalf("got %+v, %v", mv, err)
	}
	assertMoved(t, from, to, want)
	if st, err := os.Stat(filepath.Join(to, accountsDir)); err != nil || st.Mode().Perm() != 0o700 {
		t.Fatalf("accounts folder: %v, %v", st, err)
	}
}

// TestMoveDataDirResumesAfterEveryInterruption stops the move at each step
// in turn, as a crash there would, then starts again: every time the data
// ends up whole in the new place, once, and the old folder is gone.
func TestMoveDataDirResumesAfterEveryInterruption(t *testing.T) {
	for _, across := range []bool{false, true} {
		for k := 0; ; k++ {
			if across {
				crossDevice(t)
			}
			root := t.TempDir()
			from, to := filepath.Join(root, "config", "Offboard"), filepath.Join(root, "share", "Offboard")
			want := oldDataDir(t, from)
			crash := errors.New("crash")
			steps := 0
			var at string
			moveHook = func(step string) error {
				steps++
				if steps > k {
					at = step
					return crash
				}
				return nil
			}
			_, err := moveDataDir(from, to)
			moveHook = func(string) error { return nil }
			if err == nil {
				assertMoved(t, from, to, want)
				t.Logf("across filesystems %v: %d steps, each interrupted once", across, k)
				if across && k < 5 || k < 1 {
					t.Fatalf("only %d steps", k)
				}
				break
			}
			if !errors.Is(err, crash) {
				t.Fatalf("step %d (%s): %v", k, at, err)
			}
			// Nothing lost while interrupted: the whole data is in one of
			// the two places.
			if _, err := os.Stat(filepath.Join(from, accountsDir)); err != nil {
				if _, err := os.Stat(filepath.Join(to, accountsDir)); err != nil {
					t.Fatalf("after %s neither folder holds the accounts", at)
				}
			}
			mv, err := moveDataDir(from, to)
			if err != nil {
				t.Fatalf("resuming after %s: %v", at, err)
			}
			if mv.Left {
				t.Fatalf("resuming after %s left the old folder", at)
			}
			assertMoved(t, from, to, want)
		}
	}
}

func TestMoveDataDirLeavesBothWhenTheNewPlaceHasAccounts(t *testing.T) {
	root := t.TempDir()
	from, to := filepath.Join(root, "config", "Offboard"), filepath.Join(root, "share", "Offboard")
	wantOld := oldDataDir(t, from)
	wantNew := oldDataDir(t, to)
	mv, err := moveDataDir(from, to)
	if err != nil || mv.Moved || !mv.Left {
		t.Fatalf("got %+v, %v", mv, err)
	}
	for dir, want := range map[string]map[string]string{from: wantOld, to: wantNew} {
		got := treeContents(t, dir)
		for k, v := range want {
			if got[k] != v {
				t.Fatalf("%s: %s changed", dir, k)
			}
		}
	}
}

func TestMoveDataDirWaitsForARunningOffboard(t *testing.T) {
	root := t.TempDir()
	from, to := filepath.Join(root, "config", "Offboard"), filepath.Join(root, "share", "Offboard")
	oldDataDir(t, from)
	openTestStore(t, from, fastOptions())
	_, err := moveDataDir(from, to)
	if !errors.Is(err, ErrAlreadyOpen) {
		t.Fatalf("got %v, want ErrAlreadyOpen", err)
	}
	if _, err := os.Stat(to); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the new folder was made: %v", err)
	}
}

func TestMoveDataDirRefusesAnotherSourcesCopy(t *testing.T) {
	root := t.TempDir()
	to := filepath.Join(root, "share", "Offboard")
	if err := os.MkdirAll(to, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := writeFileSynced(filepath.Join(to, movingName), []byte("copy\n/elsewhere\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := moveDataDir(filepath.Join(root, "config", "Offboard"), to)
	if err == nil || !strings.Contains(err.Error(), "/elsewhere") {
		t.Fatalf("got %v", err)
	}
}

// TestMoveOldDataDirMovesFromTheSettingsFolder runs the public entry point on
// the real Linux locations, redirected into a temporary home.
func TestMoveOldDataDirMovesFromTheSettingsFolder(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the XDG variables are Linux's")
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("XDG_DATA_HOME", "")
	from := filepath.Join(home, ".config", "Offboard")
	want := oldDataDir(t, from)
	// Another folder than the default: nothing happens.
	if mv, err := MoveOldDataDir(filepath.Join(home, "elsewhere")); err != nil || mv.Moved || mv.Left {
		t.Fatalf("other folder: %+v, %v", mv, err)
	}
	def, err := DefaultDir()
	if err != nil || def != filepath.Join(home, ".local", "share", "Offboard") {
		t.Fatalf("DefaultDir: %q, %v", def, err)
	}
	mv, err := MoveOldDataDir(def)
	if err != nil || !mv.Moved || mv.From != from || mv.To != def {
		t.Fatalf("got %+v, %v", mv, err)
	}
	assertMoved(t, from, def, want)
}
