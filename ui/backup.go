package ui

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cartella/store"
)

// BackupView: "Backup ora" to any folder or USB stick, the automatic
// backups of this PC, and "Ripristina" from a backup file after a password
// check and a preview of its date and contents.
type BackupView struct {
	sh      *Shell
	content fyne.CanvasObject

	BackupNow *widget.Button
	Status    *widget.Label
	Kept      *widget.Label
	*RestorePanel
}

// RestorePanel opens a backup file with an operator's password, shows its
// preview and restores it. It serves the backup tab and the first-run
// wizard of a new PC ("Ripristina da un backup").
type RestorePanel struct {
	app     *App
	content fyne.CanvasObject

	ChooseFile  *widget.Button
	FileName    *widget.Label
	Username    *widget.Entry
	Password    *widget.Entry
	Check       *widget.Button
	Preview     *widget.Label
	Restore     *widget.Button
	Cancel      *widget.Button
	RestoreNote *widget.Label

	data    []byte
	preview *store.BackupPreview
	busy    bool
	// before runs just before the database is replaced (stop syncing).
	before func()
	after  func(err error)
}

func newRestorePanel(a *App, user string) *RestorePanel {
	v := &RestorePanel{app: a}
	v.ChooseFile = widget.NewButtonWithIcon("Scegli il file di backup…", theme.FolderOpenIcon(), v.chooseFile)
	v.FileName = widget.NewLabel("")
	v.Username = widget.NewEntry()
	v.Username.SetText(user)
	v.Password = widget.NewPasswordEntry()
	v.Check = widget.NewButtonWithIcon("Verifica il backup", theme.SearchIcon(), v.check)
	v.Preview = widget.NewLabel("")
	v.Preview.Wrapping = fyne.TextWrapWord
	v.Restore = widget.NewButtonWithIcon("Ripristina questo backup", theme.HistoryIcon(), v.restore)
	v.Restore.Importance = widget.DangerImportance
	v.Restore.Hide()
	v.Cancel = widget.NewButtonWithIcon("Annulla", theme.CancelIcon(), v.discard)
	v.Cancel.Hide()
	v.RestoreNote = widget.NewLabel("")
	v.RestoreNote.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(
		widget.NewFormItem("File", container.NewBorder(nil, nil, nil, v.ChooseFile, v.FileName)),
		widget.NewFormItem("Nome utente", v.Username),
		widget.NewFormItem("Password", v.Password),
	)
	v.content = container.NewVBox(form, container.NewHBox(v.Check), v.Preview, container.NewHBox(v.Restore, v.Cancel), v.RestoreNote)
	return v
}

func newBackupView(sh *Shell) *BackupView {
	a := sh.app
	v := &BackupView{sh: sh}
	v.BackupNow = widget.NewButtonWithIcon("Backup ora…", theme.DocumentSaveIcon(), v.backupNow)
	v.BackupNow.Importance = widget.HighImportance
	v.Status = widget.NewLabel("")
	v.Status.Wrapping = fyne.TextWrapWord
	v.Kept = widget.NewLabel("")
	v.Kept.Wrapping = fyne.TextWrapWord
	v.RestorePanel = newRestorePanel(a, a.sess.Operator().Username)
	v.before = a.stopSync
	v.after = func(err error) {
		if err != nil {
			a.startSync()
			return
		}
		a.afterRestore()
	}
	intro := widget.NewLabel(fmt.Sprintf("Il programma fa da solo un backup cifrato del database ogni giorno, prima di ogni "+
		"aggiornamento e prima di ogni ripristino, e conserva gli ultimi %d nella cartella dei dati. Con «Backup ora» "+
		"se ne salva uno dove si vuole, per esempio su una chiavetta da tenere fuori dall'ufficio. Un backup si apre solo "+
		"con la password di un operatore o con il codice di recupero.", store.BackupsKept))
	intro.Wrapping = fyne.TextWrapWord
	restoreHelp := widget.NewLabel("Ripristinare sostituisce i dati di questo computer con quelli del backup. " +
		"Il database attuale viene prima conservato come backup; dopo il ripristino occorre accedere di nuovo. " +
		"Le modifiche fatte dopo il backup e già sincronizzate tornano con la sincronizzazione successiva.")
	restoreHelp.Wrapping = fyne.TextWrapWord
	bold := fyne.TextStyle{Bold: true}
	v.content = container.NewVScroll(container.NewPadded(container.NewVBox(
		widget.NewLabelWithStyle("Backup", fyne.TextAlignLeading, bold), intro,
		container.NewHBox(v.BackupNow), v.Status, v.Kept, widget.NewSeparator(),
		widget.NewLabelWithStyle("Ripristino", fyne.TextAlignLeading, bold), restoreHelp, v.RestorePanel.content)))
	v.showKept()
	return v
}

func (v *BackupView) showKept() {
	bs := v.sh.app.db.Backups()
	if len(bs) == 0 {
		v.Kept.SetText("Nessun backup automatico ancora presente su questo computer.")
		return
	}
	var lines []string
	for i, b := range bs {
		if i == 5 {
			lines = append(lines, fmt.Sprintf("… e altri %d", len(bs)-5))
			break
		}
		lines = append(lines, fmt.Sprintf("• %s (%s, %s)", b.Created.Format("02/01/2006 15:04"), strings.ReplaceAll(b.Reason, "-", " "), sizeText(b.Size)))
	}
	v.Kept.SetText("Backup automatici in " + v.sh.app.db.BackupDir() + ":\n" + strings.Join(lines, "\n"))
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d kB", n>>10)
	}
	return fmt.Sprintf("%d byte", n)
}

