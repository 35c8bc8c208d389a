// Package ui holds the Fyne screens of Cartella Sociale. Screens arrange
// widgets and call store and export; they hold no business rules and no SQL.
// Each screen is a struct whose widgets are fields, so tests can type into
// them and tap them.
package ui

import (
	"context"
	"errors"
	"io"
	"net/url"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"

	"cartella/store"
	"cartella/store/vault"
)

// Options tune the App; the zero value is what the program uses.
type Options struct {
	// Params of Argon2id for a new office; zero calibrates on this PC.
	Params vault.Params
	// DemoPersons is how many persons the wizard's demo button creates.
	DemoPersons int
	// Now replaces the clock (idle-lock tests).
	Now func() time.Time
	// SaveFile replaces the file-save dialog (tests): it is called with a
	// suggested file name and must write the file with write.
	SaveFile func(name string, write func(io.Writer) error, done func(error))
	// OpenFile replaces the file-open dialog (tests).
	OpenFile func(done func(name string, r io.ReadCloser, err error))
	// OpenURL replaces opening a file with the system viewer (tests).
	OpenURL func(u *url.URL) error
	// SyncInterval is the time between automatic syncs; zero means
	// DefaultSyncInterval, negative no automatic sync (tests).
	SyncInterval time.Duration
	// ChooseFolder replaces the folder dialog (tests).
	ChooseFolder func(done func(path string))
}

// App is the running program: one window whose content changes from
// wizard to login to the main shell.
type App struct {
	fyne fyne.App
	win  fyne.Window
	db   *store.DB
	opt  Options
	ctx  context.Context

	sess  *store.Session
	shell *Shell
	idle  *idleWatch
	bg    background // sync and backups of the session (ui/sync.go)

	// Current screens, for tests.
	Wizard    *Wizard
	Login     *Login
	Lock      *LockScreen
	Joining   *JoinScreen
	Restoring *RestoreScreen
}

// DemoPassword is the password of the demo office created from the wizard.
const DemoPassword = "Prova-Cartella-2026"

// New builds the app around an open database.
func New(a fyne.App, w fyne.Window, db *store.DB, opt Options) *App {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.DemoPersons == 0 {
		opt.DemoPersons = 300
	}
	app := &App{fyne: a, win: w, db: db, opt: opt, ctx: context.Background()}
	app.idle = newIdleWatch(opt.Now, app.lockNow)
	w.SetTitle("Cartella Sociale")
	return app
}

// Start shows the first-run wizard or the login.
func (a *App) Start() {
	if a.db.HasOffice() {
		a.showLogin()
	} else {
		a.showWizard()
	}
}

// Session is the logged-in session, or nil.
func (a *App) Session() *store.Session { return a.sess }

// Shell is the main screen once logged in, or nil.
func (a *App) Shell() *Shell { return a.shell }

// Window is the app's window.
func (a *App) Window() fyne.Window { return a.win }

func (a *App) showWizard() {
	a.Wizard = newWizard(a)
	a.win.SetContent(a.Wizard.content)
}

func (a *App) showLogin() {
	a.Login = newLogin(a)
	a.win.SetContent(a.Login.content)
	a.win.Canvas().Focus(a.Login.Username)
}

// loggedIn opens the main shell for a new session.
func (a *App) loggedIn(s *store.Session) {
	a.sess = s
	a.shell = newShell(a)
	a.win.SetContent(a.shell.content)
	a.startIdle()
	a.startSync()
	if s.Operator().MustChangePassword {
		a.shell.showSettings()
		a.shell.Settings.Tabs.SelectIndex(0)
		dialog.ShowInformation("Cambiare la password",
			"La password attuale è provvisoria: sceglierne una nuova prima di continuare.", a.win)
	}
}

func (a *App) startIdle() {
	if st, err := a.sess.Settings(a.ctx); err == nil {
		a.idle.setLimit(st.IdleLock())
	}
	a.idle.touch()
	a.idle.start()
}

// lockNow forgets the keys and hides everything behind the lock screen;
// the hidden screens stay as they were, so unlocking returns to them.
func (a *App) lockNow() {
	if a.sess == nil || a.sess.Locked() {
		return
	}
	a.sess.Lock()
	a.Lock = newLockScreen(a)
	a.win.SetContent(a.Lock.content)
	a.win.Canvas().Focus(a.Lock.Password)
}

func (a *App) unlocked() {
	a.Lock = nil
	a.win.SetContent(a.shell.content)
	a.shell.refreshAfterUnlock()
	a.idle.touch()
}

// Close stops background work and locks the session (window closing).
func (a *App) Close() {
	a.closeSync()
	a.idle.stop()
	if a.sess != nil {
		a.sess.Lock()
	}
}

// showError shows an error in Italian; errors from store are already
// Italian sentences.
func (a *App) showError(err error) {
	if err == nil {
		return
	}
	if errors.Is(err, store.ErrLocked) {
		a.lockNow()
		return
	}
	dialog.ShowError(err, a.win)
}

// openFile asks for a file to read.
func (a *App) openFile(done func(name string, r io.ReadCloser, err error)) {
	if a.opt.OpenFile != nil {
		a.opt.OpenFile(done)
		return
	}
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil || rc == nil {
			done("", nil, err)
			return
		}
		done(rc.URI().Name(), rc, nil)
	}, a.win)
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

// openURL opens a file with the system's viewer.
func (a *App) openURL(u *url.URL) error {
	if a.opt.OpenURL != nil {
		return a.opt.OpenURL(u)
	}
	return a.fyne.OpenURL(u)
}

// saveFile asks where to save a file and writes it.
func (a *App) saveFile(name string, write func(io.Writer) error, done func(error)) {
	if a.opt.SaveFile != nil {
		a.opt.SaveFile(name, write, done)
		return
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			done(err)
			return
		}
		werr := write(w)
		if cerr := w.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			storage.Delete(w.URI())
		}
		done(werr)
	}, a.win)
	d.SetFileName(name)
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}
