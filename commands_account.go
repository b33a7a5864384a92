package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"offboard/account"
)

// The account commands do what the window's sign-up and Security settings
// do, so that scripts and tests can drive them. Secrets come from standard
// input, one per line, and are never echoed.

// accountFlags parses --data-dir and --email, the flags every account command
// takes; pos are the positional arguments left.
func accountFlags(name string, args []string, stdout, stderr io.Writer, extra func(*flag.FlagSet)) (dir, email string, pos []string, err error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	d := dataDirFlag(fs)
	e := fs.String("email", "", "the account's email")
	if extra != nil {
		extra(fs)
	}
	pos, err = parse(fs, args, stdout, stderr)
	if err != nil {
		return "", "", nil, err
	}
	if *e == "" {
		return "", "", nil, fmt.Errorf("%w: %s needs --email", errUsage, name)
	}
	return *d, *e, pos, nil
}

// newPasswordTwice checks that the two lines typed for a new password match.
func newPasswordTwice(first, second string) error {
	if first == "" {
		return fmt.Errorf("%w: give the new password twice on standard input, one per line", errUsage)
	}
	if first != second {
		return errors.New("the two new passwords differ; type the same password twice")
	}
	return nil
}

func cmdSignup(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var company *string
	dir, email, pos, err := accountFlags("signup", args, stdout, stderr, func(fs *flag.FlagSet) {
		company = fs.String("company", "", "the company's name")
	})
	if err != nil {
		return fail(stderr, err)
	}
	if len(pos) > 0 || strings.TrimSpace(*company) == "" {
		return fail(stderr, fmt.Errorf("%w: signup needs --email and --company, and no other arguments", errUsage))
	}
	lines := readSecrets(stdin, 2)
	if err := newPasswordTwice(lines[0], lines[1]); err != nil {
		return fail(stderr, err)
	}
	p, err := createAccount(dir, stderr, func(s *account.Store) (*account.Account, error) {
		return s.SignUp(email, lines[0], *company)
	})
	if err != nil {
		return fail(stderr, err)
	}
	fmt.Fprintf(stdout, "Account created for %s (%s).\n", p.Email, p.Company)
	return 0
}

func cmdPassword(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	dir, email, pos, err := accountFlags("password", args, stdout, stderr, nil)
	if err != nil {
		return fail(stderr, err)
	}
	if len(pos) > 0 {
		return fail(stderr, fmt.Errorf("%w: password takes no arguments, got %q", errUsage, pos))
	}
	// current, new, new again, and the code when two-factor is on.
	lines := readSecrets(stdin, 4)
	if lines[0] == "" {
		return fail(stderr, fmt.Errorf("%w: give the current password, then the new one twice, on standard input", errUsage))
	}
	if err := newPasswordTwice(lines[1], lines[2]); err != nil {
		return fail(stderr, err)
	}
	s, err := openStore(dir, stderr)
	if err != nil {
		return fail(stderr, err)
	}
	defer s.Close()
	a, err := signInWith(s, email, lines[0], lines[3], "on the fourth line, after the new password twice")
	if err != nil {
		return fail(stderr, err)
	}
	defer a.Close()
	if err := a.ChangePassword(lines[0], lines[1]); err != nil {
		return fail(stderr, err)
	}
	fmt.Fprintln(stdout, "Password changed. Use the new password from now on.")
	return 0
}

// signInWith signs in with a password and, when two-factor is on, a code;
// where tells the person which line of standard input the code goes on.
func signInWith(s *account.Store, email, password, code, where string) (*account.Account, error) {
	si, err := s.SignIn(email, password)
	if err != nil {
		return nil, err
	}
	a, err := si.Complete(code)
	if err != nil {
		si.Cancel()
		if errors.Is(err, account.ErrCodeRequired) {
			err = fmt.Errorf("two-factor is on: give the 6-digit code (or a recovery code) %s", where)
		}
		return nil, err
	}
	return a, nil
}

// cmdTwoFactor turns two-factor sign-in on or off. "on" reads the password,
// prints the secret to type into an authenticator app and the recovery codes,
// then reads the app's current code to confirm. "off" reads the password and
// a code.
func cmdTwoFactor(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	dir, email, pos, err := accountFlags("two-factor", args, stdout, stderr, nil)
	if err != nil {
		return fail(stderr, err)
	}
	if len(pos) != 1 || (pos[0] != "on" && pos[0] != "off") {
		return fail(stderr, fmt.Errorf("%w: two-factor takes on or off", errUsage))
	}
	in := bufio.NewScanner(stdin)
	line := func() string {
		if !in.Scan() {
			return ""
		}
		return strings.TrimRight(in.Text(), "\r")
	}
	password := line()
	if password == "" {
		return fail(stderr, fmt.Errorf("%w: give the password on standard input", errUsage))
	}
	s, err := openStore(dir, stderr)
	if err != nil {
		return fail(stderr, err)
	}
	defer s.Close()
	if pos[0] == "off" {
		err = twoFactorOff(s, email, password, line, stdout)
	} else {
		err = twoFactorOn(s, email, password, line, stdout)
	}
	if err != nil {
		return fail(stderr, err)
	}
	return 0
}

// twoFactorOff signs in with the password and the next line's code, and
// turns two-factor sign-in off.
func twoFactorOff(s *account.Store, email, password string, line func() string, stdout io.Writer) error {
	a, err := signInWith(s, email, password, line(), "on the line after the password")
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.DisableTwoFactor(password); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "Two-factor sign-in is off.")
	return nil
}

// twoFactorOn signs in with the password, prints a new secret and recovery
// codes, and turns two-factor sign-in on once the next line is the code the
// app shows.
func twoFactorOn(s *account.Store, email, password string, line func() string, stdout io.Writer) error {
	si, err := s.SignIn(email, password)
	if err != nil {
		return err
	}
	if si.NeedsCode() {
		si.Cancel()
		return errors.New("two-factor sign-in is already on; turn it off first to set up a new app")
	}
	a, err := si.Complete("")
	if err != nil {
		return err
	}
	defer a.Close()
	setup, err := a.NewTwoFactor()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "secret: %s\n", setup.Secret)
	fmt.Fprintln(stdout, "Type the secret into your authenticator app. Keep these recovery codes somewhere safe; each works once:")
	for _, c := range setup.RecoveryCodes {
		fmt.Fprintf(stdout, "recovery code: %s\n", c)
	}
	fmt.Fprintln(stdout, "Enter the 6-digit code your app shows now:")
	if err := a.EnableTwoFactor(setup, line()); err != nil {
		return fmt.Errorf("two-factor is still off: %w", err)
	}
	fmt.Fprintln(stdout, "Two-factor sign-in is on.")
	return nil
}
