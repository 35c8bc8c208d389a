package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

const kindAccess = "access"

// Contacts are a person's phone numbers and e-mail.
type Contacts struct {
	Phone  string `json:"phone,omitempty"`
	Mobile string `json:"mobile,omitempty"`
	Email  string `json:"email,omitempty"`
}

// Permit is a foreign citizen's permesso di soggiorno.
type Permit struct {
	Type    string    `json:"type,omitempty"`   // ListTipoPermesso
	Reason  string    `json:"reason,omitempty"` // ListMotivoPermesso
	Number  string    `json:"number,omitempty"`
	Expires time.Time `json:"expires,omitempty"`
}

// Housing describes where the person lives.
type Housing struct {
	Type   string `json:"type,omitempty"`   // ListTipoAbitazione
	Rooms  int    `json:"rooms,omitempty"`  // numero vani
	Tenure string `json:"tenure,omitempty"` // ListTitoloGodimento
	Owner  string `json:"owner,omitempty"`  // ListTipoProprietario
}

// Intake is the social picture collected at an access (SPEC §A). Each
// access keeps its own copy, prefilled from the previous one, so the record
// shows how a person's situation changed and nothing is retyped.
type Intake struct {
	SecondCitizenship string `json:"second_citizenship,omitempty"` // ISTAT state code
	// Foreign citizens.
	CountryOfOrigin  string `json:"origin,omitempty"`          // Z-code
	ItalianLevel     string `json:"italian,omitempty"`         // ListConoscenzaItaliano
	Permit           Permit `json:"permit"`                    //
	MigrationHistory string `json:"migration_story,omitempty"` // storia migratoria

	MaritalStatus string   `json:"marital,omitempty"` // ListStatoCivile
	Domicile      Address  `json:"domicile"`          // when different from the residence
	Contacts      Contacts `json:"contacts"`

	GP                string  `json:"gp,omitempty"`             // medico di medicina generale
	HealthCard        string  `json:"health_card,omitempty"`    // numero tessera sanitaria
	DisabilityPercent *int    `json:"disability_pct,omitempty"` // nil when unknown
	Education         string  `json:"education,omitempty"`      // ListTitoloStudio
	Employment        string  `json:"employment,omitempty"`     // ListCondizioneLavorativa
	Profession        string  `json:"profession,omitempty"`
	Sector            string  `json:"sector,omitempty"` // ListSettoreImpiego
	FamilyType        string  `json:"family_type,omitempty"`
	Housing           Housing `json:"housing"`
}

// ServiceRequest is one service asked for at an access.
type ServiceRequest struct {
	Service string `json:"service"` // catalogue code
	Notes   string `json:"notes,omitempty"`
}

// Outcome is the esito of an access: how the case is taken on and which
// office it is signalled to (the hand-off to the Cartella).
type Outcome struct {
	TakeChargeType string    `json:"take_charge,omitempty"` // ListTipologiaPresaInCarico
	UserArea       string    `json:"user_area,omitempty"`   // ListAreaUtenza (ISTAT)
	Signalled      bool      `json:"signalled,omitempty"`   // segnalazione all'ufficio competente
	SignalledOn    time.Time `json:"signalled_on,omitempty"`
	Office         string    `json:"office,omitempty"`
	Notes          string    `json:"notes,omitempty"`
}

// Access is one visit to the front desk: the scheda di accesso.
type Access struct {
	ID            ID        `json:"-"`
	PersonID      ID        `json:"-"`
	Date          time.Time `json:"date"`
	OperatorID    ID        `json:"operator"`
	OperatorName  string    `json:"operator_name"`
	Mode          string    `json:"mode"`   // ListModalitaAccesso
	Reason        string    `json:"reason"` // ListMotivoAccesso
	ReasonNotes   string    `json:"reason_notes,omitempty"`
	Interlocutors []string  `json:"interlocutors,omitempty"` // ListInterlocutori
	ReferredBy    string    `json:"referred_by,omitempty"`   // inviante

	Intake Intake `json:"intake"`

	Needs      []string         `json:"needs,omitempty"` // ListBisogni
	NeedsNotes string           `json:"needs_notes,omitempty"`
	Services   []ServiceRequest `json:"services,omitempty"`
	Outcome    Outcome          `json:"outcome"`

	CreatedAt time.Time `json:"created"`
	UpdatedAt time.Time `json:"updated"`
}

// PermitWarning says whether a permit has expired or expires within 60
// days of now, in Italian; "" otherwise.
func (in Intake) PermitWarning(now time.Time) string {
	exp := in.Permit.Expires
	if exp.IsZero() {
		return ""
	}
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	switch days := int(exp.Sub(today).Hours() / 24); {
	case days < 0:
		return fmt.Sprintf("Permesso di soggiorno scaduto il %s.", exp.Format("02/01/2006"))
	case days <= 60:
		return fmt.Sprintf("Permesso di soggiorno in scadenza il %s (tra %d giorni).", exp.Format("02/01/2006"), days)
	}
	return ""
}

