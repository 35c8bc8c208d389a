package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cartella/assets"
	"cartella/store"
	"cartella/ui/widgets"
)

// AccessForm is the scheda di accesso: the whole front-desk intake of
// SPEC §A, in tabs that fit a 1366×768 screen.
type AccessForm struct {
	pv      *PersonView
	content fyne.CanvasObject
	access  store.Access
	dirty   bool
	loading bool
	Tabs    *container.AppTabs

	// Accesso
	Date          *widgets.DateEntry
	Mode          *widgets.CodeSelect
	Reason        *widgets.CodeSelect
	ReasonNotes   *widget.Entry
	Interlocutors *widgets.CodeChecks
	ReferredBy    *widget.Entry
	// Cittadinanza e migrazione
	SecondCitizenship *widgets.CompletionEntry
	Origin            *widgets.PlaceEntry
	ItalianLevel      *widgets.CodeSelect
	PermitType        *widgets.CodeSelect
	PermitReason      *widgets.CodeSelect
	PermitNumber      *widget.Entry
	PermitExpires     *widgets.DateEntry
	PermitWarning     *widget.Label
	MigrationHistory  *widget.Entry
	// Famiglia e casa
	MaritalStatus  *widgets.CodeSelect
	FamilyType     *widgets.CodeSelect
	DomicileComune *widgets.PlaceEntry
	DomicileStreet *widget.Entry
	DomicileCAP    *widget.Entry
	HousingType    *widgets.CodeSelect
	Rooms          *widget.Entry
	Tenure         *widgets.CodeSelect
	Owner          *widgets.CodeSelect
	// Contatti e salute
	Phone, Mobile, Email *widget.Entry
	GP, HealthCard       *widget.Entry
	Disability           *widget.Entry
	// Studio e lavoro
	Education  *widgets.CodeSelect
	Employment *widgets.CodeSelect
	Profession *widget.Entry
	Sector     *widgets.CodeSelect
	// Bisogni e servizi
	Needs        *widgets.CodeChecks
	NeedsNotes   *widget.Entry
	ServiceArea  *widget.Select
	Service      *widget.Select
	ServiceNotes *widget.Entry
	AddService   *widget.Button
	ServiceList  *widget.List
	services     []store.ServiceRequest
	// Esito
	TakeCharge   *widgets.CodeSelect
	UserArea     *widgets.CodeSelect
	Signalled    *widget.Check
	SignalledOn  *widgets.DateEntry
	Office       *widget.Entry
	OutcomeNotes *widget.Entry

	Save   *widget.Button
	Back   *widget.Button
	Status *widget.Label
	forms  []*widget.Form
}

// accessLabels name the rows of the intake; validation messages appear
// under the row of their field.
var accessLabels = map[string]string{
	"Date": "Data dell'accesso", "Mode": "Modalità di accesso", "Reason": "Motivo dell'accesso",
	"DisabilityPercent": "Percentuale di invalidità", "Rooms": "Numero di vani", "Email": "E-mail",
	"DomicileCAP": "CAP del domicilio", "UserArea": "Area di utenza", "TakeChargeType": "Tipologia di presa in carico",
	"MaritalStatus": "Stato civile", "Education": "Titolo di studio", "PermitExpires": "Scadenza del permesso",
	"SignalledOn": "Data della segnalazione",
}

func (pv *PersonView) codeList(name string) assets.CodeList {
	app := pv.sh.app
	l, err := app.sess.CodeList(app.ctx, name)
	if err != nil {
		l, _ = assets.List(name)
	}
	return l
}

