package ui

import (
	"bytes"
	"context"
	"io"
	"net/url"
	"os"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"cartella/store"
	"cartella/ui/widgets"
)

// openFirstPerson logs in and opens the first person of the demo office.
func openFirstPerson(t *testing.T, h *harness) *PersonView {
	t.Helper()
	login(t, h, "demo", DemoPassword)
	sh := h.app.Shell()
	p, _ := h.app.Session().PersonAt(0)
	sh.openPerson(p.ID)
	if sh.Person == nil || len(sh.Person.Tabs.Items) < 6 {
		t.Fatal("person view without its tabs")
	}
	return sh.Person
}

// keyboardFill walks the Tab order of the visible tab, typing into every
// entry and choosing a value in every select with the keyboard only. It
// returns the widgets it reached.
func keyboardFill(t *testing.T, c fyne.Canvas, first fyne.Focusable, texts map[fyne.Focusable]string) map[fyne.Focusable]bool {
	t.Helper()
	seen := map[fyne.Focusable]bool{}
	c.Focus(first)
	for range 400 {
		f := c.Focused()
		if f == nil || seen[f] {
			break
		}
		seen[f] = true
		if txt, ok := texts[f]; ok && txt != "" {
			test.Type(f.(fyne.Focusable), txt)
			if ce, ok := f.(interface{ Choices() []widgets.Choice }); ok && len(ce.Choices()) > 0 {
				f.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
			}
		} else if s, ok := f.(interface{ SelectedIndex() int }); ok && s.SelectedIndex() < 0 {
			f.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
		}
		test.FocusNext(c)
	}
	return seen
}

func TestIntakeByKeyboardSavedAndReopened(t *testing.T) {
	h := newOfficeHarness(t, 3)
	pv := openFirstPerson(t, h)
	pv.Tabs.SelectIndex(1)
	test.Tap(pv.NewAccess)
	f := pv.Access
	if f == nil {
		t.Fatal("no access form")
	}
	c := h.win.Canvas()
	texts := map[fyne.Focusable]string{
		f.ReasonNotes: "affitto arretrato", f.ReferredBy: "medico di base",
		f.SecondCitizenship: "Romania", f.Origin: "Romania", f.PermitNumber: "AB12345", f.PermitExpires: "10/12/2026",
		f.MigrationHistory: "arrivata nel 2015", f.DomicileComune: "Fiesole", f.DomicileStreet: "Via Verdi 2", f.DomicileCAP: "50014",
		f.Rooms: "3", f.Phone: "055 123456", f.Mobile: "333 1234567", f.Email: "anna@example.org", f.GP: "dott. Bianchi",
		f.HealthCard: "80380000000000000001", f.Disability: "46", f.Profession: "commessa", f.NeedsNotes: "sfratto annunciato",
		f.ServiceNotes: "", f.Office: "Ufficio povertà", f.OutcomeNotes: "da rivedere", f.SignalledOn: "21/11/2026",
	}
	firsts := []fyne.Focusable{f.Date, f.SecondCitizenship, f.MaritalStatus, f.Phone, f.Education, f.NeedsNotes, f.TakeCharge}
	want := [][]fyne.Focusable{
		{f.Date, f.Mode, f.Reason, f.ReasonNotes, f.ReferredBy},
		{f.SecondCitizenship, f.Origin, f.ItalianLevel, f.PermitType, f.PermitReason, f.PermitNumber, f.PermitExpires, f.MigrationHistory},
		{f.MaritalStatus, f.FamilyType, f.DomicileComune, f.DomicileStreet, f.DomicileCAP, f.HousingType, f.Rooms, f.Tenure, f.Owner},
		{f.Phone, f.Mobile, f.Email, f.GP, f.HealthCard, f.Disability},
		{f.Education, f.Employment, f.Profession, f.Sector},
		{f.NeedsNotes, f.ServiceArea, f.Service, f.ServiceNotes},
		{f.TakeCharge, f.UserArea, f.Signalled, f.SignalledOn, f.Office, f.OutcomeNotes},
	}
	for i := range f.Tabs.Items {
		f.Tabs.SelectIndex(i)
		if i == 6 {
			f.Signalled.SetChecked(true)
		}
		seen := keyboardFill(t, c, firsts[i], texts)
		for _, w := range want[i] {
			if !seen[w] {
				t.Errorf("tab %q: Tab order does not reach %T", f.Tabs.Items[i].Text, w)
			}
		}
	}
	f.Tabs.SelectIndex(0)
	c.Focus(f.Save)
	f.Save.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	if !strings.HasPrefix(f.Status.Text, "Accesso salvato") {
		t.Fatalf("not saved: %q", f.Status.Text)
	}
	saved := f.access
	// Reopen from the list: the same values.
	test.Tap(f.Back)
	if len(pv.accesses) != 1 {
		t.Fatalf("accesses listed: %d", len(pv.accesses))
	}
	pv.AccessList.Select(0)
	g := pv.Access
	if g == nil || g == f {
		t.Fatal("access not reopened")
	}
	checks := []struct{ name, got, want string }{
		{"ReasonNotes", g.ReasonNotes.Text, "affitto arretrato"}, {"Origin", g.Origin.Code(), "Z129"},
		{"SecondCitizenship", g.SecondCitizenship.Picked().Key, saved.Intake.SecondCitizenship},
		{"PermitExpires", g.PermitExpires.Text, "10/12/2026"}, {"DomicileComune", g.DomicileComune.Code(), "D575"},
		{"Rooms", g.Rooms.Text, "3"}, {"Email", g.Email.Text, "anna@example.org"}, {"Disability", g.Disability.Text, "46"},
		{"Mode", g.Mode.Code(), saved.Mode}, {"MaritalStatus", g.MaritalStatus.Code(), saved.Intake.MaritalStatus},
		{"UserArea", g.UserArea.Code(), saved.Outcome.UserArea}, {"Office", g.Office.Text, "Ufficio povertà"},
		{"SignalledOn", g.SignalledOn.Text, "21/11/2026"},
	}
	for _, ch := range checks {
		if ch.got != ch.want || ch.want == "" {
			t.Errorf("%s after reopening = %q, want %q", ch.name, ch.got, ch.want)
		}
	}
	if !strings.Contains(g.PermitWarning.Text, "in scadenza") && !strings.Contains(g.PermitWarning.Text, "scaduto") {
		t.Errorf("no permit warning: %q", g.PermitWarning.Text)
	}
}

