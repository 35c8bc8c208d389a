package ui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cartella/assets"
	"cartella/store"
	"cartella/store/codicefiscale"
	"cartella/ui/widgets"
)

var sexOptions = []string{"Femmina", "Maschio"}

// PersonForm edits one person's anagrafica.
type PersonForm struct {
	sh      *Shell
	content fyne.CanvasObject
	person  store.Person
	dirty   bool
	loading bool

	Surname       *widget.Entry
	GivenName     *widget.Entry
	Sex           *widget.Select
	BirthDate     *widgets.DateEntry
	BirthPlace    *widgets.PlaceEntry
	CodiceFiscale *widgets.CFEntry
	Compute       *widget.Button
	Citizenship   *widgets.CompletionEntry
	Residence     *widgets.PlaceEntry
	Street        *widget.Entry
	CAP           *widget.Entry
	Save          *widget.Button
	Back          *widget.Button
	Status        *widget.Label
	Form          *widget.Form
	onSaved       func(store.Person)
}

func newPersonForm(sh *Shell, p store.Person) *PersonForm {
	places := sh.app.db.Places()
	f := &PersonForm{sh: sh, person: p, loading: true}
	f.Surname = widget.NewEntry()
	f.GivenName = widget.NewEntry()
	f.Sex = widget.NewSelect(sexOptions, nil)
	f.Sex.PlaceHolder = "Scegliere…"
	f.BirthDate = widgets.NewDateEntry()
	f.BirthPlace = widgets.NewPlaceEntry(places)
	f.BirthPlace.At = f.birthDate
	f.CodiceFiscale = widgets.NewCFEntry(places)
	f.CodiceFiscale.BirthHint = f.birthDate
	f.Compute = widget.NewButtonWithIcon("Calcola", theme.ViewRefreshIcon(), f.compute)
	f.Citizenship = widgets.NewCompletionEntry(citizenshipSuggest(places))
	f.Citizenship.SetPlaceHolder("Scrivere lo stato di cittadinanza…")
	f.Residence = widgets.NewPlaceEntry(places)
	f.Street = widget.NewEntry()
	f.Street.SetPlaceHolder("via/piazza e numero civico")
	f.CAP = widget.NewEntry()
	f.Status = widget.NewLabel("")
	f.Status.Wrapping = fyne.TextWrapWord
	f.Save = widget.NewButtonWithIcon("Salva", theme.DocumentSaveIcon(), f.save)
	f.Save.Importance = widget.HighImportance
	f.Back = widget.NewButtonWithIcon("Torna all'elenco", theme.NavigateBackIcon(), func() {
		sh.leave(func() { f.dirty = false; sh.goArea(0) })
	})

	f.Form = widget.NewForm(
		widget.NewFormItem(personLabels["Surname"], f.Surname),
		widget.NewFormItem(personLabels["GivenName"], f.GivenName),
		widget.NewFormItem(personLabels["Sex"], f.Sex),
		widget.NewFormItem(personLabels["BirthDate"], f.BirthDate),
		widget.NewFormItem(personLabels["BirthPlace"], f.BirthPlace),
		widget.NewFormItem(personLabels["CodiceFiscale"], container.NewBorder(nil, nil, nil, f.Compute, f.CodiceFiscale)),
		widget.NewFormItem(personLabels["Citizenship"], f.Citizenship),
		widget.NewFormItem(personLabels["ResidenceComune"], f.Residence),
		widget.NewFormItem(personLabels["Street"], f.Street),
		widget.NewFormItem(personLabels["CAP"], f.CAP),
	)
	f.load(p)
	for _, e := range []*widget.Entry{f.Surname, f.GivenName, &f.BirthDate.Entry, &f.CodiceFiscale.Entry, f.Street, f.CAP} {
		prev := e.OnChanged
		e.OnChanged = func(s string) {
			if prev != nil {
				prev(s)
			}
			f.changed()
		}
	}
	for _, ce := range []*widgets.CompletionEntry{f.BirthPlace.CompletionEntry, f.Citizenship, f.Residence.CompletionEntry} {
		prev := ce.Entry.OnChanged
		ce.Entry.OnChanged = func(s string) {
			prev(s)
			f.changed()
		}
	}
	f.Sex.OnChanged = func(string) { f.changed() }
	f.loading = false

	title := "Nuova persona"
	if !p.ID.IsZero() {
		title = "Anagrafica — " + p.FullName()
	}
	head := container.NewBorder(nil, nil,
		widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewHBox(f.Back, f.Save))
	f.content = container.NewBorder(container.NewVBox(head, widget.NewSeparator()), nil, nil, nil,
		container.NewVScroll(container.NewVBox(f.Form, f.Status)))
	return f
}

func citizenshipSuggest(places *assets.Places) func(string) []widgets.Choice {
	return func(s string) []widgets.Choice {
		q := strings.ToLower(strings.TrimSpace(s))
		var first, rest []widgets.Choice
		for _, c := range places.Citizenships() {
			n := strings.ToLower(c.Name)
			ch := widgets.Choice{Key: c.Code, Label: c.Name}
			switch {
			case strings.HasPrefix(n, q) || c.Code == q:
				first = append(first, ch)
			case strings.Contains(n, q):
				rest = append(rest, ch)
			}
		}
		out := append(first, rest...)
		return out[:min(len(out), 8)]
	}
}

