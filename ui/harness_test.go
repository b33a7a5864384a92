package ui

import (
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"offboard/account"
	"offboard/account/vault"
)

// The UI tests drive the window the way a person does: they type into the
// fields, press keys and tap the buttons that the screens keep references
// to, then read what the window shows.

// cheap lowers the store's deliberate slowness so that tests run quickly.
var cheap = vault.Params{Time: 1, MemoryKiB: 64, Threads: 1}

// harness is a window on a fresh data folder, on a headless test app.
type harness struct {
	t     *testing.T
	u     *UI
	store *account.Store
	dir   string
	queue chan func()

	mu  sync.Mutex
	now time.Time // the store's clock; tests move it to pass a throttle or a TOTP step

	saved      []string // the names suggested to the save chooser
	savedIn    []string // the folders the save chooser started in ("" for its own)
	saveTo     string   // the folder the save chooser answers with
	openPath   string   // the file the open chooser answers with
	openedDirs []string // the folders shown in the file manager
}

// newHarness is a window in English (see TestMain).
func newHarness(t *testing.T) *harness {
	t.Helper()
	return newHarnessIn(t, "")
}

// newHarnessIn is a window in the language of locale (a value of LANG),
// or in English when locale is "".
func newHarnessIn(t *testing.T, locale string) *harness {
	t.Helper()
	if locale != "" {
		useLocale(t, locale)
	}
	a := test.NewTempApp(t)
	h := &harness{t: t, dir: t.TempDir(), now: time.Date(2025, 6, 11, 9, 30, 0, 0, time.UTC)}
	store, err := account.Open(h.dir, account.Options{KDF: cheap, LookupKDF: cheap, BcryptCost: 4, Now: h.clock})
	if err != nil {
		t.Fatal(err)
	}
	h.store = store
	h.u = New(a, store, "test")
	h.u.scryptWorkFactor = 10 // an export passphrase's scrypt at 2^10, not 2^18
	h.u.purgeMinShown = 0     // TestDeletingIsSeen sets it
	// In the app fyne.Do queues work for the UI goroutine; the test app
	// would run it on the calling goroutine instead, so the harness keeps
	// the queue and runs it on the test's goroutine in settle.
	h.queue = make(chan func(), 1<<16)
	h.u.deliver = func(f func()) { h.queue <- f }
	h.saveTo = t.TempDir()
	h.u.saveFile = func(name, folder string, done func(fyne.URI)) {
		h.saved = append(h.saved, name)
		h.savedIn = append(h.savedIn, folder)
		done(storageURI(h.saveTo, name))
	}
	h.u.openFile = func(_ []string, done func(fyne.URI)) { done(storageURI("", h.openPath)) }
	h.u.openFolder = func(dir string) error { h.openedDirs = append(h.openedDirs, dir); return nil }
	h.u.win.Resize(fyne.NewSize(1100, 720))
	h.u.win.Show()
	t.Cleanup(func() {
		h.settle()
		h.u.Close()
		store.Close()
	})
	return h
}

func (h *harness) clock() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.now
}

// advance moves the store's clock forward.
func (h *harness) advance(d time.Duration) {
	h.mu.Lock()
	h.now = h.now.Add(d)
	h.mu.Unlock()
}

// settle waits until all background work has finished and its results
// have reached the window.
func (h *harness) settle() {
	h.t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		select {
		case f := <-h.queue:
			f()
			continue
		default:
		}
		if h.u.pending.Load() == 0 && len(h.queue) == 0 {
			return
		}
		if time.Now().After(deadline) {
			h.t.Fatal("background work did not finish")
		}
		time.Sleep(time.Millisecond)
	}
}

func (h *harness) canvas() fyne.Canvas { return h.u.win.Canvas() }

// typeInto clicks into e, empties it and types text.
func (h *harness) typeInto(e fyne.Focusable, text string) {
	h.t.Helper()
	h.canvas().Focus(e)
	if w, ok := e.(interface{ SetText(string) }); ok {
		w.SetText("")
	}
	test.Type(e, text)
}

// key presses a key as the driver does: the focused widget gets it, or else
// the window.
func (h *harness) key(name fyne.KeyName) {
	ev := &fyne.KeyEvent{Name: name}
	if f := h.canvas().Focused(); f != nil {
		f.TypedKey(ev)
		return
	}
	if k := h.canvas().OnTypedKey(); k != nil {
		k(ev)
	}
}

