package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	gosync "sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cartella/store"
)

// DefaultSyncInterval is how often the program syncs by itself while the
// shared folder is reachable.
const DefaultSyncInterval = 5 * time.Minute

// syncer runs syncs off the UI goroutine — automatic every few minutes
// and "Sincronizza ora" — one at a time, and reports through fyne.Do: the
// window never waits for the shared folder.
type syncer struct {
	app    *App
	sess   *store.Session
	cancel context.CancelFunc
	ctx    context.Context
	wg     gosync.WaitGroup

	mu     gosync.Mutex
	busy   bool
	screen *SyncScreen // shown, to refresh
}

func (a *App) syncInterval() time.Duration {
	if a.opt.SyncInterval != 0 {
		return a.opt.SyncInterval
	}
	return DefaultSyncInterval
}

// background is the App's handle on its syncer. Close may run on another
// goroutine than the UI's (tests): the mutex makes sure no syncer starts
// after Close and that Close waits for a running one.
type background struct {
	mu     gosync.Mutex
	closed bool
	cur    *syncer
}

func (a *App) syncer() *syncer {
	a.bg.mu.Lock()
	defer a.bg.mu.Unlock()
	return a.bg.cur
}

// startSync starts the background work of a session: backup key, daily
// backup, automatic sync.
func (a *App) startSync() {
	a.stopSync()
	a.bg.mu.Lock()
	defer a.bg.mu.Unlock()
	if a.bg.closed || a.sess == nil {
		return
	}
	ctx, cancel := context.WithCancel(a.ctx)
	sy := &syncer{app: a, sess: a.sess, ctx: ctx, cancel: cancel}
	a.bg.cur = sy
	sy.wg.Add(1)
	go func() {
		defer sy.wg.Done()
		sy.sess.PrepareBackups(ctx)
		if _, err := a.db.AutoBackup(ctx); err != nil && ctx.Err() == nil {
			fyne.Do(func() { sy.backupProblem(err) })
		}
		if a.syncInterval() < 0 {
			return // automatic sync off (tests)
		}
		first := time.NewTimer(min(a.syncInterval(), 3*time.Second))
		defer first.Stop()
		tick := time.NewTicker(a.syncInterval())
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-first.C:
			case <-tick.C:
				a.db.AutoBackup(ctx)
			}
			sy.auto()
		}
	}()
}

// stopSync stops the background work and waits for a sync under way.
func (a *App) stopSync() {
	a.bg.mu.Lock()
	sy := a.bg.cur
	a.bg.cur = nil
	a.bg.mu.Unlock()
	if sy != nil {
		sy.cancel()
		sy.wg.Wait()
	}
}

// closeSync stops the background work for good (window closing).
func (a *App) closeSync() {
	a.bg.mu.Lock()
	a.bg.closed = true
	a.bg.mu.Unlock()
	a.stopSync()
}

// auto syncs if a folder is chosen, the session is open and the folder is
// there; an unreachable folder is simply tried again next time.
func (sy *syncer) auto() {
	folder := sy.app.db.SyncFolder(sy.ctx)
	if folder == "" || sy.sess.Locked() {
		return
	}
	if _, err := os.Stat(folder); err != nil {
		return
	}
	sy.run(folder, nil)
}

// run syncs now unless a sync is already running (then false).
func (sy *syncer) run(folder string, done func(store.SyncReport, error)) bool {
	sy.mu.Lock()
	if sy.busy {
		sy.mu.Unlock()
		return false
	}
	sy.busy = true
	sy.mu.Unlock()
	rep, err := sy.sess.Sync(sy.ctx, folder)
	sy.mu.Lock()
	sy.busy = false
	sc := sy.screen
	sy.mu.Unlock()
	if errors.Is(err, store.ErrLocked) || sy.ctx.Err() != nil {
		return true
	}
	fyne.Do(func() {
		if sc != nil {
			sc.showReport(rep, err)
		}
		if done != nil {
			done(rep, err)
		}
	})
	return true
}

func (sy *syncer) backupProblem(err error) {
	sy.mu.Lock()
	sc := sy.screen
	sy.mu.Unlock()
	if sc != nil && sc.Backup != nil {
		sc.Backup.Status.SetText("Backup automatico non riuscito: " + err.Error())
	}
}

