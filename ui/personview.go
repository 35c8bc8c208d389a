package ui

import (
	"bytes"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cartella/export/pdf"
	"cartella/store"
	"cartella/ui/widgets"
)

// PersonView is everything about one person: anagrafica, accesses,
// reference persons, diary, documents and privacy, in tabs.
type PersonView struct {
	sh      *Shell
	content *fyne.Container
	person  store.Person
	Tabs    *container.AppTabs
	Form    *PersonForm

	AccessList *widget.List
	accesses   []store.Access
	NewAccess  *widget.Button
	Access     *AccessForm

	RefList *widget.List
	refs    []store.ReferencePerson
	AddRef  *widget.Button

	DiaryList       *widget.List
	diary           []store.DiaryEntry
	DiaryVisibility *widget.Select
	DiaryFrom       *widgets.DateEntry
	DiaryTo         *widgets.DateEntry
	DiaryDate       *widgets.DateEntry
	DiaryText       *widget.Entry
	DiaryPrivate    *widget.Check
	DiaryAdd        *widget.Button
	DiaryStatus     *widget.Label
	correcting      store.ID

	DocList   *widget.List
	docs      []store.Attachment
	AddDoc    *widget.Button
	DocStatus *widget.Label

	ConsentGiven  *widget.RadioGroup
	ConsentDate   *widgets.DateEntry
	ConsentSave   *widget.Button
	ConsentPrint  *widget.Button
	ConsentScan   *widget.Button
	ConsentStatus *widget.Label
}

const (
	consentYes = "Sì, consenso firmato"
	consentNo  = "No, consenso negato"
)

func newPersonView(sh *Shell, p store.Person) *PersonView {
	pv := &PersonView{sh: sh, person: p}
	pv.Form = newPersonForm(sh, p)
	pv.Form.onSaved = pv.saved
	pv.content = container.NewStack()
	pv.build()
	return pv
}

// Dirty reports unsaved input anywhere in the view.
func (pv *PersonView) Dirty() bool {
	return pv.Form.Dirty() || pv.Access != nil && pv.Access.Dirty() ||
		strings.TrimSpace(pv.textOf(pv.DiaryText)) != ""
}

func (pv *PersonView) textOf(e *widget.Entry) string {
	if e == nil {
		return ""
	}
	return e.Text
}

func (pv *PersonView) build() {
	if pv.person.ID.IsZero() {
		pv.Tabs = container.NewAppTabs(container.NewTabItemWithIcon("Anagrafica", theme.AccountIcon(), pv.Form.content))
	} else {
		pv.Tabs = container.NewAppTabs(
			container.NewTabItemWithIcon("Anagrafica", theme.AccountIcon(), pv.Form.content),
			container.NewTabItemWithIcon("Accessi", theme.DocumentCreateIcon(), pv.accessesTab()),
			container.NewTabItemWithIcon("Persone di riferimento", theme.AccountIcon(), pv.refsTab()),
			container.NewTabItemWithIcon("Diario", theme.ListIcon(), pv.diaryTab()),
			container.NewTabItemWithIcon("Documenti", theme.FileIcon(), pv.docsTab()),
			container.NewTabItemWithIcon("Privacy", theme.VisibilityOffIcon(), pv.privacyTab()),
		)
	}
	pv.content.Objects = []fyne.CanvasObject{pv.withHeader()}
	pv.content.Refresh()
}

