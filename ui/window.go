// Package ui is Offboard's window: every screen gets its data and actions
// from package account and keeps no business rule of its own.
//
// Everything here runs on Fyne's UI goroutine except the work handed to
// (*UI).background, whose results reach the widgets only through fyne.Do.
package ui

import (
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"

	"offboard/account"
)

// Options are what the program learnt before the window opened and the
// window shows.
type Options struct {
	// Version is the program's version, for the About text and exports.
	Version string
	// Moved says what opening the data folder did with the folder where
	// Offboard 0.1 kept the data; the window tells the person, once.
	Moved account.DataDirMove
}

// Run opens the window of app a on the open data folder store and returns
// once the window is closed and the signed-in account, if any, is closed.
// The caller made both a and store, and closes store afterwards.
func Run(a fyne.App, store *account.Store, opt Options) {
	u := New(a, store, opt.Version)
	u.showDataDirMove(opt.Moved)
	u.win.ShowAndRun()
	u.Close()
}

// UI is Offboard's window and the screens shown in it. Its methods must be
// called on the UI goroutine.
type UI struct {
	// OnDeactivate runs the account-closure sequence: the Account tab's
	// Deactivate Account button calls it with the window and the signed-in
	// account. New sets it to Offboard's own sequence of dialogs (see
	// closure.go); tests may replace it. The sequence calls done once the
	// account has been purged; done returns the window to the sign-in screen.
	// If the user keeps the account, the sequence simply does not call done.
	OnDeactivate func(w fyne.Window, acct *account.Account, done func())

	app     fyne.App
	win     fyne.Window
	store   *account.Store
	version string
	prefs   prefs

	acct    *account.Account // the signed-in account; nil on the sign-in screens
	profile account.Profile  // acct's profile as last read or saved

	signIn    *signInScreen
	signUp    *signUpScreen
	workspace *workspace
	settings  *settingsPane

	dialogs    []dialog.Dialog    // open dialogs, newest last, for Escape
	fileDialog *dialog.FileDialog // the open file chooser, if any
	// fileOverlay is the open file chooser's overlay when Fyne drew it;
	// another overlay above it is a question the chooser asked (Overwrite?).
	fileOverlay fyne.CanvasObject
	closure     *closureFlow // the deactivation sequence while it runs

	// scryptWorkFactor is the log2 cost of an export passphrase's scrypt;
	// zero is age's default. Only tests lower it, to run quickly.
	scryptWorkFactor int

	// foreground is whether the window has the focus (see notify.go);
	// notifyAfter is how long an export must run for its end to be
	// announced while it has not.
	foreground  atomic.Bool
	notifyAfter time.Duration

	// clipboardClear is how long copied recovery codes stay on the
	// clipboard (see copySecret); tests shorten it.
	clipboardClear time.Duration

	// pending counts background jobs whose result has not been handed to
	// deliver yet; deliver is fyne.Do. Tests replace deliver with a queue
	// they run on their own goroutine, which is what fyne.Do does in the
	// real app, and wait for pending to drop to zero before they look.
	pending atomic.Int64
	deliver func(func())

	// The file choosers and the file manager; see filedialogs.go.
	saveFile   func(name, folder string, done func(fyne.URI))
	openFile   func(extensions []string, done func(fyne.URI))
	openFolder func(path string) error
	// now is the clock of the sign-in countdown, after runs f on the UI
	// goroutine once d has passed; tests replace both.
	now   func() time.Time
	after func(d time.Duration, f func())
	// folderFailed is the last "could not open the folder" dialog.
	folderFailed *folderFailedDialog

	// openDocument opens a file in the system's application for its type;
	// openRoot is where the private copies it opens are kept (see
	// open_copy.go).
	openDocument func(path string) error
	openRoot     string

	// purgeMinShown is how long the Deleting step stays at least, so that
	// a person sees the erasing happen (tests shorten it).
	purgeMinShown time.Duration
}

// New builds the window on a and shows the sign-in screen. The caller shows
// the window (Run calls ShowAndRun) and calls Close when it is gone.
func New(a fyne.App, store *account.Store, version string) *UI {
	loadTranslations()
	u := &UI{app: a, store: store, version: version, prefs: prefs{a.Preferences()}, deliver: fyne.Do, openFolder: showInFolder, notifyAfter: defaultNotifyAfter, clipboardClear: clipboardClearAfter, purgeMinShown: 1500 * time.Millisecond}
	u.watchForeground()
	u.saveFile, u.openFile = u.chooseSaveFile, u.chooseOpenFile
	useSaveChooserRepository()
	u.now = time.Now
	u.after = func(d time.Duration, f func()) { time.AfterFunc(d, func() { u.deliver(f) }) }
	// Copies opened before a crash are removed now; this data folder is
	// locked to this instance, so no one else is using them.
	u.openDocument, u.openRoot = showInFolder, openCopiesRoot(store.Dir())
	u.removeOpenCopies()
	u.OnDeactivate = func(_ fyne.Window, acct *account.Account, done func()) { u.startClosure(acct, done) }
	a.Settings().SetTheme(newTheme(u.prefs.theme()))
	u.win = a.NewWindow(lang.L("Offboard"))
	u.win.Resize(u.prefs.windowSize())
	u.win.SetOnClosed(func() { u.prefs.setWindowSize(u.win.Canvas().Size()) })
	u.win.Canvas().SetOnTypedKey(u.typedKey)
	u.win.Canvas().AddShortcut(settingsShortcut, func(fyne.Shortcut) { u.openSettingsShortcut() })
	u.win.Canvas().AddShortcut(nextTabShortcut, func(fyne.Shortcut) { u.stepTab(1) })
	u.win.Canvas().AddShortcut(previousTabShortcut, func(fyne.Shortcut) { u.stepTab(-1) })
	for i, s := range tabShortcuts {
		u.win.Canvas().AddShortcut(s, func(fyne.Shortcut) { u.selectTab(i) })
	}
	u.signIn = newSignInScreen(u)
	u.signUp = newSignUpScreen(u)
	u.showSignIn("", "")
	return u
}