func (f *PersonForm) load(p store.Person) {
	places := f.sh.app.db.Places()
	f.Surname.SetText(p.Surname)
	f.GivenName.SetText(p.GivenName)
	switch p.Sex {
	case "M":
		f.Sex.SetSelected("Maschio")
	case "F":
		f.Sex.SetSelected("Femmina")
	}
	f.BirthDate.SetDate(p.BirthDate)
	f.BirthPlace.SetCode(p.BirthPlace)
	f.CodiceFiscale.SetText(p.CodiceFiscale)
	cit := p.Citizenship
	if p.ID.IsZero() && cit == "" {
		cit = "100"
	}
	if c, ok := places.CitizenshipByCode(cit); ok {
		f.Citizenship.SetPicked(widgets.Choice{Key: c.Code, Label: c.Name})
	}
	f.Residence.SetCode(p.Residence.ComuneCode)
	f.Street.SetText(p.Residence.Street)
	f.CAP.SetText(p.Residence.CAP)
}

func (f *PersonForm) changed() {
	if f.loading {
		return
	}
	f.dirty = true
	f.sh.app.idle.touch()
}

// Dirty reports unsaved input.
func (f *PersonForm) Dirty() bool { return f.dirty }

func (f *PersonForm) birthDate() time.Time {
	d, err := f.BirthDate.Date()
	if err != nil {
		return time.Time{}
	}
	return d
}

func (f *PersonForm) sex() string {
	switch f.Sex.Selected {
	case "Maschio":
		return "M"
	case "Femmina":
		return "F"
	}
	return ""
}

// collect reads the widgets into a Person; the date is parsed here so an
// impossible date is reported on its own row.
func (f *PersonForm) collect() (store.Person, store.ValidationError) {
	p := f.person
	var v store.ValidationError
	p.Surname = f.Surname.Text
	p.GivenName = f.GivenName.Text
	p.Sex = f.sex()
	d, err := f.BirthDate.Date()
	if err != nil {
		v = append(v, store.FieldError{Field: "BirthDate", Msg: err.Error()})
	}
	p.BirthDate = d
	p.BirthPlace = f.BirthPlace.Code()
	if p.BirthPlace == "" && strings.TrimSpace(f.BirthPlace.Text) != "" {
		v = append(v, store.FieldError{Field: "BirthPlace", Msg: "Scegliere il luogo di nascita dall'elenco dei suggerimenti."})
	}
	p.CodiceFiscale = f.CodiceFiscale.Text
	p.Citizenship = f.Citizenship.Picked().Key
	if p.Citizenship == "" && strings.TrimSpace(f.Citizenship.Text) != "" {
		v = append(v, store.FieldError{Field: "Citizenship", Msg: "Scegliere la cittadinanza dall'elenco dei suggerimenti."})
	}
	p.Residence.ComuneCode = f.Residence.Code()
	if p.Residence.ComuneCode == "" && strings.TrimSpace(f.Residence.Text) != "" {
		v = append(v, store.FieldError{Field: "ResidenceComune", Msg: "Scegliere il comune di residenza dall'elenco dei suggerimenti."})
	}
	p.Residence.Street = f.Street.Text
	p.Residence.CAP = f.CAP.Text
	p.Normalize()
	return p, v
}

// compute fills the codice fiscale from the other fields.
func (f *PersonForm) compute() {
	p, _ := f.collect()
	cf, err := codicefiscale.Compute(p.Surname, p.GivenName, sexByte(p.Sex), p.BirthDate, p.BirthPlace)
	if err != nil {
		setFormHints(f.Form, map[string]string{personLabels["CodiceFiscale"]: err.Error()})
		return
	}
	f.CodiceFiscale.SetText(cf)
	setFormHints(f.Form, nil)
}

func sexByte(s string) byte {
	if s == "" {
		return 0
	}
	return s[0]
}

func (f *PersonForm) save() {
	f.sh.app.idle.touch()
	sess := f.sh.app.sess
	p, v := f.collect()
	v = append(v, p.Validate(f.sh.app.db.Places(), time.Now())...)
	setFormHints(f.Form, hintsFor(v))
	if len(v) > 0 {
		f.Status.SetText("Non salvato: correggere i campi indicati.")
		return
	}
	var notes []string
	dups, err := sess.Duplicates(f.sh.app.ctx, p)
	if err != nil {
		f.sh.app.showError(err)
		return
	}
	for _, d := range dups {
		notes = append(notes, fmt.Sprintf("Possibile doppione: %s, nato/a il %s (%s).",
			d.Person.FullName(), widgets.FormatDate(d.Person.BirthDate), d.Reason))
	}
	notes = append(notes, p.Warnings()...)
	if len(notes) == 0 {
		f.store(p)
		return
	}
	dialog.ShowConfirm("Verificare prima di salvare", strings.Join(notes, "\n")+"\n\nSalvare comunque?", func(ok bool) {
		if ok {
			f.store(p)
		}
	}, f.sh.app.win)
}

func (f *PersonForm) store(p store.Person) {
	saved, err := f.sh.app.sess.SavePerson(f.sh.app.ctx, p)
	if err != nil {
		if v, ok := store.AsValidation(err); ok {
			setFormHints(f.Form, hintsFor(v))
			f.Status.SetText("Non salvato: correggere i campi indicati.")
			return
		}
		f.Status.SetText("Non salvato: " + err.Error())
		return
	}
	f.person = saved
	f.dirty = false
	f.Status.SetText("Salvato alle " + time.Now().Format("15:04") + ".")
	if f.sh.Persons != nil {
		f.sh.Persons.refresh()
	}
	if f.onSaved != nil {
		f.onSaved(saved)
	}
}
