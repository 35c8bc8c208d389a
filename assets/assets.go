// Package assets holds the reference data embedded in the program, with
// typed loaders so that callers never parse the files themselves.
//
// Tables are parsed on first use, not at program start-up, so opening the
// program never waits for them; the first use of the 16,000 place records
// costs a few milliseconds (see BenchmarkLoad).
//
// The files in data/ are generated from the shared reference folder by
// internal/gen; data/SOURCES.md says where each comes from. The code tables
// of the forms and the catalogue of services (codes.go, catalogue.go) are
// curated by hand in data/codes/, documented in data/codes/SOURCES.md.
package assets

import _ "embed" // for go:embed

//go:generate go run ./internal/gen -src /work/shared/data -out data

// The tables are embedded as plain text: a string variable points straight
// into the executable, so loading allocates nothing for the text and needs
// no decompression, and refreshing the data gives readable diffs.
var (
	//go:embed data/places.csv
	placesCSV string
	//go:embed data/citizenships.csv
	citizenshipsCSV string
)
