package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
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