func newAccessForm(pv *PersonView, a store.Access) *AccessForm {
	app := pv.sh.app
	places := app.db.Places()
	f := &AccessForm{pv: pv, access: a, loading: true}
	f.Date = widgets.NewDateEntry()
	f.Mode = widgets.NewCodeSelect(pv.codeList(store.ListModalitaAccesso))
	f.Reason = widgets.NewCodeSelect(pv.codeList(store.ListMotivoAccesso))
	f.ReasonNotes = widget.NewEntry()
	f.Interlocutors = widgets.NewCodeChecks(pv.codeList(store.ListInterlocutori))
	f.ReferredBy = widget.NewEntry()
	f.ReferredBy.SetPlaceHolder("chi ha inviato la persona (servizio, medico, scuola…)")

	f.SecondCitizenship = widgets.NewCompletionEntry(citizenshipSuggest(places))
	f.SecondCitizenship.SetPlaceHolder("solo se ha una seconda cittadinanza")
	f.Origin = widgets.NewPlaceEntry(places)
	f.Origin.SetPlaceHolder("paese di origine")
	f.ItalianLevel = widgets.NewCodeSelect(pv.codeList(store.ListConoscenzaItaliano))
	f.PermitType = widgets.NewCodeSelect(pv.codeList(store.ListTipoPermesso))
	f.PermitReason = widgets.NewCodeSelect(pv.codeList(store.ListMotivoPermesso))
	f.PermitNumber = widget.NewEntry()
	f.PermitExpires = widgets.NewDateEntry()
	f.PermitWarning = widget.NewLabel("")
	f.PermitWarning.Importance = widget.WarningImportance
	f.MigrationHistory = widget.NewMultiLineEntry()
	f.MigrationHistory.SetMinRowsVisible(3)
	f.MigrationHistory.Wrapping = fyne.TextWrapWord

	f.MaritalStatus = widgets.NewCodeSelect(pv.codeList(store.ListStatoCivile))
	f.FamilyType = widgets.NewCodeSelect(pv.codeList(store.ListTipologiaFamiliare))
	f.DomicileComune = widgets.NewPlaceEntry(places)
	f.DomicileComune.SetPlaceHolder("solo se diverso dalla residenza")
	f.DomicileStreet = widget.NewEntry()
	f.DomicileCAP = widget.NewEntry()
	f.HousingType = widgets.NewCodeSelect(pv.codeList(store.ListTipoAbitazione))
	f.Rooms = widget.NewEntry()
	f.Tenure = widgets.NewCodeSelect(pv.codeList(store.ListTitoloGodimento))
	f.Owner = widgets.NewCodeSelect(pv.codeList(store.ListTipoProprietario))

	f.Phone, f.Mobile, f.Email = widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	f.GP, f.HealthCard, f.Disability = widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	f.Disability.SetPlaceHolder("0–100, vuoto se non nota")

	f.Education = widgets.NewCodeSelect(pv.codeList(store.ListTitoloStudio))
	f.Employment = widgets.NewCodeSelect(pv.codeList(store.ListCondizioneLavorativa))
	f.Profession = widget.NewEntry()
	f.Sector = widgets.NewCodeSelect(pv.codeList(store.ListSettoreImpiego))

	f.Needs = widgets.NewCodeChecks(pv.codeList(store.ListBisogni))
	f.NeedsNotes = widget.NewMultiLineEntry()
	f.NeedsNotes.SetMinRowsVisible(3)
	f.NeedsNotes.Wrapping = fyne.TextWrapWord
	f.buildServices()

	f.TakeCharge = widgets.NewCodeSelect(pv.codeList(store.ListTipologiaPresaInCarico))
	f.UserArea = widgets.NewCodeSelect(pv.codeList(store.ListAreaUtenza))
	f.Signalled = widget.NewCheck("Segnalato all'ufficio competente", nil)
	f.SignalledOn = widgets.NewDateEntry()
	f.Office = widget.NewEntry()
	f.OutcomeNotes = widget.NewMultiLineEntry()
	f.OutcomeNotes.SetMinRowsVisible(3)
	f.OutcomeNotes.Wrapping = fyne.TextWrapWord

	f.Status = widget.NewLabel("")
	f.Status.Wrapping = fyne.TextWrapWord
	f.Save = widget.NewButtonWithIcon("Salva l'accesso", theme.DocumentSaveIcon(), f.save)
	f.Save.Importance = widget.HighImportance
	f.Back = widget.NewButtonWithIcon("Torna alla persona", theme.NavigateBackIcon(), func() {
		pv.sh.leave(func() { f.dirty = false; pv.closeAccess() })
	})

	sum, _ := app.sess.PersonSummaryByID(a.PersonID)
	who := widget.NewLabel(fmt.Sprintf("%s — nato/a il %s — %s", sum.FullName(), widgets.FormatDate(sum.BirthDate), sum.CodiceFiscale))
	op := widget.NewLabel(a.OperatorName)

	tab := func(items ...*widget.FormItem) *widget.Form {
		fm := widget.NewForm(items...)
		f.forms = append(f.forms, fm)
		return fm
	}
	fi := widget.NewFormItem
	accessTab := tab(
		fi(accessLabels["Date"], f.Date), fi("Operatore", op),
		fi(accessLabels["Mode"], f.Mode), fi(accessLabels["Reason"], f.Reason),
		fi("Note sul motivo", f.ReasonNotes), fi("Inviante", f.ReferredBy),
		fi("Eventuali interlocutori", f.Interlocutors),
	)
	citTab := tab(
		fi("Persona", who), fi("Seconda cittadinanza", f.SecondCitizenship),
		fi("Paese di origine", f.Origin), fi("Conoscenza dell'italiano", f.ItalianLevel),
		fi("Permesso di soggiorno: tipo", f.PermitType), fi("Motivo del permesso", f.PermitReason),
		fi("Numero del permesso", f.PermitNumber), fi(accessLabels["PermitExpires"], f.PermitExpires),
		fi("", f.PermitWarning), fi("Storia migratoria", f.MigrationHistory),
	)
	homeTab := tab(
		fi(accessLabels["MaritalStatus"], f.MaritalStatus), fi("Tipologia familiare", f.FamilyType),
		fi("Comune di domicilio", f.DomicileComune), fi("Indirizzo di domicilio", f.DomicileStreet),
		fi(accessLabels["DomicileCAP"], f.DomicileCAP), fi("Tipologia di abitazione", f.HousingType),
		fi(accessLabels["Rooms"], f.Rooms), fi("Titolo di godimento", f.Tenure), fi("Tipo di proprietario", f.Owner),
	)
	healthTab := tab(
		fi("Telefono", f.Phone), fi("Cellulare", f.Mobile), fi(accessLabels["Email"], f.Email),
		fi("Medico di medicina generale", f.GP), fi("Numero tessera sanitaria", f.HealthCard),
		fi(accessLabels["DisabilityPercent"], f.Disability),
	)
	workTab := tab(
		fi(accessLabels["Education"], f.Education), fi("Condizione lavorativa", f.Employment),
		fi("Professione", f.Profession), fi("Settore di impiego", f.Sector),
	)
	needsTab := container.NewVBox(
		tab(fi("Bisogni espressi", f.Needs), fi("Descrizione dei bisogni", f.NeedsNotes)),
		widget.NewLabelWithStyle("Servizi richiesti", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewGridWithColumns(2, f.ServiceArea, f.Service),
		container.NewBorder(nil, nil, nil, f.AddService, f.ServiceNotes),
		container.NewGridWrap(fyne.NewSize(900, 180), f.ServiceList),
	)
	outcomeTab := tab(
		fi(accessLabels["TakeChargeType"], f.TakeCharge), fi(accessLabels["UserArea"], f.UserArea),
		fi("", f.Signalled), fi(accessLabels["SignalledOn"], f.SignalledOn), fi("Ufficio competente", f.Office),
		fi("Note sull'esito", f.OutcomeNotes),
	)
	scroll := func(o fyne.CanvasObject) fyne.CanvasObject { return container.NewVScroll(o) }
	f.Tabs = container.NewAppTabs(
		container.NewTabItem("Accesso", scroll(accessTab)),
		container.NewTabItem("Cittadinanza e migrazione", scroll(citTab)),
		container.NewTabItem("Famiglia e casa", scroll(homeTab)),
		container.NewTabItem("Contatti e salute", scroll(healthTab)),
		container.NewTabItem("Studio e lavoro", scroll(workTab)),
		container.NewTabItem("Bisogni e servizi", scroll(needsTab)),
		container.NewTabItem("Esito", scroll(outcomeTab)),
	)
	title := "Nuovo accesso — " + sum.FullName()
	if !a.ID.IsZero() {
		title = "Accesso del " + widgets.FormatDate(a.Date) + " — " + sum.FullName()
	}
	head := container.NewBorder(nil, nil, widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewHBox(f.Back, f.Save))
	f.content = container.NewBorder(container.NewVBox(head, widget.NewSeparator()), f.Status, nil, nil, f.Tabs)
	f.load(a)
	f.watch()
	f.loading = false
	return f
}

func (f *AccessForm) buildServices() {
	app := f.pv.sh.app
	cat, err := app.sess.Catalogue(app.ctx)
	if err != nil {
		cat = assets.Catalogue()
	}
	var areas []string
	for _, a := range cat {
		areas = append(areas, a.Label)
	}
	f.Service = widget.NewSelect(nil, nil)
	f.Service.PlaceHolder = "Servizio…"
	f.ServiceArea = widget.NewSelect(areas, func(label string) {
		var opts []string
		for _, a := range cat {
			if a.Label == label {
				for _, s := range a.Services {
					if !s.Retired {
						opts = append(opts, s.Label)
					}
				}
			}
		}
		f.Service.SetOptions(opts)
		f.Service.ClearSelected()
	})
	f.ServiceArea.PlaceHolder = "Area…"
	f.ServiceNotes = widget.NewEntry()
	f.ServiceNotes.SetPlaceHolder("note sulla richiesta")
	f.AddService = widget.NewButtonWithIcon("Aggiungi", theme.ContentAddIcon(), func() {
		code := ""
		for _, a := range cat {
			for _, s := range a.Services {
				if a.Label == f.ServiceArea.Selected && s.Label == f.Service.Selected {
					code = s.Code
				}
			}
		}
		if code == "" {
			f.Status.SetText("Scegliere l'area e il servizio richiesto.")
			return
		}
		f.services = append(f.services, store.ServiceRequest{Service: code, Notes: strings.TrimSpace(f.ServiceNotes.Text)})
		f.ServiceNotes.SetText("")
		f.ServiceList.Refresh()
		f.changed()
	})
	f.ServiceList = widget.NewList(
		func() int { return len(f.services) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, nil, container.NewHBox(
				widget.NewButtonWithIcon("Allega…", theme.ContentAddIcon(), nil),
				widget.NewButtonWithIcon("", theme.DeleteIcon(), nil)), widget.NewLabel(""))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			c := o.(*fyne.Container)
			req := f.services[i]
			label := store.ServiceLabel(cat, req.Service)
			docs := 0
			for _, d := range f.pv.docs {
				if d.Service == req.Service {
					docs++
				}
			}
			if docs > 0 {
				label += fmt.Sprintf(" (%d documenti)", docs)
			}
			if req.Notes != "" {
				label += " — " + req.Notes
			}
			c.Objects[0].(*widget.Label).SetText(label)
			btns := c.Objects[1].(*fyne.Container)
			btns.Objects[0].(*widget.Button).OnTapped = func() {
				f.pv.addDoc(store.Attachment{Service: req.Service}, func(store.Attachment) { f.ServiceList.Refresh() })
			}
			btns.Objects[1].(*widget.Button).OnTapped = func() {
				f.services = append(f.services[:i:i], f.services[i+1:]...)
				f.ServiceList.Refresh()
				f.changed()
			}
		},
	)
}

