package codicefiscale

import (
	"encoding/csv"
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

var ref = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// invalidReasons maps the note of each invalid test vector to the message
// Parse must give.
var invalidReasons = []struct{ note, reason string }{
	{"wrong check character", "Il carattere di controllo del codice fiscale è errato: atteso P."},
	{"too short (15 chars)", "Il codice fiscale deve avere 16 caratteri (ne ha 15)."},
	{"too long (17 chars)", "Il codice fiscale deve avere 16 caratteri (ne ha 17)."},
	{"day 00", "Giorno di nascita non valido nel codice fiscale (00)."},
	{"day 99", "Giorno di nascita non valido nel codice fiscale (99)."},
	{"F is not a month letter", "Mese di nascita non valido nel codice fiscale (lettera F)."},
	{"30 February", "La data di nascita nel codice fiscale non esiste (30/02/1985)."},
	{"A is not an omocodia letter", "Il carattere 14 del codice fiscale (A) non è valido: in quella posizione sono ammesse solo cifre o le lettere L, M, N, P, Q, R, S, T, U, V."},
}

var (
	noteSexDate = regexp.MustCompile(`\b([MF]) (\d\d/\d\d/\d{4})\b`)
	notePlace   = regexp.MustCompile(`\(([A-Z]\d{3})\)`)
)

// TestVectors checks every row of testdata/cf_test_vectors.csv (from
// python-codicefiscale's test suite, see /work/shared SOURCES).
func TestVectors(t *testing.T) {
	f, err := os.Open("testdata/cf_test_vectors.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 30 {
		t.Fatalf("only %d rows", len(rows))
	}
	for _, row := range rows[1:] {
		code, expected, note := row[0], row[1], row[2]
		t.Run(code, func(t *testing.T) {
			info, err := Parse(code, ref)
			switch expected {
			case "valid", "valid-after-normalisation":
				if err != nil {
					t.Fatalf("Parse: %v (%s)", err, note)
				}
				if info.Kind != Ordinary || info.Code != Normalize(code) {
					t.Errorf("Kind %v, Code %q", info.Kind, info.Code)
				}
				if m := noteSexDate.FindStringSubmatch(note); m != nil {
					if string(info.Sex) != m[1] || dateIT(info.Birth) != m[2] {
						t.Errorf("decoded %c %s, note says %s %s", info.Sex, dateIT(info.Birth), m[1], m[2])
					}
				}
				if m := notePlace.FindStringSubmatch(note); m != nil && info.PlaceCode != m[1] {
					t.Errorf("place %s, note says %s", info.PlaceCode, m[1])
				}
				if strings.Contains(note, "omocodia") || strings.Contains(note, "normalis") {
					if c := Canonical(code); c != "CCCFBA85D03L219P" {
						t.Errorf("Canonical = %s, want CCCFBA85D03L219P", c)
					}
				}
			case "invalid":
				if err == nil {
					t.Fatalf("Parse accepted an invalid code (%s)", note)
				}
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("error %T is not *Error", err)
				}
				found := false
				for _, r := range invalidReasons {
					if strings.Contains(note, r.note) {
						found = true
						if e.Reason != r.reason {
							t.Errorf("reason %q, want %q", e.Reason, r.reason)
						}
					}
				}
				if !found {
					t.Errorf("no expected reason for note %q (got %q)", note, e.Reason)
				}
			default:
				t.Fatalf("unknown expectation %q", expected)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ code, reason string }{
		{"", "Il codice fiscale è vuoto."},
		{" - . ", "Il codice fiscale è vuoto."},
		{"RSSMRA85T10A562", "Il codice fiscale deve avere 16 caratteri (ne ha 15)."},
		{"RSSMRA85T10A56ÈS", "Il codice fiscale contiene un carattere non ammesso («È» in posizione 15)."},
		{"RSSMRA85T10A56_S", "Il codice fiscale contiene un carattere non ammesso («_» in posizione 15)."},
		{"RSSMRA85T10A56\x01S", "Il codice fiscale contiene un carattere non ammesso («U+0001» in posizione 15)."},
		{"RSS1RA85T10A562S", "Il carattere 4 del codice fiscale (1) dovrebbe essere una lettera."},
		{"RSSMRA85T10A5629", "Il carattere 16 del codice fiscale (9) dovrebbe essere una lettera."},
		{"RSSMRAA5T10A562S", "Il carattere 7 del codice fiscale (A) non è valido: in quella posizione sono ammesse solo cifre o le lettere L, M, N, P, Q, R, S, T, U, V."},
		{"RSSMRA85T10A562X", "Il carattere di controllo del codice fiscale è errato: atteso S."},
		{"1234567890", "Il codice fiscale provvisorio deve avere 11 cifre (ne ha 10)."},
		{"12345678901", "La cifra di controllo del codice fiscale provvisorio è errata: attesa 3."},
		{"00000000000", "Il codice fiscale provvisorio non può essere composto da soli zeri."},
		{"STP03030112345", "Il codice STP deve avere 16 caratteri: «STP» seguito da 13 cifre (regione, ASL e numero progressivo)."},
		{"ENI030301123456A", "Il codice ENI deve avere 16 caratteri: «ENI» seguito da 13 cifre (regione, ASL e numero progressivo)."},
	}
	for _, tt := range tests {
		_, err := Parse(tt.code, ref)
		var e *Error
		if !errors.As(err, &e) || e.Reason != tt.reason || e.Place {
			t.Errorf("Parse(%q) error = %v, want %q", tt.code, err, tt.reason)
		}
	}
}

func TestParseOtherKinds(t *testing.T) {
	tests := []struct {
		code string
		kind Kind
		norm string
	}{
		{"12345678903", Provisional, "12345678903"},
		{"123 456 789 03", Provisional, "12345678903"},
		{"00743110157", Provisional, "00743110157"},
		{"STP0303011234567", STP, "STP0303011234567"},
		{"stp-030-301-1234567", STP, "STP0303011234567"},
		{"ENI1201090000123", ENI, "ENI1201090000123"},
		// An ordinary code whose surname letters happen to be STP.
		{"STPMRA80A01H501Q", Ordinary, "STPMRA80A01H501Q"},
	}
	for _, tt := range tests {
		info, err := Parse(tt.code, ref)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.code, err)
			continue
		}
		if info.Kind != tt.kind || info.Code != tt.norm {
			t.Errorf("Parse(%q) = %v %q, want %v %q", tt.code, info.Kind, info.Code, tt.kind, tt.norm)
		}
		if tt.kind != Ordinary && (info.Sex != 0 || !info.Birth.IsZero() || info.PlaceCode != "") {
			t.Errorf("Parse(%q) decoded personal data from a %v", tt.code, info.Kind)
		}
		if tt.kind != Ordinary && Canonical(tt.code) != tt.norm {
			t.Errorf("Canonical(%q) = %q, want %q", tt.code, Canonical(tt.code), tt.norm)
		}
	}
}

func TestKindString(t *testing.T) {
	want := map[Kind]string{Ordinary: "codice fiscale", Provisional: "codice fiscale provvisorio", STP: "codice STP", ENI: "codice ENI", Kind(9): "Kind(9)"}
	for k, s := range want {
		if k.String() != s {
			t.Errorf("%d.String() = %q, want %q", int(k), k.String(), s)
		}
	}
}

func TestNormalize(t *testing.T) {
	tests := map[string]string{
		"rssmra85t10a562s":             "RSSMRA85T10A562S",
		" RSS MRA 85T10 A562S\t":       "RSSMRA85T10A562S",
		"RSS-MRA-85T10-A562S":          "RSSMRA85T10A562S",
		"R.S.S.MRA85T10A562S":          "RSSMRA85T10A562S",
		"rssmrà85t10a562s":             "RSSMRà85T10A562S", // only ASCII changes case
		"\u00a0RSSMRA85T10A562S ":      "RSSMRA85T10A562S",
		"\ufeffRSSMRA85T10\u200bA562S": "RSSMRA85T10A562S", // pasted from a document
	}
	for in, want := range tests {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

// The century comes from ref: the latest one that does not put the birth
// in the future.
func TestCentury(t *testing.T) {
	code := func(y int, m time.Month, d int) string {
		c, err := Compute("Rossi", "Mario", 'M', date(y, m, d), "H501")
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	tests := []struct {
		code string
		ref  time.Time
		want time.Time
	}{
		{code(1968, 1, 1), ref, date(1968, 1, 1)},
		{code(2020, 3, 15), ref, date(2020, 3, 15)},
		{code(2026, 11, 23), ref, date(2026, 11, 23)}, // born today
		{code(1926, 11, 24), ref, date(1926, 11, 24)}, // 26 digits, tomorrow: last century
		{code(2000, 2, 29), ref, date(2000, 2, 29)},
		{code(1999, 12, 31), date(2000, 1, 1), date(1999, 12, 31)},
		{code(2000, 1, 1), date(2000, 1, 1), date(2000, 1, 1)},
	}
	for _, tt := range tests {
		info, err := Parse(tt.code, tt.ref)
		if err != nil || !info.Birth.Equal(tt.want) {
			t.Errorf("Parse(%s, %v) = %v, %v; want %v", tt.code, dateIT(tt.ref), dateIT(info.Birth), err, dateIT(tt.want))
		}
	}
	// 29 February "00" read before 29/02/2000 can only be 1900, which was
	// not a leap year.
	_, err := Parse(code(2000, 2, 29), date(2000, 2, 28))
	if err == nil || err.Error() != "La data di nascita nel codice fiscale non esiste (29/02/1900)." {
		t.Errorf("29/02/00 before 2000: %v", err)
	}
	if _, err := Parse(code(1980, 1, 1), time.Time{}); err != nil {
		t.Errorf("zero ref: %v", err)
	}
}

// fakePlaces is a table of codes and their validity.
type fakePlaces map[string][2]time.Time

func (f fakePlaces) ValidAt(code string, at time.Time) bool {
	v, ok := f[code]
	return ok && !at.Before(v[0]) && (v[1].IsZero() || !at.After(v[1]))
}

func TestValidate(t *testing.T) {
	places := fakePlaces{
		"H501": {date(1871, 1, 1), {}},
		"Z118": {date(1900, 1, 1), date(2003, 2, 3)},
	}
	mk := func(birth time.Time, place string) string {
		c, err := Compute("Petrović", "Milan", 'M', birth, place)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	tests := []struct {
		name   string
		code   string
		places PlaceChecker
		hint   time.Time
		want   time.Time // expected birth; zero if an error is expected
		reason string
	}{
		{"comune", mk(date(1980, 2, 1), "H501"), places, time.Time{}, date(1980, 2, 1), ""},
		{"ceased state before", mk(date(1980, 2, 1), "Z118"), places, time.Time{}, date(1980, 2, 1), ""},
		{"ceased state after", mk(date(2010, 2, 1), "Z118"), places, time.Time{}, time.Time{},
			"Il codice del luogo di nascita Z118 non esiste o non era valido il 01/02/2010."},
		{"unknown place", mk(date(1980, 2, 1), "Z999"), places, time.Time{}, time.Time{},
			"Il codice del luogo di nascita Z999 non esiste o non era valido il 01/02/1980."},
		{"no table", mk(date(1980, 2, 1), "Z999"), nil, time.Time{}, date(1980, 2, 1), ""},
		// Born 1920: without a hint the century would be 2020, when
		// Jugoslavia no longer existed.
		{"hint picks century", mk(date(1920, 6, 1), "Z118"), places, date(1920, 6, 1), date(1920, 6, 1), ""},
		{"no hint, wrong century", mk(date(1920, 6, 1), "Z118"), places, time.Time{}, time.Time{},
			"Il codice del luogo di nascita Z118 non esiste o non era valido il 01/06/2020."},
		{"hint slightly off", mk(date(1999, 12, 31), "H501"), places, date(2000, 1, 1), date(1999, 12, 31), ""},
		{"provisional", "12345678903", places, time.Time{}, time.Time{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, err := Validate(tt.code, tt.places, tt.hint, ref)
			if tt.reason != "" {
				var e *Error
				if !errors.As(err, &e) || e.Reason != tt.reason || !e.Place {
					t.Fatalf("error = %#v, want place error %q", err, tt.reason)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !info.Birth.Equal(tt.want) {
				t.Errorf("birth %v, want %v", info.Birth, tt.want)
			}
		})
	}
}

func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		if _, err := Parse("CCCFBA85D0PLNMVA", ref); err != nil {
			b.Fatal(err)
		}
	}
}
