package store

import (
	"context"
	"fmt"
	"time"
)

// Settings are office-wide preferences, kept sealed so that nobody can
// switch off the idle lock by editing the file.
type Settings struct {
	IdleLockMinutes int `json:"idle_lock_minutes"`
}

// DefaultSettings are those of a new office.
func DefaultSettings() Settings { return Settings{IdleLockMinutes: 10} }

// IdleLock is the idle time after which the program locks itself.
func (st Settings) IdleLock() time.Duration { return time.Duration(st.IdleLockMinutes) * time.Minute }

// Validate keeps the idle lock between 1 minute and 2 hours.
func (st Settings) Validate() ValidationError {
	if st.IdleLockMinutes < 1 || st.IdleLockMinutes > 120 {
		return ValidationError{{"IdleLockMinutes", "Il blocco automatico deve scattare tra 1 e 120 minuti di inattività."}}
	}
	return nil
}

// Settings reads the office settings.
func (s *Session) Settings(ctx context.Context) (Settings, error) {
	st := DefaultSettings()
	err := s.getRecord(ctx, fixedID(s.db.officeID, kindSettings), kindSettings, &st)
	if err == ErrNotFound {
		return DefaultSettings(), nil
	}
	return st, err
}

// SaveSettings changes the office settings (responsabile only).
func (s *Session) SaveSettings(ctx context.Context, st Settings) error {
	if err := s.require(PermSettings); err != nil {
		return err
	}
	if v := st.Validate(); len(v) > 0 {
		return v
	}
	keys, err := s.subkeys()
	if err != nil {
		return err
	}
	me := s.Operator()
	id := fixedID(s.db.officeID, kindSettings)
	return s.db.inTx(ctx, func(tx querier) error {
		if _, err := s.putRecord(ctx, tx, keys, id, kindSettings, nil, false, st); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, keys, AuditEntry{OperatorID: me.ID, Operator: me.Username, Action: ActionSettings,
			Detail: fmt.Sprintf("blocco automatico dopo %d minuti", st.IdleLockMinutes)})
	})
}
