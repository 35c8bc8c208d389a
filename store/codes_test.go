package store_test

import (
	"context"
	"errors"
	"testing"

	"cartella/store"
)

func TestCodeListsExtendAndRetire(t *testing.T) {
	db, s, _ := newOffice(t)
	ctx := context.Background()
	p, _ := s.SavePerson(ctx, samplePerson())
	a := fullAccess(p.ID)
	a.Mode = "EMAIL"
	if _, err := s.SaveAccess(ctx, a); err != nil {
		t.Fatal(err)
	}
	// Add a value, then retire an existing one.
	if err := s.SetCode(ctx, store.ListModalitaAccesso, "WHATSAPP", "Messaggio WhatsApp", false); err != nil {
		t.Fatal(err)
	}
	if err := s.SetCode(ctx, store.ListModalitaAccesso, "EMAIL", "E-mail o PEC", true); err != nil {
		t.Fatal(err)
	}
	l, err := s.CodeList(ctx, store.ListModalitaAccesso)
	if err != nil {
		t.Fatal(err)
	}
	if l.Label("WHATSAPP") != "Messaggio WhatsApp" {
		t.Error("added value missing")
	}
	for _, c := range l.Active() {
		if c.Code == "EMAIL" {
			t.Error("retired value still offered")
		}
	}
	if l.Label("EMAIL") == "" {
		t.Error("retired value no longer readable")
	}
	// The old access still validates and reads; a new one may use the new value.
	got, _ := s.Accesses(ctx, p.ID)
	if _, err := s.SaveAccess(ctx, got[0]); err != nil {
		t.Errorf("old access with a retired value no longer saves: %v", err)
	}
	b := fullAccess(p.ID)
	b.Mode = "WHATSAPP"
	if _, err := s.SaveAccess(ctx, b); err != nil {
		t.Errorf("new value refused: %v", err)
	}
	if err := s.SetCode(ctx, "non-esiste", "X", "Y", false); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown list: %v", err)
	}
	// Only a responsabile.
	if _, err := s.AddOperator(ctx, store.Operator{Username: "ass1", GivenName: "Sara", Surname: "Neri", Role: store.RoleAssistenteSociale}, "Temporanea-2026!"); err != nil {
		t.Fatal(err)
	}
	as, _ := db.Login(ctx, "ass1", "Temporanea-2026!")
	if err := as.SetCode(ctx, store.ListModalitaAccesso, "X1", "X", false); !errors.Is(err, store.ErrForbidden) {
		t.Errorf("assistente sociale changed a list: %v", err)
	}
}

func TestCatalogueExtendAndRetire(t *testing.T) {
	_, s, _ := newOffice(t)
	ctx := context.Background()
	cat, err := s.Catalogue(ctx)
	if err != nil || len(cat) != 12 {
		t.Fatalf("catalogue %d %v", len(cat), err)
	}
	area, old := cat[0].Code, cat[0].Services[0]
	if err := s.SetService(ctx, area, "L01", "Sportello di ascolto locale", "", false); err != nil {
		t.Fatal(err)
	}
	if err := s.SetService(ctx, area, old.Code, old.Label, old.SIUSSCode, true); err != nil {
		t.Fatal(err)
	}
	cat, _ = s.Catalogue(ctx)
	var added, retired bool
	for _, sv := range cat[0].Services {
		added = added || sv.Code == "L01"
		retired = retired || sv.Code == old.Code && sv.Retired
	}
	if !added || !retired {
		t.Errorf("added %v retired %v", added, retired)
	}
	if store.ServiceLabel(cat, old.Code) == old.Code {
		t.Error("retired service no longer readable")
	}
}
