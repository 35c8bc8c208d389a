package xlsx

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"cartella/assets"
	"cartella/store/codicefiscale"
)

// Row is one checked person of the file.
type Row struct {
	Line                                   int // 1-based file line (header = 1)
	CodiceFiscale, Surname, GivenName, Sex string
	BirthDate                              time.Time // UTC midnight
	BirthPlace                             string    // Belfiore code (Z-code abroad)
	Citizenship                            string    // ISTAT 3-digit code; "" if not in the file
	ResidenceComune, Street, CAP, FamilyID string    // ResidenceComune: Belfiore code
	Relationship                           string    // ANPR code (Tabella 5); "" if not in the file
	Warnings                               []string  // Italian; things worth a look that do not stop the import
}

// RowError is a row that cannot be imported, with every reason found.
type RowError struct {
	Line   int    // 1-based file line; 1 (the header) for a problem of the mapping
	Reason string // Italian, lower case: "codice fiscale non valido: …"
}

// Error gives "Riga 57: codice fiscale non valido: …".
func (e RowError) Error() string { return fmt.Sprintf("Riga %d: %s", e.Line, e.Reason) }

// ParseRows checks every row of t with the columns of m and returns the
// good rows and one RowError per bad row, both in file order. A row with
// any problem is not returned at all, so nothing of it can be half-imported.
// Blank rows are skipped (ReadTable already drops them).
//
// Rules: surname, given name, sex and birth date are required; the birth
// place too, unless the codice fiscale gives it. Dates may be dd/mm/yyyy,
// dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd, yyyymmdd or an Excel serial number.
// The birth place is resolved at the birth date: a Belfiore code, an ISTAT
// code, a comune name ("ROMA", "ROMA (RM)" or with the province column),
// or a foreign state. The codice fiscale is checked with its check
// character and birthplace (provisional, STP and ENI codes are accepted);
// a code that disagrees with the other data is a warning, because the
// registry is the authority. A codice fiscale may appear only once.
//
// now is the reference for "date in the future" and for the comune of
// residence. places nil means assets.LoadPlaces().
func ParseRows(t Table, m Mapping, places *assets.Places, now time.Time) ([]Row, []RowError) {
	if msg := m.Check(t.Header); msg != "" {
		return nil, []RowError{{Line: 1, Reason: msg}}
	}
	p := newParser(places, now)
	rows := make([]Row, 0, len(t.Rows))
	var bad []RowError
	seen := make(map[string]int, len(t.Rows))
	for i, rec := range t.Rows {
		line := t.Line(i)
		row, problems := p.row(rec, m)
		if len(problems) == 0 && row.CodiceFiscale != "" {
			key := codicefiscale.Canonical(row.CodiceFiscale)
			if first, dup := seen[key]; dup {
				problems = append(problems, fmt.Sprintf("codice fiscale %s già presente alla riga %d", row.CodiceFiscale, first))
			} else {
				seen[key] = line
			}
		}
		if len(problems) > 0 {
			bad = append(bad, RowError{Line: line, Reason: strings.Join(problems, "; ")})
			continue
		}
		row.Line = line
		rows = append(rows, row)
	}
	return rows, bad
}

// parser holds the look-up caches of one ParseRows call.
type parser struct {
	places *assets.Places
	now    time.Time

	istatComuni map[string]string // current ISTAT comune code → Belfiore
	istatStates map[string]string // ISTAT state code → Z-code
	cits        map[string]string // folded citizenship or state name → ISTAT code

	placeCache map[string]string   // "FOLDED NAME|PR" → Belfiore code last resolved
	resCache   map[string]resolved // residence cell → result (all at now)
}

type resolved struct {
	code string
	err  string
}

func newParser(places *assets.Places, now time.Time) *parser {
	if places == nil {
		places = assets.LoadPlaces()
	}
	if now.IsZero() {
		now = time.Now()
	}
	return &parser{places: places, now: now, placeCache: map[string]string{}, resCache: map[string]resolved{}}
}

