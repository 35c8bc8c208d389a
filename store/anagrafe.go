package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"cartella/store/codicefiscale"
	"cartella/store/vault"
)

const (
	kindHousehold  = "household"
	lookupFamily   = "famiglia"
	importBatchMax = 150 // households per transaction
)

// ImportRow is one valid row of an Anagrafe export, already parsed.
type ImportRow struct {
	Line         int    // line in the file, for messages
	Person       Person // anagrafica from the registry
	FamilyID     string // codice famiglia anagrafica
	Relationship string // relazione di parentela con l'intestatario (ANPR code)
}

// Household is a famiglia anagrafica: its members and how they relate to
// the head (intestatario scheda).
type Household struct {
	ID       ID                `json:"-"`
	FamilyID string            `json:"family_id"`
	Members  []HouseholdMember `json:"members"`
}

// HouseholdMember links a person to a household.
type HouseholdMember struct {
	PersonID     ID     `json:"person"`
	Relationship string `json:"relationship,omitempty"`
}

// ImportChange is a registry row for a person already known whose data
// differ: it is applied only if the user confirms it.
type ImportChange struct {
	Row      ImportRow
	Existing Person
	Fields   []string // Italian names of the fields that differ
}

// ImportPlan is what an import would do, for the preview.
type ImportPlan struct {
	New        []ImportRow
	Changed    []ImportChange
	Unchanged  []ImportRow
	Households int
}

// PlanImport matches registry rows with known persons by codice fiscale.
func (s *Session) PlanImport(ctx context.Context, rows []ImportRow) (ImportPlan, error) {
	var plan ImportPlan
	if err := s.require(PermPersons); err != nil {
		return plan, err
	}
	fams := map[string]bool{}
	for _, r := range rows {
		r.Person.Normalize()
		if r.FamilyID != "" {
			fams[r.FamilyID] = true
		}
		var existing *Person
		if r.Person.CodiceFiscale != "" {
			ids, err := s.lookup(ctx, lookupCF, codicefiscale.Canonical(r.Person.CodiceFiscale))
			if err != nil {
				return plan, err
			}
			if len(ids) > 0 {
				var p Person
				if err := s.getRecord(ctx, ids[0], kindPerson, &p); err != nil {
					return plan, err
				}
				p.ID = ids[0]
				existing = &p
			}
		}
		switch {
		case existing == nil:
			plan.New = append(plan.New, r)
		default:
			if diff := registryDiff(*existing, r.Person); len(diff) > 0 {
				plan.Changed = append(plan.Changed, ImportChange{Row: r, Existing: *existing, Fields: diff})
			} else {
				r.Person.ID = existing.ID
				plan.Unchanged = append(plan.Unchanged, r)
			}
		}
	}
	plan.Households = len(fams)
	return plan, nil
}

// registryDiff lists the registry fields in which a known person differs.
func registryDiff(have, reg Person) []string {
	var d []string
	for _, f := range []struct {
		name      string
		have, reg string
	}{
		{"cognome", have.Surname, reg.Surname},
		{"nome", have.GivenName, reg.GivenName},
		{"sesso", have.Sex, reg.Sex},
		{"data di nascita", have.BirthDate.Format(time.DateOnly), reg.BirthDate.Format(time.DateOnly)},
		{"luogo di nascita", have.BirthPlace, reg.BirthPlace},
		{"cittadinanza", have.Citizenship, orKeep(reg.Citizenship, have.Citizenship)},
		{"comune di residenza", have.Residence.ComuneCode, orKeep(reg.Residence.ComuneCode, have.Residence.ComuneCode)},
		{"indirizzo", have.Residence.Street, orKeep(reg.Residence.Street, have.Residence.Street)},
		{"CAP", have.Residence.CAP, orKeep(reg.Residence.CAP, have.Residence.CAP)},
	} {
		if f.have != f.reg {
			d = append(d, f.name)
		}
	}
	return d
}

func orKeep(v, keep string) string {
	if v == "" {
		return keep
	}
	return v
}

