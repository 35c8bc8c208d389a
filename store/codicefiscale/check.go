package codicefiscale

import (
	"fmt"
	"strings"
	"unicode"
)

// Character positions (0-based) of a 16-character code.
const (
	posMonth = 8
	posDay   = 9
	posPlace = 11
	posCheck = 15
)

// omocodiaPos are the digit positions the Agenzia delle Entrate may replace
// with letters to tell apart people who would get the same code.
var omocodiaPos = [...]int{6, 7, 9, 10, 12, 13, 14}

// omocodiaLetters[d] replaces digit d.
const omocodiaLetters = "LMNPQRSTUV"

// monthLetters[m-1] is the letter of month m.
const monthLetters = "ABCDEHLMPRST"

// oddValues is the "dispari" table of the check character, for A–Z; digits
// 0–9 take the values of A–J.
var oddValues = [26]int{1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23}

// checkChar computes the check character of the first 15 characters of c,
// which must be upper-case letters or digits.
func checkChar(c string) byte {
	sum := 0
	for i := 0; i < 15; i++ {
		v := int(c[i] - 'A')
		if c[i] <= '9' {
			v = int(c[i] - '0')
		}
		if i%2 == 0 { // odd position counting from 1
			v = oddValues[v]
		}
		sum += v
	}
	return byte('A' + sum%26)
}

// isOmocodiaPos reports whether position i holds a digit that omocodia may
// have replaced.
func isOmocodiaPos(i int) bool {
	for _, p := range omocodiaPos {
		if p == i {
			return true
		}
	}
	return false
}

// decodeOmocodia turns omocodia letters back into digits; c must have
// passed checkStructure.
func decodeOmocodia(c string) string {
	b := []byte(c)
	for _, p := range omocodiaPos {
		if i := strings.IndexByte(omocodiaLetters, b[p]); i >= 0 {
			b[p] = byte('0' + i)
		}
	}
	return string(b)
}

// badChar reports the first character that is neither an upper-case ASCII
// letter nor a digit, so later checks can index the code byte by byte.
func badChar(c string) *Error {
	pos := 0
	for _, r := range c {
		pos++
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			shown := string(r)
			if !unicode.IsGraphic(r) {
				shown = fmt.Sprintf("%U", r) // an invisible character pasted in
			}
			return errorf("Il codice fiscale contiene un carattere non ammesso («%s» in posizione %d).", shown, pos)
		}
	}
	return nil
}

// checkStructure checks the shape of a normalised 16-character ordinary
// code: letters where letters go, digits or omocodia letters in the seven
// numeric positions, and the check character.
func checkStructure(c string) *Error {
	if err := badChar(c); err != nil {
		return err
	}
	if len(c) != 16 {
		return errorf("Il codice fiscale deve avere 16 caratteri (ne ha %d).", len(c))
	}
	for i := 0; i < len(c); i++ {
		ch := c[i]
		isLetter := ch >= 'A' && ch <= 'Z'
		switch {
		case isOmocodiaPos(i):
			if isLetter && strings.IndexByte(omocodiaLetters, ch) < 0 {
				return errorf("Il carattere %d del codice fiscale (%c) non è valido: in quella posizione sono ammesse solo cifre o le lettere L, M, N, P, Q, R, S, T, U, V.", i+1, ch)
			}
		case !isLetter:
			return errorf("Il carattere %d del codice fiscale (%c) dovrebbe essere una lettera.", i+1, ch)
		}
	}
	if want := checkChar(c); c[posCheck] != want {
		return errorf("Il carattere di controllo del codice fiscale è errato: atteso %c.", want)
	}
	return nil
}

// luhnCheck is the check digit of an 11-digit numeric codice fiscale (the
// partita IVA algorithm): digits in even positions are doubled.
func luhnCheck(c string) byte {
	sum := 0
	for i := 0; i < 10; i++ {
		d := int(c[i] - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
