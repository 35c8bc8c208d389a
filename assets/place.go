package assets

import (
	"fmt"
	"strings"
	"time"
)

// Place is an Italian comune or a foreign state as it was during one period.
// A Belfiore code may have several records over time (renamings, changes of
// province, suppression and re-establishment), and a few codes were reused.
type Place struct {
	Code      string // Belfiore / cadastral code: "H501", or "Z330" for a foreign state
	Name      string // display name, proper case: "Roma", "Marocco"
	AltName   string // second-language name ("Bozen") or a common short name ("URSS"); may be empty
	Province  string // province sigla "RM"; "EE" for foreign states
	IstatCode string // ISTAT code: 6-digit comune code or 3-digit state code; empty if unknown
	Foreign   bool
	From, To  time.Time // validity, both days included; To.IsZero() while still valid

	// continued is set when a later record carries the same code on, so the
	// end of this one is a change of name or province rather than a ceasing.
	continued bool
}

// Label is the text shown in pickers and summaries. Ended records say so,
// because a historic birthplace must not look like a current one.
func (p Place) Label() string {
	var b strings.Builder
	b.WriteString(p.Name)
	if p.Foreign {
		b.WriteString(" (estero)")
	} else if p.Province != "" {
		b.WriteString(" (" + p.Province + ")")
	}
	if !p.To.IsZero() {
		if p.continued {
			fmt.Fprintf(&b, " — fino al %d", p.To.Year())
		} else {
			fmt.Fprintf(&b, " — cessato nel %d", p.To.Year())
		}
	}
	return b.String()
}

// ValidAt reports whether the record was in force on t's calendar day.
func (p Place) ValidAt(t time.Time) bool {
	d := dayKey(t)
	return d >= dayKey(p.From) && (p.To.IsZero() || d <= dayKey(p.To))
}

// dayKey turns t's calendar day, in t's own location, into YYYYMMDD so
// validity checks never depend on the time of day or the time zone.
func dayKey(t time.Time) int32 {
	y, m, d := t.Date()
	return int32(y*10000 + int(m)*100 + d)
}

func dayTime(k int32) time.Time {
	return time.Date(int(k/10000), time.Month(k/100%100), int(k%100), 0, 0, 0, 0, time.UTC)
}
