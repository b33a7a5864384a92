package ui

import (
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/pquerna/otp/totp"

	"offboard/account"
)

// The window as a person meets it: each view shows the account as it is
// now, and nothing the person did is dropped without a word.

func TestAccountTabShowsTwoFactorAsItIsNow(t *testing.T) {
	h := newHarness(t)
	s := h.openSettings("Account")
	h.expectShown("Two-factor sign-in", "Off")

	// Turned on in the Security tab, the Account tab says On at once.
	s.selectTab("Security")
	h.settle()
	h.tap(s.security.turnOn)
	e := s.security.enable
	code, _ := totp.GenerateCode(e.setup.Secret, h.clock())
	h.typeInto(e.code, code)
	h.tap(e.ok)
	h.tap(s.security.codes.done)
	s.selectTab("Account")
	h.settle()
	if !s.account.twoFactor {
		t.Errorf("the Account tab says two-factor is off right after it was turned on; it shows:\n%s", h.shown())
	}
}

func TestRemovingThePictureTakesEffectAtOnce(t *testing.T) {
	h := newHarness(t)
	p := h.openSettings("Profile").profile
	h.openPath = filepath.Join(t.TempDir(), "logo.png")
	if err := os.WriteFile(h.openPath, pngBytes(t), 0o600); err != nil {
		t.Fatal(err)
	}
	// A new picture is kept without Save profile.
	h.tap(p.changePicture)
	saved, err := h.u.acct.Profile()
	if err != nil {
		t.Fatal(err)
	}
	if len(saved.Avatar) == 0 || h.u.workspace.avatar.img == nil {
		t.Fatal("the chosen picture was not kept")
	}
	// An unsaved edit of another field stays in the form and is not saved
	// along with the picture.
	h.typeInto(p.contact, "Ada Lovelace")
	h.tap(p.removePicture)
	h.expectShown("The picture was removed.")
	saved, err = h.u.acct.Profile()
	if err != nil {
		t.Fatal(err)
	}
	if len(saved.Avatar) != 0 {
		t.Error("Remove picture did not remove the picture from the account")
	}
	if saved.Contact != "" || p.contact.Text != "Ada Lovelace" {
		t.Errorf("the picture took the unsaved contact along (%q) or lost it from the form (%q)", saved.Contact, p.contact.Text)
	}
	// Leaving Settings and coming back shows no picture.
	h.tap(h.u.settings.back)
	if h.u.workspace.avatar.img != nil {
		t.Error("the workspace avatar still shows the removed picture")
	}
}

func TestEndedContractsSayWhenTheyEnded(t *testing.T) {
	h := newHarness(t)
	h.openSample()
	c := h.u.workspace.contracts
	r := newListRow()
	ended, running := 0, 0
	for i := range c.rows.len() {
		k, _ := c.rows.at(i)
		c.update(i, r)
		sub := r.subtitle.Text
		switch k.Status {
		case account.ContractEnded:
			ended++
			if strings.Contains(sub, "since") || !strings.Contains(sub, dateText(k.End)) {
				t.Errorf("the ended contract %q reads %q", k.Title, sub)
			}
		default:
			running++
			if !strings.Contains(sub, "since "+dateText(k.Start)) {
				t.Errorf("the running contract %q reads %q", k.Title, sub)
			}
		}
	}
	if ended == 0 || running == 0 {
		t.Fatalf("the sample has %d ended and %d running contracts", ended, running)
	}
}

// blueShare is the share of the pixels of o's area, on the window's
// picture, drawn in a blue such as the primary colour's.
func (h *harness) blueShare(o fyne.CanvasObject) float64 {
	img := h.canvas().Capture()
	scale := float32(img.Bounds().Dx()) / h.canvas().Size().Width
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
	r := image.Rect(int(pos.X*scale), int(pos.Y*scale), int((pos.X+o.Size().Width)*scale), int((pos.Y+o.Size().Height)*scale))
	blue, all := 0, 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, _, cb, _ := img.At(x, y).RGBA()
			all++
			if int(cb>>8)-int(cr>>8) > 60 {
				blue++
			}
		}
	}
	return float64(blue) / float64(max(all, 1))
}

func TestProgressAtZeroLooksEmpty(t *testing.T) {
	h := newHarness(t)
	h.u.setThemeChoice(themeLight)
	p := h.u.newProgress("Exporting", "Starting…")
	p.set(0, "")
	if share := h.blueShare(p.bar); share > 0.02 {
		t.Errorf("at 0 %% the bar is %.0f%% blue", share*100)
	}
	p.set(0.5, "")
	if share := h.blueShare(p.bar); share < 0.05 {
		t.Errorf("at 50 %% the bar is only %.0f%% blue", share*100)
	}
	p.finish()
}

