package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"cartella/store"
)

// closeAndRaw locks and closes the office and returns a raw handle on its file.
func closeAndRaw(t *testing.T, db *store.DB, s *store.Session) (dir string) {
	t.Helper()
	s.Lock()
	dir = db.Dir()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

func reopen(t *testing.T, dir string) (*store.DB, *store.Session) {
	t.Helper()
	db, err := store.Open(context.Background(), dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s, err := db.Login(context.Background(), testUser, testPassword)
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	return db, s
}

func TestSealedBodyMovedToAnotherRowFails(t *testing.T) {
	db, s, _ := newOffice(t)
	ctx := context.Background()
	a, err := s.SavePerson(ctx, samplePerson())
	if err != nil {
		t.Fatal(err)
	}
	pb := samplePerson()
	pb.Surname, pb.CodiceFiscale = "Bianchi", ""
	b, err := s.SavePerson(ctx, pb)
	if err != nil {
		t.Fatal(err)
	}
	dir := closeAndRaw(t, db, s)
	raw := rawDB(t, dir)
	if _, err := raw.Exec("UPDATE records SET body = (SELECT body FROM records WHERE id = ?) WHERE id = ?", a.ID[:], b.ID[:]); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	// The index is built at login, so the moved body already fails there.
	db2, err := store.Open(ctx, dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if _, err := db2.Login(ctx, testUser, testPassword); !errors.Is(err, store.ErrTampered) {
		t.Fatalf("login over a moved body = %v, want ErrTampered", err)
	}
}

func TestVerifyDetectsAuditTampering(t *testing.T) {
	tests := []struct {
		name string
		sql  string
		want string
	}{
		{"edited entry", "UPDATE audit SET body = substr(body, 1, 30) || randomblob(8) || substr(body, 39) WHERE seq = 2", "alterat"},
		{"deleted middle entry", "DELETE FROM audit WHERE seq = 2", "mancano voci"},
		{"deleted last entry", "DELETE FROM audit WHERE seq = (SELECT MAX(seq) FROM audit)", "voci rimosse"},
		{"deleted head", "DELETE FROM meta WHERE key LIKE 'audit_head:%'", "voci rimosse"},
		{"swapped entries", "UPDATE audit SET seq = -2 WHERE seq = 2; UPDATE audit SET seq = 2 WHERE seq = 3; UPDATE audit SET seq = 3 WHERE seq = -2", "alterat"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, s, _ := newOffice(t)
			ctx := context.Background()
			p, err := s.SavePerson(ctx, samplePerson())
			if err != nil {
				t.Fatal(err)
			}
			for range 3 {
				if _, err := s.Person(ctx, p.ID); err != nil {
					t.Fatal(err)
				}
			}
			r, err := s.Verify(ctx)
			if err != nil || !r.OK() {
				t.Fatalf("clean database: %v %v", r.Problems, err)
			}
			dir := closeAndRaw(t, db, s)
			raw := rawDB(t, dir)
			if _, err := raw.Exec(tt.sql); err != nil {
				t.Fatal(err)
			}
			raw.Close()
			// Logging in appends an entry, which must not heal the chain.
			_, s2 := reopen(t, dir)
			r, err = s2.Verify(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if r.OK() || !strings.Contains(strings.Join(r.Problems, "\n"), tt.want) {
				t.Fatalf("problems = %q, want one mentioning %q", r.Problems, tt.want)
			}
		})
	}
}

func TestVerifyReport(t *testing.T) {
	_, s, _ := newOffice(t)
	ctx := context.Background()
	if _, err := s.SavePerson(ctx, samplePerson()); err != nil {
		t.Fatal(err)
	}
	r, err := s.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK() || r.Integrity != "ok" {
		t.Fatalf("report: %+v", r)
	}
	if r.Counts["person"] != 1 || r.Counts["operator"] != 1 || r.Counts["office"] != 1 {
		t.Errorf("counts: %v", r.Counts)
	}
	out := r.String()
	for _, want := range []string{"persone", "operatori", "nessun problema"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

func TestVerifyDetectsTamperedRecord(t *testing.T) {
	db, s, _ := newOffice(t)
	ctx := context.Background()
	p, err := s.SavePerson(ctx, samplePerson())
	if err != nil {
		t.Fatal(err)
	}
	dir := closeAndRaw(t, db, s)
	raw := rawDB(t, dir)
	// Flip a bit of a settings body: login still works, verify must see it.
	if _, err := raw.Exec("UPDATE records SET body = substr(body, 1, 40) || X'00' || substr(body, 42) WHERE kind = 'settings'"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	_, s2 := reopen(t, dir)
	r, err := s2.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r.OK() {
		t.Fatal("tampered record not reported")
	}
	if _, err := s2.Person(ctx, p.ID); err != nil {
		t.Errorf("untouched person unreadable: %v", err)
	}
}
