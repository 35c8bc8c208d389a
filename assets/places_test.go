package assets

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestByCode(t *testing.T) {
	ps := LoadPlaces()
	tests := []struct {
		code      string
		at        time.Time
		wantOK    bool
		wantName  string
		wantLabel string
	}{
		{"H501", time.Time{}, true, "Roma", "Roma (RM)"},
		{"h501 ", time.Now(), true, "Roma", "Roma (RM)"},
		{"A001", day(1900, 1, 1), true, "Abano", "Abano (PD) — fino al 1924"},
		{"A001", time.Now(), true, "Abano Terme", "Abano Terme (PD)"},
		{"A001", day(1850, 1, 1), false, "", ""},
		{"A562", day(1985, 12, 10), true, "San Giuliano Terme", "San Giuliano Terme (PI)"},
		{"H223", time.Time{}, true, "Reggio nell'Emilia", "Reggio nell'Emilia (RE)"},
		{"A952", time.Time{}, true, "Bolzano", "Bolzano (BZ)"},
		{"Z330", time.Time{}, true, "Marocco", "Marocco (estero)"},
		{"Z118", day(1980, 5, 1), true, "Jugoslavia", "Jugoslavia (estero) — cessato nel 2003"},
		{"Z118", day(2010, 5, 1), false, "", ""},
		{"Z118", time.Time{}, true, "Jugoslavia", "Jugoslavia (estero) — cessato nel 2003"},
		{"Z135", day(1960, 1, 1), true, "Unione Repubbliche Socialiste Sovietiche", "Unione Repubbliche Socialiste Sovietiche (estero) — cessato nel 1992"},
		{"Z221", time.Time{}, true, "Hong Kong", "Hong Kong (estero)"}, // only in countries-patch.json
		// Abbadia Alpina (TO) ceased on 1928-12-05.
		{"A003", day(1900, 1, 1), true, "Abbadia Alpina", "Abbadia Alpina (TO) — cessato nel 1928"},
		{"A003", day(1928, 12, 5), true, "Abbadia Alpina", "Abbadia Alpina (TO) — cessato nel 1928"},
		{"A003", day(1928, 12, 6), false, "", ""},
		{"Z999", time.Time{}, false, "", ""},
		{"", time.Time{}, false, "", ""},
	}
	for _, tt := range tests {
		p, ok := ps.ByCode(tt.code, tt.at)
		if ok != tt.wantOK || p.Name != tt.wantName {
			t.Errorf("ByCode(%q, %v) = %q, %v; want %q, %v", tt.code, tt.at.Format(time.DateOnly), p.Name, ok, tt.wantName, tt.wantOK)
			continue
		}
		if ok && p.Label() != tt.wantLabel {
			t.Errorf("ByCode(%q).Label() = %q, want %q", tt.code, p.Label(), tt.wantLabel)
		}
	}
}

func TestPlaceFields(t *testing.T) {
	ps := LoadPlaces()
	roma, _ := ps.ByCode("H501", time.Time{})
	want := Place{Code: "H501", Name: "Roma", Province: "RM", IstatCode: "058091", From: day(1884, 9, 11)}
	if roma != want {
		t.Errorf("Roma = %+v, want %+v", roma, want)
	}
	ma, _ := ps.ByCode("Z330", time.Time{})
	if ma.Province != "EE" || ma.IstatCode != "436" || !ma.Foreign || !ma.To.IsZero() || ma.From != day(1900, 1, 1) {
		t.Errorf("Marocco = %+v", ma)
	}
	bz, _ := ps.ByCode("A952", time.Time{})
	if bz.AltName != "Bozen" {
		t.Errorf("Bolzano AltName = %q, want Bozen", bz.AltName)
	}
}

