package ui

import (
	"context"
	"io"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// progressDialog shows a long job's progress with a working Cancel button.
// Closing it any other way (Escape) cancels the job too.
type progressDialog struct {
	d      *dialog.CustomDialog
	bar    *progressBar
	barBox *fyne.Container
	text   *widget.Label
	cancel *button
	ctx    context.Context
	stop   context.CancelFunc
	done   bool
}

// newProgress shows a progress dialog; its context is cancelled when the
// user cancels, and the job reports through set and finish.
func (u *UI) newProgress(title, text string) *progressDialog {
	p := &progressDialog{bar: newProgressBar(), text: wrapLabel(text)}
	p.ctx, p.stop = context.WithCancel(context.Background())
	p.cancel = newButton(lang.L("Cancel"), func() {
		p.cancel.Disable()
		p.text.SetText(lang.L("Cancelling…"))
		p.stop()
	})
	p.barBox = container.NewStack(p.bar)
	p.d = u.newDialog(title, container.New(&widthLayout{width: 420}, container.NewVBox(p.text, p.barBox)), p.cancel)
	u.showDialog(p.d)
	p.d.SetOnClosed(func() {
		if !p.done {
			p.stop()
		}
	})
	// The focus is not put on Cancel: the dialog opens on a key press
	// (Space on Yes at "Overwrite?"), and the space that the press then
	// types would land on Cancel and stop the job at once. Escape cancels,
	// and Tab reaches the button.
	u.win.Canvas().Unfocus()
	return p
}

// infinite shows a moving bar, for a job that cannot tell how far it is.
func (p *progressDialog) infinite() {
	p.barBox.Objects = []fyne.CanvasObject{widget.NewProgressBarInfinite()}
	p.barBox.Refresh()
}

// set shows how far the job is, as a fraction and a line of text.
func (p *progressDialog) set(fraction float64, text string) {
	p.bar.SetValue(fraction)
	if text != "" && p.ctx.Err() == nil {
		p.text.SetText(text)
	}
}

// finish closes the dialog once the job has ended, however it ended.
func (p *progressDialog) finish() {
	p.done = true
	p.stop()
	p.d.Hide()
	if inf, ok := p.barBox.Objects[0].(*widget.ProgressBarInfinite); ok {
		inf.Stop()
	}
}

// ctxReader stops a copy as soon as its context is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
	n   int64
	on  func(n int64)
}

func (c *ctxReader) Read(b []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := c.r.Read(b)
	c.n += int64(n)
	if c.on != nil && n > 0 {
		c.on(c.n)
	}
	return n, err
}

// percentSteps tells when work has moved on by a whole percent: the core
// reports every item or chunk, thousands of times a second, far more often
// than a person can read or the UI goroutine should be woken.
type percentSteps struct{ last int64 }

func newPercentSteps() *percentSteps { return &percentSteps{last: -1} }

// next is done of total as a fraction of whole percents, and whether that
// percent is new (nothing done of nothing counts as all of it).
func (s *percentSteps) next(done, total int64) (float64, bool) {
	p := int64(100)
	if total > 0 {
		p = min(done*100/total, 100)
	}
	if p == s.last {
		return float64(p) / 100, false
	}
	s.last = p
	return float64(p) / 100, true
}

// percentReporter calls report at most once per whole percent of total.
func percentReporter(total int64, report func(fraction float64)) func(n int64) {
	steps := newPercentSteps()
	return func(n int64) {
		if f, ok := steps.next(n, total); ok {
			report(f)
		}
	}
}
