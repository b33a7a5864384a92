package ui

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"github.com/pquerna/otp/totp"

	"offboard/account"
)

// openSettings signs in to a fresh test account and opens Settings with
// Ctrl+, on the given tab.
func (h *harness) openSettings(tab string) *settingsPane {
	h.t.Helper()
	if h.u.acct == nil {
		h.signUp(testEmail, testPassword, testCompany)
		h.signIn(testEmail, testPassword)
	}
	h.shortcut(settingsShortcut)
	h.settle()
	s := h.u.settings
	if s == nil || !h.onScreen(s.content) {
		h.t.Fatalf("Ctrl+, did not open Settings; the window shows:\n%s", h.shown())
	}
	if tab != "" {
		s.selectTab(tab)
		h.settle()
	}
	return s
}

func TestSettingsTabs(t *testing.T) {
	h := newHarness(t)
	s := h.openSettings("")
	var titles []string
	for _, it := range s.tabs.Items {
		titles = append(titles, it.Text)
	}
	if got := strings.Join(titles, ", "); got != "Profile, Security, Data & privacy, Account" {
		t.Errorf("Settings tabs are %s", got)
	}
	if h.canvas().Focused() != s.profile.company {
		t.Error("the cursor is not in the first profile field")
	}

	// Back, and Escape, return to the workspace.
	h.tap(s.back)
	if !h.onScreen(h.u.workspace.content) {
		t.Fatal("Back did not return to the workspace")
	}
	h.openSettings("Account")
	h.canvas().Unfocus()
	h.key(fyne.KeyEscape)
	if !h.onScreen(h.u.workspace.content) {
		t.Fatal("Escape did not leave Settings")
	}
}