func TestValidAt(t *testing.T) {
	ps := LoadPlaces()
	tests := []struct {
		code string
		at   time.Time
		want bool
	}{
		{"Z118", day(1980, 1, 1), true},
		{"Z118", day(2003, 2, 3), true},
		{"Z118", day(2003, 2, 4), false}, // Serbia e Montenegro (Z157) from that day
		{"Z157", day(2003, 2, 4), true},
		{"Z118", day(2010, 1, 1), false},
		{"Z330", day(1950, 1, 1), true},
		{"A003", day(1920, 1, 1), true},
		{"A003", day(1950, 1, 1), false},
		{"H501", time.Time{}, true},
		{"A003", time.Time{}, false},
		// The day counts, not the instant: late evening in Rome on the last
		// valid day is still valid.
		{"Z118", time.Date(2003, 2, 3, 23, 30, 0, 0, time.FixedZone("CET", 3600)), true},
	}
	for _, tt := range tests {
		if got := ps.ValidAt(tt.code, tt.at); got != tt.want {
			t.Errorf("ValidAt(%q, %v) = %v, want %v", tt.code, tt.at, got, tt.want)
		}
	}
}

func TestPlaceValidAt(t *testing.T) {
	p := Place{From: day(1900, 1, 1), To: day(1992, 3, 30)}
	for at, want := range map[time.Time]bool{
		day(1899, 12, 31): false, day(1900, 1, 1): true, day(1992, 3, 30): true, day(1992, 3, 31): false,
	} {
		if got := p.ValidAt(at); got != want {
			t.Errorf("ValidAt(%v) = %v, want %v", at, got, want)
		}
	}
	if !(Place{From: day(1900, 1, 1)}).ValidAt(time.Now()) {
		t.Error("open-ended place not valid today")
	}
}

func names(list []Place) []string {
	out := make([]string, len(list))
	for i, p := range list {
		out[i] = p.Name
	}
	return out
}

func TestSearch(t *testing.T) {
	ps := LoadPlaces()
	tests := []struct {
		query    string
		at       time.Time
		limit    int
		first    string   // expected first result, if set
		contains []string // expected among the results
		absent   []string // expected not among the results
	}{
		{query: "san giul", limit: 20, contains: []string{"San Giuliano Terme", "San Giuliano Milanese"}},
		{query: "SAN  GIUL", limit: 20, contains: []string{"San Giuliano Terme"}},
		{query: "giuliano terme", limit: 5, first: "San Giuliano Terme"}, // word prefixes
		{query: "roma", limit: 5, first: "Roma"},
		{query: "h501", limit: 5, first: "Roma"},
		{query: "agliè", limit: 5, first: "Agliè"},
		{query: "aglie", limit: 5, first: "Agliè"}, // accent-insensitive
		{query: "cantu", limit: 5, first: "Cantù"}, // accent-insensitive
		{query: "FORLÌ", limit: 5, first: "Forlì"}, // upper case with accent
		{query: "reggio nell'e", limit: 5, first: "Reggio nell'Emilia"},
		{query: "reggio nell emilia", limit: 5, first: "Reggio nell'Emilia"},
		{query: "bozen", limit: 5, first: "Bolzano"}, // second-language name
		{query: "maroc", limit: 5, first: "Marocco"},
		{query: "z330", limit: 5, first: "Marocco"},
		{query: "jugoslavia", limit: 5, absent: []string{"Jugoslavia"}}, // ceased: not current
		{query: "jugoslavia", at: day(1980, 1, 1), limit: 5, first: "Jugoslavia"},
		{query: "urss", at: day(1980, 1, 1), limit: 5, first: "Unione Repubbliche Socialiste Sovietiche"},
		{query: "bagni san giuliano", at: day(1930, 1, 1), limit: 5, first: "Bagni San Giuliano"},
		{query: "bagni san giuliano", limit: 5, absent: []string{"Bagni San Giuliano"}},
		{query: "abano", at: day(1900, 1, 1), limit: 5, first: "Abano", absent: []string{"Abano Terme"}},
		{query: "liano ter", limit: 5, contains: []string{"San Giuliano Terme"}}, // substring
		{query: "   ", limit: 5},
	}
	for _, tt := range tests {
		got := names(ps.Search(tt.query, tt.at, tt.limit))
		if tt.limit > 0 && len(got) > tt.limit {
			t.Errorf("Search(%q) returned %d > limit %d", tt.query, len(got), tt.limit)
		}
		if tt.first != "" && (len(got) == 0 || got[0] != tt.first) {
			t.Errorf("Search(%q, %v) = %q, want %q first", tt.query, tt.at.Format(time.DateOnly), got, tt.first)
		}
		for _, w := range tt.contains {
			if !slices.Contains(got, w) {
				t.Errorf("Search(%q) = %q, want it to contain %q", tt.query, got, w)
			}
		}
		for _, w := range tt.absent {
			if slices.Contains(got, w) {
				t.Errorf("Search(%q, %v) = %q, want no %q", tt.query, tt.at.Format(time.DateOnly), got, w)
			}
		}
	}
}

