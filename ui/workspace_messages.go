package ui

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"offboard/account"
)

// messagesTab reads the conversations with freelancers like a mail client:
// threads, the messages of the chosen thread, and the chosen message.
// Its first row lists every message of the account at once.
type messagesTab struct {
	u       *UI
	acct    *account.Account
	content fyne.CanvasObject

	threads     *widget.List
	threadState *widget.Label
	messages    *widget.List
	msgState    *widget.Label
	reader      *fyne.Container
	status      statusLabel // where the last saved attachment went

	threadRows *rows[uint64, account.Thread]
	all        [][2]uint64            // every message's thread and ID, in stored order
	byThread   map[uint64][][2]uint64 // the same, per thread
	msgRows    *rows[[2]uint64, account.Message]
	threadErr  error
	msgErr     error
	msgLoaded  bool
	loaded     bool
}

func newMessagesTab(u *UI, acct *account.Account) *messagesTab {
	t := &messagesTab{u: u, acct: acct}
	t.threads = widget.NewList(t.threadCount,
		func() fyne.CanvasObject { return newListRow() },
		func(id widget.ListItemID, o fyne.CanvasObject) { t.updateThread(id, o.(*listRow)) })
	t.threads.OnSelected = t.selectThread
	t.threadState = placeholder(lang.L("Loading…"))

	t.messages = widget.NewList(func() int { return t.msgRows.len() },
		func() fyne.CanvasObject { return newListRow() },
		func(id widget.ListItemID, o fyne.CanvasObject) { t.updateMessage(id, o.(*listRow)) })
	t.messages.OnSelected = t.selectMessage
	t.msgState = placeholder(lang.L("Select a conversation to see its messages."))

	t.reader = container.NewStack()
	t.setReader(nil)

	right := container.NewHSplit(container.NewStack(t.messages, centered(t.msgState)), t.reader)
	// Half for the list: a sender's name and the day must fit at 800×600.
	right.Offset = 0.5
	split := container.NewHSplit(container.NewStack(t.threads, centered(t.threadState)), right)
	split.Offset = 0.3
	t.content = split

	loadDated(u, func() ([]account.Thread, error) { return account.List[account.Thread](acct) },
		func(v *account.Thread) uint64 { return v.ID }, func(v *account.Thread) time.Time { return v.Started },
		func(id uint64) (account.Thread, error) { return account.Get[account.Thread](acct, id) },
		func(r *rows[uint64, account.Thread], err error) { t.threadRows, t.threadErr = r, err; t.showLoaded() })
	u.background(func() func() {
		var all [][2]uint64
		err := acct.View(func(tx *account.Tx) error {
			var err error
			all, err = tx.MessageKeys()
			return err
		})
		// Reading the keys passed every page of the messages; the rows
		// need only the few they show.
		acct.LetGoOfPages()
		// Message IDs grow as messages arrive, so ordering by ID lists the
		// whole account in the order its messages came in, across threads.
		slices.SortFunc(all, func(a, b [2]uint64) int { return cmp.Compare(a[1], b[1]) })
		byThread := map[uint64][][2]uint64{}
		for _, k := range all {
			byThread[k[0]] = append(byThread[k[0]], k)
		}
		return func() { t.all, t.byThread, t.msgErr, t.msgLoaded = all, byThread, err, true; t.showLoaded() }
	})
	return t
}

// showLoaded shows the threads once both they and the message keys are read.
func (t *messagesTab) showLoaded() {
	if t.threadRows == nil || !t.msgLoaded {
		return
	}
	err := t.threadErr
	if err == nil {
		err = t.msgErr
	}
	t.loaded = err == nil
	switch {
	case err != nil:
		t.threadState.Importance = widget.DangerImportance
		t.threadState.SetText(lang.L("The messages could not be read."))
		t.setReader(detailPane(lang.L("The messages could not be read"), []string{lang.L("Problem"), errText(err)}))
	case t.threadRows.len() == 0 && len(t.all) == 0:
		t.threadState.SetText(lang.L("No messages yet."))
		t.msgState.SetText("")
	default:
		t.threadState.Hide()
	}
	t.threads.Refresh()
}

