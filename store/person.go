package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"cartella/store/codicefiscale"
)

// Address is a residence or domicile.
type Address struct {
	ComuneCode string `json:"comune,omitempty"` // Belfiore code
	Street     string `json:"street,omitempty"` // via/piazza, numero civico
	CAP        string `json:"cap,omitempty"`
}

// Person is a citizen known to the office: their anagrafica.
type Person struct {
	ID            ID        `json:"-"`
	Surname       string    `json:"surname"`
	GivenName     string    `json:"given_name"`
	Sex           string    `json:"sex"`         // "M" or "F"
	BirthDate     time.Time `json:"birth_date"`  // UTC midnight
	BirthPlace    string    `json:"birth_place"` // Belfiore code of the comune, or Z-code of the state
	CodiceFiscale string    `json:"cf,omitempty"`
	Citizenship   string    `json:"citizenship,omitempty"` // ISTAT 3-digit state code
	Residence     Address   `json:"residence"`
	Consent       Consent   `json:"consent"`
	CreatedAt     time.Time `json:"created"`
	UpdatedAt     time.Time `json:"updated"`
}

// Consent is the person's privacy consent (GDPR): given or not, when, and
// the signed form once scanned and attached.
type Consent struct {
	Recorded   bool      `json:"recorded,omitempty"` // false: never asked
	Given      bool      `json:"given,omitempty"`
	Date       time.Time `json:"date,omitempty"`
	SignedScan ID        `json:"scan,omitempty"` // attachment with the signed form
}

// FullName is "COGNOME Nome" as lists show it.
func (p Person) FullName() string {
	return strings.TrimSpace(p.Surname + " " + p.GivenName)
}

// Normalize tidies what the user typed: spaces, code case.
func (p *Person) Normalize() {
	p.Surname = strings.Join(strings.Fields(p.Surname), " ")
	p.GivenName = strings.Join(strings.Fields(p.GivenName), " ")
	p.Sex = strings.ToUpper(strings.TrimSpace(p.Sex))
	p.BirthPlace = strings.ToUpper(strings.TrimSpace(p.BirthPlace))
	p.CodiceFiscale = codicefiscale.Normalize(p.CodiceFiscale)
	p.Residence.ComuneCode = strings.ToUpper(strings.TrimSpace(p.Residence.ComuneCode))
	p.Residence.Street = strings.TrimSpace(p.Residence.Street)
	p.Residence.CAP = strings.TrimSpace(p.Residence.CAP)
	if !p.BirthDate.IsZero() {
		y, m, d := p.BirthDate.Date()
		p.BirthDate = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
}

// Validate checks the anagrafica; every problem names its field. now is the
// reference for "date in the future".
func (p Person) Validate(places codicefiscale.PlaceChecker, now time.Time) ValidationError {
	return p.validate(places, now, true)
}

// validate with strictPlace false accepts a birthplace that the reference
// table does not know at the birth date: registry data are the authority,
// and the table lacks changes after 2023.
func (p Person) validate(places codicefiscale.PlaceChecker, now time.Time, strictPlace bool) ValidationError {
	var v ValidationError
	if p.Surname == "" {
		v = append(v, FieldError{"Surname", "Il cognome è obbligatorio."})
	}
	if p.GivenName == "" {
		v = append(v, FieldError{"GivenName", "Il nome è obbligatorio."})
	}
	if p.Sex != "M" && p.Sex != "F" {
		v = append(v, FieldError{"Sex", "Indicare il sesso (M o F)."})
	}
	switch {
	case p.BirthDate.IsZero():
		v = append(v, FieldError{"BirthDate", "La data di nascita è obbligatoria."})
	case p.BirthDate.After(now):
		v = append(v, FieldError{"BirthDate", "La data di nascita non può essere nel futuro."})
	case p.BirthDate.Year() < 1890:
		v = append(v, FieldError{"BirthDate", "La data di nascita è troppo lontana nel tempo: controllare l'anno."})
	}
	if p.BirthPlace == "" {
		v = append(v, FieldError{"BirthPlace", "Indicare il comune o lo stato estero di nascita."})
	} else if strictPlace && places != nil && !p.BirthDate.IsZero() && !places.ValidAt(p.BirthPlace, p.BirthDate) {
		v = append(v, FieldError{"BirthPlace", fmt.Sprintf("Il luogo di nascita %s non esisteva alla data di nascita indicata.", p.BirthPlace)})
	}
	if p.CodiceFiscale != "" {
		if _, err := codicefiscale.Validate(p.CodiceFiscale, places, p.BirthDate, now); err != nil && (strictPlace || !isPlaceOnly(err)) {
			v = append(v, FieldError{"CodiceFiscale", err.Error()})
		}
	}
	if c := p.Residence.CAP; c != "" && (len(c) != 5 || strings.Trim(c, "0123456789") != "") {
		v = append(v, FieldError{"CAP", "Il CAP deve avere 5 cifre."})
	}
	if p.Consent.Recorded && p.Consent.Date.IsZero() {
		v = append(v, FieldError{"ConsentDate", "Indicare la data del consenso."})
	} else if p.Consent.Date.After(now) {
		v = append(v, FieldError{"ConsentDate", "La data del consenso non può essere nel futuro."})
	}
	if c := p.Residence.ComuneCode; c != "" && places != nil && !places.ValidAt(c, now) {
		v = append(v, FieldError{"ResidenceComune", "Scegliere il comune di residenza dall'elenco."})
	}
	return v
}

// Warnings are things worth a second look that do not block saving.
func (p Person) Warnings() []string {
	var w []string
	if p.CodiceFiscale == "" {
		w = append(w, "Codice fiscale non indicato.")
	} else if info, err := codicefiscale.Parse(p.CodiceFiscale, timeNow()); err == nil && info.Kind == codicefiscale.Ordinary &&
		!codicefiscale.Matches(p.CodiceFiscale, p.Surname, p.GivenName, sexByte(p.Sex), p.BirthDate, p.BirthPlace) {
		w = append(w, "Il codice fiscale non corrisponde ai dati anagrafici inseriti: verificare.")
	}
	return w
}

// isPlaceOnly tells a codice fiscale whose only fault is a place code
// unknown at the birth date.
func isPlaceOnly(err error) bool {
	var e *codicefiscale.Error
	return errors.As(err, &e) && e.Place
}

func sexByte(s string) byte {
	if s == "" {
		return 0
	}
	return s[0]
}

// Duplicate is an existing person who may be the same as the one being saved.
type Duplicate struct {
	Person PersonSummary
	Reason string // Italian
}

// Duplicates finds persons with the same codice fiscale (any omocodia
// variant), or born the same day with a similar name.
func (s *Session) Duplicates(ctx context.Context, p Person) ([]Duplicate, error) {
	s.mu.RLock()
	idx := s.index
	s.mu.RUnlock()
	if idx == nil {
		return nil, ErrLocked
	}
	var out []Duplicate
	seen := map[ID]bool{}
	if p.CodiceFiscale != "" {
		ids, err := s.lookup(ctx, lookupCF, codicefiscale.Canonical(p.CodiceFiscale))
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			if id == p.ID || seen[id] {
				continue
			}
			if sum, ok := idx.get(id); ok {
				seen[id] = true
				out = append(out, Duplicate{Person: sum, Reason: "stesso codice fiscale"})
			}
		}
	}
	if !p.BirthDate.IsZero() {
		name := fold(p.Surname + " " + p.GivenName)
		for _, sum := range idx.byBirth(p.BirthDate) {
			if sum.ID == p.ID || seen[sum.ID] {
				continue
			}
			if similar(name, fold(sum.Surname+" "+sum.GivenName), 2) {
				seen[sum.ID] = true
				out = append(out, Duplicate{Person: sum, Reason: "stessa data di nascita e nome simile"})
			}
		}
	}
	return out, nil
}

