package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"cartella/store/vault"
)

// Session is an operator logged in: it holds the office sub-keys and the
// in-memory search index until Lock.
type Session struct {
	db *DB

	mu       sync.RWMutex
	office   *vault.Key     // kept to wrap it for new operators; nil while locked
	keys     *vault.SubKeys // nil while locked
	operator Operator
	index    *personIndex
}

// Operator returns who is logged in.
func (s *Session) Operator() Operator {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.operator
}

// DB returns the database the session belongs to.
func (s *Session) DB() *DB { return s.db }

// Locked tells whether the keys have been forgotten.
func (s *Session) Locked() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.keys == nil
}

// Lock forgets the keys and the decrypted index. The session can be
// reopened with Unlock by the same operator.
func (s *Session) Lock() {
	if s.Locked() {
		return
	}
	s.audit(context.Background(), ActionLock, "", ID{}, "")
	s.mu.Lock()
	keys, office := s.keys, s.office
	s.keys, s.office, s.index = nil, nil, nil
	s.mu.Unlock()
	if keys != nil {
		keys.Zero()
	}
	if office != nil {
		office.Zero()
	}
	s.db.ClearViewing()
}

// Unlock reopens a locked session with the operator's password.
func (s *Session) Unlock(ctx context.Context, password string) error {
	if !s.Locked() {
		return nil
	}
	op := s.Operator()
	ns, err := s.db.Login(ctx, op.Username, password)
	if err != nil {
		return err
	}
	if ns.operator.ID != op.ID {
		ns.Lock()
		return ErrLoginFailed
	}
	s.mu.Lock()
	s.keys, s.office, s.operator, s.index = ns.keys, ns.office, ns.operator, ns.index
	s.mu.Unlock()
	return nil
}

// loginKey is the keyring key of a login name: a hash bound to the office so
// that operator names do not sit in the file in clear.
func loginKey(office ID, username string) []byte {
	h := sha256.New()
	h.Write([]byte("cartella-login|v1|"))
	h.Write(office[:])
	h.Write([]byte(normalizeUsername(username)))
	return h.Sum(nil)
}

func normalizeUsername(u string) string { return strings.ToLower(strings.TrimSpace(u)) }

var recoveryLogin = []byte("recovery")

func wrapAD(office, operator ID) []byte {
	ad := append([]byte("wrap|v1|"), office[:]...)
	return append(ad, operator[:]...)
}

func recoveryAD(office ID) []byte {
	return append([]byte("wrap|v1|recovery|"), office[:]...)
}

// LoginDelay is how long the login window must wait before the next
// attempt, after repeated failures.
func (db *DB) LoginDelay() time.Duration {
	db.mu.Lock()
	defer db.mu.Unlock()
	if d := db.notUntil.Sub(db.now()); d > 0 {
		return d
	}
	return 0
}

// loginDelay grows after the third failure: 2 s, 4 s, 8 s … up to a minute.
func loginDelay(failures int) time.Duration {
	if failures < 3 {
		return 0
	}
	d := time.Second << min(failures-2, 6)
	return min(d, time.Minute)
}

// TooSoonError says the throttle refused an attempt.
type TooSoonError struct{ Wait time.Duration }

func (e *TooSoonError) Error() string {
	return fmt.Sprintf("Troppi tentativi non riusciti: riprovare tra %d secondi", max(1, int((e.Wait+time.Second-1)/time.Second)))
}

func (db *DB) noteFailure() {
	db.mu.Lock()
	db.failures++
	db.notUntil = db.now().Add(loginDelay(db.failures))
	db.mu.Unlock()
}

// Login opens a session for an operator. Any failure — unknown operator,
// wrong password, disabled account — gives the same ErrLoginFailed.
func (db *DB) Login(ctx context.Context, username, password string) (*Session, error) {
	if !db.HasOffice() {
		return nil, ErrNoOffice
	}
	if d := db.LoginDelay(); d > 0 {
		return nil, &TooSoonError{Wait: d}
	}
	var opID, wrappedBytes []byte
	err := db.sql.QueryRowContext(ctx, "SELECT operator_id, wrapped FROM keyring WHERE login = ?",
		loginKey(db.officeID, username)).Scan(&opID, &wrappedBytes)
	if errors.Is(err, sql.ErrNoRows) {
		// Spend the same time as a real attempt so timing does not tell
		// which operator names exist.
		db.burnKDF(password)
		db.noteFailure()
		return nil, ErrLoginFailed
	}
	if err != nil {
		return nil, fmt.Errorf("read keyring: %w", err)
	}
	id, err := idFromBytes(opID)
	if err != nil {
		return nil, fmt.Errorf("keyring: %w", err)
	}
	var w vault.Wrapped
	if err := w.UnmarshalBinary(wrappedBytes); err != nil {
		db.noteFailure()
		return nil, ErrLoginFailed
	}
	office, err := vault.Unwrap(w, []byte(password), wrapAD(db.officeID, id))
	if err != nil {
		db.noteFailure()
		return nil, ErrLoginFailed
	}
	s, err := db.openSession(ctx, office, id)
	if err != nil {
		return nil, err
	}
	db.mu.Lock()
	db.failures, db.notUntil = 0, time.Time{}
	db.mu.Unlock()
	s.audit(ctx, ActionLogin, "", ID{}, "")
	return s, nil
}

func (db *DB) burnKDF(password string) {
	p, err := db.kdfParams(context.Background())
	if err != nil {
		return
	}
	k, err := vault.NewKey()
	if err != nil {
		return
	}
	defer k.Zero()
	vault.Wrap(k, []byte(password), p, []byte("burn"))
}

// openSession derives the sub-keys, loads the operator and builds the index.
func (db *DB) openSession(ctx context.Context, office *vault.Key, operatorID ID) (*Session, error) {
	keys, err := vault.Derive(office)
	if err != nil {
		office.Zero()
		return nil, fmt.Errorf("derive keys: %w", err)
	}
	s := &Session{db: db, keys: keys, office: office}
	var op Operator
	if err := s.getRecord(ctx, operatorID, kindOperator, &op); err != nil {
		s.wipe()
		return nil, fmt.Errorf("load operator: %w", err)
	}
	if op.Disabled {
		s.wipe()
		db.noteFailure()
		return nil, ErrLoginFailed
	}
	op.ID = operatorID
	s.operator = op
	idx, err := s.buildIndex(ctx)
	if err != nil {
		s.wipe()
		return nil, err
	}
	s.index = idx
	return s, nil
}

// subkeys returns the keys or ErrLocked.
func (s *Session) subkeys() (*vault.SubKeys, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.keys == nil {
		return nil, ErrLocked
	}
	return s.keys, nil
}

func (db *DB) kdfParams(ctx context.Context) (vault.Params, error) {
	b, err := db.meta(ctx, "kdf_params")
	if err != nil {
		return vault.Params{}, err
	}
	var p vault.Params
	if err := json.Unmarshal(b, &p); err != nil {
		return vault.Params{}, fmt.Errorf("kdf params: %w", err)
	}
	return p, p.Valid()
}

// wipe zeroes the keys of a session that never reached the caller.
func (s *Session) wipe() {
	if s.keys != nil {
		s.keys.Zero()
	}
	if s.office != nil {
		s.office.Zero()
	}
	s.keys, s.office = nil, nil
}

// officeKey returns the office key or ErrLocked.
func (s *Session) officeKey() (*vault.Key, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.office == nil {
		return nil, ErrLocked
	}
	return s.office, nil
}