// withHeader puts who the person is above the tabs.
func (pv *PersonView) withHeader() fyne.CanvasObject {
	if pv.person.ID.IsZero() {
		return pv.Tabs
	}
	p := pv.person
	head := widget.NewLabelWithStyle(fmt.Sprintf("%s — nato/a il %s — %s", p.FullName(), widgets.FormatDate(p.BirthDate), p.CodiceFiscale),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewBorder(head, nil, nil, nil, pv.Tabs)
}

// saved is called by the anagrafica form; a new person gets the other tabs.
func (pv *PersonView) saved(p store.Person) {
	wasNew := pv.person.ID.IsZero()
	pv.person = p
	if wasNew {
		pv.build()
		if pv.sh.pendingAccess {
			pv.sh.pendingAccess = false
			pv.openNewAccess()
		}
	}
}

func (pv *PersonView) ctx() (*store.Session, *App) { return pv.sh.app.sess, pv.sh.app }

// --- Accessi

func (pv *PersonView) accessesTab() fyne.CanvasObject {
	sess, app := pv.ctx()
	pv.AccessList = widget.NewList(
		func() int { return len(pv.accesses) },
		func() fyne.CanvasObject {
			return widget.NewLabel("00/00/0000 — Modalità — Motivo dell'accesso lungo")
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			a := pv.accesses[i]
			mode, _ := sess.CodeList(app.ctx, store.ListModalitaAccesso)
			reason, _ := sess.CodeList(app.ctx, store.ListMotivoAccesso)
			o.(*widget.Label).SetText(fmt.Sprintf("%s — %s — %s — %s", widgets.FormatDate(a.Date), mode.Label(a.Mode), reason.Label(a.Reason), a.OperatorName))
		},
	)
	pv.AccessList.OnSelected = func(i widget.ListItemID) {
		pv.AccessList.UnselectAll()
		if i < len(pv.accesses) {
			a, err := sess.Access(app.ctx, pv.person.ID, pv.accesses[i].ID)
			if err != nil {
				app.showError(err)
				return
			}
			pv.openAccess(a)
		}
	}
	pv.NewAccess = widget.NewButtonWithIcon("Nuovo accesso", theme.ContentAddIcon(), pv.openNewAccess)
	pv.NewAccess.Importance = widget.HighImportance
	pv.refreshAccesses()
	head := container.NewBorder(nil, nil, widget.NewLabel("Accessi allo sportello, dal più recente"), pv.NewAccess)
	return container.NewBorder(head, nil, nil, nil, pv.AccessList)
}

func (pv *PersonView) refreshAccesses() {
	sess, app := pv.ctx()
	list, err := sess.Accesses(app.ctx, pv.person.ID)
	if err != nil {
		app.showError(err)
		return
	}
	pv.accesses = list
	if pv.AccessList != nil {
		pv.AccessList.Refresh()
	}
}

func (pv *PersonView) openNewAccess() {
	sess, app := pv.ctx()
	a, err := sess.NewAccess(app.ctx, pv.person.ID)
	if err != nil {
		app.showError(err)
		return
	}
	pv.openAccess(a)
}

func (pv *PersonView) openAccess(a store.Access) {
	pv.Access = newAccessForm(pv, a)
	pv.content.Objects = []fyne.CanvasObject{pv.Access.content}
	pv.content.Refresh()
	pv.sh.app.win.Canvas().Focus(pv.Access.Date)
}

func (pv *PersonView) closeAccess() {
	pv.Access = nil
	pv.refreshAccesses()
	pv.content.Objects = []fyne.CanvasObject{pv.withHeader()}
	pv.content.Refresh()
	pv.Tabs.SelectIndex(1)
}

// --- Persone di riferimento

func (pv *PersonView) refsTab() fyne.CanvasObject {
	sess, app := pv.ctx()
	roles := pv.codeList(store.ListRuoloRiferimento)
	kin := pv.codeList(store.ListParentela)
	pv.RefList = widget.NewList(
		func() int { return len(pv.refs) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, nil, widget.NewButtonWithIcon("", theme.DeleteIcon(), nil), widget.NewLabel("Nome — ruolo — contatti"))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			r := pv.refs[i]
			c := o.(*fyne.Container)
			role := roles.Label(r.Role)
			if r.Kinship != "" {
				role += " (" + kin.Label(r.Kinship) + ")"
			}
			contacts := strings.Trim(strings.Join([]string{r.Contacts.Phone, r.Contacts.Mobile, r.Contacts.Email}, " "), " ")
			c.Objects[0].(*widget.Label).SetText(fmt.Sprintf("%s — %s — %s", r.Name, role, contacts))
			c.Objects[1].(*widget.Button).OnTapped = func() {
				dialog.ShowConfirm("Rimuovere?", "Rimuovere "+r.Name+" dalle persone di riferimento?", func(ok bool) {
					if ok {
						if err := sess.RemoveReferencePerson(app.ctx, r); err != nil {
							app.showError(err)
						}
						pv.refreshRefs()
					}
				}, app.win)
			}
		},
	)
	pv.AddRef = widget.NewButtonWithIcon("Aggiungi persona di riferimento", theme.ContentAddIcon(), pv.addRef)
	pv.refreshRefs()
	return container.NewBorder(container.NewHBox(pv.AddRef), nil, nil, nil, pv.RefList)
}

