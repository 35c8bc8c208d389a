package xlsx

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"cartella/assets"
)

// FuzzReadTable feeds arbitrary bytes to the readers and the parser: they
// must never panic, and the parser must account for every row exactly once.
func FuzzReadTable(f *testing.F) {
	data, _ := genFile(f, 30, 0.2, 1)
	f.Add(data, false)
	f.Add([]byte("\uFEFFCOGNOME,NOME,SESSO,DATA_NASCITA,COMUNE_NASCITA\r\nRossi,Mario,M,03/05/1960,ROMA (RM)\r\n"), false)
	f.Add([]byte("COGNOME;NOME\n\"a;b\";\"c\"\"\n"), false)
	f.Add([]byte("\xff\xfeC\x00O\x00"), false)
	x := excelize.NewFile()
	_ = x.SetSheetRow("Sheet1", "A1", &[]any{"COGNOME", "NOME", "SESSO", "DATA_NASCITA", "COMUNE_NASCITA"})
	_ = x.SetSheetRow("Sheet1", "A3", &[]any{"Rossi", "Mario", "M", 22039, "H501"})
	var buf bytes.Buffer
	_, _ = x.WriteTo(&buf)
	f.Add(buf.Bytes(), true)
	places := assets.LoadPlaces()
	f.Fuzz(func(t *testing.T, data []byte, isXLSX bool) {
		name := "a.csv"
		if isXLSX {
			name = "a.xlsx"
		}
		tab, err := ReadTable(bytes.NewReader(data), name)
		if err != nil {
			return
		}
		if len(tab.Lines) != 0 && len(tab.Lines) != len(tab.Rows) {
			t.Fatalf("%d lines for %d rows", len(tab.Lines), len(tab.Rows))
		}
		checkParse(t, tab, GuessMapping(tab.Header), places)
	})
}

// FuzzParseRows fuzzes the cell values of a well-formed table: ';'-separated
// lines in the columns of GenHeader.
func FuzzParseRows(f *testing.F) {
	data, _ := genFile(f, 40, 0.25, 2)
	lines := strings.Split(string(data), "\r\n")
	for _, l := range lines[1:] {
		f.Add(l)
	}
	f.Add(strings.Join(lines[1:6], "\n"))
	f.Add(";;ROSSI;MARIO;M;29/02/2000;SAMONE;;;;;;118;")
	f.Add(";;ROSSI;MARIO;F;0.5;Z999;EE;Z330;STP0901010000001;;;;ROMA")
	places := assets.LoadPlaces()
	f.Fuzz(func(t *testing.T, text string) {
		tab := Table{Header: GenHeader}
		for _, l := range strings.Split(text, "\n") {
			tab.Rows = append(tab.Rows, strings.Split(l, ";"))
		}
		checkParse(t, tab, GuessMapping(GenHeader), places)
	})
}

func checkParse(t *testing.T, tab Table, m Mapping, places *assets.Places) {
	rows, errs := ParseRows(tab, m, places, testNow)
	if m.Check(tab.Header) != "" {
		if len(rows) != 0 || len(errs) != 1 || errs[0].Line != 1 {
			t.Fatalf("bad mapping: %d rows, errors %v", len(rows), errs)
		}
		return
	}
	if len(rows)+len(errs) != len(tab.Rows) {
		t.Fatalf("%d rows + %d errors for %d lines", len(rows), len(errs), len(tab.Rows))
	}
	seen := map[int]bool{}
	for _, r := range rows {
		if seen[r.Line] || r.Surname == "" || r.GivenName == "" || (r.Sex != "M" && r.Sex != "F") ||
			r.BirthDate.IsZero() || r.BirthDate.After(testNow) || r.BirthPlace == "" {
			t.Fatalf("bad good row %+v", r)
		}
		if !places.ValidAt(r.BirthPlace, r.BirthDate) {
			t.Fatalf("birth place %s not valid at %v", r.BirthPlace, r.BirthDate)
		}
		seen[r.Line] = true
	}
	for _, e := range errs {
		if seen[e.Line] || e.Reason == "" {
			t.Fatalf("error %v", e)
		}
		seen[e.Line] = true
	}
}
