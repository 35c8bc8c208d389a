package store_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"cartella/store"
)

func intPtr(i int) *int { return &i }

// fullAccess sets every field of an access.
func fullAccess(personID store.ID) store.Access {
	return store.Access{
		PersonID:      personID,
		Date:          date(2026, 11, 20),
		Mode:          "PERSONA",
		Reason:        firstCode(store.ListMotivoAccesso),
		ReasonNotes:   "chiede aiuto per l'affitto",
		Interlocutors: []string{"a", "b"},
		ReferredBy:    "medico di base",
		Intake: store.Intake{
			SecondCitizenship: "235",
			CountryOfOrigin:   "Z129",
			ItalianLevel:      "BUONA",
			Permit:            store.Permit{Type: "1", Reason: "LAVORO", Number: "AB123", Expires: date(2027, 1, 10)},
			MigrationHistory:  "arrivata nel 2015",
			MaritalStatus:     "2",
			Domicile:          store.Address{ComuneCode: "D612", Street: "Via Dante 3", CAP: "50121"},
			Contacts:          store.Contacts{Phone: "055 123456", Mobile: "333 1234567", Email: "anna@example.org"},
			GP:                "dott. Bianchi",
			HealthCard:        "80380000000000000001",
			DisabilityPercent: intPtr(46),
			Education:         "C",
			Employment:        "DISOCCUPATO",
			Profession:        "commessa",
			Sector:            "G",
			FamilyType:        "MONOGENITORE",
			Housing:           store.Housing{Type: "APPARTAMENTO", Rooms: 3, Tenure: "AFFITTO", Owner: "PRIVATO"},
		},
		Needs:      []string{"ECONOMICO", "ABITATIVO"},
		NeedsNotes: "sfratto annunciato",
		Services:   []store.ServiceRequest{{Service: "A01", Notes: "contributo affitto"}},
		Outcome:    store.Outcome{TakeChargeType: firstCode(store.ListTipologiaPresaInCarico), UserArea: "POV", Signalled: true, SignalledOn: date(2026, 11, 21), Office: "Ufficio povertà", Notes: "da rivedere a gennaio"},
	}
}

func firstCode(list string) string {
	l, ok := assetsList(list)
	if !ok || len(l) == 0 {
		return ""
	}
	return l[0]
}

func TestAccessRoundTripEveryField(t *testing.T) {
	_, s, _ := newOffice(t)
	ctx := context.Background()
	p, err := s.SavePerson(ctx, samplePerson())
	if err != nil {
		t.Fatal(err)
	}
	want := fullAccess(p.ID)
	saved, err := s.SaveAccess(ctx, want)
	if err != nil {
		t.Fatalf("save: %v", err)
	}
	list, err := s.Accesses(ctx, p.ID)
	if err != nil || len(list) != 1 {
		t.Fatalf("accesses = %d, %v", len(list), err)
	}
	got := list[0]
	want.ID, want.OperatorID, want.OperatorName = saved.ID, saved.OperatorID, saved.OperatorName
	tests := []struct {
		field     string
		got, want any
	}{
		{"Date", got.Date, want.Date}, {"Mode", got.Mode, want.Mode}, {"Reason", got.Reason, want.Reason},
		{"ReasonNotes", got.ReasonNotes, want.ReasonNotes}, {"Interlocutors", got.Interlocutors, want.Interlocutors},
		{"ReferredBy", got.ReferredBy, want.ReferredBy}, {"OperatorID", got.OperatorID, s.Operator().ID},
		{"OperatorName", got.OperatorName, s.Operator().FullName()}, {"PersonID", got.PersonID, p.ID},
		{"CreatedAt", got.CreatedAt.IsZero(), false}, {"UpdatedAt", got.UpdatedAt.IsZero(), false},
		{"Intake.SecondCitizenship", got.Intake.SecondCitizenship, want.Intake.SecondCitizenship},
		{"Intake.CountryOfOrigin", got.Intake.CountryOfOrigin, want.Intake.CountryOfOrigin},
		{"Intake.ItalianLevel", got.Intake.ItalianLevel, want.Intake.ItalianLevel},
		{"Intake.Permit", got.Intake.Permit, want.Intake.Permit},
		{"Intake.MigrationHistory", got.Intake.MigrationHistory, want.Intake.MigrationHistory},
		{"Intake.MaritalStatus", got.Intake.MaritalStatus, want.Intake.MaritalStatus},
		{"Intake.Domicile", got.Intake.Domicile, want.Intake.Domicile},
		{"Intake.Contacts", got.Intake.Contacts, want.Intake.Contacts},
		{"Intake.GP", got.Intake.GP, want.Intake.GP}, {"Intake.HealthCard", got.Intake.HealthCard, want.Intake.HealthCard},
		{"Intake.DisabilityPercent", *got.Intake.DisabilityPercent, *want.Intake.DisabilityPercent},
		{"Intake.Education", got.Intake.Education, want.Intake.Education},
		{"Intake.Employment", got.Intake.Employment, want.Intake.Employment},
		{"Intake.Profession", got.Intake.Profession, want.Intake.Profession},
		{"Intake.Sector", got.Intake.Sector, want.Intake.Sector},
		{"Intake.FamilyType", got.Intake.FamilyType, want.Intake.FamilyType},
		{"Intake.Housing", got.Intake.Housing, want.Intake.Housing},
		{"Needs", got.Needs, want.Needs}, {"NeedsNotes", got.NeedsNotes, want.NeedsNotes},
		{"Services", got.Services, want.Services}, {"Outcome", got.Outcome, want.Outcome},
	}
	for _, tt := range tests {
		if !reflect.DeepEqual(tt.got, tt.want) {
			t.Errorf("%s = %v, want %v", tt.field, tt.got, tt.want)
		}
	}
	if n := reflect.TypeOf(store.Intake{}).NumField(); n != 17 {
		t.Errorf("Intake has %d fields; extend this test", n)
	}
	if n := reflect.TypeOf(store.Access{}).NumField(); n != 17 {
		t.Errorf("Access has %d fields; extend this test", n)
	}
	// A new access is prefilled with the last intake, dated today.
	next, err := s.NewAccess(ctx, p.ID)
	if err != nil || !reflect.DeepEqual(next.Intake, want.Intake) || next.ID != (store.ID{}) {
		t.Errorf("new access not prefilled: %+v, %v", next.Intake, err)
	}
}