// mergeRegistry applies registry data over a known person, keeping what
// the office recorded that the registry does not carry.
func mergeRegistry(have, reg Person) Person {
	out := have
	out.Surname, out.GivenName, out.Sex = reg.Surname, reg.GivenName, reg.Sex
	out.BirthDate, out.BirthPlace = reg.BirthDate, reg.BirthPlace
	out.CodiceFiscale = reg.CodiceFiscale
	out.Citizenship = orKeep(reg.Citizenship, have.Citizenship)
	out.Residence.ComuneCode = orKeep(reg.Residence.ComuneCode, have.Residence.ComuneCode)
	out.Residence.Street = orKeep(reg.Residence.Street, have.Residence.Street)
	out.Residence.CAP = orKeep(reg.Residence.CAP, have.Residence.CAP)
	return out
}

// ImportResult counts what an import wrote.
type ImportResult struct {
	Created, Updated, Households int
	Cancelled                    bool
}

// ApplyImport writes a plan: new persons, the changes the user confirmed
// (by file line) and the households. Whole households are written per
// transaction, so a cancel (ctx) or a failure never leaves half of one.
// Running the same import twice changes nothing the second time.
func (s *Session) ApplyImport(ctx context.Context, plan ImportPlan, confirm map[int]bool, progress func(done, total int)) (ImportResult, error) {
	var res ImportResult
	if err := s.require(PermPersons); err != nil {
		return res, err
	}
	keys, err := s.subkeys()
	if err != nil {
		return res, err
	}
	now := s.db.now()
	// Persons to write, and every row's person id, grouped by household.
	type item = importItem
	groups := map[string][]item{}
	var order []string
	add := func(fam string, it item) {
		key := fam
		if key == "" {
			key = fmt.Sprintf("\x00riga-%d", it.row.Line) // no household: alone
		}
		if _, ok := groups[key]; !ok {
			order = append(order, key)
		}
		groups[key] = append(groups[key], it)
	}
	for _, r := range plan.New {
		p := r.Person
		p.Normalize()
		if v := p.validate(s.db.places, now, false); len(v) > 0 {
			return res, fmt.Errorf("riga %d: %w", r.Line, v)
		}
		p.ID = NewID()
		p.CreatedAt, p.UpdatedAt = now.UTC(), now.UTC()
		r.Person.ID = p.ID
		add(r.FamilyID, item{row: r, write: &p})
	}
	for _, c := range plan.Changed {
		r := c.Row
		r.Person.ID = c.Existing.ID
		if confirm[r.Line] {
			p := mergeRegistry(c.Existing, r.Person)
			p.Normalize()
			p.UpdatedAt = now.UTC()
			if v := p.validate(s.db.places, now, false); len(v) > 0 {
				return res, fmt.Errorf("riga %d: %w", r.Line, v)
			}
			add(r.FamilyID, item{row: r, write: &p, update: true})
		} else {
			add(r.FamilyID, item{row: r})
		}
	}
	for _, r := range plan.Unchanged {
		add(r.FamilyID, item{row: r})
	}
	sort.SliceStable(order, func(i, j int) bool { return groups[order[i]][0].row.Line < groups[order[j]][0].row.Line })

	me := s.Operator()
	total := len(order)
	for start := 0; start < total; start += importBatchMax {
		if err := ctx.Err(); err != nil {
			res.Cancelled = true
			return res, nil
		}
		batch := order[start:min(total, start+importBatchMax)]
		var written []Person
		var batchRes ImportResult
		err := s.db.inTx(ctx, func(tx querier) error {
			written, batchRes = written[:0], ImportResult{}
			for _, fam := range batch {
				members := groups[fam]
				for _, it := range members {
					if it.write == nil {
						continue
					}
					if _, err := s.putRecord(ctx, tx, keys, it.write.ID, kindPerson, nil, false, *it.write); err != nil {
						return err
					}
					if err := s.setLookup(ctx, tx, keys, it.write.ID, lookupCF, codicefiscale.Canonical(it.write.CodiceFiscale)); err != nil {
						return err
					}
					written = append(written, *it.write)
					if it.update {
						batchRes.Updated++
					} else {
						batchRes.Created++
					}
				}
				if fam[0] == 0 {
					continue
				}
				changed, err := s.putHousehold(ctx, tx, keys, fam, members)
				if err != nil {
					return err
				}
				if changed {
					batchRes.Households++
				}
			}
			if batchRes == (ImportResult{}) {
				return nil
			}
			return s.appendAudit(ctx, tx, keys, AuditEntry{OperatorID: me.ID, Operator: me.Username, Action: ActionCreate, Kind: kindPerson,
				Detail: fmt.Sprintf("importazione Anagrafe: %d nuove persone, %d aggiornate, %d famiglie", batchRes.Created, batchRes.Updated, batchRes.Households)})
		})
		if err != nil {
			return res, fmt.Errorf("importazione Anagrafe: %w", err)
		}
		res.Created += batchRes.Created
		res.Updated += batchRes.Updated
		res.Households += batchRes.Households
		for _, p := range written {
			s.indexPut(p)
		}
		if progress != nil {
			progress(min(total, start+importBatchMax), total)
		}
	}
	return res, nil
}

