package ui

import (
	"io"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"offboard/account"
)

// timeZones are suggestions for the time zone field; any IANA name works.
var timeZones = []string{
	"UTC", "America/Los_Angeles", "America/Denver", "America/Chicago", "America/New_York",
	"America/Toronto", "America/Sao_Paulo", "Europe/London", "Europe/Dublin", "Europe/Paris",
	"Europe/Berlin", "Europe/Warsaw", "Africa/Lagos", "Africa/Nairobi", "Asia/Dubai",
	"Asia/Kolkata", "Asia/Singapore", "Asia/Manila", "Asia/Tokyo", "Australia/Sydney",
	"Pacific/Auckland",
}

// profileTab edits the account's profile: who the client is and how to
// reach them, and the picture shown on the avatar.
type profileTab struct {
	u       *UI
	acct    *account.Account
	content fyne.CanvasObject

	company, contact, email, phone     *entry
	timeZone                           *selectEntry
	companyF, contactF, emailF         *field
	phoneF, timeZoneF, pictureF        *field
	preview                            *avatar
	changePicture, removePicture, save *button
	status                             statusLabel
	pictureStatus                      statusLabel // what became of a chosen or removed picture
	appearance                         *radioGroup // one per themeChoices
	picture                            []byte      // the picture that Save stores
	busy                               bool
}

func newProfileTab(u *UI, acct *account.Account) *profileTab {
	t := &profileTab{u: u, acct: acct}
	t.company, t.contact, t.email, t.phone = newEntry(), newEntry(), newEntry(), newEntry()
	t.timeZone = newSelectEntry(timeZones)
	t.timeZone.SetPlaceHolder(lang.L("For example Europe/Berlin"))
	t.companyF = newField(lang.L("Company name"), t.company)
	t.contactF = newField(lang.L("Contact name"), t.contact)
	t.emailF = newField(lang.L("Email"), t.email).withHint(lang.L("You sign in with this address."))
	t.phoneF = newField(lang.L("Phone"), t.phone)
	t.timeZoneF = newField(lang.L("Time zone"), t.timeZone)
	for _, e := range []*entry{t.company, t.contact, t.email, t.phone} {
		e.OnSubmitted = func(string) { t.doSave() }
	}
	t.timeZone.OnSubmitted = func(string) { t.doSave() }

	t.preview = newAvatar(72)
	t.changePicture = newIconButton(lang.L("Change picture…"), theme.FileImageIcon(), t.choosePicture)
	t.removePicture = newIconButton(lang.L("Remove picture"), theme.DeleteIcon(), func() {
		t.savePicture(nil, lang.L("The picture was removed."))
	})
	t.pictureStatus = newStatusLabel()
	t.pictureF = newField(lang.L("Picture"), container.NewVBox(
		container.NewHBox(t.preview, container.NewCenter(container.NewVBox(t.changePicture, t.removePicture))),
		t.pictureStatus.Label))
	t.pictureF.withHint(lang.L("A PNG or JPEG image of at most {{.Size}}, kept as soon as it is chosen. Without one, the avatar shows your company's initials.",
		map[string]any{"Size": sizeText(account.MaxAvatarBytes)}))

	t.save = newPrimaryButton(lang.L("Save profile"), t.doSave)
	t.status = newStatusLabel()
	t.appearance = newRadioGroup([]string{lang.L("Same as the system"), lang.L("Light"), lang.L("Dark")},
		func(i int) { u.setThemeChoice(themeChoices[i]) }, nil)
	t.appearance.required = true
	t.appearance.selected = slices.Index(themeChoices, u.prefs.theme())
	t.appearance.box.Layout = layout.NewHBoxLayout()

	form := container.NewVBox(
		subheading(lang.L("Profile")),
		wrapLabel(lang.L("Who the account belongs to. Freelancers see these details on your job postings and contracts.")),
		t.pictureF.box, t.companyF.box, t.contactF.box, t.emailF.box, t.phoneF.box, t.timeZoneF.box,
		t.status.Label,
		container.NewHBox(t.save),
		widget.NewSeparator(),
		subheading(lang.L("Appearance")),
		wrapLabel(lang.L("Light or dark, for every account on this computer. A change shows at once.")),
		t.appearance.box,
	)
	t.content = column(settingsWidth, form)
	t.fill(u.profile)
	return t
}

// fill shows p in the form.
func (t *profileTab) fill(p account.Profile) {
	t.company.SetText(p.Company)
	t.contact.SetText(p.Contact)
	t.email.SetText(p.Email)
	t.phone.SetText(p.Phone)
	t.timeZone.SetText(p.TimeZone)
	t.picture = p.Avatar
	t.showPicture()
}

