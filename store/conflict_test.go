package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"cartella/store"
)

// twoApart makes an office on A with one person, joins B, and returns
// both in step.
func twoApart(t *testing.T) (a, b *pc, shared string, p store.Person) {
	t.Helper()
	return twoApartSkew(t, 0)
}

// twoApartSkew is twoApart with B's clock off by off: tests that expect a
// given winner make it a clear one (two changes a few milliseconds apart
// on two PCs are ordered by their clocks, which a loaded machine may not
// keep that close).
func twoApartSkew(t *testing.T, off time.Duration) (a, b *pc, shared string, p store.Person) {
	t.Helper()
	shared = t.TempDir()
	a = firstPC(t)
	p = a.save(samplePerson())
	a.sync(shared)
	b = joinPC(t, "B", shared, off)
	return a, b, shared, p
}

func TestConcurrentEditsKeepLoserOnBothPCs(t *testing.T) {
	for _, order := range []string{"A first", "B first"} {
		t.Run(order, func(t *testing.T) {
			ctx := context.Background()
			a, b, shared, p := twoApartSkew(t, time.Minute) // B's change is the later
			pa := a.person(p.ID)
			pa.Residence.Street = "Via di A 1"
			a.save(pa)
			pb := b.person(p.ID)
			pb.Residence.Street = "Via di B 2"
			pb.GivenName = "Fabiano"
			b.save(pb) // later: B wins
			if order == "A first" {
				converged(t, shared, a, b)
			} else {
				converged(t, shared, b, a)
			}
			for _, x := range []*pc{a, b} {
				got := x.person(p.ID)
				if got.Residence.Street != "Via di B 2" {
					t.Errorf("%s: winner street %q, want B's", x.name, got.Residence.Street)
				}
				cs, err := x.s.Conflicts(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if len(cs) != 1 {
					t.Fatalf("%s: %d conflicts, want 1", x.name, len(cs))
				}
				c := cs[0]
				if c.RecordID != p.ID || c.Title != "Persona: Caccamo Fabiano" {
					t.Errorf("%s: conflict %s %q", x.name, c.RecordID, c.Title)
				}
				diff := map[string]store.FieldDiff{}
				for _, f := range c.Fields {
					diff[f.Name] = f
				}
				if f := diff["residence"]; !f.Differs || f.Other == f.Current {
					t.Errorf("%s: residence diff %+v", x.name, f)
				}
				if f := diff["given_name"]; !f.Differs || f.Current != "Fabiano" || f.Other != "Fabio" {
					t.Errorf("%s: given_name diff %+v", x.name, f)
				}
				if f := diff["surname"]; f.Differs {
					t.Errorf("%s: surname marked different", x.name)
				}
				if c.Current.ThisPC != (x == b) || c.Other.ThisPC != (x == a) {
					t.Errorf("%s: ThisPC flags wrong", x.name)
				}
			}
			// Merge on A: A's street, B's name.
			cs, _ := a.s.Conflicts(ctx)
			if err := a.s.ResolveConflict(ctx, cs[0], map[string]store.Side{"residence": store.SideOther}); err != nil {
				t.Fatal(err)
			}
			// Resolving the same conflict twice is refused.
			if err := a.s.ResolveConflict(ctx, cs[0], nil); !errors.Is(err, store.ErrConflictChanged) {
				t.Errorf("second resolution: %v", err)
			}
			converged(t, shared, a, b)
			for _, x := range []*pc{a, b} {
				got := x.person(p.ID)
				if got.Residence.Street != "Via di A 1" || got.GivenName != "Fabiano" {
					t.Errorf("%s after merge: %q %q", x.name, got.Residence.Street, got.GivenName)
				}
				if n := x.s.ConflictCount(ctx); n != 0 {
					t.Errorf("%s: %d conflicts left after resolution", x.name, n)
				}
			}
		})
	}
}

func TestDeleteVersusEditKeepsTheEdit(t *testing.T) {
	for _, tc := range []struct {
		name        string
		deleteLater bool
	}{
		{"edit wins", false},
		{"delete wins", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			skew := time.Minute // B (the edit) later
			if tc.deleteLater {
				skew = -time.Minute
			}
			a, b, shared, p := twoApartSkew(t, skew)
			edit := func() {
				pb := b.person(p.ID)
				pb.Residence.Street = "Modificata su B"
				b.save(pb)
			}
			del := func() {
				if err := a.s.DeleteForTest(ctx, p.ID, "person"); err != nil {
					t.Fatal(err)
				}
			}
			if tc.deleteLater {
				edit()
				del()
			} else {
				del()
				edit()
			}
			converged(t, shared, a, b)
			for _, x := range []*pc{a, b} {
				recs, err := x.s.RecordsForTest(ctx)
				if err != nil {
					t.Fatal(err)
				}
				cur := recs[p.ID]
				cs, err := x.s.Conflicts(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if len(cs) != 1 {
					t.Fatalf("%s: %d conflicts", x.name, len(cs))
				}
				if cur.Deleted != tc.deleteLater || cs[0].Other.Deleted == tc.deleteLater {
					t.Errorf("%s: current deleted=%v, kept deleted=%v", x.name, cur.Deleted, cs[0].Other.Deleted)
				}
				edited := cs[0].Other
				if !tc.deleteLater {
					edited = cs[0].Current
				}
				if string(edited.Fields["residence"]) == "" || !strings.Contains(string(edited.Fields["residence"]), "Modificata su B") {
					t.Errorf("%s: the edit is lost: %s", x.name, edited.Fields["residence"])
				}
				if tc.deleteLater && x.s.PersonCount() != 0 {
					t.Errorf("%s: deleted person still listed", x.name)
				}
			}
			// Keeping the edit brings the person back everywhere.
			if tc.deleteLater {
				cs, _ := b.s.Conflicts(ctx)
				if err := b.s.ResolveConflict(ctx, cs[0], store.KeepAll(store.SideOther)); err != nil {
					t.Fatal(err)
				}
				converged(t, shared, a, b)
				if got := a.person(p.ID); got.Residence.Street != "Modificata su B" {
					t.Errorf("restored person: %q", got.Residence.Street)
				}
				if a.s.PersonCount() != 1 {
					t.Error("restored person not listed on A")
				}
			}
		})
	}
}

// TestSameChangeOnBothPCsIsNoConflict: two PCs add the same value to a
// code list while apart (fixed record id): nothing to choose, nothing
// listed; different labels are a conflict.
func TestSameChangeOnBothPCsIsNoConflict(t *testing.T) {
	ctx := context.Background()
	a, b, shared, _ := twoApart(t)
	for _, x := range []*pc{a, b} {
		if err := x.s.SetCode(ctx, store.ListModalitaAccesso, "WHATSAPP", "Messaggio WhatsApp", false); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.s.SetCode(ctx, store.ListModalitaAccesso, "PEC", "Posta certificata", false); err != nil {
		t.Fatal(err)
	}
	if err := b.s.SetCode(ctx, store.ListModalitaAccesso, "PEC", "PEC", false); err != nil {
		t.Fatal(err)
	}
	converged(t, shared, a, b)
	for _, x := range []*pc{a, b} {
		cs, err := x.s.Conflicts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != 1 {
			t.Fatalf("%s: %d conflicts, want 1 (the different label only)", x.name, len(cs))
		}
		if f := cs[0].Fields; len(f) == 0 {
			t.Errorf("%s: no fields", x.name)
		}
	}
}