func (f *AccessForm) load(a store.Access) {
	places := f.pv.sh.app.db.Places()
	in := a.Intake
	f.Date.SetDate(a.Date)
	f.Mode.SetCode(a.Mode)
	f.Reason.SetCode(a.Reason)
	f.ReasonNotes.SetText(a.ReasonNotes)
	f.Interlocutors.SetCodes(a.Interlocutors)
	f.ReferredBy.SetText(a.ReferredBy)
	if c, ok := places.CitizenshipByCode(in.SecondCitizenship); ok {
		f.SecondCitizenship.SetPicked(widgets.Choice{Key: c.Code, Label: c.Name})
	}
	f.Origin.SetCode(in.CountryOfOrigin)
	f.ItalianLevel.SetCode(in.ItalianLevel)
	f.PermitType.SetCode(in.Permit.Type)
	f.PermitReason.SetCode(in.Permit.Reason)
	f.PermitNumber.SetText(in.Permit.Number)
	f.PermitExpires.SetDate(in.Permit.Expires)
	f.PermitWarning.SetText(in.PermitWarning(time.Now()))
	f.MigrationHistory.SetText(in.MigrationHistory)
	f.MaritalStatus.SetCode(in.MaritalStatus)
	f.FamilyType.SetCode(in.FamilyType)
	f.DomicileComune.SetCode(in.Domicile.ComuneCode)
	f.DomicileStreet.SetText(in.Domicile.Street)
	f.DomicileCAP.SetText(in.Domicile.CAP)
	f.HousingType.SetCode(in.Housing.Type)
	if in.Housing.Rooms > 0 {
		f.Rooms.SetText(strconv.Itoa(in.Housing.Rooms))
	}
	f.Tenure.SetCode(in.Housing.Tenure)
	f.Owner.SetCode(in.Housing.Owner)
	f.Phone.SetText(in.Contacts.Phone)
	f.Mobile.SetText(in.Contacts.Mobile)
	f.Email.SetText(in.Contacts.Email)
	f.GP.SetText(in.GP)
	f.HealthCard.SetText(in.HealthCard)
	if in.DisabilityPercent != nil {
		f.Disability.SetText(strconv.Itoa(*in.DisabilityPercent))
	}
	f.Education.SetCode(in.Education)
	f.Employment.SetCode(in.Employment)
	f.Profession.SetText(in.Profession)
	f.Sector.SetCode(in.Sector)
	f.Needs.SetCodes(a.Needs)
	f.NeedsNotes.SetText(a.NeedsNotes)
	f.services = append([]store.ServiceRequest(nil), a.Services...)
	f.ServiceList.Refresh()
	f.TakeCharge.SetCode(a.Outcome.TakeChargeType)
	f.UserArea.SetCode(a.Outcome.UserArea)
	f.Signalled.SetChecked(a.Outcome.Signalled)
	f.SignalledOn.SetDate(a.Outcome.SignalledOn)
	f.Office.SetText(a.Outcome.Office)
	f.OutcomeNotes.SetText(a.Outcome.Notes)
}

