// Package codicefiscale checks, decodes and computes Italian codici fiscali
// and recognises the other identifiers a social-services office meets in
// their place: 11-digit provisional codes and the healthcare STP and ENI
// codes. It is pure: no I/O and no reference tables of its own; the
// birthplace check goes through PlaceChecker.
//
// Messages in errors are complete Italian sentences meant for the user.
package codicefiscale

import (
	"fmt"
	"strings"
	"time"
	"unicode"
)

// Kind tells which identifier a code is.
type Kind int

const (
	Ordinary    Kind = iota // 16-character codice fiscale of a person
	Provisional             // 11-digit codice fiscale provvisorio
	STP                     // Straniero Temporaneamente Presente (healthcare code)
	ENI                     // Europeo Non Iscritto (healthcare code)
)

// String returns the Italian name of the kind, for messages.
func (k Kind) String() string {
	switch k {
	case Ordinary:
		return "codice fiscale"
	case Provisional:
		return "codice fiscale provvisorio"
	case STP:
		return "codice STP"
	case ENI:
		return "codice ENI"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Info is what a code says about itself.
type Info struct {
	Kind      Kind
	Code      string    // normalised: upper case, no spaces, dashes or dots
	Sex       byte      // 'M' or 'F' (Ordinary only)
	Birth     time.Time // UTC midnight (Ordinary only)
	PlaceCode string    // Belfiore code with omocodia letters decoded (Ordinary only)
}

// PlaceChecker reports whether a Belfiore code denoted a comune or foreign
// state on a date. *assets.Places satisfies it.
type PlaceChecker interface {
	ValidAt(code string, at time.Time) bool
}

// Error is a problem with a code or with the data to compute one. Reason
// is a complete Italian sentence that can be shown to the user as is.
type Error struct {
	Reason string
	// Place is set when the code is well formed and only its birthplace
	// failed the check against the table. Callers may treat this as a
	// warning: the embedded table can be older than a newly created comune.
	Place bool
}

func (e *Error) Error() string { return e.Reason }

func errorf(format string, args ...any) *Error {
	return &Error{Reason: fmt.Sprintf(format, args...)}
}

// Normalize upper-cases s and drops the separators people type or paste
// (spaces, dashes, dots) and the invisible formatting characters that come
// with text copied from documents (zero-width space, BOM). Only ASCII
// letters change case, so characters that do not belong in a code stay
// visible to the checks.
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		case r == '-' || r == '.' || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// dateIT formats a date the Italian way for messages.
func dateIT(t time.Time) string { return t.Format("02/01/2006") }