// Window is Offboard's main window.
func (u *UI) Window() fyne.Window { return u.win }

// Account is the signed-in account, or nil when no one is signed in.
func (u *UI) Account() *account.Account { return u.acct }

// SignOut closes the signed-in account, if any, and shows the sign-in
// screen.
func (u *UI) SignOut() {
	u.closeAccount()
	u.showSignIn("", "")
}

// Close closes the signed-in account; call it once the window is gone.
// It first cancels what is still running (an export, a copy) and gives it a
// few seconds to clean up after itself.
func (u *UI) Close() {
	u.abandonClosure()
	u.dismissDialogs()
	for deadline := time.Now().Add(closeGrace); u.pending.Load() > 0 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	u.closeAccount()
}

// closeGrace bounds how long Close waits for cancelled work.
const closeGrace = 5 * time.Second

func (u *UI) closeAccount() {
	u.abandonClosure()
	u.dismissDialogs()
	if u.workspace != nil {
		u.workspace.close()
	}
	if u.acct != nil {
		// A purged account is already closed; there is nothing left to report.
		_ = u.acct.Close()
	}
	u.acct, u.profile, u.workspace, u.settings = nil, account.Profile{}, nil, nil
	showTimesIn("")
	u.removeOpenCopies()
}

// background runs work off the UI goroutine — Argon2id, bcrypt and reading
// many records take long enough to freeze the window — and then runs the
// function work returns, if any, on the UI goroutine.
func (u *UI) background(work func() (apply func())) {
	u.pending.Add(1)
	go func() {
		defer u.pending.Add(-1)
		if apply := work(); apply != nil {
			u.deliver(apply)
		}
	}()
}

// deactivated returns the window to the sign-in screen once the closure
// sequence has purged the signed-in account.
func (u *UI) deactivated() {
	u.closeAccount()
	u.showSignIn("", lang.L("Your account was deactivated. You can create a new account with the same email at any time."))
}

// setContent shows c as the window's content. The field that has the focus
// is told it lost it first: the toolkit does not, and a field left thinking
// it has the focus draws its outline when its screen is shown again, beside
// the one that really has it.
func (u *UI) setContent(c fyne.CanvasObject) {
	u.win.Canvas().Unfocus()
	u.win.SetContent(c)
}

// showSignIn shows the sign-in screen with email filled in and notice,
// if any, above the form. While an account is still open (the user chose
// Switch account) the screen offers the way back to it.
func (u *UI) showSignIn(email, notice string) {
	u.dismissDialogs()
	u.settings = nil
	u.win.SetTitle(lang.L("Offboard"))
	u.signIn.reset(email, notice, u.acct)
	u.setContent(u.signIn.content)
	u.signIn.focus()
}

func (u *UI) showSignUp() {
	u.signUp.reset()
	u.setContent(u.signUp.content)
	u.signUp.focus()
}

// signedIn makes acct the current account, closing the one it replaces,
// and shows its workspace.
func (u *UI) signedIn(acct *account.Account) {
	if u.acct != nil && u.acct != acct {
		u.closeAccount()
	}
	p, err := acct.Profile()
	if err != nil {
		_ = acct.Close()
		u.showSignIn("", "")
		u.showError(lang.L("The account could not be opened"), err)
		return
	}
	u.acct, u.profile = acct, p
	showTimesIn(p.TimeZone)
	u.workspace = newWorkspace(u, acct)
	u.showWorkspace()
}

func (u *UI) showWorkspace() {
	if u.workspace == nil {
		return
	}
	u.settings = nil
	u.win.SetTitle(u.profile.Company + " — " + lang.L("Offboard"))
	u.setContent(u.workspace.content)
}

// showSettings opens the Settings pane on the tab with the given title
// (the first tab when empty).
func (u *UI) showSettings(tab string) {
	if u.acct == nil {
		return
	}
	u.dismissDialogs()
	u.settings = newSettingsPane(u, u.acct)
	u.win.SetTitle(lang.L("Settings") + " — " + u.profile.Company + " — " + lang.L("Offboard"))
	u.setContent(u.settings.content)
	u.settings.selectTab(tab)
}

