package codicefiscale

import (
	"strings"
	"time"
)

// Compute builds the 16-character code of a person from their data, as the
// Agenzia delle Entrate first assigns it (without omocodia). The place code
// is only checked for its shape; whether it was valid on the birth date is
// Validate's job.
func Compute(surname, name string, sex byte, birth time.Time, placeCode string) (string, error) {
	s, err := nameLetters(surname, "Il cognome")
	if err != nil {
		return "", err
	}
	n, err := nameLetters(name, "Il nome")
	if err != nil {
		return "", err
	}
	sex = upper(sex)
	if sex != 'M' && sex != 'F' {
		return "", errorf("Il sesso deve essere M o F per calcolare il codice fiscale.")
	}
	if birth.IsZero() {
		return "", errorf("La data di nascita è obbligatoria per calcolare il codice fiscale.")
	}
	place := Normalize(placeCode)
	if place == "" {
		return "", errorf("Il luogo di nascita è obbligatorio per calcolare il codice fiscale.")
	}
	if !isPlaceCode(place) {
		return "", errorf("Il codice del luogo di nascita non è valido (%s): deve essere una lettera seguita da tre cifre.", place)
	}
	return build(surnameCode(s), nameCode(n), sex, birth, place), nil
}

func build(sur, nam string, sex byte, birth time.Time, place string) string {
	y, m, d := birth.Date()
	if sex == 'F' {
		d += 40
	}
	var b strings.Builder
	b.Grow(16)
	b.WriteString(sur)
	b.WriteString(nam)
	b.WriteByte(byte('0' + mod(y, 100)/10))
	b.WriteByte(byte('0' + mod(y, 10)))
	b.WriteByte(monthLetters[m-1])
	b.WriteByte(byte('0' + d/10))
	b.WriteByte(byte('0' + d%10))
	b.WriteString(place)
	c := b.String()
	return c + string(checkChar(c))
}

// Matches reports whether code is consistent with the personal data:
// surname and name letters, sex, birth date (day, month and the two year
// digits) and birthplace, ignoring omocodia. A malformed code matches
// nothing. Data left empty (zero) is not compared, so a form can warn while
// it is still being filled in.
func Matches(code, surname, name string, sex byte, birth time.Time, placeCode string) bool {
	c := Canonical(code)
	if checkStructure(c) != nil {
		return false
	}
	if surname != "" {
		s, err := nameLetters(surname, "")
		if err != nil || c[0:3] != surnameCode(s) {
			return false
		}
	}
	if name != "" {
		n, err := nameLetters(name, "")
		if err != nil || c[3:6] != nameCode(n) {
			return false
		}
	}
	day := atoi2(c[posDay:])
	if sex != 0 {
		female := day > 40
		if sex = upper(sex); sex != 'M' && sex != 'F' || (sex == 'F') != female {
			return false
		}
	}
	if !birth.IsZero() {
		y, m, d := birth.Date()
		if day > 40 {
			day -= 40
		}
		if atoi2(c[6:]) != mod(y, 100) || c[posMonth] != monthLetters[m-1] || day != d {
			return false
		}
	}
	if placeCode != "" && c[posPlace:posCheck] != Normalize(placeCode) {
		return false
	}
	return true
}

// surnameCode takes consonants, then vowels, padded with X.
func surnameCode(letters string) string {
	cons, vow := split(letters)
	return pad(cons + vow)
}

// nameCode is like surnameCode, except that a name with four or more
// consonants takes the 1st, 3rd and 4th (Alessandro: LSN).
func nameCode(letters string) string {
	cons, vow := split(letters)
	if len(cons) >= 4 {
		return cons[0:1] + cons[2:4]
	}
	return pad(cons + vow)
}

func split(letters string) (cons, vow string) {
	var c, v strings.Builder
	for i := 0; i < len(letters); i++ {
		if strings.IndexByte("AEIOU", letters[i]) >= 0 {
			v.WriteByte(letters[i])
		} else {
			c.WriteByte(letters[i])
		}
	}
	return c.String(), v.String()
}

func pad(s string) string {
	if len(s) >= 3 {
		return s[:3]
	}
	return s + "XXX"[:3-len(s)]
}

// nameLetters reduces a surname or name to the letters A–Z the code uses;
// what names the field in errors ("Il cognome").
func nameLetters(s, what string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", errorf("%s è obbligatorio per calcolare il codice fiscale.", what)
	}
	l := letters(s)
	if l == "" {
		return "", errorf("%s non contiene lettere utilizzabili per il codice fiscale (sono ammesse solo lettere dell'alfabeto latino).", what)
	}
	return l, nil
}

func isPlaceCode(s string) bool {
	return len(s) == 4 && s[0] >= 'A' && s[0] <= 'Z' && allDigits(s[1:])
}

func upper(b byte) byte {
	if b >= 'a' && b <= 'z' {
		return b - 'a' + 'A'
	}
	return b
}
