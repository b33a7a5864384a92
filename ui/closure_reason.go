package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"

	"offboard/account"
)

// reasonStep is Why are you leaving?: an optional choice among the guide's
// reasons, or Other in the owner's own words.
type reasonStep struct {
	choices *radioGroup // one per account.Reasons, in that order
	other   *entry      // the owner's words, for Other
	otherF  *field
}

// reasonText is how a reason reads on screen.
func reasonText(r account.Reason) string {
	switch r {
	case account.ReasonNone:
		return lang.L("None given")
	case account.ReasonDirection:
		return lang.L("Changing business direction")
	case account.ReasonJobDone:
		return lang.L("Job completed")
	case account.ReasonConsolidating:
		return lang.L("Consolidating accounts")
	case account.ReasonNotSatisfied:
		return lang.L("Not satisfied with the platform")
	case account.ReasonOther:
		// Not the key "Other": go-i18n reserves it (and "Description").
		return lang.X("Other (reason for leaving)", "Other")
	}
	return string(r)
}

func (f *closureFlow) reasonView() stepView {
	s := &reasonStep{}
	f.reason, f.view = s, s
	next := newPrimaryButton(lang.L("Continue"), func() { f.setReason(s) })
	labels := make([]string, len(account.Reasons))
	for i, r := range account.Reasons {
		labels[i] = reasonText(r)
	}
	s.other = newEntry()
	s.other.MultiLine = true
	s.other.Wrapping = fyne.TextWrapWord
	s.other.SetMinRowsVisible(3)
	s.other.SetPlaceHolder(lang.L("Anything you would like to note (optional)"))
	s.other.SetText(f.reasonText)
	s.otherF = newField(lang.L("In your own words"), s.other)
	s.choices = newRadioGroup(labels, func(i int) {
		if i >= 0 && account.Reasons[i] == account.ReasonOther {
			s.other.Enable()
			f.u.win.Canvas().Focus(s.other)
		} else {
			s.other.Disable()
			s.otherF.setError("")
		}
	}, func() { f.setReason(s) })
	// What was chosen before going back is still chosen.
	s.other.Disable()
	for i, r := range account.Reasons {
		if r == f.reasonChoice {
			s.choices.selected = i
		}
	}
	if f.reasonChoice == account.ReasonOther {
		s.other.Enable()
	}
	body := container.NewVBox(
		wrapLabel(lang.L("If you like, say why you are leaving; you can also go on without choosing. Your answer is kept only in the receipt on this computer and is never sent anywhere.")),
		s.choices.box,
		s.otherF.box,
	)
	return stepView{title: lang.L("Why are you leaving?"), body: body, next: next, focus: next}
}

// chosen is the reason picked, ReasonNone when none is.
func (s *reasonStep) chosen() account.Reason {
	if i := s.choices.selected; i >= 0 {
		return account.Reasons[i]
	}
	return account.ReasonNone
}

func (f *closureFlow) setReason(s *reasonStep) {
	r, text := s.chosen(), ""
	if r == account.ReasonOther {
		text = s.other.Text
	}
	if err := f.c.SetReason(r, text); err != nil {
		s.otherF.setError(errText(err))
		f.refit()
		return
	}
	f.reasonChoice, f.reasonText = r, text
	f.moveOn()
}
