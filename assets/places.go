package assets

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Places is the immutable table of places. It is safe for concurrent use.
type Places struct {
	recs []record // sorted by code, then from

	// Search looks up query words in hay, which holds every folded name and
	// then every folded second name, each followed by '\n'. Entry e starts
	// at start[e] and belongs to recs[rec[e]]; start ends with len(hay).
	hay        string
	start, rec []int32
	rankPool   sync.Pool // of *[]int8, one per record; see Search

	listsOnce      sync.Once
	comuni, states []int // record indexes sorted by name, built on first use

	cits []Citizenship
}

// record is the compact form of a Place; Places builds Place values only
// for what it returns, which keeps loading fast.
type record struct {
	code, name, alt, prov, istat string // substrings of the embedded text
	from, to                     int32  // dayKey; to is maxDay while valid
	foreign, continued           bool
	key                          string // folded name, a substring of hay
}

const maxDay = 99991231

func (r *record) validOn(day int32) bool { return r.from <= day && day <= r.to }

func (ps *Places) place(i int) Place {
	r := &ps.recs[i]
	p := Place{
		Code: r.code, Name: r.name, AltName: r.alt, Province: r.prov, IstatCode: r.istat,
		Foreign: r.foreign, From: dayTime(r.from), continued: r.continued,
	}
	if r.to != maxDay {
		p.To = dayTime(r.to)
	}
	return p
}

func (ps *Places) places(idx []int) []Place {
	out := make([]Place, len(idx))
	for k, i := range idx {
		out[k] = ps.place(i)
	}
	return out
}

var (
	placesOnce sync.Once
	places     *Places
)

// LoadPlaces returns the embedded table, parsing it on the first call.
// A singleton is fine here: the data is embedded and never changes.
func LoadPlaces() *Places {
	placesOnce.Do(func() {
		ps, err := loadPlaces()
		if err != nil {
			// The data is compiled in and checked by the tests, so this
			// can only be a broken build.
			panic("assets: " + err.Error())
		}
		places = ps
	})
	return places
}

func loadPlaces() (*Places, error) {
	ps := &Places{}
	if err := ps.readPlaces(placesCSV); err != nil {
		return nil, err
	}
	if err := ps.readCitizenships(); err != nil {
		return nil, err
	}
	ps.index()
	return ps, nil
}

// readPlaces parses the table written by internal/gen:
// code;name;alt;prov;istat;from;to;foreign, dates as YYYYMMDD.
func (ps *Places) readPlaces(text string) error {
	rows := lines(text)
	ps.recs = make([]record, 0, len(rows)-1)
	var f [8]string
	for i, line := range rows[1:] {
		if splitInto(line, ';', f[:]) != len(f) {
			return fmt.Errorf("places line %d: want %d fields", i+2, len(f))
		}
		from, err1 := parseDay(f[5])
		to, err2 := parseDay(f[6])
		if err1 != nil || err2 != nil || from == 0 {
			return fmt.Errorf("places line %d: bad date", i+2)
		}
		if to == 0 {
			to = maxDay
		}
		r := record{code: f[0], name: f[1], alt: f[2], prov: f[3], istat: f[4], from: from, to: to, foreign: f[7] == "E"}
		if n := len(ps.recs); n > 0 {
			switch prev := &ps.recs[n-1]; {
			case prev.code > r.code:
				return fmt.Errorf("places line %d: not sorted by code", i+2)
			case prev.code == r.code:
				prev.continued = true
			}
		}
		ps.recs = append(ps.recs, r)
	}
	return nil
}

// index folds all names into hay, in one buffer.
func (ps *Places) index() {
	n := len(ps.recs)
	buf := make([]byte, 0, 24*n)
	ps.start = make([]int32, 0, n+n/8)
	ps.rec = make([]int32, 0, n+n/8)
	add := func(i int, name string) {
		ps.start = append(ps.start, int32(len(buf)))
		ps.rec = append(ps.rec, int32(i))
		buf = append(appendFold(buf, name), '\n')
	}
	for i := range ps.recs {
		add(i, ps.recs[i].name)
	}
	for i := range ps.recs {
		if ps.recs[i].alt != "" {
			add(i, ps.recs[i].alt)
		}
	}
	ps.start = append(ps.start, int32(len(buf)))
	ps.hay = string(buf)
	ps.rankPool.New = func() any {
		r := make([]int8, len(ps.recs))
		return &r
	}
	for i := range ps.recs {
		ps.recs[i].key = ps.entry(i)
	}
}

