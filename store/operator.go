package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode"

	"cartella/store/codicefiscale"
	"cartella/store/vault"
)

// Operator is a person who logs in.
type Operator struct {
	ID                 ID     `json:"-"`
	Username           string `json:"username"`
	GivenName          string `json:"given_name"`
	Surname            string `json:"surname"`
	CodiceFiscale      string `json:"cf"`
	Role               Role   `json:"role"`
	Disabled           bool   `json:"disabled,omitempty"`
	MustChangePassword bool   `json:"must_change,omitempty"`
}

// FullName is "Nome Cognome".
func (o Operator) FullName() string { return strings.TrimSpace(o.GivenName + " " + o.Surname) }

func (o Operator) validate() ValidationError {
	var v ValidationError
	u := normalizeUsername(o.Username)
	switch {
	case u == "":
		v = append(v, FieldError{"Username", "Indicare il nome utente dell'operatore."})
	case len(u) < 3 || len(u) > 32 || strings.IndexFunc(u, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-')
	}) >= 0:
		v = append(v, FieldError{"Username", "Il nome utente deve avere da 3 a 32 caratteri: lettere senza accenti, cifre, punto, trattino."})
	}
	if strings.TrimSpace(o.GivenName) == "" {
		v = append(v, FieldError{"GivenName", "Indicare il nome dell'operatore."})
	}
	if strings.TrimSpace(o.Surname) == "" {
		v = append(v, FieldError{"Surname", "Indicare il cognome dell'operatore."})
	}
	if cf := codicefiscale.Normalize(o.CodiceFiscale); cf != "" {
		if info, err := codicefiscale.Parse(cf, timeNow()); err != nil {
			v = append(v, FieldError{"CodiceFiscale", err.Error()})
		} else if info.Kind != codicefiscale.Ordinary {
			v = append(v, FieldError{"CodiceFiscale", "Per un operatore serve un codice fiscale ordinario di 16 caratteri."})
		}
	}
	if o.Role != "" && !o.Role.Valid() {
		v = append(v, FieldError{"Role", "Ruolo non valido."})
	}
	return v
}

// MinPasswordLen is the shortest password accepted.
const MinPasswordLen = 10

// CheckPassword returns an Italian message when the password is not
// acceptable, or "".
func CheckPassword(pw, username string) string {
	if len([]rune(pw)) < MinPasswordLen {
		return fmt.Sprintf("La password deve avere almeno %d caratteri.", MinPasswordLen)
	}
	if u := normalizeUsername(username); u != "" && strings.Contains(strings.ToLower(pw), u) {
		return "La password non deve contenere il nome utente."
	}
	if PasswordStrength(pw) < 2 {
		return "La password è troppo prevedibile: usare più parole o aggiungere cifre e simboli."
	}
	return ""
}

// PasswordStrength scores a password 0 (very weak) to 4 (very strong) by
// a rough entropy estimate: length times the size of the alphabets used,
// with repeated characters counting little.
func PasswordStrength(pw string) int {
	var lower, upper, digit, other bool
	seen := map[rune]bool{}
	for _, r := range pw {
		seen[r] = true
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		default:
			other = true
		}
	}
	pool := 0
	for _, c := range []struct {
		has  bool
		size int
	}{{lower, 26}, {upper, 26}, {digit, 10}, {other, 33}} {
		if c.has {
			pool += c.size
		}
	}
	if pool == 0 {
		return 0
	}
	// bits ≈ distinct characters × log2(pool), ignoring repetition.
	bits := float64(len(seen)) * log2(float64(pool))
	switch {
	case bits < 28:
		return 0
	case bits < 40:
		return 1
	case bits < 55:
		return 2
	case bits < 75:
		return 3
	}
	return 4
}

// StrengthLabel is the Italian hint shown under a new password.
func StrengthLabel(score int) string {
	return [...]string{"molto debole", "debole", "discreta", "buona", "ottima"}[max(0, min(score, 4))]
}