func cell(rec []string, m Mapping, f Field) string {
	i, ok := m[f]
	if !ok || i < 0 || i >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

// quote shows a cell value in a message, shortened if long.
func quote(v string) string {
	if utf8.RuneCountInString(v) > 40 {
		r := []rune(v)
		v = string(r[:40]) + "…"
	}
	return "«" + v + "»"
}

// sentence turns a message of the codicefiscale package ("Il carattere di
// controllo … è errato: atteso X.") into a clause.
func sentence(s string) string {
	s = strings.TrimSuffix(strings.TrimSpace(s), ".")
	if r, n := utf8.DecodeRuneInString(s); n > 0 {
		s = string(unicode.ToLower(r)) + s[n:]
	}
	return s
}

func (p *parser) row(rec []string, m Mapping) (Row, []string) {
	var r Row
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	r.Surname = strings.Join(strings.Fields(cell(rec, m, FieldSurname)), " ")
	r.GivenName = strings.Join(strings.Fields(cell(rec, m, FieldGivenName)), " ")
	for _, n := range []struct{ v, what string }{{r.Surname, "cognome"}, {r.GivenName, "nome"}} {
		switch {
		case n.v == "":
			bad("%s mancante", n.what)
		case !hasLetter(n.v):
			bad("%s non valido (%s)", n.what, quote(n.v))
		}
	}

	sex := cell(rec, m, FieldSex)
	switch r.Sex = parseSex(sex); {
	case sex == "":
		bad("sesso mancante")
	case r.Sex == "":
		bad("sesso non valido (%s): indicare M o F", quote(sex))
	}

	date := cell(rec, m, FieldBirthDate)
	birth, ok := parseDate(date)
	switch {
	case date == "":
		bad("data di nascita mancante")
	case !ok:
		bad("data di nascita non valida (%s)", quote(date))
	case birth.After(p.now):
		bad("data di nascita nel futuro (%s)", birth.Format("02/01/2006"))
	case birth.Year() < 1890:
		bad("data di nascita troppo lontana nel tempo (%s): controllare l'anno", birth.Format("02/01/2006"))
	default:
		r.BirthDate = birth
	}
	dateOK := !r.BirthDate.IsZero()

	// Codice fiscale: checked against the birth date when there is one.
	var cfInfo codicefiscale.Info
	cfOK := false
	if cf := cell(rec, m, FieldCodiceFiscale); cf != "" {
		info, err := codicefiscale.Validate(cf, p.places, r.BirthDate, p.now)
		var cfErr *codicefiscale.Error
		switch {
		case err == nil:
			cfInfo, cfOK = info, true
		case asCFError(err, &cfErr) && cfErr.Place:
			// Well formed, but the embedded table does not know the
			// place at that date: the registry knows better.
			cfInfo, cfOK = info, true
			r.Warnings = append(r.Warnings, "codice fiscale: "+sentence(cfErr.Reason))
		default:
			bad("codice fiscale non valido: %s", sentence(err.Error()))
		}
		r.CodiceFiscale = info.Code
	}
	cfPlace := ""
	if cfOK && cfInfo.Kind == codicefiscale.Ordinary {
		cfPlace = cfInfo.PlaceCode
	}

	// Birth place.
	place := cell(rec, m, FieldBirthPlace)
	prov := strings.ToUpper(cell(rec, m, FieldBirthProvince))
	country := cell(rec, m, FieldBirthCountry)
	if f := fold(place); country != "" && (f == "" || f == "ESTERO" || f == "EE" || f == "STATO ESTERO") {
		place, prov = country, "EE"
	}
	switch {
	case place == "" && cfPlace != "":
		if !dateOK || p.places.ValidAt(cfPlace, r.BirthDate) {
			r.BirthPlace = cfPlace
		} else {
			bad("luogo di nascita mancante (il codice fiscale indica %s, che non esisteva alla data di nascita)", cfPlace)
		}
	case place == "":
		bad("luogo di nascita mancante")
	case dateOK:
		code, msg := p.resolvePlace(place, prov, r.BirthDate, cfPlace, false)
		if msg != "" {
			bad("luogo di nascita %s", msg)
		}
		r.BirthPlace = code
	}

	if cfOK && cfInfo.Kind == codicefiscale.Ordinary && len(problems) == 0 &&
		!codicefiscale.Matches(r.CodiceFiscale, r.Surname, r.GivenName, r.Sex[0], r.BirthDate, r.BirthPlace) {
		r.Warnings = append(r.Warnings, "il codice fiscale non corrisponde ai dati anagrafici della riga")
	}

	if c := cell(rec, m, FieldCitizenship); c != "" {
		code, ok := p.citizenship(c)
		if ok {
			r.Citizenship = code
		} else {
			bad("cittadinanza non riconosciuta (%s): indicare lo stato o il codice ISTAT", quote(c))
		}
	}

	if c := cell(rec, m, FieldResidenceComune); c != "" {
		res, ok := p.resCache[c]
		if !ok {
			res.code, res.err = p.resolvePlace(c, "", p.now, "", true)
			p.resCache[c] = res
		}
		if res.err != "" {
			bad("comune di residenza %s", res.err)
		}
		r.ResidenceComune = res.code
	}
	street := strings.Join(strings.Fields(cell(rec, m, FieldStreet)), " ")
	if n := cell(rec, m, FieldHouseNumber); n != "" && !strings.HasSuffix(street, " "+n) {
		street = strings.TrimSpace(street + " " + n)
	}
	r.Street = street
	if c := cell(rec, m, FieldCAP); c != "" {
		cap, ok := parseCAP(c)
		if !ok {
			bad("CAP non valido (%s): deve avere 5 cifre", quote(c))
		}
		r.CAP = cap
	}
	r.FamilyID = strings.TrimSuffix(cell(rec, m, FieldFamilyID), ".0")
	if c := cell(rec, m, FieldRelationship); c != "" {
		code, ok := relationshipCode(c)
		if ok {
			r.Relationship = code
		} else {
			bad("relazione di parentela non riconosciuta (%s)", quote(c))
		}
	}
	return r, problems
}

func asCFError(err error, target **codicefiscale.Error) bool {
	e, ok := err.(*codicefiscale.Error)
	if ok {
		*target = e
	}
	return ok
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

func parseSex(s string) string {
	switch fold(s) {
	case "M", "MASCHIO", "MASCHILE", "UOMO", "1":
		return "M"
	case "F", "FEMMINA", "FEMMINILE", "DONNA", "2":
		return "F"
	}
	return ""
}

func parseCAP(s string) (string, bool) {
	s = strings.TrimSuffix(s, ".0")
	if s == "" || strings.Trim(s, "0123456789") != "" || len(s) > 5 || len(s) < 3 {
		return s, false
	}
	// A spreadsheet drops the leading zeros of 00118 (Roma).
	return strings.Repeat("0", 5-len(s)) + s, true
}

// parseDate reads a birth date; ok is false if it is not a real date.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	// Drop a time of day: "1980-05-03 00:00:00", "1980-05-03T00:00:00Z".
	if i := strings.IndexAny(s, " T"); i > 0 && strings.Contains(s[i:], ":") {
		s = s[:i]
	}
	if s == "" {
		return time.Time{}, false
	}
	if allDigits(s) && len(s) == 8 {
		// yyyymmdd (ANPR), else ddmmyyyy.
		if t, ok := mkDate(atoi(s[:4]), atoi(s[4:6]), atoi(s[6:])); ok && t.Year() >= 1800 {
			return t, true
		}
		return mkDate(atoi(s[4:]), atoi(s[2:4]), atoi(s[:2]))
	}
	if serial, err := strconv.ParseFloat(s, 64); err == nil && !strings.ContainsAny(s, "eE+-") {
		if serial >= 1800 && serial < 2200 && allDigits(s) {
			return time.Time{}, false // a year alone, not a spreadsheet serial of 1905
		}
		return excelDate(serial)
	}
	sep := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' })
	if sep <= 0 || !strings.ContainsRune("/-.", rune(s[sep])) {
		return time.Time{}, false
	}
	parts := strings.Split(s, s[sep:sep+1])
	if len(parts) != 3 {
		return time.Time{}, false
	}
	for _, p := range parts {
		if !allDigits(p) || len(p) > 4 {
			return time.Time{}, false
		}
	}
	switch {
	case len(parts[0]) == 4: // yyyy-mm-dd
		return mkDate(atoi(parts[0]), atoi(parts[1]), atoi(parts[2]))
	case len(parts[2]) == 4: // dd/mm/yyyy
		return mkDate(atoi(parts[2]), atoi(parts[1]), atoi(parts[0]))
	}
	return time.Time{}, false // two-digit years are ambiguous for birth dates
}

// excelDate converts a serial day number of the 1900 date system (the
// integer part; the fraction is the time of day).
func excelDate(serial float64) (time.Time, bool) {
	if math.IsNaN(serial) || serial < 1 || serial >= 2958466 {
		return time.Time{}, false
	}
	n := int(serial)
	switch {
	case n == 60: // 29/02/1900, which Excel believes in
		return time.Time{}, false
	case n < 60:
		n++ // before Excel's phantom day
	}
	return time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n), true
}

