package codicefiscale

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func TestCompute(t *testing.T) {
	tests := []struct {
		surname, name string
		sex           byte
		birth         time.Time
		place, want   string
	}{
		{"Caccamo", "Fabio", 'M', date(1985, 4, 3), "L219", "CCCFBA85D03L219P"},
		{"Bruno", "Giovanni", 'M', date(1971, 2, 26), "L219", "BRNGNN71B26L219T"},
		{"Gomba", "Alessandro", 'M', date(1984, 1, 5), "G674", "GMBLSN84A05G674H"},
		{"Martini", "Maria", 'F', date(1983, 12, 16), "A269", "MRTMRA83T56A269B"},
		{"Panella", "Michele", 'M', date(1979, 10, 27), "I158", "PNLMHL79R27I158P"},
		{"Rossi", "Mario", 'M', date(1985, 12, 10), "A562", "RSSMRA85T10A562S"},
		{"Ait Hadda", "Saad", 'M', date(1995, 9, 8), "Z330", "THDSDA95P08Z330H"},
		{"Belousovs", "Olegs", 'M', date(1984, 3, 22), "Z145", "BLSLGS84C22Z145O"},
		// Lower-case sex and place, time of day and zone do not matter.
		{"rossi", "mario", 'm', time.Date(1985, 12, 10, 23, 59, 0, 0, time.FixedZone("", -5*3600)), "a562", "RSSMRA85T10A562S"},
	}
	for _, tt := range tests {
		got, err := Compute(tt.surname, tt.name, tt.sex, tt.birth, tt.place)
		if err != nil || got != tt.want {
			t.Errorf("Compute(%s %s) = %q, %v; want %q", tt.surname, tt.name, got, err, tt.want)
		}
	}
}

func TestNameCodes(t *testing.T) {
	surnames := map[string]string{
		"Rossi": "RSS", "Fò": "FOX", "Lò": "LOX", "Re": "REX", "O": "OXX", "D'Angelo": "DNG",
		"Dell'Acqua": "DLL", "De Santis": "DSN", "Nicolò": "NCL", "Àèìòù": "AEI",
		"Ștefănescu": "STF", "Müller": "MLL", "Nguyễn": "NGY", "Straße": "STR", "Øie": "OIE",
		"Hadda-Ait": "HDD", "Xu": "XUX",
	}
	for in, want := range surnames {
		l, err := nameLetters(in, "Il cognome")
		if err != nil || surnameCode(l) != want {
			t.Errorf("surname %q -> %q, %v; want %q", in, surnameCode(l), err, want)
		}
	}
	names := map[string]string{
		"Alessandro": "LSN", "Giovanni": "GNN", "Michele": "MHL", "Mario": "MRA", "Fabio": "FBA",
		"Gian Marco": "GMR", "Anna Maria": "NMR", "Ugo": "GUO", "Ai": "AIX", "Lù": "LUX", "Eva": "VEA",
		"Gianfranco": "GFR", "Bianca": "BNC", "Nicolò": "NCL",
	}
	for in, want := range names {
		l, err := nameLetters(in, "Il nome")
		if err != nil || nameCode(l) != want {
			t.Errorf("name %q -> %q, %v; want %q", in, nameCode(l), err, want)
		}
	}
}