func TestIntakeRequiredFieldAndImpossibleDate(t *testing.T) {
	h := newOfficeHarness(t, 2)
	pv := openFirstPerson(t, h)
	pv.Tabs.SelectIndex(1)
	test.Tap(pv.NewAccess)
	f := pv.Access
	f.Date.SetText("31/02/2026")
	test.Tap(f.Save)
	if msg := formHint(f.forms[0], "Data dell'accesso"); !strings.Contains(msg, "non esiste") {
		t.Errorf("date message %q", msg)
	}
	f.Date.SetText("20/11/2026")
	test.Tap(f.Save)
	if msg := formHint(f.forms[0], "Modalità di accesso"); !strings.Contains(msg, "modalità") {
		t.Errorf("required mode message %q", msg)
	}
	if l, _ := h.app.Session().Accesses(context.Background(), pv.person.ID); len(l) != 0 {
		t.Error("invalid access saved")
	}
	// Leaving asks; cancelling keeps what was typed.
	test.Type(f.ReasonNotes, "nota importante")
	test.Tap(f.Back)
	if pv.Access != f {
		t.Fatal("left the intake without asking")
	}
	test.Tap(findButton(h.win.Canvas().Overlays().Top(), "No"))
	if f.ReasonNotes.Text != "nota importante" {
		t.Error("typed data lost")
	}
}

