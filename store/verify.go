package store

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"cartella/store/vault"
)

// VerifyReport is the outcome of a full check of the database.
type VerifyReport struct {
	Integrity    string         // SQLite's integrity_check answer
	Counts       map[string]int // live records by kind
	Deleted      int
	AuditEntries int
	Problems     []string // Italian, one per problem; empty when all is well
}

// OK tells whether nothing is wrong.
func (r VerifyReport) OK() bool { return len(r.Problems) == 0 }

var kindLabels = map[string]string{
	kindOffice:   "ufficio",
	kindOperator: "operatori",
	kindPerson:   "persone",
	kindSettings: "impostazioni",
}

// KindLabel is the Italian plural name of a record kind.
func KindLabel(kind string) string {
	if l, ok := kindLabels[kind]; ok {
		return l
	}
	return kind
}

// String is the Italian report printed by `cartella verify`.
func (r VerifyReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Verifica del database\n")
	fmt.Fprintf(&b, "  Integrità SQLite: %s\n", r.Integrity)
	kinds := make([]string, 0, len(r.Counts))
	for k := range r.Counts {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	fmt.Fprintf(&b, "  Record:\n")
	for _, k := range kinds {
		fmt.Fprintf(&b, "    %-20s %d\n", KindLabel(k), r.Counts[k])
	}
	if r.Deleted > 0 {
		fmt.Fprintf(&b, "    %-20s %d\n", "eliminati (storico)", r.Deleted)
	}
	fmt.Fprintf(&b, "  Voci del registro accessi: %d\n", r.AuditEntries)
	if r.OK() {
		fmt.Fprintf(&b, "Esito: nessun problema trovato.\n")
	} else {
		fmt.Fprintf(&b, "Esito: %d problemi trovati:\n", len(r.Problems))
		for _, p := range r.Problems {
			fmt.Fprintf(&b, "  - %s\n", p)
		}
	}
	return b.String()
}

// Verify checks SQLite's integrity, opens every sealed body and walks the
// audit chain. It only reads: a verification creates nothing to sync.
func (s *Session) Verify(ctx context.Context) (VerifyReport, error) {
	keys, err := s.subkeys()
	if err != nil {
		return VerifyReport{}, err
	}
	r := VerifyReport{Counts: map[string]int{}}
	rows, err := s.db.sql.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return r, fmt.Errorf("integrity check: %w", err)
	}
	var lines []string
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			rows.Close()
			return r, err
		}
		lines = append(lines, l)
	}
	rows.Close()
	r.Integrity = strings.Join(lines, "; ")
	if r.Integrity != "ok" {
		r.Problems = append(r.Problems, "il file SQLite è danneggiato: "+r.Integrity)
	}

	recs, err := s.db.sql.QueryContext(ctx, "SELECT id, kind, schema_v, deleted, body FROM records")
	if err != nil {
		return r, fmt.Errorf("read records: %w", err)
	}
	bad := 0
	for recs.Next() {
		var idb, body []byte
		var kind string
		var schema int
		var deleted bool
		if err := recs.Scan(&idb, &kind, &schema, &deleted, &body); err != nil {
			recs.Close()
			return r, err
		}
		id, err := idFromBytes(idb)
		if err == nil {
			var plain []byte
			plain, err = vault.Open(keys.Records, body, recordAD(id, kind, schema))
			clear(plain)
		}
		if err != nil {
			bad++
			if bad <= 20 {
				r.Problems = append(r.Problems, fmt.Sprintf("un record di tipo %q non si apre: alterato o spostato (id %x)", KindLabel(kind), idb))
			}
			continue
		}
		if deleted {
			r.Deleted++
		} else {
			r.Counts[kind]++
		}
	}
	recs.Close()
	if bad > 20 {
		r.Problems = append(r.Problems, fmt.Sprintf("altri %d record non si aprono", bad-20))
	}

	var orphans int
	if err := s.db.sql.QueryRowContext(ctx, "SELECT COUNT(*) FROM lookup l LEFT JOIN records r ON r.id = l.id WHERE r.id IS NULL").Scan(&orphans); err != nil {
		return r, err
	}
	if orphans > 0 {
		r.Problems = append(r.Problems, fmt.Sprintf("%d voci dell'indice di ricerca puntano a record inesistenti", orphans))
	}

	n, problems := verifyAudit(ctx, s.db, keys)
	r.AuditEntries = n
	r.Problems = append(r.Problems, problems...)
	return r, nil
}
