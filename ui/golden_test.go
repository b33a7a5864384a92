package ui

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

// The golden tests keep each screen's layout: the markup of the whole
// window (every widget's place, size, colour and text) is compared with a
// file under testdata/golden. A widget that moves, hides or changes size
// fails its test even when every text stays the same. After a deliberate
// change, run the tests with OFFBOARD_UPDATE_GOLDEN=1 and review the diff
// of the files like code.

var goldenThemes = []struct {
	name   string
	choice themeChoice
}{{"light", themeLight}, {"dark", themeDark}}

// assertGolden compares the window with testdata/golden/name.xml. The data
// folder, a new temporary folder in every run, is written as $DATA.
// dataText is the markup of a text showing the data folder.
var dataText = regexp.MustCompile(`(<text[^>]*) size="[0-9]+x[0-9]+">\$DATA<`)

func (h *harness) assertGolden(name string) {
	h.t.Helper()
	h.settle()
	path := filepath.Join("testdata", "golden", name+".xml")
	if !strings.Contains(test.RenderToMarkup(h.canvas()), h.dir) {
		if os.Getenv("OFFBOARD_UPDATE_GOLDEN") != "" {
			h.writeGolden(path, test.RenderToMarkup(h.canvas()))
		}
		// The toolkit's own comparison, which also leaves what it saw
		// under testdata/failed when it differs.
		test.AssertRendersToMarkup(h.t, filepath.Join("golden", name+".xml"), h.canvas())
		return
	}
	// The folder's text is as wide as its name, which changes from run to
	// run: its size is left out with it.
	got := dataText.ReplaceAllString(strings.ReplaceAll(test.RenderToMarkup(h.canvas()), h.dir, "$DATA"), `$1 size="…">$$DATA<`)
	if os.Getenv("OFFBOARD_UPDATE_GOLDEN") != "" {
		h.writeGolden(path, got)
	}
	want, err := os.ReadFile(path)
	if err != nil {
		h.t.Fatalf("no golden file: %v (run with OFFBOARD_UPDATE_GOLDEN=1 to write it)", err)
	}
	if string(want) != got {
		failed := filepath.Join("testdata", "failed", "golden", name+".xml")
		h.writeGolden(failed, got)
		h.t.Errorf("the window differs from %s; it is in %s", path, failed)
	}
}

func (h *harness) writeGolden(path, markup string) {
	h.t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		h.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(markup), 0o644); err != nil {
		h.t.Fatal(err)
	}
}

// eachTheme runs see on a new window in the light and in the dark theme.
func eachTheme(t *testing.T, see func(h *harness, variant string)) {
	for _, th := range goldenThemes {
		t.Run(th.name, func(t *testing.T) {
			h := newHarness(t)
			h.u.setThemeChoice(th.choice)
			see(h, th.name)
		})
	}
}

func TestGoldenSignIn(t *testing.T) {
	eachTheme(t, func(h *harness, variant string) { h.assertGolden("signin_" + variant) })
}

func TestGoldenWorkspace(t *testing.T) {
	eachTheme(t, func(h *harness, variant string) {
		h.openSample()
		h.assertGolden("workspace_" + variant)
	})
}

func TestGoldenSettings(t *testing.T) {
	eachTheme(t, func(h *harness, variant string) {
		s := h.openSettings("")
		for _, tab := range []struct{ title, file string }{
			{"Profile", "profile"}, {"Security", "security"}, {"Data & privacy", "data"}, {"Account", "account"},
		} {
			s.selectTab(tab.title)
			h.canvas().Unfocus() // the caret blinks: its state is no part of the layout
			h.assertGolden("settings_" + tab.file + "_" + variant)
		}
	})
}
