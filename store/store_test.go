package store_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"cartella/store"
)

func TestMigrationsFromEmptyFile(t *testing.T) {
	dir := t.TempDir()
	// An empty file, as left by a crash right after creation.
	if err := os.WriteFile(filepath.Join(dir, store.DBFileName), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), dir, store.Options{})
	if err != nil {
		t.Fatalf("open empty file: %v", err)
	}
	if db.HasOffice() {
		t.Error("empty database reports an office")
	}
	db.Close()
	raw := rawDB(t, dir)
	var v int
	if err := raw.QueryRow("PRAGMA user_version").Scan(&v); err != nil || v < 1 {
		t.Fatalf("user_version = %d, %v; want ≥ 1", v, err)
	}
	for _, table := range []string{"meta", "keyring", "records", "lookup", "outbox", "audit"} {
		var n int
		if err := raw.QueryRow("SELECT COUNT(*) FROM sqlite_master WHERE type='table' AND name=?", table).Scan(&n); err != nil || n != 1 {
			t.Errorf("table %s missing", table)
		}
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	dir := t.TempDir()
	raw := rawDB(t, dir)
	if _, err := raw.Exec("PRAGMA user_version = 999"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	_, err := store.Open(context.Background(), dir, store.Options{})
	if !errors.Is(err, store.ErrNewerSchema) {
		t.Fatalf("err = %v, want ErrNewerSchema", err)
	}
}

func TestLogin(t *testing.T) {
	db, s, _ := newOffice(t)
	s.Lock()
	ctx := context.Background()
	for _, tc := range []struct{ user, pw string }{
		{testUser, "sbagliata-del-tutto"},
		{"nessuno", testPassword},
		{testUser, ""},
	} {
		if _, err := db.Login(ctx, tc.user, tc.pw); !errors.Is(err, store.ErrLoginFailed) {
			t.Errorf("Login(%q, %q) = %v, want ErrLoginFailed", tc.user, tc.pw, err)
		}
	}
	// After three failures the next attempt must wait.
	if d := db.LoginDelay(); d <= 0 {
		t.Errorf("no delay after 3 failures")
	}
	var tooSoon *store.TooSoonError
	if _, err := db.Login(ctx, testUser, testPassword); !errors.As(err, &tooSoon) {
		t.Fatalf("login during delay = %v, want TooSoonError", err)
	}
	if !strings.Contains(tooSoon.Error(), "riprovare tra") {
		t.Errorf("message %q not Italian", tooSoon.Error())
	}
}

func TestLoginCaseInsensitiveUser(t *testing.T) {
	db, s, _ := newOffice(t)
	s.Lock()
	s2, err := db.Login(context.Background(), "  MRossi ", testPassword)
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	if got := s2.Operator().Role; got != store.RoleResponsabile {
		t.Errorf("role %s", got)
	}
}

func TestPersonRoundTrip(t *testing.T) {
	db, s, _ := newOffice(t)
	ctx := context.Background()
	want := samplePerson()
	saved, err := s.SavePerson(ctx, want)
	if err != nil {
		t.Fatalf("save: %v", err)
	}
	// Reopen the whole database to be sure it comes from disk.
	s.Lock()
	dir := db.Dir()
	db.Close()
	db2, err := store.Open(ctx, dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	s2, err := db2.Login(ctx, testUser, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s2.Person(ctx, saved.ID)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	want.ID = saved.ID
	tests := []struct {
		field     string
		got, want any
	}{
		{"Surname", got.Surname, want.Surname},
		{"GivenName", got.GivenName, want.GivenName},
		{"Sex", got.Sex, want.Sex},
		{"BirthDate", got.BirthDate, want.BirthDate},
		{"BirthPlace", got.BirthPlace, want.BirthPlace},
		{"CodiceFiscale", got.CodiceFiscale, want.CodiceFiscale},
		{"Citizenship", got.Citizenship, want.Citizenship},
		{"Residence.ComuneCode", got.Residence.ComuneCode, want.Residence.ComuneCode},
		{"Residence.Street", got.Residence.Street, want.Residence.Street},
		{"Residence.CAP", got.Residence.CAP, want.Residence.CAP},
		{"Consent", got.Consent, want.Consent},
		{"ID", got.ID, want.ID},
		{"CreatedAt", got.CreatedAt.IsZero(), false},
	}
	for _, tt := range tests {
		if !reflect.DeepEqual(tt.got, tt.want) {
			t.Errorf("%s = %v, want %v", tt.field, tt.got, tt.want)
		}
	}
	// Every field of Person must be listed above: a new field without a
	// round-trip check fails here.
	if n := reflect.TypeOf(store.Person{}).NumField(); n != 12 {
		t.Errorf("Person has %d fields; extend this test", n)
	}
}

func TestPersonValidation(t *testing.T) {
	_, s, _ := newOffice(t)
	ctx := context.Background()
	tests := []struct {
		name  string
		edit  func(*store.Person)
		field string
	}{
		{"no surname", func(p *store.Person) { p.Surname = " " }, "Surname"},
		{"no name", func(p *store.Person) { p.GivenName = "" }, "GivenName"},
		{"bad sex", func(p *store.Person) { p.Sex = "X" }, "Sex"},
		{"future birth", func(p *store.Person) { p.BirthDate = time.Now().AddDate(1, 0, 0) }, "BirthDate"},
		{"wrong check char", func(p *store.Person) { p.CodiceFiscale = "CCCFBA85D03L219Q" }, "CodiceFiscale"},
		{"place not existing at birth", func(p *store.Person) { p.BirthPlace = "Z118"; p.BirthDate = date(2010, 1, 1) }, "BirthPlace"},
		{"bad CAP", func(p *store.Person) { p.Residence.CAP = "501" }, "CAP"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := samplePerson()
			tt.edit(&p)
			_, err := s.SavePerson(ctx, p)
			v, ok := store.AsValidation(err)
			if !ok || v.For(tt.field) == "" {
				t.Fatalf("err = %v, want a message for %s", err, tt.field)
			}
			if s.PersonCount() != 0 {
				t.Errorf("invalid person was saved")
			}
		})
	}
}

func TestProvisionalAndSTPCodesAccepted(t *testing.T) {
	_, s, _ := newOffice(t)
	ctx := context.Background()
	for _, cf := range []string{"12345678903", "STP0800000001234"} {
		p := samplePerson()
		p.CodiceFiscale = cf
		if _, err := s.SavePerson(ctx, p); err != nil {
			t.Errorf("save with %s: %v", cf, err)
		}
	}
}

func TestDuplicates(t *testing.T) {
	_, s, _ := newOffice(t)
	ctx := context.Background()
	first, err := s.SavePerson(ctx, samplePerson())
	if err != nil {
		t.Fatal(err)
	}
	// Same code in an omocodia variant.
	p := samplePerson()
	p.CodiceFiscale = "CCCFBA85D03L21VE"
	d, err := s.Duplicates(ctx, p)
	if err != nil || len(d) != 1 || d[0].Person.ID != first.ID || !strings.Contains(d[0].Reason, "codice fiscale") {
		t.Fatalf("duplicates by CF = %+v, %v", d, err)
	}
	// No code, same birth date, name with a typo.
	p = samplePerson()
	p.CodiceFiscale = ""
	p.Surname = "Cacamo"
	d, err = s.Duplicates(ctx, p)
	if err != nil || len(d) != 1 || !strings.Contains(d[0].Reason, "nome simile") {
		t.Fatalf("duplicates by name = %+v, %v", d, err)
	}
	// The saved person is not a duplicate of itself.
	d, _ = s.Duplicates(ctx, first)
	if len(d) != 0 {
		t.Errorf("self reported as duplicate: %+v", d)
	}
	// A different person.
	p.Surname, p.GivenName = "Bianchi", "Anna"
	if d, _ := s.Duplicates(ctx, p); len(d) != 0 {
		t.Errorf("unrelated person reported: %+v", d)
	}
}

func TestSearch(t *testing.T) {
	_, s, _ := newOffice(t)
	ctx := context.Background()
	people := []store.Person{samplePerson(), samplePerson(), samplePerson()}
	people[1].Surname, people[1].GivenName, people[1].CodiceFiscale = "D'Àmico", "Lucia", ""
	people[1].Sex = "F"
	people[2].Surname, people[2].GivenName, people[2].CodiceFiscale = "Rossi", "Mario", "RSSMRA85T10A562S"
	people[2].BirthDate, people[2].BirthPlace = date(1985, 12, 10), "A562"
	for _, p := range people {
		if _, err := s.SavePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		q    string
		want []string
	}{
		{"cacc", []string{"Caccamo"}},
		{"damico", []string{"D'Àmico"}},
		{"d'amico luc", []string{"D'Àmico"}},
		{"mario rossi", []string{"Rossi"}},
		{"RSSMRA85", []string{"Rossi"}},
		{"a562s", []string{"Rossi"}},
		{"zzz", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, r := range s.Search(tt.q, 10) {
			got = append(got, r.Surname)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Search(%q) = %v, want %v", tt.q, got, tt.want)
		}
	}
	if s.PersonCount() != 3 {
		t.Errorf("count %d", s.PersonCount())
	}
	first, _ := s.PersonAt(0)
	if first.Surname != "Caccamo" {
		t.Errorf("first in order %q", first.Surname)
	}
}

func TestSecondInstanceRefused(t *testing.T) {
	db, _, _ := newOffice(t)
	_, err := store.Open(context.Background(), db.Dir(), store.Options{})
	if !errors.Is(err, store.ErrInUse) {
		t.Fatalf("second open = %v, want ErrInUse", err)
	}
	// The first copy still works.
	if _, err := db.Login(context.Background(), testUser, testPassword); err != nil {
		t.Fatalf("first instance broken: %v", err)
	}
}

func TestLockForgetsKeys(t *testing.T) {
	_, s, _ := newOffice(t)
	ctx := context.Background()
	p, err := s.SavePerson(ctx, samplePerson())
	if err != nil {
		t.Fatal(err)
	}
	s.Lock()
	if _, err := s.Person(ctx, p.ID); !errors.Is(err, store.ErrLocked) {
		t.Errorf("read while locked = %v", err)
	}
	if got := s.Search("cacc", 5); len(got) != 0 {
		t.Errorf("search while locked returned %d", len(got))
	}
	if err := s.Unlock(ctx, "sbagliata-davvero"); !errors.Is(err, store.ErrLoginFailed) {
		t.Errorf("unlock wrong = %v", err)
	}
	if err := s.Unlock(ctx, testPassword); err != nil {
		t.Fatal(err)
	}
	if got := s.Search("cacc", 5); len(got) != 1 {
		t.Errorf("search after unlock = %d", len(got))
	}
}

func TestOperators(t *testing.T) {
	db, s, _ := newOffice(t)
	ctx := context.Background()
	op, err := s.AddOperator(ctx, store.Operator{Username: "lbianchi", GivenName: "Luca", Surname: "Bianchi", Role: store.RoleAmministrativo}, "Temporanea-2026!")
	if err != nil {
		t.Fatalf("add: %v", err)
	}
	if _, err := s.AddOperator(ctx, store.Operator{Username: "lbianchi", GivenName: "X", Surname: "Y", Role: store.RoleAmministrativo}, "Temporanea-2026!"); err == nil {
		t.Error("duplicate username accepted")
	}
	s2, err := db.Login(ctx, "lbianchi", "Temporanea-2026!")
	if err != nil {
		t.Fatalf("login new operator: %v", err)
	}
	if !s2.Operator().MustChangePassword {
		t.Error("temporary password not flagged")
	}
	if _, err := s2.AddOperator(ctx, store.Operator{Username: "x1x", GivenName: "X", Surname: "Y", Role: store.RoleResponsabile}, "Temporanea-2026!"); !errors.Is(err, store.ErrForbidden) {
		t.Errorf("amministrativo adding operators = %v", err)
	}
	if _, err := s2.Audit(ctx, store.AuditFilter{}); !errors.Is(err, store.ErrForbidden) {
		t.Errorf("amministrativo reading audit = %v", err)
	}
	s2.Lock()
	if err := s.SetOperatorEnabled(ctx, op.ID, false, ""); err != nil {
		t.Fatalf("disable: %v", err)
	}
	if _, err := db.Login(ctx, "lbianchi", "Temporanea-2026!"); !errors.Is(err, store.ErrLoginFailed) {
		t.Errorf("disabled operator logged in: %v", err)
	}
	if err := s.SetOperatorEnabled(ctx, s.Operator().ID, false, ""); err == nil {
		t.Error("disabled oneself")
	}
	if err := s.SetOperatorEnabled(ctx, op.ID, true, "Nuova-Provvisoria-7"); err != nil {
		t.Fatalf("enable: %v", err)
	}
	waitDelay(db)
	if _, err := db.Login(ctx, "lbianchi", "Nuova-Provvisoria-7"); err != nil {
		t.Errorf("re-enabled operator: %v", err)
	}
	ops, err := s.Operators(ctx)
	if err != nil || len(ops) != 2 {
		t.Fatalf("operators = %d, %v", len(ops), err)
	}
}

// waitDelay sleeps out the login throttle left by earlier failures.
func waitDelay(db *store.DB) { time.Sleep(db.LoginDelay()) }

func TestChangePassword(t *testing.T) {
	db, s, _ := newOffice(t)
	ctx := context.Background()
	if err := s.ChangePassword(ctx, "sbagliata-davvero", "Altra-Password-99"); err == nil {
		t.Fatal("wrong old password accepted")
	}
	if err := s.ChangePassword(ctx, testPassword, "corta"); err == nil {
		t.Fatal("short password accepted")
	}
	if err := s.ChangePassword(ctx, testPassword, "Altra-Password-99"); err != nil {
		t.Fatal(err)
	}
	s.Lock()
	if _, err := db.Login(ctx, testUser, testPassword); !errors.Is(err, store.ErrLoginFailed) {
		t.Errorf("old password still works: %v", err)
	}
	if _, err := db.Login(ctx, testUser, "Altra-Password-99"); err != nil {
		t.Errorf("new password: %v", err)
	}
}

func TestRecoveryCode(t *testing.T) {
	db, s, code := newOffice(t)
	ctx := context.Background()
	if _, err := s.SavePerson(ctx, samplePerson()); err != nil {
		t.Fatal(err)
	}
	s.Lock()
	if _, err := db.Recover(ctx, "AAAAA-BBBBB", testUser, "Recuperata-Password-1"); err == nil {
		t.Fatal("bad recovery code accepted")
	}
	waitDelay(db)
	s2, err := db.Recover(ctx, strings.ToLower(code), testUser, "Recuperata-Password-1")
	if err != nil {
		t.Fatalf("recover: %v", err)
	}
	if s2.PersonCount() != 1 {
		t.Errorf("data not readable after recovery")
	}
	s2.Lock()
	if _, err := db.Login(ctx, testUser, "Recuperata-Password-1"); err != nil {
		t.Errorf("login with the new password: %v", err)
	}
}

func TestSettings(t *testing.T) {
	_, s, _ := newOffice(t)
	ctx := context.Background()
	st, err := s.Settings(ctx)
	if err != nil || st.IdleLockMinutes != 10 {
		t.Fatalf("defaults = %+v, %v", st, err)
	}
	if err := s.SaveSettings(ctx, store.Settings{IdleLockMinutes: 0}); err == nil {
		t.Error("0 minutes accepted")
	}
	if err := s.SaveSettings(ctx, store.Settings{IdleLockMinutes: 5}); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.Settings(ctx); st.IdleLockMinutes != 5 {
		t.Errorf("saved %d", st.IdleLockMinutes)
	}
}

func TestAuditLog(t *testing.T) {
	_, s, _ := newOffice(t)
	ctx := context.Background()
	p, err := s.SavePerson(ctx, samplePerson())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Person(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	all, err := s.Audit(ctx, store.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 || all[0].Action != store.ActionRead || all[2].Action != store.ActionCreateOffice {
		t.Fatalf("audit = %+v", all)
	}
	byRec, _ := s.Audit(ctx, store.AuditFilter{RecordID: p.ID})
	if len(byRec) != 2 {
		t.Errorf("by record: %d", len(byRec))
	}
	reads, _ := s.Audit(ctx, store.AuditFilter{Action: store.ActionRead})
	if len(reads) != 1 || reads[0].Operator != testUser {
		t.Errorf("reads: %+v", reads)
	}
	future, _ := s.Audit(ctx, store.AuditFilter{From: time.Now().Add(time.Hour)})
	if len(future) != 0 {
		t.Errorf("future filter: %d", len(future))
	}
}

// rawDB opens the database file directly, as an attacker with the file would.
func rawDB(t testing.TB, dir string) *sql.DB {
	t.Helper()
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.DBFileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}
