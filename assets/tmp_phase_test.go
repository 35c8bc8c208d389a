package assets

import (
	"testing"
	"time"
)

func TestPhases(t *testing.T) {
	t0 := time.Now()
	ps := &Places{}
	ps.readPlaces()
	t1 := time.Now()
	ps2 := &Places{all: ps.all, to: ps.to, from: ps.from}
	ps2.index()
	t2 := time.Now()
	idx := make([]int, 0)
	for i := range ps.all {
		if ps.to[i] == maxDay {
			idx = append(idx, i)
		}
	}
	ps2.sortedByName(idx)
	t3 := time.Now()
	t.Logf("readPlaces(all) %v, index %v, sort %v", t1.Sub(t0), t2.Sub(t1), t3.Sub(t2))
}
