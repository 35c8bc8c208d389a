package ui

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"cartella/store"
	"cartella/store/demo"
	"cartella/store/vault"
)

func TestMain(m *testing.M) {
	if err := RegisterTranslations(); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

// fakeClock is a settable clock for idle-lock tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type harness struct {
	app   *App
	db    *store.DB
	win   fyne.Window
	clock *fakeClock
	saved map[string][]byte
}

// newHarness opens a fresh data folder and starts the app on it.
func newHarness(t *testing.T) *harness { return startHarness(t, nil) }

// startHarness opens a data folder in t.TempDir(), lets prepare fill it,
// and starts the app with test hooks (cheap Argon2id, fake clock, files
// saved in memory).
func startHarness(t *testing.T, prepare func(db *store.DB)) *harness {
	t.Helper()
	a := test.NewTempApp(t)
	a.Settings().SetTheme(NewTheme())
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1366, 768))
	db, err := store.Open(context.Background(), t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if prepare != nil {
		prepare(db)
	}
	h := &harness{db: db, win: w, clock: &fakeClock{t: time.Now()}, saved: map[string][]byte{}}
	h.app = New(a, w, db, Options{
		Params:      vault.MinParams,
		DemoPersons: 30,
		Now:         h.clock.now,
		SaveFile: func(name string, write func(io.Writer) error, done func(error)) {
			var b bytes.Buffer
			err := write(&b)
			h.saved[name] = b.Bytes()
			done(err)
		},
	})
	t.Cleanup(h.app.Close)
	h.app.Start()
	return h
}

// eventually waits for work done off the UI goroutine.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func formHint(f *widget.Form, label string) string {
	for _, it := range f.Items {
		if it.Text == label {
			return it.HintText
		}
	}
	return ""
}

func TestWizardCreatesOfficeAndRecoverySheet(t *testing.T) {
	h := newHarness(t)
	w := h.app.Wizard
	if w == nil {
		t.Fatal("no wizard on an empty data folder")
	}
	// Wrong input first: messages next to the fields, nothing created.
	test.Type(w.Username, "x")
	test.Type(w.Password, "corta")
	test.Type(w.Password2, "diversa")
	test.Tap(w.Create)
	if h.db.HasOffice() {
		t.Fatal("office created from invalid input")
	}
	for _, label := range []string{"Nome dell'ente", "Comune", "Nome utente", "Password"} {
		if formHint(w.form, label) == "" && formHint(w.opForm, label) == "" {
			t.Errorf("no message next to %q", label)
		}
	}
	if !strings.Contains(w.Status.Text, "non coincidono") {
		t.Errorf("status %q lacks the password mismatch", w.Status.Text)
	}

	// Now right.
	w.Username.SetText("")
	w.Password.SetText("")
	w.Password2.SetText("")
	test.Type(w.Comune, "Borgo San Lor")
	if len(w.Comune.Choices()) == 0 {
		t.Fatal("no comune suggested")
	}
	w.Comune.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if w.Comune.Code() != "B036" {
		t.Fatalf("picked %q (%s), want B036 Borgo San Lorenzo", w.Comune.Code(), w.Comune.Text)
	}
	if !strings.Contains(w.OfficeName.Text, "Borgo San Lorenzo") {
		t.Errorf("office name not proposed: %q", w.OfficeName.Text)
	}
	test.Type(w.GivenName, "Maria")
	test.Type(w.Surname, "Rossi")
	test.Type(w.Username, "mrossi")
	test.Type(w.Password, "Cavallo-Batteria-42")
	test.Type(w.Password2, "Cavallo-Batteria-42")
	if !strings.Contains(w.Strength.Text, "Robustezza") {
		t.Errorf("no strength hint: %q", w.Strength.Text)
	}
	test.Tap(w.Create)
	eventually(t, "recovery code", func() bool { return w.RecoveryCode != nil })
	code := w.RecoveryCode.Text
	if len(code) < 20 {
		t.Fatalf("recovery code %q", code)
	}
	if !w.Continue.Disabled() {
		t.Error("can continue before confirming the code is kept")
	}
	test.Tap(w.SaveSheet)
	sheet := h.saved["foglio-di-recupero.pdf"]
	if !bytes.HasPrefix(sheet, []byte("%PDF")) {
		t.Fatalf("recovery sheet not a PDF (%d bytes)", len(sheet))
	}
	test.Tap(w.Kept)
	test.Tap(w.Continue)
	if h.app.Shell() == nil {
		t.Fatal("no main window after the wizard")
	}
	if got := h.app.Session().Operator().Role; got != store.RoleResponsabile {
		t.Errorf("first operator role %s", got)
	}
	// The recovery code shown really opens the office.
	h.app.Session().Lock()
	if _, err := h.db.Recover(context.Background(), code, "mrossi", "Nuova-Password-2026"); err != nil {
		t.Errorf("recovery code from the wizard does not open: %v", err)
	}
}

