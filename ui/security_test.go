package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"offboard/account"
)

// TestWeakExportPassphraseRefusedInWindow: the export form refuses a
// one-character passphrase next to its field and saves nothing.
func TestWeakExportPassphraseRefusedInWindow(t *testing.T) {
	h := newHarness(t)
	d := h.openSettings("Data & privacy").data
	h.tap(d.exportBtn)
	o := d.options
	h.tap(o.protect)
	h.typeInto(o.passphrase, "x")
	h.typeInto(o.repeat, "x")
	h.key(fyne.KeyReturn)
	h.settle()
	if !strings.Contains(o.passphraseF.errorText(), "too weak") || len(h.saved) != 0 {
		t.Fatalf("a one-character passphrase: error %q, %d saved", o.passphraseF.errorText(), len(h.saved))
	}
}

// TestPurgeForgetsTheFolders: after the account is purged, no preference
// outside the data folder points at where its exports went.
func TestPurgeForgetsTheFolders(t *testing.T) {
	h := newHarness(t)
	f := h.startDeactivation()
	h.u.prefs.setExportFolder(t.TempDir())
	h.u.app.Preferences().SetString(fileDialogFolderKey, "file://"+t.TempDir())
	h.walkTo(f, account.StepVerify)
	h.typeInto(f.verify.password, account.SamplePassword)
	testTap(f.next)
	for f.step < account.StepDone {
		(<-h.queue)()
	}
	h.settle()
	if f.step != account.StepDone {
		t.Fatalf("the purge ended at %v", f.step)
	}
	p := h.u.app.Preferences()
	if v := p.String(prefExportFolder) + p.String(fileDialogFolderKey); v != "" {
		t.Fatalf("after the purge the preferences still name %q", v)
	}
}

// TestCopiedRecoveryCodesLeaveTheClipboard: copied recovery codes are taken
// off the clipboard after a while, but only if they are still what it holds.
func TestCopiedRecoveryCodesLeaveTheClipboard(t *testing.T) {
	h := newHarness(t)
	h.openSample()
	sec := h.openSettings("Security").security
	h.u.clipboardClear = 20 * time.Millisecond
	codes := []string{"abcd-efgh-ijkm", "nopq-rstu-vwxy"}
	sec.showRecoveryCodes(codes)
	cb := h.u.app.Clipboard()
	testTap(sec.codes.copy)
	if cb.Content() != strings.Join(codes, "\n") {
		t.Fatalf("the clipboard holds %q", cb.Content())
	}
	h.expectShown("clears the clipboard in a minute")
	h.settle()
	if cb.Content() != "" {
		t.Fatalf("after the wait the clipboard still holds %q", cb.Content())
	}
	// Something copied meanwhile is left alone.
	testTap(sec.codes.copy)
	cb.SetContent("the owner's own text")
	h.settle()
	if cb.Content() != "the owner's own text" {
		t.Fatalf("the clipboard was cleared of something else: %q", cb.Content())
	}
}
