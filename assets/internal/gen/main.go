// Command gen builds the compact place tables embedded by package assets from
// the reference files in the shared data folder. It runs only at development
// time (go generate), so the program never needs those files.
//
//	go run ./internal/gen -src /work/shared/data -out data
package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// record is one row of the output table; dates are "YYYYMMDD", to is empty
// while the place is still valid and is the last valid day otherwise.
type record struct {
	code, name, alt, prov, istat, from, to string
	foreign                                bool
	upper, altUpper                        string // ANPR names, used to merge
}

type citizenship struct{ code, name string }

// aka gives ceased states the short name people actually type.
var aka = map[string]string{
	"Z111": "DDR, Germania Est",
	"Z118": "Iugoslavia",
	"Z135": "URSS, Unione Sovietica",
}

func main() {
	src := flag.String("src", "", "shared data folder (holds comuni_stati/)")
	out := flag.String("out", "data", "output folder")
	flag.Parse()
	if *src == "" {
		log.Fatal("gen: -src is required")
	}
	dir := filepath.Join(*src, "comuni_stati")

	c := newCaser()
	current := readElenco(filepath.Join(dir, "Elenco-comuni-italiani.csv"), c)
	recs := readComuni(filepath.Join(dir, "ANPR_archivio_comuni.csv"), c, current)
	states, cits := readStates(filepath.Join(dir, "tab_Stati_Esteri.csv"), c)
	have := map[string]bool{}
	for _, r := range states {
		have[r.code] = true
	}
	for _, f := range []string{"countries-patch.json", "deleted-countries.json", "countries.json"} {
		for _, r := range readJSONStates(filepath.Join(dir, f)) {
			if !have[r.code] {
				have[r.code] = true
				states = append(states, r)
			}
		}
	}
	for i := range states {
		states[i].alt = aka[states[i].code]
	}
	recs = append(recs, states...)
	sort.SliceStable(recs, func(i, j int) bool {
		if recs[i].code != recs[j].code {
			return recs[i].code < recs[j].code
		}
		return recs[i].from < recs[j].from
	})

	var b bytes.Buffer
	b.WriteString("code;name;alt;prov;istat;from;to;foreign\n")
	for _, r := range recs {
		f := ""
		if r.foreign {
			f = "E"
		}
		writeRow(&b, r.code, r.name, r.alt, r.prov, r.istat, r.from, r.to, f)
	}
	writeFile(filepath.Join(*out, "places.csv"), b.Bytes())

	b.Reset()
	b.WriteString("code;name\n")
	for _, ct := range cits {
		writeRow(&b, ct.code, ct.name)
	}
	writeFile(filepath.Join(*out, "citizenships.csv"), b.Bytes())
	log.Printf("gen: %d place records (%d foreign), %d citizenships", len(recs), len(states), len(cits))
}

type elencoRow struct{ name, alt string }

// readElenco returns the proper-case names of current comuni by Belfiore
// code and teaches the caser their casing.
func readElenco(path string, c *caser) map[string]elencoRow {
	rows := readCSV(path, ';')
	const colName, colAlt, colCode = 6, 7, 19
	if !strings.Contains(rows[0][colCode], "Catastale") || !strings.Contains(rows[0][colName], "italiano") {
		log.Fatalf("gen: unexpected header in %s", path)
	}
	votes := map[string]map[string]int{}
	m := map[string]elencoRow{}
	for _, r := range rows[1:] {
		e := elencoRow{name: strings.TrimSpace(r[colName]), alt: repairCP1252(strings.TrimSpace(r[colAlt]))}
		m[r[colCode]] = e
		c.learn(e.name, votes)
		if !strings.Contains(e.alt, "?") {
			c.learn(e.alt, votes)
		}
	}
	c.finish(votes)
	return m
}

// readComuni reads the ANPR archive: every comune and every earlier version
// of it. Consecutive versions that differ only in fields we do not keep are
// merged, so each output record is a distinct name/province/ISTAT code.
func readComuni(path string, c *caser, current map[string]elencoRow) []record {
	rows := readCSV(path, ',')
	col := header(rows[0])
	byCode := map[string][]record{}
	for _, r := range rows[1:] {
		code := r[col["CODCATASTALE"]]
		if code == "ND" { // no cadastral code: cannot appear in a codice fiscale
			continue
		}
		rec := record{
			code:     code,
			upper:    strings.TrimSpace(r[col["DENOMINAZIONE_IT"]]),
			altUpper: strings.TrimSuffix(strings.TrimSpace(r[col["ALTRADENOMINAZIONE"]]), "."),
			prov:     r[col["SIGLAPROVINCIA"]],
			istat:    r[col["CODISTAT"]],
			from:     isoDate(r[col["DATAISTITUZIONE"]]),
			to:       isoDate(r[col["DATACESSAZIONE"]]),
		}
		if r[col["STATO"]] == "A" {
			e, ok := current[code]
			if !ok {
				log.Fatalf("gen: active comune %s missing from the ISTAT list", code)
			}
			rec.name = e.name
			rec.alt = fillLost(e.alt, rec.upper, rec.altUpper)
		}
		byCode[code] = append(byCode[code], rec)
	}
	var out []record
	for _, list := range byCode {
		sort.Slice(list, func(i, j int) bool { return list[i].from < list[j].from })
		var merged []record
		for _, r := range list {
			if n := len(merged); n > 0 && sameVersion(merged[n-1], r) {
				merged[n-1].to = r.to
				if r.name != "" {
					merged[n-1].name, merged[n-1].alt = r.name, r.alt
				}
				continue
			}
			merged = append(merged, r)
		}
		for _, r := range merged {
			if r.name == "" {
				r.name = c.proper(r.upper)
				if r.altUpper != "" {
					r.alt = c.proper(r.altUpper)
				}
			}
			out = append(out, r)
		}
	}
	return out
}

