package widgets

import (
	"time"

	"cartella/assets"
)

// PlaceEntry picks a comune or a foreign state by typing part of its name
// or its code. At gives the date the place must be valid at (the birth
// date for a birthplace); nil means today.
type PlaceEntry struct {
	*CompletionEntry
	places *assets.Places
	At     func() time.Time
}

// NewPlaceEntry returns a picker over the reference table.
func NewPlaceEntry(places *assets.Places) *PlaceEntry {
	pe := &PlaceEntry{places: places}
	pe.CompletionEntry = NewCompletionEntry(func(s string) []Choice {
		ps := places.Search(s, pe.at(), 8)
		out := make([]Choice, len(ps))
		for i, p := range ps {
			out[i] = Choice{Key: p.Code, Label: p.Label()}
		}
		return out
	})
	pe.SetPlaceHolder("Scrivere il nome del comune o dello stato…")
	return pe
}

func (pe *PlaceEntry) at() time.Time {
	if pe.At != nil {
		if t := pe.At(); !t.IsZero() {
			return t
		}
	}
	return time.Now()
}

// Code is the Belfiore code picked, or "".
func (pe *PlaceEntry) Code() string { return pe.Picked().Key }

// SetCode shows the place with that code (as it was named at the entry's
// date); an empty or unknown code clears the entry.
func (pe *PlaceEntry) SetCode(code string) {
	if code == "" {
		pe.SetPicked(Choice{})
		return
	}
	p, ok := pe.places.ByCode(code, pe.at())
	if !ok {
		p, ok = pe.places.ByCode(code, time.Time{})
	}
	if !ok {
		pe.SetPicked(Choice{Key: code, Label: code})
		return
	}
	pe.SetPicked(Choice{Key: p.Code, Label: p.Label()})
}