// SavePerson validates and saves a person (new when p.ID is zero), in one
// transaction with its blind index, sync queue entry and audit entry.
func (s *Session) SavePerson(ctx context.Context, p Person) (Person, error) {
	if err := s.require(PermPersons); err != nil {
		return Person{}, err
	}
	keys, err := s.subkeys()
	if err != nil {
		return Person{}, err
	}
	p.Normalize()
	now := s.db.now()
	if v := p.Validate(s.db.places, now); len(v) > 0 {
		return Person{}, v
	}
	action := ActionUpdate
	if p.ID.IsZero() {
		p.ID = NewID()
		p.CreatedAt = now.UTC()
		action = ActionCreate
	}
	p.UpdatedAt = now.UTC()
	me := s.Operator()
	err = s.db.inTx(ctx, func(tx querier) error {
		if _, err := s.putRecord(ctx, tx, keys, p.ID, kindPerson, nil, false, p); err != nil {
			return err
		}
		if err := s.setLookup(ctx, tx, keys, p.ID, lookupCF, codicefiscale.Canonical(p.CodiceFiscale)); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, keys, AuditEntry{OperatorID: me.ID, Operator: me.Username, Action: action, Kind: kindPerson, RecordID: p.ID})
	})
	if err != nil {
		return Person{}, fmt.Errorf("save person %s: %w", p.ID, err)
	}
	s.indexPut(p)
	return p, nil
}

// Person opens one person's anagrafica and audits the reading.
func (s *Session) Person(ctx context.Context, id ID) (Person, error) {
	var p Person
	if err := s.require(PermPersons); err != nil {
		return p, err
	}
	if err := s.getRecord(ctx, id, kindPerson, &p); err != nil {
		return p, err
	}
	p.ID = id
	if err := s.audit(ctx, ActionRead, kindPerson, id, ""); err != nil {
		return Person{}, err
	}
	return p, nil
}

// PersonByCF finds a person by codice fiscale through the blind index.
func (s *Session) PersonByCF(ctx context.Context, cf string) (Person, error) {
	ids, err := s.lookup(ctx, lookupCF, codicefiscale.Canonical(codicefiscale.Normalize(cf)))
	if err != nil {
		return Person{}, err
	}
	if len(ids) == 0 {
		return Person{}, ErrNotFound
	}
	return s.Person(ctx, ids[0])
}
