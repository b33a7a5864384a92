package account

import (
	"fmt"
	"strings"
	"unicode"
)

// MaxPasswordBytes is bcrypt's limit: it ignores anything past 72 bytes, so a
// longer password would silently be only partly checked.
const MaxPasswordBytes = 72

// MinPasswordBytes is the shortest password accepted.
const MinPasswordBytes = 8

func checkPasswordLength(password string) error {
	if len(password) > MaxPasswordBytes {
		return problem(FieldPassword, "the password is longer than {{.Max}} bytes; Offboard passwords are at most {{.Max}} bytes", map[string]any{"Max": MaxPasswordBytes})
	}
	return nil
}

// PasswordStrength rates a password from 0 (very weak) to 4 (strong), with a
// hint on how to make it stronger.
func PasswordStrength(password, email string) (score int, hint string) {
	if len(password) < MinPasswordBytes {
		return 0, fmt.Sprintf("use at least %d characters", MinPasswordBytes)
	}
	lower := strings.ToLower(password)
	local, _, _ := strings.Cut(strings.ToLower(email), "@")
	if commonPasswords[lower] || (len(local) >= 3 && strings.Contains(lower, local)) {
		return 0, "avoid common passwords and your email address"
	}
	classes, distinct := characterMix(password)
	if distinct < 5 {
		return 1, "use more different characters"
	}
	n := len([]rune(password))
	switch {
	case n >= 16 || (n >= 12 && classes >= 3):
		return 4, "strong"
	case n >= 12 || (n >= 10 && classes >= 3):
		return 3, "good; a longer passphrase is stronger still"
	case classes >= 2:
		return 2, "fair; make it longer or mix in digits and symbols"
	}
	return 1, "make it longer or mix in capitals, digits and symbols"
}

// characterMix counts the kinds of character in password (lower case,
// upper case, digits, the rest) and its distinct characters.
func characterMix(password string) (classes, distinct int) {
	var kinds [4]bool
	seen := map[rune]bool{}
	for _, r := range password {
		if !seen[r] {
			seen[r] = true
			distinct++
		}
		switch {
		case unicode.IsLower(r):
			kinds[0] = true
		case unicode.IsUpper(r):
			kinds[1] = true
		case unicode.IsDigit(r):
			kinds[2] = true
		default:
			kinds[3] = true
		}
	}
	for _, k := range kinds {
		if k {
			classes++
		}
	}
	return classes, distinct
}

// MinPasswordScore is the weakest password strength accepted.
const MinPasswordScore = 2

// CheckNewPassword refuses passwords that are too weak or too long.
func CheckNewPassword(password, email string) error {
	if err := checkPasswordLength(password); err != nil {
		return err
	}
	if score, hint := PasswordStrength(password, email); score < MinPasswordScore {
		return problem(FieldPassword, "the password is too weak: {{.Hint}}", map[string]any{"Hint": Phrase(hint)})
	}
	return nil
}

// CheckPassphrase refuses an export passphrase weaker than a password may be:
// the same strength rule, without bcrypt's 72-byte limit (age has none). It
// applies to new exports only; an older export opens with whatever
// passphrase it was made with.
func CheckPassphrase(passphrase string) error {
	if score, hint := PasswordStrength(passphrase, ""); score < MinPasswordScore {
		return problem(FieldPassword, "the passphrase is too weak: {{.Hint}}", map[string]any{"Hint": Phrase(hint)})
	}
	return nil
}

var commonPasswords = map[string]bool{}

func init() {
	for _, p := range strings.Fields(`password password1 password123 12345678 123456789 1234567890 qwerty123
		qwertyuiop iloveyou sunshine princess football baseball welcome welcome1 letmein1 admin123
		passw0rd p@ssw0rd p@ssword abc12345 11111111 00000000 trustno1 dragon123 monkey123
		changeme superman michael1 jennifer computer internet starwars whatever freedom1 password!`) {
		commonPasswords[p] = true
	}
}
