package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"offboard/account"
	"offboard/account/archive"
)

func cmdVersion(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	pos, err := parse(fs, args, stdout, stderr)
	if err != nil {
		return fail(stderr, err)
	}
	if len(pos) > 0 {
		return fail(stderr, fmt.Errorf("%w: version takes no arguments, got %q", errUsage, pos))
	}
	fmt.Fprintln(stdout, "offboard", version)
	return 0
}

// errUsage marks errors that are the caller's words, not the operation.
var errUsage = errors.New("usage")

// errFlags is a command line the flag package refused; it has said why, and
// the usage followed.
var errFlags = fmt.Errorf("%w: bad flags", errUsage)

// errHelp is --help (or -h): the usage has been printed on stdout.
var errHelp = errors.New("help asked for")

// parse parses the flags of the command of the table that fs is named
// after; positional arguments are allowed only where the command takes
// them. --help prints the command's usage on stdout and returns errHelp.
func parse(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) ([]string, error) {
	c, _ := lookup(fs.Name())
	return parseFlags(fs, args, stdout, stderr, func(w io.Writer, full bool) { commandUsage(w, c, fs, full) })
}

// parseFlags parses args with fs, printing the full usage on stdout for
// --help, and the short one on stderr, after the flag package's complaint,
// for flags it refuses.
func parseFlags(fs *flag.FlagSet, args []string, stdout, stderr io.Writer, usage func(w io.Writer, full bool)) ([]string, error) {
	fs.SetOutput(stderr)
	fs.Usage = func() {} // printed below, on the stream that fits
	// Allow flags after positional arguments ("verify FILE --passphrase-file F").
	var pos []string
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			usage(stdout, true)
			return nil, errHelp
		}
		if err != nil {
			usage(stderr, false)
			return nil, errFlags
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// commandUsage is c's own --help when full: its synopsis, what it does and
// reads, and its flags; otherwise its synopsis and where the rest is.
func commandUsage(w io.Writer, c command, fs *flag.FlagSet, full bool) {
	fmt.Fprintln(w, "Usage:", strings.TrimSpace("offboard "+c.name+" "+c.synopsis))
	if !full {
		fmt.Fprintf(w, "\"offboard %s --help\" says what it reads and what each flag means.\n", c.name)
		return
	}
	if c.help != "" {
		fmt.Fprintf(w, "\n%s.\n", strings.ToUpper(c.help[:1])+c.help[1:])
	}
	if c.stdin != "" {
		fmt.Fprintf(w, "Standard input, one per line: %s.\n", c.stdin)
	}
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		fmt.Fprintln(w, "\nFlags:")
		out := fs.Output()
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(out)
	}
}

// fail prints err and returns its exit code: 0 for --help, 2 for a usage
// error, 1 for anything else.
func fail(stderr io.Writer, err error) int {
	switch {
	case errors.Is(err, errHelp):
		return 0
	case errors.Is(err, errFlags):
		return 2 // the flag package and the usage have said it all
	}
	fmt.Fprintln(stderr, "offboard:", err)
	if errors.Is(err, errUsage) {
		return 2
	}
	return 1
}

// openStore opens the data folder dir, first moving the data there from
// where Offboard 0.1 kept it when dir is the default, and saying so on stderr.
func openStore(dir string, stderr io.Writer) (*account.Store, error) {
	s, mv, err := openDataDir(dir)
	if errors.Is(err, errNoDataDir) {
		return nil, fmt.Errorf("%w: %w", errUsage, err)
	}
	switch {
	case mv.Moved:
		fmt.Fprintf(stderr, "offboard: moved your data folder from %s to %s, where this system keeps application data (once)\n", mv.From, mv.To)
	case mv.Left:
		fmt.Fprintf(stderr, "offboard: an older data folder remains in %s; this one, %s, already holds accounts, so both were left as they are (pass --data-dir %s to use the old one)\n", mv.From, mv.To, mv.From)
	}
	return s, err
}

func cmdSample(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sample", flag.ContinueOnError)
	dir := dataDirFlag(fs)
	size := fs.String("size", "small", "small or large")
	email := fs.String("email", account.SampleEmail, "the sample account's email")
	pos, err := parse(fs, args, stdout, stderr)
	if err != nil {
		return fail(stderr, err)
	}
	if len(pos) > 0 {
		return fail(stderr, fmt.Errorf("%w: sample takes no arguments, got %q", errUsage, pos))
	}
	sz, err := account.ParseSampleSize(*size)
	if err != nil {
		return fail(stderr, fmt.Errorf("%w: %v", errUsage, err))
	}
	p, err := createAccount(*dir, stderr, func(s *account.Store) (*account.Account, error) {
		return s.CreateSample(sz, *email, nil)
	})
	if err != nil {
		return fail(stderr, err)
	}
	fmt.Fprintf(stdout, "email: %s\npassword: %s\n", p.Email, account.SamplePassword)
	return 0
}

// createAccount opens the data folder, makes an account in it with create,
// and returns its profile; the store and the account are closed again.
func createAccount(dir string, stderr io.Writer, create func(*account.Store) (*account.Account, error)) (account.Profile, error) {
	s, err := openStore(dir, stderr)
	if err != nil {
		return account.Profile{}, err
	}
	defer s.Close()
	a, err := create(s)
	if err != nil {
		return account.Profile{}, err
	}
	defer a.Close()
	return a.Profile()
}