func (pv *PersonView) refreshRefs() {
	sess, app := pv.ctx()
	refs, err := sess.ReferencePersons(app.ctx, pv.person.ID)
	if err != nil {
		app.showError(err)
		return
	}
	pv.refs = refs
	pv.RefList.Refresh()
}

func (pv *PersonView) addRef() {
	sess, app := pv.ctx()
	name := widget.NewEntry()
	linked := widgets.NewCompletionEntry(func(q string) []widgets.Choice {
		var out []widgets.Choice
		for _, p := range sess.Search(q, 8) {
			if p.ID != pv.person.ID {
				out = append(out, widgets.Choice{Key: p.ID.String(), Label: p.FullName() + " (" + widgets.FormatDate(p.BirthDate) + ")"})
			}
		}
		return out
	})
	linked.SetPlaceHolder("cercare nell'archivio (facoltativo)")
	role := widgets.NewCodeSelect(pv.codeList(store.ListRuoloRiferimento))
	kin := widgets.NewCodeSelect(pv.codeList(store.ListParentela))
	phone, mobile, email := widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	items := []*widget.FormItem{
		widget.NewFormItem("Persona dell'archivio", linked), widget.NewFormItem("Nome e cognome", name),
		widget.NewFormItem("Ruolo", role), widget.NewFormItem("Parentela", kin),
		widget.NewFormItem("Telefono", phone), widget.NewFormItem("Cellulare", mobile), widget.NewFormItem("E-mail", email),
	}
	d := dialog.NewForm("Persona di riferimento", "Salva", "Annulla", items, func(ok bool) {
		if !ok {
			return
		}
		r := store.ReferencePerson{PersonID: pv.person.ID, Name: strings.TrimSpace(name.Text), Role: role.Code(), Kinship: kin.Code(),
			Contacts: store.Contacts{Phone: phone.Text, Mobile: mobile.Text, Email: email.Text}}
		if k := linked.Picked().Key; k != "" {
			r.Linked, _ = store.ParseID(k)
		}
		if _, err := sess.SaveReferencePerson(app.ctx, r); err != nil {
			app.showError(err)
			return
		}
		pv.refreshRefs()
	}, app.win)
	d.Resize(fyne.NewSize(600, 480))
	d.Show()
}

// --- Diario

var visibilityOptions = []string{"Tutte le note", "Solo riservate", "Solo condivisibili"}

