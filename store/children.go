package store

import (
	"context"
	"fmt"

	"cartella/store/vault"
)

// rawChildren reads the live sealed records of one kind under a parent.
func (s *Session) rawChildren(ctx context.Context, parent ID, kind string) ([]rawRecord, error) {
	rows, err := s.db.sql.QueryContext(ctx,
		"SELECT id, schema_v, body FROM records WHERE parent = ? AND kind = ? AND deleted = 0", parent[:], kind)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", kind, err)
	}
	defer rows.Close()
	var out []rawRecord
	for rows.Next() {
		var idb []byte
		var r rawRecord
		if err := rows.Scan(&idb, &r.schema, &r.body); err != nil {
			return nil, fmt.Errorf("list %s: %w", kind, err)
		}
		if r.id, err = idFromBytes(idb); err != nil {
			return nil, fmt.Errorf("list %s: %w", kind, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
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
	for _, r := range raws {
		plain, err := vault.Open(keys.Records, r.body, recordAD(r.id, kind, r.schema))
		if err != nil {
			return fmt.Errorf("open %s %s: %w", kind, r.id, ErrTampered)
		}
		err = fn(r.id, plain)
		clear(plain)
		if err != nil {
			return err
		}
	}
	return nil
}
