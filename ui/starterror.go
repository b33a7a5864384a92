package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// ShowStartError is the whole window of app a when the data folder cannot
// be opened (most often because another Offboard has it open): it says why,
// and returns once the person quits.
func ShowStartError(a fyne.App, err error) {
	loadTranslations()
	a.Settings().SetTheme(newTheme(prefs{a.Preferences()}.theme()))
	w := a.NewWindow(lang.L("Offboard"))
	icon := widget.NewIcon(theme.ErrorIcon())
	title := heading(lang.L("Offboard cannot start"))
	msg := wrapLabel(errText(err))
	quit := newPrimaryButton(lang.L("Quit"), a.Quit)
	body := container.NewVBox(
		container.NewBorder(nil, nil, icon, nil, title),
		msg,
		container.NewHBox(layout.NewSpacer(), quit),
	)
	w.SetContent(container.NewCenter(container.New(&widthLayout{width: 460}, container.NewPadded(body))))
	w.Resize(fyne.NewSize(560, 260))
	w.CenterOnScreen()
	w.Canvas().Focus(quit)
	w.ShowAndRun()
}