// SyncScreen is the "Sincronizzazione" area: the shared folder, "Sincronizza
// ora", the status of the last sync, the conflicts to review and backups.
type SyncScreen struct {
	sh      *Shell
	content fyne.CanvasObject
	Tabs    *container.AppTabs

	Folder     *widget.Entry
	Choose     *widget.Button
	UseFolder  *widget.Button
	SyncNow    *widget.Button
	Running    *widget.ProgressBarInfinite
	LastSync   *widget.Label
	Summary    *widget.Label
	Problems   *widget.Label
	Conflicts  *ConflictsView
	Backup     *BackupView
	folderNote *widget.Label
	reports    atomic.Int32 // reports shown; incremented last (tests wait for it)
}

// Dirty: nothing typed here is lost by leaving (the folder is saved by its button).
func (s *SyncScreen) Dirty() bool { return false }

func (sh *Shell) showSync() {
	s := newSyncScreen(sh)
	sh.Sync = s
	sh.Form, sh.Person = nil, nil
	sh.show(s.content, s)
}

func newSyncScreen(sh *Shell) *SyncScreen {
	a := sh.app
	s := &SyncScreen{sh: sh}
	s.Folder = widget.NewEntry()
	s.Folder.SetPlaceHolder(`es. \\server\servizi-sociali oppure E:\ (chiavetta USB)`)
	s.Folder.SetText(a.db.SyncFolder(a.ctx))
	s.Folder.OnSubmitted = func(string) { s.useFolder() }
	s.Choose = widget.NewButtonWithIcon("Scegli…", theme.FolderOpenIcon(), func() {
		a.chooseFolder(func(path string) {
			if path != "" {
				s.Folder.SetText(path)
				s.useFolder()
			}
		})
	})
	s.UseFolder = widget.NewButtonWithIcon("Usa questa cartella", theme.ConfirmIcon(), s.useFolder)
	s.folderNote = widget.NewLabel("")
	s.folderNote.Wrapping = fyne.TextWrapWord
	s.SyncNow = widget.NewButtonWithIcon("Sincronizza ora", theme.ViewRefreshIcon(), s.syncNow)
	s.SyncNow.Importance = widget.HighImportance
	s.Running = widget.NewProgressBarInfinite()
	s.Running.Stop()
	s.Running.Hide()
	s.LastSync = widget.NewLabel("")
	s.Summary = widget.NewLabel("")
	s.Summary.Wrapping = fyne.TextWrapWord
	s.Problems = widget.NewLabel("")
	s.Problems.Wrapping = fyne.TextWrapWord
	help := widget.NewLabel(fmt.Sprintf("I computer dell'ufficio si scambiano le modifiche attraverso una cartella condivisa "+
		"(una cartella di rete o una chiavetta USB). Il database resta su ciascun computer; nella cartella ci sono solo file cifrati. "+
		"La sincronizzazione avviene da sola ogni %d minuti quando la cartella è raggiungibile, oppure con «Sincronizza ora».",
		max(1, int(a.syncInterval().Minutes()+0.5))))
	help.Wrapping = fyne.TextWrapWord
	folderRow := container.NewBorder(nil, nil, widget.NewLabel("Cartella condivisa"), container.NewHBox(s.Choose, s.UseFolder), s.Folder)
	status := container.NewVBox(
		container.NewHBox(s.SyncNow),
		s.Running,
		widget.NewLabelWithStyle("Ultima sincronizzazione", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		s.LastSync, s.Summary, s.Problems)
	syncTab := container.NewVScroll(container.NewPadded(container.NewVBox(help, folderRow, s.folderNote, widget.NewSeparator(), status)))
	s.Conflicts = newConflictsView(sh)
	s.Backup = newBackupView(sh)
	conflictsTab := container.NewTabItemWithIcon("Conflitti da rivedere", theme.WarningIcon(), s.Conflicts.content)
	s.Tabs = container.NewAppTabs(
		container.NewTabItemWithIcon("Sincronizzazione", theme.ViewRefreshIcon(), syncTab),
		conflictsTab,
		container.NewTabItemWithIcon("Backup e ripristino", theme.StorageIcon(), s.Backup.content),
	)
	s.Conflicts.onCount = func(n int) {
		text := "Conflitti da rivedere"
		if n > 0 {
			text = fmt.Sprintf("Conflitti da rivedere (%d)", n)
		}
		if conflictsTab.Text != text {
			conflictsTab.Text = text
			s.Tabs.Refresh()
		}
	}
	s.Tabs.OnSelected = func(t *container.TabItem) {
		a.idle.touch()
		if t == conflictsTab {
			s.Conflicts.refresh()
		}
	}
	s.content = s.Tabs
	if rep, ok := a.db.LastSync(a.ctx); ok {
		s.showReport(rep, nil)
	} else {
		s.LastSync.SetText("Mai eseguita su questo computer.")
	}
	s.Conflicts.refresh()
	if sy := a.syncer(); sy != nil {
		sy.mu.Lock()
		sy.screen = s
		busy := sy.busy
		sy.mu.Unlock()
		if busy {
			s.running(true)
		}
	}
	return s
}

// useFolder checks and remembers the shared folder of this PC.
func (s *SyncScreen) useFolder() {
	a := s.sh.app
	a.idle.touch()
	path := strings.TrimSpace(s.Folder.Text)
	if path == "" {
		s.folderNote.SetText("Indicare la cartella condivisa.")
		return
	}
	info, err := os.Stat(path)
	if err != nil || !info.IsDir() {
		s.folderNote.SetText("La cartella indicata non esiste o non è raggiungibile da questo computer: controllare il percorso " +
			"(per le cartelle di rete è meglio il percorso completo \\\\server\\cartella invece della lettera dell'unità).")
		return
	}
	if err := a.db.SetSyncFolder(a.ctx, path); err != nil {
		a.showError(err)
		return
	}
	s.folderNote.SetText("Cartella salvata. La prima sincronizzazione parte con «Sincronizza ora».")
}

func (s *SyncScreen) running(on bool) {
	if on {
		s.SyncNow.Disable()
		s.Running.Show()
		s.Running.Start()
		s.Summary.SetText("Sincronizzazione in corso…")
		return
	}
	s.Running.Stop()
	s.Running.Hide()
	s.SyncNow.Enable()
}

func (s *SyncScreen) syncNow() {
	a := s.sh.app
	a.idle.touch()
	folder := a.db.SyncFolder(a.ctx)
	if strings.TrimSpace(s.Folder.Text) != folder {
		s.useFolder()
		folder = a.db.SyncFolder(a.ctx)
	}
	if folder == "" {
		s.Summary.SetText("Scegliere prima la cartella condivisa.")
		return
	}
	a.bg.mu.Lock()
	sy := a.bg.cur
	if sy != nil {
		sy.wg.Add(1) // under the lock: stopSync cannot be waiting yet
	}
	a.bg.mu.Unlock()
	if sy == nil {
		return
	}
	s.running(true)
	go func() {
		defer sy.wg.Done()
		if !sy.run(folder, nil) {
			fyne.Do(func() {
				s.Summary.SetText("Una sincronizzazione è già in corso: il risultato comparirà qui.")
			})
		}
	}()
}

// showReport shows the outcome of a sync.
func (s *SyncScreen) showReport(rep store.SyncReport, err error) {
	s.running(false)
	when := rep.End
	if when.IsZero() {
		when = time.Now()
	}
	s.LastSync.SetText(when.Local().Format("02/01/2006 alle 15:04"))
	if err != nil {
		s.Summary.SetText("Sincronizzazione non riuscita: " + err.Error())
	} else {
		s.Summary.SetText(rep.Summary())
	}
	var probs []string
	for _, p := range rep.Problems {
		if err == nil || p != err.Error() {
			probs = append(probs, "• "+p)
		}
	}
	if len(probs) > 0 {
		s.Problems.SetText("Problemi:\n" + strings.Join(probs, "\n"))
	} else {
		s.Problems.SetText("")
	}
	s.Conflicts.refresh()
	if rep.Received > 0 && s.sh.Persons != nil {
		s.sh.Persons.refresh()
	}
	s.reports.Add(1)
}

// chooseFolder asks for a folder (tests replace the dialog).
func (a *App) chooseFolder(done func(path string)) {
	if a.opt.ChooseFolder != nil {
		a.opt.ChooseFolder(done)
		return
	}
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil || u == nil {
			done("")
			return
		}
		done(u.Path())
	}, a.win)
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

