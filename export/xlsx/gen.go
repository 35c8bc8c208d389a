package xlsx

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"cartella/assets"
	"cartella/store/codicefiscale"
)

// GenHeader is the header GenerateAnagrafeCSV writes, in the style of an
// Anagrafe export; GuessMapping recognises every column.
var GenHeader = []string{
	"COD_FAMIGLIA", "RELAZIONE_PARENTELA", "COGNOME", "NOME", "SESSO", "DATA_NASCITA",
	"COMUNE_NASCITA", "PROV_NASCITA", "CITTADINANZA", "CODICE_FISCALE",
	"INDIRIZZO", "NUMERO_CIVICO", "CAP", "COMUNE_RESIDENZA",
}

const (
	gFam = iota
	gRel
	gSurname
	gName
	gSex
	gDate
	gPlace
	gProv
	gCit
	gCF
	gStreet
	gCivico
	gCAP
	gComune
	gCols
)

// genNow is the reference date of generated files, fixed so that the same
// seed always gives the same file (ages are computed from it).
var genNow = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

// GenerateAnagrafeCSV writes a realistic Anagrafe export of n persons, for
// tests and benchmarks: ';'-separated UTF-8 with CRLF line ends, header
// GenHeader, households (famiglie anagrafiche) with an intestatario,
// usually a coniuge and children sharing the family code and the address,
// valid codici fiscali, and about one household in ten born abroad
// (Z-codes, foreign citizenship). The comune of residence is Borgo San
// Lorenzo (FI).
//
// round(n*badShare) rows are made bad, each in one way (wrong check
// character of the codice fiscale, 31/02, missing surname, unknown comune of
// birth, invalid sex); their 1-based file lines (header = 1) are returned
// in ascending order. Every other row passes ParseRows with
// GuessMapping(GenHeader). The same seed gives the same file.
func GenerateAnagrafeCSV(w io.Writer, n int, badShare float64, seed uint64, places *assets.Places) (bad []int, err error) {
	if n < 0 || badShare < 0 || badShare > 1 || math.IsNaN(badShare) {
		return nil, errors.New("xlsx: GenerateAnagrafeCSV: bad arguments")
	}
	if places == nil {
		places = assets.LoadPlaces()
	}
	g, err := newGenerator(places, seed)
	if err != nil {
		return nil, err
	}
	nBad := int(math.Round(float64(n) * badShare))
	badSet := map[int]bool{}
	for _, i := range g.rng.Perm(n)[:nBad] {
		badSet[i] = true
	}

	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	if err := cw.Write(GenHeader); err != nil {
		return nil, err
	}
	for i := 0; i < n; {
		recs, err := g.household(min(n-i, g.householdSize()))
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			if badSet[i] {
				if rec, err = g.spoil(rec, i); err != nil {
					return nil, err
				}
				bad = append(bad, i+2)
			}
			if err := cw.Write(rec); err != nil {
				return nil, err
			}
			i++
		}
	}
	cw.Flush()
	return bad, cw.Error()
}

type genPlace struct {
	code, name, prov string
	from             time.Time
}

type genOrigin struct {
	state              genPlace
	cit                string // ISTAT citizenship code
	surnames, men, wom []string
}

type generator struct {
	places   *assets.Places
	rng      *rand.Rand
	parser   *parser
	mapping  Mapping
	home     genPlace
	cities   []genPlace
	comuni   []assets.Place
	origins  []genOrigin
	cfs      map[string]bool
	family   int
	badKinds int
}

