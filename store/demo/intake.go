package demo

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"cartella/assets"
	"cartella/store"
)

var diaryTexts = []string{
	"Colloquio in ufficio: la persona riferisce difficoltà a pagare l'affitto degli ultimi due mesi.",
	"Telefonata con il medico di base: concordata visita domiciliare per la prossima settimana.",
	"Consegnati i buoni spesa del mese; la persona ringrazia.",
	"Visita domiciliare: abitazione in ordine, presenti la figlia e un vicino.",
	"Inviata richiesta di valutazione al servizio disabili dell'ASL.",
	"La persona non si è presentata all'appuntamento; richiamata, fissato nuovo incontro.",
	"Riunione con la scuola sulla frequenza del figlio minore.",
	"Aggiornato l'ISEE: presentata nuova DSU al CAF.",
}

var refNames = []string{"Anna Rossi", "Giorgio Bianchi", "Maria Conti", "Avv. Paolo Neri", "Lucia Ferri", "Don Carlo Sala"}

// fillIntake gives the first persons of a demo office accesses with their
// intake, reference persons, diary entries, a consent and a document, so
// that the Segretariato screens have something real to show.
func fillIntake(ctx context.Context, s *store.Session, g *Generator, n int) error {
	lists := func(name string) []assets.Code { l, _ := s.CodeList(ctx, name); return l.Active() }
	pick := func(cs []assets.Code) string { return cs[g.r.IntN(len(cs))].Code }
	modes, reasons := lists(store.ListModalitaAccesso), lists(store.ListMotivoAccesso)
	marital, family := lists(store.ListStatoCivile), lists(store.ListTipologiaFamiliare)
	housing, tenure, owner := lists(store.ListTipoAbitazione), lists(store.ListTitoloGodimento), lists(store.ListTipoProprietario)
	education, employment, sector := lists(store.ListTitoloStudio), lists(store.ListCondizioneLavorativa), lists(store.ListSettoreImpiego)
	needs, takeCharge, areas := lists(store.ListBisogni), lists(store.ListTipologiaPresaInCarico), lists(store.ListAreaUtenza)
	roles, kin := lists(store.ListRuoloRiferimento), lists(store.ListParentela)
	catalogue := assets.Catalogue()
	now := time.Now()
	for i := 0; i < min(n, s.PersonCount()); i++ {
		sum, _ := s.PersonAt(i * 7 % s.PersonCount())
		p, err := s.Person(ctx, sum.ID)
		if err != nil {
			return err
		}
		for k := 0; k < 1+g.r.IntN(3); k++ {
			day := now.AddDate(0, -g.r.IntN(30), -g.r.IntN(28))
			a, err := s.NewAccess(ctx, p.ID)
			if err != nil {
				return err
			}
			a.Date = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
			a.Mode, a.Reason = pick(modes), pick(reasons)
			a.ReasonNotes = "richiesta di aiuto presentata allo sportello"
			in := &a.Intake
			in.MaritalStatus, in.FamilyType = pick(marital), pick(family)
			in.Housing = store.Housing{Type: pick(housing), Rooms: 1 + g.r.IntN(5), Tenure: pick(tenure), Owner: pick(owner)}
			in.Education, in.Employment, in.Sector = pick(education), pick(employment), pick(sector)
			in.Contacts = store.Contacts{Mobile: fmt.Sprintf("3%02d %07d", 20+g.r.IntN(80), g.r.IntN(10_000_000))}
			in.GP = "dott. " + g.pick(surnames)
			if p.Citizenship != "100" {
				in.CountryOfOrigin = p.BirthPlace
				in.Permit = store.Permit{Type: "1", Expires: now.AddDate(0, g.r.IntN(14)-2, 0).Truncate(24 * time.Hour)}
				in.MigrationHistory = "Arrivata/o in Italia per lavoro; ricongiungimento familiare in corso."
			}
			a.Needs = []string{pick(needs), pick(needs)}
			if a.Needs[0] == a.Needs[1] {
				a.Needs = a.Needs[:1]
			}
			area := catalogue[g.r.IntN(len(catalogue))]
			a.Services = []store.ServiceRequest{{Service: area.Services[g.r.IntN(len(area.Services))].Code, Notes: "da valutare"}}
			a.Outcome = store.Outcome{TakeChargeType: pick(takeCharge), UserArea: pick(areas)}
			if _, err := s.SaveAccess(ctx, a); err != nil {
				return fmt.Errorf("demo access: %w", err)
			}
		}
		role := roles[g.r.IntN(len(roles))].Code
		r := store.ReferencePerson{PersonID: p.ID, Name: g.pick(refNames), Role: role,
			Contacts: store.Contacts{Mobile: fmt.Sprintf("347 %07d", g.r.IntN(10_000_000))}}
		if role == store.RoleFamiliare {
			r.Kinship = kin[1+g.r.IntN(len(kin)-1)].Code
		}
		if _, err := s.SaveReferencePerson(ctx, r); err != nil {
			return fmt.Errorf("demo reference person: %w", err)
		}
		for k := 0; k < 2+g.r.IntN(4); k++ {
			d := now.AddDate(0, 0, -g.r.IntN(300))
			if _, err := s.AddDiaryEntry(ctx, store.DiaryEntry{PersonID: p.ID, Date: time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC),
				Private: g.r.IntN(3) == 0, Text: g.pick(diaryTexts)}); err != nil {
				return fmt.Errorf("demo diary: %w", err)
			}
		}
		if g.r.IntN(4) > 0 {
			p.Consent = store.Consent{Recorded: true, Given: true, Date: time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)}
			if _, err := s.SavePerson(ctx, p); err != nil {
				return err
			}
		}
		if i%5 == 0 {
			doc := fmt.Appendf(nil, "%%PDF-1.4\n%% documento dimostrativo di %s\n", p.FullName())
			if _, err := s.AddAttachment(ctx, p.ID, store.Attachment{Name: "documento-identita.pdf", Type: "DOC_IDENTITA"}, bytes.NewReader(doc)); err != nil {
				return err
			}
		}
	}
	return nil
}
