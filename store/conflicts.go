package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	csync "cartella/store/sync"
	"cartella/store/vault"
)

// ConflictVersion is one of the two versions of a record in conflict.
type ConflictVersion struct {
	HLC     HLC
	Device  ID
	ThisPC  bool // made on this computer
	Deleted bool
	When    time.Time
	// Fields are the body's top-level fields; nil when the body is not a
	// JSON object (binary content: only a whole version can be kept).
	Fields map[string]json.RawMessage
	plain  []byte
}

// Side picks one of the two versions.
type Side int

const (
	SideCurrent Side = iota // the version in use (the later one)
	SideOther               // the version kept aside
)

// FieldDiff is one field of a record side by side.
type FieldDiff struct {
	Name           string // field of the body; DeletedField for the deleted flag
	Label          string // Italian
	Current, Other string // as shown
	Differs        bool
}

// DeletedField is the pseudo-field for "the record was deleted".
const DeletedField = "_eliminato"

// Conflict is a record changed on two PCs while apart: the version in use
// (the later one, the same on every PC) and the other one, kept aside
// until someone chooses.
type Conflict struct {
	RecordID ID
	Kind     string
	Title    string // what the record is, e.g. "Persona: ROSSI Maria"
	Found    time.Time
	Current  ConflictVersion
	Other    ConflictVersion
	Fields   []FieldDiff
}

// ErrConflictChanged says the record changed since the list was read.
var ErrConflictChanged = errors.New("il record è stato modificato nel frattempo (forse da una sincronizzazione): ricaricare l'elenco dei conflitti")

// kindPerm is the permission needed to see and resolve a kind's conflicts.
func kindPerm(kind string) Perm {
	switch kind {
	case kindSettings, kindOffice, kindCodeValue:
		return PermSettings
	case kindOperator:
		return PermOperators
	}
	return PermPersons
}

var fieldLabels = map[string]string{
	"surname": "Cognome", "given_name": "Nome", "sex": "Sesso", "birth_date": "Data di nascita",
	"birth_place": "Luogo di nascita", "cf": "Codice fiscale", "citizenship": "Cittadinanza",
	"residence": "Residenza", "created": "Creato il", "updated": "Modificato il",
	"name": "Nome", "comune": "Comune", "siuss_ente": "Codice ente SIUSS", "username": "Nome utente",
	"role": "Ruolo", "disabled": "Disattivato", "must_change": "Cambio password richiesto",
	"idle_lock_minutes": "Blocco automatico (minuti)", "notes": "Note", "text": "Testo",
	"date": "Data", "description": "Descrizione", "type": "Tipo", "status": "Stato",
	"list": "Elenco", "code": "Codice", "label": "Descrizione", "retired": "Non più in uso",
	"mode": "Modalità di accesso", "reason": "Motivo", "reason_notes": "Note sul motivo", "intake": "Scheda sociale",
	"needs": "Bisogni", "needs_notes": "Note sui bisogni", "services": "Servizi richiesti", "outcome": "Esito",
	"operator_name": "Operatore", "kinship": "Parentela", "contacts": "Recapiti", "removed": "Rimossa",
	"members": "Componenti", "family_id": "Codice famiglia", "consent": "Consenso",
	"street": "Indirizzo", "cap": "CAP", "phone": "Telefono", "mobile": "Cellulare", "email": "E-mail",
	DeletedField: "Eliminato",
}

// FieldLabel is the Italian name of a body field.
func FieldLabel(name string) string {
	if l, ok := fieldLabels[name]; ok {
		return l
	}
	return strings.ReplaceAll(name, "_", " ")
}

// showValue renders a JSON value for a side-by-side view.
func showValue(raw json.RawMessage) string {
	if raw == nil {
		return "—"
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			if t.IsZero() {
				return "—"
			}
			if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
				return t.Format("02/01/2006")
			}
			return t.Local().Format("02/01/2006 15:04")
		}
		if s == "" {
			return "—"
		}
		return s
	}
	var b bool
	if json.Unmarshal(raw, &b) == nil {
		if b {
			return "sì"
		}
		return "no"
	}
	var m map[string]any
	if json.Unmarshal(raw, &m) == nil {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var parts []string
		for _, k := range keys {
			if v := fmt.Sprint(m[k]); v != "" {
				parts = append(parts, FieldLabel(k)+": "+v)
			}
		}
		if len(parts) == 0 {
			return "—"
		}
		return strings.Join(parts, ", ")
	}
	return string(raw)
}