var (
	genSurnames = []string{"Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
		"Marino", "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano", "Rizzo",
		"Lombardi", "Moretti", "Barbieri", "Fontana", "Santoro", "Mariani", "Rinaldi", "Caruso", "Ferrara",
		"Galli", "Martini", "Leone", "Longo", "Gentile", "Martinelli", "Vitale", "Serra", "Coppola",
		"De Santis", "D'Angelo", "Marchetti", "Parisi", "Villa", "Conte", "Ferri", "Fabbri", "Marini",
		"Grasso", "Valentini", "Messina", "Sala", "De Angelis", "Gatti", "Pellegrini", "Palumbo", "Sanna",
		"Farina", "Monti", "Cattaneo", "Morelli", "Amato", "Silvestri", "Testa", "Dell'Orto", "Niccolai",
		"Papini", "Bartolini", "Innocenti", "Cecchi", "Nardi", "Baldini", "Fantoni", "Lapi", "Degl'Innocenti",
		"Bencini", "Chiti", "Margheri", "Fabbrini", "Scarpelli", "Nocentini", "Tassi", "Sarti"}
	genMen = []string{"Marco", "Giuseppe", "Giovanni", "Antonio", "Francesco", "Luca", "Alessandro", "Andrea",
		"Matteo", "Lorenzo", "Niccolò", "Simone", "Stefano", "Paolo", "Roberto", "Mario", "Luigi", "Pietro",
		"Davide", "Riccardo", "Tommaso", "Leonardo", "Gabriele", "Filippo", "Salvatore", "Vincenzo", "Carlo",
		"Angelo", "Franco", "Sergio", "Gian Luca", "Piero", "Jacopo", "Duccio", "Fabrizio", "Emanuele"}
	genWomen = []string{"Maria", "Anna", "Giulia", "Francesca", "Chiara", "Sara", "Laura", "Valentina",
		"Alessandra", "Martina", "Elena", "Silvia", "Paola", "Federica", "Giovanna", "Rosa", "Lucia", "Sofia",
		"Aurora", "Alice", "Emma", "Giorgia", "Beatrice", "Caterina", "Noemi", "Teresa", "Angela", "Carla",
		"Grazia", "Maria Grazia", "Ilaria", "Benedetta", "Costanza", "Letizia", "Annalisa", "Simonetta"}
	genStreets = []string{"VIA ROMA", "PIAZZA DANTE", "VIA DEL CORSO", "VIALE DELLA REPUBBLICA",
		"VIA GIUSEPPE MAZZINI", "VIA GIUSEPPE GARIBALDI", "PIAZZA CAVOUR", "VIA DEI MILLE", "VIA SAN FRANCESCO",
		"VIA FAENTINA", "VIALE PECORI GIRALDI", "VIA DON MINZONI", "VIA PIAVE", "BORGO SAN ROCCO",
		"VIA DELLA RESISTENZA", "VIA FRATELLI ROSSELLI", "LOCALITÀ LA SOLA", "VIA NICCOLÒ DA UZZANO"}
	genCities = []string{"Firenze", "Roma", "Napoli", "Milano", "Palermo", "Bari", "Torino", "Bologna",
		"Prato", "Pistoia", "Vicchio", "Scarperia e San Piero", "Dicomano", "Reggio di Calabria",
		"Sant'Agata de' Goti", "Cantù", "Forlì", "Arezzo", "Empoli", "Catania"}
	genOrigins = []struct {
		state              string
		surnames, men, wom []string
	}{
		{"Marocco", []string{"El Amrani", "Benali", "Bouzid", "Haddad", "El Idrissi"}, []string{"Mohamed", "Youssef", "Ahmed", "Karim"}, []string{"Fatima", "Khadija", "Amina", "Salma"}},
		{"Romania", []string{"Popescu", "Ionescu", "Popa", "Dumitru", "Stan"}, []string{"Andrei", "Mihai", "Ionuț", "Florin"}, []string{"Elena", "Ioana", "Andreea", "Mădălina"}},
		{"Albania", []string{"Hoxha", "Shehu", "Gjoka", "Leka"}, []string{"Arben", "Ermal", "Besnik"}, []string{"Elira", "Anila", "Blerina"}},
		{"Repubblica Popolare Cinese", []string{"Hu", "Chen", "Zhou", "Wang", "Zhang"}, []string{"Wei", "Jun", "Hao"}, []string{"Li", "Mei", "Xiu"}},
		{"Ucraina", []string{"Shevchenko", "Kovalenko", "Bondarenko"}, []string{"Oleksandr", "Andriy"}, []string{"Olena", "Natalia", "Oksana"}},
		{"Senegal", []string{"Diop", "Ndiaye", "Fall", "Sow"}, []string{"Mamadou", "Cheikh"}, []string{"Awa", "Fatou"}},
		{"Perù", []string{"Quispe", "Flores", "Huamán"}, []string{"José", "Luis"}, []string{"Rosa", "Carmen"}},
	}
)

