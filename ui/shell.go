package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cartella/store"
)

// area is one entry of the left navigation (DESIGN.md §6).
type area struct {
	title string
	icon  func() fyne.Resource // a func: the theme exists only once the app runs
	ready bool
}

var areas = []area{
	{"Persone", theme.AccountIcon, true},
	{"Segretariato", theme.DocumentCreateIcon, true},
	{"Cartelle", theme.FolderIcon, false},
	{"Interventi", theme.ListIcon, false},
	{"Erogazioni e liquidazioni", theme.ContentPasteIcon, false},
	{"SIUSS", theme.UploadIcon, false},
	{"Statistiche", theme.GridIcon, false},
	{"Sincronizzazione", theme.ViewRefreshIcon, true},
	{"Impostazioni", theme.SettingsIcon, true},
}

// screen is what the content area shows; Dirty screens hold unsaved input.
type screen interface {
	Dirty() bool
}

// Shell is the main window: search box and lock button at the top, areas
// on the left, the chosen screen on the right.
type Shell struct {
	app     *App
	content fyne.CanvasObject

	Search     *widget.Entry
	Results    *widget.List
	Nav        *widget.List
	LockButton *widget.Button
	Body       *fyne.Container

	Persons  *PersonsScreen
	Person   *PersonView
	Form     *PersonForm // the anagrafica form of Person
	Settings *SettingsScreen
	Sync     *SyncScreen
	Import   *ImportScreen

	// pendingAccess opens a new access as soon as the person being
	// registered is saved ("Nuovo accesso" for someone not yet registered).
	pendingAccess bool

	results    []store.PersonSummary
	resultsBox fyne.CanvasObject
	current    screen
	area       int
	navBusy    bool
}

func newShell(a *App) *Shell {
	sh := &Shell{app: a}
	sh.Search = widget.NewEntry()
	sh.Search.SetPlaceHolder("Cerca persona: cognome, nome o codice fiscale")
	sh.Search.OnChanged = sh.search
	sh.Results = widget.NewList(
		func() int { return len(sh.results) },
		func() fyne.CanvasObject { return newPersonRow() },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*personRow).set(sh.results[i]) },
	)
	sh.Results.OnSelected = func(i widget.ListItemID) {
		sh.Results.UnselectAll()
		if i < len(sh.results) {
			sh.openPerson(sh.results[i].ID)
		}
	}
	sh.LockButton = widget.NewButtonWithIcon("Blocca", theme.VisibilityOffIcon(), a.lockNow)
	op := a.sess.Operator()
	who := widget.NewLabel(fmt.Sprintf("%s · %s", op.FullName(), op.Role.Label()))
	office := widget.NewLabelWithStyle(a.db.OfficeLabel(a.ctx), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	top := container.NewBorder(nil, nil, office, container.NewHBox(who, sh.LockButton), sh.Search)

	sh.Nav = widget.NewList(
		func() int { return len(areas) },
		func() fyne.CanvasObject {
			return container.NewHBox(widget.NewIcon(theme.AccountIcon()), widget.NewLabel("Erogazioni e liquidazioni"))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			c := o.(*fyne.Container)
			c.Objects[0].(*widget.Icon).SetResource(areas[i].icon())
			c.Objects[1].(*widget.Label).SetText(areas[i].title)
		},
	)
	sh.Nav.OnSelected = func(i widget.ListItemID) {
		if sh.navBusy {
			return
		}
		sh.goArea(i)
	}
	sh.Body = container.NewStack()
	split := container.NewHSplit(sh.Nav, sh.Body)
	split.Offset = 0.2
	sh.content = newActivityLayer(container.NewBorder(container.NewVBox(top, widget.NewSeparator()), nil, nil, nil, split), a.idle.touch)
	sh.selectNav(0)
	sh.showPersons()
	return sh
}

// selectNav highlights an area without triggering navigation.
func (sh *Shell) selectNav(i int) {
	sh.navBusy = true
	sh.Nav.Select(i)
	sh.navBusy = false
	sh.area = i
}

// leave asks before throwing away unsaved input; then runs next.
func (sh *Shell) leave(next func()) {
	if sh.current == nil || !sh.current.Dirty() {
		next()
		return
	}
	dialog.ShowConfirm("Modifiche non salvate",
		"Ci sono modifiche non salvate. Uscire senza salvare?", func(ok bool) {
			if ok {
				next()
			} else {
				sh.selectNav(sh.area)
			}
		}, sh.app.win)
}

