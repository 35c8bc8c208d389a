package store

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	csync "cartella/store/sync"
	"cartella/store/vault"
)

// Errors of joining an office, in Italian.
var (
	ErrNoSharedOffice = errors.New("nella cartella scelta non c'è nessun ufficio di Cartella Sociale: scegliere la cartella condivisa usata dall'altro computer")
	ErrManyOffices    = errors.New("nella cartella scelta ci sono più uffici: scegliere direttamente la cartella «CartellaSociale-…» dell'ufficio")
	ErrOfficeFileBad  = errors.New("il file office.json della cartella condivisa è stato alterato: chiedere al responsabile di sincronizzare di nuovo dal primo computer")
)

// JoinProgress reports how a join advances: what it is doing (Italian),
// and done out of total (bytes or files; total 0 when unknown).
type JoinProgress func(what string, done, total int64)

// Join makes this empty data folder a new PC of the office found in the
// shared folder: with an operator's name and password it opens the office
// key from the wrapped keys in office.json, loads the newest snapshot and
// applies the change files after it. With a wrong password nothing is
// written. From then on this PC is a peer like the first.
func (db *DB) Join(ctx context.Context, shared, username, password string, progress JoinProgress) (*Session, SyncReport, error) {
	var rep SyncReport
	if progress == nil {
		progress = func(string, int64, int64) {}
	}
	if db.HasOffice() {
		return nil, rep, ErrOfficeExists
	}
	if d := db.LoginDelay(); d > 0 {
		return nil, rep, &TooSoonError{Wait: d}
	}
	folders, err := csync.FindOffices(shared)
	if err != nil {
		return nil, rep, err
	}
	switch len(folders) {
	case 0:
		return nil, rep, ErrNoSharedOffice
	case 1:
	default:
		return nil, rep, ErrManyOffices
	}
	folder := folders[0]
	progress("Lettura dei dati dell'ufficio", 0, 0)
	of, err := folder.ReadOffice(ctx)
	if err != nil {
		return nil, rep, err
	}
	officeID, err := of.OfficeID()
	if err != nil {
		return nil, rep, err
	}
	var params vault.Params
	if err := json.Unmarshal(of.KDF, &params); err != nil || params.Valid() != nil {
		return nil, rep, csync.ErrOfficeFile
	}
	// Find the operator's wrapped key; an unknown name costs the same time
	// as a wrong password and gives the same answer.
	want := hex.EncodeToString(loginKey(officeID, username))
	var entry *csync.OfficeKey
	for i := range of.Keys {
		if of.Keys[i].Login == want {
			entry = &of.Keys[i]
		}
	}
	progress("Verifica della password", 0, 0)
	var opID ID
	var w vault.Wrapped
	if entry == nil || w.UnmarshalBinary(entry.Wrapped) != nil {
		burnParams(params, password)
		db.noteFailure()
		return nil, rep, ErrLoginFailed
	}
	if opID, err = ParseID(entry.Operator); err != nil {
		db.noteFailure()
		return nil, rep, ErrLoginFailed
	}
	officeKey, err := vault.Unwrap(w, []byte(password), wrapAD(officeID, opID))
	if err != nil {
		db.noteFailure()
		return nil, rep, ErrLoginFailed
	}
	keys, err := vault.Derive(officeKey)
	if err != nil {
		officeKey.Zero()
		return nil, rep, err
	}
	s := &Session{db: db, keys: keys, office: officeKey}
	if !of.Verify(keys.Sync) {
		s.wipe()
		return nil, rep, ErrOfficeFileBad
	}

	// The identity is written last: if the join is interrupted, the folder
	// is still "without office" and joining again resumes (applying is
	// idempotent).
	db.officeID, db.deviceID = officeID, NewID()
	fail := func(err error) (*Session, SyncReport, error) {
		db.officeID, db.deviceID = ID{}, ID{}
		s.wipe()
		return nil, rep, err
	}
	err = db.inTx(ctx, func(tx querier) error {
		for _, k := range of.Keys {
			var kw vault.Wrapped
			login, err1 := hex.DecodeString(k.Login)
			op, err2 := ParseID(k.Operator)
			if err1 != nil || err2 != nil || kw.UnmarshalBinary(k.Wrapped) != nil {
				continue
			}
			if err := putWrapped(ctx, tx, login, op, kw); err != nil {
				return err
			}
		}
		var rw vault.Wrapped
		if rw.UnmarshalBinary(of.Recovery) == nil {
			if err := putWrapped(ctx, tx, recoveryLogin, ID{}, rw); err != nil {
				return err
			}
		}
		// Keys from office.json carry no clock: any stamped key received
		// later wins, and they are not sent back.
		_, err := tx.ExecContext(ctx, "UPDATE keyring_sync SET state = 0 WHERE hlc = 0")
		return err
	})
	if err != nil {
		return fail(fmt.Errorf("join: %w", err))
	}

	snaps, err := folder.Snapshots(ctx)
	if err != nil {
		return fail(err)
	}
	for _, ref := range snaps {
		_, err := s.loadSnapshot(ctx, keys, ref, func(done, total int64) {
			progress("Caricamento dell'istantanea dell'ufficio", done, total)
		})
		if err == nil {
			break
		}
		if errors.Is(err, ErrDiskFull) || errors.Is(err, context.Canceled) {
			return fail(err)
		}
		rep.Problems = append(rep.Problems, fmt.Sprintf("istantanea %s: %v; uso le singole modifiche", ref.Name(folder), err))
	}
	progress("Applicazione delle modifiche più recenti", 0, 0)
	if err := s.importChanges(ctx, keys, folder, &rep, false); err != nil {
		return fail(err)
	}
	var op Operator
	if err := s.getRecord(ctx, opID, kindOperator, &op); err != nil {
		return fail(fmt.Errorf("i dati dell'operatore non sono ancora nella cartella condivisa: sincronizzare prima dal primo computer, poi riprovare (%w)", err))
	}
	if op.Disabled {
		db.noteFailure()
		return fail(ErrLoginFailed)
	}
	op.ID = opID
	s.operator = op

	err = db.inTx(ctx, func(tx querier) error {
		for k, v := range map[string][]byte{
			"office_id":    officeID[:],
			"device_id":    db.deviceID[:],
			"kdf_params":   of.KDF,
			"office_label": []byte(of.Label),
		} {
			if err := setMeta(ctx, tx, k, v); err != nil {
				return err
			}
		}
		if err := setMeta(ctx, tx, metaSyncFolderOK, []byte(shared)); err != nil {
			return err
		}
		return setMeta(ctx, tx, metaSyncFolder, []byte(shared))
	})
	if err != nil {
		return fail(fmt.Errorf("join: %w", diskErr(err)))
	}
	progress("Preparazione dell'elenco delle persone", 0, 0)
	idx, err := s.buildIndex(ctx)
	if err != nil {
		return nil, rep, err
	}
	s.index = idx
	db.mu.Lock()
	db.failures, db.notUntil = 0, timeZero
	db.mu.Unlock()
	s.ensureBackupKey(ctx)
	s.audit(ctx, ActionLogin, "", ID{}, "ingresso nell'ufficio da questo computer")
	rep.End = db.now()
	db.saveReport(ctx, rep, nil)
	return s, rep, nil
}

// burn spends the time of one key derivation.
func burnParams(p vault.Params, password string) {
	k, err := vault.NewKey()
	if err != nil {
		return
	}
	defer k.Zero()
	if password == "" {
		password = "x"
	}
	vault.Wrap(k, []byte(password), p, []byte("burn"))
}
