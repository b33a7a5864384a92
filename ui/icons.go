package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// lockIcon is a closed padlock, for the Security tab: Fyne's icon set has
// none, and its crossed-out eye means "hide the password", not security.
// Drawn in the 24-unit grid of Fyne's own icons, it takes the theme's
// foreground colour like they do.
var lockIcon = theme.NewThemedResource(fyne.NewStaticResource("lock.svg", []byte(
	`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="24" height="24">`+
		`<path d="M12 1.5a5 5 0 0 0-5 5V9H6a2 2 0 0 0-2 2v9.5a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V11a2 2 0 0 0-2-2h-1V6.5a5 5 0 0 0-5-5zm0 2a3 3 0 0 1 3 3V9H9V6.5a3 3 0 0 1 3-3zm0 9.5a2 2 0 0 1 1 3.73V18.5h-2v-2.27A2 2 0 0 1 12 13z"/>`+
		`</svg>`)))
