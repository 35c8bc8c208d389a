package store

import (
	"math"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

func timeNow() time.Time { return time.Now() }

func log2(x float64) float64 { return math.Log2(x) }

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// fold lowers a string and strips accents and punctuation, so that "D'Àmico"
// and "damico" compare equal in search and duplicate checks.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r), r == '\'', r == '’', r == '.':
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
			space = false
		default:
			if !space && b.Len() > 0 {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	return strings.TrimRight(b.String(), " ")
}

// similar reports whether two folded names differ by at most maxEdits
// single-character edits (Levenshtein), ignoring spaces.
func similar(a, b string, maxEdits int) bool {
	a, b = strings.ReplaceAll(a, " ", ""), strings.ReplaceAll(b, " ", "")
	ra, rb := []rune(a), []rune(b)
	if abs(len(ra)-len(rb)) > maxEdits {
		return false
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			best = min(best, cur[j])
		}
		if best > maxEdits {
			return false
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)] <= maxEdits
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