func newGenerator(places *assets.Places, seed uint64) (*generator, error) {
	g := &generator{
		places:  places,
		rng:     rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		parser:  newParser(places, genNow),
		mapping: GuessMapping(GenHeader),
		comuni:  places.Comuni(),
		cfs:     map[string]bool{},
		family:  10000,
	}
	find := func(name string, foreign bool) (genPlace, error) {
		for _, p := range places.Search(name, time.Time{}, 10) {
			if p.Foreign == foreign && fold(p.Name) == fold(name) {
				return genPlace{code: p.Code, name: p.Name, prov: p.Province, from: p.From}, nil
			}
		}
		return genPlace{}, fmt.Errorf("xlsx: generator: place %q not in the table", name)
	}
	var err error
	if g.home, err = find("Borgo San Lorenzo", false); err != nil {
		return nil, err
	}
	for _, c := range genCities {
		p, err := find(c, false)
		if err != nil {
			return nil, err
		}
		g.cities = append(g.cities, p)
	}
	for _, o := range genOrigins {
		p, err := find(o.state, true)
		if err != nil {
			return nil, err
		}
		st, ok := places.ByCode(p.code, time.Time{})
		if !ok || st.IstatCode == "" {
			return nil, fmt.Errorf("xlsx: generator: no ISTAT code for %s", o.state)
		}
		g.origins = append(g.origins, genOrigin{state: p, cit: st.IstatCode, surnames: o.surnames, men: o.men, wom: o.wom})
	}
	return g, nil
}

func (g *generator) pick(list []string) string { return list[g.rng.IntN(len(list))] }

// householdSize follows roughly the ISTAT distribution of family sizes.
func (g *generator) householdSize() int {
	switch x := g.rng.IntN(100); {
	case x < 33:
		return 1
	case x < 60:
		return 2
	case x < 80:
		return 3
	case x < 94:
		return 4
	case x < 98:
		return 5
	}
	return 6
}

type genPerson struct {
	rel     string
	surname string
	name    string
	sex     byte
	birth   time.Time
	foreign bool
}