func (sh *Shell) goArea(i int) {
	sh.app.idle.touch()
	sh.leave(func() {
		sh.selectNav(i)
		switch areas[i].title {
		case "Persone":
			sh.showPersons()
		case "Impostazioni":
			sh.showSettings()
		case "Segretariato":
			sh.showSegretariato()
		case "Sincronizzazione":
			sh.showSync()
		default:
			sh.show(notAvailable(areas[i].title), nil)
		}
	})
}

func (sh *Shell) show(o fyne.CanvasObject, s screen) {
	sh.current = s
	sh.Body.Objects = []fyne.CanvasObject{o}
	sh.Body.Refresh()
}

func notAvailable(title string) fyne.CanvasObject {
	t := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	msg := widget.NewLabel("Quest'area non è ancora disponibile in questa versione del programma. " +
		"Sarà attivata con un prossimo aggiornamento; nel frattempo non contiene dati.")
	msg.Wrapping = fyne.TextWrapWord
	return container.NewPadded(container.NewVBox(t, msg))
}

func (sh *Shell) showPersons() {
	if sh.Persons == nil {
		sh.Persons = newPersonsScreen(sh)
	}
	sh.Persons.refresh()
	sh.Form, sh.Person = nil, nil
	sh.show(sh.Persons.content, nil)
}

func (sh *Shell) showSettings() {
	sh.selectNav(len(areas) - 1)
	sh.Settings = newSettingsScreen(sh)
	sh.Form, sh.Person = nil, nil
	sh.show(sh.Settings.content, sh.Settings)
}

// search lists matching persons at once, in place of the current screen.
func (sh *Shell) search(q string) {
	sh.app.idle.touch()
	if q == "" {
		sh.results = nil
		sh.goBackFromSearch()
		return
	}
	sh.results = sh.app.sess.Search(q, 200)
	sh.Results.Refresh()
	if len(sh.Body.Objects) == 0 || sh.Body.Objects[0] != sh.resultsView() {
		sh.leave(func() { sh.show(sh.resultsView(), nil) })
	}
}

func (sh *Shell) resultsView() fyne.CanvasObject {
	if sh.resultsBox == nil {
		head := widget.NewLabelWithStyle("Risultati della ricerca", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		add := widget.NewButtonWithIcon("Nuova persona", theme.ContentAddIcon(), func() { sh.newPerson() })
		access := widget.NewButtonWithIcon("Nuovo accesso", theme.DocumentCreateIcon(), sh.newAccessForUnregistered)
		sh.resultsBox = container.NewBorder(container.NewHBox(head, add, access), nil, nil, nil, sh.Results)
	}
	return sh.resultsBox
}

func (sh *Shell) goBackFromSearch() {
	if len(sh.Body.Objects) > 0 && sh.Body.Objects[0] == sh.resultsView() {
		sh.goArea(sh.area)
	}
}

// openPerson shows a person's anagrafica for editing.
func (sh *Shell) openPerson(id store.ID) {
	sh.app.idle.touch()
	sh.leave(func() {
		p, err := sh.app.sess.Person(sh.app.ctx, id)
		if err != nil {
			sh.app.showError(err)
			return
		}
		sh.selectNav(0)
		sh.showPerson(p)
	})
}

func (sh *Shell) showPerson(p store.Person) {
	sh.pendingAccess = false
	sh.Person = newPersonView(sh, p)
	sh.Form = sh.Person.Form
	sh.show(sh.Person.content, sh.Person)
}

func (sh *Shell) newPerson() {
	sh.app.idle.touch()
	sh.leave(func() {
		sh.selectNav(0)
		sh.showPerson(store.Person{})
		sh.app.win.Canvas().Focus(sh.Form.Surname)
	})
}

// newAccessForUnregistered registers the person first, then opens the
// new access on save.
func (sh *Shell) newAccessForUnregistered() {
	sh.app.idle.touch()
	sh.leave(func() {
		sh.selectNav(1)
		sh.showPerson(store.Person{})
		sh.pendingAccess = true
		sh.Form.Status.SetText("Nuovo accesso: registrare prima l'anagrafica della persona, poi si apre la scheda di accesso.")
		sh.app.win.Canvas().Focus(sh.Form.Surname)
	})
}

// refreshAfterUnlock redraws lists whose data come from the index, which
// was rebuilt at unlock.
func (sh *Shell) refreshAfterUnlock() {
	if sh.Persons != nil {
		sh.Persons.refresh()
	}
	if sh.Search.Text != "" {
		sh.results = sh.app.sess.Search(sh.Search.Text, 200)
		sh.Results.Refresh()
	}
}
