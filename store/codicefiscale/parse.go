package codicefiscale

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Parse checks the structure of a code and decodes it: length, pattern,
// month letter, day (1–31, or 41–71 for women), that the date exists,
// omocodia letters only in the seven numeric positions, and the check
// character. Provisional codes are checked with their own check digit; STP
// and ENI codes only for their shape, since they carry no check.
//
// The code holds only two digits of the year: Parse picks the most recent
// century that does not put the birth after ref (today if ref is zero).
// When the birth date is known, Validate with a birthHint is more reliable
// for people over 100.
//
// On error, Info still holds the normalised Code.
func Parse(code string, ref time.Time) (Info, error) {
	if ref.IsZero() {
		ref = time.Now()
	}
	refDay := ref.Year()*10000 + int(ref.Month())*100 + ref.Day()
	return parse(code, func(yy int, m time.Month, d int) int {
		y := ref.Year() - mod(ref.Year(), 100) + yy
		if y*10000+int(m)*100+d > refDay {
			y -= 100
		}
		return y
	})
}

// Validate is Parse plus the birthplace check: the place code must have
// denoted a comune or state on the birth date (skipped if places is nil).
// If the caller knows the birth date, birthHint picks the century nearest
// to it instead of relying on ref.
//
// A birthplace failure is an *Error with Place set, and Info is then fully
// decoded.
func Validate(code string, places PlaceChecker, birthHint, ref time.Time) (Info, error) {
	var info Info
	var err error
	if birthHint.IsZero() {
		info, err = Parse(code, ref)
	} else {
		hy := birthHint.Year()
		info, err = parse(code, func(yy int, _ time.Month, _ int) int {
			y := hy - mod(hy, 100) + yy
			switch {
			case y-hy > 50:
				y -= 100
			case hy-y > 50:
				y += 100
			}
			return y
		})
	}
	if err != nil || info.Kind != Ordinary || places == nil {
		return info, err
	}
	if !places.ValidAt(info.PlaceCode, info.Birth) {
		return info, &Error{
			Reason: fmt.Sprintf("Il codice del luogo di nascita %s non esiste o non era valido il %s.", info.PlaceCode, dateIT(info.Birth)),
			Place:  true,
		}
	}
	return info, nil
}

// parse does the work of Parse; year resolves the two-digit year.
func parse(code string, year func(yy int, m time.Month, d int) int) (Info, error) {
	c := Normalize(code)
	info := Info{Code: c}
	n := utf8.RuneCountInString(c)
	switch {
	case c == "":
		return info, errorf("Il codice fiscale è vuoto.")
	case allDigits(c) && n != 16:
		return parseProvisional(info)
	case (strings.HasPrefix(c, "STP") || strings.HasPrefix(c, "ENI")) && n > 3 && c[3] >= '0' && c[3] <= '9':
		// An ordinary code may start with STP (surname Stoppa) but then has
		// letters, not digits, in positions 4–6.
		return parseHealth(info)
	case n != 16:
		return info, errorf("Il codice fiscale deve avere 16 caratteri (ne ha %d).", n)
	}
	if err := checkStructure(c); err != nil {
		return info, err
	}
	d := decodeOmocodia(c)
	m := strings.IndexByte(monthLetters, d[posMonth])
	if m < 0 {
		return info, errorf("Mese di nascita non valido nel codice fiscale (lettera %c).", d[posMonth])
	}
	month := time.Month(m + 1)
	day := atoi2(d[posDay:])
	sex := byte('M')
	switch {
	case day >= 41 && day <= 71:
		sex, day = 'F', day-40
	case day < 1 || day > 31:
		return info, errorf("Giorno di nascita non valido nel codice fiscale (%02d).", day)
	}
	y := year(atoi2(d[6:]), month, day)
	birth := time.Date(y, month, day, 0, 0, 0, 0, time.UTC)
	if birth.Day() != day {
		return info, errorf("La data di nascita nel codice fiscale non esiste (%02d/%02d/%04d).", day, int(month), y)
	}
	info.Kind, info.Sex, info.Birth, info.PlaceCode = Ordinary, sex, birth, d[posPlace:posCheck]
	return info, nil
}

func parseProvisional(info Info) (Info, error) {
	c := info.Code
	switch {
	case len(c) != 11:
		return info, errorf("Il codice fiscale provvisorio deve avere 11 cifre (ne ha %d).", len(c))
	case strings.Trim(c, "0") == "":
		return info, errorf("Il codice fiscale provvisorio non può essere composto da soli zeri.")
	}
	if want := luhnCheck(c); c[10] != want {
		return info, errorf("La cifra di controllo del codice fiscale provvisorio è errata: attesa %c.", want)
	}
	info.Kind = Provisional
	return info, nil
}

// parseHealth accepts STP and ENI codes: the prefix, the 3-digit ISTAT
// region code, the 3-digit ASL code and a 7-digit progressive number.
func parseHealth(info Info) (Info, error) {
	c := info.Code
	kind := STP
	if strings.HasPrefix(c, "ENI") {
		kind = ENI
	}
	if len(c) != 16 || !allDigits(c[3:]) {
		return info, errorf("Il %s deve avere 16 caratteri: «%s» seguito da 13 cifre (regione, ASL e numero progressivo).", kind, c[:3])
	}
	info.Kind = kind
	return info, nil
}

// Canonical returns the code with omocodia letters turned back into digits
// and the check character recomputed, so that the variants of one person's
// code compare equal (and index equal). Anything that is not a well-formed
// ordinary code, with a correct check character, is only normalised.
func Canonical(code string) string {
	c := Normalize(code)
	if checkStructure(c) != nil {
		return c
	}
	d := decodeOmocodia(c)
	return d[:posCheck] + string(checkChar(d))
}

// atoi2 reads two ASCII digits.
func atoi2(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }

// mod is the non-negative remainder, so years before 1 AD cannot break the
// century arithmetic.
func mod(a, b int) int { return ((a % b) + b) % b }
