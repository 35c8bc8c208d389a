package ui

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"cartella/store"
	"cartella/store/demo"
	"cartella/store/vault"
)

// syncNow taps "Sincronizza ora" and waits until the result is shown.
// (The test driver runs fyne.Do on the calling goroutine: tests touch
// widgets only when no background work is updating them.)
func syncNow(t *testing.T, s *SyncScreen) {
	t.Helper()
	n := s.reports.Load()
	test.Tap(s.SyncNow)
	eventually(t, "sync result", func() bool { return s.reports.Load() > n })
}

func syncArea(t *testing.T, h *harness) *SyncScreen {
	t.Helper()
	sh := h.app.Shell()
	for i, a := range areas {
		if a.title == "Sincronizzazione" {
			sh.goArea(i)
		}
	}
	if sh.Sync == nil {
		t.Fatal("Sincronizzazione area not shown")
	}
	return sh.Sync
}

func TestSyncAreaFolderAndSyncNow(t *testing.T) {
	h := newOfficeHarness(t, 5)
	h.app.opt.SyncInterval = -1
	login(t, h, "demo", DemoPassword)
	s := syncArea(t, h)
	if !strings.Contains(s.LastSync.Text, "Mai") {
		t.Errorf("last sync on a new PC: %q", s.LastSync.Text)
	}
	// A folder that is not there.
	test.Type(s.Folder, filepath.Join(t.TempDir(), "non-esiste"))
	test.Tap(s.UseFolder)
	if !strings.Contains(s.folderNote.Text, "non esiste") {
		t.Errorf("missing folder note: %q", s.folderNote.Text)
	}
	shared := t.TempDir()
	s.Folder.SetText("")
	h.app.opt.ChooseFolder = func(done func(string)) { done(shared) }
	test.Tap(s.Choose)
	if got := h.db.SyncFolder(context.Background()); got != shared {
		t.Fatalf("folder saved %q", got)
	}
	syncNow(t, s)
	if !strings.Contains(s.Summary.Text, "Inviate") || s.Problems.Text != "" {
		t.Errorf("summary %q, problems %q", s.Summary.Text, s.Problems.Text)
	}
	files, _ := filepath.Glob(filepath.Join(shared, "CartellaSociale-*", "sync", "*", "*.csync"))
	if len(files) == 0 {
		t.Fatal("no change file written")
	}
	// The folder disappears (USB stick pulled out): "Sincronizza ora" says
	// why in Italian.
	os.RemoveAll(shared)
	syncNow(t, s)
	if !strings.Contains(s.Summary.Text, "non riuscita") || !strings.Contains(s.Summary.Text, "non è raggiungibile") {
		t.Errorf("summary %q", s.Summary.Text)
	}
}

// TestAutomaticSync: with a folder chosen, changes leave by themselves.
func TestAutomaticSync(t *testing.T) {
	ctx := context.Background()
	h := newOfficeHarness(t, 2)
	h.app.opt.SyncInterval = 200 * time.Millisecond
	shared := t.TempDir()
	h.db.SetSyncFolder(ctx, shared)
	countFiles := func() int {
		fs, _ := filepath.Glob(filepath.Join(shared, "CartellaSociale-*", "sync", "*", "*.csync"))
		return len(fs)
	}
	login(t, h, "demo", DemoPassword)
	eventually(t, "first automatic sync", func() bool { return countFiles() > 0 })
	eventually(t, "automatic syncs idle", func() bool {
		n := countFiles()
		time.Sleep(500 * time.Millisecond)
		return countFiles() == n
	})
	before := countFiles()
	if _, err := h.app.Session().SavePerson(ctx, store.Person{Surname: "Nuova", GivenName: "Persona",
		Sex: "F", BirthDate: time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), BirthPlace: "D612"}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "automatic sync", func() bool { return countFiles() > before })
	if bs := h.db.Backups(); len(bs) != 1 || bs[0].Reason != store.BackupDaily {
		t.Errorf("daily backup: %+v", bs)
	}
}

// officeInFolder creates an office with persons on "another PC" and syncs
// it into a shared folder.
func officeInFolder(t *testing.T, persons int) (shared string, other *store.Session) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s, err := demo.CreateOffice(ctx, db, demo.Options{Persons: persons, Password: DemoPassword, Params: vault.MinParams, NoIntake: true})
	if err != nil {
		t.Fatal(err)
	}
	shared = t.TempDir()
	if _, err := s.Sync(ctx, shared); err != nil {
		t.Fatal(err)
	}
	return shared, s
}

