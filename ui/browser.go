package ui

import (
	"cmp"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"offboard/account"
)

// The workspace's lists can be long (the large sample has 100,000
// messages), so a list first reads only its records' IDs, which the core
// returns without decrypting anything, and decrypts a record when its row
// scrolls into view. widget.List recycles the row widgets, so the cost of a
// list does not grow with its length.

// rowCacheSize bounds the decrypted records kept for scrolling back.
const rowCacheSize = 4096

// rows are the records of one list: all their keys, and those records that
// have been shown.
type rows[K comparable, T any] struct {
	keys        []K
	load        func(K) (T, error)
	cache       map[K]T
	oldestFirst bool // newest first unless set: the latest item is what one looks for
}

func newRows[K comparable, T any](keys []K, load func(K) (T, error)) *rows[K, T] {
	return &rows[K, T]{keys: keys, load: load, cache: map[K]T{}}
}

func (r *rows[K, T]) len() int {
	if r == nil {
		return 0
	}
	return len(r.keys)
}

// key is the key of row i.
func (r *rows[K, T]) key(i int) K {
	if r.oldestFirst {
		return r.keys[i]
	}
	return r.keys[len(r.keys)-1-i]
}

// at returns the record of row i, decrypting it on first use.
func (r *rows[K, T]) at(i int) (T, error) {
	var zero T
	if i < 0 || i >= len(r.keys) {
		return zero, account.ErrNotFound
	}
	k := r.key(i)
	if v, ok := r.cache[k]; ok {
		return v, nil
	}
	v, err := r.load(k)
	if err != nil {
		return zero, err
	}
	if len(r.cache) >= rowCacheSize {
		clear(r.cache)
	}
	r.cache[k] = v
	return v, nil
}

// loadKeys reads the IDs of kind off the UI goroutine and hands them to done.
func (u *UI) loadKeys(acct *account.Account, kind account.Kind, done func([]uint64, error)) {
	u.background(func() func() {
		var keys []uint64
		err := acct.View(func(tx *account.Tx) error {
			var err error
			keys, err = tx.Keys(kind)
			return err
		})
		return func() { done(keys, err) }
	})
}

// loadDated reads every record of a kind off the UI goroutine and orders
// them by date, so that the list shows the latest first. It is for the
// kinds that stay in the thousands; messages are listed lazily instead.
func loadDated[T any](u *UI, list func() ([]T, error), id func(*T) uint64, date func(*T) time.Time,
	load func(uint64) (T, error), done func(*rows[uint64, T], error)) {
	u.background(func() func() {
		all, err := list()
		slices.SortStableFunc(all, func(a, b T) int {
			if c := date(&a).Compare(date(&b)); c != 0 {
				return c
			}
			return cmp.Compare(id(&a), id(&b))
		})
		r := newRows(make([]uint64, 0, len(all)), load)
		for i := range all {
			k := id(&all[i])
			r.keys = append(r.keys, k)
			r.cache[k] = all[i]
		}
		return func() { done(r, err) }
	})
}

// browser is a list with, beside it, the details of the selected row.
type browser struct {
	list    *widget.List
	state   *widget.Label // "Loading…", "Nothing here yet", or why the list could not be read
	detail  *fyne.Container
	content fyne.CanvasObject

	length func() int
	pick   string // what the detail pane says while nothing is selected
	empty  string
	show   func(i int) fyne.CanvasObject
}

// newBrowser makes a list of length() rows drawn by update, whose selected
// row's details show builds.
func newBrowser(empty, pick string, length func() int, update func(i int, r *listRow), show func(i int) fyne.CanvasObject) *browser {
	b := &browser{length: length, pick: pick, empty: empty, show: show}
	b.list = widget.NewList(length,
		func() fyne.CanvasObject { return newListRow() },
		func(id widget.ListItemID, o fyne.CanvasObject) { update(id, o.(*listRow)) })
	b.list.OnSelected = func(id widget.ListItemID) { b.setDetail(b.show(id)) }
	b.list.OnUnselected = func(widget.ListItemID) { b.setDetail(nil) }
	b.state = placeholder(lang.L("Loading…"))
	b.detail = container.NewStack()
	b.setDetail(nil)
	split := container.NewHSplit(container.NewStack(b.list, centered(b.state)), b.detail)
	split.Offset = 0.42
	b.content = split
	return b
}

// loaded shows the list once its keys are read, or why they could not be.
func (b *browser) loaded(err error) {
	switch {
	case err != nil:
		b.state.Importance = widget.DangerImportance
		b.state.SetText(lang.L("This list could not be read."))
		b.state.Show()
		b.list.Refresh()
		b.setDetail(detailPane(lang.L("This list could not be read"), []string{lang.L("Problem"), errText(err)}))
		return
	case b.length() == 0:
		b.state.SetText(b.empty)
		b.state.Show()
	default:
		b.state.Hide()
	}
	b.list.UnselectAll()
	b.list.Refresh()
	b.setDetail(nil)
}

func (b *browser) setDetail(o fyne.CanvasObject) {
	if o == nil {
		o = centered(placeholder(b.pick))
		if b.length() == 0 {
			o = container.NewStack()
		}
	}
	b.detail.Objects = []fyne.CanvasObject{o}
	b.detail.Refresh()
}

// unreadable draws a row whose record failed its integrity check.
func unreadable(r *listRow, err error) {
	r.set(lang.L("This item could not be read"), "", widget.DangerImportance, errText(err))
	r.title.Importance = widget.DangerImportance
}

// detailPane lays out a record's details: a title, its facts, and the
// longer text and actions under them.
func detailPane(title string, pairs []string, more ...fyne.CanvasObject) fyne.CanvasObject {
	objs := []fyne.CanvasObject{subheading(title), facts(pairs...)}
	objs = append(objs, more...)
	return container.NewVScroll(container.NewPadded(container.NewVBox(objs...)))
}

// bodyText is a long, selectable text such as a description or a message.
func bodyText(s string) *widget.Label {
	l := wrapLabel(s)
	l.Selectable = true
	return l
}

// contractName names a contract in another record's details.
func contractName(acct *account.Account, id uint64) string {
	if id == 0 {
		return "—"
	}
	c, err := account.Get[account.Contract](acct, id)
	if err != nil {
		return lang.L("Contract {{.ID}} (not found)", map[string]any{"ID": id})
	}
	return lang.L("{{.Title}} with {{.Freelancer}}", map[string]any{"Title": c.Title, "Freelancer": c.Freelancer})
}