func (db *DB) openVersion(keys *vault.SubKeys, id ID, kind string, schema int, h HLC, dev ID, deleted bool, body []byte) (ConflictVersion, error) {
	v := ConflictVersion{HLC: h, Device: dev, ThisPC: dev == db.deviceID, Deleted: deleted, When: h.Wall()}
	plain, err := vault.Open(keys.Records, body, recordAD(id, kind, schema))
	if err != nil {
		return v, fmt.Errorf("open %s %s: %w", kind, id, ErrTampered)
	}
	v.plain = plain
	var m map[string]json.RawMessage
	if json.Unmarshal(plain, &m) == nil {
		v.Fields = m
	}
	return v, nil
}

// Conflicts lists the records changed on two PCs while apart, with both
// versions decrypted, field by field. Only kinds the operator may see are
// listed, and not versions identical to the one in use.
func (s *Session) Conflicts(ctx context.Context) ([]Conflict, error) {
	keys, err := s.subkeys()
	if err != nil {
		return nil, err
	}
	role := s.Operator().Role
	rows, err := s.db.sql.QueryContext(ctx, `SELECT c.id, c.kind, c.hlc, c.device, c.deleted, c.schema_v, c.body, c.found,
		r.hlc, r.device, r.deleted, r.schema_v, r.body
		FROM conflicts c JOIN records r ON r.id = c.id ORDER BY c.found, c.id`)
	if err != nil {
		return nil, fmt.Errorf("read conflicts: %w", err)
	}
	type raw struct {
		id                       ID
		kind                     string
		ch, rh, found            int64
		cdev, rdev, cbody, rbody []byte
		cdel, rdel               bool
		cschema, rschema         int
	}
	var raws []raw
	for rows.Next() {
		var r raw
		var idb []byte
		if err := rows.Scan(&idb, &r.kind, &r.ch, &r.cdev, &r.cdel, &r.cschema, &r.cbody, &r.found,
			&r.rh, &r.rdev, &r.rdel, &r.rschema, &r.rbody); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read conflicts: %w", err)
		}
		copy(r.id[:], idb)
		raws = append(raws, r)
	}
	rows.Close()
	var out []Conflict
	for _, r := range raws {
		if !role.Can(kindPerm(r.kind)) {
			continue
		}
		var cdev, rdev ID
		copy(cdev[:], r.cdev)
		copy(rdev[:], r.rdev)
		cur, err := s.db.openVersion(keys, r.id, r.kind, r.rschema, HLC(r.rh), rdev, r.rdel, r.rbody)
		if err != nil {
			return nil, err
		}
		other, err := s.db.openVersion(keys, r.id, r.kind, r.cschema, HLC(r.ch), cdev, r.cdel, r.cbody)
		if err != nil {
			return nil, err
		}
		if cur.Deleted == other.Deleted && bytes.Equal(cur.plain, other.plain) {
			// Two PCs made the same change (the same code added to a
			// list): nothing to choose. It stays stored, so that every PC
			// keeps the same set, but is not listed.
			continue
		}
		c := Conflict{RecordID: r.id, Kind: r.kind, Found: HLC(r.found).Wall(), Current: cur, Other: other}
		c.Title = conflictTitle(r.kind, cur, other)
		c.Fields = diffFields(cur, other)
		out = append(out, c)
	}
	return out, nil
}

// kindTitles name one record of a kind, for titles.
var kindTitles = map[string]string{
	kindPerson: "Persona", kindOperator: "Operatore", kindSettings: "Impostazioni dell'ufficio", kindOffice: "Ufficio",
	kindCodeValue: "Valore di un elenco", kindAccess: "Accesso", kindRefPerson: "Persona di riferimento",
	kindHousehold: "Nucleo familiare",
}

