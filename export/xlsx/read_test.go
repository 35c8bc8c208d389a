package xlsx

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"cartella/assets"
)

func readString(t *testing.T, data []byte, name string) Table {
	t.Helper()
	tab, err := ReadTable(bytes.NewReader(data), name)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

func TestReadCSVSeparatorsAndEncodings(t *testing.T) {
	want := Table{
		Header: []string{"COGNOME", "NOME", "COMUNE_NASCITA", "NOTE"},
		Rows: [][]string{
			{"NICCOLÒ", "Zoë", "CANTÙ", "a; b, c"},
			{"D'ANGELO", "Maria Grazia", "FORLÌ", "«più» €"},
		},
	}
	utf8Text := func(sep string) string {
		var b strings.Builder
		for _, r := range append([][]string{want.Header}, want.Rows...) {
			var cells []string
			for _, c := range r {
				if strings.ContainsAny(c, ";,") {
					c = `"` + c + `"`
				}
				cells = append(cells, c)
			}
			b.WriteString(strings.Join(cells, sep) + "\r\n")
		}
		return b.String()
	}
	win, err := charmap.Windows1252.NewEncoder().String(utf8Text(";"))
	if err != nil {
		t.Fatal(err)
	}
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(utf8Text("\t"))
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{
		"semicolon":             utf8Text(";"),
		"comma":                 utf8Text(","),
		"tab":                   utf8Text("\t"),
		"BOM":                   "\uFEFF" + utf8Text(";"),
		"BOM comma":             "\uFEFF" + utf8Text(","),
		"windows-1252":          win,
		"utf-16 (Excel text)":   utf16,
		"LF only":               strings.ReplaceAll(utf8Text(";"), "\r\n", "\n"),
		"trailing blank lines":  utf8Text(";") + ";;;\r\n\r\n",
		"spaces around cells":   strings.ReplaceAll(utf8Text(";"), "NICCOLÒ", "  NICCOLÒ \u00a0"),
		"no final line break":   strings.TrimSuffix(utf8Text(";"), "\r\n"),
		"semicolon, no quoting": strings.ReplaceAll(strings.ReplaceAll(utf8Text(";"), `"a; b, c"`, "a b c"), `"«più» €"`, "«più» €"),
	} {
		t.Run(name, func(t *testing.T) {
			if len(win) == len(utf8Text(";")) {
				t.Fatal("the Windows-1252 text is not shorter: no accent was encoded")
			}
			got := readString(t, []byte(data), "export.CSV")
			exp := want
			if name == "semicolon, no quoting" {
				exp = Table{Header: want.Header, Rows: [][]string{{"NICCOLÒ", "Zoë", "CANTÙ", "a b c"}, want.Rows[1]}}
			}
			if !reflect.DeepEqual(got, exp) {
				t.Errorf("got  %+v\nwant %+v", got, exp)
			}
		})
	}
}

func TestReadCSVLinesAndQuotes(t *testing.T) {
	data := "\r\nCOGNOME;NOME;NOTE\r\nROSSI;MARIO;\"due\r\nrighe\"\r\n;;\r\nBIANCHI;\"ANNA \"\"ANNINA\"\"\";x\r\n"
	got := readString(t, []byte(data), "a.csv")
	if !reflect.DeepEqual(got.Rows, [][]string{{"ROSSI", "MARIO", "due\nrighe"}, {"BIANCHI", `ANNA "ANNINA"`, "x"}}) {
		t.Errorf("rows %q", got.Rows)
	}
	// Header on line 2; ROSSI on 3; a blank row on 5; BIANCHI on 6.
	if got.Line(0) != 3 || got.Line(1) != 6 {
		t.Errorf("lines %v", got.Lines)
	}
}

func TestReadTableErrors(t *testing.T) {
	for name, tc := range map[string]struct{ data, file, want string }{
		"empty":       {"", "a.csv", "il file è vuoto"},
		"blank":       {";;\r\n\r\n", "a.csv", "il file è vuoto"},
		"pdf":         {"%PDF-1.4", "a.pdf", "formato non supportato"},
		"old excel":   {"\xd0\xcf\x11\xe0", "a.xls", ".xls"},
		"broken xlsx": {"PK\x03\x04garbage", "a.xlsx", "il file Excel non è leggibile"},
		"bad quotes":  {"A;B\n\"x\"y\"z;1\n", "a.csv", ""}, // LazyQuotes reads it
	} {
		_, err := ReadTable(strings.NewReader(tc.data), tc.file)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: error %v, want %q", name, err, tc.want)
		}
	}
}

