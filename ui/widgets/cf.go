package widgets

import (
	"time"

	"fyne.io/fyne/v2/widget"

	"cartella/store/codicefiscale"
)

// CFEntry is an entry for a codice fiscale that validates as the user
// types: check character, omocodia, month letter, day, and the place code
// valid at the birth date. Provisional, STP and ENI codes pass as such.
type CFEntry struct {
	widget.Entry
	// BirthHint returns the birth date typed elsewhere in the form, if any,
	// to resolve the century and check the place at that date.
	BirthHint func() time.Time
	places    codicefiscale.PlaceChecker
}

// NewCFEntry returns an empty codice fiscale entry.
func NewCFEntry(places codicefiscale.PlaceChecker) *CFEntry {
	e := &CFEntry{places: places}
	e.ExtendBaseWidget(e)
	e.SetPlaceHolder("16 caratteri, oppure 11 cifre, STP, ENI")
	e.Validator = func(s string) error {
		if codicefiscale.Normalize(s) == "" {
			return nil
		}
		_, err := codicefiscale.Validate(s, e.places, e.hint(), time.Now())
		return err
	}
	return e
}

func (e *CFEntry) hint() time.Time {
	if e.BirthHint == nil {
		return time.Time{}
	}
	return e.BirthHint()
}

// Code is the normalised code typed.
func (e *CFEntry) Code() string { return codicefiscale.Normalize(e.Text) }

// Kind tells what the typed code is, when it is valid.
func (e *CFEntry) Kind() (codicefiscale.Kind, bool) {
	info, err := codicefiscale.Validate(e.Text, e.places, e.hint(), time.Now())
	return info.Kind, err == nil
}