func conflictTitle(kind string, vs ...ConflictVersion) string {
	label := kindTitles[kind]
	if label == "" {
		label = KindLabel(kind)
	}
	for _, v := range vs {
		var p struct {
			Surname   string `json:"surname"`
			GivenName string `json:"given_name"`
			Name      string `json:"name"`
		}
		if json.Unmarshal(v.plain, &p) == nil {
			if n := strings.TrimSpace(p.Surname + " " + p.GivenName); n != "" {
				return label + ": " + n
			}
			if p.Name != "" {
				return label + ": " + p.Name
			}
		}
	}
	return label
}

func diffFields(cur, other ConflictVersion) []FieldDiff {
	var out []FieldDiff
	if cur.Deleted != other.Deleted {
		out = append(out, FieldDiff{Name: DeletedField, Label: FieldLabel(DeletedField),
			Current: map[bool]string{true: "sì", false: "no"}[cur.Deleted],
			Other:   map[bool]string{true: "sì", false: "no"}[other.Deleted], Differs: true})
	}
	if cur.Fields == nil || other.Fields == nil {
		if !bytes.Equal(cur.plain, other.plain) {
			out = append(out, FieldDiff{Name: "", Label: "Contenuto", Current: fmt.Sprintf("%d byte", len(cur.plain)),
				Other: fmt.Sprintf("%d byte", len(other.plain)), Differs: true})
		}
		return out
	}
	names := map[string]bool{}
	for k := range cur.Fields {
		names[k] = true
	}
	for k := range other.Fields {
		names[k] = true
	}
	keys := make([]string, 0, len(names))
	for k := range names {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		a, b := cur.Fields[k], other.Fields[k]
		out = append(out, FieldDiff{Name: k, Label: FieldLabel(k), Current: showValue(a), Other: showValue(b),
			Differs: !jsonEqual(a, b)})
	}
	return out
}

func jsonEqual(a, b json.RawMessage) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return bytes.Equal(a, b)
	}
	ja, _ := json.Marshal(x)
	jb, _ := json.Marshal(y)
	return bytes.Equal(ja, jb)
}

// KeepAll picks one side for every field.
func KeepAll(side Side) map[string]Side { return map[string]Side{"*": side} }