func TestShowInFolderFailureSaysWhatHappened(t *testing.T) {
	h := newHarness(t)
	h.openSample()
	d := h.openSettings("Data & privacy").data
	h.tap(d.exportBtn)
	h.tap(d.options.next)
	path := filepath.Join(h.saveTo, h.saved[0])
	h.u.openFolder = func(string) error {
		return &exec.Error{Name: "xdg-open", Err: exec.ErrNotFound}
	}
	h.tap(d.showFolder)
	h.expectShown("The folder could not be opened", "No file manager is set up")
	h.expectNotShown("xdg-open", "executable", "$PATH", "Exec")
	f := h.u.folderFailed
	if f == nil || f.path.Text != path {
		t.Fatalf("the dialog does not offer the path %q to copy", path)
	}
	h.tap(f.copy)
	if got := h.u.app.Clipboard().Content(); got != path {
		t.Errorf("Copy path put %q on the clipboard", got)
	}
}

func TestTimesShowInTheProfilesTimeZone(t *testing.T) {
	h := newHarness(t)
	h.openSample()
	if h.u.profile.TimeZone != "America/Los_Angeles" {
		t.Fatalf("the sample's time zone is %q", h.u.profile.TimeZone)
	}
	at := time.Date(2025, 6, 11, 9, 30, 0, 0, time.UTC)
	if got := timeText(at); got != "11 Jun 2025, 02:30 PDT" {
		t.Errorf("9:30 UTC shows as %q", got)
	}
	if got := dateText(time.Date(2025, 6, 11, 3, 0, 0, 0, time.UTC)); got != "10 Jun 2025" {
		t.Errorf("3:00 UTC on 11 June is %q in Los Angeles", got)
	}
	h.openSettings("Account")
	h.expectShown(timeText(h.u.profile.Created))

	// Signed out, the computer's zone again.
	h.u.SignOut()
	if got, want := timeText(at), at.Local().Format("2 Jan 2006, 15:04 MST"); got != want {
		t.Errorf("signed out, 9:30 UTC shows as %q, not %q", got, want)
	}
}

func TestWorkspaceShowsTeamAndDisputes(t *testing.T) {
	h := newHarness(t)
	h.openSample()
	w := h.u.workspace
	counts, err := h.u.acct.Counts()
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, it := range w.tabs.Items {
		titles = append(titles, it.Text)
	}
	if !strings.Contains(strings.Join(titles, ","), "Team") || w.contractsTabs.Items[1].Text != "Disputes" {
		t.Fatalf("the workspace tabs are %v", titles)
	}
	if got := w.team.list.Length(); got != counts[account.KindTeam] || got == 0 {
		t.Errorf("the team list has %d rows, the account %d members", got, counts[account.KindTeam])
	}
	if got := w.disputes.list.Length(); got != counts[account.KindDisputes] || got == 0 {
		t.Errorf("the disputes list has %d rows, the account %d", got, counts[account.KindDisputes])
	}
	members, _ := account.List[account.TeamMember](h.u.acct)
	var owner account.TeamMember
	for _, m := range members {
		if m.Owner {
			owner = m
		}
	}
	w.tabs.SelectIndex(6)
	w.team.list.Select(0)
	h.expectShown(owner.Name, owner.Email, "Admin, owner")
	w.tabs.SelectIndex(1)
	w.contractsTabs.SelectIndex(1)
	w.disputes.list.Select(0)
	h.expectShown("Dispute", "Status", "Opened", "Contract")
}

// ticks are the countdown's scheduled ticks, which the test runs itself.
type ticks struct {
	h   *harness
	due []func()
}

func (h *harness) manualTicks() *ticks {
	k := &ticks{h: h}
	h.u.now = h.clock
	h.u.after = func(_ time.Duration, f func()) { k.due = append(k.due, f) }
	return k
}

// pass moves the clock on by d and runs the ticks that were due.
func (k *ticks) pass(d time.Duration) {
	k.h.advance(d)
	due := k.due
	k.due = nil
	for _, f := range due {
		f()
	}
}

