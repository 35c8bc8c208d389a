package store

import (
	"bufio"
	"io"
	"slices"

	"cartella/store/codicefiscale"
)

type ioWriter = io.Writer

func newBufWriter(w io.Writer) *bufio.Writer { return bufio.NewWriterSize(w, 256<<10) }

func canonicalCF(cf string) string { return codicefiscale.Canonical(cf) }

// indexPutMany adds or replaces persons in the in-memory index in one
// sort, so that applying thousands of remote persons stays fast.
func (s *Session) indexPutMany(ps []Person) {
	idx := s.idx()
	if idx == nil || len(ps) == 0 {
		return
	}
	if len(ps) < 64 {
		for _, p := range ps {
			idx.put(summaryOf(p))
		}
		return
	}
	idx.mu.Lock()
	for _, p := range ps {
		idx.byID[p.ID] = summaryOf(p)
	}
	idx.sorted = idx.sorted[:0]
	for _, sum := range idx.byID {
		idx.sorted = append(idx.sorted, sum)
	}
	slices.SortFunc(idx.sorted, lessSummary)
	idx.mu.Unlock()
}

// indexRemove drops a deleted person from the in-memory index.
func (s *Session) indexRemove(id ID) {
	idx := s.idx()
	if idx == nil {
		return
	}
	idx.mu.Lock()
	defer idx.mu.Unlock()
	if _, ok := idx.byID[id]; !ok {
		return
	}
	delete(idx.byID, id)
	out := idx.sorted[:0]
	for _, sum := range idx.sorted {
		if sum.ID != id {
			out = append(out, sum)
		}
	}
	idx.sorted = out
}
