package ui

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"offboard/account"
)

// Opening a file in the system's application needs the file on disk, out
// of the encrypted store. Each Open writes a private copy (0600, in a 0700
// folder of its own) under a folder kept for this data folder, and the
// copies live only as long as the account is open: signing out, switching
// account or closing the window removes them, and whatever a crash left
// behind is removed at the next start. The data folder's lock means no
// other instance uses the same folder meanwhile. See docs/DECISIONS.md.

// openCopiesRoot is the folder for the open copies of the accounts in
// dataDir: in the user's cache folder, named after the data folder so two
// data folders never share it.
func openCopiesRoot(dataDir string) string {
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		abs = dataDir
	}
	sum := sha256.Sum256([]byte(abs))
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	return filepath.Join(base, "offboard", "open-"+hex.EncodeToString(sum[:8]))
}

// removeOpenCopies deletes every copy made for opening. A copy that the
// system's application still holds open (Windows refuses to delete it) is
// left for the next start.
func (u *UI) removeOpenCopies() {
	if u.openRoot != "" {
		_ = os.RemoveAll(u.openRoot)
	}
}

// privateFolder makes a new folder only the user can read, under the root
// for open copies, and checks the root was not planted by someone else.
func (u *UI) privateFolder() (string, error) {
	if err := os.MkdirAll(u.openRoot, 0o700); err != nil {
		return "", fmt.Errorf("make the folder for opened files: %w", err)
	}
	fi, err := os.Lstat(u.openRoot)
	if err != nil {
		return "", err
	}
	if !fi.IsDir() || fi.Mode()&os.ModeSymlink != 0 || (fi.Mode().Perm()&0o077 != 0 && os.PathSeparator == '/') {
		return "", fmt.Errorf("the folder for opened files, %s, is not private to you; remove it and try again", u.openRoot)
	}
	return os.MkdirTemp(u.openRoot, "file-")
}

// openFileCopy writes a private copy of f and hands it to the system's
// application for its type, with progress and Cancel for a large file.
func (u *UI) openFileCopy(acct *account.Account, f account.File, status statusLabel) {
	status.set("", widget.MediumImportance)
	p := u.newProgress(lang.L("Opening a copy"), lang.L("Opening {{.Name}}…", map[string]any{"Name": f.Name}))
	deliver, open := u.deliver, u.openDocument
	u.background(func() func() {
		path, err := u.writeOpenCopy(acct, f, p.ctx, func(fr float64) { deliver(func() { p.set(fr, "") }) })
		if err == nil {
			if oerr := open(path); oerr != nil {
				err = fmt.Errorf("no application opened %s: %w", f.Name, oerr)
			}
		}
		return func() {
			p.finish()
			switch {
			case errors.Is(err, context.Canceled):
				status.set(lang.L("Cancelled; nothing was opened."), widget.MediumImportance)
			case err != nil:
				u.showError(lang.L("The file could not be opened"), err)
			default:
				status.set(lang.L("Opened a private copy. It is removed when you sign out or close Offboard."), widget.SuccessImportance)
			}
		}
	})
}

// writeOpenCopy streams f into a new private folder and returns the copy's
// path; on any failure nothing is left behind.
func (u *UI) writeOpenCopy(acct *account.Account, f account.File, ctx context.Context, report func(float64)) (string, error) {
	dir, err := u.privateFolder()
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, copyName(f.Name))
	err = func() error {
		r, err := acct.OpenFile(f.ID)
		if err != nil {
			return err
		}
		defer r.Close()
		w, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return err
		}
		_, err = io.Copy(w, &ctxReader{ctx: ctx, r: r, on: percentReporter(f.Size, report)})
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		return err
	}()
	if err != nil {
		_ = os.RemoveAll(dir)
		return "", err
	}
	return path, nil
}

// copyName keeps a stored file's name usable on every system: no folders,
// no characters Windows refuses.
func copyName(name string) string {
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || strings.ContainsRune(`/\:*?"<>|`, r) {
			return '_'
		}
		return r
	}, filepath.Base(strings.ReplaceAll(name, `\`, "/")))
	if strings.Trim(name, ". ") == "" {
		return "file"
	}
	return name
}