func (pv *PersonView) diaryTab() fyne.CanvasObject {
	sess, app := pv.ctx()
	canPrivate := sess.Operator().Role.Can(store.PermPrivateDiary)
	pv.DiaryList = widget.NewList(
		func() int { return len(pv.diary) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Wrapping = fyne.TextWrapWord
			return container.NewBorder(nil, nil, nil, widget.NewButton("Correggi", nil), l)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			e := pv.diary[i]
			c := o.(*fyne.Container)
			vis := "condivisibile"
			if e.Private {
				vis = "RISERVATA"
			}
			text := fmt.Sprintf("%s · %s · %s\n%s", widgets.FormatDate(e.Date), e.AuthorName, vis, e.Text)
			if !e.Corrects.IsZero() {
				text = "↳ correzione · " + text
			}
			c.Objects[0].(*widget.Label).SetText(text)
			c.Objects[1].(*widget.Button).OnTapped = func() {
				pv.correcting = e.ID
				pv.DiaryPrivate.SetChecked(e.Private)
				pv.DiaryStatus.SetText("Correzione della nota del " + widgets.FormatDate(e.Date) + ": la nota originale resta nel diario.")
				app.win.Canvas().Focus(pv.DiaryText)
			}
			pv.DiaryList.SetItemHeight(i, c.MinSize().Height)
		},
	)
	pv.DiaryVisibility = widget.NewSelect(visibilityOptions, nil)
	if !canPrivate {
		pv.DiaryVisibility.Options = []string{"Tutte le note"}
	}
	pv.DiaryVisibility.SetSelectedIndex(0)
	pv.DiaryFrom, pv.DiaryTo = widgets.NewDateEntry(), widgets.NewDateEntry()
	filter := widget.NewButtonWithIcon("Filtra", theme.SearchIcon(), pv.refreshDiary)
	pv.DiaryDate = widgets.NewDateEntry()
	pv.DiaryDate.SetDate(time.Now())
	pv.DiaryText = widget.NewMultiLineEntry()
	pv.DiaryText.SetMinRowsVisible(3)
	pv.DiaryText.Wrapping = fyne.TextWrapWord
	pv.DiaryText.SetPlaceHolder("Nuova nota di diario…")
	pv.DiaryPrivate = widget.NewCheck("Riservata (solo operatori del Comune autorizzati)", nil)
	pv.DiaryPrivate.SetChecked(canPrivate)
	if !canPrivate {
		pv.DiaryPrivate.Disable()
	}
	pv.DiaryStatus = widget.NewLabel("")
	pv.DiaryStatus.Wrapping = fyne.TextWrapWord
	pv.DiaryAdd = widget.NewButtonWithIcon("Aggiungi nota", theme.ContentAddIcon(), pv.addDiary)
	filters := container.NewGridWithColumns(4, pv.DiaryVisibility,
		container.NewBorder(nil, nil, widget.NewLabel("Dal"), nil, pv.DiaryFrom),
		container.NewBorder(nil, nil, widget.NewLabel("Al"), nil, pv.DiaryTo), container.NewHBox(filter))
	editor := container.NewVBox(widget.NewSeparator(),
		container.NewBorder(nil, nil, widget.NewLabel("Data"), container.NewHBox(pv.DiaryPrivate, pv.DiaryAdd), pv.DiaryDate),
		pv.DiaryText, pv.DiaryStatus)
	pv.DiaryVisibility.OnChanged = func(string) { pv.refreshDiary() }
	pv.refreshDiary()
	return container.NewBorder(filters, editor, nil, nil, pv.DiaryList)
}

func (pv *PersonView) refreshDiary() {
	sess, app := pv.ctx()
	if pv.DiaryList == nil {
		return
	}
	f := store.DiaryFilter{}
	switch pv.DiaryVisibility.SelectedIndex() {
	case 1:
		f.Visibility = "private"
	case 2:
		f.Visibility = "public"
	}
	var problems []string
	if d, err := pv.DiaryFrom.Date(); err != nil {
		problems = append(problems, "Dal: "+err.Error())
	} else {
		f.From = d
	}
	if d, err := pv.DiaryTo.Date(); err != nil {
		problems = append(problems, "Al: "+err.Error())
	} else {
		f.To = d
	}
	if len(problems) > 0 {
		pv.DiaryStatus.SetText(strings.Join(problems, " "))
		return
	}
	entries, err := sess.Diary(app.ctx, pv.person.ID, f)
	if err != nil {
		app.showError(err)
		return
	}
	pv.diary = entries
	pv.DiaryList.Refresh()
}

func (pv *PersonView) addDiary() {
	sess, app := pv.ctx()
	d, err := pv.DiaryDate.Date()
	if err != nil {
		pv.DiaryStatus.SetText("Data: " + err.Error())
		return
	}
	_, err = sess.AddDiaryEntry(app.ctx, store.DiaryEntry{PersonID: pv.person.ID, Date: d, Private: pv.DiaryPrivate.Checked,
		Text: strings.TrimSpace(pv.DiaryText.Text), Corrects: pv.correcting})
	if err != nil {
		pv.DiaryStatus.SetText("Nota non salvata: " + err.Error())
		return
	}
	pv.correcting = store.ID{}
	pv.DiaryText.SetText("")
	pv.DiaryStatus.SetText("Nota aggiunta.")
	pv.refreshDiary()
}

// --- Documenti

