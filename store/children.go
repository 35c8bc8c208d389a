package store

import (
	"context"
	"time"
)

// rawChildren reads the live sealed records of one kind under a parent.
func (s *Session) rawChildren(ctx context.Context, parent ID, kind string) ([]rawRecord, error) {
	return s.rawQuery(ctx, kind, "SELECT id, schema_v, body FROM records WHERE parent = ? AND kind = ? AND deleted = 0", parent[:], kind)
}

// newerFirst orders dated entries newest first, by creation on the same day.
func newerFirst(dateA, createdA, dateB, createdB time.Time) bool {
	if !dateA.Equal(dateB) {
		return dateA.After(dateB)
	}
	return createdA.After(createdB)
}

// children opens the live records of one kind under a parent.
func (s *Session) children(ctx context.Context, parent ID, kind string, fn func(id ID, plain []byte) error) error {
	keys, err := s.subkeys()
	if err != nil {
		return err
	}
	raws, err := s.rawChildren(ctx, parent, kind)
	if err != nil {
		return err
	}
	return openEach(keys, kind, raws, fn)
}