func TestSignInWarnsThenCountsDown(t *testing.T) {
	h := newHarness(t)
	k := h.manualTicks()
	h.signUp(testEmail, testPassword, testCompany)
	s := h.u.signIn
	top := func() float32 {
		return fyne.CurrentApp().Driver().AbsolutePositionForObject(s.email).Y
	}
	before := top()

	// Three wrong passwords are free; the third says what the fourth costs.
	for range 3 {
		h.signIn(testEmail, "not the password")
	}
	h.expectShown("One more wrong password and you wait 1 second before you can try again.")
	if after := top(); after != before {
		t.Errorf("the form moved by %v px after the wrong passwords", after-before)
	}

	// The fourth starts the wait at once: Sign in disabled, a countdown.
	h.signIn(testEmail, "not the password either")
	h.expectShown("Too many wrong attempts. You can try again in 0:01.")
	if !s.submit.Disabled() {
		t.Error("Sign in is enabled during the wait")
	}
	h.typeInto(s.password, testPassword)
	h.key(fyne.KeyReturn)
	h.settle()
	if h.u.acct != nil {
		t.Fatal("Enter signed in during the wait")
	}
	k.pass(time.Second)
	h.expectShown("You can try again now.")
	if s.submit.Disabled() {
		t.Error("Sign in stays disabled after the wait")
	}

	// The fifth wrong one waits 2 seconds, counted down second by second.
	h.signIn(testEmail, "still wrong")
	h.expectShown("You can try again in 0:02.")
	k.pass(time.Second)
	h.expectShown("You can try again in 0:01.")
	// Another account is not held up by this one's wait.
	h.typeInto(s.email, "someone@example.com")
	if s.submit.Disabled() {
		t.Error("Sign in is disabled for another account")
	}
	h.typeInto(s.email, testEmail)
	if !s.submit.Disabled() {
		t.Error("Sign in is enabled again for the waiting account")
	}
	k.pass(time.Second)
	h.signIn(testEmail, testPassword)
	if h.u.acct == nil {
		t.Fatalf("after the wait the right password did not sign in; the window shows:\n%s", h.shown())
	}
}

func TestAfterLogOutOnlyOneFieldIsFocused(t *testing.T) {
	h := newHarness(t)
	h.signUp(testEmail, testPassword, testCompany)
	s := h.u.signIn
	h.typeInto(s.password, testPassword)
	h.typeInto(s.email, testEmail)
	h.key(fyne.KeyReturn) // from the email field
	h.settle()
	if h.u.acct == nil {
		t.Fatal("did not sign in")
	}
	h.u.logOut()
	if s.email.focused && s.password.focused {
		t.Error("after Log out both sign-in fields draw the focus")
	}
	if h.canvas().Focused() != s.password || !s.password.focused {
		t.Error("after Log out the password field does not have the focus")
	}
}

func TestEveryWorkspaceTabShowsAt800x600(t *testing.T) {
	h := newHarness(t)
	h.openSample()
	h.u.win.Resize(fyne.NewSize(800, 600))
	h.settle()
	more := theme.MoreVerticalIcon().Name()
	eachObject(h.canvas().Content(), func(o fyne.CanvasObject) bool {
		if !o.Visible() {
			return false
		}
		if b, ok := o.(*widget.Button); ok && b.Icon != nil && b.Icon.Name() == more {
			t.Error("at 800×600 some workspace tabs are hidden behind the tab bar's ⋮ button")
		}
		return true
	})
}

func TestSendersNamesFitAt800x600(t *testing.T) {
	h := newHarness(t)
	h.openSample()
	m := h.u.workspace.messages
	m.threads.Select(0)
	h.settle()
	// At 800×600 the list of messages is 245 px wide: half of what is
	// left of 800 px beside the tab bar and the threads.
	for i := range min(m.msgRows.len(), 20) {
		r := newListRow()
		m.updateMessage(i, r)
		w := test.NewWindow(r)
		w.SetPadded(false)
		w.Resize(fyne.NewSize(245, r.MinSize().Height))
		need := fyne.MeasureText(r.title.Text, theme.TextSize(), r.title.TextStyle).Width + 2*theme.InnerPadding()
		if got := r.title.Size().Width; got < need {
			t.Errorf("the sender %q is cut: %v px of %v beside %q", r.title.Text, got, need, r.trailing.Text)
		}
		w.Close()
	}
}

func TestSignInFitsAt480x360(t *testing.T) {
	h := newHarness(t)
	h.u.win.Resize(fyne.NewSize(480, 360))
	h.settle()
	s := h.u.signIn
	for _, e := range []*entry{s.email, s.password} {
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(e)
		if right := pos.X + e.Size().Width; right > 480-theme.ScrollBarSize() {
			t.Errorf("a field reaches %v px, under the scroll bar of a 480 px window", right)
		}
	}
	// The form starts at the top when it does not fit: the email field is
	// in view without scrolling.
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(s.email)
	if bottom := pos.Y + s.email.Size().Height; bottom > 360 {
		t.Errorf("the email field ends at %v px, below a 360 px window", bottom)
	}
}
