package store

import (
	"context"
	"fmt"

	"cartella/store/codicefiscale"
)

// SavePersons saves many new or changed persons in one transaction (demo
// office, Anagrafe import): either every one lands or none. Each person is
// validated first; the first invalid one stops the batch with its error.
func (s *Session) SavePersons(ctx context.Context, ps []Person) ([]Person, error) {
	if err := s.require(PermPersons); err != nil {
		return nil, err
	}
	keys, err := s.subkeys()
	if err != nil {
		return nil, err
	}
	now := s.db.now()
	out := make([]Person, len(ps))
	for i, p := range ps {
		p.Normalize()
		if v := p.Validate(s.db.places, now); len(v) > 0 {
			return nil, fmt.Errorf("persona %d (%s): %w", i+1, p.FullName(), v)
		}
		if p.ID.IsZero() {
			p.ID = NewID()
			p.CreatedAt = now.UTC()
		}
		p.UpdatedAt = now.UTC()
		out[i] = p
	}
	me := s.Operator()
	err = s.db.inTx(ctx, func(tx querier) error {
		for _, p := range out {
			if _, err := s.putRecord(ctx, tx, keys, p.ID, kindPerson, nil, false, p); err != nil {
				return err
			}
			if err := s.setLookup(ctx, tx, keys, p.ID, lookupCF, codicefiscale.Canonical(p.CodiceFiscale)); err != nil {
				return err
			}
		}
		return s.appendAudit(ctx, tx, keys, AuditEntry{OperatorID: me.ID, Operator: me.Username, Action: ActionCreate,
			Kind: kindPerson, Detail: fmt.Sprintf("%d persone in blocco", len(out))})
	})
	if err != nil {
		return nil, fmt.Errorf("save persons: %w", err)
	}
	idx := s.idx()
	if idx != nil {
		idx.mu.Lock()
		for _, p := range out {
			idx.byID[p.ID] = summaryOf(p)
		}
		idx.sorted = idx.sorted[:0]
		for _, sum := range idx.byID {
			idx.sorted = append(idx.sorted, sum)
		}
		idx.mu.Unlock()
		sortIndex(idx)
	}
	return out, nil
}
