package ui

import (
	"strings"
	"testing"

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
