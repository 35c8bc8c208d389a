package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"cartella/store"
)

// pc is one PC of an office in a test: its data folder, database and session.
type pc struct {
	t     testing.TB
	name  string
	db    *store.DB
	s     *store.Session
	clock *skewClock
}

// skewClock is the wall clock shifted by an offset, to play PCs whose
// clocks disagree.
type skewClock struct{ off time.Duration }

func (c *skewClock) now() time.Time { return time.Now().Add(c.off) }

// firstPC creates the office on a new PC.
func firstPC(t testing.TB) *pc {
	t.Helper()
	db, s, _ := newOffice(t)
	return &pc{t: t, name: "A", db: db, s: s}
}

// joinPC makes a new PC join the office found in shared.
func joinPC(t testing.TB, name, shared string, off time.Duration) *pc {
	t.Helper()
	ctx := context.Background()
	c := &skewClock{off: off}
	db, err := store.Open(ctx, t.TempDir(), store.Options{Now: c.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s, _, err := db.Join(ctx, shared, testUser, testPassword, nil)
	if err != nil {
		t.Fatalf("%s join: %v", name, err)
	}
	return &pc{t: t, name: name, db: db, s: s, clock: c}
}

// sync runs a sync and fails the test on any error or problem.
func (p *pc) sync(shared string) store.SyncReport {
	p.t.Helper()
	rep, err := p.s.Sync(context.Background(), shared)
	if err != nil {
		p.t.Fatalf("%s sync: %v", p.name, err)
	}
	if !rep.OK() {
		p.t.Fatalf("%s sync problems: %v", p.name, rep.Problems)
	}
	return rep
}

func (p *pc) digest() string {
	p.t.Helper()
	d, err := p.s.Digest(context.Background())
	if err != nil {
		p.t.Fatalf("%s digest: %v", p.name, err)
	}
	return d
}

func (p *pc) save(per store.Person) store.Person {
	p.t.Helper()
	out, err := p.s.SavePerson(context.Background(), per)
	if err != nil {
		p.t.Fatalf("%s save: %v", p.name, err)
	}
	return out
}

func (p *pc) person(id store.ID) store.Person {
	p.t.Helper()
	per, err := p.s.Person(context.Background(), id)
	if err != nil {
		p.t.Fatalf("%s read %s: %v", p.name, id, err)
	}
	return per
}

// personN is a valid person without codice fiscale, distinguishable by n.
func personN(n int) store.Person {
	p := samplePerson()
	p.CodiceFiscale = ""
	p.GivenName = fmt.Sprintf("Fabio%d", n)
	return p
}

// converged syncs every PC twice round and checks the digests agree.
func converged(t testing.TB, shared string, pcs ...*pc) string {
	t.Helper()
	for range 2 {
		for _, p := range pcs {
			p.sync(shared)
		}
	}
	want := pcs[0].digest()
	for _, p := range pcs[1:] {
		if got := p.digest(); got != want {
			t.Fatalf("digest of %s differs from %s", p.name, pcs[0].name)
		}
	}
	return want
}
