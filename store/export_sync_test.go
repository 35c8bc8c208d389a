package store

import (
	"cartella/store/vault"
	"context"
	"encoding/json"
)

// SetSyncTestHook runs f between the steps of every sync until restore.
func SetSyncTestHook(f func(stage string)) (restore func()) {
	old := syncTestHook
	syncTestHook = f
	return func() { syncTestHook = old }
}

// DeleteForTest writes a tombstone of a record (the program has no
// generic delete yet; persons will get one).
func (s *Session) DeleteForTest(ctx context.Context, id ID, kind string) error {
	keys, err := s.subkeys()
	if err != nil {
		return err
	}
	var body map[string]any
	if err := s.getRecord(ctx, id, kind, &body); err != nil {
		return err
	}
	plain, _ := json.Marshal(body)
	var after func()
	err = s.db.inTx(ctx, func(tx querier) error {
		rec, err := s.putRaw(ctx, tx, keys, id, kind, nil, true, plain)
		if err != nil {
			return err
		}
		a := &applier{s: s, tx: tx, keys: keys}
		if err := a.derived(ctx, rec); err != nil {
			return err
		}
		if len(a.removed) > 0 {
			after = func() { s.indexRemove(id) }
		}
		return nil
	})
	if after != nil {
		after()
	}
	return err
}

// PutForTest writes a record of any kind, as a new kind of the program
// would (with an optional parent).
func (s *Session) PutForTest(ctx context.Context, id ID, kind string, parent *ID, v any) error {
	keys, err := s.subkeys()
	if err != nil {
		return err
	}
	return s.db.inTx(ctx, func(tx querier) error {
		_, err := s.putRecord(ctx, tx, keys, id, kind, parent, false, v)
		return err
	})
}

// GetForTest reads a live record of any kind.
func (s *Session) GetForTest(ctx context.Context, id ID, kind string, v any) error {
	return s.getRecord(ctx, id, kind, v)
}

// RecordForTest is a record's current version, decrypted.
type RecordForTest struct {
	Kind    string
	Deleted bool
	Plain   []byte
}

// RecordsForTest decrypts every record, tombstones included.
func (s *Session) RecordsForTest(ctx context.Context) (map[ID]RecordForTest, error) {
	keys, err := s.subkeys()
	if err != nil {
		return nil, err
	}
	rows, err := s.db.sql.QueryContext(ctx, "SELECT id, kind, deleted, schema_v, body FROM records")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[ID]RecordForTest{}
	for rows.Next() {
		var idb, body []byte
		var r RecordForTest
		var schema int
		if err := rows.Scan(&idb, &r.Kind, &r.Deleted, &schema, &body); err != nil {
			return nil, err
		}
		id := ID(idb)
		plain, err := vault.Open(keys.Records, body, recordAD(id, r.Kind, schema))
		if err != nil {
			return nil, err
		}
		r.Plain = plain
		out[id] = r
	}
	return out, rows.Err()
}

// AttachmentOwnerForTest returns an attachment's owner.
func (s *Session) AttachmentOwnerForTest(ctx context.Context, id ID) (ID, error) {
	var parent []byte
	if err := s.db.sql.QueryRowContext(ctx, "SELECT parent FROM records WHERE id = ?", id[:]).Scan(&parent); err != nil {
		return ID{}, err
	}
	return idFromBytes(parent)
}