// importItem is one registry row on its way into the store.
type importItem struct {
	row    ImportRow
	write  *Person // nil: the person is known and stays as it is
	update bool
}

// putHousehold creates or completes a household from registry rows; it
// reports whether anything was written. It reads through tx: the single
// connection is held by the transaction.
func (s *Session) putHousehold(ctx context.Context, tx querier, keys *vault.SubKeys, famID string, members []importItem) (bool, error) {
	var h Household
	var idb []byte
	err := tx.QueryRowContext(ctx, "SELECT id FROM lookup WHERE label = ? AND value = ? LIMIT 1",
		lookupFamily, vault.BlindIndex(keys.BlindIndex, lookupFamily, famID)).Scan(&idb)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		h = Household{ID: NewID(), FamilyID: famID}
	case err != nil:
		return false, fmt.Errorf("household: %w", err)
	default:
		if h.ID, err = idFromBytes(idb); err != nil {
			return false, err
		}
		var body []byte
		var schema int
		if err := tx.QueryRowContext(ctx, "SELECT body, schema_v FROM records WHERE id = ? AND kind = ?", idb, kindHousehold).Scan(&body, &schema); err != nil {
			return false, fmt.Errorf("household: %w", err)
		}
		id := h.ID
		if err := openInto(keys, id, kindHousehold, schema, body, &h); err != nil {
			return false, err
		}
		h.ID = id
	}
	changed := false
	for _, it := range members {
		pid := it.row.Person.ID
		found := false
		for i := range h.Members {
			if h.Members[i].PersonID == pid {
				found = true
				if it.row.Relationship != "" && h.Members[i].Relationship != it.row.Relationship {
					h.Members[i].Relationship = it.row.Relationship
					changed = true
				}
			}
		}
		if !found {
			h.Members = append(h.Members, HouseholdMember{PersonID: pid, Relationship: it.row.Relationship})
			changed = true
		}
	}
	if !changed {
		return false, nil
	}
	if _, err := s.putRecord(ctx, tx, keys, h.ID, kindHousehold, nil, false, h); err != nil {
		return false, err
	}
	return true, s.setLookup(ctx, tx, keys, h.ID, lookupFamily, famID)
}

// Households lists the households a person belongs to.
func (s *Session) Households(ctx context.Context, personID ID) ([]Household, error) {
	var out []Household
	err := s.scanKind(ctx, kindHousehold, func(id ID, plain []byte) error {
		var h Household
		if err := json.Unmarshal(plain, &h); err != nil {
			return err
		}
		for _, m := range h.Members {
			if m.PersonID == personID {
				h.ID = id
				out = append(out, h)
				break
			}
		}
		return nil
	})
	return out, err
}
