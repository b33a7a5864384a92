package account

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The throttle lets freeAttempts wrong answers through, then doubles the wait
// after each further one, from baseDelay up to maxDelay. It never locks the
// owner out for good, and it is kept in the file so a restart does not reset it.
const (
	freeAttempts = 3
	baseDelay    = time.Second
	maxDelay     = 15 * time.Minute
)

// ThrottledError means too many wrong attempts were made; wait before the next.
type ThrottledError struct {
	Wait time.Duration
}

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("too many wrong attempts; wait %s before trying again", roundWait(e.Wait))
}

func roundWait(d time.Duration) string {
	s := int(math.Ceil(d.Seconds()))
	switch {
	case s < 2:
		return "1 second"
	case s < 120:
		return fmt.Sprintf("%d seconds", s)
	default:
		return fmt.Sprintf("%d minutes", (s+59)/60)
	}
}

type throttle struct {
	failures uint32
	until    time.Time
}

func (t *throttle) decode(b []byte) {
	if len(b) != 12 {
		*t = throttle{}
		return
	}
	t.failures = binary.BigEndian.Uint32(b)
	if ns := int64(binary.BigEndian.Uint64(b[4:])); ns > 0 {
		t.until = time.Unix(0, ns)
	}
}

func (t throttle) encode() []byte {
	b := binary.BigEndian.AppendUint32(nil, t.failures)
	var ns int64
	if !t.until.IsZero() {
		ns = t.until.UnixNano()
	}
	return binary.BigEndian.AppendUint64(b, uint64(ns))
}

// DelayAfter is the wait imposed after n consecutive wrong answers.
func DelayAfter(n uint32) time.Duration {
	if n <= freeAttempts {
		return 0
	}
	shift := n - freeAttempts - 1
	if shift > 20 {
		return maxDelay
	}
	return min(baseDelay<<shift, maxDelay)
}

// throttled runs check unless wrong passwords have earned a wait, and
// records the outcome on the password's counter, in the file's header: a
// failure (errWrong) extends the wait, a success clears it. The counter is
// written before any key is known, so it cannot be sealed; the two-factor
// code's own counter can, and lives in the sealed security record, which a
// right password never touches (see CheckCode).
func throttled(db *bolt.DB, now time.Time, check func(*header) error, errWrong ...error) error {
	var h *header
	err := view(db, func(tx *bolt.Tx) error {
		var err error
		h, err = readHeader(tx)
		return err
	})
	if err != nil {
		return err
	}
	current := h.throttle
	if wait := current.until.Sub(now); wait > 0 {
		// A clock set back must not extend the wait beyond its cap.
		return &ThrottledError{Wait: min(wait, maxDelay)}
	}
	err = check(h)
	failed := false
	for _, w := range errWrong {
		if errors.Is(err, w) {
			failed = true
		}
	}
	var next throttle // a right answer clears the counter
	switch {
	case failed:
		next = current.failed(now)
	case err != nil:
		return err
	}
	if next != current {
		if uerr := update(db, func(tx *bolt.Tx) error {
			return tx.Bucket(bHeader).Put(kThrottle, next.encode())
		}); uerr != nil {
			return fmt.Errorf("record the attempt: %w", diskHint(uerr))
		}
	}
	return err
}

// failed is the counter after one more wrong answer at now.
func (t throttle) failed(now time.Time) throttle {
	t.failures++
	t.until = now.Add(DelayAfter(t.failures))
	return t
}

// MinTimeFor1000Guesses is the least waiting the throttle imposes on 1,000
// consecutive wrong answers (documented in docs/THREAT_MODEL.md).
const MinTimeFor1000Guesses = 200 * time.Hour