func TestAccessValidation(t *testing.T) {
	_, s, _ := newOffice(t)
	ctx := context.Background()
	p, _ := s.SavePerson(ctx, samplePerson())
	tests := []struct {
		name  string
		edit  func(*store.Access)
		field string
	}{
		{"no date", func(a *store.Access) { a.Date = time.Time{} }, "Date"},
		{"future date", func(a *store.Access) { a.Date = time.Now().AddDate(0, 1, 0) }, "Date"},
		{"no mode", func(a *store.Access) { a.Mode = "" }, "Mode"},
		{"unknown mode", func(a *store.Access) { a.Mode = "TELEPATIA" }, "Mode"},
		{"invalidity 120%", func(a *store.Access) { a.Intake.DisabilityPercent = intPtr(120) }, "DisabilityPercent"},
		{"bad e-mail", func(a *store.Access) { a.Intake.Contacts.Email = "anna at example" }, "Email"},
		{"signalled without area", func(a *store.Access) { a.Outcome.UserArea = "" }, "UserArea"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := fullAccess(p.ID)
			tt.edit(&a)
			_, err := s.SaveAccess(ctx, a)
			if v, ok := store.AsValidation(err); !ok || v.For(tt.field) == "" {
				t.Fatalf("err = %v, want a message for %s", err, tt.field)
			}
			if l, _ := s.Accesses(ctx, p.ID); len(l) != 0 {
				t.Error("invalid access saved")
			}
		})
	}
}

func TestPermitWarning(t *testing.T) {
	now := date(2026, 11, 23)
	for _, tt := range []struct {
		exp  time.Time
		want string
	}{
		{time.Time{}, ""},
		{date(2026, 11, 1), "scaduto"},
		{date(2027, 1, 10), "in scadenza"},
		{date(2027, 6, 1), ""},
	} {
		in := store.Intake{Permit: store.Permit{Expires: tt.exp}}
		got := in.PermitWarning(now)
		if (tt.want == "") != (got == "") || tt.want != "" && !bytes.Contains([]byte(got), []byte(tt.want)) {
			t.Errorf("PermitWarning(%v) = %q, want %q", tt.exp, got, tt.want)
		}
	}
}

