package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"offboard/account"
)

func init() { commands["close"] = cmdClose }

// parseReason accepts a reason's name or any other words (taken as Other).
func parseReason(s string) (account.Reason, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return account.ReasonNone, ""
	}
	for _, r := range account.Reasons {
		if strings.EqualFold(s, string(r)) {
			return r, ""
		}
	}
	return account.ReasonOther, strings.TrimPrefix(strings.TrimPrefix(s, "other:"), "other")
}

// cmdClose runs the same closure sequence as the window's dialogs: there is
// no shortcut past any of its checks. The typed confirmation is the --email
// given on the command line.
func cmdClose(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("close", flag.ContinueOnError)
	dir := dataDirFlag(fs)
	email := fs.String("email", "", "the account's email")
	export := fs.String("export", "", "write and verify a copy of the data to this file first")
	noExport := fs.Bool("no-export", false, "close without keeping a copy of the data")
	passFile := fs.String("passphrase-file", "", "encrypt the export with the passphrase in this file")
	reason := fs.String("reason", "", "why the account is closed (optional): "+reasonList())
	resolve := fs.Bool("resolve-blockers", false, "end contracts, pay invoices, close postings, resolve disputes and remove members first")
	receiptFile := fs.String("receipt", "", "after the purge, also save the receipt to this file (readable by you only)")
	pos, err := parse(fs, args, stderr)
	if err != nil {
		return 2
	}
	switch {
	case len(pos) > 0 || *email == "":
		return fail(stderr, fmt.Errorf("%w: close needs --email", errUsage))
	case (*export == "") == !*noExport:
		return fail(stderr, fmt.Errorf("%w: choose one of --export FILE or --no-export", errUsage))
	}
	if err := checkReceiptPath(*receiptFile); err != nil {
		return fail(stderr, err)
	}
	pass, err := readNewPassphrase(*passFile)
	if err != nil {
		return fail(stderr, err)
	}
	a, secrets, done, err := openAccount(*dir, *email, stdin, stderr)
	if err != nil {
		return fail(stderr, err)
	}
	defer done()
	c, err := a.BeginClosure()
	if err != nil {
		return fail(stderr, err)
	}

	im, err := c.Implications()
	if err != nil {
		return fail(stderr, err)
	}
	fmt.Fprintln(stdout, "Before you go:")
	for _, t := range im.Consequences {
		fmt.Fprintln(stdout, "  -", t)
	}
	if err := c.Continue(); err != nil {
		return fail(stderr, err)
	}
	if *resolve {
		done, err := c.ResolveAll()
		for _, b := range done {
			fmt.Fprintf(stdout, "Settled: %s — %s\n", b.Action, b.Text)
		}
		if err != nil {
			return fail(stderr, err)
		}
	}
	if err := c.Settled(); err != nil {
		fmt.Fprintln(stderr, "offboard:", err)
		var be *account.BlockersError
		if errors.As(err, &be) {
			fmt.Fprintln(stderr, "Settle them in the app, or run again with --resolve-blockers.")
		}
		return 1
	}
	if *noExport {
		err = c.SkipBackup(true)
	} else {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		var res *account.ExportResult
		res, err = c.Backup(ctx, *export, account.ExportOptions{Passphrase: pass, AppVersion: version})
		stop()
		if err == nil {
			// Its checksum is in the receipt below.
			fmt.Fprintf(stdout, "Backed up and verified: %s (%d bytes)\n", res.Path, res.Size)
		}
	}
	if err != nil {
		return fail(stderr, err)
	}
	r, other := parseReason(*reason)
	if err := c.SetReason(r, other); err != nil {
		return fail(stderr, err)
	}
	if err := c.Confirm(*email); err != nil {
		return fail(stderr, err)
	}
	code := ""
	if on, _ := c.NeedsCode(); on {
		code = secrets[2]
		if code == "" {
			return fail(stderr, errors.New("two-factor is on: the final identity check needs a second, fresh code (wait for the next one in your app) or a recovery code on the third line of standard input"))
		}
	}
	if err := c.Verify(secrets[0], code); err != nil {
		return fail(stderr, err)
	}
	receipt, err := c.Purge(nil)
	if receipt != nil {
		fmt.Fprintln(stdout)
		fmt.Fprint(stdout, receipt)
	}
	if err != nil {
		return fail(stderr, err)
	}
	return saveReceipt(*receiptFile, receipt, stdout, stderr)
}

func reasonList() string {
	names := make([]string, len(account.Reasons))
	for i, r := range account.Reasons {
		names[i] = fmt.Sprintf("%q", r)
	}
	return strings.Join(names, ", ") + ", or any other words"
}