// shortcut presses a shortcut as the driver does.
func (h *harness) shortcut(s fyne.Shortcut) {
	if f, ok := h.canvas().Focused().(fyne.Shortcutable); ok {
		f.TypedShortcut(s)
		return
	}
	h.canvas().(fyne.Shortcutable).TypedShortcut(s)
}

// tap taps a button and waits for what it started.
func (h *harness) tap(o fyne.Tappable) {
	h.t.Helper()
	test.Tap(o)
	h.settle()
}

// shown is all the text the window shows now, dialogs included.
func (h *harness) shown() string {
	var b strings.Builder
	collectText(&b, h.canvas().Content())
	for _, o := range h.canvas().Overlays().List() {
		collectText(&b, o)
	}
	return b.String()
}

func collectText(b *strings.Builder, o fyne.CanvasObject) {
	eachObject(o, func(o fyne.CanvasObject) bool {
		if !o.Visible() {
			return false
		}
		switch x := o.(type) {
		case *widget.Label:
			b.WriteString(x.Text + "\n")
		case *canvas.Text:
			b.WriteString(x.Text + "\n")
		case *widget.Button:
			b.WriteString(x.Text + "\n")
		case *button:
			b.WriteString(x.Text + "\n")
		case *widget.Entry, *entry, *selectEntry:
		default:
			return true
		}
		return false
	})
}

// eachObject calls visit with o and, while visit returns true, with what
// o holds: a container's objects or a widget's rendered ones, in order.
func eachObject(o fyne.CanvasObject, visit func(fyne.CanvasObject) bool) {
	if o == nil || !visit(o) {
		return
	}
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			eachObject(c, visit)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			eachObject(c, visit)
		}
	}
}

func (h *harness) expectShown(texts ...string) {
	h.t.Helper()
	got := h.shown()
	for _, s := range texts {
		if !strings.Contains(got, s) {
			h.t.Errorf("the window does not show %q; it shows:\n%s", s, got)
		}
	}
}

// expectNotShown fails if the window shows any of texts.
func (h *harness) expectNotShown(texts ...string) {
	h.t.Helper()
	got := h.shown()
	for _, s := range texts {
		if strings.Contains(got, s) {
			h.t.Errorf("the window shows %q but should not; it shows:\n%s", s, got)
		}
	}
}

// signUp makes an account through the core, as if it already existed.
func (h *harness) signUp(email, password, company string) {
	h.t.Helper()
	a, err := h.store.SignUp(email, password, company)
	if err != nil {
		h.t.Fatal(err)
	}
	a.Close()
}

// signIn signs in through the sign-in screen.
func (h *harness) signIn(email, password string) {
	h.t.Helper()
	s := h.u.signIn
	h.typeInto(s.email, email)
	h.typeInto(s.password, password)
	h.key(fyne.KeyReturn)
	h.settle()
}

// openSample taps Open the sample account and closes the password notice.
func (h *harness) openSample() {
	h.t.Helper()
	h.tap(h.u.signIn.sample)
	if h.u.workspace == nil {
		h.t.Fatalf("the sample account did not open; the window shows:\n%s", h.shown())
	}
	h.u.dismissDialogs()
}

func storageURI(dir, name string) fyne.URI { return storage.NewFileURI(filepath.Join(dir, name)) }

// onScreen reports whether o is the window's content.
func (h *harness) onScreen(o fyne.CanvasObject) bool { return h.canvas().Content() == o }

// dialogs is the number of dialogs open.
func (h *harness) dialogs() int { return len(h.u.dialogs) }

const (
	testEmail    = "ada@example.com"
	testPassword = "correct horse battery"
	testCompany  = "Lovelace Analytics"
)

// testTap taps without waiting for the work it starts.
func testTap(o fyne.Tappable) { test.Tap(o) }

// step runs one stage of a longer walk as the subtest name: the harness's
// checks report to that subtest while it runs. It says whether the stage
// passed, so that a walk can stop where it went wrong.
func (h *harness) step(t *testing.T, name string, fn func(t *testing.T)) bool {
	t.Helper()
	return t.Run(name, func(t *testing.T) {
		parent := h.t
		h.t = t
		defer func() { h.t = parent }()
		fn(t)
	})
}