// readSecrets reads up to n lines from stdin (password, then code). Missing
// lines are returned empty; a password is never echoed or logged.
func readSecrets(stdin io.Reader, n int) []string {
	out := make([]string, n)
	sc := bufio.NewScanner(stdin)
	for i := 0; i < n && sc.Scan(); i++ {
		out[i] = strings.TrimRight(sc.Text(), "\r")
	}
	return out
}

// readPassphrase reads a passphrase file, dropping one trailing newline.
func readPassphrase(path string) (string, error) {
	if path == "" {
		return "", nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("read the passphrase file: %w", err)
	}
	p := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	if p == "" {
		return "", fmt.Errorf("%w: the passphrase file %s is empty", errUsage, path)
	}
	return p, nil
}

// readNewPassphrase reads the passphrase for a new export, which must meet
// the strength rule (checked before signing in, so nothing is done first).
func readNewPassphrase(path string) (string, error) {
	p, err := readPassphrase(path)
	if err == nil && p != "" {
		if cerr := account.CheckPassphrase(p); cerr != nil {
			return "", fmt.Errorf("%w: the passphrase in %s: %v", errUsage, path, cerr)
		}
	}
	return p, err
}

// signInCLI signs in with the password (and, when two-factor is on, the code)
// read from standard input. It returns the lines read: password, sign-in
// code, and a third line that only close uses (a fresh code for its final
// identity check).
func signInCLI(s *account.Store, email string, stdin io.Reader) (*account.Account, []string, error) {
	lines := readSecrets(stdin, 3)
	if lines[0] == "" {
		return nil, nil, fmt.Errorf("%w: give the password on standard input", errUsage)
	}
	a, err := signInWith(s, email, lines[0], lines[1], "on the line after the password; for close, a second, fresh code on the line after that")
	if err != nil {
		return nil, nil, err
	}
	return a, lines, nil
}

// openAccount opens the data folder and signs in from standard input; done
// closes both.
func openAccount(dir, email string, stdin io.Reader, stderr io.Writer) (*account.Account, []string, func(), error) {
	s, err := openStore(dir, stderr)
	if err != nil {
		return nil, nil, nil, err
	}
	a, lines, err := signInCLI(s, email, stdin)
	if err != nil {
		s.Close()
		return nil, nil, nil, err
	}
	return a, lines, func() { a.Close(); s.Close() }, nil
}

func cmdExport(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	dir := dataDirFlag(fs)
	email := fs.String("email", "", "the account's email")
	out := fs.String("out", "", "the export file to write")
	passFile := fs.String("passphrase-file", "", "encrypt the export with the passphrase in this file")
	pos, err := parse(fs, args, stdout, stderr)
	if err != nil {
		return fail(stderr, err)
	}
	if len(pos) > 0 || *email == "" || *out == "" {
		return fail(stderr, fmt.Errorf("%w: export needs --email and --out", errUsage))
	}
	pass, err := readNewPassphrase(*passFile)
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
	res, err := a.Export(ctx, *out, account.ExportOptions{Passphrase: pass, AppVersion: version})
	if err != nil {
		return fail(stderr, err)
	}
	sum, err := res.SHA256()
	if err != nil {
		return fail(stderr, err)
	}
	printExport(stdout, res.Path, res.Size, sum, res.Counts)
	return 0
}

func printExport(w io.Writer, path string, size int64, sum string, counts account.Counts) {
	fmt.Fprintf(w, "export: %s\nsize: %d bytes\nsha256: %s\nverified: yes\n", path, size, sum)
	for _, k := range account.Kinds {
		fmt.Fprintf(w, "%s: %d\n", k, counts[k])
	}
}

func cmdVerify(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	passFile := fs.String("passphrase-file", "", "the passphrase of an encrypted export")
	pos, err := parse(fs, args, stdout, stderr)
	if err != nil {
		return fail(stderr, err)
	}
	if len(pos) != 1 {
		return fail(stderr, fmt.Errorf("%w: verify takes one export file", errUsage))
	}
	pass, err := readPassphrase(*passFile)
	if err != nil {
		return fail(stderr, err)
	}
	m, err := account.VerifyExport(context.Background(), pos[0], pass)
	switch {
	case errors.Is(err, archive.ErrWrongPassphrase), errors.Is(err, archive.ErrNeedPassphrase):
		// Nothing was checked: saying the file is damaged would be wrong.
		fmt.Fprintf(stderr, "offboard: %s could not be checked: %v\n", pos[0], err)
		return 1
	case err != nil:
		fmt.Fprintf(stderr, "offboard: %s is NOT intact: %v\n", pos[0], err)
		return 1
	}
	total := 0
	for _, n := range m.Counts {
		total += n
	}
	fmt.Fprintf(stdout, "%s is intact: %d entries and %d items match the manifest (made %s by Offboard %s)\n",
		pos[0], len(m.Entries), total, m.Created.Format(time.RFC3339), m.AppVersion)
	return 0
}