func TestSearchPrefixFirst(t *testing.T) {
	got := LoadPlaces().Search("san", time.Time{}, 0)
	seenOther := false
	for _, p := range got {
		prefix := strings.HasPrefix(fold(p.Name), "san") || strings.HasPrefix(fold(p.AltName), "san")
		if prefix && seenOther {
			t.Fatalf("prefix match %q after a non-prefix match", p.Name)
		}
		seenOther = seenOther || !prefix
	}
	if !seenOther {
		t.Error("expected some non-prefix matches for \"san\" (e.g. Castel San Pietro)")
	}
}

func TestComuniAndStates(t *testing.T) {
	ps := LoadPlaces()
	comuni := ps.Comuni()
	if len(comuni) != 7901 {
		t.Errorf("Comuni() has %d entries, want 7901", len(comuni))
	}
	for i, p := range comuni {
		if p.Foreign || !p.To.IsZero() {
			t.Fatalf("Comuni() includes %+v", p)
		}
		if i > 0 && fold(comuni[i-1].Name) > fold(p.Name) {
			t.Fatalf("Comuni() not sorted: %q before %q", comuni[i-1].Name, p.Name)
		}
	}
	comuni[0].Name = "changed"
	if ps.Comuni()[0].Name == "changed" {
		t.Error("Comuni() shares its slice with the table")
	}
	states := names(ps.States())
	for _, w := range []string{"Marocco", "Jugoslavia", "Albania", "Unione Repubbliche Socialiste Sovietiche", "Hong Kong"} {
		if !slices.Contains(states, w) {
			t.Errorf("States() lacks %q", w)
		}
	}
	for _, p := range ps.States() {
		if !p.Foreign || !strings.HasPrefix(p.Code, "Z") || p.Province != "EE" {
			t.Errorf("States() includes %+v", p)
		}
	}
}

func TestCitizenships(t *testing.T) {
	ps := LoadPlaces()
	cs := ps.Citizenships()
	if len(cs) == 0 || cs[0] != (Citizenship{"100", "Italia"}) {
		t.Fatalf("Citizenships()[0] = %+v, want Italia", cs[0])
	}
	if !slices.Contains(cs, Citizenship{"999", "Apolide"}) {
		t.Error("Citizenships() lacks 999 Apolide")
	}
	if !slices.Contains(cs, Citizenship{"436", "Marocco"}) {
		t.Error("Citizenships() lacks 436 Marocco")
	}
	seen := map[string]bool{}
	for _, c := range cs {
		if len(c.Code) != 3 || c.Name == "" || seen[c.Code] {
			t.Errorf("bad or duplicate citizenship %+v", c)
		}
		seen[c.Code] = true
	}
	tests := []struct {
		code, want string
		ok         bool
	}{
		{"100", "Italia", true}, {"999", "Apolide", true}, {"235", "Romania", true}, {"000", "", false},
	}
	for _, tt := range tests {
		c, ok := ps.CitizenshipByCode(tt.code)
		if ok != tt.ok || c.Name != tt.want {
			t.Errorf("CitizenshipByCode(%q) = %+v, %v", tt.code, c, ok)
		}
	}
}