// newOfficeHarness starts the app on a demo office, at the login window.
func newOfficeHarness(t *testing.T, persons int) *harness {
	t.Helper()
	return startHarness(t, func(db *store.DB) {
		s, err := demo.CreateOffice(context.Background(), db, demo.Options{Persons: persons, Password: DemoPassword, Params: vault.MinParams, NoIntake: true})
		if err != nil {
			t.Fatal(err)
		}
		s.Lock()
	})
}

func login(t *testing.T, h *harness, user, pw string) {
	t.Helper()
	l := h.app.Login
	l.Username.SetText("")
	l.Password.SetText("")
	test.Type(l.Username, user)
	test.Type(l.Password, pw)
	test.Tap(l.Submit)
	eventually(t, "login answer", func() bool { return !l.busy })
}

func TestLoginWrongThenRight(t *testing.T) {
	h := newOfficeHarness(t, 5)
	l := h.app.Login
	if l == nil {
		t.Fatal("no login window")
	}
	login(t, h, "demo", "sbagliata-sbagliata")
	if h.app.Shell() != nil {
		t.Fatal("logged in with a wrong password")
	}
	if l.Message.Text != "Operatore o password non corretti." {
		t.Errorf("message %q", l.Message.Text)
	}
	login(t, h, "nessuno", DemoPassword)
	if l.Message.Text != "Operatore o password non corretti." {
		t.Errorf("unknown operator gives a different message: %q", l.Message.Text)
	}
	login(t, h, "demo", DemoPassword)
	if h.app.Shell() == nil {
		t.Fatalf("not logged in: %q", l.Message.Text)
	}
	if h.app.Shell().Persons.List.Length() != 5 {
		t.Errorf("person list shows %d", h.app.Shell().Persons.List.Length())
	}
}

func TestPersonWrongCFThenRightFoundBySearch(t *testing.T) {
	h := newOfficeHarness(t, 20)
	login(t, h, "demo", DemoPassword)
	sh := h.app.Shell()
	before := h.app.Session().PersonCount()
	test.Tap(sh.Persons.New)
	f := sh.Form
	if f == nil {
		t.Fatal("no person form")
	}
	test.Type(f.Surname, "Caccamo")
	test.Type(f.GivenName, "Fabio")
	f.Sex.SetSelected("Maschio")
	test.Type(f.BirthDate, "03/04/1985")
	test.Type(f.BirthPlace, "Torino")
	f.BirthPlace.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if f.BirthPlace.Code() != "L219" {
		t.Fatalf("birthplace %q", f.BirthPlace.Code())
	}
	test.Type(f.CodiceFiscale, "CCCFBA85D03L219Q") // wrong check character
	if err := f.CodiceFiscale.Validate(); err == nil || !strings.Contains(err.Error(), "controllo") {
		t.Errorf("live validation: %v", err)
	}
	test.Tap(f.Save)
	if msg := formHint(f.Form, "Codice fiscale"); !strings.Contains(msg, "carattere di controllo") {
		t.Fatalf("no Italian message next to the codice fiscale: %q", msg)
	}
	if h.app.Session().PersonCount() != before {
		t.Fatal("person with a wrong codice fiscale was saved")
	}
	if !f.Dirty() {
		t.Error("typed data not marked unsaved")
	}

	// Calcola fills the right code.
	test.Tap(f.Compute)
	if f.CodiceFiscale.Text != "CCCFBA85D03L219P" {
		t.Fatalf("computed %q", f.CodiceFiscale.Text)
	}
	test.Tap(f.Save)
	if !strings.HasPrefix(f.Status.Text, "Salvato") {
		t.Fatalf("status %q", f.Status.Text)
	}
	if h.app.Session().PersonCount() != before+1 {
		t.Fatal("not saved")
	}
	test.Type(sh.Search, "cacc")
	found := false
	for _, r := range sh.results {
		if r.CodiceFiscale == "CCCFBA85D03L219P" {
			found = true
		}
	}
	if !found {
		t.Fatalf("search box does not find the new person: %+v", sh.results)
	}
	sh.Search.SetText("")
	test.Type(sh.Search, "CCCFBA85")
	if len(sh.results) != 1 {
		t.Errorf("search by codice fiscale: %d results", len(sh.results))
	}
}

