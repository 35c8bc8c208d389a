package xlsx

import (
	"bytes"
	"testing"

	"cartella/assets"
)

// Figures for docs/PERFORMANCE.md: go test -tags migrated_fynedo -run X -bench . ./export/xlsx/

func BenchmarkReadCSV10k(b *testing.B) {
	data, _ := genFile(b, 10000, 0.02, 1)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ReadTable(bytes.NewReader(data), "a.csv"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseRows10k(b *testing.B) {
	data, _ := genFile(b, 10000, 0.02, 1)
	tab, err := ReadTable(bytes.NewReader(data), "a.csv")
	if err != nil {
		b.Fatal(err)
	}
	m := GuessMapping(tab.Header)
	places := assets.LoadPlaces()
	for b.Loop() {
		rows, _ := ParseRows(tab, m, places, genNow)
		if len(rows) != 9800 {
			b.Fatal(len(rows))
		}
	}
}

// BenchmarkReadParseXLSX10k is the whole parsing side of an import of a
// 10,000-row workbook.
func BenchmarkReadParseXLSX10k(b *testing.B) {
	data, _ := genFile(b, 10000, 0.02, 1)
	tab, _ := ReadTable(bytes.NewReader(data), "a.csv")
	xdata := toXLSX(b, tab)
	b.SetBytes(int64(len(xdata)))
	places := assets.LoadPlaces()
	for b.Loop() {
		t, err := ReadTable(bytes.NewReader(xdata), "a.xlsx")
		if err != nil {
			b.Fatal(err)
		}
		if rows, _ := ParseRows(t, GuessMapping(t.Header), places, genNow); len(rows) != 9800 {
			b.Fatal(len(rows))
		}
	}
}

func BenchmarkGenerate10k(b *testing.B) {
	for b.Loop() {
		genFile(b, 10000, 0.02, 1)
	}
}
