package xlsx

import (
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Field is a target field of the import. Its value is a stable identifier,
// saved in the remembered Mapping: never change one.
type Field string

const (
	FieldCodiceFiscale   Field = "codice_fiscale"
	FieldSurname         Field = "surname"
	FieldGivenName       Field = "given_name"
	FieldSex             Field = "sex"
	FieldBirthDate       Field = "birth_date"
	FieldBirthPlace      Field = "birth_place"    // comune name ("ROMA", "ROMA (RM)"), Belfiore code, ISTAT code or foreign state
	FieldBirthProvince   Field = "birth_province" // province sigla of the birth comune, "EE" abroad
	FieldBirthCountry    Field = "birth_country"  // foreign state of birth, when a separate column
	FieldCitizenship     Field = "citizenship"    // state name, "italiana", ISTAT code or Z-code
	FieldResidenceComune Field = "residence_comune"
	FieldStreet          Field = "street"
	FieldHouseNumber     Field = "house_number"
	FieldCAP             Field = "cap"
	FieldFamilyID        Field = "family_id"    // codice famiglia / numero foglio
	FieldRelationship    Field = "relationship" // relazione di parentela con l'intestatario: ANPR code or label
)

// Fields lists the fields in the order a mapping dialog shows them.
var Fields = []Field{
	FieldCodiceFiscale, FieldSurname, FieldGivenName, FieldSex, FieldBirthDate,
	FieldBirthPlace, FieldBirthProvince, FieldBirthCountry, FieldCitizenship,
	FieldResidenceComune, FieldStreet, FieldHouseNumber, FieldCAP,
	FieldFamilyID, FieldRelationship,
}

// Required are the fields a mapping must assign a column to. The birth
// place is required per row unless the codice fiscale gives it.
var Required = []Field{FieldSurname, FieldGivenName, FieldSex, FieldBirthDate}

var fieldLabels = map[Field]string{
	FieldCodiceFiscale:   "Codice fiscale",
	FieldSurname:         "Cognome",
	FieldGivenName:       "Nome",
	FieldSex:             "Sesso",
	FieldBirthDate:       "Data di nascita",
	FieldBirthPlace:      "Luogo di nascita",
	FieldBirthProvince:   "Provincia di nascita",
	FieldBirthCountry:    "Stato estero di nascita",
	FieldCitizenship:     "Cittadinanza",
	FieldResidenceComune: "Comune di residenza",
	FieldStreet:          "Indirizzo",
	FieldHouseNumber:     "Numero civico",
	FieldCAP:             "CAP",
	FieldFamilyID:        "Codice famiglia",
	FieldRelationship:    "Relazione di parentela",
}

// Label is the Italian name of the field, for the mapping dialog.
func (f Field) Label() string {
	if l, ok := fieldLabels[f]; ok {
		return l
	}
	return string(f)
}

// Mapping gives the column index (0-based) of each mapped field; a field
// without a column is absent. It marshals to JSON as an object keyed by
// the Field identifiers, so the UI can remember it.
type Mapping map[Field]int

// Check reports what prevents importing with m: required fields without a
// column, columns beyond the header, or one column used twice. The text is
// Italian; "" means the mapping is usable.
func (m Mapping) Check(header []string) string {
	var missing []string
	for _, f := range Required {
		if _, ok := m[f]; !ok {
			missing = append(missing, f.Label())
		}
	}
	if len(missing) > 0 {
		return "Associare una colonna ai campi obbligatori: " + strings.Join(missing, ", ") + "."
	}
	used := map[int]Field{}
	for _, f := range Fields {
		c, ok := m[f]
		if !ok {
			continue
		}
		if c < 0 || c >= len(header) {
			return fmt.Sprintf("Il campo «%s» è associato a una colonna che il file non ha (%d).", f.Label(), c+1)
		}
		if g, dup := used[c]; dup {
			return fmt.Sprintf("La colonna «%s» è associata sia a «%s» sia a «%s».", header[c], g.Label(), f.Label())
		}
		used[c] = f
	}
	for f := range m {
		if _, known := fieldLabels[f]; !known {
			return fmt.Sprintf("Campo sconosciuto nell'associazione delle colonne: %q.", string(f))
		}
	}
	return ""
}

// headerNames are the normalised header names (see headerKey) each field
// is recognised by, as Anagrafe software and spreadsheets write them.
var headerNames = map[Field][]string{
	FieldCodiceFiscale: {"CODICEFISCALE", "CF", "CODICEFISCALEPERSONA", "CODICEFISCALECITTADINO", "CFISCALE", "FISCALE"},
	FieldSurname:       {"COGNOME", "COGNOMI", "COGNOMEPERSONA"},
	FieldGivenName:     {"NOME", "NOMI", "NOMEPERSONA", "PRENOME"},
	FieldSex:           {"SESSO", "GENERE", "SEX"},
	FieldBirthDate:     {"DATANASCITA", "NASCITADATA", "DATANASCITAPERSONA"},
	FieldBirthPlace: {"COMUNENASCITA", "LUOGONASCITA", "CODICECOMUNENASCITA", "CODICEISTATCOMUNENASCITA",
		"CODICECATASTALENASCITA", "CODICECATASTALECOMUNENASCITA", "BELFIORENASCITA", "COMUNESTATONASCITA",
		"LUOGOSTATONASCITA", "NASCITACOMUNE", "NASCITALUOGO", "DESCRIZIONECOMUNENASCITA", "COMUNENASCITADESCRIZIONE"},
	FieldBirthProvince: {"PROVINCIANASCITA", "SIGLAPROVINCIANASCITA", "NASCITAPROVINCIA", "PROVINCIACOMUNENASCITA"},
	FieldBirthCountry: {"STATONASCITA", "STATOESTERONASCITA", "NAZIONENASCITA", "PAESENASCITA",
		"NASCITASTATO", "CODICESTATONASCITA", "DESCRIZIONESTATONASCITA"},
	FieldCitizenship: {"CITTADINANZA", "CODICECITTADINANZA", "NAZIONALITA", "CITTADINANZADESCRIZIONE",
		"DESCRIZIONECITTADINANZA", "CITTADINANZA1", "PRIMACITTADINANZA", "STATOCITTADINANZA"},
	FieldResidenceComune: {"COMUNERESIDENZA", "COMUNE", "CODICECOMUNERESIDENZA", "RESIDENZACOMUNE",
		"CODICEISTATCOMUNERESIDENZA", "CODICECATASTALECOMUNERESIDENZA", "COMUNEDOMICILIO"},
	FieldStreet: {"INDIRIZZO", "INDIRIZZORESIDENZA", "VIA", "VIAPIAZZA", "DENOMINAZIONESTRADALE", "TOPONIMO",
		"STRADA", "RESIDENZAINDIRIZZO", "RESIDENZA", "DESCRIZIONEVIA", "TOPONIMOSTRADALE"},
	FieldHouseNumber: {"CIVICO", "NUMEROCIVICO", "CIVICORESIDENZA", "NUMEROCIVICORESIDENZA"},
	FieldCAP:         {"CAP", "CODICEPOSTALE", "CAPRESIDENZA", "CODICEAVVIAMENTOPOSTALE"},
	FieldFamilyID: {"CODICEFAMIGLIA", "FAMIGLIA", "NUMEROFAMIGLIA", "IDFAMIGLIA", "IDENTIFICATIVOFAMIGLIA",
		"NUMEROFOGLIO", "FOGLIO", "FOGLIOFAMIGLIA", "NUMEROFOGLIOFAMIGLIA", "CODICESCHEDA", "NUMEROSCHEDA",
		"SCHEDAFAMIGLIA", "CODICEFAMIGLIAANAGRAFICA", "FAMIGLIAANAGRAFICA", "NUMEROFAMIGLIAANAGRAFICA", "IDSCHEDA"},
	FieldRelationship: {"RELAZIONEPARENTELA", "PARENTELA", "RAPPORTOPARENTELA", "RELAZIONE", "CODICEPARENTELA",
		"RELAZIONEINTESTATARIO", "RAPPORTOINTESTATARIO", "GRADOPARENTELA", "LEGAMEPARENTELA",
		"RELAZIONEPARENTELAINTESTATARIO", "CODICERELAZIONEPARENTELA", "RELAZIONEPARENTELAFAMIGLIA",
		"RAPPORTOPARENTELAINTESTATARIO", "POSIZIONEFAMIGLIA", "RELAZIONECAPOFAMIGLIA", "RAPPORTOCAPOFAMIGLIA"},
}

// headerWords expands abbreviations and drops linking words, so that
// "Cod. Fam.", "COD_FAMIGLIA" and "Codice della famiglia" all give
// CODICEFAMIGLIA.
var headerWords = map[string]string{
	"COD": "CODICE", "CD": "CODICE", "NUM": "NUMERO", "NR": "NUMERO", "N": "NUMERO",
	"PROV": "PROVINCIA", "PR": "PROVINCIA", "DT": "DATA", "NASC": "NASCITA", "NATO": "NASCITA", "NATA": "NASCITA",
	"RES": "RESIDENZA", "FISC": "FISCALE", "FAM": "FAMIGLIA", "PARENT": "PARENTELA", "REL": "RELAZIONE",
	"CITT": "CITTADINANZA", "ID": "ID", "IND": "INDIRIZZO", "CIV": "CIVICO", "ISTAT": "ISTAT",
	"DI": "", "DEL": "", "DELLA": "", "DELL": "", "DEI": "", "DELLO": "", "CON": "", "LA": "", "IL": "", "L": "",
	"DA": "", "AL": "", "ALL": "",
}

// headerKey normalises a column header: no accents, upper case, words split
// at punctuation and camelCase, abbreviations expanded, a trailing
// "(gg/mm/aaaa)" or similar note dropped, no separators.
func headerKey(h string) string {
	if i := strings.IndexAny(h, "(["); i > 0 {
		h = h[:i]
	}
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, string(cur))
			cur = cur[:0]
		}
	}
	prevLower := false
	for _, r := range foldAccents(h) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if unicode.IsUpper(r) && prevLower {
				flush()
			}
			prevLower = unicode.IsLower(r)
			cur = append(cur, unicode.ToUpper(r))
		default:
			flush()
			prevLower = false
		}
	}
	flush()
	var b strings.Builder
	for _, w := range words {
		if x, ok := headerWords[w]; ok {
			w = x
		}
		b.WriteString(w)
	}
	return b.String()
}