func sameVersion(a, b record) bool {
	return a.upper == b.upper && a.altUpper == b.altUpper && a.prov == b.prov &&
		a.istat == b.istat && a.to != "" && dayAfter(a.to) == b.from
}

// readStates reads ANPR's table of current foreign states. Every row with a
// Z-code is a place (territories too: the Agenzia delle Entrate uses their
// codes in codici fiscali); rows usable as citizenship become citizenships.
func readStates(path string, c *caser) ([]record, []citizenship) {
	rows := readCSV(path, ',')
	col := header(rows[0])
	var states []record
	var cits []citizenship
	for _, r := range rows[1:] {
		anpr, istatName := r[col["DENOMINAZIONE"]], r[col["DENOMINAZIONEISTAT"]]
		code, istat := r[col["CODAT"]], r[col["CODISTAT"]]
		var name string
		if code != "" {
			name = stateName(c, anpr, istatName)
			states = append(states, record{
				code: code, name: name, prov: "EE", istat: istat, foreign: true,
				from: slashDate(r[col["DATAINIZIOVALIDITA"]]), to: slashDate(r[col["DATAFINEVALIDITA"]]),
			})
		} else {
			name = strings.TrimSuffix(istatName, "*")
			if name == "" || strings.Contains(name, ",") {
				name = sentence(anpr)
			}
		}
		if r[col["CITTADINANZA"]] == "S" {
			cits = append(cits, citizenship{code: istat, name: name})
		}
	}
	return states, cits
}

// stateName prefers ISTAT's proper-case name, except the inverted forms
// meant for sorted lists ("Russa, Federazione"): those are rebuilt from the
// ANPR name in natural order, keeping ISTAT's hint such as "(ex Zaire)".
func stateName(c *caser, anpr, istat string) string {
	istat = strings.TrimSuffix(istat, "*")
	if istat != "" && !strings.Contains(istat, ",") {
		return istat
	}
	name := c.proper(anpr)
	if i := strings.LastIndex(istat, "("); i >= 0 && strings.HasSuffix(istat, ")") {
		name += " " + istat[i:]
	}
	return name
}

type jsonState struct {
	Code        string `json:"code"`
	Name        string `json:"name"`
	DateCreated string `json:"date_created"`
	DateDeleted string `json:"date_deleted"`
}

// readJSONStates reads python-codicefiscale's state lists, used for the
// ceased states ANPR no longer lists. Their date_deleted is the first day
// of the successor, so the last valid day is the day before.
func readJSONStates(path string) []record {
	data, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	var list []jsonState
	if err := json.Unmarshal(data, &list); err != nil {
		log.Fatalf("gen: %s: %v", path, err)
	}
	var out []record
	for _, s := range list {
		r := record{code: s.Code, name: s.Name, prov: "EE", foreign: true, from: jsonDate(s.DateCreated)}
		if s.DateDeleted != "" {
			r.to = dayBefore(jsonDate(s.DateDeleted))
		}
		if r.from == "" {
			r.from = "19000101"
		}
		out = append(out, r)
	}
	return out
}

func readCSV(path string, sep rune) [][]string {
	data, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = sep
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		log.Fatalf("gen: %s: %v", path, err)
	}
	return rows
}

func header(h []string) map[string]int {
	m := map[string]int{}
	for i, name := range h {
		m[strings.TrimSpace(name)] = i
	}
	return m
}

const layout = "20060102"

// isoDate converts "2006-01-02" to "20060102"; the open end 9999-12-31 becomes "".
func isoDate(s string) string {
	if s == "" || strings.HasPrefix(s, "9999") {
		return ""
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		log.Fatalf("gen: bad date %q", s)
	}
	return t.Format(layout)
}

// slashDate converts "02/01/2006" likewise.
func slashDate(s string) string {
	if s == "" || strings.HasSuffix(s, "9999") {
		return ""
	}
	t, err := time.Parse("02/01/2006", s)
	if err != nil {
		log.Fatalf("gen: bad date %q", s)
	}
	return t.Format(layout)
}

func jsonDate(s string) string {
	if s == "" {
		return ""
	}
	return isoDate(s[:10])
}

func dayAfter(d string) string  { return addDays(d, 1) }
func dayBefore(d string) string { return addDays(d, -1) }

func addDays(d string, n int) string {
	t, err := time.Parse(layout, d)
	if err != nil {
		log.Fatalf("gen: bad date %q", d)
	}
	return t.AddDate(0, 0, n).Format(layout)
}

func writeRow(w io.Writer, fields ...string) {
	for _, f := range fields {
		if strings.ContainsAny(f, ";\n") {
			log.Fatalf("gen: field %q contains a separator", f)
		}
	}
	fmt.Fprintln(w, strings.Join(fields, ";"))
}

func writeFile(path string, data []byte) {
	if err := os.WriteFile(path, data, 0o644); err != nil {
		log.Fatal(err)
	}
}
