package ui

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"offboard/account"
)

// tapMenuItem taps the item with the given label in the open account menu.
func (h *harness) tapMenuItem(label string) {
	h.t.Helper()
	w := h.u.workspace
	if w == nil || w.menu == nil || !w.menu.Visible() {
		h.t.Fatalf("the account menu is not open; the window shows:\n%s", h.shown())
	}
	for i, it := range w.items.Items {
		if it.Label == label {
			h.tap(w.menu.Items[i].(fyne.Tappable))
			return
		}
	}
	h.t.Fatalf("the account menu has no %q", label)
}

func TestAvatarMenu(t *testing.T) {
	h := newHarness(t)
	h.openSample()
	w := h.u.workspace

	if w.avatar.img == nil {
		t.Error("the sample's profile picture is not on the avatar")
	}
	h.tap(w.avatar)
	if w.menu == nil || h.canvas().Overlays().Top() == nil {
		t.Fatal("clicking the avatar opened no menu")
	}
	h.expectShown("Settings", "Switch account", "Log out")
	// The menu opens under the avatar, inside the window.
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(w.menu)
	if pos.X+w.menu.Size().Width > h.canvas().Size().Width+1 || pos.Y < w.avatar.Size().Height {
		t.Errorf("menu at %v size %v is not under the avatar inside the window", pos, w.menu.Size())
	}

	h.key(fyne.KeyEscape)
	if w.menu != nil && w.menu.Visible() {
		t.Error("Escape did not close the menu")
	}

	h.tap(w.avatar)
	h.tapMenuItem("Settings")
	if h.u.settings == nil || !h.onScreen(h.u.settings.content) {
		t.Fatalf("Settings did not open; the window shows:\n%s", h.shown())
	}
}

func TestAvatarShowsInitialsWithoutPicture(t *testing.T) {
	h := newHarness(t)
	h.signUp(testEmail, testPassword, testCompany)
	h.signIn(testEmail, testPassword)
	a := h.u.workspace.avatar
	if a.img != nil || a.initials != "LA" {
		t.Errorf("avatar shows image %v, initials %q; want the initials LA", a.img != nil, a.initials)
	}
	h.expectShown("LA")

	// Keyboard: the avatar takes the focus and Space opens the menu.
	h.canvas().Focus(a)
	h.key(fyne.KeySpace)
	h.settle()
	if h.u.workspace.menu == nil {
		t.Error("Space on the focused avatar opened no menu")
	}
}

func TestLogOut(t *testing.T) {
	h := newHarness(t)
	h.signUp(testEmail, testPassword, testCompany)
	h.signIn(testEmail, testPassword)
	acct := h.u.acct

	h.tap(h.u.workspace.avatar)
	h.tapMenuItem("Log out")
	if !h.onScreen(h.u.signIn.content) || h.u.acct != nil {
		t.Fatal("Log out did not return to the sign-in screen")
	}
	h.expectShown("You are signed out.")
	if h.u.signIn.email.Text != testEmail {
		t.Errorf("email field %q, want the account just signed out of", h.u.signIn.email.Text)
	}
	if _, err := acct.Profile(); err == nil {
		t.Error("the account is still open after logging out")
	}
	h.expectNotShown("Back to")
}

func TestSwitchAccount(t *testing.T) {
	h := newHarness(t)
	h.signUp(testEmail, testPassword, testCompany)
	h.signUp("grace@example.com", "sea-shell-orbit-72", "Hopper Compilers")
	h.signIn(testEmail, testPassword)
	first := h.u.acct

	// Switching keeps the account open until another one signs in, with a
	// way back to it.
	h.tap(h.u.workspace.avatar)
	h.tapMenuItem("Switch account")
	if !h.onScreen(h.u.signIn.content) {
		t.Fatal("Switch account did not show the sign-in screen")
	}
	h.expectShown("Switch account", "Back to "+testCompany)
	h.tap(h.u.signIn.returnTo)
	if h.u.acct != first || !h.onScreen(h.u.workspace.content) {
		t.Fatal("Back did not return to the open account")
	}
	h.tap(h.u.workspace.avatar)
	h.tapMenuItem("Switch account")
	h.key(fyne.KeyEscape)
	if !h.onScreen(h.u.workspace.content) {
		t.Fatal("Escape did not return to the open account")
	}

	h.tap(h.u.workspace.avatar)
	h.tapMenuItem("Switch account")
	h.signIn("grace@example.com", "sea-shell-orbit-72")
	if h.u.acct == nil || h.u.acct == first {
		t.Fatalf("the other account did not open; the window shows:\n%s", h.shown())
	}
	h.expectShown("Hopper Compilers")
	if _, err := first.Profile(); err == nil {
		t.Error("the account switched away from is still open")
	}

	// Typing the open account's own email while switching goes back to it.
	h.tap(h.u.workspace.avatar)
	h.tapMenuItem("Switch account")
	h.signIn("grace@example.com", "anything")
	if !h.onScreen(h.u.workspace.content) {
		t.Errorf("signing in to the open account did not return to it; the window shows:\n%s", h.shown())
	}
}

