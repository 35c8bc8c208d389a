package store_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"cartella/assets"
	"cartella/export/xlsx"
	"cartella/store"
)

// importCSV reads a generated Anagrafe export through the real parser.
func importCSV(t testing.TB, n int, seed uint64) ([]store.ImportRow, []xlsx.RowError, []int) {
	t.Helper()
	var b bytes.Buffer
	bad, err := xlsx.GenerateAnagrafeCSV(&b, n, 0.02, seed, assets.LoadPlaces())
	if err != nil {
		t.Fatal(err)
	}
	tab, err := xlsx.ReadTable(&b, "anagrafe.csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, errs := xlsx.ParseRows(tab, xlsx.GuessMapping(tab.Header), assets.LoadPlaces(), time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
	out := make([]store.ImportRow, len(rows))
	for i, r := range rows {
		out[i] = store.ImportRow{Line: r.Line, FamilyID: r.FamilyID, Relationship: r.Relationship, Person: store.Person{
			Surname: r.Surname, GivenName: r.GivenName, Sex: r.Sex, BirthDate: r.BirthDate, BirthPlace: r.BirthPlace,
			CodiceFiscale: r.CodiceFiscale, Citizenship: r.Citizenship,
			Residence: store.Address{ComuneCode: r.ResidenceComune, Street: r.Street, CAP: r.CAP}}}
	}
	return out, errs, bad
}

func TestAnagrafeImport10kIdempotent(t *testing.T) {
	_, s, _ := newOffice(t)
	ctx := context.Background()
	n := 10_000
	if testing.Short() {
		n = 1500
	}
	rows, errs, bad := importCSV(t, n, 5)
	if len(errs) != len(bad) {
		t.Fatalf("%d row errors for %d bad rows", len(errs), len(bad))
	}
	for i, e := range errs {
		if e.Line != bad[i] || e.Reason == "" {
			t.Fatalf("error %d = %+v, want line %d", i, e, bad[i])
		}
	}
	if len(rows)+len(errs) != n {
		t.Fatalf("rows %d + errors %d != %d", len(rows), len(errs), n)
	}
	plan, err := s.PlanImport(ctx, rows)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.New) != len(rows) || plan.Households == 0 {
		t.Fatalf("plan: new %d of %d, households %d", len(plan.New), len(rows), plan.Households)
	}
	start := time.Now()
	var last int
	res, err := s.ApplyImport(ctx, plan, nil, func(done, total int) { last = done })
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("import of %d rows: %v", len(rows), time.Since(start))
	if res.Created != len(rows) || res.Households != plan.Households || last == 0 {
		t.Fatalf("result %+v, households planned %d", res, plan.Households)
	}
	if s.PersonCount() != len(rows) {
		t.Fatalf("persons %d", s.PersonCount())
	}
	// A household lists its members with their relationship.
	p0, _ := s.PersonByCF(ctx, rows[0].Person.CodiceFiscale)
	hs, err := s.Households(ctx, p0.ID)
	if err != nil || len(hs) != 1 || len(hs[0].Members) == 0 {
		t.Fatalf("households of the first person: %+v %v", hs, err)
	}
	// Twice: nothing changes.
	plan2, err := s.PlanImport(ctx, rows)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan2.New) != 0 || len(plan2.Changed) != 0 || len(plan2.Unchanged) != len(rows) {
		t.Fatalf("second plan: new %d changed %d unchanged %d", len(plan2.New), len(plan2.Changed), len(plan2.Unchanged))
	}
	res2, err := s.ApplyImport(ctx, plan2, nil, nil)
	if err != nil || res2 != (store.ImportResult{}) {
		t.Fatalf("second import wrote %+v, %v", res2, err)
	}
	if s.PersonCount() != len(rows) {
		t.Fatalf("persons after second import %d", s.PersonCount())
	}
}

func TestAnagrafeImportChangesNeedConfirmation(t *testing.T) {
	_, s, _ := newOffice(t)
	ctx := context.Background()
	rows, _, _ := importCSV(t, 60, 9)
	plan, _ := s.PlanImport(ctx, rows)
	if _, err := s.ApplyImport(ctx, plan, nil, nil); err != nil {
		t.Fatal(err)
	}
	moved := rows[0]
	moved.Person.Residence.Street = "Via Nuova 1"
	plan, _ = s.PlanImport(ctx, []store.ImportRow{moved})
	if len(plan.Changed) != 1 || plan.Changed[0].Fields[0] != "indirizzo" {
		t.Fatalf("plan %+v", plan.Changed)
	}
	// Not confirmed: nothing changes.
	if _, err := s.ApplyImport(ctx, plan, nil, nil); err != nil {
		t.Fatal(err)
	}
	p, _ := s.PersonByCF(ctx, moved.Person.CodiceFiscale)
	if p.Residence.Street == "Via Nuova 1" {
		t.Fatal("unconfirmed change applied")
	}
	res, err := s.ApplyImport(ctx, plan, map[int]bool{moved.Line: true}, nil)
	if err != nil || res.Updated != 1 {
		t.Fatalf("confirmed: %+v %v", res, err)
	}
	p, _ = s.PersonByCF(ctx, moved.Person.CodiceFiscale)
	if p.Residence.Street != "Via Nuova 1" {
		t.Error("confirmed change not applied")
	}
}

func TestAnagrafeImportCancelLeavesWholeHouseholds(t *testing.T) {
	_, s, _ := newOffice(t)
	rows, _, _ := importCSV(t, 3000, 21)
	ctx, cancel := context.WithCancel(context.Background())
	plan, _ := s.PlanImport(context.Background(), rows)
	res, err := s.ApplyImport(ctx, plan, nil, func(done, total int) {
		if done > 0 {
			cancel() // after the first batch
		}
	})
	if err != nil || !res.Cancelled {
		t.Fatalf("res %+v err %v", res, err)
	}
	if res.Created == 0 || res.Created >= len(rows) {
		t.Fatalf("created %d of %d", res.Created, len(rows))
	}
	// Every household present has all its members from the file.
	byFam := map[string]int{}
	for _, r := range rows {
		byFam[r.FamilyID]++
	}
	seen := map[store.ID]bool{}
	for i := 0; i < s.PersonCount(); i++ {
		sum, _ := s.PersonAt(i)
		hs, err := s.Households(context.Background(), sum.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hs {
			if seen[h.ID] {
				continue
			}
			seen[h.ID] = true
			if len(h.Members) != byFam[h.FamilyID] {
				t.Fatalf("household %s has %d of %d members", h.FamilyID, len(h.Members), byFam[h.FamilyID])
			}
		}
	}
}
