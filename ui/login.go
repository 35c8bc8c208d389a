package ui

import (
	"errors"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cartella/store"
)

// Login asks for operator and password.
type Login struct {
	app     *App
	content fyne.CanvasObject

	Username *widget.Entry
	Password *widget.Entry
	Submit   *widget.Button
	Message  *widget.Label
	Lost     *widget.Button

	busy bool
}

func newLogin(a *App) *Login {
	l := &Login{app: a}
	l.Username = widget.NewEntry()
	l.Username.SetPlaceHolder("nome utente")
	l.Password = widget.NewPasswordEntry()
	l.Password.SetPlaceHolder("password")
	l.Password.OnSubmitted = func(string) { l.submit() }
	l.Username.OnSubmitted = func(string) { a.win.Canvas().Focus(l.Password) }
	l.Submit = widget.NewButtonWithIcon("Accedi", theme.LoginIcon(), l.submit)
	l.Submit.Importance = widget.HighImportance
	l.Message = widget.NewLabel("")
	l.Message.Wrapping = fyne.TextWrapWord
	l.Message.Importance = widget.DangerImportance
	l.Lost = widget.NewButton("Ho perso la password", l.showRecovery)
	l.Lost.Importance = widget.LowImportance

	office := a.db.OfficeLabel(a.ctx)
	title := widget.NewLabelWithStyle("Cartella Sociale", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	sub := widget.NewLabelWithStyle(office, fyne.TextAlignCenter, fyne.TextStyle{})
	form := widget.NewForm(
		widget.NewFormItem("Operatore", l.Username),
		widget.NewFormItem("Password", l.Password),
	)
	box := container.NewVBox(title, sub, widget.NewSeparator(), form,
		container.NewHBox(l.Submit, l.Lost), l.Message)
	l.content = container.NewCenter(container.NewGridWrap(fyne.NewSize(440, 320), box))
	return l
}

func (l *Login) submit() {
	if l.busy {
		return
	}
	user, pw := l.Username.Text, l.Password.Text
	if user == "" || pw == "" {
		l.Message.SetText("Inserire operatore e password.")
		return
	}
	l.busy = true
	l.Submit.Disable()
	l.Message.SetText("Verifica in corso…")
	go func() {
		s, err := l.app.db.Login(l.app.ctx, user, pw)
		fyne.Do(func() { l.done(s, err) })
	}()
}

func (l *Login) done(s *store.Session, err error) {
	defer func() { l.busy = false }() // last: tests wait for it
	l.Password.SetText("")
	if err == nil {
		l.Message.SetText("")
		l.app.loggedIn(s)
		return
	}
	var tooSoon *store.TooSoonError
	switch {
	case errors.As(err, &tooSoon):
		l.Message.SetText(tooSoon.Error() + ".")
	case errors.Is(err, store.ErrLoginFailed):
		l.Message.SetText(store.ErrLoginFailed.Error() + ".")
	default:
		l.Message.SetText("Accesso non riuscito: " + err.Error())
	}
	l.holdSubmit()
}

// holdSubmit keeps the button disabled while the throttle runs.
func (l *Login) holdSubmit() {
	d := l.app.db.LoginDelay()
	if d <= 0 {
		l.Submit.Enable()
		return
	}
	time.AfterFunc(d, func() { fyne.Do(l.Submit.Enable) })
}

// showRecovery opens the office with the recovery code and sets a new
// password for one operator.
func (l *Login) showRecovery() {
	code := widget.NewEntry()
	code.SetPlaceHolder("XXXXX-XXXXX-…")
	user := widget.NewEntry()
	user.SetText(l.Username.Text)
	pw := widget.NewPasswordEntry()
	pw2 := widget.NewPasswordEntry()
	items := []*widget.FormItem{
		widget.NewFormItem("Codice di recupero", code),
		widget.NewFormItem("Operatore", user),
		widget.NewFormItem("Nuova password", pw),
		widget.NewFormItem("Ripeti la password", pw2),
	}
	dialog.ShowForm("Recupero con il codice di recupero", "Reimposta la password", "Annulla", items, func(ok bool) {
		if !ok {
			return
		}
		if pw.Text != pw2.Text {
			dialog.ShowError(errors.New("le due password non coincidono"), l.app.win)
			return
		}
		l.Message.SetText("Verifica del codice in corso…")
		go func() {
			s, err := l.app.db.Recover(l.app.ctx, code.Text, user.Text, pw.Text)
			fyne.Do(func() {
				if err != nil {
					l.Message.SetText(fmt.Sprintf("Recupero non riuscito: %v.", err))
					return
				}
				l.Message.SetText("")
				l.app.loggedIn(s)
				dialog.ShowInformation("Password reimpostata",
					"La nuova password è attiva. Se il codice di recupero potrebbe essere stato visto da altri, "+
						"generatene uno nuovo da Impostazioni → Codice di recupero.", l.app.win)
			})
		}()
	}, l.app.win)
}