func TestJoinFromWizard(t *testing.T) {
	shared, _ := officeInFolder(t, 7)
	h := newHarness(t)
	h.app.opt.SyncInterval = -1
	test.Tap(h.app.Wizard.JoinOffice)
	j := h.app.Joining
	if j == nil {
		t.Fatal("no join screen")
	}
	test.Tap(j.Join)
	if !strings.Contains(j.Status.Text, "Indicare") {
		t.Errorf("empty form: %q", j.Status.Text)
	}
	h.app.opt.ChooseFolder = func(done func(string)) { done(shared) }
	test.Tap(j.Choose)
	test.Type(j.Username, demo.Username)
	test.Type(j.Password, "password-sbagliata")
	test.Tap(j.Join)
	eventually(t, "join answer", func() bool { return !j.busy })
	if !strings.Contains(j.Status.Text, "Operatore o password non corretti") || !strings.Contains(j.Status.Text, "Nessun dato") {
		t.Errorf("wrong password: %q", j.Status.Text)
	}
	if h.db.HasOffice() {
		t.Fatal("wrong password joined the office")
	}
	test.Type(j.Password, DemoPassword)
	test.Tap(j.Join)
	eventually(t, "joined", func() bool { return h.app.Shell() != nil })
	if n := h.app.Session().PersonCount(); n != 7 {
		t.Errorf("%d persons after join, want 7", n)
	}
	if got := h.db.SyncFolder(context.Background()); got != shared {
		t.Errorf("folder not remembered: %q", got)
	}
}

func TestConflictsSideBySideMerge(t *testing.T) {
	ctx := context.Background()
	h := newOfficeHarness(t, 3)
	h.app.opt.SyncInterval = -1
	login(t, h, "demo", DemoPassword)
	a := h.app.Session()
	shared := t.TempDir()
	if _, err := a.Sync(ctx, shared); err != nil {
		t.Fatal(err)
	}
	// The other PC's clock is a minute ahead: its change is clearly the later.
	bdb, err := store.Open(ctx, t.TempDir(), store.Options{Now: func() time.Time { return time.Now().Add(time.Minute) }})
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	b, _, err := bdb.Join(ctx, shared, demo.Username, DemoPassword, nil)
	if err != nil {
		t.Fatal(err)
	}
	sum, _ := a.PersonAt(0)
	pa, _ := a.Person(ctx, sum.ID)
	pa.Residence.Street = "Via di questo PC 1"
	a.SavePerson(ctx, pa)
	pb, _ := b.Person(ctx, sum.ID)
	pb.Residence.Street = "Via dell'altro PC 2"
	pb.GivenName = "Cambiato"
	b.SavePerson(ctx, pb)
	b.Sync(ctx, shared)
	h.db.SetSyncFolder(ctx, shared)
	s := syncArea(t, h)
	syncNow(t, s)
	if !strings.Contains(s.Summary.Text, "conflitti") {
		t.Errorf("summary %q", s.Summary.Text)
	}
	if got := s.Tabs.Items[1].Text; got != "Conflitti da rivedere (1)" {
		t.Errorf("tab %q", got)
	}
	s.Tabs.SelectIndex(1)
	v := s.Conflicts
	if len(v.conflicts) != 1 || !strings.Contains(v.Count.Text, "1 conflitto") {
		t.Fatalf("conflicts %d, %q", len(v.conflicts), v.Count.Text)
	}
	if !strings.Contains(v.Title.Text, "Cambiato") {
		t.Errorf("title %q", v.Title.Text)
	}
	texts := strings.Join(labelsIn(v.Fields), "|")
	for _, want := range []string{"Via di questo PC 1", "Via dell'altro PC 2", "Nome", "Residenza", "questo computer", "altro computer"} {
		if !strings.Contains(texts, want) {
			t.Errorf("side by side lacks %q: %s", want, texts)
		}
	}
	if v.Choices["residence"] == nil || v.Choices["given_name"] == nil || v.Choices["surname"] != nil {
		t.Fatalf("choices for %v", v.Choices)
	}
	// Keep this PC's street, the other PC's name (in use).
	v.Choices["residence"].SetSelected(pickOther)
	test.Tap(v.Merge)
	if len(v.conflicts) != 0 || !strings.Contains(v.Status.Text, "risolto") {
		t.Fatalf("after merge: %d conflicts, %q", len(v.conflicts), v.Status.Text)
	}
	got, _ := a.Person(ctx, sum.ID)
	if got.Residence.Street != "Via di questo PC 1" || got.GivenName != "Cambiato" {
		t.Errorf("merged %q %q", got.Residence.Street, got.GivenName)
	}
	// The other PC receives the choice and has nothing left to review.
	syncNow(t, s)
	b.Sync(ctx, shared)
	if n := b.ConflictCount(ctx); n != 0 {
		t.Errorf("other PC still has %d conflicts", n)
	}
	if got, _ := b.Person(ctx, sum.ID); got.Residence.Street != "Via di questo PC 1" {
		t.Errorf("other PC has %q", got.Residence.Street)
	}
}

