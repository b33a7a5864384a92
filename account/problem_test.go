package account

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Every problem a form shows names its input by type: the window routes it
// with FieldOf, so rewording a message cannot move it to another field.
func TestProblemsNameTheirInput(t *testing.T) {
	ok := Profile{Company: "Northwind", Email: "a@b.example"}
	with := func(change func(p *Profile)) error {
		p := ok
		change(&p)
		return p.Validate()
	}
	s := openTestStore(t, t.TempDir(), fastOptions())
	first, err := s.SignUp("a@b.example", "a good passphrase 42", "Northwind")
	if err != nil {
		t.Fatal(err)
	}
	first.Close()
	_, taken := s.SignUp("A@b.example", "a good passphrase 42", "Northwind")
	cases := []struct {
		name string
		err  error
		want Field
	}{
		{"no company", with(func(p *Profile) { p.Company = " " }), FieldCompany},
		{"no email", with(func(p *Profile) { p.Email = "" }), FieldEmail},
		{"bad email", with(func(p *Profile) { p.Email = "not an address" }), FieldEmail},
		{"unknown zone", with(func(p *Profile) { p.TimeZone = "Mars/Olympus" }), FieldTimeZone},
		{"not a picture", with(func(p *Profile) { p.Avatar = []byte("GIF89a not a png") }), FieldAvatar},
		{"email taken", taken, FieldEmail},
		{"weak password", CheckNewPassword("password", "a@b.example"), FieldPassword},
		{"long password", CheckNewPassword(strings.Repeat("x", MaxPasswordBytes+1), "a@b.example"), FieldPassword},
		{"weak passphrase", CheckPassphrase("a"), FieldPassword},
		{"wrapped", fmt.Errorf("saving: %w", with(func(p *Profile) { p.Company = "" })), FieldCompany},
		{"wrong password", ErrWrongPassword, FieldPassword},
		{"no account", ErrNoAccount, FieldEmail},
		{"wrong code", ErrWrongCode, FieldCode},
		{"throttled", &ThrottledError{Wait: time.Second}, FieldNone},
		{"words only", errors.New("company name is required"), FieldNone},
	}
	for _, c := range cases {
		if c.err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if got := FieldOf(c.err); got != c.want {
			t.Errorf("%s: FieldOf(%q) = %q, want %q", c.name, c.err, got, c.want)
		}
	}
	if err := ok.Validate(); err != nil {
		t.Fatalf("a good profile: %v", err)
	}
}

// A problem's values stay apart from its template, so the window can
// translate it; the English text is what the command line prints.
func TestProblemKeepsItsValuesApart(t *testing.T) {
	var p *Problem
	err := (&Profile{Company: "C", Email: "a@b.example", TimeZone: "Mars/Olympus"}).Validate()
	if !errors.As(err, &p) || p.Text.Data["Zone"] != "Mars/Olympus" || strings.Contains(p.Text.Template, "Mars") {
		t.Fatalf("problem = %#v", p)
	}
	if want := "time zone “Mars/Olympus” is not known; use a name such as Europe/Berlin"; err.Error() != want {
		t.Fatalf("English text = %q, want %q", err.Error(), want)
	}
	err = CheckNewPassword("abc", "")
	if !errors.As(err, &p) || p.Text.Data["Hint"] != Phrase("use at least 8 characters") {
		t.Fatalf("weak password problem = %#v", p)
	}
	if want := "the password is too weak: use at least 8 characters"; err.Error() != want {
		t.Fatalf("English text = %q, want %q", err.Error(), want)
	}
}

