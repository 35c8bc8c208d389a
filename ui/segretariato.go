package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// showSegretariato is the front desk's starting point: find the person
// (search box) or register someone new with a new access, and import the
// Anagrafe.
func (sh *Shell) showSegretariato() {
	title := widget.NewLabelWithStyle("Segretariato sociale", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	help := widget.NewLabel("Per una persona già registrata: cercarla nella casella in alto, aprirla e scegliere «Accessi» → «Nuovo accesso». " +
		"Per chi non è ancora registrato: «Nuovo accesso per una persona non registrata».")
	help.Wrapping = fyne.TextWrapWord
	newAccess := widget.NewButtonWithIcon("Nuovo accesso per una persona non registrata", theme.DocumentCreateIcon(), sh.newAccessForUnregistered)
	newAccess.Importance = widget.HighImportance
	imp := widget.NewButtonWithIcon("Importa dall'Anagrafe (CSV o Excel)…", theme.UploadIcon(), sh.showImport)
	sh.show(container.NewPadded(container.NewVBox(title, help, container.NewHBox(newAccess), widget.NewSeparator(), container.NewHBox(imp))), nil)
}
