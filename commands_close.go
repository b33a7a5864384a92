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

// closeFlags are the command line of offboard close.
type closeFlags struct {
	dir, email, export, passFile, reason, receipt string
	noExport, resolve                             bool
}

// parseCloseFlags reads close's command line and refuses one that does not
// say which account to close, or both or neither of --export and
// --no-export.
func parseCloseFlags(args []string, stdout, stderr io.Writer) (closeFlags, error) {
	var f closeFlags
	fs := flag.NewFlagSet("close", flag.ContinueOnError)
	dir := dataDirFlag(fs)
	fs.StringVar(&f.email, "email", "", "the account's email")
	fs.StringVar(&f.export, "export", "", "write and verify a copy of the data to this file first")
	fs.BoolVar(&f.noExport, "no-export", false, "close without keeping a copy of the data")
	fs.StringVar(&f.passFile, "passphrase-file", "", "encrypt the export with the passphrase in this file")
	fs.StringVar(&f.reason, "reason", "", "why the account is closed (optional): "+reasonList())
	fs.BoolVar(&f.resolve, "resolve-blockers", false, "end contracts, pay invoices, close postings, resolve disputes and remove members first")
	fs.StringVar(&f.receipt, "receipt", "", "after the purge, also save the receipt to this file (readable by you only)")
	pos, err := parse(fs, args, stdout, stderr)
	f.dir = *dir
	switch {
	case err != nil:
		return f, err
	case len(pos) > 0 || f.email == "":
		return f, fmt.Errorf("%w: close needs --email", errUsage)
	case (f.export == "") == !f.noExport:
		return f, fmt.Errorf("%w: choose one of --export FILE or --no-export", errUsage)
	}
	return f, checkReceiptPath(f.receipt)
}

// cmdClose runs the same closure sequence as the window's dialogs: there is
// no shortcut past any of its checks. The typed confirmation is the --email
// given on the command line. Each step is a function below, in order.
func cmdClose(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	f, err := parseCloseFlags(args, stdout, stderr)
	if err != nil {
		return fail(stderr, err)
	}
	pass, err := readNewPassphrase(f.passFile)
	if err != nil {
		return fail(stderr, err)
	}
	a, secrets, done, err := openAccount(f.dir, f.email, stdin, stderr)
	if err != nil {
		return fail(stderr, err)
	}
	defer done()
	c, err := a.BeginClosure()
	if err != nil {
		return fail(stderr, err)
	}
	steps := []func() error{
		func() error { return closeImplications(c, stdout) },
		func() error { return closeBlockers(c, f.resolve, stdout) },
		func() error { return closeBackup(c, f, pass, stdout) },
		func() error { return closeConfirm(c, f, stdout) },
		func() error { return closeIdentity(c, secrets) },
		func() error { return closePurge(c, stdout) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return closeFailed(stderr, err)
		}
	}
	return saveReceipt(f.receipt, c.Receipt(), stdout, stderr)
}

// closeFailed says why the closure stopped; unsettled blockers also say how
// to settle them.
func closeFailed(stderr io.Writer, err error) int {
	code := fail(stderr, err)
	var be *account.BlockersError
	if errors.As(err, &be) {
		fmt.Fprintln(stderr, "Settle them in the app, or run again with --resolve-blockers.")
	}
	return code
}

// closeImplications shows what closing loses, as the first dialog does.
func closeImplications(c *account.Closure, stdout io.Writer) error {
	im, err := c.Implications()
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "Before you go:")
	for _, t := range im.Consequences {
		fmt.Fprintln(stdout, "  -", t)
	}
	return c.Continue()
}

// closeBlockers settles the blockers when asked to (saying what it settled)
// and refuses to go on while any remain.
func closeBlockers(c *account.Closure, resolve bool, stdout io.Writer) error {
	if resolve {
		done, err := c.ResolveAll()
		for _, b := range done {
			fmt.Fprintf(stdout, "Settled: %s — %s\n", b.Action, b.Text)
		}
		if err != nil {
			return err
		}
	}
	return c.Settled()
}

// closeBackup writes and verifies the export, or records that the owner
// needs no copy.
func closeBackup(c *account.Closure, f closeFlags, pass string, stdout io.Writer) error {
	if f.noExport {
		return c.SkipBackup(true)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	res, err := c.Backup(ctx, f.export, account.ExportOptions{Passphrase: pass, AppVersion: version})
	if err != nil {
		return err
	}
	// Its checksum is in the receipt.
	fmt.Fprintf(stdout, "Backed up and verified: %s (%d bytes)\n", res.Path, res.Size)
	return nil
}

// closeConfirm records the reason, shows what Confirm shows in the window
// (the same account.Summary), and takes the typed confirmation, which is
// the --email given.
func closeConfirm(c *account.Closure, f closeFlags, stdout io.Writer) error {
	r, other := parseReason(f.reason)
	if err := c.SetReason(r, other); err != nil {
		return err
	}
	printSummary(stdout, c.Summary())
	return c.Confirm(f.email)
}

// printSummary writes the facts of the Confirm step, a line each.
func printSummary(w io.Writer, s *account.Summary) {
	fmt.Fprintln(w, "Please check that this is what you want:")
	fmt.Fprintf(w, "  Account:       %s (%s)\n", s.Email, s.Company)
	if s.CountsErr != nil {
		fmt.Fprintf(w, "  To be deleted: everything the account holds (the numbers could not be read: %v)\n", s.CountsErr)
	} else {
		fmt.Fprintf(w, "  To be deleted: %d items\n", s.Counts.Total())
	}
	switch {
	case s.Backup == nil:
		fmt.Fprintln(w, "  Your copy:     none kept; you chose to go on without one")
	case s.BackupSHA256 != "":
		fmt.Fprintf(w, "  Your copy:     %s (SHA-256 %s)\n", s.Backup.Path, s.BackupSHA256)
	default:
		fmt.Fprintf(w, "  Your copy:     %s\n", s.Backup.Path)
	}
	reason := "none given"
	switch {
	case s.Reason == account.ReasonOther && s.ReasonText != "":
		reason = "other: " + s.ReasonText
	case s.Reason != account.ReasonNone:
		reason = string(s.Reason)
	}
	fmt.Fprintf(w, "  Reason:        %s\n", reason)
}

// closeIdentity is the final identity check: the password again and, when
// two-factor is on, a second, fresh code from the third line of stdin.
func closeIdentity(c *account.Closure, secrets []string) error {
	code := ""
	if on, _ := c.NeedsCode(); on {
		code = secrets[2]
		if code == "" {
			return errors.New("two-factor is on: the final identity check needs a second, fresh code (wait for the next one in your app) or a recovery code on the third line of standard input")
		}
	}
	return c.Verify(secrets[0], code)
}

// closePurge erases the account and prints the receipt, which exists even
// when a late part of the purge failed.
func closePurge(c *account.Closure, stdout io.Writer) error {
	receipt, err := c.Purge(nil)
	if receipt != nil {
		fmt.Fprintln(stdout)
		fmt.Fprint(stdout, receipt)
	}
	return err
}

func reasonList() string {
	names := make([]string, len(account.Reasons))
	for i, r := range account.Reasons {
		names[i] = fmt.Sprintf("%q", r)
	}
	return strings.Join(names, ", ") + ", or any other words"
}
