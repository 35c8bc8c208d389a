package main

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// particles are the words ISTAT writes in lower case inside a place name
// ("Reggio nell'Emilia", "Cassano allo Ionio"). Used only for words the
// learned table has never seen, i.e. in names of comuni ceased long ago.
var particles = map[string]bool{
	"a": true, "ad": true, "e": true, "ed": true, "i": true, "il": true, "lo": true, "la": true,
	"li": true, "le": true, "gli": true, "in": true, "con": true, "per": true, "tra": true, "fra": true,
	"su": true, "presso": true,
	"di": true, "da": true, "de": true, "del": true, "dello": true, "della": true, "dei": true,
	"degli": true, "delle": true, "dal": true, "dallo": true, "dalla": true, "dai": true,
	"dagli": true, "dalle": true, "nel": true, "nello": true, "nella": true, "nei": true,
	"negli": true, "nelle": true, "sul": true, "sullo": true, "sulla": true, "sui": true,
	"sugli": true, "sulle": true, "al": true, "allo": true, "alla": true, "ai": true,
	"agli": true, "alle": true,
	"d'": true, "l'": true, "de'": true, "ne'": true, "dell'": true, "nell'": true,
	"sull'": true, "all'": true, "dall'": true,
	// German and Slovene particles of bilingual names.
	"an": true, "der": true, "am": true, "im": true, "bei": true, "ob": true, "pri": true, "na": true,
}

// caser turns the upper-case names of ANPR into the proper case ISTAT uses.
// It learns from the proper-case names of current comuni (whole names and
// single words), so historic names reuse the casing of their current
// counterparts, and falls back to simple Italian rules for unknown words.
type caser struct {
	whole map[string]string // upper-case name -> proper case
	words map[string]string // upper-case word, not first in its name -> casing
}

func newCaser() *caser {
	return &caser{whole: map[string]string{}, words: map[string]string{}}
}

// learn records a proper-case name. Call finish after the last one.
func (c *caser) learn(proper string, votes map[string]map[string]int) {
	if proper == "" {
		return
	}
	c.whole[strings.ToUpper(proper)] = proper
	for i, w := range pieces(proper) {
		if i == 0 || w.afterDash || !hasLetter(w.text) {
			continue
		}
		up := strings.ToUpper(w.text)
		if votes[up] == nil {
			votes[up] = map[string]int{}
		}
		votes[up][w.text]++
	}
}

// finish keeps, for every word, the casing used most often.
func (c *caser) finish(votes map[string]map[string]int) {
	for up, v := range votes {
		best, n := "", 0
		for s, k := range v {
			if k > n || (k == n && s < best) {
				best, n = s, k
			}
		}
		c.words[up] = best
	}
}

// proper returns the proper-case form of an upper-case name.
func (c *caser) proper(upper string) string {
	upper = strings.TrimSpace(upper)
	if p, ok := c.whole[upper]; ok {
		return p
	}
	var b strings.Builder
	for i, w := range pieces(upper) {
		b.WriteString(w.sep)
		b.WriteString(c.word(w.text, i == 0 || w.afterDash))
	}
	return b.String()
}

func (c *caser) word(up string, first bool) string {
	if !hasLetter(up) {
		return up
	}
	if !first {
		if s, ok := c.words[up]; ok {
			return s
		}
		if particles[strings.ToLower(up)] {
			return strings.ToLower(up)
		}
	}
	if isRoman(up) {
		return up
	}
	return capitalize(up)
}

// capitalize upper-cases the first letter and lower-cases the rest; a final
// apostrophe after a vowel is ANPR's way of writing an accent (PERU' = Perù).
func capitalize(s string) string {
	low := []rune(strings.ToLower(s))
	if n := len(low); n >= 2 && low[n-1] == '\'' {
		if acc, ok := graveAccent[low[n-2]]; ok && n > 2 {
			low = append(low[:n-2], acc)
		}
	}
	low[0] = unicode.ToUpper(low[0])
	return string(low)
}

var graveAccent = map[rune]rune{'a': 'à', 'e': 'è', 'i': 'ì', 'o': 'ò', 'u': 'ù'}

// sentence upper-cases only the first letter ("Non attribuibile").
func sentence(s string) string {
	if s != strings.ToUpper(s) {
		return s
	}
	low := strings.ToLower(s)
	r, n := utf8.DecodeRuneInString(low)
	return string(unicode.ToUpper(r)) + low[n:]
}

func isRoman(s string) bool {
	if len(s) < 2 || particles[strings.ToLower(s)] {
		return false
	}
	for _, r := range s {
		if !strings.ContainsRune("IVXLC", r) {
			return false
		}
	}
	return true
}

func hasLetter(s string) bool {
	return strings.IndexFunc(s, unicode.IsLetter) >= 0
}

// piece is a word of a name with the separator before it. An apostrophe
// ends a piece ("D'" + "ISONZO", "SANT'" + "ANGELO") so elided particles are
// cased on their own.
type piece struct {
	sep       string
	text      string
	afterDash bool // after '-' or '/': a new name starts (bilingual names)
}

func pieces(s string) []piece {
	var out []piece
	var sep, cur strings.Builder
	dash := false
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, piece{sep: sep.String(), text: cur.String(), afterDash: dash})
			sep.Reset()
			cur.Reset()
			dash = false
		}
	}
	for _, r := range s {
		switch {
		case r == '\'' || r == '’':
			cur.WriteRune('\'')
			flush()
		case r == ' ' || r == '-' || r == '/' || r == '(' || r == ')' || r == ',' || r == '.':
			flush()
			sep.WriteRune(r)
			if r == '-' || r == '/' {
				dash = true
			}
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	if sep.Len() > 0 { // trailing separator, e.g. "EHRENBURG."
		out = append(out, piece{sep: sep.String()})
	}
	return out
}

// repairCP1252 undoes the damage of a Windows-1252 file read as Latin-1:
// characters U+0080–U+009F stand for the letters at those bytes in 1252.
func repairCP1252(s string) string {
	fix := map[rune]rune{0x8a: 'Š', 0x8e: 'Ž', 0x9a: 'š', 0x9e: 'ž', 0x8c: 'Œ', 0x9c: 'œ'}
	return strings.Map(func(r rune) rune {
		if f, ok := fix[r]; ok {
			return f
		}
		return r
	}, s)
}

// fillLost replaces the '?' that a lossy conversion left in proper with the
// letters of an upper-case reference whose tail lines up with it rune by rune
// ("Sovodnje ob So?i" against "SAVOGNA D'ISONZO-SOVODNJE OB SOČI").
func fillLost(proper string, refs ...string) string {
	if !strings.Contains(proper, "?") {
		return proper
	}
	p := []rune(proper)
	for _, ref := range refs {
		u := []rune(ref)
		if len(u) < len(p) {
			continue
		}
		u = u[len(u)-len(p):]
		ok := true
		for i, r := range p {
			if r != '?' && unicode.ToUpper(r) != u[i] {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		for i, r := range p {
			if r == '?' {
				p[i] = unicode.ToLower(u[i])
			}
		}
		return string(p)
	}
	return proper
}