// TestXLSXRoundTrip writes a workbook the way an office would (real date
// cells, a CAP typed as a number, a blank row, a second sheet) and reads
// it back through the whole import parser.
func TestXLSXRoundTrip(t *testing.T) {
	rossi := cf(t, "Rossi", "Mario", 'M', day(1960, 5, 3), "H501")
	niccolo := cf(t, "Dell'Orto", "Niccolò", 'M', day(2001, 12, 31), "B036")
	f := excelize.NewFile()
	sheet := "Anagrafe"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		t.Fatal(err)
	}
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		t.Fatal(err)
	}
	rows := [][]any{
		{"Codice Fiscale", "Cognome", "Nome", "Sesso", "Data di nascita", "Comune di nascita", "CAP", "Cod. famiglia", "Parentela"},
		{rossi, "ROSSI", "MARIO", "M", excelize.Cell{StyleID: dateStyle, Value: day(1960, 5, 3)}, "ROMA (RM)", 118, 4711, 1},
		{},
		{niccolo, "DELL'ORTO", "NICCOLÒ", "M", excelize.Cell{StyleID: dateStyle, Value: day(2001, 12, 31)}, "Borgo San Lorenzo", "50032", "4711", "Figlio"},
		{"", "", "ANNA", "F", "31/02/1980", "FIRENZE", "", "", ""},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	if _, err := f.NewSheet("Altro"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}

	tab := readString(t, buf.Bytes(), "Estrazione anagrafe.xlsx")
	if len(tab.Rows) != 3 || tab.Line(0) != 2 || tab.Line(1) != 4 || tab.Line(2) != 5 {
		t.Fatalf("rows %q lines %v", tab.Rows, tab.Lines)
	}
	got, errs := ParseRows(tab, GuessMapping(tab.Header), assets.LoadPlaces(), testNow)
	if len(errs) != 1 || errs[0].Line != 5 || !strings.Contains(errs[0].Reason, "cognome mancante") ||
		!strings.Contains(errs[0].Reason, "data di nascita non valida («31/02/1980»)") {
		t.Errorf("errors %v", errs)
	}
	want := []Row{
		{Line: 2, CodiceFiscale: rossi, Surname: "ROSSI", GivenName: "MARIO", Sex: "M", BirthDate: day(1960, 5, 3),
			BirthPlace: "H501", CAP: "00118", FamilyID: "4711", Relationship: "1"},
		{Line: 4, CodiceFiscale: niccolo, Surname: "DELL'ORTO", GivenName: "NICCOLÒ", Sex: "M", BirthDate: day(2001, 12, 31),
			BirthPlace: "B036", CAP: "50032", FamilyID: "4711", Relationship: "3"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestExcelDate(t *testing.T) {
	for serial, want := range map[float64]time.Time{
		1: day(1900, 1, 1), 59: day(1900, 2, 28), 61: day(1900, 3, 1), 22039: day(1960, 5, 3), 45809: day(2025, 6, 1),
	} {
		if got, ok := excelDate(serial); !ok || !got.Equal(want) {
			t.Errorf("%v → %v, want %v", serial, got, want)
		}
	}
}

// TestGeneratedXLSX reads the generated export re-saved as a workbook, as an
// office that opened the CSV in Excel would send it.
func TestGeneratedXLSX(t *testing.T) {
	data, bad := genFile(t, 2000, 0.02, 7)
	tab := readString(t, data, "a.csv")
	x := readString(t, toXLSX(t, tab), "a.xlsx")
	if !reflect.DeepEqual(x.Header, tab.Header) || !reflect.DeepEqual(x.Rows, tab.Rows) {
		t.Fatal("xlsx and csv differ")
	}
	rows, errs := ParseRows(x, GuessMapping(x.Header), nil, genNow)
	if len(errs) != len(bad) || len(rows) != 2000-len(bad) {
		t.Fatalf("%d rows %d errors, want %d bad", len(rows), len(errs), len(bad))
	}
}

// toXLSX writes a table as a workbook of text cells.
func toXLSX(t testing.TB, tab Table) []byte {
	t.Helper()
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range append([][]string{tab.Header}, tab.Rows...) {
		cells := make([]any, len(r))
		for j, c := range r {
			cells[j] = c
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, cells); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