func TestComputeErrors(t *testing.T) {
	b := date(1980, 1, 1)
	tests := []struct {
		surname, name string
		sex           byte
		birth         time.Time
		place, reason string
	}{
		{"", "Mario", 'M', b, "H501", "Il cognome è obbligatorio per calcolare il codice fiscale."},
		{"  ", "Mario", 'M', b, "H501", "Il cognome è obbligatorio per calcolare il codice fiscale."},
		{"Rossi", "", 'M', b, "H501", "Il nome è obbligatorio per calcolare il codice fiscale."},
		{"Иванов", "Mario", 'M', b, "H501", "Il cognome non contiene lettere utilizzabili per il codice fiscale (sono ammesse solo lettere dell'alfabeto latino)."},
		{"Rossi", "Mario", 'X', b, "H501", "Il sesso deve essere M o F per calcolare il codice fiscale."},
		{"Rossi", "Mario", 0, b, "H501", "Il sesso deve essere M o F per calcolare il codice fiscale."},
		{"Rossi", "Mario", 'M', time.Time{}, "H501", "La data di nascita è obbligatoria per calcolare il codice fiscale."},
		{"Rossi", "Mario", 'M', b, "", "Il luogo di nascita è obbligatorio per calcolare il codice fiscale."},
		{"Rossi", "Mario", 'M', b, "Roma", "Il codice del luogo di nascita non è valido (ROMA): deve essere una lettera seguita da tre cifre."},
		{"Rossi", "Mario", 'M', b, "H5011", "Il codice del luogo di nascita non è valido (H5011): deve essere una lettera seguita da tre cifre."},
	}
	for _, tt := range tests {
		_, err := Compute(tt.surname, tt.name, tt.sex, tt.birth, tt.place)
		var e *Error
		if !errors.As(err, &e) || e.Reason != tt.reason {
			t.Errorf("Compute(%q, %q, %q, %v, %q) error = %v, want %q", tt.surname, tt.name, tt.sex, dateIT(tt.birth), tt.place, err, tt.reason)
		}
	}
}

// allPlaces accepts every code, so round trips test the algorithm alone.
type allPlaces struct{}

func (allPlaces) ValidAt(string, time.Time) bool { return true }

// TestRoundTrip computes codes for generated people and checks that they
// validate, decode to the same data and match it.
func TestRoundTrip(t *testing.T) {
	surnames := []string{"Rossi", "Bianchi", "D'Angelo", "Dell'Acqua", "De Santis", "Fò", "Lò", "Nicolò",
		"Esposito", "Mazzà", "O'Neill", "La Rosa", "Xu", "Wu", "Öztürk", "Ștefănescu", "Popescu", "Ait Hadda",
		"Nguyễn", "Bà", "Iezzi", "Aiello", "Ceccarelli", "Lo Iacono", "Sant'Ambrogio", "Eco", "Ré"}
	names := []string{"Mario", "Maria", "Alessandro", "Giovanni", "Michele", "Anna Maria", "Gian Luca", "Zoë",
		"Ugo", "Eva", "Niccolò", "Chloé", "José", "Fatima", "Mohamed", "Ion", "Ana", "Ai", "Lù", "Gianfranco",
		"Andrea", "Francesca", "Iolanda", "Jean-Pierre", "Ornella"}
	places := []string{"H501", "F205", "L219", "A562", "G674", "H223", "Z330", "Z118", "Z129", "Z100", "Z210", "Z404"}
	rng := rand.New(rand.NewPCG(2026, 11))
	start, end := date(1900, 1, 1), date(2025, 12, 31)
	days := int(end.Sub(start).Hours() / 24)
	for i := 0; i < 2000; i++ {
		sur := surnames[rng.IntN(len(surnames))]
		nam := names[rng.IntN(len(names))]
		sex := "MF"[rng.IntN(2)]
		birth := start.AddDate(0, 0, rng.IntN(days+1))
		place := places[rng.IntN(len(places))]
		code, err := Compute(sur, nam, sex, birth, place)
		if err != nil {
			t.Fatalf("Compute(%s, %s): %v", sur, nam, err)
		}
		info, err := Validate(code, allPlaces{}, birth, ref)
		if err != nil {
			t.Fatalf("Validate(%s) for %s %s %c %v %s: %v", code, sur, nam, sex, dateIT(birth), place, err)
		}
		if info.Kind != Ordinary || info.Sex != sex || !info.Birth.Equal(birth) || info.PlaceCode != place {
			t.Fatalf("%s decoded as %+v, want %c %v %s", code, info, sex, dateIT(birth), place)
		}
		if !Matches(code, sur, nam, sex, birth, place) {
			t.Fatalf("Matches(%s, %s %s %c %v %s) = false", code, sur, nam, sex, dateIT(birth), place)
		}
		// Without the hint, the century comes from ref; still right for
		// anyone younger than 100.
		if birth.After(ref.AddDate(-100, 0, 0)) {
			if info, err := Parse(code, ref); err != nil || !info.Birth.Equal(birth) {
				t.Fatalf("Parse(%s) = %v, %v; want %v", code, dateIT(info.Birth), err, dateIT(birth))
			}
		}
		if Canonical(code) != code {
			t.Fatalf("Canonical(%s) = %s", code, Canonical(code))
		}
	}
}

