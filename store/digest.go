package store

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"time"

	"cartella/store/vault"
)

var timeZero time.Time

// Digest is a fingerprint of the shared content of the office as this PC
// has it: every record version (ids, kinds, links, clocks, deleted flags
// and the decrypted bodies) and the wrapped keys. It leaves out the audit
// log (logging in writes to it) and what is local to a PC (conflicts
// awaiting review, sync bookkeeping, blind indexes), so two PCs that have
// exchanged all their changes print the same digest.
func (s *Session) Digest(ctx context.Context) (string, error) {
	keys, err := s.subkeys()
	if err != nil {
		return "", err
	}
	h := sha256.New()
	h.Write([]byte("cartella-digest|v1|"))
	var n [8]byte
	put := func(b []byte) {
		binary.BigEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	rows, err := s.db.sql.QueryContext(ctx, "SELECT id, kind, parent, hlc, device, deleted, schema_v, body FROM records ORDER BY id")
	if err != nil {
		return "", fmt.Errorf("digest: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var idb, parent, dev, body []byte
		var kind string
		var hlc int64
		var deleted bool
		var schema int
		if err := rows.Scan(&idb, &kind, &parent, &hlc, &dev, &deleted, &schema, &body); err != nil {
			return "", fmt.Errorf("digest: %w", err)
		}
		id, err := idFromBytes(idb)
		if err != nil {
			return "", err
		}
		plain, err := vault.Open(keys.Records, body, recordAD(id, kind, schema))
		if err != nil {
			return "", fmt.Errorf("digest: record %s: %w", id, ErrTampered)
		}
		put(idb)
		put([]byte(kind))
		put(parent)
		binary.BigEndian.PutUint64(n[:], uint64(hlc))
		h.Write(n[:])
		put(dev)
		if deleted {
			h.Write([]byte{1})
		} else {
			h.Write([]byte{0})
		}
		binary.BigEndian.PutUint64(n[:], uint64(schema))
		h.Write(n[:])
		put(plain)
		clear(plain)
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	rows.Close()
	krows, err := s.db.sql.QueryContext(ctx, "SELECT login, operator_id, wrapped FROM keyring ORDER BY login")
	if err != nil {
		return "", fmt.Errorf("digest: %w", err)
	}
	defer krows.Close()
	h.Write([]byte("|keyring|"))
	for krows.Next() {
		var login, op, w []byte
		if err := krows.Scan(&login, &op, &w); err != nil {
			return "", err
		}
		put(login)
		put(op)
		put(w)
	}
	return hex.EncodeToString(h.Sum(nil)), krows.Err()
}
