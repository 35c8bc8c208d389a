package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cartella/store"
)

// LockScreen hides the program after the idle time; the same operator's
// password reopens it where it was.
type LockScreen struct {
	app      *App
	content  fyne.CanvasObject
	Password *widget.Entry
	Unlock   *widget.Button
	Message  *widget.Label
}

func newLockScreen(a *App) *LockScreen {
	l := &LockScreen{app: a}
	op := a.sess.Operator()
	l.Password = widget.NewPasswordEntry()
	l.Password.OnSubmitted = func(string) { l.unlock() }
	l.Unlock = widget.NewButtonWithIcon("Sblocca", theme.LoginIcon(), l.unlock)
	l.Unlock.Importance = widget.HighImportance
	l.Message = widget.NewLabel("")
	l.Message.Importance = widget.DangerImportance
	l.Message.Wrapping = fyne.TextWrapWord
	title := widget.NewLabelWithStyle("Cartella Sociale è bloccata", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	info := widget.NewLabelWithStyle("Operatore: "+op.FullName()+" ("+op.Username+")", fyne.TextAlignCenter, fyne.TextStyle{})
	box := container.NewVBox(title, info, widget.NewForm(widget.NewFormItem("Password", l.Password)),
		container.NewHBox(l.Unlock), l.Message)
	l.content = container.NewCenter(container.NewGridWrap(fyne.NewSize(420, 240), box))
	return l
}

func (l *LockScreen) unlock() {
	pw := l.Password.Text
	l.Unlock.Disable()
	l.Message.SetText("Verifica in corso…")
	go func() {
		err := l.app.sess.Unlock(l.app.ctx, pw)
		fyne.Do(func() {
			l.Password.SetText("")
			l.Unlock.Enable()
			var tooSoon *store.TooSoonError
			switch {
			case err == nil:
				l.app.unlocked()
			case errors.As(err, &tooSoon):
				l.Message.SetText(tooSoon.Error() + ".")
			default:
				l.Message.SetText("Password non corretta.")
			}
		})
	}()
}