// watch marks the form dirty on any change.
func (f *AccessForm) watch() {
	entries := []*widget.Entry{&f.Date.Entry, f.ReasonNotes, f.ReferredBy, f.PermitNumber, &f.PermitExpires.Entry,
		f.MigrationHistory, f.DomicileStreet, f.DomicileCAP, f.Rooms, f.Phone, f.Mobile, f.Email, f.GP, f.HealthCard,
		f.Disability, f.Profession, f.NeedsNotes, &f.SignalledOn.Entry, f.Office, f.OutcomeNotes,
		&f.SecondCitizenship.Entry, &f.Origin.Entry, &f.DomicileComune.Entry}
	for _, e := range entries {
		prev := e.OnChanged
		e.OnChanged = func(s string) {
			if prev != nil {
				prev(s)
			}
			f.changed()
		}
	}
	f.PermitExpires.OnChanged = func(string) {
		f.changed()
		if d, err := f.PermitExpires.Date(); err == nil {
			f.PermitWarning.SetText(store.Intake{Permit: store.Permit{Expires: d}}.PermitWarning(time.Now()))
		}
	}
	for _, s := range []*widgets.CodeSelect{f.Mode, f.Reason, f.ItalianLevel, f.PermitType, f.PermitReason, f.MaritalStatus,
		f.FamilyType, f.HousingType, f.Tenure, f.Owner, f.Education, f.Employment, f.Sector, f.TakeCharge, f.UserArea} {
		s.Select.OnChanged = func(string) { f.changed() }
	}
	f.Interlocutors.CheckGroup.OnChanged = func([]string) { f.changed() }
	f.Needs.CheckGroup.OnChanged = func([]string) { f.changed() }
	f.Signalled.OnChanged = func(bool) { f.changed() }
}