// threadCount is the number of rows in the thread list: "All messages",
// then one per thread.
func (t *messagesTab) threadCount() int {
	if !t.loaded || (t.threadRows.len() == 0 && len(t.all) == 0) {
		return 0
	}
	return 1 + t.threadRows.len()
}

func (t *messagesTab) updateThread(i int, r *listRow) {
	if i == 0 {
		r.set(lang.L("All messages"), countText(len(t.all)), widget.MediumImportance, lang.L("Every conversation, latest first"))
		return
	}
	th, err := t.threadRows.at(i - 1)
	if err != nil {
		unreadable(r, err)
		return
	}
	r.set(th.Subject, countText(len(t.byThread[th.ID])), widget.MediumImportance,
		th.Freelancer+" · "+lang.L("since {{.Date}}", map[string]any{"Date": dateText(th.Started)}))
}

func (t *messagesTab) selectThread(i int) {
	keys := t.all
	if i > 0 {
		th, err := t.threadRows.at(i - 1)
		if err != nil {
			keys = nil
		} else {
			keys = t.byThread[th.ID]
		}
	}
	acct := t.acct
	t.msgRows = newRows(keys, func(k [2]uint64) (account.Message, error) {
		var m account.Message
		err := acct.View(func(tx *account.Tx) error {
			var err error
			m, err = tx.MessageAt(k[0], k[1])
			return err
		})
		return m, err
	})
	if len(keys) == 0 {
		t.msgState.SetText(lang.L("No messages in this conversation."))
		t.msgState.Show()
	} else {
		t.msgState.Hide()
	}
	t.messages.UnselectAll()
	t.messages.Refresh()
	t.messages.ScrollToTop()
	t.setReader(nil)
}

func (t *messagesTab) updateMessage(i int, r *listRow) {
	m, err := t.msgRows.at(i)
	if err != nil {
		unreadable(r, err)
		return
	}
	preview := strings.Join(strings.Fields(m.Body), " ")
	// The day only: beside the sender's name, a full time with its zone
	// leaves a narrow window room for three letters of the name. The
	// reader shows the time.
	r.set(m.Sender, dateText(m.Sent), widget.MediumImportance, preview)
}

func (t *messagesTab) selectMessage(i int) {
	m, err := t.msgRows.at(i)
	if err != nil {
		t.setReader(detailPane(lang.L("This item could not be read"), []string{lang.L("Problem"), errText(err)}))
		return
	}
	subject := lang.L("Conversation {{.ID}} (not found)", map[string]any{"ID": m.ThreadID})
	if th, err := account.Get[account.Thread](t.acct, m.ThreadID); err == nil {
		subject = th.Subject
	}
	more := []fyne.CanvasObject{widget.NewSeparator(), bodyText(m.Body)}
	if len(m.Attachments) > 0 {
		t.status = newStatusLabel()
		more = append(more, subheading(lang.L("Attachments")))
		for _, id := range m.Attachments {
			f, err := account.Get[account.File](t.acct, id)
			if err != nil {
				l := wrapLabel(lang.L("An attachment could not be read: {{.Problem}}", map[string]any{"Problem": errText(err)}))
				l.Importance = widget.DangerImportance
				more = append(more, l)
				continue
			}
			save := newIconButton(lang.L("Save a copy…"), theme.DocumentSaveIcon(), func() { t.u.saveFileAs(t.acct, f, t.status) })
			name := widget.NewLabel(f.Name + " (" + sizeText(f.Size) + ")")
			name.Truncation = fyne.TextTruncateEllipsis
			more = append(more, container.NewBorder(nil, nil, widget.NewIcon(theme.FileIcon()), save, name))
		}
		more = append(more, t.status.Label)
	}
	t.setReader(detailPane(subject, []string{
		lang.L("From"), m.Sender,
		lang.L("Sent"), timeText(m.Sent),
	}, more...))
}

func (t *messagesTab) setReader(o fyne.CanvasObject) {
	if o == nil {
		o = container.NewStack()
		if t.msgRows.len() > 0 {
			o = centered(placeholder(lang.L("Select a message to read it.")))
		}
	}
	t.reader.Objects = []fyne.CanvasObject{o}
	t.reader.Refresh()
}