// household returns the records of one family of size persons.
func (g *generator) household(size int) ([][]string, error) {
	g.family++
	fam := strconv.Itoa(g.family)
	var origin *genOrigin
	if g.rng.IntN(10) == 0 {
		origin = &g.origins[g.rng.IntN(len(g.origins))]
	}
	street := g.pick(genStreets)
	civico := strconv.Itoa(1 + g.rng.IntN(120))
	if g.rng.IntN(8) == 0 {
		civico += "/" + string(rune('A'+g.rng.IntN(3)))
	}
	surnames := genSurnames
	if origin != nil {
		surnames = origin.surnames
	}

	headAge := 22 + g.rng.IntN(70)
	if size > 2 {
		headAge = 28 + g.rng.IntN(35)
	}
	headSex := byte('M')
	if size == 1 && g.rng.IntN(2) == 0 || size > 1 && g.rng.IntN(5) == 0 {
		headSex = 'F'
	}
	famSurname := g.pick(surnames)
	members := []genPerson{{rel: RelIntestatario, surname: famSurname, sex: headSex, birth: g.birth(headAge), foreign: origin != nil}}
	if size >= 2 && g.rng.IntN(10) < 8 {
		sex := byte('F')
		if headSex == 'F' {
			sex = 'M'
		}
		age := max(18, headAge-5+g.rng.IntN(10))
		members = append(members, genPerson{rel: RelConiuge, surname: g.pick(surnames), sex: sex, birth: g.birth(age), foreign: origin != nil})
	}
	for len(members) < size {
		if len(members) == size-1 && size >= 5 && headAge > 45 {
			// A widowed parent living with the family.
			sex := byte('F')
			if g.rng.IntN(3) == 0 {
				sex = 'M'
			}
			members = append(members, genPerson{rel: "6", surname: g.pick(surnames), sex: sex, birth: g.birth(headAge + 22 + g.rng.IntN(10)), foreign: origin != nil})
			continue
		}
		sex := byte('M')
		if g.rng.IntN(2) == 0 {
			sex = 'F'
		}
		age := g.rng.IntN(max(1, min(headAge-18, 30)))
		surname := famSurname
		if headSex == 'F' && len(members) > 1 && members[1].rel == RelConiuge {
			surname = members[1].surname // the father's surname
		}
		members = append(members, genPerson{rel: RelFiglio, surname: surname, sex: sex, birth: g.birth(age),
			foreign: origin != nil && g.rng.IntN(2) == 0})
	}

	var out [][]string
	for _, m := range members {
		rec, err := g.record(fam, m, origin, street, civico)
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	return out, nil
}

// birth returns a birth date of someone age years old at genNow.
func (g *generator) birth(age int) time.Time {
	d := genNow.AddDate(-age-1, 0, 1+g.rng.IntN(364))
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
}

// record writes one person, trying other names and birthplaces until the
// row passes the parser (a homonym codice fiscale, a comune renamed since
// the birth date).
func (g *generator) record(fam string, m genPerson, origin *genOrigin, street, civico string) ([]string, error) {
	for attempt := 0; ; attempt++ {
		names := genMen
		if m.sex == 'F' {
			names = genWomen
		}
		if origin != nil && (m.foreign || g.rng.IntN(2) == 0) {
			names = origin.men
			if m.sex == 'F' {
				names = origin.wom
			}
		}
		name := g.pick(names)
		if attempt > 3 {
			name += " " + g.pick(names) // second name against homonym codes
		}
		m.name = name
		var place genPlace
		switch {
		case m.foreign:
			place = origin.state
			if !g.places.ValidAt(place.code, m.birth) {
				m.birth = place.from.AddDate(0, 0, 1+g.rng.IntN(300))
			}
		case attempt > 5 || g.rng.IntN(10) < 4:
			place = g.home
		case g.rng.IntN(2) == 0:
			place = g.cities[g.rng.IntN(len(g.cities))]
		default:
			c := g.comuni[g.rng.IntN(len(g.comuni))]
			place = genPlace{code: c.Code, name: c.Name, prov: c.Province, from: c.From}
		}
		rec := make([]string, gCols)
		rec[gFam] = fam
		rec[gRel] = g.relation(m.rel, m.sex)
		rec[gSurname] = strings.ToUpper(m.surname)
		rec[gName] = strings.ToUpper(m.name)
		rec[gSex] = string(m.sex)
		if g.rng.IntN(10) == 0 {
			rec[gDate] = m.birth.Format("2006-01-02")
		} else {
			rec[gDate] = m.birth.Format("02/01/2006")
		}
		rec[gPlace], rec[gProv] = strings.ToUpper(place.name), place.prov
		if m.foreign {
			rec[gProv] = "EE"
		} else if g.rng.IntN(5) == 0 {
			rec[gPlace], rec[gProv] = rec[gPlace]+" ("+place.prov+")", ""
		}
		switch {
		case origin != nil && g.rng.IntN(2) == 0:
			rec[gCit] = origin.cit
		case origin != nil:
			rec[gCit] = strings.ToUpper(origin.state.name)
		case g.rng.IntN(4) == 0:
			rec[gCit] = assets.Italian
		default:
			rec[gCit] = "ITALIANA"
		}
		cf, err := codicefiscale.Compute(m.surname, m.name, m.sex, m.birth, place.code)
		if err != nil {
			return nil, fmt.Errorf("xlsx: generator: %w", err)
		}
		if g.cfs[cf] {
			continue
		}
		rec[gCF] = cf
		rec[gStreet], rec[gCivico] = street, civico
		rec[gCAP], rec[gComune] = "50032", "BORGO SAN LORENZO"
		if _, problems := g.parser.row(rec, g.mapping); len(problems) > 0 {
			if attempt > 50 {
				return nil, fmt.Errorf("xlsx: generator cannot make a valid row: %v: %v", rec, problems)
			}
			continue
		}
		g.cfs[cf] = true
		return rec, nil
	}
}

func (g *generator) relation(code string, sex byte) string {
	if g.rng.IntN(2) == 0 {
		return code
	}
	switch code {
	case RelIntestatario:
		return "INTESTATARIO SCHEDA"
	case RelConiuge:
		if sex == 'F' {
			return "MOGLIE"
		}
		return "MARITO"
	case RelFiglio:
		if sex == 'F' {
			return "FIGLIA"
		}
		return "FIGLIO"
	}
	return strings.ToUpper(RelationshipLabel(code))
}

// spoil makes a good record bad in one way, cycling through the kinds.
func (g *generator) spoil(rec []string, i int) ([]string, error) {
	rec = slices.Clone(rec)
	switch g.badKinds % 5 {
	case 0: // wrong check character
		cf := []byte(rec[gCF])
		cf[15] = 'A' + (cf[15]-'A'+1+byte(g.rng.IntN(24)))%26
		rec[gCF] = string(cf)
	case 1: // a date that does not exist
		y := rec[gDate][len(rec[gDate])-4:]
		if strings.Contains(rec[gDate], "-") {
			y = rec[gDate][:4]
		}
		rec[gDate] = "31/02/" + y
	case 2:
		rec[gSurname] = ""
	case 3:
		rec[gPlace] = g.pick([]string{"BORGO FANTASMA", "PAESE INESISTENTE", "XYZ", "CITTÀ DEL NULLA"})
	case 4:
		rec[gSex] = g.pick([]string{"X", "?", "MF", "N"})
	}
	g.badKinds++
	if _, problems := g.parser.row(rec, g.mapping); len(problems) == 0 {
		return nil, fmt.Errorf("xlsx: generator: spoiled row %d still valid: %v", i, rec)
	}
	return rec, nil
}
