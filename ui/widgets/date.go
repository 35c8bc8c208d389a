// Package widgets holds the form widgets every screen reuses: dates typed
// the Italian way, the codice fiscale entry, the place picker.
package widgets

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2/widget"
)

// DateLayout is how dates are shown and typed.
const DateLayout = "02/01/2006"

// FormatDate formats a date as gg/mm/aaaa, or "" for the zero date.
func FormatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(DateLayout)
}

// ParseDate reads gg/mm/aaaa (also with '-' or '.', and d/m/yyyy). An
// empty string is the zero date. Impossible dates (31/02) are refused with
// an Italian message.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '-' || r == '.' })
	if len(parts) != 3 {
		return time.Time{}, errors.New("Scrivere la data come gg/mm/aaaa.")
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil {
			return time.Time{}, errors.New("Scrivere la data come gg/mm/aaaa.")
		}
		n[i] = v
	}
	d, m, y := n[0], n[1], n[2]
	if len(parts[2]) != 4 {
		return time.Time{}, errors.New("Scrivere l'anno con quattro cifre.")
	}
	if m < 1 || m > 12 {
		return time.Time{}, fmt.Errorf("Il mese %d non esiste.", m)
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if d < 1 || t.Day() != d {
		return time.Time{}, fmt.Errorf("La data %02d/%02d/%04d non esiste.", d, m, y)
	}
	return t, nil
}

// DateEntry is an entry for a date typed as gg/mm/aaaa.
type DateEntry struct {
	widget.Entry
}

// NewDateEntry returns an empty date entry with a validator.
func NewDateEntry() *DateEntry {
	e := &DateEntry{}
	e.ExtendBaseWidget(e)
	e.SetPlaceHolder("gg/mm/aaaa")
	e.Validator = func(s string) error {
		_, err := ParseDate(s)
		return err
	}
	return e
}

// Date returns the typed date (zero when empty) or the parse error.
func (e *DateEntry) Date() (time.Time, error) { return ParseDate(e.Text) }

// SetDate shows t.
func (e *DateEntry) SetDate(t time.Time) { e.SetText(FormatDate(t)) }