func TestWorkspaceShowsTheSampleData(t *testing.T) {
	h := newHarness(t)
	h.openSample()
	w := h.u.workspace
	counts, err := h.u.acct.Counts()
	if err != nil {
		t.Fatal(err)
	}

	lists := []struct {
		name string
		b    *browser
		kind account.Kind
	}{
		{"jobs", w.jobs.browser, account.KindJobs},
		{"contracts", w.contracts.browser, account.KindContracts},
		{"files", w.files.browser, account.KindFiles},
		{"reviews", w.reviews.browser, account.KindReviews},
		{"invoices", w.billing.invoices, account.KindInvoices},
		{"transactions", w.billing.transactions, account.KindTransactions},
		{"billing methods", w.billing.methods, account.KindBilling},
	}
	for _, l := range lists {
		if got := l.b.list.Length(); got != counts[l.kind] || got == 0 {
			t.Errorf("%s list has %d rows, the account %d", l.name, got, counts[l.kind])
		}
	}

	// The latest job first; selecting it shows its details.
	w.tabs.SelectIndex(0)
	jobs, _ := account.List[account.Job](h.u.acct)
	latest := jobs[0]
	for _, j := range jobs {
		if j.Posted.After(latest.Posted) {
			latest = j
		}
	}
	w.jobs.list.Select(0)
	h.expectShown(latest.Title, "Description", latest.Description, latest.Budget.String())

	w.tabs.SelectIndex(1)
	w.contracts.list.Select(0)
	h.expectShown("Freelancer", "Rate")

	w.tabs.SelectIndex(4)
	w.reviews.list.Select(0)
	h.expectShown("Rating", "of 5")

	w.tabs.SelectIndex(5)
	w.billing.invoices.list.Select(0)
	h.expectShown("Invoice", "Due", "Amount")
	w.billing.tabs.SelectIndex(2)
	w.billing.methods.list.Select(0)
	h.expectShown("····")
}

func TestMessagesTab(t *testing.T) {
	h := newHarness(t)
	h.openSample()
	m := h.u.workspace.messages
	h.u.workspace.tabs.SelectIndex(2)
	counts, _ := h.u.acct.Counts()

	if got := m.threads.Length(); got != counts[account.KindThreads]+1 {
		t.Errorf("%d rows in the thread list, want %d threads and All messages", got, counts[account.KindThreads])
	}
	m.threads.Select(0)
	if got := m.messages.Length(); got != counts[account.KindMessages] {
		t.Errorf("All messages lists %d, the account has %d", got, counts[account.KindMessages])
	}

	m.threads.Select(1)
	th, err := m.threadRows.at(0)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := m.messages.Length(), len(m.byThread[th.ID]); got != want || got == 0 {
		t.Errorf("thread lists %d messages, want %d", got, want)
	}
	m.messages.Select(0)
	msg, err := m.msgRows.at(0)
	if err != nil {
		t.Fatal(err)
	}
	h.expectShown(th.Subject, "From", msg.Sender, msg.Body)
	for i := range m.msgRows.len() - 1 {
		a, _ := m.msgRows.at(i)
		b, _ := m.msgRows.at(i + 1)
		if a.Sent.Before(b.Sent) {
			t.Fatalf("messages not latest first: %v before %v", a.Sent, b.Sent)
		}
	}
}

func TestMessagesListLoadsRowsLazily(t *testing.T) {
	h := newHarness(t)
	h.signUp(testEmail, testPassword, testCompany)
	a, err := h.store.SignIn(testEmail, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	acct, _ := a.Complete("")
	const n = 20000
	err = acct.Update(func(tx *account.Tx) error {
		th := account.Thread{Freelancer: "Ana", Subject: "Big project", Started: time.Now()}
		if err := tx.Put(&th); err != nil {
			return err
		}
		for i := range n {
			m := account.Message{ThreadID: th.ID, Sender: "Ana", Sent: time.Unix(int64(i), 0), Body: "Hello"}
			if err := tx.Put(&m); err != nil {
				return err
			}
		}
		return nil
	})
	acct.Close()
	if err != nil {
		t.Fatal(err)
	}

	h.signIn(testEmail, testPassword)
	m := h.u.workspace.messages
	h.u.workspace.tabs.SelectIndex(2)
	m.threads.Select(0)
	if got := m.messages.Length(); got != n {
		t.Fatalf("All messages lists %d, want %d", got, n)
	}
	m.messages.ScrollToBottom()
	m.messages.ScrollToTop()
	// Only the rows drawn were decrypted, not the whole list.
	if got := len(m.msgRows.cache); got == 0 || got > 500 {
		t.Errorf("%d of %d messages were decrypted to draw the list", got, n)
	}
}

func TestSaveACopyOfAFile(t *testing.T) {
	h := newHarness(t)
	h.openSample()
	files := h.u.workspace.files
	h.u.workspace.tabs.SelectIndex(3)
	var f account.File
	for i := range files.rows.len() {
		if v, _ := files.rows.at(i); v.Size > 0 {
			files.list.Select(i)
			f = v
			break
		}
	}
	h.expectShown(f.Name, "SHA-256 checksum", f.SHA256, "Save a copy…")

	h.tap(files.save)
	path := filepath.Join(h.saveTo, f.Name)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no copy was saved: %v; the window shows:\n%s", err, h.shown())
	}
	sum := sha256.Sum256(b)
	if hex.EncodeToString(sum[:]) != f.SHA256 || int64(len(b)) != f.Size {
		t.Error("the copy's bytes differ from the file's")
	}
	h.expectShown("Saved a copy to " + path)
	if h.dialogs() != 0 {
		t.Error("the progress dialog is still open")
	}
}

func TestEmptyAccountShowsEmptyLists(t *testing.T) {
	h := newHarness(t)
	h.signUp(testEmail, testPassword, testCompany)
	h.signIn(testEmail, testPassword)
	h.expectShown("No job postings yet.")
	for i, want := range []string{"No contracts yet.", "No messages yet.", "No files yet.", "No reviews yet.", "No invoices yet."} {
		h.u.workspace.tabs.SelectIndex(i + 1)
		h.expectShown(want)
	}
}
