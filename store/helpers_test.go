package store_test

import (
	"context"
	"testing"
	"time"

	"cartella/store"
	"cartella/store/vault"
)

const (
	testUser     = "mrossi"
	testPassword = "Cavallo-Batteria-42"
)

// newOffice creates an office in a fresh folder of t.TempDir(), with the
// cheapest Argon2id parameters allowed so that tests stay fast.
func newOffice(t testing.TB) (*store.DB, *store.Session, string) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(ctx, dir, store.Options{})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	s, code, err := db.CreateOffice(ctx, store.OfficeSetup{
		Office:   store.Office{Name: "Servizi Sociali di Prova", ComuneCode: "D612", SIUSSCode: "048017"},
		Operator: store.Operator{Username: testUser, GivenName: "Maria", Surname: "Rossi", CodiceFiscale: "RSSMRA68A41H501C"},
		Password: testPassword,
		Params:   vault.MinParams,
	})
	if err != nil {
		t.Fatalf("create office: %v", err)
	}
	return db, s, code
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// samplePerson is a valid person with every field set.
func samplePerson() store.Person {
	return store.Person{
		Surname:       "Caccamo",
		GivenName:     "Fabio",
		Sex:           "M",
		BirthDate:     date(1985, 4, 3),
		BirthPlace:    "L219",
		CodiceFiscale: "CCCFBA85D03L219P",
		Citizenship:   "100",
		Residence:     store.Address{ComuneCode: "D612", Street: "Via Roma 12", CAP: "50123"},
		Consent:       store.Consent{Recorded: true, Given: true, Date: date(2026, 3, 2)},
	}
}
