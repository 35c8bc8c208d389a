package store

import (
	"sync"
	"time"
)

// HLC is a hybrid logical clock stamp: milliseconds since the Unix epoch in
// the high 48 bits and a counter in the low 16. It orders changes across PCs
// close to real time while staying monotonic when a wall clock goes back.
type HLC uint64

const hlcCounterBits = 16

func (h HLC) Wall() time.Time {
	return time.UnixMilli(int64(h >> hlcCounterBits)).UTC()
}

// clock issues HLC stamps for one device.
type clock struct {
	mu   sync.Mutex
	last HLC
	now  func() time.Time
}

func newClock(now func() time.Time, last HLC) *clock {
	if now == nil {
		now = time.Now
	}
	return &clock{now: now, last: last}
}

// Next returns a stamp greater than every stamp issued or observed so far.
func (c *clock) Next() HLC {
	c.mu.Lock()
	defer c.mu.Unlock()
	wall := HLC(c.now().UnixMilli()) << hlcCounterBits
	if wall > c.last {
		c.last = wall
	} else {
		c.last++
	}
	return c.last
}

// Observe advances the clock past a stamp received from another device.
func (c *clock) Observe(h HLC) {
	c.mu.Lock()
	if h > c.last {
		c.last = h
	}
	c.mu.Unlock()
}