// Validate checks an access; every problem names its field.
func (a Access) Validate(codes CodeChecker, now time.Time) ValidationError {
	var v ValidationError
	switch {
	case a.Date.IsZero():
		v = append(v, FieldError{"Date", "La data dell'accesso è obbligatoria."})
	case a.Date.After(now.Add(24 * time.Hour)):
		v = append(v, FieldError{"Date", "La data dell'accesso non può essere nel futuro."})
	case a.Date.Year() < 1990:
		v = append(v, FieldError{"Date", "La data dell'accesso è troppo lontana: controllare l'anno."})
	}
	if a.Mode == "" {
		v = append(v, FieldError{"Mode", "Indicare la modalità di accesso."})
	}
	if a.Reason == "" {
		v = append(v, FieldError{"Reason", "Indicare il motivo dell'accesso."})
	}
	if p := a.Intake.DisabilityPercent; p != nil && (*p < 0 || *p > 100) {
		v = append(v, FieldError{"DisabilityPercent", "La percentuale di invalidità deve essere tra 0 e 100."})
	}
	if r := a.Intake.Housing.Rooms; r < 0 || r > 50 {
		v = append(v, FieldError{"Rooms", "Il numero di vani deve essere tra 0 e 50."})
	}
	if e := a.Intake.Contacts.Email; e != "" && (!strings.Contains(e, "@") || strings.ContainsAny(e, " ,;")) {
		v = append(v, FieldError{"Email", "L'indirizzo e-mail non è valido."})
	}
	if c := a.Intake.Domicile.CAP; c != "" && (len(c) != 5 || strings.Trim(c, "0123456789") != "") {
		v = append(v, FieldError{"DomicileCAP", "Il CAP deve avere 5 cifre."})
	}
	if a.Outcome.Signalled && a.Outcome.UserArea == "" {
		v = append(v, FieldError{"UserArea", "Per la segnalazione indicare l'area di utenza competente."})
	}
	if codes != nil {
		for _, c := range []struct{ field, list, code string }{
			{"Mode", ListModalitaAccesso, a.Mode}, {"Reason", ListMotivoAccesso, a.Reason},
			{"MaritalStatus", ListStatoCivile, a.Intake.MaritalStatus}, {"Education", ListTitoloStudio, a.Intake.Education},
			{"UserArea", ListAreaUtenza, a.Outcome.UserArea}, {"TakeChargeType", ListTipologiaPresaInCarico, a.Outcome.TakeChargeType},
		} {
			if c.code != "" && !codes.Known(c.list, c.code) {
				v = append(v, FieldError{c.field, fmt.Sprintf("Il valore %q non è nell'elenco.", c.code)})
			}
		}
	}
	return v
}

// NewAccess prepares an access for a person, prefilled with the intake of
// their latest access, dated today, by the logged-in operator.
func (s *Session) NewAccess(ctx context.Context, personID ID) (Access, error) {
	prev, err := s.Accesses(ctx, personID)
	if err != nil {
		return Access{}, err
	}
	me := s.Operator()
	now := s.db.now()
	a := Access{PersonID: personID, Date: time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC),
		OperatorID: me.ID, OperatorName: me.FullName()}
	if len(prev) > 0 {
		a.Intake = prev[0].Intake
	}
	return a, nil
}

// SaveAccess validates and saves an access with its audit entry.
func (s *Session) SaveAccess(ctx context.Context, a Access) (Access, error) {
	if err := s.require(PermPersons); err != nil {
		return Access{}, err
	}
	if a.PersonID.IsZero() {
		return Access{}, fmt.Errorf("save access: %w", ErrNotFound)
	}
	if _, ok := s.PersonSummaryByID(a.PersonID); !ok {
		return Access{}, fmt.Errorf("save access: %w", ErrNotFound)
	}
	now := s.db.now()
	if v := a.Validate(s.codeChecker(ctx), now); len(v) > 0 {
		return Access{}, v
	}
	action := ActionUpdate
	if a.ID.IsZero() {
		a.ID = NewID()
		a.CreatedAt = now.UTC()
		action = ActionCreate
	}
	if a.OperatorID.IsZero() {
		me := s.Operator()
		a.OperatorID, a.OperatorName = me.ID, me.FullName()
	}
	a.UpdatedAt = now.UTC()
	if err := s.saveChild(ctx, a.ID, kindAccess, a.PersonID, a, action); err != nil {
		return Access{}, fmt.Errorf("save access %s: %w", a.ID, err)
	}
	return a, nil
}

// saveChild writes one record under a parent with its audit entry.
func (s *Session) saveChild(ctx context.Context, id ID, kind string, parent ID, v any, a Action) error {
	keys, err := s.subkeys()
	if err != nil {
		return err
	}
	me := s.Operator()
	return s.db.inTx(ctx, func(tx querier) error {
		if _, err := s.putRecord(ctx, tx, keys, id, kind, &parent, false, v); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, keys, AuditEntry{OperatorID: me.ID, Operator: me.Username, Action: a, Kind: kind, RecordID: id})
	})
}

// Accesses lists a person's accesses, newest first.
func (s *Session) Accesses(ctx context.Context, personID ID) ([]Access, error) {
	if err := s.require(PermPersons); err != nil {
		return nil, err
	}
	var out []Access
	err := s.children(ctx, personID, kindAccess, func(id ID, plain []byte) error {
		var a Access
		if err := json.Unmarshal(plain, &a); err != nil {
			return fmt.Errorf("decode access: %w", err)
		}
		a.ID, a.PersonID = id, personID
		out = append(out, a)
		return nil
	})
	sort.Slice(out, func(i, j int) bool {
		return newerFirst(out[i].Date, out[i].CreatedAt, out[j].Date, out[j].CreatedAt)
	})
	return out, err
}

// Access opens one access and audits the reading.
func (s *Session) Access(ctx context.Context, personID, id ID) (Access, error) {
	var a Access
	if err := s.require(PermPersons); err != nil {
		return a, err
	}
	if err := s.getRecord(ctx, id, kindAccess, &a); err != nil {
		return a, err
	}
	a.ID, a.PersonID = id, personID
	return a, s.audit(ctx, ActionRead, kindAccess, id, "")
}
