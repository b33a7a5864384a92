package account

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"strings"

	"offboard/account/vault"
)

// message writes one message of a thread's page. A large account has
// 100,000 of them, so this markup is written directly rather than through
// a template (whose reflection would double the time of the pages), each
// value escaped with html/template's own HTML escaper.
func (p *pageWriter) message(m *Message, attachments []cell) {
	if p.err != nil {
		return
	}
	w := p.bw
	esc := func(s string) { template.HTMLEscape(w, []byte(s)) }
	w.WriteString(`<article class="msg" id="m`)
	w.WriteString(idText(m.ID))
	w.WriteString(`"><div><b>`)
	esc(m.Sender)
	w.WriteString(`</b><time>`)
	esc(minute(m.Sent))
	w.WriteString("</time></div>\n<div class=\"body\">")
	esc(m.Body)
	w.WriteString(`</div>`)
	if len(attachments) > 0 {
		w.WriteString("\n<ul>")
		for _, a := range attachments {
			w.WriteString(`<li><a href="`)
			esc(a.Href)
			w.WriteString(`">`)
			esc(a.Text)
			w.WriteString(`</a></li>`)
		}
		w.WriteString(`</ul>`)
	}
	w.WriteString("</article>\n")
}

// writeThreadPages writes one page per thread with its messages, in the
// order they are stored (by thread, then by message), in one transaction
// that lets go of the pages it read every dropEvery messages.
func (ps *pageSet) writeThreadPages(open func(string) (io.Writer, error)) error {
	return ps.a.View(func(tx *Tx) error {
		defer dropMapping(tx.tx)
		rel := &pageReleaser{tx: tx.tx}
		return Each(tx, func(t *Thread) error {
			return ps.writeThread(tx, open, t, rel)
		})
	})
}

func (ps *pageSet) writeThread(tx *Tx, open func(string) (io.Writer, error), t *Thread, rel *pageReleaser) error {
	pw, err := ps.startThread(open, threadHead{ID: t.ID, Subject: t.Subject, Freelancer: t.Freelancer, Started: t.Started})
	if err != nil {
		return err
	}
	n := 0
	err = tx.ThreadMessages(t.ID, func(m *Message) error {
		n++
		rel.read(1)
		ps.threadMessage(pw, m)
		return pw.err
	})
	if err != nil {
		return err
	}
	return ps.endThread(pw, n)
}

// startThread opens the page of thread t and writes its head.
func (ps *pageSet) startThread(open func(string) (io.Writer, error), t threadHead) (*pageWriter, error) {
	ew, err := open("pages/" + threadPage(t.ID))
	if err != nil {
		return nil, err
	}
	pw := newPageWriter(ew)
	subject := t.Subject
	if strings.TrimSpace(subject) == "" {
		subject = "(no subject)"
	}
	lead := "With " + t.Freelancer + ", started " + isoDay(t.Started) + "."
	pw.exec("head", ps.head(subject, lead, "../../"))
	return pw, nil
}

// threadMessage writes message m on its thread's page, with links to the
// attachments the export holds.
func (ps *pageSet) threadMessage(pw *pageWriter, m *Message) {
	var att []cell
	for _, f := range m.Attachments {
		if p, ok := ps.filePath[f]; ok {
			att = append(att, cell{Text: strings.TrimPrefix(p, "files/"), Href: fileHref("../../", p)})
		}
	}
	pw.message(m, att)
}

// endThread ends a thread's page that showed n messages.
func (ps *pageSet) endThread(pw *pageWriter, n int) error {
	if n == 0 {
		pw.exec("empty", nil)
	}
	pw.exec("foot", ps.head("", "", "../../"))
	return pw.close()
}

// threadPages writes the threads' pages from the messages' own pass: the
// messages are stored by thread, then by message, and the threads in the
// order of their IDs, so each page is opened when its thread's first
// message comes by and finished when the next thread's does; a thread
// without messages gets its page, empty, in its turn. A message whose
// thread the account does not hold is on no page, as in a thread's own
// walk (writeThread).
type threadPages struct {
	ps   *pageSet
	open func(string) (io.Writer, error)
	next int         // index in ps.threads of the next thread to open
	cur  *pageWriter // the open page, or nil
	id   uint64      // its thread
	n    int         // messages on it so far
}

func (ps *pageSet) newThreadPages(open func(string) (io.Writer, error)) *threadPages {
	return &threadPages{ps: ps, open: open}
}

// add puts the message stored under key (thread ID, message ID), whose
// plaintext is plain, on its thread's page.
func (tp *threadPages) add(key, plain []byte) error {
	if len(key) != 16 {
		return fmt.Errorf("messages item: %w", vault.ErrCorrupt)
	}
	thread := binary.BigEndian.Uint64(key)
	if tp.cur == nil || tp.id != thread {
		if err := tp.advance(thread); err != nil {
			return err
		}
	}
	if tp.cur == nil || tp.id != thread {
		return nil
	}
	var m Message
	if json.Unmarshal(plain, &m) != nil {
		return fmt.Errorf("messages item: %w", vault.ErrCorrupt)
	}
	tp.n++
	tp.ps.threadMessage(tp.cur, &m)
	return tp.cur.err
}

// advance finishes the open page, writes the pages of the threads before
// thread, and opens thread's page if the account holds that thread.
func (tp *threadPages) advance(thread uint64) error {
	if err := tp.end(); err != nil {
		return err
	}
	for tp.next < len(tp.ps.threads) && tp.ps.threads[tp.next].ID <= thread {
		t := tp.ps.threads[tp.next]
		tp.next++
		pw, err := tp.ps.startThread(tp.open, t)
		if err != nil {
			return err
		}
		tp.cur, tp.id, tp.n = pw, t.ID, 0
		if t.ID == thread {
			return nil
		}
		if err := tp.end(); err != nil {
			return err
		}
	}
	return nil
}

// end finishes the open page, if any.
func (tp *threadPages) end() error {
	if tp.cur == nil {
		return nil
	}
	pw := tp.cur
	tp.cur = nil
	return tp.ps.endThread(pw, tp.n)
}

// finish writes the pages still to come, once every message has gone by.
func (tp *threadPages) finish() error {
	if err := tp.advance(^uint64(0)); err != nil {
		return err
	}
	return tp.end()
}