func TestFold(t *testing.T) {
	tests := map[string]string{
		"Sant'Agata de' Goti": "sant agata de goti",
		"  FORLÌ  ":           "forli",
		"Števerjan":           "steverjan",
		"Weinstraße":          "weinstrasse",
		"Łódź":                "lodz",
		"Øresund Æ":           "oresund ae",
		"São Tomé":            "sao tome",
		"Bolzano/Bozen":       "bolzano bozen",
		"Москва":              "москва",
		"Ștefănescu Nguyễn":   "stefanescu nguyen",
	}
	for in, want := range tests {
		if got := fold(in); got != want {
			t.Errorf("fold(%q) = %q, want %q", in, got, want)
		}
	}
}

// Every record must have a code, a name and a coherent validity, and the
// records of one code must not overlap (apart from the one known case in
// the ANPR data, D588 Filago/Marne).
func TestTableIntegrity(t *testing.T) {
	ps, err := loadPlaces()
	if err != nil {
		t.Fatal(err)
	}
	for i := range ps.recs {
		p := ps.place(i)
		if len(p.Code) != 4 || p.Name == "" || p.Province == "" || p.From.IsZero() {
			t.Errorf("incomplete record %+v", p)
		}
		if !p.To.IsZero() && p.To.Before(p.From) {
			t.Errorf("record ends before it starts: %+v", p)
		}
		if p.Name != strings.TrimSpace(p.Name) || strings.ToUpper(p.Name) == p.Name && len(p.Name) > 3 {
			t.Errorf("name not proper case: %q", p.Name)
		}
		if p.Foreign != strings.HasPrefix(p.Code, "Z") || p.Foreign != (p.Province == "EE") {
			t.Errorf("foreign flag, code and province disagree: %+v", p)
		}
		if i > 0 && ps.recs[i-1].code == p.Code && ps.recs[i-1].to >= ps.recs[i].from && p.Code != "D588" {
			t.Errorf("overlapping records for %s", p.Code)
		}
	}
}

// BenchmarkLoad measures the first use: decompressing and indexing the table.
func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := loadPlaces(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSearch(b *testing.B) {
	ps := LoadPlaces()
	for _, q := range []string{"san giul", "roma", "reggio nell'emilia", "mar", "z330"} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				ps.Search(q, time.Time{}, 20)
			}
		})
	}
	b.Run("san", func(b *testing.B) {
		for b.Loop() {
			ps.Search("san", time.Time{}, 20)
		}
	})
	b.Run("historic", func(b *testing.B) {
		for b.Loop() {
			ps.Search("san", day(1930, 1, 1), 20)
		}
	})
}

// TestFirstLoad guards the lazy loading budget: parsing the table on first
// use must stay far below what a user would notice (target < 50 ms; the
// limit here is loose so that a busy CI machine does not fail it).
func TestFirstLoad(t *testing.T) {
	start := time.Now()
	if _, err := loadPlaces(); err != nil {
		t.Fatal(err)
	}
	d := time.Since(start)
	t.Logf("first load: %v", d)
	if d > 250*time.Millisecond {
		t.Errorf("loading the place table took %v", d)
	}
}

// BenchmarkComuniFirst measures the first call of Comuni, which sorts.
func BenchmarkComuniFirst(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		ps, _ := loadPlaces()
		b.StartTimer()
		ps.Comuni()
	}
}

// Places is shared by every screen; searches may run at the same time.
func TestConcurrentUse(t *testing.T) {
	ps := LoadPlaces()
	done := make(chan []string)
	for _, q := range []string{"san", "roma", "mar", "san giul", "z3", "bozen"} {
		go func() {
			var got []string
			for range 20 {
				got = names(ps.Search(q, time.Time{}, 10))
				ps.Comuni()
			}
			done <- got
		}()
	}
	for range 6 {
		if got := <-done; len(got) == 0 {
			t.Error("a concurrent search found nothing")
		}
	}
}
