package codicefiscale_test

import (
	"errors"
	"testing"
	"time"

	"cartella/assets"
	"cartella/store/codicefiscale"
)

// The real place table accepts ceased states only for births while they
// existed: Jugoslavia (Z118) ended in February 2003.
func TestValidateWithAssets(t *testing.T) {
	places := assets.LoadPlaces()
	ref := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		birth     time.Time
		place     string
		wantPlace bool // a place error is expected
	}{
		{time.Date(1980, 6, 15, 0, 0, 0, 0, time.UTC), "Z118", false},
		{time.Date(2010, 6, 15, 0, 0, 0, 0, time.UTC), "Z118", true},
		{time.Date(1985, 12, 10, 0, 0, 0, 0, time.UTC), "A562", false}, // San Giuliano Terme
		{time.Date(1930, 1, 1, 0, 0, 0, 0, time.UTC), "A562", false},   // then Bagni San Giuliano
		{time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC), "A003", true},    // Abbadia Alpina, ceased 1928
		{time.Date(1920, 1, 1, 0, 0, 0, 0, time.UTC), "A003", false},
		{time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC), "Z330", false},
	}
	for _, tt := range tests {
		code, err := codicefiscale.Compute("Petrović", "Milan", 'M', tt.birth, tt.place)
		if err != nil {
			t.Fatal(err)
		}
		_, err = codicefiscale.Validate(code, places, tt.birth, ref)
		var e *codicefiscale.Error
		switch {
		case tt.wantPlace && (!errors.As(err, &e) || !e.Place):
			t.Errorf("%s born %v: error %v, want a place error", code, tt.birth.Format(time.DateOnly), err)
		case !tt.wantPlace && err != nil:
			t.Errorf("%s born %v: %v", code, tt.birth.Format(time.DateOnly), err)
		}
	}
}

// Every valid test vector has a birthplace valid at its birth date.
func TestVectorsPlaces(t *testing.T) {
	places := assets.LoadPlaces()
	for _, code := range []string{"CCCFBA85D03L219P", "BRNGNN71B26L219T", "GMBLSN84A05G674H", "MRTMRA83T56A269B",
		"PNLMHL79R27I158P", "TKKYKU87B68L219F", "RSSMRA68A01H501Y", "RSSMRA50B17A558W", "QTRDRA71P13G388J",
		"THDSDA95P08Z330H", "BLSLGS84C22Z145O", "RSSMRA85T10A562S", "CCCFBAURDLPLNMVU"} {
		if _, err := codicefiscale.Validate(code, places, time.Time{}, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Errorf("%s: %v", code, err)
		}
	}
}