func pngBytes(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for i := range 8 {
		img.Set(i, i, color.RGBA{R: 200, A: 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestProfileTab(t *testing.T) {
	h := newHarness(t)
	p := h.openSettings("Profile").profile
	h.expectShown("Company name", "Contact name", "Email", "Phone", "Time zone", "Picture", "Save profile")
	if p.company.Text != testCompany || p.email.Text != testEmail {
		t.Errorf("profile shows %q %q", p.company.Text, p.email.Text)
	}

	// Errors go next to their field and nothing is saved.
	h.typeInto(p.company, "")
	h.tap(p.save)
	if !strings.Contains(p.companyF.errorText(), "ompany name is required") {
		t.Errorf("empty company: %q", p.companyF.errorText())
	}
	h.typeInto(p.company, "Lovelace & Co")
	h.typeInto(p.timeZone, "Mars/Olympus")
	h.key(fyne.KeyReturn)
	h.settle()
	if !strings.Contains(p.timeZoneF.errorText(), "not known") || p.companyF.errorText() != "" {
		t.Errorf("bad time zone: %q (company %q)", p.timeZoneF.errorText(), p.companyF.errorText())
	}

	// A picture: a file that is not an image is refused, a PNG is shown.
	h.openPath = filepath.Join(t.TempDir(), "notes.png")
	os.WriteFile(h.openPath, []byte("not a picture"), 0o600)
	h.tap(p.changePicture)
	if !strings.Contains(p.pictureF.errorText(), "not a PNG or JPEG") {
		t.Errorf("a non-image: %q", p.pictureF.errorText())
	}
	h.openPath = filepath.Join(t.TempDir(), "logo.png")
	os.WriteFile(h.openPath, pngBytes(t), 0o600)
	h.tap(p.changePicture)
	if p.pictureF.errorText() != "" || p.preview.img == nil {
		t.Errorf("a PNG was not taken: %q", p.pictureF.errorText())
	}

	h.typeInto(p.timeZone, "Europe/Berlin")
	h.typeInto(p.contact, "Ada Lovelace")
	h.tap(p.save)
	h.expectShown("Your profile was saved.")
	saved, err := h.u.acct.Profile()
	if err != nil {
		t.Fatal(err)
	}
	if saved.Company != "Lovelace & Co" || saved.Contact != "Ada Lovelace" || saved.TimeZone != "Europe/Berlin" || len(saved.Avatar) == 0 {
		t.Errorf("saved profile %+v", saved)
	}
	// The workspace header and avatar follow.
	if h.u.workspace.company.Text != "Lovelace & Co" || h.u.workspace.avatar.img == nil {
		t.Error("the workspace does not show the saved profile")
	}
	h.tap(p.removePicture)
	h.tap(p.save)
	if h.u.workspace.avatar.img != nil || h.u.workspace.avatar.initials != "L&" && h.u.workspace.avatar.initials != "LC" {
		t.Errorf("after removing the picture the avatar shows initials %q, image %v", h.u.workspace.avatar.initials, h.u.workspace.avatar.img != nil)
	}
}

func TestChangePassword(t *testing.T) {
	h := newHarness(t)
	sec := h.openSettings("Security").security
	h.expectShown("Current password", "New password", "Repeat the new password", "Change password", "Two-factor sign-in is off.")
	change := func(cur, pw, repeat string) {
		h.typeInto(sec.current, cur)
		h.typeInto(sec.newPw.entry, pw)
		h.typeInto(sec.newPw.repeat, repeat)
		h.key(fyne.KeyReturn)
		h.settle()
	}

	change("wrong password", "sea-shell-orbit-72", "sea-shell-orbit-72")
	if sec.currentF.errorText() == "" {
		t.Error("a wrong current password shows no error")
	}
	change(testPassword, "sea-shell-orbit-72", "sea-shell-orbit-7")
	if sec.newPw.repeatField.errorText() == "" {
		t.Error("a mistyped repeat shows no error")
	}
	change(testPassword, "password1", "password1")
	if !strings.Contains(sec.newPw.field.errorText(), "too weak") {
		t.Errorf("a weak new password: %q", sec.newPw.field.errorText())
	}
	change(testPassword, "sea-shell-orbit-72", "sea-shell-orbit-72")
	h.expectShown("Your password was changed.")
	if sec.current.Text != "" || sec.newPw.entry.Text != "" {
		t.Error("the passwords were left in the fields")
	}
	if err := h.u.acct.CheckPassword("sea-shell-orbit-72"); err != nil {
		t.Errorf("the new password does not work: %v", err)
	}
}

func TestTurnTwoFactorOnAndOff(t *testing.T) {
	h := newHarness(t)
	sec := h.openSettings("Security").security
	h.tap(sec.turnOn)
	e := sec.enable
	if e == nil {
		t.Fatal("Turn on opened no dialog")
	}
	if e.qr.Resource == nil && e.qr.Image == nil {
		t.Error("no QR code image")
	}
	h.expectShown("Scan this code", strings.Fields(groupSecret(e.setup.Secret))[0])
	if h.canvas().Focused() != e.code {
		t.Error("the cursor is not in the code field")
	}

	h.typeInto(e.code, "123456")
	h.key(fyne.KeyReturn)
	h.settle()
	if e.codeF.errorText() == "" {
		t.Error("a wrong code shows no error")
	}
	code, _ := totp.GenerateCode(e.setup.Secret, h.clock())
	h.typeInto(e.code, code)
	h.tap(e.ok)

	// The recovery codes, once, with a copy button.
	r := sec.codes
	if r == nil {
		t.Fatalf("no recovery codes were shown; the window shows:\n%s", h.shown())
	}
	h.expectShown("Your recovery codes", e.setup.RecoveryCodes[0], e.setup.RecoveryCodes[9])
	// The codes leave the clipboard again after a while (see
	// TestCopiedRecoveryCodesLeaveTheClipboard); a short while here, read
	// before the harness runs the clearing.
	h.u.clipboardClear = 10 * time.Millisecond
	testTap(r.copy)
	if got := h.u.app.Clipboard().Content(); got != strings.Join(e.setup.RecoveryCodes, "\n") {
		t.Errorf("clipboard holds %q", got)
	}
	h.tap(r.done)
	if h.dialogs() != 0 {
		t.Error("the recovery codes dialog did not close")
	}
	h.expectShown("Two-factor sign-in is on. Recovery codes left: 10 of 10.", "Turn off two-factor sign-in…")
	if on, _ := h.u.acct.TwoFactor(); !on {
		t.Fatal("two-factor is not on")
	}

	h.tap(sec.turnOff)
	x := sec.disable
	h.typeInto(x.password, "wrong password")
	h.tap(x.ok)
	if x.passwordF.errorText() == "" {
		t.Error("a wrong password shows no error")
	}
	h.typeInto(x.password, testPassword)
	h.key(fyne.KeyReturn)
	h.settle()
	h.expectShown("Two-factor sign-in is off.")
	if on, _ := h.u.acct.TwoFactor(); on {
		t.Error("two-factor is still on")
	}
}

func TestAccountTab(t *testing.T) {
	h := newHarness(t)
	h.openSample()
	a := h.openSettings("Account").account
	counts, _ := h.u.acct.Counts()
	h.expectShown(account.SampleEmail, "Northwind Studio", "Created", "Two-factor sign-in", "Off",
		"Job postings", "Messages", "Billing methods", "Disputes", "Deactivate Account")
	for _, k := range account.Kinds {
		if counts[k] == 0 {
			t.Errorf("the sample has no %s", k)
		}
	}
	if a.loaded[account.KindMessages] != counts[account.KindMessages] {
		t.Errorf("the tab counts %d messages, the account %d", a.loaded[account.KindMessages], counts[account.KindMessages])
	}

	// The button starts the closure sequence at its first step; Escape
	// leaves it and changes nothing.
	h.tap(a.deactivate)
	if h.dialogs() != 1 {
		t.Fatal("Deactivate Account opened no dialog")
	}
	h.expectShown("Before you go", "Step 1 of 7", "Keep my account",
		countText(counts[account.KindMessages])+" messages")
	h.key(fyne.KeyEscape)
	if h.dialogs() != 0 {
		t.Error("Escape did not close the sequence")
	}
	if _, err := h.u.acct.Profile(); err != nil {
		t.Errorf("the account was touched: %v", err)
	}
}

func TestDeactivateCallsTheClosureSequence(t *testing.T) {
	h := newHarness(t)
	a := h.openSettings("Account").account
	var got *account.Account
	var done func()
	h.u.OnDeactivate = func(w fyne.Window, acct *account.Account, d func()) {
		if w != h.u.win {
			t.Error("the sequence got another window")
		}
		got, done = acct, d
	}
	h.tap(a.deactivate)
	if got != h.u.acct || done == nil {
		t.Fatal("the button did not hand the account to the sequence")
	}
	if h.dialogs() != 0 {
		t.Error("the explanation was shown although the sequence is wired")
	}
	done()
	if h.u.acct != nil || !h.onScreen(h.u.signIn.content) {
		t.Error("done did not return to the sign-in screen")
	}
	h.expectNotShown("Back to")
}

func fileSHA(t *testing.T, path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestExportVerifyAndImport(t *testing.T) {
	h := newHarness(t)
	h.openSample()
	d := h.openSettings("Data & privacy").data

	h.tap(d.exportBtn)
	o := d.options
	if o == nil || o.passphrase.Disabled() == false {
		t.Fatal("the export dialog is not open with the passphrase off")
	}
	h.tap(o.next)
	if len(h.saved) != 1 || h.saved[0] != account.DefaultExportName("Northwind Studio", time.Now(), false) {
		t.Fatalf("the save chooser suggested %q", h.saved)
	}
	path := filepath.Join(h.saveTo, h.saved[0])
	sum := fileSHA(t, path)
	h.expectShown("Your data was exported and verified.", path, groupedSum(sum), "Yes: every entry matches its checksum", "Show in folder")
	if h.dialogs() != 0 {
		t.Error("the progress dialog is still open")
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("the export's mode is %v", fi.Mode().Perm())
	}
	h.tap(d.showFolder)
	if len(h.openedDirs) != 1 || h.openedDirs[0] != h.saveTo {
		t.Errorf("Show in folder opened %q", h.openedDirs)
	}

	h.openPath = path
	h.tap(d.verifyBtn)
	h.expectShown(filepath.Base(path) + " is intact")

	// A damaged file is reported as such.
	b, _ := os.ReadFile(path)
	b[len(b)/2] ^= 0xff
	bad := filepath.Join(t.TempDir(), "damaged.zip")
	os.WriteFile(bad, b, 0o600)
	h.openPath = bad
	h.tap(d.verifyBtn)
	h.expectShown("damaged.zip did not pass the check")

	// Import the export into another account.
	h.tap(h.u.settings.back)
	h.tap(h.u.workspace.avatar)
	h.tapMenuItem("Log out")
	h.signUp(testEmail, testPassword, testCompany)
	h.signIn(testEmail, testPassword)
	d = h.openSettings("Data & privacy").data
	h.openPath = path
	h.tap(d.importBtn)
	// The preview says what comes in, and nothing is added until asked.
	h.expectShown("will be added to this account.", "Job postings", "Messages")
	if d.confirmImport == nil {
		t.Fatal("the import's preview has no Import button")
	}
	if counts, _ := h.u.acct.Counts(); counts[account.KindMessages] != 0 {
		t.Fatal("the preview imported already")
	}
	h.tap(d.confirmImport)
	h.expectShown("items were added to this account.", "Job postings", "Messages")
	counts, _ := h.u.acct.Counts()
	if counts[account.KindMessages] == 0 {
		t.Error("no messages were imported")
	}
	if got := h.u.workspace.jobs.list.Length(); got != counts[account.KindJobs] {
		t.Errorf("the workspace shows %d jobs after the import, the account has %d", got, counts[account.KindJobs])
	}
	h.tap(d.importBtn)
	h.expectShown("Nothing new")
}

func TestExportWithPassphrase(t *testing.T) {
	h := newHarness(t)
	d := h.openSettings("Data & privacy").data

	h.tap(d.exportBtn)
	o := d.options
	h.tap(o.protect)
	h.typeInto(o.passphrase, "a long export passphrase")
	h.typeInto(o.repeat, "a different one")
	h.key(fyne.KeyReturn)
	if o.repeatF.errorText() == "" || len(h.saved) != 0 {
		t.Fatal("passphrases that differ were accepted")
	}
	h.typeInto(o.repeat, "a long export passphrase")
	h.key(fyne.KeyReturn)
	h.settle()
	if len(h.saved) != 1 || !strings.HasSuffix(h.saved[0], ".zip.age") {
		t.Fatalf("the save chooser suggested %q", h.saved)
	}
	path := filepath.Join(h.saveTo, h.saved[0])
	h.expectShown("Your data was exported and verified.")

	// Verifying asks for the passphrase, and again when it is wrong.
	h.openPath = path
	h.tap(d.verifyBtn)
	if d.passphrase == nil {
		t.Fatal("no passphrase was asked for")
	}
	h.typeInto(d.passphrase.passphrase, "wrong")
	h.key(fyne.KeyReturn)
	h.settle()
	if d.passphrase == nil || d.passphrase.field.errorText() == "" {
		t.Fatalf("a wrong passphrase was not reported; the window shows:\n%s", h.shown())
	}
	h.typeInto(d.passphrase.passphrase, "a long export passphrase")
	h.tap(d.passphrase.ok)
	h.expectShown("is intact")
}

func TestCancelExport(t *testing.T) {
	h := newHarness(t)
	h.openSample()
	d := h.openSettings("Data & privacy").data

	// Hold the export at its first progress report until Cancel is tapped.
	release := make(chan struct{})
	first := true
	deliver := h.u.deliver
	h.u.deliver = func(f func()) {
		deliver(f)
		if first {
			first = false
			<-release
		}
	}
	h.tap(d.exportBtn)
	testTap(d.options.next)
	f := <-h.queue
	f()
	if d.progress == nil {
		t.Fatal("no progress dialog")
	}
	h.expectShown("Exporting your data", "Cancel")
	testTap(d.progress.cancel)
	close(release)
	h.settle()
	h.expectShown("The export was cancelled. No file was left behind.")
	entries, _ := os.ReadDir(h.saveTo)
	if len(entries) != 0 {
		t.Errorf("the cancelled export left %v", entries)
	}
}
