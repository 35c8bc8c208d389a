package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"cartella/store/vault"
)

// Action is what an audit entry records.
type Action string

const (
	ActionCreateOffice Action = "create_office"
	ActionLogin        Action = "login"
	ActionLock         Action = "lock"
	ActionRecovery     Action = "recovery"
	ActionRead         Action = "read"
	ActionCreate       Action = "create"
	ActionUpdate       Action = "update"
	ActionDelete       Action = "delete"
	ActionExport       Action = "export"
	ActionPassword     Action = "password"
	ActionOperatorAdd  Action = "operator_add"
	ActionOperatorOff  Action = "operator_disable"
	ActionOperatorOn   Action = "operator_enable"
	ActionSettings     Action = "settings"
	ActionVerify       Action = "verify"
	// ActionIntegrity is written by the program itself when it finds the
	// log's end not where it left it: entries were removed or the head was
	// edited. Verify reports every such entry.
	ActionIntegrity Action = "integrity"
)

var actionLabels = map[Action]string{
	ActionCreateOffice: "Creazione ufficio",
	ActionLogin:        "Accesso",
	ActionLock:         "Blocco",
	ActionRecovery:     "Recupero con codice",
	ActionRead:         "Lettura",
	ActionCreate:       "Creazione",
	ActionUpdate:       "Modifica",
	ActionDelete:       "Eliminazione",
	ActionExport:       "Esportazione",
	ActionPassword:     "Cambio password",
	ActionOperatorAdd:  "Nuovo operatore",
	ActionOperatorOff:  "Operatore disattivato",
	ActionOperatorOn:   "Operatore riattivato",
	ActionSettings:     "Impostazioni",
	ActionVerify:       "Verifica",
	ActionIntegrity:    "Alterazione rilevata",
}

// Label is the Italian name of the action.
func (a Action) Label() string {
	if l, ok := actionLabels[a]; ok {
		return l
	}
	return string(a)
}

// Actions lists every action, for filters.
func Actions() []Action {
	as := make([]Action, 0, len(actionLabels))
	for a := range actionLabels {
		as = append(as, a)
	}
	sort.Slice(as, func(i, j int) bool { return as[i].Label() < as[j].Label() })
	return as
}

// AuditEntry is one line of the audit log: who did what, when, to which record.
type AuditEntry struct {
	Device     ID        `json:"-"`
	Seq        int64     `json:"-"`
	At         time.Time `json:"at"`
	OperatorID ID        `json:"op"`
	Operator   string    `json:"opname"` // login name, kept so the log reads after an operator is gone
	Action     Action    `json:"act"`
	Kind       string    `json:"kind,omitempty"`
	RecordID   ID        `json:"rec,omitempty"`
	Detail     string    `json:"detail,omitempty"`
}

func auditAD(device ID, seq int64) []byte {
	ad := append([]byte("audit|v1|"), device[:]...)
	return binary.BigEndian.AppendUint64(ad, uint64(seq))
}

func chainMAC(k *vault.Key, prev []byte, device ID, seq int64, hlc HLC, body []byte) []byte {
	var n [16]byte
	binary.BigEndian.PutUint64(n[:8], uint64(seq))
	binary.BigEndian.PutUint64(n[8:], uint64(hlc))
	return vault.MAC(k, []byte("chain"), prev, device[:], n[:], body)
}

// headMAC authenticates the last entry's position so that cutting entries
// off the end of the log is detected as well.
func headMAC(k *vault.Key, device ID, seq int64, chain []byte) []byte {
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(seq))
	return vault.MAC(k, []byte("head"), device[:], n[:], chain)
}

func auditHeadKey(device ID) string { return "audit_head:" + device.String() }

const sqlInsertAudit = "INSERT INTO audit(device, seq, hlc, body, chain) VALUES(?, ?, ?, ?, ?)"

// auditHead is where this device's chain ended last time, authenticated.
type auditHead struct {
	seq   int64
	chain []byte
}

func readHead(ctx context.Context, tx querier, keys *vault.SubKeys, dev ID) (auditHead, bool) {
	var v []byte
	if err := tx.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = ?", auditHeadKey(dev)).Scan(&v); err != nil {
		return auditHead{}, false
	}
	if len(v) != 8+32+32 {
		return auditHead{}, false
	}
	h := auditHead{seq: int64(binary.BigEndian.Uint64(v[:8])), chain: v[8:40]}
	if !vault.Equal(headMAC(keys.Audit, dev, h.seq, h.chain), v[40:]) {
		return auditHead{}, false
	}
	return h, true
}