func TestImpossibleDateNothingSaved(t *testing.T) {
	h := newOfficeHarness(t, 3)
	login(t, h, "demo", DemoPassword)
	sh := h.app.Shell()
	test.Tap(sh.Persons.New)
	f := sh.Form
	test.Type(f.Surname, "Bianchi")
	test.Type(f.GivenName, "Anna")
	test.Type(f.BirthDate, "30/02/1980")
	test.Tap(f.Save)
	if msg := formHint(f.Form, "Data di nascita"); !strings.Contains(msg, "non esiste") {
		t.Errorf("date message %q", msg)
	}
	if msg := formHint(f.Form, "Sesso"); msg == "" {
		t.Error("no message for the missing sex")
	}
	if h.app.Session().PersonCount() != 3 {
		t.Error("saved with an impossible date")
	}
}

func TestUnsavedChangesConfirmedOnLeave(t *testing.T) {
	h := newOfficeHarness(t, 3)
	login(t, h, "demo", DemoPassword)
	sh := h.app.Shell()
	test.Tap(sh.Persons.New)
	f := sh.Form
	test.Type(f.Surname, "Verdi")
	sh.goArea(len(areas) - 1) // Impostazioni
	// A confirmation dialog is up and the form is still shown.
	if sh.Body.Objects[0] != sh.Person.content {
		t.Fatal("left the form without asking")
	}
	overlay := h.win.Canvas().Overlays().Top()
	if overlay == nil {
		t.Fatal("no confirmation dialog")
	}
	// Cancel: the typed data stays.
	cancel := findButton(overlay, "No")
	if cancel == nil {
		t.Fatal("no No button in the dialog")
	}
	test.Tap(cancel)
	if f.Surname.Text != "Verdi" || sh.Body.Objects[0] != sh.Person.content {
		t.Error("cancelling lost the typed data")
	}
}

func findButton(o fyne.CanvasObject, text string) *widget.Button {
	if b, ok := o.(*widget.Button); ok && b.Text == text {
		return b
	}
	var children []fyne.CanvasObject
	switch c := o.(type) {
	case *fyne.Container:
		children = c.Objects
	case fyne.Widget:
		children = test.WidgetRenderer(c).Objects()
	}
	for _, ch := range children {
		if b := findButton(ch, text); b != nil {
			return b
		}
	}
	return nil
}

func TestIdleLockAndUnlockReturnsToSamePlace(t *testing.T) {
	h := newOfficeHarness(t, 3)
	login(t, h, "demo", DemoPassword)
	sh := h.app.Shell()
	test.Tap(sh.Persons.New)
	f := sh.Form
	test.Type(f.Surname, "Neri")
	h.clock.add(9 * time.Minute)
	h.app.idle.check()
	if h.app.Session().Locked() {
		t.Fatal("locked before the idle time")
	}
	h.clock.add(2 * time.Minute)
	h.app.idle.check()
	if !h.app.Session().Locked() {
		t.Fatal("not locked after the idle time")
	}
	if h.app.Lock == nil || h.win.Content() != h.app.Lock.content {
		t.Fatal("lock screen not shown")
	}
	if got := h.app.Session().Search("a", 5); len(got) != 0 {
		t.Error("data readable while locked")
	}
	test.Type(h.app.Lock.Password, "sbagliata-sbagliata")
	test.Tap(h.app.Lock.Unlock)
	eventually(t, "unlock answer", func() bool { return !h.app.Lock.Unlock.Disabled() })
	if !h.app.Session().Locked() {
		t.Fatal("unlocked with a wrong password")
	}
	test.Type(h.app.Lock.Password, DemoPassword)
	test.Tap(h.app.Lock.Unlock)
	eventually(t, "unlock", func() bool { return !h.app.Session().Locked() })
	eventually(t, "shell shown", func() bool { return h.win.Content() == sh.content })
	if sh.Form != f || f.Surname.Text != "Neri" {
		t.Error("did not return to the same place with the typed data")
	}
}

func TestNotYetAvailableAreas(t *testing.T) {
	h := newOfficeHarness(t, 1)
	login(t, h, "demo", DemoPassword)
	sh := h.app.Shell()
	for i, a := range areas {
		if a.ready {
			continue
		}
		sh.goArea(i)
		texts := strings.Join(labelsIn(sh.Body), " ")
		if !strings.Contains(texts, "non è ancora disponibile") {
			t.Errorf("area %s: %q", a.title, texts)
		}
	}
}

