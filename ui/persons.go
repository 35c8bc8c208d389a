package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cartella/store"
	"cartella/ui/widgets"
)

// personRow is one line of a person list: name, birth date, codice fiscale.
type personRow struct {
	widget.BaseWidget
	name, born, cf, privacy *widget.Label
}

func newPersonRow() *personRow {
	r := &personRow{
		name:    widget.NewLabelWithStyle("Cognome Nome di esempio lungo", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		born:    widget.NewLabel("00/00/0000"),
		cf:      widget.NewLabelWithStyle("XXXXXXXXXXXXXXXX", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true}),
		privacy: widget.NewLabel("manca consenso"),
	}
	r.privacy.Importance = widget.WarningImportance
	r.ExtendBaseWidget(r)
	return r
}

func (r *personRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewGridWithColumns(4, r.name, r.born, r.cf, r.privacy))
}

func (r *personRow) set(p store.PersonSummary) {
	r.name.SetText(p.FullName())
	r.born.SetText(widgets.FormatDate(p.BirthDate))
	r.cf.SetText(p.CodiceFiscale)
	if p.NoConsent {
		r.privacy.SetText("manca consenso privacy")
	} else {
		r.privacy.SetText("")
	}
}

// PersonsScreen is the virtualised list of every person.
type PersonsScreen struct {
	sh      *Shell
	content fyne.CanvasObject
	List    *widget.List
	Count   *widget.Label
	New     *widget.Button
}

func newPersonsScreen(sh *Shell) *PersonsScreen {
	ps := &PersonsScreen{sh: sh}
	sess := sh.app.sess
	ps.List = widget.NewList(
		sess.PersonCount,
		func() fyne.CanvasObject { return newPersonRow() },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if p, ok := sess.PersonAt(i); ok {
				o.(*personRow).set(p)
			}
		},
	)
	ps.List.OnSelected = func(i widget.ListItemID) {
		ps.List.UnselectAll()
		if p, ok := sess.PersonAt(i); ok {
			sh.openPerson(p.ID)
		}
	}
	ps.Count = widget.NewLabel("")
	ps.New = widget.NewButtonWithIcon("Nuova persona", theme.ContentAddIcon(), sh.newPerson)
	ps.New.Importance = widget.HighImportance
	title := widget.NewLabelWithStyle("Persone", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	head := container.NewBorder(nil, nil, container.NewHBox(title, ps.Count), ps.New)
	cols := container.NewGridWithColumns(4,
		widget.NewLabelWithStyle("Cognome e nome", fyne.TextAlignLeading, fyne.TextStyle{Italic: true}),
		widget.NewLabelWithStyle("Nato/a il", fyne.TextAlignLeading, fyne.TextStyle{Italic: true}),
		widget.NewLabelWithStyle("Codice fiscale", fyne.TextAlignLeading, fyne.TextStyle{Italic: true}),
		widget.NewLabelWithStyle("Privacy", fyne.TextAlignLeading, fyne.TextStyle{Italic: true}))
	ps.content = container.NewBorder(container.NewVBox(head, cols, widget.NewSeparator()), nil, nil, nil, ps.List)
	return ps
}

func (ps *PersonsScreen) refresh() {
	n := ps.sh.app.sess.PersonCount()
	ps.Count.SetText(fmt.Sprintf("(%d)", n))
	ps.List.Refresh()
}

// personLabels name the form rows; validation messages are shown under the
// row of their field.
var personLabels = map[string]string{
	"Surname": "Cognome", "GivenName": "Nome", "Sex": "Sesso", "BirthDate": "Data di nascita",
	"BirthPlace": "Luogo di nascita", "CodiceFiscale": "Codice fiscale", "Citizenship": "Cittadinanza",
	"ResidenceComune": "Comune di residenza", "Street": "Indirizzo", "CAP": "CAP",
}

func hintsFor(v store.ValidationError) map[string]string {
	m := map[string]string{}
	for _, fe := range v {
		if l, ok := personLabels[fe.Field]; ok {
			if _, seen := m[l]; !seen {
				m[l] = fe.Msg
			}
		}
	}
	return m
}
