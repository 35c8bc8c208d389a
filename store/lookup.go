package store

import (
	"context"
	"fmt"

	"cartella/store/vault"
)

// Blind-index labels: each exact-match field has its own.
const lookupCF = "cf"

const (
	sqlLookupGet    = "SELECT value FROM lookup WHERE id = ? AND label = ?"
	sqlLookupDelete = "DELETE FROM lookup WHERE id = ? AND label = ?"
	sqlLookupInsert = "INSERT INTO lookup(label, value, id) VALUES(?, ?, ?)"
)

// setLookup replaces the record's entry for label with the HMAC of value
// (none when value is empty).
func (s *Session) setLookup(ctx context.Context, tx querier, keys *vault.SubKeys, id ID, label, value string) error {
	var want []byte
	if value != "" {
		want = vault.BlindIndex(keys.BlindIndex, label, value)
	}
	// Most saves do not change the indexed value: leave the row alone.
	var have []byte
	err := tx.QueryRowContext(ctx, sqlLookupGet, id[:], label).Scan(&have)
	if err == nil && want != nil && vault.Equal(have, want) {
		return nil
	}
	if err == nil {
		if _, err := tx.ExecContext(ctx, sqlLookupDelete, id[:], label); err != nil {
			return fmt.Errorf("lookup %s: %w", label, err)
		}
	}
	if want == nil {
		return nil
	}
	if _, err := tx.ExecContext(ctx, sqlLookupInsert, label, want, id[:]); err != nil {
		return fmt.Errorf("lookup %s: %w", label, diskErr(err))
	}
	return nil
}

// lookup returns the live records whose label equals value.
func (s *Session) lookup(ctx context.Context, label, value string) ([]ID, error) {
	keys, err := s.subkeys()
	if err != nil {
		return nil, err
	}
	if value == "" {
		return nil, nil
	}
	rows, err := s.db.sql.QueryContext(ctx, `SELECT l.id FROM lookup l JOIN records r ON r.id = l.id
		WHERE l.label = ? AND l.value = ? AND r.deleted = 0`, label, vault.BlindIndex(keys.BlindIndex, label, value))
	if err != nil {
		return nil, fmt.Errorf("lookup %s: %w", label, err)
	}
	defer rows.Close()
	var ids []ID
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			return nil, err
		}
		id, err := idFromBytes(b)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