func (v *BackupView) backupNow() {
	a := v.sh.app
	a.idle.touch()
	name := "cartella-sociale-backup-" + time.Now().Format("2006-01-02") + store.BackupExt
	v.BackupNow.Disable()
	v.Status.SetText("Backup in corso…")
	a.saveFile(name, func(w io.Writer) error {
		_, err := a.db.WriteBackup(a.ctx, w, store.BackupManual)
		return err
	}, func(err error) {
		v.BackupNow.Enable()
		if err != nil {
			v.Status.SetText("Backup non riuscito: " + err.Error())
			return
		}
		a.sess.RecordExport(a.ctx, "", store.ID{}, "backup cifrato del database")
		v.Status.SetText("Backup salvato (" + name + "). Conservarlo in un luogo sicuro: si apre solo con la password di un operatore.")
	})
}

func (v *RestorePanel) chooseFile() {
	a := v.app
	a.idle.touch()
	a.openFile(func(name string, r io.ReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		defer r.Close()
		b, err := io.ReadAll(r)
		if err != nil {
			v.RestoreNote.SetText("Impossibile leggere il file: " + err.Error())
			return
		}
		v.discard()
		v.data = b
		v.FileName.SetText(name)
	})
}

// check verifies the password and the whole backup and shows its preview.
func (v *RestorePanel) check() {
	a := v.app
	a.idle.touch()
	if v.busy {
		return
	}
	if v.data == nil {
		v.RestoreNote.SetText("Scegliere prima il file di backup.")
		return
	}
	user, pw := strings.TrimSpace(v.Username.Text), v.Password.Text
	v.busy = true
	v.Check.Disable()
	v.RestoreNote.SetText("Verifica della password e del backup in corso…")
	data := v.data
	go func() {
		p, err := a.db.OpenBackup(a.ctx, bytes.NewReader(data), user, pw)
		fyne.Do(func() { v.checked(p, err) })
	}()
}

func (v *RestorePanel) checked(p *store.BackupPreview, err error) {
	defer func() { v.busy = false }() // last: tests wait for it
	v.Check.Enable()
	v.Password.SetText("")
	if err != nil {
		v.RestoreNote.SetText(err.Error())
		return
	}
	v.preview = p
	kinds := make([]string, 0, len(p.Counts))
	for k := range p.Counts {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	var lines []string
	for _, k := range kinds {
		lines = append(lines, fmt.Sprintf("  %s: %d", store.KindLabel(k), p.Counts[k]))
	}
	v.Preview.SetText(fmt.Sprintf("Backup di «%s» del %s\n%s\n  voci del registro accessi: %d",
		p.OfficeLabel, p.Created.Local().Format("02/01/2006 alle 15:04"), strings.Join(lines, "\n"), p.AuditEntries))
	v.RestoreNote.SetText("Il backup è integro. Per sostituire i dati di questo computer con questi: «Ripristina questo backup».")
	v.Restore.Show()
	v.Cancel.Show()
}

func (v *RestorePanel) discard() {
	if v.preview != nil {
		v.preview.Discard()
		v.preview = nil
	}
	v.Preview.SetText("")
	v.Restore.Hide()
	v.Cancel.Hide()
}

// restore replaces the database and goes back to the login.
func (v *RestorePanel) restore() {
	a := v.app
	if v.preview == nil {
		return
	}
	p := v.preview
	v.preview = nil
	if v.before != nil {
		v.before()
	}
	err := a.db.Restore(a.ctx, p)
	if err != nil {
		v.RestoreNote.SetText(err.Error())
	}
	if v.after != nil {
		v.after(err)
	}
}

// afterRestore forgets the session (its data were replaced) and shows
// the login.
func (a *App) afterRestore() {
	a.idle.stop()
	if a.sess != nil {
		a.sess.Lock()
	}
	a.sess, a.shell, a.Restoring = nil, nil, nil
	a.showLogin()
	a.Login.Message.SetText("Ripristino completato: il database precedente è conservato tra i backup. Accedere di nuovo.")
}

// RestoreScreen is the first-run screen of a PC that takes the office
// from a backup (a new PC replacing a lost one).
type RestoreScreen struct {
	*RestorePanel
	Back *widget.Button
}

func (a *App) showRestore() {
	r := &RestoreScreen{RestorePanel: newRestorePanel(a, "")}
	r.after = func(err error) {
		if err == nil {
			a.afterRestore()
		}
	}
	r.Back = widget.NewButtonWithIcon("Indietro", theme.NavigateBackIcon(), func() {
		r.discard()
		a.Restoring = nil
		a.showWizard()
	})
	title := widget.NewLabelWithStyle("Ripristina l'ufficio da un backup", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	help := widget.NewLabel("Per portare su questo computer un ufficio da un backup (per esempio quando il computer di prima " +
		"non funziona più): scegliere il file di backup, indicare il nome utente e la password di un operatore dell'ufficio, " +
		"verificare il backup e ripristinarlo. Se l'ufficio è ancora attivo su un altro computer, meglio «Unisciti a un " +
		"ufficio esistente», che porta anche le modifiche più recenti.")
	help.Wrapping = fyne.TextWrapWord
	a.Restoring = r
	a.win.SetContent(container.NewPadded(container.NewVBox(title, help, r.RestorePanel.content, container.NewHBox(r.Back))))
}
