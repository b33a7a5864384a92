package account

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"offboard/account/durable"
)

// The account files are data, not settings: settings folders are what people
// keep in dotfiles repositories and sync, and what a Windows domain copies to
// its servers with the roaming profile, where a purge can never reach.
// So Offboard keeps them where each system keeps application data.

// DefaultDir is the per-user application data folder for Offboard:
// $XDG_DATA_HOME/Offboard (by default ~/.local/share/Offboard) on Linux and
// the BSDs, %LocalAppData%\Offboard on Windows, and
// ~/Library/Application Support/Offboard on macOS.
func DefaultDir() (string, error) {
	return defaultDirFor(runtime.GOOS, os.Getenv)
}

// errNoDataHome means the environment names no per-user folder to start from.
var errNoDataHome = errors.New("this system names no per-user application data folder ($HOME or %LocalAppData% is not set); pass --data-dir or set OFFBOARD_DATA_DIR")

func defaultDirFor(goos string, getenv func(string) string) (string, error) {
	switch goos {
	case "windows":
		base := getenv("LocalAppData")
		if base == "" {
			return "", errNoDataHome
		}
		return filepath.Join(base, "Offboard"), nil
	case "darwin", "ios":
		home := getenv("HOME")
		if home == "" {
			return "", errNoDataHome
		}
		return filepath.Join(home, "Library", "Application Support", "Offboard"), nil
	case "plan9":
		home := getenv("home")
		if home == "" {
			return "", errNoDataHome
		}
		return filepath.Join(home, "lib", "Offboard"), nil
	}
	// The XDG base directory rules: a relative $XDG_DATA_HOME is invalid
	// and must be ignored.
	if base := getenv("XDG_DATA_HOME"); filepath.IsAbs(base) {
		return filepath.Join(base, "Offboard"), nil
	}
	home := getenv("HOME")
	if home == "" {
		return "", errNoDataHome
	}
	return filepath.Join(home, ".local", "share", "Offboard"), nil
}

// oldDefaultDir is where Offboard 0.1 kept its data: the settings folder.
func oldDefaultDir() (string, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(base, "Offboard"), nil
}

// DataDirMove says what MoveOldDataDir found and did, for the person to be
// told: the data now lives in To (Moved), or an older folder was left in
// From because To already holds accounts of its own (Left).
type DataDirMove struct {
	From, To string
	Moved    bool
	Left     bool
}

// movingName marks a data folder that a move is filling; it holds the phase
// ("copy" or "remove") and the source folder, so that an interrupted move
// resumes at the next start instead of leaving two half folders.
const movingName = "offboard.moving"

// moveHook runs before each step of a move that changes the disk; tests make
// it fail to stand for a crash at that point.
var moveHook = func(step string) error { return nil }

// renameDir is os.Rename; tests make it fail as it does across filesystems.
var renameDir = os.Rename

// MoveOldDataDir moves the data folder from where Offboard 0.1 kept it (the
// settings folder, os.UserConfigDir) to dir, when dir is the default data
// folder and the old one holds accounts. It does so once: afterwards the old
// folder is gone. Within one filesystem the move is a single rename; across
// filesystems every file is copied, flushed and read back before the old
// folder is removed, and a marker in dir makes an interrupted move resume.
// For any other dir it does nothing.
func MoveOldDataDir(dir string) (DataDirMove, error) {
	def, err := DefaultDir()
	if err != nil || dir == "" || filepath.Clean(dir) != filepath.Clean(def) {
		return DataDirMove{}, nil
	}
	old, err := oldDefaultDir()
	if err != nil || filepath.Clean(old) == filepath.Clean(def) {
		// macOS: the old and the new place are the same folder.
		return DataDirMove{}, nil
	}
	return moveDataDir(old, def)
}

// moveDataDir moves the data folder from to to; see MoveOldDataDir.
func moveDataDir(from, to string) (DataDirMove, error) {
	mv := DataDirMove{From: from, To: to}
	if phase, src, ok := readMoving(to); ok {
		if src != from {
			return mv, fmt.Errorf("the data folder %s is the unfinished copy of %s; move that folder's accounts here by hand, then delete %s", to, src, filepath.Join(to, movingName))
		}
		err := resumeMove(mv, phase)
		mv.Moved = err == nil
		return mv, err
	}
	return startMove(mv)
}

