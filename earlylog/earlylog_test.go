package earlylog

import (
	"bytes"
	"log"
	"testing"
)

func TestFilterDropsOnlyTheHarmlessMessages(t *testing.T) {
	var out bytes.Buffer
	l := log.New(New(&out), "2026/12/01 22:32:14 ", 0)
	logError := func(reason, cause string) {
		l.Println("Fyne error: ", reason)
		if cause != "" {
			l.Println("  Cause:", cause)
		}
		l.Printf("  At: %s:%d", "/x/lang/locale.go", 35)
	}
	logError("Error parsing user locale C", "language: tag is not well-formed")
	logError("Error parsing user locale POSIX", "language: tag is not well-formed")
	logError("Preferences load error:", "EOF")
	logError("Getting favorite locations", "this is not a directory")
	if out.Len() != 0 {
		t.Fatalf("harmless messages shown:\n%s", out.String())
	}
	logError("Error parsing user locale xx_YY!", "language: tag is not well-formed")
	logError("Preferences load error:", "invalid character 'x'")
	l.Println("an ordinary line")
	logError("Preferences load error:", "")
	l.Println("the last line")
	got := out.String()
	for _, want := range []string{"user locale xx_YY!", "Preferences load error:", "invalid character 'x'", "an ordinary line", "the last line"} {
		if !bytes.Contains(out.Bytes(), []byte(want)) {
			t.Errorf("%q was dropped:\n%s", want, got)
		}
	}
	if n := bytes.Count(out.Bytes(), []byte("Preferences load error")); n != 2 {
		t.Errorf("the preferences errors with real causes shown %d times, want 2:\n%s", n, got)
	}
	if n := bytes.Count(out.Bytes(), []byte("  At: ")); n != 3 {
		t.Errorf("%d At lines, want 3:\n%s", n, got)
	}
}