func TestBackupNowAndRestoreWithPreview(t *testing.T) {
	ctx := context.Background()
	h := newOfficeHarness(t, 3)
	h.app.opt.SyncInterval = -1
	login(t, h, "demo", DemoPassword)
	s := syncArea(t, h)
	v := s.Backup
	test.Tap(v.BackupNow)
	var name string
	for n := range h.saved {
		if strings.HasSuffix(n, store.BackupExt) {
			name = n
		}
	}
	if name == "" || !strings.Contains(v.Status.Text, "Backup salvato") {
		t.Fatalf("no backup saved: %q", v.Status.Text)
	}
	data := h.saved[name]
	// A person added after the backup: the restore takes the office back.
	if _, err := h.app.Session().SavePerson(ctx, store.Person{Surname: "Dopo", GivenName: "Backup", Sex: "M",
		BirthDate: time.Date(1980, 2, 2, 0, 0, 0, 0, time.UTC), BirthPlace: "D612"}); err != nil {
		t.Fatal(err)
	}
	file := data
	h.app.opt.OpenFile = func(done func(string, io.ReadCloser, error)) {
		done(name, io.NopCloser(bytes.NewReader(file)), nil)
	}
	// A damaged copy is refused.
	file = append([]byte(nil), data...)
	file[len(file)/2] ^= 0x01
	test.Tap(v.ChooseFile)
	test.Type(v.Password, DemoPassword)
	test.Tap(v.Check)
	eventually(t, "check", func() bool { return !v.busy })
	if !strings.Contains(v.RestoreNote.Text, "danneggiato") || v.Restore.Visible() {
		t.Fatalf("damaged backup: %q", v.RestoreNote.Text)
	}
	// Wrong password.
	file = data
	test.Tap(v.ChooseFile)
	test.Type(v.Password, "sbagliata-sbagliata")
	test.Tap(v.Check)
	eventually(t, "check", func() bool { return !v.busy })
	if !strings.Contains(v.RestoreNote.Text, "Operatore o password non corretti") {
		t.Fatalf("wrong password: %q", v.RestoreNote.Text)
	}
	test.Type(v.Password, DemoPassword)
	test.Tap(v.Check)
	eventually(t, "check", func() bool { return !v.busy })
	if !strings.Contains(v.Preview.Text, "persone: 3") || !v.Restore.Visible() {
		t.Fatalf("preview %q / %q", v.Preview.Text, v.RestoreNote.Text)
	}
	test.Tap(v.Restore)
	if h.app.Login == nil || !strings.Contains(h.app.Login.Message.Text, "Ripristino completato") {
		t.Fatal("no login after restore")
	}
	login(t, h, "demo", DemoPassword)
	if n := h.app.Session().PersonCount(); n != 3 {
		t.Errorf("%d persons after restore, want 3", n)
	}
	kept := h.db.Backups()
	if len(kept) == 0 || kept[0].Reason != store.BackupBeforeRestore {
		t.Errorf("current database not kept before restoring: %+v", kept)
	}
}

func TestRestoreOfficeFromWizard(t *testing.T) {
	ctx := context.Background()
	_, other := officeInFolder(t, 4)
	other.PrepareBackups(ctx)
	var b bytes.Buffer
	if _, err := other.DB().WriteBackup(ctx, &b, store.BackupManual); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t)
	h.app.opt.OpenFile = func(done func(string, io.ReadCloser, error)) {
		done("ufficio.csbak", io.NopCloser(bytes.NewReader(b.Bytes())), nil)
	}
	test.Tap(h.app.Wizard.RestoreOffice)
	r := h.app.Restoring
	if r == nil {
		t.Fatal("no restore screen")
	}
	test.Tap(r.ChooseFile)
	test.Type(r.Username, demo.Username)
	test.Type(r.Password, DemoPassword)
	test.Tap(r.Check)
	eventually(t, "check", func() bool { return !r.busy })
	if !strings.Contains(r.Preview.Text, "persone: 4") {
		t.Fatalf("preview %q %q", r.Preview.Text, r.RestoreNote.Text)
	}
	test.Tap(r.Restore)
	if h.app.Login == nil || !h.db.HasOffice() {
		t.Fatal("no office after restoring from the wizard")
	}
	login(t, h, demo.Username, DemoPassword)
	if n := h.app.Session().PersonCount(); n != 4 {
		t.Errorf("%d persons", n)
	}
}