func mkDate(y, m, d int) (time.Time, bool) {
	if m < 1 || m > 12 || d < 1 || d > 31 || y < 1 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, false // 31/02
	}
	return t, true
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func isBelfiore(s string) bool {
	return len(s) == 4 && s[0] >= 'A' && s[0] <= 'Z' && allDigits(s[1:])
}

// splitProvince reads "ROMA (RM)" as ROMA and RM.
func splitProvince(s string) (name, prov string) {
	s = strings.TrimSpace(s)
	if strings.HasSuffix(s, ")") {
		if i := strings.LastIndexByte(s, '('); i > 0 {
			p := strings.ToUpper(strings.TrimSpace(s[i+1 : len(s)-1]))
			if len(p) == 2 && p[0] >= 'A' && p[0] <= 'Z' && p[1] >= 'A' && p[1] <= 'Z' {
				return strings.TrimSpace(s[:i]), p
			}
		}
	}
	return s, ""
}

func (p *parser) istat() {
	if p.istatComuni != nil {
		return
	}
	p.istatComuni, p.istatStates = map[string]string{}, map[string]string{}
	for _, c := range p.places.Comuni() {
		if c.IstatCode != "" {
			p.istatComuni[c.IstatCode] = c.Code
		}
	}
	for _, s := range p.places.States() {
		if s.IstatCode != "" && (s.To.IsZero() || p.istatStates[s.IstatCode] == "") {
			p.istatStates[s.IstatCode] = s.Code
		}
	}
}