func labelsIn(o fyne.CanvasObject) []string {
	var out []string
	switch c := o.(type) {
	case *widget.Label:
		return []string{c.Text}
	case *fyne.Container:
		for _, ch := range c.Objects {
			out = append(out, labelsIn(ch)...)
		}
	case fyne.Widget:
		for _, ch := range test.WidgetRenderer(c).Objects() {
			out = append(out, labelsIn(ch)...)
		}
	}
	return out
}

func TestSettingsOperatorsAndAudit(t *testing.T) {
	h := newOfficeHarness(t, 2)
	login(t, h, "demo", DemoPassword)
	sh := h.app.Shell()
	sh.goArea(len(areas) - 1)
	st := sh.Settings
	if st == nil || len(st.Tabs.Items) != 6 {
		t.Fatalf("settings tabs for a responsabile: %d", len(st.Tabs.Items))
	}
	if st.Operators.Length() != 1 {
		t.Errorf("operators listed: %d", st.Operators.Length())
	}
	// Idle time: bad then good.
	st.IdleMinutes.SetText("0")
	test.Tap(st.SaveIdle)
	if !strings.Contains(st.IdleStatus.Text, "tra 1 e 120") {
		t.Errorf("idle status %q", st.IdleStatus.Text)
	}
	st.IdleMinutes.SetText("3")
	test.Tap(st.SaveIdle)
	if s, _ := h.app.Session().Settings(context.Background()); s.IdleLockMinutes != 3 {
		t.Errorf("idle minutes saved %d", s.IdleLockMinutes)
	}
	// Audit log shows the login and the settings change; filter by action.
	st.loadAudit()
	if len(st.audit) < 2 {
		t.Fatalf("audit entries %d", len(st.audit))
	}
	st.AuditAction.SetSelected(store.ActionSettings.Label())
	test.Tap(st.AuditApply)
	if len(st.audit) != 1 || st.audit[0].Action != store.ActionSettings {
		t.Errorf("filtered audit: %+v", st.audit)
	}
	st.AuditFrom.SetText("31/02/2026")
	test.Tap(st.AuditApply)
	if !strings.Contains(st.AuditCount.Text, "non esiste") {
		t.Errorf("bad date in filter: %q", st.AuditCount.Text)
	}
	// Change own password: wrong old one refused.
	test.Type(st.OldPassword, "non-questa-password")
	test.Type(st.NewPassword, "Nuova-Password-Lunga-1")
	test.Type(st.NewPassword2, "Nuova-Password-Lunga-1")
	test.Tap(st.ChangePassword)
	eventually(t, "password answer", func() bool { return !st.ChangePassword.Disabled() })
	if !strings.Contains(st.PasswordStatus.Text, "non è corretta") {
		t.Errorf("password status %q", st.PasswordStatus.Text)
	}
}

func TestDemoButtonInWizard(t *testing.T) {
	h := newHarness(t)
	test.Tap(h.app.Wizard.Demo)
	eventually(t, "demo office", func() bool { return h.app.Shell() != nil })
	if n := h.app.Session().PersonCount(); n != 30 {
		t.Errorf("demo persons %d", n)
	}
}

func TestDataDirUntouchedByTempFiles(t *testing.T) {
	h := newOfficeHarness(t, 2)
	login(t, h, "demo", DemoPassword)
	entries, err := os.ReadDir(h.db.Dir())
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		switch name := e.Name(); {
		case name == store.DBFileName, name == store.DBFileName+"-wal", name == store.DBFileName+"-shm", name == "cartella.lock",
			name == store.BackupDirName: // the automatic backups (DESIGN.md §2)
		default:
			t.Errorf("unexpected file in the data folder: %s", filepath.Join(h.db.Dir(), name))
		}
	}
}

func TestListsEditor(t *testing.T) {
	h := newOfficeHarness(t, 1)
	login(t, h, "demo", DemoPassword)
	sh := h.app.Shell()
	sh.goArea(len(areas) - 1)
	le := sh.Settings.Lists
	if le == nil {
		t.Fatal("no lists editor for a responsabile")
	}
	le.Which.SetSelected("Modalità di accesso")
	n := len(le.rows)
	test.Type(le.NewCode, "WHATSAPP")
	test.Type(le.NewLabel, "Messaggio WhatsApp")
	test.Tap(le.Add)
	if len(le.rows) != n+1 || le.Status.Text != "Elenco aggiornato." {
		t.Fatalf("rows %d status %q", len(le.rows), le.Status.Text)
	}
	le.set(le.rows[0].code, le.rows[0].label, "", true)
	if !le.rows[0].retired {
		t.Error("value not retired")
	}
	test.Tap(le.Add) // empty: refused with a message
	if !strings.Contains(le.Status.Text, "Non salvato") {
		t.Errorf("empty value: %q", le.Status.Text)
	}
}