// startMove moves the old folder's accounts, unless it holds none or the
// new folder already holds something of the person's.
func startMove(mv DataDirMove) (DataDirMove, error) {
	from, to := mv.From, mv.To
	has, err := holdsAccounts(from)
	if err != nil || !has {
		return mv, err
	}
	lock, err := lockOld(from)
	if err != nil {
		return mv, err
	}
	defer func() {
		if lock != nil {
			lock.Close()
		}
	}()
	// An empty data folder (created by a start before this one) gives way;
	// one with anything in it is the person's, and both stay as they are.
	if cleared, err := removeEmptyDataDir(to); err != nil || !cleared {
		mv.Left = err == nil
		return mv, err
	}
	return relocate(mv, &lock)
}

// relocate renames the old folder to the new place, or, across
// filesystems, copies it there step by step (finishMove); lock holds the
// old folder, and is closed and taken again where Windows needs that.
func relocate(mv DataDirMove, lock **os.File) (DataDirMove, error) {
	from, to := mv.From, mv.To
	if err := os.MkdirAll(filepath.Dir(to), 0o700); err != nil {
		return mv, fmt.Errorf("create the folder for %s: %w", to, err)
	}
	if err := moveHook("rename"); err != nil {
		return mv, err
	}
	if runtime.GOOS == "windows" {
		// Windows renames no folder with a file open inside it.
		(*lock).Close()
		*lock = nil
	}
	if err := renameDir(from, to); err == nil {
		mv.Moved = true
		return mv, errors.Join(durable.SyncDir(filepath.Dir(to)), durable.SyncDir(filepath.Dir(from)))
	}
	// Another filesystem (or a rename refused for another reason): copy.
	if *lock == nil {
		l, err := lockOld(from)
		if err != nil {
			return mv, err
		}
		*lock = l
	}
	if err := os.MkdirAll(to, 0o700); err != nil {
		return mv, fmt.Errorf("create the data folder %s: %w", to, err)
	}
	if err := writeMoving(to, "copy", from); err != nil {
		return mv, err
	}
	err := finishMove(mv, "copy", lock)
	mv.Moved = err == nil
	return mv, err
}

// resumeMove continues a move that a crash interrupted in phase.
func resumeMove(mv DataDirMove, phase string) error {
	var lock *os.File
	defer func() {
		if lock != nil {
			lock.Close()
		}
	}()
	if phase == "copy" {
		if _, err := os.Stat(filepath.Join(mv.From, accountsDir)); err != nil {
			return fmt.Errorf("the move of the data folder from %s to %s was interrupted and %s is gone; the files in %s may be incomplete: %w", mv.From, mv.To, mv.From, mv.To, err)
		}
		var err error
		if lock, err = lockOld(mv.From); err != nil {
			return err
		}
	}
	return finishMove(mv, phase, &lock)
}

// finishMove copies and checks every file (phase "copy"), then removes the
// old folder and the marker. *lock is the old folder's lock, or nil.
func finishMove(mv DataDirMove, phase string, lock **os.File) error {
	if phase == "copy" {
		if err := copyTree(mv.From, mv.To); err != nil {
			return fmt.Errorf("copy the data folder from %s to %s: %w", mv.From, mv.To, err)
		}
		if err := writeMoving(mv.To, "remove", mv.From); err != nil {
			return err
		}
	}
	if err := moveHook("remove old"); err != nil {
		return err
	}
	if runtime.GOOS == "windows" && *lock != nil {
		// Windows deletes no file that is open.
		(*lock).Close()
		*lock = nil
	}
	if err := os.RemoveAll(mv.From); err != nil {
		return fmt.Errorf("remove the old data folder %s after copying it to %s: %w", mv.From, mv.To, err)
	}
	if err := durable.SyncDir(filepath.Dir(mv.From)); err != nil {
		return fmt.Errorf("remove the old data folder %s: %w", mv.From, err)
	}
	if err := moveHook("remove marker"); err != nil {
		return err
	}
	if err := os.Remove(filepath.Join(mv.To, movingName)); err != nil {
		return fmt.Errorf("finish the move of the data folder: %w", err)
	}
	return durable.SyncDir(mv.To)
}

