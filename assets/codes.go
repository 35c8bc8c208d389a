package assets

import (
	"bytes"
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"sync"
)

// The code tables of the intake forms (scheda di accesso) are small CSV
// files, one per list, described by data/codes/index.csv; data/codes/
// SOURCES.md says where each comes from. They are embedded and parsed once,
// on first use.
//
//go:embed data/codes/*.csv
var codesFS embed.FS

// Names of the code lists. The name is also the file name under data/codes/
// and the key under which the store keeps a responsabile's changes, so a
// name never changes once shipped.
const (
	ListModalitaAccesso        = "modalita_accesso"          // SISO
	ListMotivoAccesso          = "motivo_accesso"            // SISO
	ListInterlocutori          = "interlocutori"             // SISO
	ListInviante               = "inviante"                  // project
	ListStatoCivile            = "stato_civile"              // ANPR + local "SEP"
	ListTitoloStudio           = "titolo_studio"             // ANPR
	ListCondizioneLavorativa   = "condizione_lavorativa"     // project, from ISTAT/ANPR
	ListPosizioneProfessione   = "posizione_professione"     // ANPR
	ListProfessione            = "professione"               // ISTAT CP2021 grandi gruppi
	ListSettoreImpiego         = "settore_impiego"           // ISTAT ATECO 2007 sections
	ListTipologiaFamiliare     = "tipologia_familiare"       // project, from ISTAT
	ListTipoAbitazione         = "tipo_abitazione"           // project, from ISTAT
	ListTitoloGodimento        = "titolo_godimento"          // project, from ISTAT
	ListTipoProprietario       = "tipo_proprietario"         // project, from ISTAT
	ListConoscenzaItaliano     = "conoscenza_italiano"       // project
	ListTipoPermesso           = "tipo_permesso"             // ANPR tipo soggiorno
	ListMotivoPermesso         = "motivo_permesso"           // project, from the TUI
	ListRuoloRiferimento       = "ruolo_riferimento"         // project
	ListParentela              = "parentela"                 // ANPR
	ListProtezioneGiuridica    = "protezione_giuridica"      // SISO
	ListBisogni                = "bisogni"                   // project
	ListTipologiaPresaInCarico = "tipologia_presa_in_carico" // project
	ListAreaUtenza             = "area_utenza"               // ISTAT SDMX codes
	ListTipoAllegato           = "tipo_allegato"             // project
)

// LocalStatoCivileSeparato is the code of "Separato/a" in ListStatoCivile:
// a value added by the project, since ANPR does not record separation.
const LocalStatoCivileSeparato = "SEP"

// Code is one value of a code list.
type Code struct {
	Code, Label string
	// Retired values stay readable on old records but are not offered
	// for new ones.
	Retired bool
}

// CodeList is a named list of codes, in the order the forms show them.
type CodeList struct {
	Name   string // one of the List… constants
	Title  string // Italian title, for a form label or an admin screen
	Source string // where the values come from (source, licence), in Italian
	Codes  []Code
}

// Label returns the label of code, retired ones included, or "" if the
// list has no such code.
func (l CodeList) Label(code string) string {
	if c, ok := l.Code(code); ok {
		return c.Label
	}
	return ""
}

// Code finds a value by its code, retired ones included.
func (l CodeList) Code(code string) (Code, bool) {
	for _, c := range l.Codes {
		if c.Code == code {
			return c, true
		}
	}
	return Code{}, false
}

// Active returns the values offered for new records, in list order. The
// slice is the caller's.
func (l CodeList) Active() []Code {
	out := make([]Code, 0, len(l.Codes))
	for _, c := range l.Codes {
		if !c.Retired {
			out = append(out, c)
		}
	}
	return out
}

// Offer returns the values a form should offer for a field whose current
// values are keep: the active values plus any retired value in keep, so that
// editing an old record neither hides nor silently drops its value. Order is
// list order.
func (l CodeList) Offer(keep ...string) []Code {
	out := make([]Code, 0, len(l.Codes))
	for _, c := range l.Codes {
		if !c.Retired || slices.Contains(keep, c.Code) {
			out = append(out, c)
		}
	}
	return out
}

// CodeForLabel finds the code whose label is label (retired ones included),
// for widgets such as a Fyne Select that work on labels.
func (l CodeList) CodeForLabel(label string) (string, bool) {
	for _, c := range l.Codes {
		if c.Label == label {
			return c.Code, true
		}
	}
	return "", false
}

