package store

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"cartella/store/codicefiscale"
	"cartella/store/vault"
)

// Office is the Comune's social-services office that owns the data.
type Office struct {
	Name       string    `json:"name"`       // "Servizi Sociali del Comune di …"
	ComuneCode string    `json:"comune"`     // Belfiore code of the Comune
	SIUSSCode  string    `json:"siuss_ente"` // codice ente for SIUSS flows
	CreatedAt  time.Time `json:"created"`
}

// OfficeSetup is what the first-run wizard collects.
type OfficeSetup struct {
	Office   Office
	Operator Operator // first operator; Role is forced to responsabile
	Password string
	// Params of Argon2id; zero means calibrate on this PC (about 0.5 s).
	Params vault.Params
}

// Validate checks the wizard's data; every problem names its field.
func (o OfficeSetup) Validate(places codicefiscale.PlaceChecker) error {
	var v ValidationError
	if strings.TrimSpace(o.Office.Name) == "" {
		v = append(v, FieldError{"OfficeName", "Indicare il nome dell'ente."})
	}
	if c := o.Office.ComuneCode; c == "" || strings.HasPrefix(c, "Z") || (places != nil && !places.ValidAt(c, time.Now())) {
		v = append(v, FieldError{"Comune", "Scegliere il Comune dall'elenco."})
	}
	if msg := validateSIUSSCode(o.Office.SIUSSCode); msg != "" {
		v = append(v, FieldError{"SIUSSCode", msg})
	}
	v = append(v, o.Operator.validate()...)
	if msg := CheckPassword(o.Password, o.Operator.Username); msg != "" {
		v = append(v, FieldError{"Password", msg})
	}
	if len(v) > 0 {
		return v
	}
	return nil
}

// validateSIUSSCode checks the codice ente given by INPS: digits and letters,
// at most 16 characters. It may be left empty and filled in later.
func validateSIUSSCode(c string) string {
	c = strings.TrimSpace(c)
	if c == "" {
		return ""
	}
	if len(c) > 16 {
		return "Il codice ente SIUSS può avere al massimo 16 caratteri."
	}
	for _, r := range c {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
			return "Il codice ente SIUSS può contenere solo lettere e cifre."
		}
	}
	return ""
}

// settingsID is the fixed id of the office settings record, the same on
// every PC of the office so that both edit one record.
func fixedID(office ID, what string) ID {
	sum := sha256.Sum256(append([]byte("cartella-fixed|"+what+"|"), office[:]...))
	var id ID
	copy(id[:], sum[:16])
	return id
}

// CreateOffice creates the office in an empty data folder and logs the first
// operator in. It returns the recovery code, to be shown once and printed.
func (db *DB) CreateOffice(ctx context.Context, setup OfficeSetup) (*Session, string, error) {
	if db.HasOffice() {
		return nil, "", ErrOfficeExists
	}
	setup.Operator.Role = RoleResponsabile
	setup.Operator.Username = normalizeUsername(setup.Operator.Username)
	if err := setup.Validate(db.places); err != nil {
		return nil, "", err
	}
	params := setup.Params
	if params == (vault.Params{}) {
		params = vault.Calibrate(500 * time.Millisecond)
	}
	if err := params.Valid(); err != nil {
		return nil, "", err
	}
	officeKey, err := vault.NewKey()
	if err != nil {
		return nil, "", err
	}
	officeID, deviceID, opID := NewID(), NewID(), NewID()
	wrapped, err := vault.Wrap(officeKey, []byte(setup.Password), params, wrapAD(officeID, opID))
	if err != nil {
		return nil, "", fmt.Errorf("wrap key: %w", err)
	}
	code, err := vault.NewRecoveryCode()
	if err != nil {
		return nil, "", err
	}
	norm, err := vault.NormalizeRecoveryCode(code)
	if err != nil {
		return nil, "", err
	}
	recWrapped, err := vault.Wrap(officeKey, []byte(norm), params, recoveryAD(officeID))
	if err != nil {
		return nil, "", fmt.Errorf("wrap recovery: %w", err)
	}
	keys, err := vault.Derive(officeKey)
	if err != nil {
		officeKey.Zero()
		return nil, "", err
	}
	db.officeID, db.deviceID = officeID, deviceID
	s := &Session{db: db, keys: keys, office: officeKey}
	op := setup.Operator
	op.ID = opID
	s.operator = op
	office := setup.Office
	office.CreatedAt = db.now().UTC()
	paramsJSON, _ := json.Marshal(params)

	err = db.inTx(ctx, func(tx querier) error {
		for k, v := range map[string][]byte{
			"office_id":    officeID[:],
			"device_id":    deviceID[:],
			"kdf_params":   paramsJSON,
			"office_label": []byte(office.Name),
		} {
			if err := setMeta(ctx, tx, k, v); err != nil {
				return err
			}
		}
		if err := putWrapped(ctx, tx, loginKey(officeID, op.Username), opID, wrapped); err != nil {
			return err
		}
		if err := putWrapped(ctx, tx, recoveryLogin, ID{}, recWrapped); err != nil {
			return err
		}
		if _, err := s.putRecord(ctx, tx, keys, fixedID(officeID, kindOffice), kindOffice, nil, false, office); err != nil {
			return err
		}
		if _, err := s.putRecord(ctx, tx, keys, opID, kindOperator, nil, false, op); err != nil {
			return err
		}
		if _, err := s.putRecord(ctx, tx, keys, fixedID(officeID, kindSettings), kindSettings, nil, false, DefaultSettings()); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, keys, AuditEntry{OperatorID: opID, Operator: op.Username, Action: ActionCreateOffice})
	})
	if err != nil {
		db.officeID, db.deviceID = ID{}, ID{}
		s.wipe()
		return nil, "", fmt.Errorf("create office: %w", err)
	}
	s.index = newPersonIndex(nil)
	return s, code, nil
}

