package assets

import (
	"cmp"
	"slices"
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
// names (and second names) ignoring case, accents and punctuation, or
// against the code, among the places valid on date at, or currently valid
// if at is zero. Results come best match first (code, name prefix, word
// prefixes, substrings), then by name. limit <= 0 means no limit.
func (ps *Places) Search(query string, at time.Time, limit int) []Place {
	q := fold(query)
	if q == "" {
		return nil
	}
	day := int32(maxDay)
	if !at.IsZero() {
		day = dayKey(at)
	}
	// ranks[i] is 1 + the best rank of record i so far, 0 if no match yet;
	// the slice is pooled and left zeroed, to spare an allocation per key
	// typed.
	ranks := ps.rankPool.Get().(*[]int8)
	defer ps.rankPool.Put(ranks)
	var matched []int
	note := func(i, rank int) {
		switch r := &(*ranks)[i]; {
		case *r == 0:
			matched = append(matched, i)
			*r = int8(rank + 1)
		case int8(rank+1) < *r:
			*r = int8(rank + 1)
		}
	}

	words := strings.Fields(q)
	if code := strings.ToUpper(strings.Join(words, "")); looksLikeCode(code) {
		lo, _ := slices.BinarySearchFunc(ps.recs, code, func(r record, c string) int { return strings.Compare(r.code, c) })
		for i := lo; i < len(ps.recs) && strings.HasPrefix(ps.recs[i].code, code); i++ {
			switch {
			case !ps.recs[i].validOn(day):
			case ps.recs[i].code == code:
				note(i, rankCode)
			default:
				note(i, rankNamePrefix)
			}
		}
	}

	// Find the longest (most selective) word in all names at once with a
	// fast substring search, then check the whole query on each entry hit.
	w := words[0]
	for _, x := range words[1:] {
		if len(x) > len(w) {
			w = x
		}
	}
	for pos, e := 0, 0; ; {
		j := strings.Index(ps.hay[pos:], w)
		if j < 0 {
			break
		}
		// Hits come in order, so the entry holding this one is found by
		// walking forward from the previous entry.
		for int(ps.start[e+1]) <= pos+j {
			e++
		}
		pos = int(ps.start[e+1])
		i := int(ps.rec[e])
		if !ps.recs[i].validOn(day) {
			continue
		}
		if r := rankName(ps.entry(e), q, words); r != noMatch {
			note(i, r)
		}
	}

	hits := make([]hit, len(matched))
	for k, i := range matched {
		hits[k] = hit{i, int((*ranks)[i]) - 1}
		(*ranks)[i] = 0
	}
	hits = ps.best(hits, limit)
	out := make([]Place, len(hits))
	for k, h := range hits {
		out[k] = ps.place(h.i)
	}
	return out
}

type hit struct{ i, rank int }

func (ps *Places) cmpHits(x, y hit) int {
	return cmp.Or(cmp.Compare(x.rank, y.rank), ps.byName(x.i, y.i))
}

// best returns the first limit hits in order. Short queries match
// thousands of names while a picker shows a few, so rather than sorting
// them all it keeps a small sorted window: most hits cost one comparison.
func (ps *Places) best(hits []hit, limit int) []hit {
	if limit <= 0 || len(hits) <= limit {
		slices.SortFunc(hits, ps.cmpHits)
		return hits
	}
	top := make([]hit, 0, limit+1)
	for _, h := range hits {
		if len(top) == limit && ps.cmpHits(h, top[limit-1]) >= 0 {
			continue
		}
		k, _ := slices.BinarySearchFunc(top, h, ps.cmpHits)
		top = slices.Insert(top, k, h)
		if len(top) > limit {
			top = top[:limit]
		}
	}
	return top
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
