package store

import (
	"bytes"
	"database/sql/driver"
	"encoding/binary"
	"errors"
	"slices"

	"modernc.org/sqlite"
)

// A version vector says, for each device, the highest clock of that
// device's changes a version of a record has seen (itself included). It is
// what tells a later edit from a concurrent one: version b has seen version
// a when b's vector reaches a's clock for a's device. Records store the
// vector of their history without themselves (base_vv); an office has two
// or three PCs, so a vector is a few dozen bytes.
type versionVector []vvEntry

type vvEntry struct {
	dev ID
	hlc HLC
}

const vvEntrySize = 16 + 8

func parseVV(b []byte) versionVector {
	v := make(versionVector, 0, len(b)/vvEntrySize+1)
	for len(b) >= vvEntrySize {
		var e vvEntry
		copy(e.dev[:], b[:16])
		e.hlc = HLC(binary.BigEndian.Uint64(b[16:24]))
		v = append(v, e)
		b = b[vvEntrySize:]
	}
	return v
}

func (v versionVector) encode() []byte {
	if len(v) == 0 {
		return nil
	}
	slices.SortFunc(v, func(a, b vvEntry) int { return bytes.Compare(a.dev[:], b.dev[:]) })
	out := make([]byte, 0, len(v)*vvEntrySize)
	for _, e := range v {
		out = append(out, e.dev[:]...)
		out = binary.BigEndian.AppendUint64(out, uint64(e.hlc))
	}
	return out
}

// add raises dev's clock to h.
func (v versionVector) add(dev ID, h HLC) versionVector {
	for i := range v {
		if v[i].dev == dev {
			if h > v[i].hlc {
				v[i].hlc = h
			}
			return v
		}
	}
	return append(v, vvEntry{dev, h})
}

func (v versionVector) merge(o versionVector) versionVector {
	for _, e := range o {
		v = v.add(e.dev, e.hlc)
	}
	return v
}

// seen tells whether the version (dev, h) is in the history.
func (v versionVector) seen(dev ID, h HLC) bool {
	for _, e := range v {
		if e.dev == dev {
			return e.hlc >= h
		}
	}
	return false
}

// vvOf is the full vector of a version: its base plus itself.
func vvOf(base []byte, dev ID, h HLC) versionVector {
	return parseVV(base).add(dev, h)
}

// sqlVVAdd is used by the records upsert: the base of a new local version
// is the old version's base plus the old version itself.
const sqlVVAdd = "cs_vv_add"

func init() {
	sqlite.MustRegisterDeterministicScalarFunction(sqlVVAdd, 3, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		base, _ := args[0].([]byte)
		devb, ok := args[1].([]byte)
		h, ok2 := args[2].(int64)
		if !ok || !ok2 || len(devb) != 16 {
			return nil, errors.New("cs_vv_add: bad arguments")
		}
		var dev ID
		copy(dev[:], devb)
		return vvOf(base, dev, HLC(h)).encode(), nil
	})
}