// ResolveConflict ends a conflict with a new version made of the fields
// chosen from each side (fields not named follow "*", else the version in
// use). The new version has seen both, so every PC replaces both with it
// when it arrives. It is audited like any change.
func (s *Session) ResolveConflict(ctx context.Context, c Conflict, pick map[string]Side) error {
	if err := s.require(kindPerm(c.Kind)); err != nil {
		return err
	}
	keys, err := s.subkeys()
	if err != nil {
		return err
	}
	side := func(field string) Side {
		if sd, ok := pick[field]; ok {
			return sd
		}
		return pick["*"]
	}
	var plain []byte
	deleted := c.Current.Deleted
	if side(DeletedField) == SideOther {
		deleted = c.Other.Deleted
	}
	switch {
	case c.Current.Fields == nil || c.Other.Fields == nil:
		// Whole content from one side.
		src := c.Current
		if side("") == SideOther {
			src = c.Other
		}
		plain = bytes.Clone(src.plain)
	default:
		m := map[string]json.RawMessage{}
		for _, f := range c.Fields {
			if f.Name == DeletedField {
				continue
			}
			src := c.Current.Fields
			if side(f.Name) == SideOther {
				src = c.Other.Fields
			}
			if v, ok := src[f.Name]; ok {
				m[f.Name] = v
			}
		}
		if plain, err = json.Marshal(m); err != nil {
			return fmt.Errorf("merge: %w", err)
		}
	}
	defer clear(plain)
	me := s.Operator()
	var after func()
	var person *Person
	err = s.db.inTx(ctx, func(tx querier) error {
		var h int64
		var devb, parent, curHist []byte
		if err := tx.QueryRowContext(ctx, "SELECT hlc, device, parent, history FROM records WHERE id = ?", c.RecordID[:]).Scan(&h, &devb, &parent, &curHist); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return ErrConflictChanged
			}
			return err
		}
		if HLC(h) != c.Current.HLC || !bytes.Equal(devb, c.Current.Device[:]) {
			return ErrConflictChanged
		}
		var other int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM conflicts WHERE id = ? AND hlc = ? AND device = ?",
			c.RecordID[:], int64(c.Other.HLC), c.Other.Device[:]).Scan(&other); err != nil || other == 0 {
			return ErrConflictChanged
		}
		var otherHist []byte
		tx.QueryRowContext(ctx, "SELECT history FROM conflicts WHERE id = ? AND hlc = ? AND device = ?",
			c.RecordID[:], int64(c.Other.HLC), c.Other.Device[:]).Scan(&otherHist)
		var par *ID
		if len(parent) == 16 {
			p := ID(parent)
			par = &p
		}
		rec, err := s.putRaw(ctx, tx, keys, c.RecordID, c.Kind, par, deleted, plain)
		if err != nil {
			return err
		}
		// The new version has seen both. If no other conflict is left on
		// the record, every version this PC made of it is in its history.
		var others int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM conflicts WHERE id = ? AND NOT (hlc = ? AND device = ?)",
			c.RecordID[:], int64(c.Other.HLC), c.Other.Device[:]).Scan(&others); err != nil {
			return err
		}
		nh := historyOf(curHist, c.Current.Device, c.Current.HLC).union(historyOf(otherHist, c.Other.Device, c.Other.HLC)).
			next(ID(rec.Device), HLC(rec.HLC), others == 0)
		rec.History = nh.encode()
		if _, err := tx.ExecContext(ctx, "UPDATE records SET history = ? WHERE id = ?", rec.History, c.RecordID[:]); err != nil {
			return err
		}
		a := &applier{s: s, tx: tx, keys: keys}
		if err := a.prune(ctx, c.RecordID, nh); err != nil {
			return err
		}
		if err := a.derived(ctx, rec); err != nil {
			return err
		}
		if len(a.persons) > 0 {
			person = &a.persons[0]
		}
		if len(a.after) > 0 {
			after = a.after[0]
		}
		if len(a.removed) > 0 {
			id := a.removed[0]
			after = func() { s.indexRemove(id) }
		}
		return s.appendAudit(ctx, tx, keys, AuditEntry{OperatorID: me.ID, Operator: me.Username, Action: ActionUpdate,
			Kind: c.Kind, RecordID: c.RecordID, Detail: "conflitto di sincronizzazione risolto"})
	})
	if err != nil {
		return fmt.Errorf("risoluzione del conflitto: %w", err)
	}
	if person != nil {
		s.indexPutMany([]Person{*person})
	}
	if after != nil {
		after()
	}
	return nil
}

// putRaw seals plain as the new local version of a record (like putRecord,
// for a body that is already encoded) and returns it as stored.
func (s *Session) putRaw(ctx context.Context, tx querier, keys *vault.SubKeys, id ID, kind string, parent *ID, deleted bool, plain []byte) (*csync.Record, error) {
	body, err := vault.Seal(keys.Records, plain, recordAD(id, kind, schemaV))
	if err != nil {
		return nil, fmt.Errorf("seal %s: %w", kind, err)
	}
	h := s.db.clock.Next()
	var par any
	if parent != nil && !parent.IsZero() {
		par = parent[:]
	}
	if _, err := tx.ExecContext(ctx, sqlPutRecord, id[:], kind, par, int64(h), s.db.deviceID[:], deleted, schemaV, body); err != nil {
		return nil, fmt.Errorf("write %s: %w", kind, diskErr(err))
	}
	if _, err := tx.ExecContext(ctx, sqlQueueOutbox, id[:], int64(h)); err != nil {
		return nil, fmt.Errorf("queue %s: %w", kind, diskErr(err))
	}
	r, err := scanRecord(tx.QueryRowContext(ctx, "SELECT "+recordCols+" FROM records WHERE id = ?", id[:]))
	if err != nil {
		return nil, err
	}
	return &r, nil
}
