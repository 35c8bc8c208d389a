package assets

import (
	"cmp"
	"slices"
	"sort"
	"strings"
	"time"
)

// Match ranks, best first.
const (
	rankCode       = iota // the query is the code itself
	rankNamePrefix        // the name (or the code) starts with the query
	rankWordPrefix        // every query word starts a word of the name
	rankContains          // every query word occurs somewhere in the name
	noMatch        = -1
)

// Search finds places for a type-ahead picker. It matches the query against
// names (and second-language names) ignoring case, accents and punctuation,
// or against the code, among the places valid on date at, or currently
// valid if at is zero. Results come best match first (code, name prefix,
// word prefixes, substrings), then by name. limit <= 0 means no limit.
func (ps *Places) Search(query string, at time.Time, limit int) []Place {
	q := fold(query)
	if q == "" {
		return nil
	}
	day := int32(maxDay)
	if !at.IsZero() {
		day = dayKey(at)
	}
	valid := func(i int) bool {
		if day == maxDay {
			return ps.to[i] == maxDay
		}
		return ps.from[i] <= day && day <= ps.to[i]
	}

	best := map[int]int{} // record -> best rank
	note := func(i, rank int) {
		if r, ok := best[i]; !ok || rank < r {
			best[i] = rank
		}
	}
	words := strings.Fields(q)
	if code := strings.ToUpper(strings.Join(words, "")); looksLikeCode(code) {
		lo := sort.Search(len(ps.all), func(i int) bool { return ps.all[i].Code >= code })
		for i := lo; i < len(ps.all) && strings.HasPrefix(ps.all[i].Code, code); i++ {
			switch {
			case !valid(i):
			case ps.all[i].Code == code:
				note(i, rankCode)
			default:
				note(i, rankNamePrefix)
			}
		}
	}

	// Find the rarest-looking (longest) word with a fast substring search
	// over all names at once, then check the whole query on each entry hit.
	w := words[0]
	for _, x := range words[1:] {
		if len(x) > len(w) {
			w = x
		}
	}
	for pos := 0; ; {
		j := strings.Index(ps.hay[pos:], w)
		if j < 0 {
			break
		}
		e := sort.Search(len(ps.start), func(k int) bool { return int(ps.start[k]) > pos+j }) - 1
		pos = int(ps.start[e+1])
		if i := int(ps.rec[e]); valid(i) {
			if r := rankName(ps.entry(e), q, words); r != noMatch {
				note(i, r)
			}
		}
	}

	type hit struct{ i, rank int }
	hits := make([]hit, 0, len(best))
	for i, r := range best {
		hits = append(hits, hit{i, r})
	}
	slices.SortFunc(hits, func(x, y hit) int {
		return cmp.Or(cmp.Compare(x.rank, y.rank), ps.byName(x.i, y.i))
	})
	if limit > 0 && len(hits) > limit {
		hits = hits[:limit]
	}
	out := make([]Place, len(hits))
	for k, h := range hits {
		out[k] = ps.all[h.i]
	}
	return out
}

// looksLikeCode accepts what a user types while entering a Belfiore code:
// a letter followed by one to three digits.
func looksLikeCode(s string) bool {
	if len(s) < 2 || len(s) > 4 || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// rankName matches a folded name against the folded query and its words.
func rankName(name, q string, words []string) int {
	if strings.HasPrefix(name, q) {
		return rankNamePrefix
	}
	rank := rankWordPrefix
	for _, w := range words {
		j := strings.Index(name, w)
		if j < 0 {
			return noMatch
		}
		// The first occurrence may be inside a word and a later one start one.
		if j > 0 && name[j-1] != ' ' && !strings.Contains(name, " "+w) {
			rank = rankContains
		}
	}
	return rank
}