func (s *Session) operatorByUsername(ctx context.Context, username string) (Operator, error) {
	ops, err := s.operators(ctx)
	if err != nil {
		return Operator{}, err
	}
	u := normalizeUsername(username)
	for _, o := range ops {
		if o.Username == u {
			return o, nil
		}
	}
	return Operator{}, ErrNotFound
}

func (s *Session) operators(ctx context.Context) ([]Operator, error) {
	var ops []Operator
	err := s.scanKind(ctx, kindOperator, func(id ID, plain []byte) error {
		var o Operator
		if err := json.Unmarshal(plain, &o); err != nil {
			return fmt.Errorf("decode operator: %w", err)
		}
		o.ID = id
		ops = append(ops, o)
		return nil
	})
	sort.Slice(ops, func(i, j int) bool { return ops[i].Username < ops[j].Username })
	return ops, err
}

// Operators lists every operator, disabled ones included.
func (s *Session) Operators(ctx context.Context) ([]Operator, error) {
	return s.operators(ctx)
}

func (s *Session) require(p Perm) error {
	if !s.Operator().Role.Can(p) {
		return ErrForbidden
	}
	return nil
}

// AddOperator creates an operator with a temporary password that must be
// changed at the first login. Only a responsabile may do it.
func (s *Session) AddOperator(ctx context.Context, op Operator, tempPassword string) (Operator, error) {
	if err := s.require(PermOperators); err != nil {
		return Operator{}, err
	}
	op.Username = normalizeUsername(op.Username)
	v := op.validate()
	if !op.Role.Valid() {
		v = append(v, FieldError{"Role", "Scegliere il ruolo dell'operatore."})
	}
	if msg := CheckPassword(tempPassword, op.Username); msg != "" {
		v = append(v, FieldError{"Password", msg})
	}
	if _, err := s.operatorByUsername(ctx, op.Username); err == nil {
		v = append(v, FieldError{"Username", "Esiste già un operatore con questo nome utente."})
	}
	if len(v) > 0 {
		return Operator{}, v
	}
	op.ID = NewID()
	op.Disabled = false
	op.MustChangePassword = true
	if err := s.writeOperator(ctx, op, tempPassword, ActionOperatorAdd); err != nil {
		return Operator{}, err
	}
	return op, nil
}

// writeOperator saves op and, when password is set, wraps the office key
// for it; all in one transaction with its audit entry.
func (s *Session) writeOperator(ctx context.Context, op Operator, password string, a Action) error {
	keys, err := s.subkeys()
	if err != nil {
		return err
	}
	var wrapped *vault.Wrapped
	if password != "" {
		office, err := s.officeKey()
		if err != nil {
			return err
		}
		params, err := s.db.kdfParams(ctx)
		if err != nil {
			return err
		}
		w, err := vault.Wrap(office, []byte(password), params, wrapAD(s.db.officeID, op.ID))
		if err != nil {
			return fmt.Errorf("wrap key: %w", err)
		}
		wrapped = &w
	}
	me := s.Operator()
	return s.db.inTx(ctx, func(tx querier) error {
		if wrapped != nil {
			if err := putWrapped(ctx, tx, loginKey(s.db.officeID, op.Username), op.ID, *wrapped); err != nil {
				return err
			}
		}
		if op.Disabled {
			if _, err := tx.ExecContext(ctx, "DELETE FROM keyring WHERE operator_id = ?", op.ID[:]); err != nil {
				return fmt.Errorf("remove key: %w", err)
			}
		}
		if _, err := s.putRecord(ctx, tx, keys, op.ID, kindOperator, nil, false, op); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, keys, AuditEntry{OperatorID: me.ID, Operator: me.Username, Action: a, Kind: kindOperator, RecordID: op.ID, Detail: op.Username})
	})
}