func putWrapped(ctx context.Context, x execer, login []byte, opID ID, w vault.Wrapped) error {
	b, err := w.MarshalBinary()
	if err != nil {
		return err
	}
	_, err = x.ExecContext(ctx, `INSERT INTO keyring(login, operator_id, wrapped) VALUES(?, ?, ?)
		ON CONFLICT(login) DO UPDATE SET operator_id = excluded.operator_id, wrapped = excluded.wrapped`, login, opID[:], b)
	if err != nil {
		return fmt.Errorf("write keyring: %w", diskErr(err))
	}
	return nil
}

// Office returns the office data.
func (s *Session) Office(ctx context.Context) (Office, error) {
	var o Office
	err := s.getRecord(ctx, fixedID(s.db.officeID, kindOffice), kindOffice, &o)
	return o, err
}

// Recover opens the office with the recovery code and sets a new password
// for one operator (the way back when every password is lost).
func (db *DB) Recover(ctx context.Context, code, username, newPassword string) (*Session, error) {
	if !db.HasOffice() {
		return nil, ErrNoOffice
	}
	if d := db.LoginDelay(); d > 0 {
		return nil, &TooSoonError{Wait: d}
	}
	norm, err := vault.NormalizeRecoveryCode(code)
	if err != nil {
		return nil, err
	}
	if msg := CheckPassword(newPassword, username); msg != "" {
		return nil, ValidationError{{"Password", msg}}
	}
	var wb []byte
	if err := db.sql.QueryRowContext(ctx, "SELECT wrapped FROM keyring WHERE login = ?", recoveryLogin).Scan(&wb); err != nil {
		return nil, fmt.Errorf("read recovery key: %w", err)
	}
	var w vault.Wrapped
	if err := w.UnmarshalBinary(wb); err != nil {
		return nil, ErrTampered
	}
	officeKey, err := vault.Unwrap(w, []byte(norm), recoveryAD(db.officeID))
	if err != nil {
		db.noteFailure()
		return nil, ErrRecoveryFailed
	}
	keys, err := vault.Derive(officeKey)
	if err != nil {
		officeKey.Zero()
		return nil, err
	}
	s := &Session{db: db, keys: keys, office: officeKey}
	op, err := s.operatorByUsername(ctx, username)
	if err != nil {
		s.wipe()
		db.noteFailure()
		return nil, ErrRecoveryFailed
	}
	params, err := db.kdfParams(ctx)
	if err != nil {
		s.wipe()
		return nil, err
	}
	nw, err := vault.Wrap(officeKey, []byte(newPassword), params, wrapAD(db.officeID, op.ID))
	if err != nil {
		s.wipe()
		return nil, err
	}
	op.Disabled = false
	op.MustChangePassword = false
	s.operator = op
	err = db.inTx(ctx, func(tx querier) error {
		if err := putWrapped(ctx, tx, loginKey(db.officeID, op.Username), op.ID, nw); err != nil {
			return err
		}
		if _, err := s.putRecord(ctx, tx, keys, op.ID, kindOperator, nil, false, op); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, keys, AuditEntry{OperatorID: op.ID, Operator: op.Username, Action: ActionRecovery, Kind: kindOperator, RecordID: op.ID})
	})
	if err != nil {
		s.wipe()
		return nil, err
	}
	idx, err := s.buildIndex(ctx)
	if err != nil {
		s.wipe()
		return nil, err
	}
	s.index = idx
	return s, nil
}

// ErrRecoveryFailed does not say whether the code or the operator was wrong.
var ErrRecoveryFailed = fmt.Errorf("codice di recupero o operatore non corretti")
