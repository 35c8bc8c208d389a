// Package xlsx reads the registry exports a Comune's Anagrafe produces (CSV
// or XLSX), maps their columns to the fields of a person and checks every
// row, so that the import can save the good rows and list the bad ones in
// Italian with their row number.
//
// The package only reads and checks; saving is the store's job. Nothing
// here writes to disk.
package xlsx

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// Table is a read file: the header and the data rows, as text.
type Table struct {
	Header []string
	Rows   [][]string // data rows, without the header
	// Lines[i] is the 1-based line of Rows[i] in the file (the header is
	// line 1; in a spreadsheet, the sheet row). Blank rows are skipped, so
	// lines may jump. If Lines is nil, Rows[i] is on line i+2.
	Lines []int
}

// Line returns the file line of data row i.
func (t Table) Line(i int) int {
	if i < len(t.Lines) {
		return t.Lines[i]
	}
	return i + 2
}

// MaxFileSize is the largest file ReadTable accepts. An Anagrafe export of a
// small comune is a few megabytes.
const MaxFileSize = 256 << 20

// MaxRows and MaxColumns bound what ReadTable accepts, so that a damaged
// or hostile file cannot exhaust memory: Excel's own limit is 1,048,576
// rows, and a comune of 100,000 inhabitants has as many rows.
const (
	MaxRows    = 500_000
	MaxColumns = 500
)

// ErrUnsupported is returned for a file that is neither .csv (or .txt) nor
// .xlsx.
var ErrUnsupported = errors.New("formato non supportato: scegliere un file CSV o XLSX (Excel)")

// ReadTable reads a CSV or XLSX file, chosen by the extension of name.
//
// CSV: the separator is detected from the header line (';', ',' or tab);
// the text may be UTF-8 (with or without BOM), UTF-16 with BOM, or
// Windows-1252 (what Excel writes on Italian Windows), which is recognised
// because it is not valid UTF-8. XLSX: the first sheet, read row by row;
// cell values are taken raw, so dates come as Excel serial numbers (which
// ParseRows understands) rather than in the spreadsheet's display format.
//
// The first non-blank row is the header; blank rows are skipped. Cells are
// trimmed of surrounding spaces. Errors are Italian sentences.
func ReadTable(r io.Reader, name string) (Table, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".txt", ".tsv":
		return readCSV(r)
	case ".xlsx", ".xlsm":
		return readXLSX(r)
	case ".xls":
		return Table{}, errors.New("il formato Excel 97-2003 (.xls) non è supportato: salvare il file come .xlsx o .csv")
	}
	return Table{}, ErrUnsupported
}

// readAll reads at most MaxFileSize bytes.
func readAll(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("lettura del file non riuscita: %w", err)
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("il file è troppo grande (oltre %d MB)", MaxFileSize>>20)
	}
	return data, nil
}

// decodeText turns the bytes of a text file into UTF-8 without BOM.
func decodeText(data []byte) ([]byte, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		out, err := dec.Bytes(data)
		if err != nil {
			return nil, fmt.Errorf("il file UTF-16 non è leggibile: %w", err)
		}
		return out, nil
	}
	if utf8.Valid(data) {
		return data, nil
	}
	// Not UTF-8: the Windows code page of Western Europe, which every byte
	// sequence decodes in (ISO-8859-1 is a subset for letters).
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		return nil, fmt.Errorf("la codifica del file non è riconosciuta: %w", err)
	}
	return out, nil
}

// detectComma picks the separator that occurs most often, outside quotes,
// in the first line.
func detectComma(text []byte) rune {
	counts := map[rune]int{}
	quoted := false
	for _, c := range string(text) {
		if c == '"' {
			quoted = !quoted
			continue
		}
		if quoted {
			continue
		}
		if c == '\n' {
			break
		}
		if c == ';' || c == ',' || c == '\t' {
			counts[c]++
		}
	}
	best := ';' // the Italian default
	for _, c := range []rune{';', '\t', ','} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}

func readCSV(r io.Reader) (Table, error) {
	data, err := readAll(r)
	if err != nil {
		return Table{}, err
	}
	text, err := decodeText(data)
	if err != nil {
		return Table{}, err
	}
	cr := csv.NewReader(bufio.NewReader(bytes.NewReader(text)))
	cr.Comma = detectComma(text)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = false
	var t Table
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return Table{}, fmt.Errorf("il file CSV non è leggibile alla riga %d: %v", pe.StartLine, pe.Err)
			}
			return Table{}, fmt.Errorf("il file CSV non è leggibile: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if err := t.add(rec, line); err != nil {
			return Table{}, err
		}
	}
	return t.finish()
}

func readXLSX(r io.Reader) (Table, error) {
	data, err := readAll(r)
	if err != nil {
		return Table{}, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true})
	if err != nil {
		return Table{}, fmt.Errorf("il file Excel non è leggibile: %w", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return Table{}, errors.New("il file Excel non contiene fogli")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return Table{}, fmt.Errorf("il foglio «%s» non è leggibile: %w", sheets[0], err)
	}
	defer rows.Close()
	var t Table
	for line := 1; rows.Next(); line++ {
		rec, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return Table{}, fmt.Errorf("il foglio «%s» non è leggibile alla riga %d: %w", sheets[0], line, err)
		}
		if err := t.add(rec, line); err != nil {
			return Table{}, err
		}
	}
	if err := rows.Error(); err != nil {
		return Table{}, fmt.Errorf("il foglio «%s» non è leggibile: %w", sheets[0], err)
	}
	return t.finish()
}

// add appends a record read on line; the first non-blank one is the header.
func (t *Table) add(rec []string, line int) error {
	// Trailing empty cells (Excel's formatted but empty columns) do not count.
	for len(rec) > 0 && strings.TrimSpace(rec[len(rec)-1]) == "" {
		rec = rec[:len(rec)-1]
	}
	if len(rec) > MaxColumns {
		return fmt.Errorf("la riga %d ha troppe colonne (%d; al massimo %d)", line, len(rec), MaxColumns)
	}
	if len(t.Rows) >= MaxRows {
		return fmt.Errorf("il file ha troppe righe (più di %d)", MaxRows)
	}
	blank := true
	for i, c := range rec {
		c = strings.TrimSpace(strings.ReplaceAll(c, "\u00a0", " "))
		rec[i] = c
		if c != "" {
			blank = false
		}
	}
	switch {
	case blank:
	case t.Header == nil:
		t.Header = rec
	default:
		t.Rows = append(t.Rows, rec)
		t.Lines = append(t.Lines, line)
	}
	return nil
}

func (t Table) finish() (Table, error) {
	if t.Header == nil {
		return Table{}, errors.New("il file è vuoto")
	}
	// Drop Lines when it says nothing Line would not.
	plain := true
	for i, l := range t.Lines {
		if l != i+2 {
			plain = false
			break
		}
	}
	if plain {
		t.Lines = nil
	}
	return t, nil
}
