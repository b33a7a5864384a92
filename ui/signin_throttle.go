package ui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"offboard/account"
)

// who is the account the form is about: the normalised email, as the core
// keys its throttle.
func (s *signInScreen) who() string {
	e, err := account.NormalizeEmail(strings.TrimSpace(s.email.Text))
	if err != nil {
		return strings.TrimSpace(s.email.Text)
	}
	return e
}

// counted notes a wrong password or code, and says what the next wrong one
// costs, or starts the wait this one costs.
func (s *signInScreen) counted(err error) {
	if !errors.Is(err, account.ErrWrongPassword) && !errors.Is(err, account.ErrWrongCode) {
		return
	}
	if s.wrong == nil {
		s.wrong = map[string]uint32{}
	}
	who := s.who()
	s.wrong[who]++
	n := s.wrong[who]
	if wait := account.DelayAfter(n); wait > 0 {
		s.startWait(wait)
		return
	}
	if next := account.DelayAfter(n + 1); next > 0 {
		what := lang.L("One more wrong password and you wait {{.Wait}} before you can try again.", map[string]any{"Wait": waitText(next)})
		if errors.Is(err, account.ErrWrongCode) {
			what = lang.L("One more wrong code and you wait {{.Wait}} before you can try again.", map[string]any{"Wait": waitText(next)})
		}
		s.message.set(what, widget.WarningImportance)
	}
}

// forget clears what the screen knew of the throttle once a sign-in worked:
// the core has cleared its count too.
func (s *signInScreen) forget() {
	delete(s.wrong, s.who())
	s.waitFor, s.waitUntil = "", time.Time{}
	s.waitTick++
}

// startWait disables Sign in for d and counts down to the next try. When
// the screen did not see the earlier wrong answers (they were made before
// a restart), the wait tells how many there were.
func (s *signInScreen) startWait(d time.Duration) {
	who := s.who()
	if s.wrong == nil {
		s.wrong = map[string]uint32{}
	}
	for s.wrong[who] < 64 && account.DelayAfter(s.wrong[who]) < d {
		s.wrong[who]++
	}
	s.waitFor, s.waitUntil = who, s.u.now().Add(d)
	s.waitTick++
	s.tick(s.waitTick)
}

// waiting reports whether the account in the form must wait now.
func (s *signInScreen) waiting() bool {
	return !s.waitUntil.IsZero() && s.waitFor == s.who() && s.u.now().Before(s.waitUntil)
}

// tick shows the time left and comes back when the shown number changes,
// until the wait is over; a tick of an earlier wait does nothing.
func (s *signInScreen) tick(n int) {
	if n != s.waitTick || s.waitUntil.IsZero() {
		return
	}
	s.render()
	if s.waitUntil.IsZero() {
		return
	}
	left := s.waitUntil.Sub(s.u.now())
	step := left - left.Truncate(time.Second)
	if step <= 0 {
		step = time.Second
	}
	s.u.after(step, func() { s.tick(n) })
}

// render shows the wait as it is now: the time left, with Sign in disabled,
// while the account in the form must wait; Sign in enabled otherwise.
func (s *signInScreen) render() {
	enable := func() {
		if s.busy {
			s.submit.Disable()
		} else {
			s.submit.Enable()
		}
	}
	if s.waitUntil.IsZero() {
		enable()
		return
	}
	left := s.waitUntil.Sub(s.u.now())
	switch {
	case left <= 0:
		if s.waitFor == s.who() {
			s.message.set(lang.L("You can try again now."), widget.MediumImportance)
		}
		s.waitFor, s.waitUntil = "", time.Time{}
		enable()
	case s.waitFor != s.who():
		// Another account is typed in: its own throttle applies.
		s.message.set("", widget.MediumImportance)
		enable()
	default:
		s.message.set(lang.L("Too many wrong attempts. You can try again in {{.Wait}}.", map[string]any{"Wait": countdownText(left)}), widget.DangerImportance)
		s.submit.Disable()
	}
}

// countdownText is a wait left as a clock shows it: 0:45, 2:05.
func countdownText(d time.Duration) string {
	secs := int((d + time.Second - 1) / time.Second)
	return fmt.Sprintf("%d:%02d", secs/60, secs%60)
}