// resolvePlace finds the Belfiore code of a place cell valid on date at.
// hint is the place code of the codice fiscale, if any: it settles
// homonyms. It returns a message (after "luogo di nascita" or "comune di
// residenza") if the place cannot be resolved.
func (p *parser) resolvePlace(v, prov string, at time.Time, hint string, comuneOnly bool) (string, string) {
	name, p2 := splitProvince(v)
	if prov == "" {
		prov = p2
	}
	up := strings.ToUpper(strings.ReplaceAll(name, " ", ""))
	day := at.Format("02/01/2006")
	check := func(pl assets.Place, ok bool) (string, string) {
		switch {
		case !ok:
			return "", fmt.Sprintf("sconosciuto (%s)", quote(v))
		case !pl.ValidAt(at):
			return "", fmt.Sprintf("%s non valido il %s", quote(v), day)
		case comuneOnly && pl.Foreign:
			return "", fmt.Sprintf("%s non è un comune italiano", quote(v))
		}
		return pl.Code, ""
	}
	switch {
	case isBelfiore(up):
		pl, ok := p.places.ByCode(up, at)
		if !ok {
			if _, ever := p.places.ByCode(up, time.Time{}); ever {
				return "", fmt.Sprintf("%s non valido il %s", quote(v), day)
			}
		}
		return check(pl, ok)
	case allDigits(up) && (len(up) == 6 || len(up) == 3):
		p.istat()
		code := p.istatComuni[up]
		if len(up) == 3 {
			code = p.istatStates[up]
		}
		if code == "" {
			return "", fmt.Sprintf("sconosciuto (codice ISTAT %s)", up)
		}
		pl, ok := p.places.ByCode(code, at)
		if !ok {
			return "", fmt.Sprintf("%s non valido il %s", quote(v), day)
		}
		return check(pl, ok)
	}

	q := fold(name)
	if q == "" {
		return "", fmt.Sprintf("non valido (%s)", quote(v))
	}
	match := func(pl assets.Place) bool {
		if fold(pl.Name) != q && (pl.AltName == "" || fold(pl.AltName) != q) {
			return false
		}
		return p.provinceMatches(pl, prov) && (!comuneOnly || !pl.Foreign)
	}
	// The codice fiscale's place, when it agrees, needs no search.
	if hint != "" {
		if pl, ok := p.places.ByCode(hint, at); ok && match(pl) {
			return hint, ""
		}
	}
	key := q + "|" + prov
	if c, ok := p.placeCache[key]; ok && c != "" {
		if pl, ok := p.places.ByCode(c, at); ok && match(pl) {
			return c, ""
		}
	}

	found := p.places.Search(name, at, 0)
	var codes []string
	for _, pl := range found {
		if match(pl) && !contains(codes, pl.Code) {
			codes = append(codes, pl.Code)
		}
	}
	switch {
	case len(codes) == 1:
		p.remember(key, name, prov, codes[0], match)
		return codes[0], ""
	case len(codes) > 1:
		if contains(codes, hint) {
			return hint, ""
		}
		return "", fmt.Sprintf("ambiguo (%s): indicare la provincia", quote(v))
	}
	// No exact name: accept a single looser match in the right province
	// ("REGGIO EMILIA" for Reggio nell'Emilia), or the first part of a
	// bilingual name ("BOLZANO/BOZEN").
	if i := strings.IndexByte(name, '/'); i > 0 {
		return p.resolvePlace(name[:i], prov, at, hint, comuneOnly)
	}
	if prov != "" {
		for _, pl := range found {
			if p.provinceMatches(pl, prov) && (!comuneOnly || !pl.Foreign) && !contains(codes, pl.Code) {
				codes = append(codes, pl.Code)
			}
		}
		if len(codes) == 1 {
			return codes[0], ""
		}
	}
	// Say why: a foreign state where a comune is needed, the wrong
	// province, a comune that did not exist on that date.
	sameName := func(pl assets.Place) bool {
		return fold(pl.Name) == q || pl.AltName != "" && fold(pl.AltName) == q
	}
	for _, pl := range found {
		switch {
		case !sameName(pl):
		case comuneOnly && pl.Foreign:
			return "", fmt.Sprintf("%s non è un comune italiano", quote(v))
		case !p.provinceMatches(pl, prov):
			return "", fmt.Sprintf("%s: la provincia non corrisponde (%s è in provincia di %s)", quote(v), pl.Name, pl.Province)
		}
	}
	for _, pl := range p.places.Search(name, time.Time{}, 0) {
		if sameName(pl) && p.provinceMatches(pl, prov) {
			return "", fmt.Sprintf("%s non esisteva il %s", quote(v), day)
		}
	}
	return "", fmt.Sprintf("sconosciuto (%s)", quote(v))
}