func (pv *PersonView) docsTab() fyne.CanvasObject {
	pv.DocList = widget.NewList(
		func() int { return len(pv.docs) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, nil,
				container.NewHBox(widget.NewButtonWithIcon("Apri", theme.FileIcon(), nil), widget.NewButtonWithIcon("Salva copia…", theme.DocumentSaveIcon(), nil)),
				widget.NewLabel("nome del documento.pdf — 1,2 MB — 00/00/0000"))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			a := pv.docs[i]
			c := o.(*fyne.Container)
			what := ""
			if a.Service != "" {
				what = " — richiesta " + a.Service
			}
			c.Objects[0].(*widget.Label).SetText(fmt.Sprintf("%s — %s — %s, %s%s", a.Name, humanSize(a.Size), widgets.FormatDate(a.AddedAt), a.AddedBy, what))
			btns := c.Objects[1].(*fyne.Container)
			btns.Objects[0].(*widget.Button).OnTapped = func() { pv.openDoc(a) }
			btns.Objects[1].(*widget.Button).OnTapped = func() { pv.saveDocCopy(a) }
		},
	)
	pv.AddDoc = widget.NewButtonWithIcon("Aggiungi documento…", theme.ContentAddIcon(), func() { pv.addDoc(store.Attachment{}, nil) })
	pv.DocStatus = widget.NewLabel(fmt.Sprintf("PDF, immagini, documenti fino a %d MB, conservati cifrati nell'archivio.", store.MaxAttachmentSize>>20))
	pv.refreshDocs()
	return container.NewBorder(container.NewVBox(container.NewHBox(pv.AddDoc), pv.DocStatus), nil, nil, nil, pv.DocList)
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return strings.Replace(fmt.Sprintf("%.1f MB", float64(n)/(1<<20)), ".", ",", 1)
	case n >= 1<<10:
		return fmt.Sprintf("%d kB", n>>10)
	}
	return fmt.Sprintf("%d byte", n)
}

func (pv *PersonView) refreshDocs() {
	sess, app := pv.ctx()
	docs, err := sess.Attachments(app.ctx, pv.person.ID)
	if err != nil {
		app.showError(err)
		return
	}
	pv.docs = docs
	if pv.DocList != nil {
		pv.DocList.Refresh()
	}
}

// addDoc asks for a file and stores it sealed with meta (type, service
// request); then calls after with it.
func (pv *PersonView) addDoc(meta store.Attachment, after func(store.Attachment)) {
	sess, app := pv.ctx()
	app.openFile(func(name string, r io.ReadCloser, err error) {
		if err != nil || r == nil {
			if err != nil {
				app.showError(err)
			}
			return
		}
		defer r.Close()
		pv.DocStatus.SetText("Salvataggio cifrato in corso…")
		meta.Name = filepath.Base(name)
		a, err := sess.AddAttachment(app.ctx, pv.person.ID, meta, r)
		if err != nil {
			pv.DocStatus.SetText("Documento non salvato: " + err.Error())
			return
		}
		pv.DocStatus.SetText("Documento salvato: " + a.Name)
		pv.refreshDocs()
		if after != nil {
			after(a)
		}
	})
}

func (pv *PersonView) openDoc(a store.Attachment) {
	sess, app := pv.ctx()
	path, err := sess.OpenForViewing(app.ctx, a)
	if err != nil {
		app.showError(err)
		return
	}
	u := &url.URL{Scheme: "file", Path: filepath.ToSlash(path)}
	if err := app.openURL(u); err != nil {
		app.showError(fmt.Errorf("impossibile aprire il documento con il visualizzatore di sistema: %w", err))
	}
}

func (pv *PersonView) saveDocCopy(a store.Attachment) {
	sess, app := pv.ctx()
	dialog.ShowConfirm("Copia non protetta",
		"La copia salvata fuori dal programma NON è cifrata: chiunque abbia accesso alla cartella scelta potrà leggerla. "+
			"Salvarla solo se necessario e cancellarla appena possibile. Continuare?", func(ok bool) {
			if !ok {
				return
			}
			app.saveFile(a.Name, func(w io.Writer) error {
				if err := sess.WriteAttachment(app.ctx, a, w); err != nil {
					return err
				}
				return sess.RecordExport(app.ctx, "attachment", a.ID, "copia non protetta del documento")
			}, func(err error) { app.showError(err) })
		}, app.win)
}

// --- Privacy