// JoinScreen makes this PC a new PC of an office that already exists on
// another one ("Unisciti a un ufficio esistente").
type JoinScreen struct {
	app     *App
	content fyne.CanvasObject

	Folder   *widget.Entry
	Choose   *widget.Button
	Username *widget.Entry
	Password *widget.Entry
	Join     *widget.Button
	Back     *widget.Button
	Progress *widget.ProgressBar
	Step     *widget.Label
	Status   *widget.Label
	busy     bool
}

func (a *App) showJoin() {
	j := &JoinScreen{app: a}
	j.Folder = widget.NewEntry()
	j.Folder.SetPlaceHolder(`es. \\server\servizi-sociali oppure E:\`)
	j.Choose = widget.NewButtonWithIcon("Scegli…", theme.FolderOpenIcon(), func() {
		a.chooseFolder(func(p string) {
			if p != "" {
				j.Folder.SetText(p)
			}
		})
	})
	j.Username = widget.NewEntry()
	j.Username.SetPlaceHolder("nome utente di un operatore dell'ufficio")
	j.Password = widget.NewPasswordEntry()
	j.Password.OnSubmitted = func(string) { j.join() }
	j.Join = widget.NewButtonWithIcon("Unisciti all'ufficio", theme.LoginIcon(), j.join)
	j.Join.Importance = widget.HighImportance
	j.Back = widget.NewButtonWithIcon("Indietro", theme.NavigateBackIcon(), func() { a.showWizard() })
	j.Progress = widget.NewProgressBar()
	j.Progress.Hide()
	j.Step = widget.NewLabel("")
	j.Status = widget.NewLabel("")
	j.Status.Wrapping = fyne.TextWrapWord
	title := widget.NewLabelWithStyle("Unisciti a un ufficio esistente", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	help := widget.NewLabel("Per usare questo computer insieme a quello dove l'ufficio è già attivo: sull'altro computer scegliere " +
		"una cartella condivisa in «Sincronizzazione» e sincronizzare; poi qui indicare la stessa cartella e il nome e la password " +
		"di un operatore dell'ufficio. Tutti i dati arrivano da quella cartella; da quel momento i due computer lavorano alla pari.")
	help.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(
		widget.NewFormItem("Cartella condivisa", container.NewBorder(nil, nil, nil, j.Choose, j.Folder)),
		widget.NewFormItem("Nome utente", j.Username),
		widget.NewFormItem("Password", j.Password),
	)
	j.content = container.NewPadded(container.NewVBox(title, help, form,
		container.NewHBox(j.Back, j.Join), j.Step, j.Progress, j.Status))
	a.Joining = j
	a.win.SetContent(j.content)
	a.win.Canvas().Focus(j.Folder)
}

func (j *JoinScreen) join() {
	if j.busy {
		return
	}
	a := j.app
	folder, user, pw := strings.TrimSpace(j.Folder.Text), strings.TrimSpace(j.Username.Text), j.Password.Text
	if folder == "" || user == "" || pw == "" {
		j.Status.SetText("Indicare la cartella condivisa, il nome utente e la password.")
		return
	}
	j.busy = true
	j.Join.Disable()
	j.Back.Disable()
	j.Status.SetText("")
	j.Step.SetText("Verifica della password…")
	j.Progress.SetValue(0)
	j.Progress.Show()
	go func() {
		s, rep, err := a.db.Join(a.ctx, folder, user, pw, func(what string, done, total int64) {
			fyne.Do(func() {
				j.Step.SetText(what + "…")
				if total > 0 {
					j.Progress.SetValue(float64(done) / float64(total))
				}
			})
		})
		fyne.Do(func() { j.done(s, rep, err) })
	}()
}

func (j *JoinScreen) done(s *store.Session, rep store.SyncReport, err error) {
	defer func() { j.busy = false }() // last: tests wait for it
	j.Password.SetText("")
	j.Progress.Hide()
	j.Step.SetText("")
	j.Join.Enable()
	j.Back.Enable()
	if err != nil {
		var tooSoon *store.TooSoonError
		switch {
		case errors.As(err, &tooSoon):
			j.Status.SetText(tooSoon.Error() + ".")
		case errors.Is(err, store.ErrLoginFailed):
			j.Status.SetText(store.ErrLoginFailed.Error() + ". Nessun dato è stato copiato su questo computer.")
		default:
			j.Status.SetText("Non è stato possibile unirsi all'ufficio: " + err.Error())
		}
		return
	}
	a := j.app
	a.Joining = nil
	a.loggedIn(s)
	msg := fmt.Sprintf("Questo computer fa ora parte dell'ufficio: %d persone ricevute. La sincronizzazione continuerà da sola.", s.PersonCount())
	if len(rep.Problems) > 0 {
		msg += "\n\nDa controllare:\n• " + strings.Join(rep.Problems, "\n• ")
	}
	dialog.ShowInformation("Ufficio collegato", msg, a.win)
}