func picture(t *testing.T, w, h int, format string) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	img.Set(0, 0, color.RGBA{200, 80, 60, 255})
	var b bytes.Buffer
	var err error
	if format == "png" {
		err = png.Encode(&b, img)
	} else {
		err = jpeg.Encode(&b, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// The avatar rule lives in the core: the window and Profile.Validate ask the
// same function, so no picture is kept that the avatar could not show.
func TestCheckAvatar(t *testing.T) {
	pngPic, jpegPic := picture(t, 64, 64, "png"), picture(t, 64, 64, "jpeg")
	for name, b := range map[string][]byte{"png": pngPic, "jpeg": jpegPic} {
		if err := CheckAvatar(b); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if err := (&Profile{Company: "C", Email: "a@b.example", Avatar: b}).Validate(); err != nil {
			t.Errorf("profile with a %s: %v", name, err)
		}
	}
	var gif bytes.Buffer
	gif.WriteString("GIF89a\x01\x00\x01\x00\x00\x00\x00;")
	refused := map[string][]byte{
		"gif":       gif.Bytes(),
		"text":      []byte("hello"),
		"cut png":   pngPic[:len(pngPic)/2],
		"too wide":  picture(t, MaxAvatarPixels+1, 1, "png"),
		"too large": append(append([]byte{}, pngPic...), make([]byte, MaxAvatarBytes)...),
	}
	for name, b := range refused {
		err := CheckAvatar(b)
		if FieldOf(err) != FieldAvatar {
			t.Errorf("%s: CheckAvatar = %v, want an avatar problem", name, err)
		}
	}
	if err := CheckAvatar(refused["too large"]); !strings.Contains(err.Error(), "larger than 1.0 MB") {
		t.Errorf("too large: %q does not give the limit", err)
	}
}

// The closure's sentences carry typed values: the English text is written
// from them, and nothing in Data is a pre-formatted string.
func TestBlockerTextsCarryTypedValues(t *testing.T) {
	_, _, list := sampleBlockers(t)
	seen := map[BlockerKind]bool{}
	for _, b := range list {
		for k, v := range b.Text.Data {
			switch k {
			case "Status":
				if _, ok := v.(ContractStatus); !ok {
					t.Errorf("%s: Status is %T", b.Kind, v)
				}
			case "Due":
				if _, ok := v.(time.Time); !ok {
					t.Errorf("%s: Due is %T", b.Kind, v)
				}
			case "Amount":
				if _, ok := v.(Money); !ok {
					t.Errorf("%s: Amount is %T", b.Kind, v)
				}
			case "Rate":
				if _, ok := v.(Rate); !ok {
					t.Errorf("%s: Rate is %T", b.Kind, v)
				}
			case "Role":
				if _, ok := v.(Role); !ok {
					t.Errorf("%s: Role is %T", b.Kind, v)
				}
			}
		}
		s := b.Text.String()
		switch b.Kind {
		case BlockContract:
			if !strings.HasPrefix(s, "Active contract “") && !strings.HasPrefix(s, "Paused contract “") {
				t.Errorf("contract text %q", s)
			}
		case BlockInvoice:
			due := b.Text.Data["Due"].(time.Time).Format(time.DateOnly)
			if !strings.HasSuffix(s, due) {
				t.Errorf("invoice text %q does not end with the date %s", s, due)
			}
		}
		seen[b.Kind] = true
	}
	if !seen[BlockContract] || !seen[BlockInvoice] || !seen[BlockMember] {
		t.Fatalf("blocker kinds seen: %v", seen)
	}
	if got := (Rate{Hourly, Money{Cents: 8500, Currency: "USD"}}).String(); got != "USD 85.00/h" {
		t.Errorf("hourly rate = %q", got)
	}
}

// OpenSample is the first screen's policy: create the sample once, sign in
// to it after that, and leave it to its owner once they change its password.
func TestOpenSample(t *testing.T) {
	s := openTestStore(t, t.TempDir(), fastOptions())
	o, err := s.OpenSample(nil)
	if err != nil || !o.Created || o.Account == nil {
		t.Fatalf("first OpenSample = %+v, %v", o, err)
	}
	o.Account.Close()
	o, err = s.OpenSample(nil)
	if err != nil || o.Created || o.Account == nil {
		t.Fatalf("second OpenSample = %+v, %v", o, err)
	}
	if err := o.Account.ChangePassword(SamplePassword, "another good passphrase 42"); err != nil {
		t.Fatal(err)
	}
	o.Account.Close()
	if _, err := s.OpenSample(nil); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("after a password change, OpenSample = %v, want ErrWrongPassword", err)
	}
}

// Summary is what Confirm shows, from the closure's own record: the reason
// set, the copy made and its checksum, the account's numbers.
func TestClosureSummary(t *testing.T) {
	_, a := sampleAccount(t)
	c := walkTo(t, a, filepath.Join(t.TempDir(), "copy.zip"))
	sum := c.Summary()
	counts, _ := a.Counts()
	if sum.Email != SampleEmail || sum.Company == "" || sum.Counts.Total() != counts.Total() || sum.CountsErr != nil {
		t.Fatalf("summary = %+v", sum)
	}
	if sum.Backup == nil || len(sum.BackupSHA256) != 64 || sum.Reason != ReasonConsolidating || sum.ReasonText != "" {
		t.Fatalf("summary copy/reason = %+v", sum)
	}
	if r, words := c.Reason(); r != ReasonConsolidating || words != "" {
		t.Fatalf("Reason() = %q, %q", r, words)
	}
}