// remember caches a resolved name. Without a province a name is cached only
// if no other place has it today either, so that a homonym valid on another
// date is not missed.
func (p *parser) remember(key, name, prov, code string, match func(assets.Place) bool) {
	if prov == "" {
		for _, pl := range p.places.Search(name, time.Time{}, 0) {
			if pl.Code != code && match(pl) {
				p.placeCache[key] = ""
				return
			}
		}
	}
	p.placeCache[key] = code
}

// provinceMatches accepts the province of the record or, for a comune that
// changed province, the current one (registries print today's sigla).
func (p *parser) provinceMatches(pl assets.Place, prov string) bool {
	switch {
	case prov == "":
		return true
	case prov == "EE":
		return pl.Foreign
	case pl.Province == prov:
		return true
	}
	latest, ok := p.places.ByCode(pl.Code, time.Time{})
	return ok && latest.Province == prov
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// citizenshipAdjectives maps the adjectives registries write ("ITALIANA",
// "MAROCCHINA") to state names of the citizenship list.
var citizenshipAdjectives = map[string]string{
	"ITALIANA": "ITALIA", "ROMENA": "ROMANIA", "RUMENA": "ROMANIA", "MAROCCHINA": "MAROCCO",
	"ALBANESE": "ALBANIA", "CINESE": "REPUBBLICA POPOLARE CINESE", "CINA": "REPUBBLICA POPOLARE CINESE", "UCRAINA": "UCRAINA", "FILIPPINA": "FILIPPINE",
	"INDIANA": "INDIA", "SENEGALESE": "SENEGAL", "TUNISINA": "TUNISIA", "EGIZIANA": "EGITTO",
	"PERUVIANA": "PERU", "ECUADORIANA": "ECUADOR", "NIGERIANA": "NIGERIA", "PAKISTANA": "PAKISTAN",
	"BANGLADESE": "BANGLADESH", "MOLDAVA": "MOLDOVA", "POLACCA": "POLONIA", "BRASILIANA": "BRASILE",
	"TEDESCA": "GERMANIA", "FRANCESE": "FRANCIA", "SPAGNOLA": "SPAGNA", "RUSSA": "FEDERAZIONE RUSSA", "RUSSIA": "FEDERAZIONE RUSSA",
	"GEORGIANA": "GEORGIA", "MACEDONE": "MACEDONIA", "MACEDONIA DEL NORD": "MACEDONIA", "SERBA": "SERBIA", "KOSOVARA": "KOSOVO",
	"CROATA": "CROAZIA", "BULGARA": "BULGARIA", "GHANESE": "GHANA", "IVORIANA": "COSTA D AVORIO",
	"SRILANKESE": "SRI LANKA", "CINGALESE": "SRI LANKA", "DOMINICANA": "REPUBBLICA DOMINICANA",
	"COLOMBIANA": "COLOMBIA", "CUBANA": "CUBA", "VENEZUELANA": "VENEZUELA", "SOMALA": "SOMALIA",
	"ETIOPE": "ETIOPIA", "ERITREA": "ERITREA", "GAMBIANA": "GAMBIA", "MALIANA": "MALI",
	"BRITANNICA": "REGNO UNITO", "INGLESE": "REGNO UNITO", "STATUNITENSE": "STATI UNITI D AMERICA",
	"SVIZZERA": "SVIZZERA", "AUSTRIACA": "AUSTRIA", "GRECA": "GRECIA", "TURCA": "TURCHIA",
	"IRANIANA": "IRAN", "AFGHANA": "AFGHANISTAN", "SIRIANA": "SIRIA", "IRACHENA": "IRAQ",
	"LIBICA": "LIBIA", "ALGERINA": "ALGERIA", "BIELORUSSA": "BIELORUSSIA", "SLOVACCA": "SLOVACCHIA",
	"CECA": "REPUBBLICA CECA", "UNGHERESE": "UNGHERIA", "LITUANA": "LITUANIA", "LETTONE": "LETTONIA",
	"PORTOGHESE": "PORTOGALLO", "OLANDESE": "PAESI BASSI", "BELGA": "BELGIO", "ARGENTINA": "ARGENTINA",
	"BOSNIACA": "BOSNIA ERZEGOVINA", "MONTENEGRINA": "MONTENEGRO", "CAMERUNENSE": "CAMERUN",
	"BURKINABE": "BURKINA FASO", "GUINEANA": "GUINEA", "SUDANESE": "SUDAN",
}

func (p *parser) citizenship(v string) (string, bool) {
	if p.cits == nil {
		p.cits = map[string]string{}
		for _, s := range p.places.States() {
			if s.IstatCode != "" {
				p.cits[fold(s.Name)] = s.IstatCode
				if s.AltName != "" {
					p.cits[fold(s.AltName)] = s.IstatCode
				}
			}
		}
		for _, c := range p.places.Citizenships() {
			// "Sri Lanka (ex Ceylon)", "Repubblica di Serbia": also the
			// plain name.
			p.cits[fold(c.Name)] = c.Code
			name := c.Name
			if i := strings.IndexByte(name, '('); i > 0 {
				name = name[:i]
			}
			k := fold(name)
			p.cits[k] = c.Code
			if rest, ok := strings.CutPrefix(k, "REPUBBLICA DI "); ok {
				p.cits[rest] = c.Code
			}
		}
		p.cits["ITALIA"] = assets.Italian
	}
	up := strings.ToUpper(strings.TrimSpace(v))
	switch {
	case allDigits(up) && len(up) <= 3:
		code := strings.Repeat("0", 3-len(up)) + up
		_, ok := p.places.CitizenshipByCode(code)
		return code, ok
	case isBelfiore(up):
		if pl, ok := p.places.ByCode(up, time.Time{}); ok && pl.Foreign {
			_, ok := p.places.CitizenshipByCode(pl.IstatCode)
			return pl.IstatCode, ok
		}
		return "", false
	}
	q := fold(v)
	if c, ok := p.cits[q]; ok {
		return c, true
	}
	for _, cand := range []string{q, strings.TrimSuffix(q, "O") + "A", strings.TrimSuffix(q, "I") + "A", strings.TrimSuffix(q, "E") + "A"} {
		if state, ok := citizenshipAdjectives[cand]; ok {
			if c, ok := p.cits[state]; ok {
				return c, true
			}
		}
	}
	return "", false
}