// SetOperatorEnabled disables an operator (their wrapped key is removed, so
// their password no longer opens anything) or re-enables them with a new
// temporary password.
func (s *Session) SetOperatorEnabled(ctx context.Context, id ID, enabled bool, tempPassword string) error {
	if err := s.require(PermOperators); err != nil {
		return err
	}
	ops, err := s.operators(ctx)
	if err != nil {
		return err
	}
	var op *Operator
	activeResp := 0
	for i := range ops {
		if ops[i].ID == id {
			op = &ops[i]
		}
		if ops[i].Role == RoleResponsabile && !ops[i].Disabled {
			activeResp++
		}
	}
	if op == nil {
		return ErrNotFound
	}
	if !enabled {
		if id == s.Operator().ID {
			return ValidationError{{"Operator", "Non si può disattivare il proprio account."}}
		}
		if op.Role == RoleResponsabile && activeResp <= 1 {
			return ValidationError{{"Operator", "Deve restare almeno un responsabile attivo."}}
		}
		op.Disabled = true
		return s.writeOperator(ctx, *op, "", ActionOperatorOff)
	}
	if msg := CheckPassword(tempPassword, op.Username); msg != "" {
		return ValidationError{{"Password", msg}}
	}
	op.Disabled = false
	op.MustChangePassword = true
	return s.writeOperator(ctx, *op, tempPassword, ActionOperatorOn)
}

// ChangePassword changes the logged-in operator's password: the office key
// is rewrapped, no data is re-encrypted.
func (s *Session) ChangePassword(ctx context.Context, oldPassword, newPassword string) error {
	me := s.Operator()
	var wb []byte
	if err := s.db.sql.QueryRowContext(ctx, "SELECT wrapped FROM keyring WHERE login = ?", loginKey(s.db.officeID, me.Username)).Scan(&wb); err != nil {
		return fmt.Errorf("read keyring: %w", err)
	}
	var w vault.Wrapped
	if err := w.UnmarshalBinary(wb); err != nil {
		return ErrTampered
	}
	k, err := vault.Unwrap(w, []byte(oldPassword), wrapAD(s.db.officeID, me.ID))
	if err != nil {
		return ValidationError{{"OldPassword", "La password attuale non è corretta."}}
	}
	k.Zero()
	if msg := CheckPassword(newPassword, me.Username); msg != "" {
		return ValidationError{{"Password", msg}}
	}
	if newPassword == oldPassword {
		return ValidationError{{"Password", "La nuova password deve essere diversa da quella attuale."}}
	}
	me.MustChangePassword = false
	if err := s.writeOperator(ctx, me, newPassword, ActionPassword); err != nil {
		return err
	}
	s.mu.Lock()
	s.operator = me
	s.mu.Unlock()
	return nil
}

// NewRecoveryCode replaces the recovery code; the old one stops working.
func (s *Session) NewRecoveryCode(ctx context.Context) (string, error) {
	if err := s.require(PermOperators); err != nil {
		return "", err
	}
	keys, err := s.subkeys()
	if err != nil {
		return "", err
	}
	office, err := s.officeKey()
	if err != nil {
		return "", err
	}
	params, err := s.db.kdfParams(ctx)
	if err != nil {
		return "", err
	}
	code, err := vault.NewRecoveryCode()
	if err != nil {
		return "", err
	}
	norm, err := vault.NormalizeRecoveryCode(code)
	if err != nil {
		return "", err
	}
	w, err := vault.Wrap(office, []byte(norm), params, recoveryAD(s.db.officeID))
	if err != nil {
		return "", err
	}
	me := s.Operator()
	err = s.db.inTx(ctx, func(tx querier) error {
		if err := putWrapped(ctx, tx, recoveryLogin, ID{}, w); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, keys, AuditEntry{OperatorID: me.ID, Operator: me.Username, Action: ActionRecovery, Detail: "nuovo codice di recupero"})
	})
	return code, err
}
