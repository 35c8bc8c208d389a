package assets

import (
	"unicode"
	"unicode/utf8"
)

// Base letters of U+00C0–U+017F (Latin-1 Supplement and Latin Extended-A),
// which cover Italian, the other official languages of Italian comuni and
// most European names. '*' marks letters that fold to two letters, ' ' the
// two signs in that range (× ÷). Kept local rather than pulling in
// golang.org/x/text for one table.
const (
	foldLatin1 = "aaaaaa*ceeeeiiiidnooooo ouuuuy**aaaaaa*ceeeeiiiidnooooo ouuuuy*y"
	foldExtA   = "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii**jjkkkllllllllllnnnnnnnnnoooooo**rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs"
)

// foldRanges covers the letters beyond Latin Extended-A that are common in
// the names of people from Romania (ș, ț) and Vietnam.
var foldRanges = []struct {
	lo, hi rune
	base   byte
}{
	{0x1A0, 0x1A1, 'o'}, {0x1AF, 0x1B0, 'u'}, {0x218, 0x219, 's'}, {0x21A, 0x21B, 't'},
	{0x1EA0, 0x1EB7, 'a'}, {0x1EB8, 0x1EC7, 'e'}, {0x1EC8, 0x1ECB, 'i'},
	{0x1ECC, 0x1EE3, 'o'}, {0x1EE4, 0x1EF1, 'u'}, {0x1EF2, 0x1EF9, 'y'},
}

// baseLetter returns the lower-case base letter of r, '*' if it folds to
// two letters (see foldDouble), or 0 if r is not a Latin letter with a
// diacritic known here.
func baseLetter(r rune) byte {
	switch {
	case r >= 0xC0 && r < 0x100:
		return foldLatin1[r-0xC0]
	case r >= 0x100 && r < 0x180:
		return foldExtA[r-0x100]
	}
	for _, f := range foldRanges {
		if r >= f.lo && r <= f.hi {
			return f.base
		}
	}
	return 0
}

var foldDouble = map[rune]string{
	'Æ': "ae", 'æ': "ae", 'Þ': "th", 'þ': "th", 'ß': "ss", 'Ĳ': "ij", 'ĳ': "ij", 'Œ': "oe", 'œ': "oe",
}

// fold reduces s to lower-case unaccented words separated by single spaces,
// so that "Sant'Agata de' Goti", "SANT AGATA DE GOTI" and "sant agata de
// goti" compare equal. Letters outside Latin are kept, lower-cased.
func fold(s string) string { return string(appendFold(nil, s)) }

// appendFold appends fold(s) to dst; the table is folded into one buffer.
func appendFold(dst []byte, s string) []byte {
	start := len(dst)
	space := true // drop leading spaces and collapse runs
	put := func(r rune) {
		if r == ' ' {
			if !space {
				dst = append(dst, ' ')
			}
			space = true
			return
		}
		dst = utf8.AppendRune(dst, r)
		space = false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			put(r)
			continue
		case r >= 'A' && r <= 'Z':
			put(r + 'a' - 'A')
			continue
		case r < 0xC0:
			put(' ') // punctuation, apostrophes, spaces
			continue
		}
		switch c := baseLetter(r); {
		case c == 0 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			put(unicode.ToLower(r))
		case c == 0 || c == ' ':
			put(' ') // signs such as × and ’
		case c == '*':
			for _, d := range foldDouble[r] {
				put(d)
			}
		default:
			put(rune(c))
		}
	}
	if len(dst) > start && dst[len(dst)-1] == ' ' {
		dst = dst[:len(dst)-1]
	}
	return dst
}