// GuessMapping recognises the usual column headers of Anagrafe exports
// (COGNOME, NOME, CODICE_FISCALE, DATA_NASCITA, SESSO, COMUNE_NASCITA,
// COD_FAMIGLIA, RELAZIONE_PARENTELA, INDIRIZZO, …), ignoring case, accents,
// spaces, underscores and common abbreviations. Each column is used at
// most once; the first column wins when two look alike.
func GuessMapping(header []string) Mapping {
	byKey := map[string]Field{}
	for _, f := range Fields {
		for _, k := range headerNames[f] {
			byKey[k] = f
		}
	}
	m := Mapping{}
	for i, h := range header {
		f, ok := byKey[headerKey(h)]
		if !ok {
			continue
		}
		if _, taken := m[f]; !taken {
			m[f] = i
		}
	}
	return m
}

// foldAccents removes diacritics (è → e) and keeps everything else.
func foldAccents(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// fold reduces a name to upper-case unaccented words separated by single
// spaces, so that "Sant'Agata de' Goti", "SANT AGATA DE GOTI" and
// "CANTU'" / "Cantù" compare equal.
func fold(s string) string {
	s = foldAccents(s)
	var b strings.Builder
	b.Grow(len(s))
	space := true
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToUpper(r))
			space = false
			continue
		}
		if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimSuffix(b.String(), " ")
}