func (f *AccessForm) changed() {
	if f.loading {
		return
	}
	f.dirty = true
	f.pv.sh.app.idle.touch()
}

// Dirty reports unsaved input.
func (f *AccessForm) Dirty() bool { return f.dirty }

// collect reads the widgets; parse problems are reported per field.
func (f *AccessForm) collect() (store.Access, store.ValidationError) {
	a := f.access
	var v store.ValidationError
	date := func(field string, e *widgets.DateEntry) time.Time {
		d, err := e.Date()
		if err != nil {
			v = append(v, store.FieldError{Field: field, Msg: err.Error()})
		}
		return d
	}
	a.Date = date("Date", f.Date)
	a.Mode, a.Reason = f.Mode.Code(), f.Reason.Code()
	a.ReasonNotes = strings.TrimSpace(f.ReasonNotes.Text)
	a.Interlocutors = f.Interlocutors.Codes()
	a.ReferredBy = strings.TrimSpace(f.ReferredBy.Text)
	in := &a.Intake
	in.SecondCitizenship = f.SecondCitizenship.Picked().Key
	in.CountryOfOrigin = f.Origin.Code()
	in.ItalianLevel = f.ItalianLevel.Code()
	in.Permit = store.Permit{Type: f.PermitType.Code(), Reason: f.PermitReason.Code(),
		Number: strings.TrimSpace(f.PermitNumber.Text), Expires: date("PermitExpires", f.PermitExpires)}
	in.MigrationHistory = strings.TrimSpace(f.MigrationHistory.Text)
	in.MaritalStatus, in.FamilyType = f.MaritalStatus.Code(), f.FamilyType.Code()
	in.Domicile = store.Address{ComuneCode: f.DomicileComune.Code(), Street: strings.TrimSpace(f.DomicileStreet.Text), CAP: strings.TrimSpace(f.DomicileCAP.Text)}
	in.Housing = store.Housing{Type: f.HousingType.Code(), Tenure: f.Tenure.Code(), Owner: f.Owner.Code()}
	if t := strings.TrimSpace(f.Rooms.Text); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil {
			v = append(v, store.FieldError{Field: "Rooms", Msg: "Scrivere il numero di vani in cifre."})
		}
		in.Housing.Rooms = n
	}
	in.Contacts = store.Contacts{Phone: strings.TrimSpace(f.Phone.Text), Mobile: strings.TrimSpace(f.Mobile.Text), Email: strings.TrimSpace(f.Email.Text)}
	in.GP, in.HealthCard = strings.TrimSpace(f.GP.Text), strings.TrimSpace(f.HealthCard.Text)
	in.DisabilityPercent = nil
	if t := strings.TrimSuffix(strings.TrimSpace(f.Disability.Text), "%"); t != "" {
		n, err := strconv.Atoi(strings.TrimSpace(t))
		if err != nil {
			v = append(v, store.FieldError{Field: "DisabilityPercent", Msg: "Scrivere la percentuale in cifre, da 0 a 100."})
		} else {
			in.DisabilityPercent = &n
		}
	}
	in.Education, in.Employment, in.Sector = f.Education.Code(), f.Employment.Code(), f.Sector.Code()
	in.Profession = strings.TrimSpace(f.Profession.Text)
	a.Needs = f.Needs.Codes()
	a.NeedsNotes = strings.TrimSpace(f.NeedsNotes.Text)
	a.Services = append([]store.ServiceRequest(nil), f.services...)
	a.Outcome = store.Outcome{TakeChargeType: f.TakeCharge.Code(), UserArea: f.UserArea.Code(), Signalled: f.Signalled.Checked,
		SignalledOn: date("SignalledOn", f.SignalledOn), Office: strings.TrimSpace(f.Office.Text), Notes: strings.TrimSpace(f.OutcomeNotes.Text)}
	return a, v
}