func (pv *PersonView) privacyTab() fyne.CanvasObject {
	pv.ConsentGiven = widget.NewRadioGroup([]string{consentYes, consentNo}, nil)
	pv.ConsentDate = widgets.NewDateEntry()
	c := pv.person.Consent
	if c.Recorded {
		if c.Given {
			pv.ConsentGiven.SetSelected(consentYes)
		} else {
			pv.ConsentGiven.SetSelected(consentNo)
		}
		pv.ConsentDate.SetDate(c.Date)
	}
	pv.ConsentStatus = widget.NewLabel("")
	pv.ConsentStatus.Wrapping = fyne.TextWrapWord
	if !c.Recorded {
		pv.ConsentStatus.SetText("Consenso al trattamento dei dati non ancora registrato.")
	}
	pv.ConsentSave = widget.NewButtonWithIcon("Registra il consenso", theme.DocumentSaveIcon(), pv.saveConsent)
	pv.ConsentPrint = widget.NewButtonWithIcon("Stampa modulo privacy…", theme.DocumentPrintIcon(), pv.printConsent)
	pv.ConsentScan = widget.NewButtonWithIcon("Allega il modulo firmato…", theme.ContentAddIcon(), func() {
		pv.addDoc(store.Attachment{Type: "CONSENSO_PRIVACY"}, func(a store.Attachment) {
			pv.person.Consent.SignedScan = a.ID
			pv.saveConsent()
		})
	})
	form := widget.NewForm(widget.NewFormItem("Consenso", pv.ConsentGiven), widget.NewFormItem("Data", pv.ConsentDate))
	note := widget.NewLabel("Stampare il modulo, farlo firmare alla persona (o al suo rappresentante), registrare qui l'esito e allegare la scansione firmata.")
	note.Wrapping = fyne.TextWrapWord
	return container.NewVBox(note, container.NewHBox(pv.ConsentPrint), form, container.NewHBox(pv.ConsentSave, pv.ConsentScan), pv.ConsentStatus)
}

func (pv *PersonView) saveConsent() {
	sess, app := pv.ctx()
	p := pv.person
	d, err := pv.ConsentDate.Date()
	if err != nil {
		pv.ConsentStatus.SetText("Data: " + err.Error())
		return
	}
	switch pv.ConsentGiven.Selected {
	case consentYes:
		p.Consent.Recorded, p.Consent.Given = true, true
	case consentNo:
		p.Consent.Recorded, p.Consent.Given = true, false
	default:
		pv.ConsentStatus.SetText("Indicare se il consenso è stato dato.")
		return
	}
	p.Consent.Date = d
	saved, err := sess.SavePerson(app.ctx, p)
	if err != nil {
		if v, ok := store.AsValidation(err); ok {
			pv.ConsentStatus.SetText(v.Error())
			return
		}
		app.showError(err)
		return
	}
	pv.person = saved
	pv.Form.person = saved
	pv.ConsentStatus.SetText("Consenso registrato.")
	if pv.sh.Persons != nil {
		pv.sh.Persons.refresh()
	}
}

func (pv *PersonView) printConsent() {
	sess, app := pv.ctx()
	office, err := sess.Office(app.ctx)
	if err != nil {
		app.showError(err)
		return
	}
	places := app.db.Places()
	f := pdf.ConsentForm{OfficeName: office.Name, Date: time.Now()}
	if c, ok := places.ByCode(office.ComuneCode, time.Now()); ok {
		f.ComuneName = c.Name
	}
	p := pv.person
	f.Person.FullName = p.Surname + " " + p.GivenName
	f.Person.CodiceFiscale = p.CodiceFiscale
	f.Person.BirthDate = widgets.FormatDate(p.BirthDate)
	if bp, ok := places.ByCode(p.BirthPlace, p.BirthDate); ok {
		f.Person.BirthPlace = bp.Label()
	}
	name := "modulo-privacy-" + strings.ReplaceAll(strings.ToLower(p.Surname), " ", "-") + ".pdf"
	app.saveFile(name, func(w io.Writer) error {
		var b bytes.Buffer
		if err := pdf.WriteConsentForm(&b, f); err != nil {
			return err
		}
		if _, err := w.Write(b.Bytes()); err != nil {
			return err
		}
		return sess.RecordExport(app.ctx, "person", p.ID, "modulo privacy")
	}, func(err error) {
		if err != nil {
			app.showError(err)
			return
		}
		pv.ConsentStatus.SetText("Modulo privacy salvato: stamparlo e farlo firmare.")
	})
}
