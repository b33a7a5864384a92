// Command offboard keeps a freelancing-marketplace client account encrypted on
// this computer and walks its owner through closing it safely.
//
// With no subcommand it opens the window; the subcommands share the same core
// for scripting, tests and benchmarks.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	_ "time/tzdata" // the sample's time zones must resolve on Windows too, which has no zoneinfo

	// First of all packages: keeps the toolkit's harmless log lines off stderr.
	_ "earlylog"

	"offboard/account"
	"offboard/ui"
)

// version is stamped at build time from FyneApp.toml (see the Makefile).
var version = "dev"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run dispatches to a subcommand and returns the process exit code:
// 0 success, 1 a refused or failed operation, 2 a usage error.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, ok := commands[args[0]]
		if !ok {
			fmt.Fprintf(stderr, "offboard: unknown command %q\n\n", args[0])
			usage(stderr)
			return 2
		}
		return cmd(args[1:], stdin, stdout, stderr)
	}
	fs := flag.NewFlagSet("offboard", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { usage(stderr) }
	dir := dataDirFlag(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := ui.Run(*dir, version); err != nil {
		fmt.Fprintln(stderr, "offboard:", err)
		return 1
	}
	return 0
}

func usage(w io.Writer) {
	fmt.Fprint(w, `Usage:
  offboard [--data-dir DIR]                 open the window
  offboard sample --data-dir DIR [--size small|large] [--email E]
  offboard export --data-dir DIR --email E --out FILE [--passphrase-file F]
  offboard verify FILE [--passphrase-file F]
  offboard import --data-dir DIR --email E FILE [--passphrase-file F] [--dry-run]
  offboard close --data-dir DIR --email E (--export FILE [--passphrase-file F] | --no-export)
                 [--reason R] [--resolve-blockers]
  offboard signup --data-dir DIR --email E --company NAME
  offboard password --data-dir DIR --email E
  offboard two-factor on|off --data-dir DIR --email E
  offboard version

Passwords and two-factor codes are read from standard input, one per line:
signup reads the password twice; password reads the current password, the new
one twice, then a code when two-factor is on; two-factor on reads the password,
prints the secret and recovery codes, then reads the app's code; two-factor off
reads the password and a code.
--data-dir defaults to $OFFBOARD_DATA_DIR, then to the per-user application
data folder.
`)
}

// dataDirFlag registers --data-dir with its default from the environment or
// the OS's per-user application data folder.
func dataDirFlag(fs *flag.FlagSet) *string {
	def := os.Getenv("OFFBOARD_DATA_DIR")
	if def == "" {
		def, _ = account.DefaultDir()
	}
	return fs.String("data-dir", def, "the data folder")
}

// errUsage marks errors that are the caller's words, not the operation.
var errUsage = errors.New("usage")
