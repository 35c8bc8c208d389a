package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

const kindRefPerson = "refperson"

// ReferencePerson is someone linked to a person: a relative, a guardian,
// a neighbour… possibly a person of the database (Linked).
type ReferencePerson struct {
	ID       ID       `json:"-"`
	PersonID ID       `json:"-"`
	Name     string   `json:"name"`
	Role     string   `json:"role"`              // ListRuoloRiferimento
	Kinship  string   `json:"kinship,omitempty"` // ListParentela, for relatives
	Contacts Contacts `json:"contacts"`
	Linked   ID       `json:"linked,omitempty"` // a person of the database
	Notes    string   `json:"notes,omitempty"`
	Removed  bool     `json:"removed,omitempty"`
}

// RoleFamiliare is the reference role that asks for a kinship.
const RoleFamiliare = "FAMILIARE"

// Validate checks a reference person.
func (r ReferencePerson) Validate() ValidationError {
	var v ValidationError
	if strings.TrimSpace(r.Name) == "" && r.Linked.IsZero() {
		v = append(v, FieldError{"Name", "Indicare il nome della persona di riferimento o sceglierla dall'archivio."})
	}
	if r.Role == "" {
		v = append(v, FieldError{"Role", "Indicare il ruolo della persona di riferimento."})
	}
	if r.Role == RoleFamiliare && r.Kinship == "" {
		v = append(v, FieldError{"Kinship", "Per un familiare indicare la parentela."})
	}
	if e := r.Contacts.Email; e != "" && !strings.Contains(e, "@") {
		v = append(v, FieldError{"Email", "L'indirizzo e-mail non è valido."})
	}
	return v
}

// SaveReferencePerson adds or changes a person's reference person.
func (s *Session) SaveReferencePerson(ctx context.Context, r ReferencePerson) (ReferencePerson, error) {
	if err := s.require(PermPersons); err != nil {
		return r, err
	}
	if _, ok := s.PersonSummaryByID(r.PersonID); !ok {
		return r, fmt.Errorf("save reference person: %w", ErrNotFound)
	}
	if !r.Linked.IsZero() {
		if sum, ok := s.PersonSummaryByID(r.Linked); ok && strings.TrimSpace(r.Name) == "" {
			r.Name = sum.FullName()
		}
	}
	if v := r.Validate(); len(v) > 0 {
		return r, v
	}
	action := ActionUpdate
	if r.ID.IsZero() {
		r.ID = NewID()
		action = ActionCreate
	}
	if err := s.saveChild(ctx, r.ID, kindRefPerson, r.PersonID, r, action); err != nil {
		return r, fmt.Errorf("save reference person: %w", err)
	}
	return r, nil
}

// ReferencePersons lists a person's reference persons by name.
func (s *Session) ReferencePersons(ctx context.Context, personID ID) ([]ReferencePerson, error) {
	if err := s.require(PermPersons); err != nil {
		return nil, err
	}
	var out []ReferencePerson
	err := s.children(ctx, personID, kindRefPerson, func(id ID, plain []byte) error {
		var r ReferencePerson
		if err := json.Unmarshal(plain, &r); err != nil {
			return fmt.Errorf("decode reference person: %w", err)
		}
		if r.Removed {
			return nil
		}
		r.ID, r.PersonID = id, personID
		out = append(out, r)
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}

// RemoveReferencePerson marks a reference person as no longer relevant;
// the record stays for the history and the audit log.
func (s *Session) RemoveReferencePerson(ctx context.Context, r ReferencePerson) error {
	r.Removed = true
	if err := s.require(PermPersons); err != nil {
		return err
	}
	return s.saveChild(ctx, r.ID, kindRefPerson, r.PersonID, r, ActionDelete)
}