// entry returns the folded text of entry e.
func (ps *Places) entry(e int) string { return ps.hay[ps.start[e] : ps.start[e+1]-1] }

// byName orders record indexes by folded name, then province; the index
// breaks ties so the order never depends on the sort algorithm.
func (ps *Places) byName(i, j int) int {
	a, b := &ps.recs[i], &ps.recs[j]
	if c := strings.Compare(a.key, b.key); c != 0 {
		return c
	}
	return cmp.Or(strings.Compare(a.prov, b.prov), cmp.Compare(i, j))
}

// lists builds the sorted lists of Comuni and States on first use, as most
// sessions need only look-ups by code.
func (ps *Places) lists() {
	ps.listsOnce.Do(func() {
		for i := range ps.recs {
			r := &ps.recs[i]
			switch {
			case r.foreign && (r.to == maxDay || !r.continued):
				// Ceased states stay in the birth list: they are in many
				// real codici fiscali (Jugoslavia, URSS).
				ps.states = append(ps.states, i)
			case !r.foreign && r.to == maxDay:
				ps.comuni = append(ps.comuni, i)
			}
		}
		slices.SortFunc(ps.comuni, ps.byName)
		slices.SortFunc(ps.states, ps.byName)
	})
}

// Comuni returns the currently valid Italian comuni sorted by name.
func (ps *Places) Comuni() []Place {
	ps.lists()
	return ps.places(ps.comuni)
}

// States returns the foreign states and territories a person may have been
// born in, sorted by name. Ceased states are included (their Label says
// so), as are territories with their own code (Bermuda, Hong Kong) because
// the Agenzia delle Entrate uses those codes in codici fiscali.
func (ps *Places) States() []Place {
	ps.lists()
	return ps.places(ps.states)
}

// span returns the index range of the records of code.
func (ps *Places) span(code string) (lo, hi int) {
	code = strings.ToUpper(strings.TrimSpace(code))
	lo, _ = slices.BinarySearchFunc(ps.recs, code, func(r record, c string) int { return strings.Compare(r.code, c) })
	hi = lo
	for hi < len(ps.recs) && ps.recs[hi].code == code {
		hi++
	}
	return lo, hi
}

// ByCode returns the record of code valid on date at; if at is zero, the
// most recent record of that code, even if it has ceased.
func (ps *Places) ByCode(code string, at time.Time) (Place, bool) {
	lo, hi := ps.span(code)
	if lo == hi {
		return Place{}, false
	}
	if at.IsZero() {
		return ps.place(hi - 1), true
	}
	d := dayKey(at)
	for i := lo; i < hi; i++ {
		if ps.recs[i].validOn(d) {
			return ps.place(i), true
		}
	}
	return Place{}, false
}

// ValidAt reports whether code denoted a comune or state on date at (or
// today, if at is zero). The codice fiscale check uses it with the birth
// date, because codes of ceased comuni and states remain in valid codes.
func (ps *Places) ValidAt(code string, at time.Time) bool {
	if at.IsZero() {
		at = time.Now()
	}
	lo, hi := ps.span(code)
	d := dayKey(at)
	for i := lo; i < hi; i++ {
		if ps.recs[i].validOn(d) {
			return true
		}
	}
	return false
}

// parseDay reads "YYYYMMDD"; "" is 0.
func parseDay(s string) (int32, error) {
	if s == "" {
		return 0, nil
	}
	if len(s) != 8 {
		return 0, fmt.Errorf("bad day %q", s)
	}
	n, err := strconv.Atoi(s)
	return int32(n), err
}

// lines splits text into lines that share its memory.
func lines(text string) []string {
	return strings.Split(strings.TrimSuffix(text, "\n"), "\n")
}

// splitInto splits s at sep into dst without allocating and returns the
// number of fields found (more than len(dst) counts as len(dst)+1).
func splitInto(s string, sep byte, dst []string) int {
	n := 0
	for {
		i := strings.IndexByte(s, sep)
		if n == len(dst) {
			return n + 1
		}
		if i < 0 {
			dst[n] = s
			return n + 1
		}
		dst[n] = s[:i]
		s = s[i+1:]
		n++
	}
}

// readTable splits a small ';'-separated table, header excluded.
func readTable(name, text string, nfields int) ([][]string, error) {
	var rows [][]string
	for i, line := range lines(text) {
		if i == 0 {
			continue
		}
		f := make([]string, nfields)
		if splitInto(line, ';', f) != nfields {
			return nil, fmt.Errorf("%s line %d: want %d fields", name, i+1, nfields)
		}
		rows = append(rows, f)
	}
	return rows, nil
}