// profileChanged shows a saved profile everywhere it appears.
func (u *UI) profileChanged(p account.Profile) {
	u.profile = p
	showTimesIn(p.TimeZone)
	if u.workspace != nil {
		u.workspace.profileChanged(p)
	}
	if u.settings != nil {
		u.win.SetTitle(lang.L("Settings") + " — " + p.Company + " — " + lang.L("Offboard"))
	}
}

// dataChanged rebuilds the views of the account's data after items were
// added to it.
func (u *UI) dataChanged() {
	if u.acct == nil {
		return
	}
	u.workspace = newWorkspace(u, u.acct)
	if u.settings != nil {
		u.settings.account.load()
	}
}

// covered reports whether something is open over the screen — a dialog,
// a file chooser, the account menu — that the window's shortcuts must not
// reach under.
func (u *UI) covered() bool {
	return len(u.dialogs) > 0 || u.fileDialog != nil || (u.workspace != nil && u.workspace.menu != nil)
}

func (u *UI) openSettingsShortcut() {
	if u.acct == nil || u.covered() || u.settings != nil || u.win.Content() != u.workspace.content {
		return
	}
	u.showSettings("")
}

// tabBars are the tab bars on screen, outermost first: Settings', or the
// workspace's and, on Billing, Billing's own. None while something covers
// the screen.
func (u *UI) tabBars() []*container.AppTabs {
	switch {
	case u.covered():
		return nil
	case u.settings != nil && u.win.Content() == u.settings.content:
		return []*container.AppTabs{u.settings.tabs}
	case u.workspace != nil && u.win.Content() == u.workspace.content:
		bars := []*container.AppTabs{u.workspace.tabs}
		switch u.workspace.shownTab() {
		case u.workspace.billing.content:
			bars = append(bars, u.workspace.billing.tabs)
		case u.workspace.contractsTabs:
			bars = append(bars, u.workspace.contractsTabs)
		}
		return bars
	}
	return nil
}

// selectTab shows the i-th tab of the outermost tab bar on screen (Ctrl+1
// is the first).
func (u *UI) selectTab(i int) {
	bars := u.tabBars()
	if len(bars) == 0 || i >= len(bars[0].Items) {
		return
	}
	bars[0].SelectIndex(i)
	u.tabShown()
}

// stepTab shows the next (step 1) or previous (-1) tab of the innermost
// tab bar on screen, going round at the ends.
func (u *UI) stepTab(step int) {
	bars := u.tabBars()
	if len(bars) == 0 {
		return
	}
	bar := bars[len(bars)-1]
	n := len(bar.Items)
	bar.SelectIndex((bar.SelectedIndex() + step + n) % n)
	u.tabShown()
}

// tabShown moves the focus into the tab just shown: what had it is hidden.
func (u *UI) tabShown() {
	switch {
	case u.settings != nil:
		u.win.Canvas().Unfocus()
		u.settings.focusTab()
	case u.workspace != nil:
		u.workspace.focusTab()
	}
}

// typedKey handles keys that no focused widget took. Escape closes the
// newest dialog, or else goes one step back: from Settings to the
// workspace, from the code step or Create account to email and password,
// from Switch account to the account still open.
func (u *UI) typedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyReturn || ev.Name == fyne.KeyEnter {
		u.chooserReturn()
		return
	}
	if ev.Name == fyne.KeyEscape {
		u.escape()
	}
}

// escape closes the innermost thing open, as Escape does in any window: the
// chooser's question, the chooser, a dialog, Settings; on the sign-in and
// sign-up screens it goes back a step.
func (u *UI) escape() {
	if u.escapeDialog() {
		return
	}
	content := u.win.Content()
	switch {
	case u.settings != nil:
		u.showWorkspace()
	case content == u.signIn.content && !u.signIn.busy && u.signIn.pending != nil:
		u.signIn.leaveCodeStep()
	case content == u.signIn.content && !u.signIn.busy && u.signIn.current != nil:
		u.signIn.backToCurrent()
	case content == u.signUp.content && !u.signUp.busy:
		u.signUp.back.OnTapped()
	}
}

// escapeDialog closes the chooser's question, the chooser or the top
// dialog, and says whether one was open.
func (u *UI) escapeDialog() bool {
	switch n := len(u.dialogs); {
	case u.fileDialog != nil && u.chooserQuestion() != nil:
		// Escape at the chooser's own question (Overwrite?) answers No
		// and leaves the chooser open.
		u.chooserQuestion().Hide()
	case u.fileDialog != nil:
		// Fyne's own chooser is an overlay it can close; the platform's
		// (Windows) is a window of its own that answers for itself.
		if u.win.Canvas().Overlays().Top() != nil {
			u.fileDialog.Dismiss()
		}
	case n > 0:
		u.dialogs[n-1].Dismiss()
	default:
		return false
	}
	return true
}
