package ui

import (
	"fmt"
	"io"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cartella/export/pdf"
	"cartella/store"
	"cartella/store/demo"
	"cartella/ui/widgets"
)

// Wizard is the first-run screen that creates the office.
type Wizard struct {
	app     *App
	content fyne.CanvasObject

	OfficeName    *widget.Entry
	Comune        *widgets.PlaceEntry
	SIUSSCode     *widget.Entry
	GivenName     *widget.Entry
	Surname       *widget.Entry
	CodiceFiscale *widgets.CFEntry
	Username      *widget.Entry
	Password      *widget.Entry
	Password2     *widget.Entry
	Strength      *widget.Label
	Create        *widget.Button
	Demo          *widget.Button
	JoinOffice    *widget.Button // "Unisciti a un ufficio esistente" (ui/sync.go)
	RestoreOffice *widget.Button // "Ripristina da un backup" (ui/backup.go)
	Status        *widget.Label
	form          *widget.Form
	opForm        *widget.Form

	// After creation: the recovery code step.
	RecoveryCode *widget.Label
	SaveSheet    *widget.Button
	Kept         *widget.Check
	Continue     *widget.Button
	code         string
	session      *store.Session
}

func newWizard(a *App) *Wizard {
	places := a.db.Places()
	w := &Wizard{app: a}
	w.OfficeName = widget.NewEntry()
	w.OfficeName.SetPlaceHolder("es. Servizi Sociali del Comune di …")
	w.Comune = widgets.NewPlaceEntry(places)
	w.Comune.SetPlaceHolder("Scrivere il nome del Comune…")
	w.Comune.OnPicked = func(c widgets.Choice) {
		if strings.TrimSpace(w.OfficeName.Text) == "" {
			if p, ok := places.ByCode(c.Key, time.Now()); ok {
				w.OfficeName.SetText("Servizi Sociali del Comune di " + p.Name)
			}
		}
	}
	w.SIUSSCode = widget.NewEntry()
	w.SIUSSCode.SetPlaceHolder("codice ente assegnato da INPS (si può inserire dopo)")
	w.GivenName = widget.NewEntry()
	w.Surname = widget.NewEntry()
	w.CodiceFiscale = widgets.NewCFEntry(places)
	w.Username = widget.NewEntry()
	w.Username.SetPlaceHolder("es. mrossi")
	w.Password = widget.NewPasswordEntry()
	w.Password2 = widget.NewPasswordEntry()
	w.Strength = widget.NewLabel("")
	w.Password.OnChanged = func(s string) {
		if s == "" {
			w.Strength.SetText("")
			return
		}
		w.Strength.SetText("Robustezza: " + store.StrengthLabel(store.PasswordStrength(s)) +
			fmt.Sprintf(" (almeno %d caratteri; meglio una frase di più parole)", store.MinPasswordLen))
	}
	w.Status = widget.NewLabel("")
	w.Status.Wrapping = fyne.TextWrapWord
	w.Create = widget.NewButtonWithIcon("Crea l'ufficio", theme.ConfirmIcon(), w.create)
	w.Create.Importance = widget.HighImportance
	w.Demo = widget.NewButtonWithIcon("Crea un ufficio dimostrativo", theme.ComputerIcon(), w.createDemo)

	w.form = widget.NewForm(
		widget.NewFormItem("Nome dell'ente", w.OfficeName),
		widget.NewFormItem("Comune", w.Comune),
		widget.NewFormItem("Codice ente SIUSS", w.SIUSSCode),
	)
	w.opForm = widget.NewForm(
		widget.NewFormItem("Nome", w.GivenName),
		widget.NewFormItem("Cognome", w.Surname),
		widget.NewFormItem("Codice fiscale", w.CodiceFiscale),
		widget.NewFormItem("Nome utente", w.Username),
		widget.NewFormItem("Password", w.Password),
		widget.NewFormItem("Ripeti la password", w.Password2),
		widget.NewFormItem("", w.Strength),
	)
	intro := widget.NewLabel("Benvenuti in Cartella Sociale. Per iniziare create l'ufficio: i dati dell'ente e del primo operatore, " +
		"che sarà il responsabile. I dati delle persone saranno cifrati e leggibili solo con la password degli operatori " +
		"o con il codice di recupero che verrà mostrato alla fine.")
	intro.Wrapping = fyne.TextWrapWord
	title := widget.NewLabelWithStyle("Primo avvio — nuovo ufficio", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	demoNote := widget.NewLabel(fmt.Sprintf("Per provare il programma senza dati reali: ufficio dimostrativo con persone inventate "+
		"(operatore «%s», password «%s»).", demo.Username, DemoPassword))
	demoNote.Wrapping = fyne.TextWrapWord
	w.JoinOffice = widget.NewButtonWithIcon("Unisciti a un ufficio esistente", theme.LoginIcon(), a.showJoin)
	w.RestoreOffice = widget.NewButtonWithIcon("Ripristina da un backup", theme.HistoryIcon(), a.showRestore)
	joinNote := widget.NewLabel("L'ufficio è già attivo su un altro computer? Collegate questo computer con la cartella condivisa. " +
		"Avete solo un backup dell'ufficio? Ripristinatelo:")
	joinNote.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(title, intro, joinNote, container.NewHBox(w.JoinOffice, w.RestoreOffice), widget.NewSeparator(),
		widget.NewLabelWithStyle("Ente", fyne.TextAlignLeading, fyne.TextStyle{Italic: true}),
		w.form,
		widget.NewLabelWithStyle("Primo operatore (responsabile)", fyne.TextAlignLeading, fyne.TextStyle{Italic: true}),
		w.opForm, w.Status,
		container.NewHBox(w.Create), widget.NewSeparator(), demoNote, container.NewHBox(w.Demo))
	w.content = container.NewVScroll(container.NewPadded(body))
	return w
}

func (w *Wizard) setup() store.OfficeSetup {
	return store.OfficeSetup{
		Office: store.Office{
			Name:       strings.TrimSpace(w.OfficeName.Text),
			ComuneCode: w.Comune.Code(),
			SIUSSCode:  strings.TrimSpace(w.SIUSSCode.Text),
		},
		Operator: store.Operator{
			Username:      w.Username.Text,
			GivenName:     strings.TrimSpace(w.GivenName.Text),
			Surname:       strings.TrimSpace(w.Surname.Text),
			CodiceFiscale: w.CodiceFiscale.Code(),
			Role:          store.RoleResponsabile,
		},
		Password: w.Password.Text,
		Params:   w.app.opt.Params,
	}
}

var wizardFields = map[string]string{
	"OfficeName": "Nome dell'ente", "Comune": "Comune", "SIUSSCode": "Codice ente SIUSS",
	"GivenName": "Nome", "Surname": "Cognome", "CodiceFiscale": "Codice fiscale",
	"Username": "Nome utente", "Password": "Password",
}

func (w *Wizard) create() {
	setup := w.setup()
	var problems []string
	if err := setup.Validate(w.app.db.Places()); err != nil {
		if v, ok := store.AsValidation(err); ok {
			for _, fe := range v {
				problems = append(problems, fmt.Sprintf("%s: %s", wizardFields[fe.Field], fe.Msg))
			}
		}
	}
	if w.Password.Text != w.Password2.Text {
		problems = append(problems, "Ripeti la password: le due password non coincidono.")
	}
	hints := problemsByLabel(problems)
	setFormHints(w.form, hints)
	setFormHints(w.opForm, hints)
	if len(problems) > 0 {
		w.Status.SetText("Da correggere:\n• " + strings.Join(problems, "\n• "))
		return
	}
	w.Status.SetText("Creazione dell'ufficio in corso: la protezione della password richiede qualche secondo…")
	w.Create.Disable()
	w.Demo.Disable()
	w.runCreate(func() (*store.Session, string, error) { return w.app.db.CreateOffice(w.app.ctx, setup) })
}

// runCreate runs the slow key derivation off the UI goroutine.
func (w *Wizard) runCreate(fn func() (*store.Session, string, error)) {
	go func() {
		s, code, err := fn()
		fyne.Do(func() {
			if err != nil {
				w.Create.Enable()
				w.Demo.Enable()
				w.Status.SetText(err.Error())
				return
			}
			if code == "" {
				w.app.loggedIn(s)
				return
			}
			w.session, w.code = s, code
			w.showRecovery()
		})
	}()
}

func (w *Wizard) createDemo() {
	w.Status.SetText("Creazione dell'ufficio dimostrativo in corso…")
	w.Create.Disable()
	w.Demo.Disable()
	n := w.app.opt.DemoPersons
	w.runCreate(func() (*store.Session, string, error) {
		s, err := demo.CreateOffice(w.app.ctx, w.app.db, demo.Options{Persons: n, Password: DemoPassword, Params: w.app.opt.Params})
		return s, "", err
	})
}

// showRecovery shows the recovery code once, with the printable sheet.
func (w *Wizard) showRecovery() {
	codeLabel := widget.NewLabelWithStyle(w.code, fyne.TextAlignCenter, fyne.TextStyle{Monospace: true, Bold: true})
	w.Continue = widget.NewButtonWithIcon("Continua", theme.NavigateNextIcon(), func() {
		w.code = ""
		w.app.loggedIn(w.session)
	})
	w.Continue.Importance = widget.HighImportance
	w.Continue.Disable()
	w.Kept = widget.NewCheck("Ho stampato o trascritto il codice e lo conservo in un luogo sicuro", func(b bool) {
		if b {
			w.Continue.Enable()
		} else {
			w.Continue.Disable()
		}
	})
	w.SaveSheet = widget.NewButtonWithIcon("Salva il foglio di recupero (PDF)…", theme.DocumentSaveIcon(), w.saveSheet)
	msg := widget.NewLabel("Questo è il codice di recupero dell'ufficio. È l'unico modo per riaprire i dati se tutti " +
		"dimenticano la password. Viene mostrato una sola volta: salvate il foglio di recupero, stampatelo, " +
		"cancellate il file e conservate il foglio sotto chiave. Non fotografatelo e non tenetelo sul computer.")
	msg.Wrapping = fyne.TextWrapWord
	title := widget.NewLabelWithStyle("Codice di recupero", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	w.content = container.NewPadded(container.NewVBox(title, msg, codeLabel,
		container.NewHBox(w.SaveSheet), w.Kept, container.NewHBox(w.Continue)))
	w.app.win.SetContent(w.content)
	w.RecoveryCode = codeLabel // last: tests wait for it
}

func (w *Wizard) saveSheet() {
	ctx := w.app.ctx
	office, err := w.session.Office(ctx)
	if err != nil {
		w.app.showError(err)
		return
	}
	comune := ""
	if p, ok := w.app.db.Places().ByCode(office.ComuneCode, time.Now()); ok {
		comune = p.Name
	}
	sheet := pdf.RecoverySheet{
		OfficeName:   office.Name,
		ComuneName:   comune,
		OfficeID:     w.app.db.OfficeID().String()[:8],
		RecoveryCode: w.code,
		CreatedBy:    w.session.Operator().FullName(),
		CreatedAt:    time.Now(),
	}
	w.app.saveFile("foglio-di-recupero.pdf", func(out io.Writer) error {
		return pdf.WriteRecoverySheet(out, sheet)
	}, func(err error) {
		if err != nil {
			w.app.showError(fmt.Errorf("salvataggio del foglio di recupero: %w", err))
			return
		}
		w.SaveSheet.SetText("Foglio di recupero salvato")
		dialog.ShowInformation("Foglio salvato", "Stampate il foglio, poi cancellate il file dal computer.", w.app.win)
	})
}
