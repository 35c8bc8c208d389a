package widgets

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"cartella/assets"
	"cartella/store/codicefiscale"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Time
		wantErr string
	}{
		{"", time.Time{}, ""},
		{"03/04/1985", time.Date(1985, 4, 3, 0, 0, 0, 0, time.UTC), ""},
		{"3/4/1985", time.Date(1985, 4, 3, 0, 0, 0, 0, time.UTC), ""},
		{"03-04-1985", time.Date(1985, 4, 3, 0, 0, 0, 0, time.UTC), ""},
		{"29/02/2024", time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), ""},
		{"29/02/2023", time.Time{}, "non esiste"},
		{"31/04/2020", time.Time{}, "non esiste"},
		{"00/01/2020", time.Time{}, "non esiste"},
		{"01/13/2020", time.Time{}, "mese 13"},
		{"01/01/85", time.Time{}, "quattro cifre"},
		{"ieri", time.Time{}, "gg/mm/aaaa"},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseDate(%q) err = %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("ParseDate(%q) = %v, %v", tt.in, got, err)
		}
	}
	if FormatDate(time.Date(1985, 4, 3, 0, 0, 0, 0, time.UTC)) != "03/04/1985" || FormatDate(time.Time{}) != "" {
		t.Error("FormatDate")
	}
}

func TestPlaceEntryKeyboard(t *testing.T) {
	test.NewTempApp(t)
	pe := NewPlaceEntry(assets.LoadPlaces())
	w := test.NewTempWindow(t, pe)
	w.Resize(fyne.NewSize(400, 300))
	test.Type(pe, "san giuliano ter")
	if len(pe.Choices()) == 0 {
		t.Fatal("no suggestions")
	}
	pe.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	pe.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
	pe.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if pe.Code() != "A562" {
		t.Fatalf("picked %q %q", pe.Code(), pe.Text)
	}
	// Typing again forgets the pick until a new one is made.
	test.Type(pe, "x")
	if pe.Code() != "" {
		t.Error("stale pick kept after typing")
	}
	// A ceased state is offered for an old date only.
	pe.At = func() time.Time { return time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC) }
	pe.SetText("")
	test.Type(pe, "jugoslavia")
	found := false
	for _, c := range pe.Choices() {
		found = found || c.Key == "Z118"
	}
	if !found {
		t.Error("Z118 not offered for 1980")
	}
	pe.SetCode("H501")
	if pe.Code() != "H501" || !strings.Contains(pe.Text, "Roma") {
		t.Errorf("SetCode: %q %q", pe.Code(), pe.Text)
	}
}

func TestCFEntryValidation(t *testing.T) {
	test.NewTempApp(t)
	e := NewCFEntry(assets.LoadPlaces())
	for _, tt := range []struct {
		code string
		ok   bool
	}{
		{"", true},
		{"CCCFBA85D03L219P", true},
		{"cccfba85d03l219p", true},
		{"CCCFBA85D03L21VE", true}, // omocodia
		{"CCCFBA85D03L219Q", false},
		{"12345678903", true},
		{"12345678904", false},
	} {
		e.SetText(tt.code)
		if err := e.Validate(); (err == nil) != tt.ok {
			t.Errorf("%q: err = %v", tt.code, err)
		}
	}
	born := time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)
	code, err := codicefiscale.Compute("Petrovic", "Dragan", 'M', born, "Z118")
	if err != nil {
		t.Fatal(err)
	}
	e.BirthHint = func() time.Time { return born }
	e.SetText(code)
	if err := e.Validate(); err == nil || !strings.Contains(err.Error(), "Z118") {
		t.Errorf("Z118 for a person born in 2010: %v", err)
	}
}

func TestCodeSelectKeepsRetiredValueOnOldRecords(t *testing.T) {
	test.NewTempApp(t)
	l := assets.CodeList{Name: "x", Codes: []assets.Code{{Code: "A", Label: "Alfa"}, {Code: "B", Label: "Beta", Retired: true}}}
	cs := NewCodeSelect(l)
	if len(cs.Options) != 1 {
		t.Fatalf("retired value offered for new records: %v", cs.Options)
	}
	cs.SetCode("B")
	if cs.Code() != "B" || !strings.Contains(cs.Selected, "non più in uso") {
		t.Errorf("old record value: %q %q", cs.Code(), cs.Selected)
	}
	cs.SetCode("A")
	if cs.Code() != "A" {
		t.Error("SetCode A")
	}
	cc := NewCodeChecks(l)
	cc.SetCodes([]string{"A", "B"})
	if got := cc.Codes(); len(got) != 2 {
		t.Errorf("checks: %v", got)
	}
}