// holdsAccounts reports whether dir is a data folder with at least one
// account file (or a purge to finish) in it.
func holdsAccounts(dir string) (bool, error) {
	entries, err := os.ReadDir(filepath.Join(dir, accountsDir))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read the data folder %s: %w", dir, err)
	}
	return len(entries) > 0, nil
}

// removeEmptyDataDir removes dir if it holds nothing but what Open creates
// (the lock file and an empty accounts folder), and reports whether dir is
// now free for the move.
func removeEmptyDataDir(dir string) (bool, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("read the data folder %s: %w", dir, err)
	}
	for _, e := range entries {
		if e.Name() != lockName && e.Name() != accountsDir {
			return false, nil
		}
	}
	if has, err := holdsAccounts(dir); err != nil || has {
		return false, err
	}
	if err := os.RemoveAll(dir); err != nil {
		return false, fmt.Errorf("clear the empty data folder %s: %w", dir, err)
	}
	return true, nil
}

// lockOld takes the old folder's lock, so that no Offboard 0.1 still running
// on it writes while it moves.
func lockOld(dir string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(dir, lockName), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open the old data folder's lock: %w", err)
	}
	ok, err := tryLock(f)
	if err != nil || !ok {
		f.Close()
		if err == nil {
			err = ErrAlreadyOpen
		}
		return nil, fmt.Errorf("move the data folder from %s: %w", dir, err)
	}
	return f, nil
}

// readMoving reads dir's move marker, if there is one.
func readMoving(dir string) (phase, from string, ok bool) {
	b, err := os.ReadFile(filepath.Join(dir, movingName))
	if err != nil {
		return "", "", false
	}
	phase, from, _ = strings.Cut(string(b), "\n")
	from = strings.TrimSuffix(from, "\n")
	if phase != "copy" && phase != "remove" {
		// A torn marker can only be from the first write, before any copy.
		phase = "copy"
	}
	return phase, from, true
}

// writeMoving replaces dir's move marker atomically and durably.
func writeMoving(dir, phase, from string) error {
	if err := moveHook("marker " + phase); err != nil {
		return err
	}
	if err := writeFileSynced(filepath.Join(dir, movingName), []byte(phase+"\n"+from+"\n"), 0o600); err != nil {
		return fmt.Errorf("mark the data folder %s as being moved: %w", dir, err)
	}
	return nil
}

// writeFileSynced writes path through a temporary file, flushed, renamed
// into place and the folder flushed: after a crash it is whole or absent.
func writeFileSynced(path string, data []byte, perm fs.FileMode) error {
	return copyFileSynced(path, bytes.NewReader(data), perm)
}

func copyFileSynced(path string, r io.Reader, perm fs.FileMode) error {
	tmp := path + ".part"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	return durable.SyncDir(filepath.Dir(path))
}

// copyTree copies every file of from into to (but the lock), each flushed
// to disk and then read back and compared with its source.
func copyTree(from, to string) error {
	return filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, path)
		if err != nil {
			return err
		}
		dst := filepath.Join(to, rel)
		switch {
		case d.IsDir():
			if err := os.MkdirAll(dst, 0o700); err != nil {
				return err
			}
			return durable.SyncDir(filepath.Dir(dst))
		case rel == lockName || strings.HasSuffix(rel, ".part"):
			return nil
		case !d.Type().IsRegular():
			return fmt.Errorf("%s is not a regular file", path)
		}
		if err := moveHook("copy " + filepath.ToSlash(rel)); err != nil {
			return err
		}
		return copyChecked(path, dst)
	})
}

// copyChecked copies src to dst durably and proves the copy by reading it
// back: a disk that lies about a write shows here, while the source is intact.
func copyChecked(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return err
	}
	h := sha256.New()
	if err := copyFileSynced(dst, io.TeeReader(in, h), st.Mode().Perm()); err != nil {
		return err
	}
	want := h.Sum(nil)
	out, err := os.Open(dst)
	if err != nil {
		return err
	}
	defer out.Close()
	h.Reset()
	if _, err := io.Copy(h, out); err != nil {
		return err
	}
	if !bytes.Equal(h.Sum(nil), want) {
		return fmt.Errorf("the copy of %s reads back different from the original", src)
	}
	return nil
}