func TestMatches(t *testing.T) {
	const code = "CCCFBA85D03L219P"
	b := date(1985, 4, 3)
	tests := []struct {
		name                string
		code, surname, nome string
		sex                 byte
		birth               time.Time
		place               string
		want                bool
	}{
		{"all", code, "Caccamo", "Fabio", 'M', b, "L219", true},
		{"omocodia", "CCCFBA85DLPLNMVL", "Caccamo", "Fabio", 'M', b, "L219", true},
		{"accents and case", code, "CÀCCAMO", "fàbio", 'm', b, "l219", true},
		{"partial data", code, "Caccamo", "", 0, time.Time{}, "", true},
		{"surname", code, "Cicala", "Fabio", 'M', b, "L219", false},
		{"name", code, "Caccamo", "Fabia", 'M', b, "L219", true}, // FBA either way
		{"name letters", code, "Caccamo", "Flavio", 'M', b, "L219", false},
		{"sex", code, "Caccamo", "Fabio", 'F', b, "L219", false},
		{"bad sex", code, "Caccamo", "Fabio", 'X', b, "L219", false},
		{"day", code, "Caccamo", "Fabio", 'M', date(1985, 4, 4), "L219", false},
		{"month", code, "Caccamo", "Fabio", 'M', date(1985, 5, 3), "L219", false},
		{"year", code, "Caccamo", "Fabio", 'M', date(1986, 4, 3), "L219", false},
		{"other century", code, "Caccamo", "Fabio", 'M', date(1885, 4, 3), "L219", true}, // the code cannot tell
		{"place", code, "Caccamo", "Fabio", 'M', b, "H501", false},
		{"female", "MRTMRA83T56A269B", "Martini", "Maria", 'F', date(1983, 12, 16), "A269", true},
		{"female day", "MRTMRA83T56A269B", "Martini", "Maria", 'F', date(1983, 12, 17), "A269", false},
		{"wrong check", "CCCFBA85D03L219B", "Caccamo", "Fabio", 'M', b, "L219", false},
		{"provisional", "12345678903", "", "", 0, time.Time{}, "", false},
		{"garbage", "xyz", "", "", 0, time.Time{}, "", false},
	}
	for _, tt := range tests {
		if got := Matches(tt.code, tt.surname, tt.nome, tt.sex, tt.birth, tt.place); got != tt.want {
			t.Errorf("%s: Matches = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestOmocodia checks all 128 variants of one code: each is valid, decodes
// to the same person and has the same canonical form.
func TestOmocodia(t *testing.T) {
	const base = "CCCFBA85D03L219P"
	want, err := Parse(base, ref)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for mask := 0; mask < 1<<len(omocodiaPos); mask++ {
		b := []byte(base)
		for k, p := range omocodiaPos {
			if mask&(1<<k) != 0 {
				b[p] = omocodiaLetters[b[p]-'0']
			}
		}
		b[posCheck] = checkChar(string(b))
		v := string(b)
		seen[v] = true
		info, err := Parse(v, ref)
		if err != nil {
			t.Errorf("variant %s: %v", v, err)
			continue
		}
		if info.Birth != want.Birth || info.Sex != want.Sex || info.PlaceCode != want.PlaceCode {
			t.Errorf("variant %s decodes to %+v", v, info)
		}
		if c := Canonical(v); c != base {
			t.Errorf("Canonical(%s) = %s, want %s", v, c, base)
		}
		if c := Canonical(strings.ToLower(v)); c != base {
			t.Errorf("Canonical(lower %s) = %s", v, c)
		}
	}
	if len(seen) != 128 {
		t.Errorf("%d distinct variants, want 128", len(seen))
	}
}

func BenchmarkCompute(b *testing.B) {
	birth := date(1985, 4, 3)
	for b.Loop() {
		if _, err := Compute("Caccamo", "Fabio", 'M', birth, "L219"); err != nil {
			b.Fatal(err)
		}
	}
}
