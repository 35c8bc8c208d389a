package assets

import (
	"encoding/csv"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// allLists is every List… constant: each must be in index.csv and the other
// way round.
var allLists = []string{
	ListModalitaAccesso, ListMotivoAccesso, ListInterlocutori, ListInviante,
	ListStatoCivile, ListTitoloStudio, ListCondizioneLavorativa,
	ListPosizioneProfessione, ListProfessione, ListSettoreImpiego,
	ListTipologiaFamiliare, ListTipoAbitazione, ListTitoloGodimento,
	ListTipoProprietario, ListConoscenzaItaliano, ListTipoPermesso,
	ListMotivoPermesso, ListRuoloRiferimento, ListParentela,
	ListProtezioneGiuridica, ListBisogni, ListTipologiaPresaInCarico,
	ListAreaUtenza, ListTipoAllegato,
}

func TestListsLoad(t *testing.T) {
	names := ListNames()
	if !slices.Equal(sortedCopy(names), sortedCopy(allLists)) {
		t.Fatalf("ListNames() = %v, want the List… constants %v", names, allLists)
	}
	for _, name := range allLists {
		t.Run(name, func(t *testing.T) {
			l, ok := List(name)
			if !ok {
				t.Fatalf("List(%q) not found", name)
			}
			if l.Name != name || l.Title == "" || l.Source == "" {
				t.Errorf("list %q: Name %q, Title %q, Source %q", name, l.Name, l.Title, l.Source)
			}
			if len(l.Active()) < 2 {
				t.Errorf("list %q: only %d active values", name, len(l.Active()))
			}
			seen := map[string]bool{}
			labels := map[string]bool{}
			for _, c := range l.Codes {
				if c.Code == "" || strings.TrimSpace(c.Code) != c.Code {
					t.Errorf("list %q: bad code %q", name, c.Code)
				}
				if seen[c.Code] {
					t.Errorf("list %q: code %q twice", name, c.Code)
				}
				seen[c.Code] = true
				if c.Label == "" || strings.TrimSpace(c.Label) != c.Label {
					t.Errorf("list %q code %q: bad label %q", name, c.Code, c.Label)
				}
				// CodeForLabel must be unambiguous.
				if labels[c.Label] {
					t.Errorf("list %q: label %q twice", name, c.Label)
				}
				labels[c.Label] = true
			}
		})
	}
	if _, ok := List("nessuna"); ok {
		t.Error(`List("nessuna") found`)
	}
}

func TestCodeSpotChecks(t *testing.T) {
	tests := []struct {
		list, code, label string
		retired           bool
	}{
		{ListStatoCivile, "1", "Celibe/Nubile", false},
		{ListStatoCivile, "2", "Coniugato/a", false},
		{ListStatoCivile, "4", "Divorziato/a", false},
		{ListStatoCivile, LocalStatoCivileSeparato, "Separato/a (legalmente o di fatto)", false},
		{ListTitoloStudio, "C", "Diploma di maturità", false},
		{ListTitoloStudio, "8", "Licenza elementare", false},
		{ListTitoloStudio, "5", "Laurea", true},
		{ListCondizioneLavorativa, "INABILE", "Inabile al lavoro", false},
		{ListPosizioneProfessione, "3", "Operaio o assimilato", false},
		{ListPosizioneProfessione, "B", "Lavoratore dipendente", true},
		{ListSettoreImpiego, "F", "Costruzioni", false},
		{ListSettoreImpiego, "Q", "Sanità e assistenza sociale", false},
		{ListTipoPermesso, "6", "Rinnovo in corso", false},
		{ListMotivoPermesso, "PROTEZIONE_SPECIALE", "Protezione speciale (art. 19 TUI)", false},
		{ListMotivoPermesso, "UMANITARI", "Motivi umanitari (art. 5 c. 6 TUI; non più rilasciato dal D.L. 113/2018)", true},
		{ListParentela, "3", "Figlio/Figlia", false},
		{ListParentela, "14", "Figliastro/Figliastra", true},
		{ListModalitaAccesso, "PERSONA", "Di persona", false},
		{ListMotivoAccesso, "INVIATO_DA", "Inviato da altri (vedi inviante)", false},
		{ListInterlocutori, "ATTIVITA_GIUDIZIARIA", "Autorità giudiziaria", false},
		{ListRuoloRiferimento, "AMMINISTRATORE_SOSTEGNO", "Amministratore di sostegno", false},
		{ListProtezioneGiuridica, "S", "Amministrazione di sostegno", false},
		{ListAreaUtenza, "IMMNOM", "Immigrati, Rom, Sinti e Caminanti", false},
		{ListAreaUtenza, "MULBEN", "Multiutenza", false},
		{ListTipologiaPresaInCarico, "CHIUSURA", "Chiusura senza presa in carico", false},
		{ListConoscenzaItaliano, "MADRELINGUA", "Madrelingua", false},
		{ListTipoAllegato, "CONSENSO_PRIVACY", "Consenso privacy firmato", false},
	}
	for _, tt := range tests {
		l := MustList(tt.list)
		c, ok := l.Code(tt.code)
		if !ok {
			t.Errorf("%s: no code %q", tt.list, tt.code)
			continue
		}
		if c.Label != tt.label || c.Retired != tt.retired {
			t.Errorf("%s %q = %q retired %v, want %q retired %v", tt.list, tt.code, c.Label, c.Retired, tt.label, tt.retired)
		}
		if got := l.Label(tt.code); got != tt.label {
			t.Errorf("%s.Label(%q) = %q, want %q", tt.list, tt.code, got, tt.label)
		}
		if got, ok := l.CodeForLabel(tt.label); !ok || got != tt.code {
			t.Errorf("%s.CodeForLabel(%q) = %q %v", tt.list, tt.label, got, ok)
		}
		active := slices.ContainsFunc(l.Active(), func(a Code) bool { return a.Code == tt.code })
		if active == tt.retired {
			t.Errorf("%s %q: in Active() = %v, retired = %v", tt.list, tt.code, active, tt.retired)
		}
	}
	if got := MustList(ListStatoCivile).Label("nessuno"); got != "" {
		t.Errorf("Label of unknown code = %q", got)
	}
	// The area list holds exactly the 7 ISTAT areas.
	want := []string{"FAM", "DIS", "ELD", "IMMNOM", "POV", "ADD", "MULBEN"}
	var got []string
	for _, c := range MustList(ListAreaUtenza).Codes {
		got = append(got, c.Code)
		if SIUSSAreaUtenza(c.Code) == "" {
			t.Errorf("SIUSSAreaUtenza(%q) = \"\"", c.Code)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("area_utenza codes = %v, want %v", got, want)
	}
	if n := len(MustList(ListSettoreImpiego).Codes); n != 21 {
		t.Errorf("settore_impiego has %d sections, want 21 (A–U)", n)
	}
}

func TestRetiredAndMerge(t *testing.T) {
	l := MustList(ListParentela)
	for _, c := range l.Codes {
		if c.Retired && l.Label(c.Code) == "" {
			t.Errorf("retired %q lost its label", c.Code)
		}
	}
	offer := l.Offer("15")
	if !slices.ContainsFunc(offer, func(c Code) bool { return c.Code == "15" }) {
		t.Error("Offer(15) does not keep the retired value 15")
	}
	if slices.ContainsFunc(offer, func(c Code) bool { return c.Code == "14" }) {
		t.Error("Offer(15) offers the retired value 14")
	}
	if len(offer) != len(l.Active())+1 {
		t.Errorf("Offer(15) has %d values, want %d", len(offer), len(l.Active())+1)
	}

	// Merge: retire one, relabel one, add one; the default is untouched.
	m := l.Merge([]Code{
		{Code: "12", Label: "Cugino/Cugina", Retired: true},
		{Code: "13", Label: "Altro parente (specificare)"},
		{Code: "L01", Label: "Padrino/Madrina"},
	})
	if m.Label("12") != "Cugino/Cugina" || slices.ContainsFunc(m.Active(), func(c Code) bool { return c.Code == "12" }) {
		t.Error("merged retirement: label lost or still active")
	}
	if m.Label("13") != "Altro parente (specificare)" || m.Label("L01") != "Padrino/Madrina" {
		t.Error("merged relabel/addition not applied")
	}
	if MustList(ListParentela).Label("13") != "Altro parente" || l.Label("L01") != "" {
		t.Error("Merge changed the default list")
	}

	// List returns the caller's copy.
	l.Codes[0].Label = "X"
	if MustList(ListParentela).Codes[0].Label == "X" {
		t.Error("List shares its Codes slice")
	}
	if got := Labels(MustList(ListProtezioneGiuridica).Active()); !slices.Equal(got, []string{"Tutela", "Curatela", "Amministrazione di sostegno"}) {
		t.Errorf("Labels = %v", got)
	}
}

func TestCatalogue(t *testing.T) {
	known := knownSIUSSCodes(t)
	cat := Catalogue()
	if len(cat) != 12 {
		t.Fatalf("catalogue has %d areas, want 12", len(cat))
	}
	codes := map[string]bool{}
	total, active := 0, 0
	for i, a := range cat {
		if want := "M" + twoDigits(i+1); a.Code != want {
			t.Errorf("area %d code %q, want %q", i, a.Code, want)
		}
		if a.Label == "" || len(a.Services) == 0 {
			t.Errorf("area %s: label %q, %d services", a.Code, a.Label, len(a.Services))
		}
		if codes[a.Code] {
			t.Errorf("code %s twice", a.Code)
		}
		codes[a.Code] = true
		active += len(a.Active())
		for _, s := range a.Services {
			total++
			if !strings.HasPrefix(s.Code, a.Code+".") {
				t.Errorf("service %s in area %s", s.Code, a.Code)
			}
			if codes[s.Code] {
				t.Errorf("code %s twice", s.Code)
			}
			codes[s.Code] = true
			if s.Label == "" || strings.TrimSpace(s.Label) != s.Label {
				t.Errorf("service %s: bad label %q", s.Code, s.Label)
			}
			if s.SIUSSCode != "" && !known[s.SIUSSCode] {
				t.Errorf("service %s: SIUSS code %q is not a known SIUSS prestazione", s.Code, s.SIUSSCode)
			}
			ga, gs, ok := ServiceByCode(s.Code)
			if !ok || ga.Code != a.Code || gs != s {
				t.Errorf("ServiceByCode(%s) = %v %v %v", s.Code, ga.Code, gs, ok)
			}
		}
	}
	if total < 70 || total > 80 || active < 70 {
		t.Errorf("catalogue has %d services (%d active), want 70–80", total, active)
	}
	tests := []struct{ code, label, siuss string }{
		{"M03.01", "Contributo economico a integrazione del reddito familiare", "A1.04"},
		{"M04.01", "Assistenza domiciliare socio-assistenziale (SAD)", "A2.07"},
		{"M05.01", "Asilo nido", "A3.03"},
		{"M12.07", "Altro (specificare nelle note)", "Z9.99"},
		{"M01.01", "Informazione e orientamento sui servizi", ""},
	}
	for _, tt := range tests {
		_, s, ok := ServiceByCode(tt.code)
		if !ok || s.Label != tt.label || s.SIUSSCode != tt.siuss {
			t.Errorf("ServiceByCode(%s) = %+v %v, want %q %q", tt.code, s, ok, tt.label, tt.siuss)
		}
	}
	if _, _, ok := ServiceByCode("M99.99"); ok {
		t.Error("ServiceByCode(M99.99) found")
	}
	cat[0].Services[0].Label = "X"
	if Catalogue()[0].Services[0].Label == "X" {
		t.Error("Catalogue shares its slices")
	}
}

// knownSIUSSCodes reads testdata/siuss_prestazioni.csv: the SIUSS prestazione
// codes seen in notes/siuss.md §5.1 and the INPS/SISO sources it cites.
func knownSIUSSCodes(t *testing.T) map[string]bool {
	f, err := os.Open("testdata/siuss_prestazioni.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, r := range rows[1:] {
		known[r[0]] = true
	}
	if len(known) < 36 {
		t.Fatalf("only %d known SIUSS codes", len(known))
	}
	return known
}

// TestFirstLoadFast checks the parse that the first form opened pays
// against the 5 ms budget: the best of 5 runs, so that a busy CI machine does
// not make it flaky (it takes a fraction of a millisecond).
func TestFirstLoadFast(t *testing.T) {
	best := time.Hour
	for range 5 {
		start := time.Now()
		if _, err := parseCodeTables(); err != nil {
			t.Fatal(err)
		}
		best = min(best, time.Since(start))
	}
	if best > 5*time.Millisecond {
		t.Errorf("parsing the code tables takes %v, budget 5 ms", best)
	}
}

// BenchmarkCodesFirstLoad measures the parse that the first List or
// Catalogue call pays (every list and the catalogue).
func BenchmarkCodesFirstLoad(b *testing.B) {
	for b.Loop() {
		if _, err := parseCodeTables(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkListLabel measures a label lookup after loading.
func BenchmarkListLabel(b *testing.B) {
	l := MustList(ListParentela)
	for b.Loop() {
		if l.Label("99") == "" {
			b.Fatal("no label")
		}
	}
}

func sortedCopy(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func twoDigits(n int) string {
	return string(rune('0'+n/10)) + string(rune('0'+n%10))
}
