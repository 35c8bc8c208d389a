package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"cartella/assets"
	"cartella/store"
	"cartella/store/codicefiscale"
	"cartella/store/demo"
	"cartella/store/vault"
)

func TestGeneratedPersonsAreRealistic(t *testing.T) {
	places := assets.LoadPlaces()
	now := time.Now()
	g := demo.NewGenerator(42, places, now, "D612")
	ps := g.Persons(3000)
	var female, foreign, minors, elderly, ceased int
	for i, p := range ps {
		if v := p.Validate(places, now); len(v) > 0 {
			t.Fatalf("person %d %+v invalid: %v", i, p, v)
		}
		info, err := codicefiscale.Validate(p.CodiceFiscale, places, p.BirthDate, now)
		if err != nil {
			t.Fatalf("person %d: codice fiscale %s: %v", i, p.CodiceFiscale, err)
		}
		if !codicefiscale.Matches(p.CodiceFiscale, p.Surname, p.GivenName, p.Sex[0], p.BirthDate, p.BirthPlace) {
			t.Fatalf("person %d: codice fiscale does not match the data", i)
		}
		if p.Sex == "F" {
			female++
		}
		if strings.HasPrefix(info.PlaceCode, "Z") {
			foreign++
			if !places.ValidAt(info.PlaceCode, now) {
				ceased++
			}
		}
		switch age := now.Year() - p.BirthDate.Year(); {
		case age < 18:
			minors++
		case age >= 65:
			elderly++
		}
	}
	for name, n := range map[string]int{"female": female, "foreign-born": foreign, "minors": minors, "elderly": elderly, "born in ceased states": ceased} {
		if n == 0 {
			t.Errorf("no %s among 3000 demo persons", name)
		}
	}
	if female < 1200 || female > 1800 {
		t.Errorf("sexes unbalanced: %d women of 3000", female)
	}
	// Same seed, same persons.
	again := demo.NewGenerator(42, places, now, "D612").Persons(10)
	for i := range again {
		if again[i].CodiceFiscale != ps[i].CodiceFiscale {
			t.Fatalf("generator not deterministic at %d", i)
		}
	}
}

func TestCreateOffice(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var progress []int
	s, err := demo.CreateOffice(ctx, db, demo.Options{Persons: 2500, Password: "Prova-Cartella-2026", Params: vault.MinParams,
		Progress: func(done, total int) { progress = append(progress, done) }})
	if err != nil {
		t.Fatal(err)
	}
	if s.PersonCount() != 2500 {
		t.Errorf("persons %d", s.PersonCount())
	}
	if len(progress) != 2 || progress[1] != 2500 {
		t.Errorf("progress %v", progress)
	}
	if op := s.Operator(); op.Username != demo.Username || op.Role != store.RoleResponsabile {
		t.Errorf("operator %+v", op)
	}
	r, err := s.Verify(ctx)
	if err != nil || !r.OK() {
		t.Fatalf("verify: %v %v", r.Problems, err)
	}
}

func TestDemoOfficeHasIntakeData(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := demo.CreateOffice(ctx, db, demo.Options{Persons: 100, Password: "Prova-Cartella-2026", Params: vault.MinParams})
	if err != nil {
		t.Fatal(err)
	}
	var accesses, diary, docs, refs, consents int
	for i := 0; i < s.PersonCount(); i++ {
		p, _ := s.PersonAt(i)
		a, _ := s.Accesses(ctx, p.ID)
		d, _ := s.Diary(ctx, p.ID, store.DiaryFilter{})
		at, _ := s.Attachments(ctx, p.ID)
		r, _ := s.ReferencePersons(ctx, p.ID)
		accesses, diary, docs, refs = accesses+len(a), diary+len(d), docs+len(at), refs+len(r)
		if !p.NoConsent {
			consents++
		}
	}
	for name, n := range map[string]int{"accesses": accesses, "diary entries": diary, "documents": docs, "reference persons": refs, "consents": consents} {
		if n == 0 {
			t.Errorf("demo office has no %s", name)
		}
	}
}
