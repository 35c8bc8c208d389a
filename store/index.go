package store

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"cartella/store/vault"
)

// PersonSummary is what lists and search results show of a person. It
// lives only in memory, built at unlock from the sealed records.
type PersonSummary struct {
	ID            ID
	Surname       string
	GivenName     string
	BirthDate     time.Time
	CodiceFiscale string
	NoConsent     bool // no privacy consent recorded: lists mark it

	key string // folded "surname givenname" for matching
}

// FullName is "Cognome Nome".
func (p PersonSummary) FullName() string { return strings.TrimSpace(p.Surname + " " + p.GivenName) }

// personIndex keeps every person's summary sorted by name, for the
// virtualised list and the search box. Reads vastly outnumber writes.
type personIndex struct {
	mu     sync.RWMutex
	sorted []PersonSummary
	byID   map[ID]PersonSummary
}

func summaryOf(p Person) PersonSummary {
	return PersonSummary{ID: p.ID, Surname: p.Surname, GivenName: p.GivenName, BirthDate: p.BirthDate,
		CodiceFiscale: p.CodiceFiscale, NoConsent: !p.Consent.Recorded || !p.Consent.Given,
		key: fold(p.Surname + " " + p.GivenName)}
}

func lessSummary(a, b PersonSummary) int {
	if c := strings.Compare(a.key, b.key); c != 0 {
		return c
	}
	if c := a.BirthDate.Compare(b.BirthDate); c != 0 {
		return c
	}
	return strings.Compare(a.ID.String(), b.ID.String())
}

func newPersonIndex(sums []PersonSummary) *personIndex {
	slices.SortFunc(sums, lessSummary)
	idx := &personIndex{sorted: sums}
	idx.reindex()
	return idx
}

func sortIndex(x *personIndex) {
	x.mu.Lock()
	slices.SortFunc(x.sorted, lessSummary)
	x.mu.Unlock()
}

func (x *personIndex) reindex() {
	x.byID = make(map[ID]PersonSummary, len(x.sorted))
	for _, s := range x.sorted {
		x.byID[s.ID] = s
	}
}

func (x *personIndex) put(p PersonSummary) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if old, ok := x.byID[p.ID]; ok {
		if i, found := slices.BinarySearchFunc(x.sorted, old, lessSummary); found {
			x.sorted = slices.Delete(x.sorted, i, i+1)
		}
	}
	i, _ := slices.BinarySearchFunc(x.sorted, p, lessSummary)
	x.sorted = slices.Insert(x.sorted, i, p)
	x.byID[p.ID] = p
}

func (x *personIndex) get(id ID) (PersonSummary, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	s, ok := x.byID[id]
	return s, ok
}

func (x *personIndex) byBirth(d time.Time) []PersonSummary {
	x.mu.RLock()
	defer x.mu.RUnlock()
	var out []PersonSummary
	for _, s := range x.sorted {
		if s.BirthDate.Equal(d) {
			out = append(out, s)
		}
	}
	return out
}

// search returns up to limit persons matching every word of q in their
// name, or whose codice fiscale contains q. Names starting with the query
// come first.
func (x *personIndex) search(q string, limit int) []PersonSummary {
	fq := fold(q)
	if fq == "" {
		return nil
	}
	words := strings.Fields(fq)
	cfq := strings.ToUpper(strings.ReplaceAll(fq, " ", ""))
	x.mu.RLock()
	defer x.mu.RUnlock()
	var first, rest []PersonSummary
	for _, s := range x.sorted {
		match := true
		for _, w := range words {
			if !strings.Contains(s.key, w) {
				match = false
				break
			}
		}
		if !match && len(cfq) >= 3 && strings.Contains(s.CodiceFiscale, cfq) {
			match = true
		}
		if !match {
			continue
		}
		if strings.HasPrefix(s.key, words[0]) || strings.HasPrefix(s.CodiceFiscale, cfq) {
			first = append(first, s)
			if len(first) >= limit {
				break
			}
		} else if len(rest) < limit {
			rest = append(rest, s)
		}
	}
	out := append(first, rest...)
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

// summaryFields is the part of a person body the index needs; decoding
// only these is cheaper than a whole Person.
type summaryFields struct {
	Surname       string    `json:"surname"`
	GivenName     string    `json:"given_name"`
	BirthDate     time.Time `json:"birth_date"`
	CodiceFiscale string    `json:"cf"`
	Consent       Consent   `json:"consent"`
}

// buildIndex decrypts every person at unlock. Rows are read on one
// goroutine and opened and decoded on all CPUs: decoding is most of the cost.
func (s *Session) buildIndex(ctx context.Context) (*personIndex, error) {
	keys, err := s.subkeys()
	if err != nil {
		return nil, err
	}
	raws, err := s.rawKind(ctx, kindPerson)
	if err != nil {
		return nil, fmt.Errorf("build index: %w", err)
	}
	sums := make([]PersonSummary, len(raws))
	workers := max(1, min(runtime.GOMAXPROCS(0), len(raws)/1000))
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(raws); i += workers {
				r := raws[i]
				plain, err := vault.Open(keys.Records, r.body, recordAD(r.id, kindPerson, r.schema))
				if err != nil {
					errs[w] = fmt.Errorf("open person %s: %w", r.id, ErrTampered)
					return
				}
				var f summaryFields
				err = json.Unmarshal(plain, &f)
				clear(plain)
				if err != nil {
					errs[w] = fmt.Errorf("decode person %s: %w", r.id, err)
					return
				}
				sums[i] = summaryOf(Person{ID: r.id, Surname: f.Surname, GivenName: f.GivenName, BirthDate: f.BirthDate, CodiceFiscale: f.CodiceFiscale, Consent: f.Consent})
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("build index: %w", err)
		}
	}
	return newPersonIndex(sums), nil
}

func (s *Session) indexPut(p Person) {
	s.mu.RLock()
	idx := s.index
	s.mu.RUnlock()
	if idx != nil {
		idx.put(summaryOf(p))
	}
}

func (s *Session) idx() *personIndex {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.index
}

// Search finds persons by any part of cognome/nome or codice fiscale.
func (s *Session) Search(q string, limit int) []PersonSummary {
	idx := s.idx()
	if idx == nil || !s.Operator().Role.Can(PermPersons) {
		return nil
	}
	return idx.search(q, limit)
}

// PersonCount is the number of persons, for the virtualised list.
func (s *Session) PersonCount() int {
	idx := s.idx()
	if idx == nil {
		return 0
	}
	idx.mu.RLock()
	defer idx.mu.RUnlock()
	return len(idx.sorted)
}

// PersonAt is the i-th person in name order; O(1) for list callbacks.
func (s *Session) PersonAt(i int) (PersonSummary, bool) {
	idx := s.idx()
	if idx == nil {
		return PersonSummary{}, false
	}
	idx.mu.RLock()
	defer idx.mu.RUnlock()
	if i < 0 || i >= len(idx.sorted) {
		return PersonSummary{}, false
	}
	return idx.sorted[i], true
}

// PersonSummaryByID returns the in-memory summary of a person.
func (s *Session) PersonSummaryByID(id ID) (PersonSummary, bool) {
	idx := s.idx()
	if idx == nil {
		return PersonSummary{}, false
	}
	return idx.get(id)
}
