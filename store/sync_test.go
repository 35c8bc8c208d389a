package store_test

import (
	"context"
	"testing"
)

func TestSyncTwoPCs(t *testing.T) {
	ctx := context.Background()
	shared := t.TempDir()
	a := firstPC(t)
	p1 := a.save(samplePerson())
	a.sync(shared)
	b := joinPC(t, "B", shared, 0)
	got := b.person(p1.ID)
	if got.Surname != p1.Surname {
		t.Fatalf("B sees %q", got.Surname)
	}
	// The blind index and the in-memory index work for applied persons.
	if byCF, err := b.s.PersonByCF(ctx, p1.CodiceFiscale); err != nil || byCF.ID != p1.ID {
		t.Fatalf("PersonByCF on B: %v", err)
	}
	if res := b.s.Search("caccamo", 10); len(res) != 1 {
		t.Fatalf("search on B: %d results", len(res))
	}
	// Edit on B, new person on A.
	got.Residence.Street = "Via Nuova 1"
	b.save(got)
	p2 := a.save(personN(2))
	converged(t, shared, a, b)
	// Syncing again moves nothing: sync itself writes nothing to send.
	for _, p := range []*pc{a, b} {
		if rep := p.sync(shared); rep.SentFiles != 0 || rep.ReceivedFiles != 0 {
			t.Errorf("idle sync on %s moved files: %+v", p.name, rep)
		}
	}
	if a.person(p1.ID).Residence.Street != "Via Nuova 1" {
		t.Error("A does not see B's edit")
	}
	if b.person(p2.ID).GivenName != "Fabio2" {
		t.Error("B does not see A's new person")
	}
	if n := a.s.ConflictCount(ctx); n != 0 {
		t.Errorf("%d conflicts on A", n)
	}
}