func TestDocumentsAndPrivacyTabs(t *testing.T) {
	h := newOfficeHarness(t, 2)
	var opened []string
	h.app.opt.OpenURL = func(u *url.URL) error { opened = append(opened, u.Path); return nil }
	content := bytes.Repeat([]byte("%PDF-1.4 scansione "), 1000)
	h.app.opt.OpenFile = func(done func(string, io.ReadCloser, error)) {
		done("documento identità.pdf", io.NopCloser(bytes.NewReader(content)), nil)
	}
	h.app.opt.SaveFile = func(name string, write func(io.Writer) error, done func(error)) {
		var b bytes.Buffer
		done(write(&b))
		if !bytes.HasPrefix(b.Bytes(), []byte("%PDF")) {
			t.Errorf("%s is not a PDF", name)
		}
	}
	pv := openFirstPerson(t, h)
	test.Tap(pv.AddDoc)
	if len(pv.docs) != 1 || pv.docs[0].Size != int64(len(content)) {
		t.Fatalf("documents: %+v", pv.docs)
	}
	pv.openDoc(pv.docs[0])
	if len(opened) != 1 {
		t.Fatal("system viewer not asked")
	}
	if b, err := os.ReadFile(opened[0]); err != nil || !bytes.Equal(b, content) {
		t.Fatalf("viewing copy: %v", err)
	}
	h.app.lockNow()
	if _, err := os.Stat(opened[0]); !os.IsNotExist(err) {
		t.Error("viewing copy survives the lock")
	}
	test.Type(h.app.Lock.Password, DemoPassword)
	test.Tap(h.app.Lock.Unlock)
	eventually(t, "unlock", func() bool { return !h.app.Session().Locked() })

	// Privacy: print the form, record the consent; the list stops marking it.
	test.Tap(pv.ConsentPrint)
	pv.ConsentGiven.SetSelected(consentYes)
	pv.ConsentDate.SetText("01/01/2099")
	test.Tap(pv.ConsentSave)
	if !strings.Contains(pv.ConsentStatus.Text, "futuro") {
		t.Errorf("future consent date: %q", pv.ConsentStatus.Text)
	}
	pv.ConsentDate.SetText("20/11/2026")
	test.Tap(pv.ConsentSave)
	if pv.ConsentStatus.Text != "Consenso registrato." {
		t.Fatalf("consent: %q", pv.ConsentStatus.Text)
	}
	if sum, _ := h.app.Session().PersonSummaryByID(pv.person.ID); sum.NoConsent {
		t.Error("person still marked without consent")
	}
}

func TestDiaryPrivateHiddenFromAmministrativo(t *testing.T) {
	h := newOfficeHarness(t, 2)
	pv := openFirstPerson(t, h)
	sess := h.app.Session()
	test.Type(pv.DiaryText, "colloquio riservato")
	test.Tap(pv.DiaryAdd)
	pv.DiaryPrivate.SetChecked(false)
	test.Type(pv.DiaryText, "consegnati buoni spesa")
	test.Tap(pv.DiaryAdd)
	if len(pv.diary) != 2 {
		t.Fatalf("diary %d", len(pv.diary))
	}
	if _, err := sess.AddOperator(context.Background(), store.Operator{Username: "amm1", GivenName: "Luca", Surname: "Neri", Role: store.RoleAmministrativo}, "Temporanea-2026!"); err != nil {
		t.Fatal(err)
	}
	personID := pv.person.ID
	sess.Lock()
	h.app.showLogin()
	login(t, h, "amm1", "Temporanea-2026!")
	h.app.Shell().openPerson(personID)
	pv = h.app.Shell().Person
	if len(pv.diary) != 1 || pv.diary[0].Private {
		t.Fatalf("amministrativo sees %+v", pv.diary)
	}
	if !pv.DiaryPrivate.Disabled() {
		t.Error("amministrativo may mark notes private")
	}
	for _, o := range pv.DiaryVisibility.Options {
		if strings.Contains(o, "riservate") {
			t.Error("private filter offered to amministrativo")
		}
	}
}

func TestServiceRequestWithDocument(t *testing.T) {
	h := newOfficeHarness(t, 2)
	h.app.opt.OpenFile = func(done func(string, io.ReadCloser, error)) {
		done("preventivo.pdf", io.NopCloser(bytes.NewReader([]byte("%PDF-1.4 preventivo"))), nil)
	}
	pv := openFirstPerson(t, h)
	pv.Tabs.SelectIndex(1)
	test.Tap(pv.NewAccess)
	f := pv.Access
	f.ServiceArea.SetSelectedIndex(2)
	f.Service.SetSelectedIndex(0)
	test.Type(f.ServiceNotes, "contributo per la caldaia")
	test.Tap(f.AddService)
	if len(f.services) != 1 || f.services[0].Notes != "contributo per la caldaia" {
		t.Fatalf("services %+v", f.services)
	}
	code := f.services[0].Service
	f.pv.addDoc(store.Attachment{Service: code}, nil)
	if len(pv.docs) != 1 || pv.docs[0].Service != code {
		t.Fatalf("document not linked to the request: %+v", pv.docs)
	}
}
