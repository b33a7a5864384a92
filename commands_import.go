package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"offboard/account"
)

// cmdImport brings the data of an export into an account: it verifies the
// export, reads it through, prints what would come in per kind, and then,
// unless --dry-run, adds it. Items an earlier import brought in are not
// added again.
func cmdImport(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	dir := dataDirFlag(fs)
	email := fs.String("email", "", "the email of the account to import into")
	passFile := fs.String("passphrase-file", "", "the passphrase of an encrypted export")
	dryRun := fs.Bool("dry-run", false, "check the export and show what it would add, without changing anything")
	pos, err := parse(fs, args, stdout, stderr)
	if err != nil {
		return fail(stderr, err)
	}
	if len(pos) != 1 || *email == "" {
		return fail(stderr, fmt.Errorf("%w: import needs --email and one export file", errUsage))
	}
	pass, err := readPassphrase(*passFile)
	if err != nil {
		return fail(stderr, err)
	}
	a, _, done, err := openAccount(*dir, *email, stdin, stderr)
	if err != nil {
		return fail(stderr, err)
	}
	defer done()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	plan, err := a.PlanImport(ctx, pos[0], pass)
	if err != nil {
		return fail(stderr, err)
	}
	m := plan.Manifest
	fmt.Fprintf(stdout, "%s is intact: %d entries, made %s by Offboard %s (format %d)\n",
		pos[0], len(m.Entries), m.Created.Format(time.RFC3339), m.AppVersion, m.Format)
	verb := "to add"
	if *dryRun {
		verb = "would add"
	}
	for _, k := range account.Kinds {
		fmt.Fprintf(stdout, "%s: %d %s, %d already here\n", k, plan.New[k], verb, plan.Known[k])
	}
	if *dryRun {
		fmt.Fprintf(stdout, "dry run: nothing was changed (%d items would be added)\n", plan.Total())
		return 0
	}
	if plan.Total() == 0 {
		fmt.Fprintln(stdout, "nothing new: everything in this export is already in the account")
		return 0
	}
	added, err := plan.Run(ctx, nil)
	if err != nil {
		if n := added.Total(); n > 0 {
			fmt.Fprintf(stderr, "offboard: %d items were added before the import stopped; importing the same export again finishes it\n", n)
		}
		return fail(stderr, err)
	}
	fmt.Fprintf(stdout, "imported: %d items added\n", added.Total())
	return 0
}
