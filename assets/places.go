package assets

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Place is an Italian comune or a foreign state as it was during one period.
// A Belfiore code may have several records over time (renamings, changes of
// province, suppression and re-establishment), and a few codes were reused.
type Place struct {
	Code      string // Belfiore / cadastral code: "H501", or "Z330" for a foreign state
	Name      string // display name, proper case: "Roma", "Marocco"
	AltName   string // second-language name ("Bozen") or a common short name ("URSS"); may be empty
	Province  string // province sigla "RM"; "EE" for foreign states
	IstatCode string // ISTAT code: 6-digit comune code or 3-digit state code; empty if unknown
	Foreign   bool
	From, To  time.Time // validity, both days included; To.IsZero() while still valid

	// continued is set when a later record carries the same code on, so the
	// end of this one is a change of name or province rather than a ceasing.
	continued bool
}

// Label is the text shown in pickers and summaries. Ended records say so,
// because a historic birthplace must not look like a current one.
func (p Place) Label() string {
	var b strings.Builder
	b.WriteString(p.Name)
	if p.Foreign {
		b.WriteString(" (estero)")
	} else if p.Province != "" {
		b.WriteString(" (" + p.Province + ")")
	}
	if !p.To.IsZero() {
		if p.continued {
			fmt.Fprintf(&b, " — fino al %d", p.To.Year())
		} else {
			fmt.Fprintf(&b, " — cessato nel %d", p.To.Year())
		}
	}
	return b.String()
}

// ValidAt reports whether the record was in force on t's calendar day.
func (p Place) ValidAt(t time.Time) bool {
	d := dayKey(t)
	return d >= dayKey(p.From) && (p.To.IsZero() || d <= dayKey(p.To))
}

// Places is the immutable table of places. It is safe for concurrent use.
type Places struct {
	all      []Place  // sorted by code, then From
	from, to []int32  // dayKey of From/To, parallel to all; to is maxDay while valid
	key      []string // folded Name, parallel to all (substrings of hay)

	// Search looks up query words in hay, which holds every folded Name and
	// then every folded AltName, each followed by '\n'. Entry e starts at
	// start[e] and belongs to record rec[e]; start has a final len(hay).
	hay        string
	start, rec []int32

	comuni, states []Place // currently valid comuni; foreign states; sorted by name
	cits           []Citizenship
}

const maxDay = 99991231

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
	if err := ps.readPlaces(); err != nil {
		return nil, err
	}
	if err := ps.readCitizenships(); err != nil {
		return nil, err
	}
	return ps, nil
}

func (ps *Places) readPlaces() error {
	text := placesCSV // every field below is a substring of it
	n := strings.Count(text, "\n") - 1
	ps.all = make([]Place, 0, n)
	ps.from = make([]int32, 0, n)
	ps.to = make([]int32, 0, n)
	var fields [8]string
	for i, line := range lines(text) {
		if i == 0 {
			continue // header
		}
		if splitInto(line, ';', fields[:]) != len(fields) {
			return fmt.Errorf("places line %d: want %d fields", i+1, len(fields))
		}
		from, err1 := parseDay(fields[5])
		to, err2 := parseDay(fields[6])
		if err1 != nil || err2 != nil || from == 0 {
			return fmt.Errorf("places line %d: bad date", i+1)
		}
		p := Place{
			Code: fields[0], Name: fields[1], AltName: fields[2], Province: fields[3],
			IstatCode: fields[4], Foreign: fields[7] == "E", From: dayTime(from),
		}
		if to == 0 {
			to = maxDay
		} else {
			p.To = dayTime(to)
		}
		if k := len(ps.all); k > 0 && ps.all[k-1].Code == p.Code {
			ps.all[k-1].continued = true
		}
		ps.all = append(ps.all, p)
		ps.from = append(ps.from, from)
		ps.to = append(ps.to, to)
	}
	if !sort.SliceIsSorted(ps.all, func(i, j int) bool { return ps.all[i].Code < ps.all[j].Code }) {
		return fmt.Errorf("places are not sorted by code")
	}
	ps.index()
	var comuni, states []int
	for i, p := range ps.all {
		switch {
		case p.Foreign && (ps.to[i] == maxDay || !p.continued):
			// Ceased states stay in the birth list: they are in many real
			// codici fiscali (Jugoslavia, URSS) and have no successor code.
			states = append(states, i)
		case !p.Foreign && ps.to[i] == maxDay:
			comuni = append(comuni, i)
		}
	}
	ps.comuni = ps.sortedByName(comuni)
	ps.states = ps.sortedByName(states)
	return nil
}

// index builds hay and the folded keys in one buffer.
func (ps *Places) index() {
	buf := make([]byte, 0, 400<<10)
	add := func(i int, name string) {
		ps.start = append(ps.start, int32(len(buf)))
		ps.rec = append(ps.rec, int32(i))
		buf = append(appendFold(buf, name), '\n')
	}
	for i, p := range ps.all {
		add(i, p.Name)
	}
	for i, p := range ps.all {
		if p.AltName != "" {
			add(i, p.AltName)
		}
	}
	ps.start = append(ps.start, int32(len(buf)))
	ps.hay = string(buf)
	ps.key = make([]string, len(ps.all))
	for i := range ps.all {
		ps.key[i] = ps.entry(i)
	}
}

// entry returns the folded text of entry e.
func (ps *Places) entry(e int) string { return ps.hay[ps.start[e] : ps.start[e+1]-1] }

// sortedByName returns the records at idx sorted by folded name, so that
// "Éric" sorts with "E" and case does not matter.
func (ps *Places) sortedByName(idx []int) []Place {
	slices.SortFunc(idx, ps.byName)
	out := make([]Place, len(idx))
	for k, i := range idx {
		out[k] = ps.all[i]
	}
	return out
}

// byName orders record indexes by folded name, then province; the index
// breaks ties so the order never depends on the sort algorithm.
func (ps *Places) byName(i, j int) int {
	return cmp.Or(
		strings.Compare(ps.key[i], ps.key[j]),
		strings.Compare(ps.all[i].Province, ps.all[j].Province),
		cmp.Compare(i, j),
	)
}

// span returns the index range of the records of code.
func (ps *Places) span(code string) (lo, hi int) {
	code = strings.ToUpper(strings.TrimSpace(code))
	lo = sort.Search(len(ps.all), func(i int) bool { return ps.all[i].Code >= code })
	hi = lo
	for hi < len(ps.all) && ps.all[hi].Code == code {
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
		return ps.all[hi-1], true
	}
	d := dayKey(at)
	for i := lo; i < hi; i++ {
		if ps.from[i] <= d && d <= ps.to[i] {
			return ps.all[i], true
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
	_, ok := ps.ByCode(code, at)
	return ok
}

// Comuni returns the currently valid Italian comuni sorted by name. The
// slice is the caller's to keep or modify.
func (ps *Places) Comuni() []Place { return slices.Clone(ps.comuni) }

// States returns the foreign states and territories a person may have been
// born in, ceased ones included (without an end date in their Label they
// would be indistinguishable), sorted by name. The slice is the caller's.
func (ps *Places) States() []Place { return slices.Clone(ps.states) }

// dayKey turns t's calendar day, in t's own location, into YYYYMMDD so
// validity checks never depend on the time of day or the time zone.
func dayKey(t time.Time) int32 {
	y, m, d := t.Date()
	return int32(y*10000 + int(m)*100 + d)
}

func dayTime(k int32) time.Time {
	return time.Date(int(k/10000), time.Month(k/100%100), int(k%100), 0, 0, 0, 0, time.UTC)
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