func writeHead(ctx context.Context, tx querier, keys *vault.SubKeys, dev ID, h auditHead) error {
	v := binary.BigEndian.AppendUint64(nil, uint64(h.seq))
	v = append(v, h.chain...)
	v = append(v, headMAC(keys.Audit, dev, h.seq, h.chain)...)
	return setMeta(ctx, tx, auditHeadKey(dev), v)
}

// appendAudit writes an entry inside tx. If the log does not end where
// this device left it, it first writes an integrity entry, so that removing
// entries (or the head) stays visible to Verify forever after.
func (s *Session) appendAudit(ctx context.Context, tx querier, keys *vault.SubKeys, e AuditEntry) error {
	dev := s.db.deviceID
	// The chain's end is checked against the file once per process; after
	// that this process is the only writer (instance lock) and keeps it.
	s.db.tailMu.Lock()
	cached := s.db.auditTail
	s.db.tailMu.Unlock()
	var last auditHead
	var err error
	if t, ok := tx.(*txn); ok && t.tail != nil {
		last = *t.tail
	} else if cached != nil {
		last = *cached
	} else {
		err = tx.QueryRowContext(ctx, "SELECT seq, chain FROM audit WHERE device = ? ORDER BY seq DESC LIMIT 1", dev[:]).Scan(&last.seq, &last.chain)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("audit: %w", err)
		}
		head, ok := readHead(ctx, tx, keys, dev)
		fresh := last.seq == 0 && !ok
		if !fresh && (!ok || head.seq != last.seq || !vault.Equal(head.chain, last.chain)) {
			ie := AuditEntry{OperatorID: e.OperatorID, Operator: e.Operator, Action: ActionIntegrity,
				Detail: "la fine del registro non corrisponde a quella registrata: voci rimosse o alterate"}
			if last, err = s.writeAuditEntry(ctx, tx, keys, last, ie); err != nil {
				return err
			}
		}
	}
	if last, err = s.writeAuditEntry(ctx, tx, keys, last, e); err != nil {
		return err
	}
	if t, ok := tx.(*txn); ok {
		t.tail = &last
	}
	return writeHead(ctx, tx, keys, dev, last)
}

func (s *Session) writeAuditEntry(ctx context.Context, tx querier, keys *vault.SubKeys, prev auditHead, e AuditEntry) (auditHead, error) {
	dev := s.db.deviceID
	seq := prev.seq + 1
	e.At = s.db.now().UTC()
	plain, err := json.Marshal(e)
	if err != nil {
		return prev, fmt.Errorf("audit: %w", err)
	}
	body, err := vault.Seal(keys.Records, plain, auditAD(dev, seq))
	if err != nil {
		return prev, fmt.Errorf("audit: %w", err)
	}
	h := s.db.clock.Next()
	chain := chainMAC(keys.Audit, prev.chain, dev, seq, h, body)
	if _, err := tx.ExecContext(ctx, sqlInsertAudit,
		dev[:], seq, int64(h), body, chain); err != nil {
		return prev, fmt.Errorf("audit: %w", diskErr(err))
	}
	return auditHead{seq: seq, chain: chain}, nil
}

// audit records an action in its own transaction (reads, logins, locks).
// A failure to audit is returned: an action that cannot be audited must not
// look as if it was.
func (s *Session) audit(ctx context.Context, a Action, kind string, id ID, detail string) error {
	keys, err := s.subkeys()
	if err != nil {
		return err
	}
	op := s.Operator()
	return s.db.inTx(ctx, func(tx querier) error {
		return s.appendAudit(ctx, tx, keys, AuditEntry{OperatorID: op.ID, Operator: op.Username, Action: a, Kind: kind, RecordID: id, Detail: detail})
	})
}

// RecordExport audits that a file with personal data left the program.
func (s *Session) RecordExport(ctx context.Context, kind string, id ID, what string) error {
	return s.audit(ctx, ActionExport, kind, id, what)
}

// AuditFilter selects audit entries; zero fields match everything.
type AuditFilter struct {
	From, To   time.Time // To is exclusive
	OperatorID ID
	RecordID   ID
	Action     Action
}

func (f AuditFilter) match(e AuditEntry) bool {
	return (f.From.IsZero() || !e.At.Before(f.From)) &&
		(f.To.IsZero() || e.At.Before(f.To)) &&
		(f.OperatorID.IsZero() || e.OperatorID == f.OperatorID) &&
		(f.RecordID.IsZero() || e.RecordID == f.RecordID) &&
		(f.Action == "" || e.Action == f.Action)
}

