package store

import (
	"bytes"
	"database/sql/driver"
	"encoding/binary"
	"errors"
	"slices"

	"modernc.org/sqlite"
)

// A history is the causal history of a version of a record: for each
// device, the ranges of clock values of that device's versions of the
// record that this version has seen (itself included). Version b has seen
// version a when a's clock falls in b's ranges for a's device; two
// versions conflict when neither has seen the other.
//
// Ranges rather than a single maximum per device (a plain version vector)
// because a PC's line of versions can break: when its version loses
// against a concurrent one and is set aside as a conflict, its next edit
// starts from the winner and must not claim to have seen the set-aside
// version. A PC collapses its own ranges into one whenever it writes a
// record that has no conflict (then every version it ever made of the
// record is in the history), so a history is normally one range per
// device that edited the record: 34 bytes each.
type history []histEntry

type histEntry struct {
	dev    ID
	ranges []hlcRange
}

type hlcRange struct{ lo, hi HLC }

func parseHistory(b []byte) history {
	var h history
	for len(b) >= 18 {
		e := histEntry{}
		copy(e.dev[:], b[:16])
		n := int(binary.BigEndian.Uint16(b[16:18]))
		b = b[18:]
		for ; n > 0 && len(b) >= 16; n-- {
			e.ranges = append(e.ranges, hlcRange{HLC(binary.BigEndian.Uint64(b)), HLC(binary.BigEndian.Uint64(b[8:]))})
			b = b[16:]
		}
		h = append(h, e)
	}
	return h
}

func (h history) encode() []byte {
	if len(h) == 0 {
		return nil
	}
	slices.SortFunc(h, func(a, b histEntry) int { return bytes.Compare(a.dev[:], b.dev[:]) })
	var out []byte
	for _, e := range h {
		out = append(out, e.dev[:]...)
		out = binary.BigEndian.AppendUint16(out, uint16(len(e.ranges)))
		for _, r := range e.ranges {
			out = binary.BigEndian.AppendUint64(out, uint64(r.lo))
			out = binary.BigEndian.AppendUint64(out, uint64(r.hi))
		}
	}
	return out
}

// normalize sorts and merges overlapping ranges.
func normalize(rs []hlcRange) []hlcRange {
	slices.SortFunc(rs, func(a, b hlcRange) int {
		if a.lo != b.lo {
			if a.lo < b.lo {
				return -1
			}
			return 1
		}
		return 0
	})
	out := rs[:0]
	for _, r := range rs {
		if n := len(out); n > 0 && r.lo <= out[n-1].hi {
			out[n-1].hi = max(out[n-1].hi, r.hi)
			continue
		}
		out = append(out, r)
	}
	return out
}

// seen tells whether the version (dev, t) is in the history.
func (h history) seen(dev ID, t HLC) bool {
	for _, e := range h {
		if e.dev == dev {
			for _, r := range e.ranges {
				if r.lo <= t && t <= r.hi {
					return true
				}
			}
			return false
		}
	}
	return false
}

// union is the history of a version that has seen both.
func (h history) union(o history) history {
	out := make(history, 0, len(h)+len(o))
	for _, e := range h {
		out = append(out, histEntry{e.dev, slices.Clone(e.ranges)})
	}
	for _, e := range o {
		found := false
		for i := range out {
			if out[i].dev == e.dev {
				out[i].ranges = normalize(append(out[i].ranges, e.ranges...))
				found = true
			}
		}
		if !found {
			out = append(out, histEntry{e.dev, slices.Clone(e.ranges)})
		}
	}
	return out
}

// next is the history of a new version (dev, t) made from h. collapse is
// set when dev knows that every version it made of the record is in h
// (the record has no conflict on dev): its ranges become [0, t].
func (h history) next(dev ID, t HLC, collapse bool) history {
	out := h.union(nil)
	for i := range out {
		if out[i].dev == dev {
			if collapse {
				out[i].ranges = []hlcRange{{0, t}}
			} else {
				out[i].ranges = normalize(append(out[i].ranges, hlcRange{t, t}))
			}
			return out
		}
	}
	if collapse {
		return append(out, histEntry{dev, []hlcRange{{0, t}}})
	}
	return append(out, histEntry{dev, []hlcRange{{t, t}}})
}

// historyOf is a stored version's history; a version stored without one
// (a record created here, never edited) has seen only itself.
func historyOf(b []byte, dev ID, t HLC) history {
	if len(b) == 0 {
		return history{{dev, []hlcRange{{t, t}}}}
	}
	return parseHistory(b)
}

// sqlHistNext is used by the records upsert (records.go) to give a new
// local version its history: cs_history_next(old history, old device, old
// hlc, new device, new hlc, record has conflicts).
const sqlHistNext = "cs_history_next"

func init() {
	sqlite.MustRegisterDeterministicScalarFunction(sqlHistNext, 6, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		old, _ := args[0].([]byte)
		odev, ok1 := args[1].([]byte)
		oh, ok2 := args[2].(int64)
		ndev, ok3 := args[3].([]byte)
		nh, ok4 := args[4].(int64)
		conflicts, _ := args[5].(int64)
		if !ok1 || !ok2 || !ok3 || !ok4 || len(odev) != 16 || len(ndev) != 16 {
			return nil, errors.New("cs_history_next: bad arguments")
		}
		return historyOf(old, ID(odev), HLC(oh)).next(ID(ndev), HLC(nh), conflicts == 0).encode(), nil
	})
}