func (f *AccessForm) showHints(v store.ValidationError) {
	m := map[string]string{}
	for _, fe := range v {
		if l, ok := accessLabels[fe.Field]; ok {
			if _, seen := m[l]; !seen {
				m[l] = fe.Msg
			}
		}
	}
	for _, fm := range f.forms {
		setFormHints(fm, m)
	}
	// Show the first tab with a problem.
	for i, item := range f.Tabs.Items {
		for _, fm := range f.forms {
			if containsObject(item.Content, fm) && formHasHint(fm) {
				f.Tabs.SelectIndex(i)
				return
			}
		}
	}
}

func formHasHint(fm *widget.Form) bool {
	for _, it := range fm.Items {
		if it.HintText != "" {
			return true
		}
	}
	return false
}

func containsObject(root, target fyne.CanvasObject) bool {
	if root == target {
		return true
	}
	switch c := root.(type) {
	case *fyne.Container:
		for _, o := range c.Objects {
			if containsObject(o, target) {
				return true
			}
		}
	case *container.Scroll:
		return containsObject(c.Content, target)
	}
	return false
}

func (f *AccessForm) save() {
	app := f.pv.sh.app
	app.idle.touch()
	a, v := f.collect()
	if len(v) == 0 {
		saved, err := app.sess.SaveAccess(app.ctx, a)
		if ve, ok := store.AsValidation(err); ok {
			v = ve
		} else if err != nil {
			f.Status.SetText("Non salvato: " + err.Error())
			return
		} else {
			f.access = saved
		}
	}
	f.showHints(v)
	if len(v) > 0 {
		f.Status.SetText("Non salvato: correggere i campi indicati (" + v[0].Msg + ")")
		return
	}
	f.dirty = false
	f.Status.SetText("Accesso salvato alle " + time.Now().Format("15:04") + ".")
	f.pv.refreshAccesses()
}