// Audit returns the matching entries, newest first. Only a responsabile may
// read the whole log.
func (s *Session) Audit(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	if !s.Operator().Role.Can(PermAudit) {
		return nil, ErrForbidden
	}
	keys, err := s.subkeys()
	if err != nil {
		return nil, err
	}
	rows, err := s.db.sql.QueryContext(ctx, "SELECT device, seq, body FROM audit")
	if err != nil {
		return nil, fmt.Errorf("read audit: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var devb, body []byte
		var seq int64
		if err := rows.Scan(&devb, &seq, &body); err != nil {
			return nil, fmt.Errorf("read audit: %w", err)
		}
		dev, err := idFromBytes(devb)
		if err != nil {
			return nil, err
		}
		plain, err := vault.Open(keys.Records, body, auditAD(dev, seq))
		if err != nil {
			return nil, fmt.Errorf("audit entry %d: %w", seq, ErrTampered)
		}
		var e AuditEntry
		err = json.Unmarshal(plain, &e)
		clear(plain)
		if err != nil {
			return nil, fmt.Errorf("audit entry %d: %w", seq, err)
		}
		e.Device, e.Seq = dev, seq
		if f.match(e) {
			out = append(out, e)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].At.Equal(out[j].At) {
			return out[i].At.After(out[j].At)
		}
		return out[i].Seq > out[j].Seq
	})
	return out, nil
}

// verifyAudit walks every device's chain and checks it against its head.
func verifyAudit(ctx context.Context, db *DB, keys *vault.SubKeys) (int, []string) {
	var problems []string
	rows, err := db.sql.QueryContext(ctx, "SELECT device, seq, hlc, body, chain FROM audit ORDER BY device, seq")
	if err != nil {
		return 0, []string{"registro degli accessi illeggibile: " + err.Error()}
	}
	defer rows.Close()
	type state struct {
		seq   int64
		chain []byte
	}
	devs := map[ID]*state{}
	n := 0
	for rows.Next() {
		var devb, body, chain []byte
		var seq, h int64
		if err := rows.Scan(&devb, &seq, &h, &body, &chain); err != nil {
			return n, append(problems, "registro degli accessi illeggibile: "+err.Error())
		}
		n++
		dev, err := idFromBytes(devb)
		if err != nil {
			problems = append(problems, "registro degli accessi: voce con dispositivo non valido")
			continue
		}
		st := devs[dev]
		if st == nil {
			st = &state{}
			devs[dev] = st
		}
		if seq != st.seq+1 {
			problems = append(problems, fmt.Sprintf("registro degli accessi: mancano voci tra la %d e la %d", st.seq, seq))
		}
		if want := chainMAC(keys.Audit, st.chain, dev, seq, HLC(h), body); !vault.Equal(want, chain) {
			problems = append(problems, fmt.Sprintf("registro degli accessi: la voce %d è stata alterata o la catena è interrotta", seq))
		}
		if plain, err := vault.Open(keys.Records, body, auditAD(dev, seq)); err != nil {
			problems = append(problems, fmt.Sprintf("registro degli accessi: la voce %d non si apre (alterata)", seq))
		} else {
			var e AuditEntry
			if json.Unmarshal(plain, &e) == nil && e.Action == ActionIntegrity {
				problems = append(problems, fmt.Sprintf("registro degli accessi: il %s il programma ha rilevato che %s",
					e.At.Local().Format("02/01/2006 15:04"), e.Detail))
			}
			clear(plain)
		}
		st.seq, st.chain = seq, chain
	}
	if err := rows.Err(); err != nil {
		problems = append(problems, "registro degli accessi illeggibile: "+err.Error())
	}
	// Every device with a head must end exactly there.
	mrows, err := db.sql.QueryContext(ctx, "SELECT key, value FROM meta WHERE key LIKE 'audit_head:%'")
	if err != nil {
		return n, append(problems, "registro degli accessi: intestazione illeggibile")
	}
	defer mrows.Close()
	heads := map[ID]bool{}
	for mrows.Next() {
		var key string
		var v []byte
		if err := mrows.Scan(&key, &v); err != nil || len(v) != 8+32+32 {
			problems = append(problems, "registro degli accessi: intestazione non valida")
			continue
		}
		dev, err := ParseID(key[len("audit_head:"):])
		if err != nil {
			problems = append(problems, "registro degli accessi: intestazione non valida")
			continue
		}
		heads[dev] = true
		seq := int64(binary.BigEndian.Uint64(v[:8]))
		st := devs[dev]
		if st == nil || st.seq != seq || !vault.Equal(st.chain, v[8:40]) || !vault.Equal(headMAC(keys.Audit, dev, seq, v[8:40]), v[40:]) {
			problems = append(problems, "registro degli accessi: le ultime voci sono state rimosse o alterate")
		}
	}
	if devs[db.deviceID] != nil && !heads[db.deviceID] {
		problems = append(problems, "registro degli accessi: manca l'intestazione di questo computer (rimossa)")
	}
	return n, problems
}