func (t *profileTab) showPicture() {
	t.preview.set(t.picture, t.company.Text)
	if len(t.picture) == 0 {
		t.removePicture.Disable()
	} else {
		t.removePicture.Enable()
	}
}

func (t *profileTab) choosePicture() {
	t.u.openFile([]string{".png", ".jpg", ".jpeg", ".PNG", ".JPG", ".JPEG"}, func(uri fyne.URI) {
		t.u.background(func() func() {
			b, err := readLimited(uri, account.MaxAvatarBytes)
			if err == nil {
				// The check decodes the whole picture: here, off the UI
				// goroutine. SaveProfile checks the same rule again.
				err = account.CheckAvatar(b)
			}
			return func() { t.pictureChosen(b, err) }
		})
	})
}

// readLimited reads at most limit+1 bytes of uri: one byte past the limit
// tells that a file is too big without reading all of a huge one.
func readLimited(uri fyne.URI, limit int64) ([]byte, error) {
	r, err := storage.Reader(uri)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(io.LimitReader(r, limit+1))
}

func (t *profileTab) pictureChosen(b []byte, err error) {
	t.pictureF.setError("")
	if err != nil {
		t.pictureF.setError(errText(err))
		return
	}
	t.savePicture(b, lang.L("The new picture was saved."))
}

// savePicture stores picture (nil removes it) at once, as a person expects
// of a picture they chose or removed, and leaves the other fields as they
// are in the form: an unsaved edit there is neither saved nor lost.
func (t *profileTab) savePicture(picture []byte, done string) {
	if t.busy {
		return
	}
	t.pictureF.setError("")
	t.pictureStatus.set("", widget.MediumImportance)
	p := t.u.profile
	p.Avatar = picture
	t.store(p, func(saved account.Profile, err error) {
		if err != nil {
			t.pictureF.setError(errText(err))
			return
		}
		t.picture = saved.Avatar
		t.showPicture()
		t.u.profileChanged(saved)
		// Next to the picture, where the person is looking.
		t.pictureStatus.set(done, widget.SuccessImportance)
	})
}

// store saves p off the UI goroutine, with the form disabled meanwhile, and
// hands done the profile as it was read back, or why it was not saved.
func (t *profileTab) store(p account.Profile, done func(account.Profile, error)) {
	t.setBusy(true)
	acct := t.acct
	t.u.background(func() func() {
		err := acct.SaveProfile(p)
		var saved account.Profile
		if err == nil {
			saved, err = acct.Profile()
		}
		return func() {
			t.setBusy(false)
			done(saved, err)
		}
	})
}

func (t *profileTab) setBusy(on bool) {
	t.busy = on
	for _, w := range []fyne.Disableable{t.company, t.contact, t.email, t.phone, t.timeZone, t.changePicture, t.save} {
		if on {
			w.Disable()
		} else {
			w.Enable()
		}
	}
	if on {
		t.removePicture.Disable()
	} else {
		t.showPicture()
	}
}

func (t *profileTab) doSave() {
	if t.busy {
		return
	}
	for _, f := range []*field{t.companyF, t.emailF, t.timeZoneF, t.pictureF} {
		f.setError("")
	}
	p := t.u.profile
	p.Company = strings.TrimSpace(t.company.Text)
	p.Contact = strings.TrimSpace(t.contact.Text)
	p.Email = strings.TrimSpace(t.email.Text)
	p.Phone = strings.TrimSpace(t.phone.Text)
	p.TimeZone = strings.TrimSpace(t.timeZone.Text)
	p.Avatar = t.picture
	t.status.set(lang.L("Saving…"), widget.MediumImportance)
	t.store(p, func(saved account.Profile, err error) {
		if err != nil {
			t.status.set("", widget.MediumImportance)
			t.showErr(err)
			return
		}
		t.fill(saved)
		t.u.profileChanged(saved)
		t.status.set(lang.L("Your profile was saved."), widget.SuccessImportance)
	})
}

func (t *profileTab) showErr(err error) {
	c := t.u.win.Canvas()
	switch account.FieldOf(err) {
	case account.FieldCompany:
		t.companyF.setError(errText(err))
		c.Focus(t.company)
	case account.FieldEmail:
		t.emailF.setError(errText(err))
		c.Focus(t.email)
	case account.FieldTimeZone:
		t.timeZoneF.setError(errText(err))
		c.Focus(t.timeZone)
	case account.FieldAvatar:
		t.pictureF.setError(errText(err))
	default:
		t.status.set(errText(err), widget.DangerImportance)
	}
}

// setThemeChoice draws the window in the chosen look, now and at the next
// start.
func (u *UI) setThemeChoice(c themeChoice) {
	u.prefs.setTheme(c)
	u.app.Settings().SetTheme(newTheme(c))
}