// Labels returns the labels of codes in order; helper for Select widgets.
func Labels(codes []Code) []string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = c.Label
	}
	return out
}

// Merge returns the list with changes applied, as a responsabile's edits are
// stored: a change whose code exists replaces that value (new label,
// retired or re-activated) in place; a new code is appended. l is not
// modified.
func (l CodeList) Merge(changes []Code) CodeList {
	out := l
	out.Codes = slices.Clone(l.Codes)
	for _, ch := range changes {
		if i := slices.IndexFunc(out.Codes, func(c Code) bool { return c.Code == ch.Code }); i >= 0 {
			out.Codes[i] = ch
		} else {
			out.Codes = append(out.Codes, ch)
		}
	}
	return out
}

// List returns the default (shipped) list called name. Its Codes slice is the
// caller's.
func List(name string) (CodeList, bool) {
	t := codeTables()
	l, ok := t.lists[name]
	if ok {
		l.Codes = slices.Clone(l.Codes)
	}
	return l, ok
}

// MustList is List for the List… constants: it panics on an unknown name,
// which is a programming error.
func MustList(name string) CodeList {
	l, ok := List(name)
	if !ok {
		panic("assets: unknown code list " + name)
	}
	return l
}

// ListNames returns the names of all lists in the order of the intake form.
func ListNames() []string {
	return slices.Clone(codeTables().names)
}

// SIUSSAreaUtenza maps an ISTAT area of ListAreaUtenza to the SIUSS
// AreaUtenza attribute of the PS-PSA-SINA flow (1 famiglia e minori,
// 2 disabilità e non autosufficienza, 3 povertà ed esclusione sociale), as
// SISO's export does; "" for an unknown area. MULBEN (multiutenza) has no
// exact SIUSS counterpart and maps to 3.
func SIUSSAreaUtenza(area string) string {
	switch area {
	case "FAM":
		return "1"
	case "DIS", "ELD":
		return "2"
	case "IMMNOM", "POV", "ADD", "MULBEN":
		return "3"
	}
	return ""
}

type codeTableSet struct {
	lists map[string]CodeList
	names []string
	cat   []ServiceArea
}

var (
	codesOnce sync.Once
	codesData *codeTableSet
)

// codeTables parses the embedded tables on first use. The data is part of
// the program and checked by the tests, so a parse error is a build defect
// and panics.
func codeTables() *codeTableSet {
	codesOnce.Do(func() {
		t, err := parseCodeTables()
		if err != nil {
			panic("assets: " + err.Error())
		}
		codesData = t
	})
	return codesData
}

func parseCodeTables() (*codeTableSet, error) {
	index, err := readCSV("index.csv", 3)
	if err != nil {
		return nil, err
	}
	t := &codeTableSet{lists: make(map[string]CodeList, len(index))}
	for _, r := range index {
		name := r[0]
		rows, err := readCSV(name+".csv", 3)
		if err != nil {
			return nil, err
		}
		l := CodeList{Name: name, Title: r[1], Source: r[2], Codes: make([]Code, len(rows))}
		for i, c := range rows {
			ret, err := retired(name+".csv", i+2, c[2])
			if err != nil {
				return nil, err
			}
			l.Codes[i] = Code{Code: c[0], Label: c[1], Retired: ret}
		}
		if _, dup := t.lists[name]; dup {
			return nil, fmt.Errorf("index.csv: list %s twice", name)
		}
		t.lists[name] = l
		t.names = append(t.names, name)
	}
	if t.cat, err = parseCatalogue(); err != nil {
		return nil, err
	}
	return t, nil
}

// retired reads the "retired" column: empty, or R.
func retired(file string, line int, v string) (bool, error) {
	switch v {
	case "":
		return false, nil
	case "R":
		return true, nil
	}
	return false, fmt.Errorf("%s line %d: retired must be empty or R, not %q", file, line, v)
}

// readCSV returns the rows of data/codes/name without the header row,
// checking that every row has nfields fields.
func readCSV(name string, nfields int) ([][]string, error) {
	b, err := codesFS.ReadFile("data/codes/" + name)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = nfields
	if _, err := r.Read(); err != nil { // header
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var rows [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		rows = append(rows, rec)
	}
}
