package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	"cartella/store/vault"
)

// Record kinds. They are stored in clear, so they say what a record is
// (a person, an operator) but nothing about who.
const (
	kindOffice   = "office"
	kindOperator = "operator"
	kindPerson   = "person"
	kindSettings = "settings"
)

// schemaV is the body version of every kind today; a kind whose body
// changes shape bumps its own number and upgrades old bodies on read.
const schemaV = 1

// recordAD binds a sealed body to its row: moving it to another id or kind
// makes it fail to open.
func recordAD(id ID, kind string, schema int) []byte {
	ad := make([]byte, 0, 8+len(id)+len(kind)+3)
	ad = append(ad, "rec|v1|"...)
	ad = append(ad, id[:]...)
	ad = append(ad, kind...)
	ad = append(ad, '|')
	return binary.BigEndian.AppendUint16(ad, uint16(schema))
}

type querier interface {
	execer
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

const (
	sqlPutRecord = `INSERT INTO records(id, kind, parent, hlc, device, deleted, schema_v, body)
		VALUES(?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET parent = excluded.parent, hlc = excluded.hlc, device = excluded.device,
			deleted = excluded.deleted, schema_v = excluded.schema_v, body = excluded.body,
			history = cs_history_next(records.history, records.device, records.hlc, excluded.device, excluded.hlc,
				EXISTS(SELECT 1 FROM conflicts c WHERE c.id = excluded.id))
		WHERE records.kind = excluded.kind`
	sqlQueueOutbox = "INSERT INTO outbox(id, hlc) VALUES(?, ?)"
)

// putRecord seals v and writes it as the current version of the record,
// queueing it for sync in the same transaction.
func (s *Session) putRecord(ctx context.Context, tx querier, keys *vault.SubKeys, id ID, kind string, parent *ID, deleted bool, v any) (HLC, error) {
	plain, err := json.Marshal(v)
	if err != nil {
		return 0, fmt.Errorf("encode %s: %w", kind, err)
	}
	body, err := vault.Seal(keys.Records, plain, recordAD(id, kind, schemaV))
	clear(plain)
	if err != nil {
		return 0, fmt.Errorf("seal %s: %w", kind, err)
	}
	h := s.db.clock.Next()
	var par any
	if parent != nil && !parent.IsZero() {
		par = parent[:]
	}
	_, err = tx.ExecContext(ctx, sqlPutRecord, id[:], kind, par, int64(h), s.db.deviceID[:], deleted, schemaV, body)
	if err != nil {
		return 0, fmt.Errorf("write %s: %w", kind, diskErr(err))
	}
	if _, err := tx.ExecContext(ctx, sqlQueueOutbox, id[:], int64(h)); err != nil {
		return 0, fmt.Errorf("queue %s: %w", kind, diskErr(err))
	}
	return h, nil
}

// getRecord opens one record of the given kind into v.
func (s *Session) getRecord(ctx context.Context, id ID, kind string, v any) error {
	keys, err := s.subkeys()
	if err != nil {
		return err
	}
	var body []byte
	var schema int
	var deleted bool
	err = s.db.sql.QueryRowContext(ctx, "SELECT body, schema_v, deleted FROM records WHERE id = ? AND kind = ?", id[:], kind).
		Scan(&body, &schema, &deleted)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", kind, err)
	}
	if deleted {
		return ErrNotFound
	}
	return openInto(keys, id, kind, schema, body, v)
}

func openInto(keys *vault.SubKeys, id ID, kind string, schema int, body []byte, v any) error {
	plain, err := vault.Open(keys.Records, body, recordAD(id, kind, schema))
	if err != nil {
		return fmt.Errorf("open %s %s: %w", kind, id, ErrTampered)
	}
	defer clear(plain)
	if err := json.Unmarshal(plain, v); err != nil {
		return fmt.Errorf("decode %s %s: %w", kind, id, err)
	}
	return nil
}

// scanKind opens every live record of a kind, in no particular order.
func (s *Session) scanKind(ctx context.Context, kind string, fn func(id ID, plain []byte) error) error {
	keys, err := s.subkeys()
	if err != nil {
		return err
	}
	raws, err := s.rawKind(ctx, kind)
	if err != nil {
		return err
	}
	return openEach(keys, kind, raws, fn)
}

// openEach opens sealed rows of one kind in turn, wiping each plaintext
// after fn.
func openEach(keys *vault.SubKeys, kind string, raws []rawRecord, fn func(id ID, plain []byte) error) error {
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

// ErrDiskFull is shown when SQLite cannot grow the file.
var ErrDiskFull = errors.New("disco pieno: liberare spazio e riprovare; nulla di quanto già salvato è andato perso")

func diskErr(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if containsAny(msg, "database or disk is full", "SQLITE_FULL", "no space left") {
		return fmt.Errorf("%w (%v)", ErrDiskFull, err)
	}
	return err
}

// rawRecord is a sealed row as read, before opening.
type rawRecord struct {
	id     ID
	schema int
	body   []byte
}

// rawKind reads every live sealed record of a kind without opening them.
func (s *Session) rawKind(ctx context.Context, kind string) ([]rawRecord, error) {
	return s.rawQuery(ctx, kind, "SELECT id, schema_v, body FROM records WHERE kind = ? AND deleted = 0", kind)
}

// rawQuery runs a query returning (id, schema_v, body) rows of one kind.
func (s *Session) rawQuery(ctx context.Context, kind, query string, args ...any) ([]rawRecord, error) {
	rows, err := s.db.sql.QueryContext(ctx, query, args...)
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