func TestReferencePersons(t *testing.T) {
	_, s, _ := newOffice(t)
	ctx := context.Background()
	p, _ := s.SavePerson(ctx, samplePerson())
	q := samplePerson()
	q.GivenName, q.CodiceFiscale = "Giulia", ""
	q.Sex = "F"
	other, _ := s.SavePerson(ctx, q)
	if _, err := s.SaveReferencePerson(ctx, store.ReferencePerson{PersonID: p.ID, Role: store.RoleFamiliare, Name: "Anna"}); err == nil {
		t.Error("relative without kinship accepted")
	}
	r, err := s.SaveReferencePerson(ctx, store.ReferencePerson{PersonID: p.ID, Role: store.RoleFamiliare, Kinship: "3", Linked: other.ID,
		Contacts: store.Contacts{Mobile: "333 000"}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Name != "Caccamo Giulia" {
		t.Errorf("linked name %q", r.Name)
	}
	if _, err := s.SaveReferencePerson(ctx, store.ReferencePerson{PersonID: p.ID, Role: "TUTORE", Name: "Avv. Neri"}); err != nil {
		t.Fatal(err)
	}
	refs, _ := s.ReferencePersons(ctx, p.ID)
	if len(refs) != 2 {
		t.Fatalf("refs %d", len(refs))
	}
	if err := s.RemoveReferencePerson(ctx, refs[0]); err != nil {
		t.Fatal(err)
	}
	if refs, _ = s.ReferencePersons(ctx, p.ID); len(refs) != 1 {
		t.Errorf("after removal %d", len(refs))
	}
}

func TestDiaryVisibility(t *testing.T) {
	db, s, _ := newOffice(t)
	ctx := context.Background()
	p, _ := s.SavePerson(ctx, samplePerson())
	priv, err := s.AddDiaryEntry(ctx, store.DiaryEntry{PersonID: p.ID, Date: date(2026, 11, 1), Private: true, Text: "colloquio riservato: violenza domestica"})
	if err != nil {
		t.Fatal(err)
	}
	pub, err := s.AddDiaryEntry(ctx, store.DiaryEntry{PersonID: p.ID, Date: date(2026, 11, 5), Text: "consegnati i buoni spesa"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddDiaryEntry(ctx, store.DiaryEntry{PersonID: p.ID, Date: date(2026, 11, 6), Text: "correzione: buoni spesa consegnati il 4/11", Corrects: pub.ID}); err != nil {
		t.Fatal(err)
	}
	all, _ := s.Diary(ctx, p.ID, store.DiaryFilter{})
	if len(all) != 3 || all[0].Corrects != pub.ID || all[2].ID != priv.ID {
		t.Fatalf("diary = %+v", all)
	}
	if c := store.CorrectedBy(all); len(c[pub.ID]) != 1 {
		t.Errorf("correction not linked")
	}
	if got, _ := s.Diary(ctx, p.ID, store.DiaryFilter{Visibility: "private"}); len(got) != 1 {
		t.Errorf("private filter %d", len(got))
	}
	if got, _ := s.Diary(ctx, p.ID, store.DiaryFilter{From: date(2026, 11, 4), To: date(2026, 11, 5)}); len(got) != 1 || got[0].ID != pub.ID {
		t.Errorf("period filter %+v", got)
	}
	// An amministrativo never sees private entries, and cannot write them.
	if _, err := s.AddOperator(ctx, store.Operator{Username: "amm1", GivenName: "Luca", Surname: "Bianchi", Role: store.RoleAmministrativo}, "Temporanea-2026!"); err != nil {
		t.Fatal(err)
	}
	a, err := db.Login(ctx, "amm1", "Temporanea-2026!")
	if err != nil {
		t.Fatal(err)
	}
	seen, err := a.Diary(ctx, p.ID, store.DiaryFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range seen {
		if e.Private {
			t.Fatal("amministrativo sees a private entry")
		}
	}
	if len(seen) != 2 {
		t.Errorf("amministrativo sees %d entries, want 2 public", len(seen))
	}
	if got, _ := a.Diary(ctx, p.ID, store.DiaryFilter{Visibility: "private"}); len(got) != 0 {
		t.Error("private filter leaks to amministrativo")
	}
	if _, err := a.AddDiaryEntry(ctx, store.DiaryEntry{PersonID: p.ID, Date: date(2026, 11, 7), Private: true, Text: "x"}); !errors.Is(err, store.ErrForbidden) {
		t.Errorf("amministrativo wrote a private entry: %v", err)
	}
}

func TestAttachment20MBRoundTripSealedAndViewingFolderEmptiedOnLock(t *testing.T) {
	db, s, _ := newOffice(t)
	ctx := context.Background()
	p, _ := s.SavePerson(ctx, samplePerson())
	data := make([]byte, store.MaxAttachmentSize)
	rand.Read(data)
	marker := []byte("DOCUMENTO-RISERVATO-QUATTROCCHI-2026")
	for off := 0; off+len(marker) < len(data); off += 1 << 20 {
		copy(data[off:], marker) // a recognisable plaintext in every chunk
	}
	a, err := s.AddAttachment(ctx, p.ID, store.Attachment{Name: "scansione ISEE.pdf"}, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddAttachment(ctx, p.ID, store.Attachment{Name: "troppo.pdf"}, bytes.NewReader(make([]byte, store.MaxAttachmentSize+1))); !errors.Is(err, store.ErrAttachmentTooBig) {
		t.Errorf("oversize accepted: %v", err)
	}
	list, err := s.Attachments(ctx, p.ID)
	if err != nil || len(list) != 1 || list[0].Size != int64(len(data)) {
		t.Fatalf("list %+v %v", list, err)
	}
	var out bytes.Buffer
	if err := s.WriteAttachment(ctx, list[0], &out); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), data) {
		t.Fatal("attachment not byte-identical")
	}
	path, err := s.OpenForViewing(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); !bytes.Equal(b, data) {
		t.Fatal("viewing copy differs")
	}
	// Never in clear in the database file or its WAL.
	for _, name := range []string{store.DBFileName, store.DBFileName + "-wal"} {
		b, _ := os.ReadFile(filepath.Join(db.Dir(), name))
		if bytes.Contains(b, marker) {
			t.Errorf("%s contains the document in clear", name)
		}
	}
	s.Lock()
	if entries, err := os.ReadDir(db.ViewingDir()); err == nil && len(entries) > 0 {
		t.Errorf("viewing folder not emptied on lock: %d entries", len(entries))
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("viewing copy still there after lock")
	}
}
