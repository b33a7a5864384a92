// Command offboard keeps a freelancing-marketplace client account encrypted on
// this computer and walks its owner through closing it safely.
//
// With no subcommand it opens the window; the subcommands share the same core
// for scripting, tests and benchmarks. main does the wiring: it reads the
// command line, opens the data folder and makes the app, and hands them to
// the window (package ui) or to a command of the table below.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	_ "time/tzdata" // the sample's time zones must resolve on Windows too, which has no zoneinfo

	// First of all packages: keeps the toolkit's harmless log lines off stderr.
	_ "earlylog"

	"fyne.io/fyne/v2/app"

	"offboard/account"
	"offboard/ui"
)

// version is stamped at build time from FyneApp.toml (see the Makefile).
var version = "dev"

// appID names the app to the OS and keys its preferences. It is the ID in
// FyneApp.toml, which the Makefile reads; TestAppIDIsFyneAppTomls keeps the
// two the same.
const appID = "app.offboard.desktop"

// errNoDataDir is why nothing can start when no data folder is given and the
// system has no per-user data folder. The window's start screen shows it in
// the person's language (ui's translation test reads this file for it).
var errNoDataDir = errors.New("no data folder: pass --data-dir or set OFFBOARD_DATA_DIR")

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// command is one subcommand of the command line.
type command struct {
	name     string
	synopsis string // its arguments, as the usage shows them
	help     string // what it does, in one line
	stdin    string // what it reads on standard input, if anything
	run      func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

// commands is the command line: every subcommand, in the order the usage
// lists them. It is a function rather than a variable because help, one of
// its commands, lists them all.
func commands() []command {
	return []command{
		{"sample", "--data-dir DIR [--size small|large] [--email E]",
			"make a sample account, full of made-up data, and print its email and password", "", cmdSample},
		{"signup", "--data-dir DIR --email E --company NAME",
			"create an account, as the window's sign-up does", "the password twice, one per line", cmdSignup},
		{"password", "--data-dir DIR --email E",
			"change an account's password", "the current password, the new one twice, then a code when two-factor is on", cmdPassword},
		{"two-factor", "on|off --data-dir DIR --email E",
			"turn two-factor sign-in on or off",
			"on: the password; it prints the secret and recovery codes, then reads the code your app shows; off: the password and a code", cmdTwoFactor},
		{"export", "--data-dir DIR --email E --out FILE [--passphrase-file F]",
			"write a verified copy of an account's data to FILE", "the password, then a code when two-factor is on", cmdExport},
		{"verify", "FILE [--passphrase-file F]",
			"check that an export is intact, entry by entry", "", cmdVerify},
		{"import", "--data-dir DIR --email E FILE [--passphrase-file F] [--dry-run]",
			"bring the data of an export into an account", "the password, then a code when two-factor is on", cmdImport},
		{"close", "--data-dir DIR --email E (--export FILE [--passphrase-file F] | --no-export)\n               [--reason R] [--resolve-blockers]",
			"close an account for good, through the same checks as the window",
			"the password, a code when two-factor is on, then a second, fresh code for the final identity check", cmdClose},
		{"version", "", "print the program's version", "", cmdVersion},
		{"help", "[COMMAND]", "say how to use offboard, or one command", "", cmdHelp},
	}
}

// lookup finds a command of the table by name.
func lookup(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// run dispatches to a subcommand, or opens the window when there is none,
// and returns the process exit code: 0 success, 1 a refused or failed
// operation, 2 a usage error.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, ok := lookup(args[0])
		if !ok {
			fmt.Fprintf(stderr, "offboard: unknown command %q\n\n", args[0])
			usage(stderr)
			return 2
		}
		return cmd.run(args[1:], stdin, stdout, stderr)
	}
	fs := flag.NewFlagSet("offboard", flag.ContinueOnError)
	dir := dataDirFlag(fs)
	pos, err := parseFlags(fs, args, stdout, stderr, func(w io.Writer, full bool) {
		if full {
			usage(w)
		} else {
			fmt.Fprintln(w, `"offboard --help" lists the commands and their flags.`)
		}
	})
	if err == nil && len(pos) > 0 {
		err = fmt.Errorf("%w: the command goes first (offboard %s --data-dir DIR …); \"offboard --help\" lists them", errUsage, pos[0])
	}
	if err != nil {
		return fail(stderr, err)
	}
	if err := openWindow(*dir); err != nil {
		fmt.Fprintln(stderr, "offboard:", err)
		return 1
	}
	return 0
}

// openWindow makes the app, opens the data folder dir and shows the window
// on it until the person closes it. When the folder cannot be opened (most
// often because another Offboard holds it) the window says why, and
// openWindow returns that error once it is closed.
func openWindow(dir string) error {
	a := app.NewWithID(appID)
	store, mv, err := openDataDir(dir)
	if err != nil {
		ui.ShowStartError(a, err)
		return err
	}
	ui.Run(a, store, ui.Options{Version: version, Moved: mv})
	return store.Close()
}

// openDataDir opens the data folder dir, first moving the data there from
// where Offboard 0.1 kept it when dir is the default; mv says what moved.
func openDataDir(dir string) (*account.Store, account.DataDirMove, error) {
	if dir == "" {
		return nil, account.DataDirMove{}, errNoDataDir
	}
	mv, err := account.MoveOldDataDir(dir)
	if err != nil {
		return nil, mv, err
	}
	s, err := account.Open(dir, account.Options{})
	return s, mv, err
}

// usage lists the commands of the table.
func usage(w io.Writer) {
	cmds := commands()
	fmt.Fprintln(w, "Usage:")
	fmt.Fprintln(w, "  offboard [--data-dir DIR]")
	for _, c := range cmds {
		fmt.Fprintln(w, " ", strings.TrimSpace("offboard "+c.name+" "+c.synopsis))
	}
	fmt.Fprintln(w, "\nCommands:")
	fmt.Fprintf(w, "  %-11s %s\n", "(none)", "open the window")
	for _, c := range cmds {
		fmt.Fprintf(w, "  %-11s %s\n", c.name, c.help)
	}
	fmt.Fprint(w, `
Passwords and two-factor codes are read from standard input, one per line,
and never echoed; "offboard COMMAND --help" says which lines a command reads.
--data-dir defaults to $OFFBOARD_DATA_DIR, then to the per-user application
data folder.
`)
}

// cmdHelp prints the usage, or one command's own --help.
func cmdHelp(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	pos, err := parse(flag.NewFlagSet("help", flag.ContinueOnError), args, stdout, stderr)
	switch {
	case err != nil:
		return fail(stderr, err)
	case len(pos) == 0:
		usage(stdout)
		return 0
	case len(pos) > 1:
		return fail(stderr, fmt.Errorf("%w: help takes at most one command, got %q", errUsage, pos))
	}
	c, ok := lookup(pos[0])
	if !ok {
		return fail(stderr, fmt.Errorf("%w: unknown command %q; \"offboard help\" lists them", errUsage, pos[0]))
	}
	return c.run([]string{"--help"}, nil, stdout, stderr)
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
