package codicefiscale

import "strings"

// Base letters of U+00C0–U+017F (Latin-1 Supplement and Latin Extended-A);
// '*' marks letters written as two (Æ, ß), ' ' the signs × and ÷. The same
// table as package assets uses for search; kept here so this package stays
// free of dependencies.
const (
	baseLatin1 = "AAAAAA*CEEEEIIIIDNOOOOO OUUUUY**AAAAAA*CEEEEIIIIDNOOOOO OUUUUY*Y"
	baseExtA   = "AAAAAACCCCCCCCDDDDEEEEEEEEEEGGGGGGGGHHHHIIIIIIIIII**JJKKKLLLLLLLLLLNNNNNNNNNOOOOOO**RRRRRRSSSSSSSSTTTTTTUUUUUUUUUUUUWWYYYZZZZZZS"
)

var baseDouble = map[rune]string{
	'Æ': "AE", 'æ': "AE", 'Þ': "TH", 'þ': "TH", 'ß': "SS", 'Ĳ': "IJ", 'ĳ': "IJ", 'Œ': "OE", 'œ': "OE",
}

// baseRanges covers letters beyond Latin Extended-A common in names of
// people from Romania (Ș, Ț) and Vietnam.
var baseRanges = []struct {
	lo, hi rune
	base   byte
}{
	{0x1A0, 0x1A1, 'O'}, {0x1AF, 0x1B0, 'U'}, {0x218, 0x219, 'S'}, {0x21A, 0x21B, 'T'},
	{0x1EA0, 0x1EB7, 'A'}, {0x1EB8, 0x1EC7, 'E'}, {0x1EC8, 0x1ECB, 'I'},
	{0x1ECC, 0x1EE3, 'O'}, {0x1EE4, 0x1EF1, 'U'}, {0x1EF2, 0x1EF9, 'Y'},
}

// letters returns the letters of a name as the codice fiscale sees them:
// upper case, accents removed (À→A, Ș→S), everything else (spaces,
// apostrophes, hyphens, digits, non-Latin letters) dropped.
func letters(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r)
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		default:
			switch c := base(r); c {
			case 0, ' ':
			case '*':
				b.WriteString(baseDouble[r])
			default:
				b.WriteByte(c)
			}
		}
	}
	return b.String()
}

func base(r rune) byte {
	switch {
	case r >= 0xC0 && r < 0x100:
		return baseLatin1[r-0xC0]
	case r >= 0x100 && r < 0x180:
		return baseExtA[r-0x100]
	}
	for _, f := range baseRanges {
		if r >= f.lo && r <= f.hi {
			return f.base
		}
	}
	return 0
}
