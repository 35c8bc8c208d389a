package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	csync "cartella/store/sync"
	"cartella/store/vault"
)

// This file is the store's side of sync (DESIGN.md §4): exporting this
// PC's changes as change files and applying the other PCs' ones. The shared
// folder is only a mailbox: the local database stays the source of truth,
// a file is applied in one transaction or not at all, applying it twice
// changes nothing, and the outcome does not depend on the order files
// arrive in.

// MaxClockAhead is how far in the future a change file's clock may be:
// one day, plus an hour for daylight-saving and time-zone mistakes. A file
// beyond it comes from a PC whose clock is wrong; applying it would let its
// changes win every merge for as long as the error lasts.
const MaxClockAhead = 25 * time.Hour

// maxFileBytes caps a change file's content; more changes go in further files.
const maxFileBytes = 32 << 20

// appendOnlyKinds are kinds whose records are written once and never
// edited afterwards (diary entries, attachment chunks; payments later):
// two PCs adding entries add different records, and two versions of one
// record can only be copies of the same entry, so they never produce a
// conflict to review — the later one is kept. Kinds that may be edited
// must not be listed here: their concurrent versions are kept as conflicts.
var appendOnlyKinds = map[string]bool{
	kindDiary:      true, // AddDiaryEntry only
	kindAttachment: true, // AddAttachment only
	kindChunk:      true,
}

// AppendOnly tells whether records of kind never conflict.
func AppendOnly(kind string) bool { return appendOnlyKinds[kind] }

// syncHook rebuilds what is derived from a record's body — blind indexes
// in the database and the in-memory index — when a version arrives from
// another PC or a conflict is resolved. It runs inside the applying
// transaction; the returned function (may be nil) runs after commit.
// plain is nil for a deleted record.
type syncHook func(s *Session, ctx context.Context, tx querier, keys *vault.SubKeys, id ID, plain []byte) (after func(), err error)

// syncHooks are by kind; a kind with blind indexes registers one here.
// Persons are handled directly (they are the bulk of an office and their
// in-memory index is updated in one go).
var syncHooks = map[string]syncHook{
	kindHousehold: householdSyncHook,
}

func householdSyncHook(s *Session, ctx context.Context, tx querier, keys *vault.SubKeys, id ID, plain []byte) (func(), error) {
	fam := ""
	if plain != nil {
		var h Household
		if err := json.Unmarshal(plain, &h); err != nil {
			return nil, fmt.Errorf("decode household %s: %w", id, err)
		}
		fam = h.FamilyID
	}
	return nil, s.setLookup(ctx, tx, keys, id, lookupFamily, fam)
}

// SyncReport is what one synchronisation did, for the status line.
type SyncReport struct {
	Start, End    time.Time
	SentFiles     int      // change files written
	Sent          int      // entries sent (record versions, audit entries, keys)
	ReceivedFiles int      // change files applied
	Received      int      // record versions that changed something here
	Conflicts     int      // new conflicts to review
	Snapshot      bool     // a snapshot for new PCs was written
	Problems      []string // Italian, one per problem; no personal data
}

// OK tells whether the sync met no problem.
func (r SyncReport) OK() bool { return len(r.Problems) == 0 }

// Summary is the Italian one-line outcome.
func (r SyncReport) Summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Inviate %d modifiche (%d file), ricevute %d modifiche (%d file)", r.Sent, r.SentFiles, r.Received, r.ReceivedFiles)
	if r.Conflicts > 0 {
		fmt.Fprintf(&b, ", %d nuovi conflitti da rivedere", r.Conflicts)
	}
	if len(r.Problems) > 0 {
		fmt.Fprintf(&b, ", %d problemi", len(r.Problems))
	}
	b.WriteString(".")
	return b.String()
}

// syncState serialises syncs of one database (automatic and "Sincronizza
// ora" may overlap).
var syncLocks sync.Map // *DB → *sync.Mutex

func (db *DB) syncMutex() *sync.Mutex {
	m, _ := syncLocks.LoadOrStore(db, &sync.Mutex{})
	return m.(*sync.Mutex)
}

// syncTestHook lets tests act between the steps of a sync (remove the
// folder, kill the process). It is nil in the program.
var syncTestHook func(stage string)

func syncStage(stage string) {
	if syncTestHook != nil {
		syncTestHook(stage)
	}
}

const (
	metaSyncFolder    = "sync_folder"     // the shared folder chosen on this PC
	metaSyncFolderOK  = "sync_folder_ok"  // the shared folder where the office folder was found
	metaSyncFileSeq   = "sync_file_seq"   // last change file written by this PC
	metaSyncAuditSent = "sync_audit_sent" // last own audit entry sent
	metaSyncLast      = "sync_last"       // JSON SyncReport of the last sync
	metaSnapshotAt    = "sync_snapshot"   // file seq of this PC's last snapshot
)

// SyncFolder is the shared folder chosen on this PC ("" when none). It is
// kept per PC: the same share may be mapped differently on each.
func (db *DB) SyncFolder(ctx context.Context) string {
	b, _ := db.meta(ctx, metaSyncFolder)
	return string(b)
}

// SetSyncFolder remembers the shared folder of this PC.
func (db *DB) SetSyncFolder(ctx context.Context, dir string) error {
	if _, err := db.sql.ExecContext(ctx, "DELETE FROM meta WHERE key = ?", metaSyncFolderOK); err != nil {
		return err
	}
	if dir == "" {
		_, err := db.sql.ExecContext(ctx, "DELETE FROM meta WHERE key = ?", metaSyncFolder)
		return err
	}
	return setMeta(ctx, db.sql, metaSyncFolder, []byte(dir))
}

// LastSync is the report of the last sync on this PC, if any.
func (db *DB) LastSync(ctx context.Context) (SyncReport, bool) {
	b, err := db.meta(ctx, metaSyncLast)
	if err != nil {
		return SyncReport{}, false
	}
	var r SyncReport
	if json.Unmarshal(b, &r) != nil {
		return SyncReport{}, false
	}
	return r, true
}

func (db *DB) metaInt(ctx context.Context, key string) int64 {
	b, err := db.meta(ctx, key)
	if err != nil || len(b) == 0 {
		return 0
	}
	var n int64
	fmt.Sscan(string(b), &n)
	return n
}

// metaIntTx reads a number from meta inside a transaction (the single
// connection is the transaction's: db.meta would wait for it forever).
func metaIntTx(ctx context.Context, tx querier, key string) int64 {
	var b []byte
	if tx.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = ?", key).Scan(&b) != nil {
		return 0
	}
	var n int64
	fmt.Sscan(string(b), &n)
	return n
}

func setMetaInt(ctx context.Context, x execer, key string, n int64) error {
	return setMeta(ctx, x, key, []byte(fmt.Sprint(n)))
}

// Sync exchanges changes with the other PCs through the shared folder:
// writes this PC's new changes, applies every other PC's files not yet
// applied, refreshes office.json and, now and then, a snapshot for PCs
// that join. Problems with single files are in the report (and the files
// are retried next time); an error means the sync could not run at all.
// A sync creates nothing that needs syncing: it writes no audit entry.
func (s *Session) Sync(ctx context.Context, shared string) (SyncReport, error) {
	rep := SyncReport{Start: s.db.now()}
	keys, err := s.subkeys()
	if err != nil {
		return rep, err
	}
	if strings.TrimSpace(shared) == "" {
		return rep, errors.New("scegliere prima la cartella condivisa")
	}
	mu := s.db.syncMutex()
	mu.Lock()
	defer mu.Unlock()
	s.ensureBackupKey(ctx)
	if _, err := os.Stat(shared); err != nil {
		return rep, s.db.saveReport(ctx, rep, csync.FolderError(err))
	}
	folder := csync.ForOffice(shared, s.db.officeID)
	if err := s.db.officeFolderReady(ctx, shared, folder); err != nil {
		return rep, s.db.saveReport(ctx, rep, err)
	}
	csync.RemoveStaleTemps(folder.DeviceDir(s.db.deviceID), time.Hour)
	err = s.syncSteps(ctx, keys, folder, &rep)
	rep.End = s.db.now()
	return rep, s.db.saveReport(ctx, rep, err)
}

// ErrOfficeFolderGone says the office's folder disappeared from a shared
// folder where it was: most likely a USB stick that is not plugged in, or
// an empty mount point.
var ErrOfficeFolderGone = errors.New("nella cartella condivisa non c'è più la cartella dell'ufficio (CartellaSociale-…): " +
	"controllare che la chiavetta o l'unità di rete sia collegata. Se si vuole usare una cartella nuova, sceglierla di nuovo in Sincronizzazione")

// officeFolderReady makes sure the office folder exists. It creates it the
// first time a shared folder is used; afterwards a missing office folder
// means the wrong place (a stick not plugged in) and nothing is written.
func (db *DB) officeFolderReady(ctx context.Context, shared string, folder csync.Folder) error {
	if _, err := os.Stat(folder.Dir); err == nil {
		if b, _ := db.meta(ctx, metaSyncFolderOK); string(b) != shared {
			setMeta(ctx, db.sql, metaSyncFolderOK, []byte(shared))
		}
		return nil
	}
	if b, _ := db.meta(ctx, metaSyncFolderOK); string(b) == shared {
		return ErrOfficeFolderGone
	}
	if err := csync.Retry(ctx, func() error { return os.Mkdir(folder.Dir, 0o755) }); err != nil {
		return csync.FolderError(err)
	}
	return setMeta(ctx, db.sql, metaSyncFolderOK, []byte(shared))
}

func (db *DB) saveReport(ctx context.Context, rep SyncReport, err error) error {
	if err != nil {
		rep.Problems = append(rep.Problems, err.Error())
	}
	if rep.End.IsZero() {
		rep.End = db.now()
	}
	if b, jerr := json.Marshal(rep); jerr == nil {
		setMeta(ctx, db.sql, metaSyncLast, b)
	}
	return err
}

func (s *Session) syncSteps(ctx context.Context, keys *vault.SubKeys, folder csync.Folder, rep *SyncReport) error {
	if err := s.stampKeyring(ctx); err != nil {
		return err
	}
	// A change file of this PC written just before an interruption, and
	// not noted as written, is applied first, so that numbering goes on
	// after it.
	if err := s.importChanges(ctx, keys, folder, rep, true); err != nil {
		return err
	}
	syncStage("before-export")
	if err := s.exportChanges(ctx, keys, folder, rep); err != nil {
		return err
	}
	syncStage("before-import")
	if err := s.importChanges(ctx, keys, folder, rep, false); err != nil {
		return err
	}
	// Versions made here that lost against one just received still have
	// to reach the others, so that every PC keeps the same conflicts.
	if err := s.exportChanges(ctx, keys, folder, rep); err != nil {
		return err
	}
	syncStage("before-office")
	if err := s.writeOfficeFile(ctx, keys, folder); err != nil {
		rep.Problems = append(rep.Problems, "office.json: "+err.Error())
	}
	if err := s.maybeSnapshot(ctx, keys, folder, rep); err != nil {
		rep.Problems = append(rep.Problems, "istantanea per nuovi computer: "+err.Error())
	}
	return nil
}

// stampKeyring gives keyring changes made here a clock stamp, so that they
// can be merged with the other PCs' ones by time.
func (s *Session) stampKeyring(ctx context.Context) error {
	return s.db.inTx(ctx, func(tx querier) error {
		rows, err := txQuery(ctx, tx, "SELECT login FROM keyring_sync WHERE state = 1")
		if err != nil {
			return err
		}
		var logins [][]byte
		for rows.Next() {
			var l []byte
			if err := rows.Scan(&l); err != nil {
				rows.Close()
				return err
			}
			logins = append(logins, l)
		}
		rows.Close()
		for _, l := range logins {
			if _, err := tx.ExecContext(ctx, "UPDATE keyring_sync SET hlc = ?, device = ?, state = 2 WHERE login = ?",
				int64(s.db.clock.Next()), s.db.deviceID[:], l); err != nil {
				return fmt.Errorf("keyring: %w", err)
			}
		}
		return nil
	})
}

// txQuery runs a multi-row query inside a transaction.
func txQuery(ctx context.Context, tx querier, q string, args ...any) (*sql.Rows, error) {
	t, ok := tx.(*txn)
	if !ok {
		return nil, errors.New("txQuery outside a transaction")
	}
	return t.tx.QueryContext(ctx, q, args...)
}

const recordCols = "id, kind, parent, hlc, device, deleted, schema_v, history, body"

type recScanner interface{ Scan(dest ...any) error }

func scanRecord(sc recScanner) (csync.Record, error) {
	var r csync.Record
	var idb, devb []byte
	var h int64
	var schema int
	if err := sc.Scan(&idb, &r.Kind, &r.Parent, &h, &devb, &r.Deleted, &schema, &r.History, &r.Body); err != nil {
		return r, err
	}
	if len(idb) != 16 || len(devb) != 16 {
		return r, fmt.Errorf("record with bad id: %w", ErrTampered)
	}
	copy(r.ID[:], idb)
	copy(r.Device[:], devb)
	r.HLC, r.Schema = uint64(h), uint16(schema)
	return r, nil
}

// exportChanges writes what changed here since the last export as new
// change files (none when nothing changed).
func (s *Session) exportChanges(ctx context.Context, keys *vault.SubKeys, folder csync.Folder, rep *SyncReport) error {
	db := s.db
	// Record ids in the outbox, each with its highest queue number.
	type queued struct {
		id  ID
		seq int64
	}
	rows, err := db.sql.QueryContext(ctx, "SELECT id, MAX(seq) FROM outbox GROUP BY id ORDER BY MAX(seq)")
	if err != nil {
		return fmt.Errorf("read outbox: %w", err)
	}
	var queue []queued
	for rows.Next() {
		var idb []byte
		var q queued
		if err := rows.Scan(&idb, &q.seq); err != nil {
			rows.Close()
			return fmt.Errorf("read outbox: %w", err)
		}
		copy(q.id[:], idb)
		queue = append(queue, q)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read outbox: %w", err)
	}
	// Own losers still to send, own audit entries, stamped keys.
	var losers []csync.Record
	crows, err := db.sql.QueryContext(ctx, "SELECT "+recordCols+" FROM conflicts WHERE export = 1")
	if err != nil {
		return fmt.Errorf("read conflicts: %w", err)
	}
	for crows.Next() {
		r, err := scanRecord(crows)
		if err != nil {
			crows.Close()
			return err
		}
		losers = append(losers, r)
	}
	crows.Close()
	auditSent := db.metaInt(ctx, metaSyncAuditSent)
	var audits []csync.Audit
	arows, err := db.sql.QueryContext(ctx, "SELECT seq, hlc, body, chain FROM audit WHERE device = ? AND seq > ? ORDER BY seq", db.deviceID[:], auditSent)
	if err != nil {
		return fmt.Errorf("read audit: %w", err)
	}
	for arows.Next() {
		a := csync.Audit{Device: db.deviceID}
		var seq, h int64
		if err := arows.Scan(&seq, &h, &a.Body, &a.Chain); err != nil {
			arows.Close()
			return err
		}
		a.Seq, a.HLC = uint64(seq), uint64(h)
		audits = append(audits, a)
	}
	arows.Close()
	keyEntries, err := db.keyringEntries(ctx, "WHERE ks.state = 2")
	if err != nil {
		return err
	}
	if len(queue) == 0 && len(losers) == 0 && len(audits) == 0 && len(keyEntries) == 0 {
		return nil
	}

	// Fill files up to maxFileBytes each.
	for first := true; first || len(queue) > 0; first = false {
		var recs []csync.Record
		size := 0
		var sentSeq int64
		var sentIDs []ID
		for len(queue) > 0 && size < maxFileBytes {
			n := min(len(queue), 64) // 64 rows: at most 64 MiB of attachment chunks in memory
			batch := queue[:n]
			args := make([]any, n)
			for i, q := range batch {
				args[i] = q.id[:]
			}
			rrows, err := db.sql.QueryContext(ctx, "SELECT "+recordCols+" FROM records WHERE id IN (?"+strings.Repeat(",?", n-1)+")", args...)
			if err != nil {
				return fmt.Errorf("read records: %w", err)
			}
			for rrows.Next() {
				r, err := scanRecord(rrows)
				if err != nil {
					rrows.Close()
					return err
				}
				size += len(r.Body) + 64
				recs = append(recs, r)
			}
			rrows.Close()
			if err := rrows.Err(); err != nil {
				return fmt.Errorf("read records: %w", err)
			}
			for _, q := range batch {
				sentIDs = append(sentIDs, q.id)
				sentSeq = max(sentSeq, q.seq)
			}
			queue = queue[n:]
		}
		// Losers, audit and keys go with the first file.
		var fileLosers []csync.Record
		var fileAudits []csync.Audit
		var fileKeys []csync.Key
		if first {
			fileLosers, fileAudits, fileKeys = losers, audits, keyEntries
		}
		if err := s.writeChangeFile(ctx, keys, folder, recs, fileLosers, fileAudits, fileKeys, sentIDs, sentSeq, rep); err != nil {
			return err
		}
	}
	return nil
}

// nextFileSeq is one more than the highest change file of this PC, in the
// database or in the folder (a file written just before a crash counts).
func (s *Session) nextFileSeq(ctx context.Context, folder csync.Folder) (uint64, error) {
	last := uint64(s.db.metaInt(ctx, metaSyncFileSeq))
	refs, err := folder.DeviceChanges(ctx, s.db.deviceID)
	if err != nil {
		return 0, err
	}
	for _, r := range refs {
		last = max(last, r.Seq)
	}
	return last + 1, nil
}

func (s *Session) writeChangeFile(ctx context.Context, keys *vault.SubKeys, folder csync.Folder, recs, losers []csync.Record,
	audits []csync.Audit, keyEntries []csync.Key, sentIDs []ID, sentSeq int64, rep *SyncReport) error {
	db := s.db
	seq, err := s.nextFileSeq(ctx, folder)
	if err != nil {
		return err
	}
	var maxHLC uint64
	for _, r := range recs {
		maxHLC = max(maxHLC, r.HLC)
	}
	for _, r := range losers {
		maxHLC = max(maxHLC, r.HLC)
	}
	for _, a := range audits {
		maxHLC = max(maxHLC, a.HLC)
	}
	for _, k := range keyEntries {
		maxHLC = max(maxHLC, k.HLC)
	}
	n := len(recs) + len(losers) + len(audits) + len(keyEntries)
	h := csync.Header{Kind: csync.KindChanges, Office: db.officeID, Device: db.deviceID, Seq: seq,
		Count: uint32(n), MaxHLC: maxHLC, Created: db.now()}
	if sentSeq > 0 {
		h.Last = uint64(sentSeq)
	}
	write := func(w ioWriter) error {
		fw, err := csync.NewWriter(w, keys.Sync, h)
		if err != nil {
			return err
		}
		for i := range recs {
			if err := fw.Record(&recs[i]); err != nil {
				return err
			}
		}
		for i := range losers {
			if err := fw.Record(&losers[i]); err != nil {
				return err
			}
		}
		for i := range audits {
			if err := fw.Audit(&audits[i]); err != nil {
				return err
			}
		}
		for i := range keyEntries {
			if err := fw.Key(&keyEntries[i]); err != nil {
				return err
			}
		}
		return fw.Close()
	}
	if err := folder.WriteFile(ctx, folder.DeviceDir(db.deviceID), csync.ChangeName(seq), true, func(w ioWriter) error {
		bw := newBufWriter(w)
		if err := write(bw); err != nil {
			return err
		}
		return bw.Flush()
	}); err != nil {
		return err
	}
	syncStage("after-write")
	// The file is on the share: mark what it carried as sent.
	err = db.inTx(ctx, func(tx querier) error {
		// Every record queued up to sentSeq is in this file or in an
		// earlier one (the queue is taken in order of each record's last
		// queueing); records queued again later keep their later row.
		if len(sentIDs) > 0 {
			if _, err := tx.ExecContext(ctx, "DELETE FROM outbox WHERE seq <= ?", sentSeq); err != nil {
				return err
			}
		}
		for _, r := range losers {
			if _, err := tx.ExecContext(ctx, "UPDATE conflicts SET export = 0 WHERE id = ? AND hlc = ? AND device = ?",
				r.ID[:], int64(r.HLC), r.Device[:]); err != nil {
				return err
			}
		}
		if len(audits) > 0 {
			if err := setMetaInt(ctx, tx, metaSyncAuditSent, int64(audits[len(audits)-1].Seq)); err != nil {
				return err
			}
		}
		for _, k := range keyEntries {
			if _, err := tx.ExecContext(ctx, "UPDATE keyring_sync SET state = 0 WHERE login = ? AND state = 2 AND hlc = ?", k.Login, int64(k.HLC)); err != nil {
				return err
			}
		}
		if err := setMetaInt(ctx, tx, metaSyncFileSeq, int64(seq)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, sqlMarkApplied, db.deviceID[:], int64(seq))
		return err
	})
	if err != nil {
		return fmt.Errorf("after writing the change file: %w", diskErr(err))
	}
	rep.SentFiles++
	rep.Sent += n
	return nil
}

const (
	sqlMarkApplied    = "INSERT OR IGNORE INTO sync_applied(device, seq) VALUES(?, ?)"
	sqlApplyGet       = "SELECT kind, parent, hlc, device, deleted, schema_v, history, body FROM records WHERE id = ?"
	sqlApplyInsert    = "INSERT INTO records(id, kind, parent, hlc, device, deleted, schema_v, history, body) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)"
	sqlApplyUpdate    = "UPDATE records SET parent = ?, hlc = ?, device = ?, deleted = ?, schema_v = ?, history = ?, body = ? WHERE id = ?"
	sqlConflictsOf    = "SELECT hlc, device, history FROM conflicts WHERE id = ?"
	sqlConflictAdd    = "INSERT OR IGNORE INTO conflicts(id, hlc, device, kind, parent, deleted, schema_v, history, body, found, export) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	sqlConflictDelete = "DELETE FROM conflicts WHERE id = ? AND hlc = ? AND device = ?"
	sqlAuditImport    = "INSERT OR IGNORE INTO audit(device, seq, hlc, body, chain) VALUES(?, ?, ?, ?, ?)"
)

func init() {
	hotStatements = append(hotStatements, sqlMarkApplied, sqlApplyGet, sqlApplyInsert, sqlApplyUpdate,
		sqlConflictsOf, sqlConflictAdd, sqlConflictDelete, sqlAuditImport)
}

// appliedSet reads which change files were applied, by device.
func (db *DB) appliedSet(ctx context.Context) (map[ID]map[uint64]bool, error) {
	rows, err := db.sql.QueryContext(ctx, "SELECT device, seq FROM sync_applied")
	if err != nil {
		return nil, fmt.Errorf("read applied files: %w", err)
	}
	defer rows.Close()
	out := map[ID]map[uint64]bool{}
	for rows.Next() {
		var devb []byte
		var seq int64
		if err := rows.Scan(&devb, &seq); err != nil {
			return nil, err
		}
		var dev ID
		copy(dev[:], devb)
		if out[dev] == nil {
			out[dev] = map[uint64]bool{}
		}
		out[dev][uint64(seq)] = true
	}
	return out, rows.Err()
}

// importChanges applies every change file not applied yet (only this PC's
// own when ownOnly).
func (s *Session) importChanges(ctx context.Context, keys *vault.SubKeys, folder csync.Folder, rep *SyncReport, ownOnly bool) error {
	db := s.db
	refs, err := folder.Changes(ctx)
	if err != nil {
		return err
	}
	applied, err := db.appliedSet(ctx)
	if err != nil {
		return err
	}
	for _, ref := range refs {
		if applied[ref.Device][ref.Seq] || (ownOnly && ID(ref.Device) != db.deviceID) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		name := ref.Name(folder)
		syncStage("before-file")
		data, err := csync.ReadFile(ctx, ref.Path)
		if err != nil {
			if _, serr := os.Stat(folder.Dir); serr != nil {
				return csync.FolderError(serr)
			}
			rep.Problems = append(rep.Problems, fmt.Sprintf("file %s: non leggibile (%v); verrà riprovato alla prossima sincronizzazione", name, csync.FolderError(err)))
			continue
		}
		h, entries, err := csync.Decode(data, keys.Sync, db.officeID)
		clear(data)
		if err == nil && (h.Kind != csync.KindChanges || h.Device != ref.Device || h.Seq != ref.Seq) {
			err = errors.New("il contenuto non corrisponde al nome del file (file spostato o rinominato)")
		}
		if err != nil {
			rep.Problems = append(rep.Problems, fmt.Sprintf("file %s: %v. Non è stato applicato nulla; verrà riprovato alla prossima sincronizzazione.", name, err))
			continue
		}
		if ahead := HLC(h.MaxHLC).Wall().Sub(db.now()); ahead > MaxClockAhead {
			rep.Problems = append(rep.Problems, fmt.Sprintf("file %s: ha data e ora di %s, più di un giorno avanti rispetto a questo computer. "+
				"Controllare data e ora dei computer; il file verrà applicato quando gli orologi saranno corretti.",
				name, HLC(h.MaxHLC).Wall().Local().Format("02/01/2006 15:04")))
			continue
		}
		res, err := s.applyEntries(ctx, keys, entries, ref.Device, ref.Seq)
		if err != nil {
			return fmt.Errorf("file %s: %w", name, err)
		}
		rep.ReceivedFiles++
		rep.Received += res.changed
		rep.Conflicts += res.conflicts
		rep.Problems = append(rep.Problems, res.problems...)
	}
	return nil
}

type applyResult struct {
	changed, conflicts int
	maxHLC             HLC
	problems           []string
}

// applyEntries applies a verified file's entries in one transaction and
// marks the file applied (seq 0: a snapshot, not marked here).
func (s *Session) applyEntries(ctx context.Context, keys *vault.SubKeys, entries []csync.Entry, dev [16]byte, seq uint64) (applyResult, error) {
	var res applyResult
	var after []func()
	var persons []Person
	var removed []ID
	err := s.db.inTx(ctx, func(tx querier) error {
		res, after, persons, removed = applyResult{}, nil, nil, nil
		a := &applier{s: s, tx: tx, keys: keys, now: s.db.clock.Next()}
		for _, e := range entries {
			var err error
			switch {
			case e.Record != nil:
				err = a.record(ctx, e.Record)
			case e.Audit != nil:
				err = a.audit(ctx, e.Audit)
			case e.Key != nil:
				err = a.key(ctx, e.Key)
			}
			if err != nil {
				return err
			}
		}
		if seq > 0 {
			if _, err := tx.ExecContext(ctx, sqlMarkApplied, dev[:], int64(seq)); err != nil {
				return fmt.Errorf("mark applied: %w", err)
			}
			if ID(dev) == s.db.deviceID && int64(seq) > metaIntTx(ctx, tx, metaSyncFileSeq) {
				if err := setMetaInt(ctx, tx, metaSyncFileSeq, int64(seq)); err != nil {
					return err
				}
			}
		}
		res = a.res
		after, persons, removed = a.after, a.persons, a.removed
		return nil
	})
	if err != nil {
		return applyResult{}, diskErr(err)
	}
	s.db.clock.Observe(res.maxHLC)
	s.indexPutMany(persons)
	for _, id := range removed {
		s.indexRemove(id)
	}
	for _, f := range after {
		f()
	}
	return res, nil
}

// applier merges incoming versions inside one transaction.
type applier struct {
	s       *Session
	tx      querier
	keys    *vault.SubKeys
	now     HLC
	res     applyResult
	after   []func()
	persons []Person // applied persons, for the in-memory index in one go
	removed []ID

	cloneSeen bool
}

type localVersion struct {
	kind    string
	parent  []byte
	hlc     HLC
	dev     ID
	deleted bool
	schema  int
	history []byte
	body    []byte
}

// newer orders versions: the higher clock wins, the device id breaks ties.
func newer(h1 HLC, d1 ID, h2 HLC, d2 ID) bool {
	if h1 != h2 {
		return h1 > h2
	}
	return bytes.Compare(d1[:], d2[:]) > 0
}

func (a *applier) record(ctx context.Context, r *csync.Record) error {
	a.res.maxHLC = max(a.res.maxHLC, HLC(r.HLC))
	var cur localVersion
	var devb []byte
	var h int64
	err := a.tx.QueryRowContext(ctx, sqlApplyGet, r.ID[:]).Scan(&cur.kind, &cur.parent, &h, &devb, &cur.deleted, &cur.schema, &cur.history, &cur.body)
	if errors.Is(err, sql.ErrNoRows) {
		if _, err := a.tx.ExecContext(ctx, sqlApplyInsert, r.ID[:], r.Kind, nullBlob(r.Parent), int64(r.HLC), r.Device[:],
			r.Deleted, int(r.Schema), r.History, r.Body); err != nil {
			return fmt.Errorf("apply %s: %w", r.Kind, err)
		}
		a.res.changed++
		return a.derived(ctx, r)
	}
	if err != nil {
		return fmt.Errorf("apply %s: %w", r.Kind, err)
	}
	cur.hlc = HLC(h)
	copy(cur.dev[:], devb)
	rid, rdev, rh := ID(r.ID), ID(r.Device), HLC(r.HLC)
	if cur.kind != r.Kind {
		a.res.problems = append(a.res.problems, fmt.Sprintf("un record ricevuto (id %s) ha un tipo diverso da quello di questo computer: ignorato", rid))
		return nil
	}
	if cur.hlc == rh && cur.dev == rdev {
		return nil // already here
	}
	vR := historyOf(r.History, rdev, rh)
	vL := historyOf(cur.history, cur.dev, cur.hlc)
	switch {
	case vR.seen(cur.dev, cur.hlc):
		// A later edit of what this PC has: take it.
		if err := a.replace(ctx, r); err != nil {
			return err
		}
		return a.prune(ctx, rid, vR)
	case vL.seen(rdev, rh):
		return nil // an older version of what this PC has
	}
	// Neither has seen the other: concurrent changes. The later wins on
	// every PC alike; the other is kept for review.
	loser := csync.Record{ID: r.ID, Kind: cur.kind, Parent: cur.parent, HLC: uint64(cur.hlc), Device: cur.dev,
		Deleted: cur.deleted, Schema: uint16(cur.schema), History: cur.history, Body: cur.body}
	madeHere := false
	if newer(rh, rdev, cur.hlc, cur.dev) {
		if err := a.replace(ctx, r); err != nil {
			return err
		}
		if err := a.prune(ctx, rid, vR); err != nil {
			return err
		}
		// A version made here that lost may not have left this PC yet.
		madeHere = cur.dev == a.s.db.deviceID
	} else {
		loser = *r
	}
	if AppendOnly(r.Kind) {
		return nil
	}
	return a.addConflict(ctx, &loser, madeHere)
}

func nullBlob(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

func (a *applier) replace(ctx context.Context, r *csync.Record) error {
	if _, err := a.tx.ExecContext(ctx, sqlApplyUpdate, nullBlob(r.Parent), int64(r.HLC), r.Device[:], r.Deleted, int(r.Schema),
		r.History, r.Body, r.ID[:]); err != nil {
		return fmt.Errorf("apply %s: %w", r.Kind, err)
	}
	a.res.changed++
	return a.derived(ctx, r)
}

// derived rebuilds blind indexes and the in-memory index of an applied version.
func (a *applier) derived(ctx context.Context, r *csync.Record) error {
	if r.Kind == kindPerson {
		// Persons are the bulk of an office: their index is updated in one go.
		if r.Deleted {
			if _, err := a.tx.ExecContext(ctx, "DELETE FROM lookup WHERE id = ?", r.ID[:]); err != nil {
				return fmt.Errorf("lookup: %w", err)
			}
			a.removed = append(a.removed, ID(r.ID))
			return nil
		}
		plain, err := vault.Open(a.keys.Records, r.Body, recordAD(ID(r.ID), r.Kind, int(r.Schema)))
		if err != nil {
			return fmt.Errorf("open %s %s: %w", r.Kind, ID(r.ID), ErrTampered)
		}
		var p Person
		err = json.Unmarshal(plain, &p)
		clear(plain)
		if err != nil {
			return fmt.Errorf("decode person %s: %w", ID(r.ID), err)
		}
		p.ID = ID(r.ID)
		if err := a.s.setLookup(ctx, a.tx, a.keys, p.ID, lookupCF, canonicalCF(p.CodiceFiscale)); err != nil {
			return err
		}
		a.persons = append(a.persons, p)
		return nil
	}
	fn := syncHooks[r.Kind]
	if fn == nil {
		return nil
	}
	var plain []byte
	if !r.Deleted {
		var err error
		plain, err = vault.Open(a.keys.Records, r.Body, recordAD(ID(r.ID), r.Kind, int(r.Schema)))
		if err != nil {
			return fmt.Errorf("open %s %s: %w", r.Kind, ID(r.ID), ErrTampered)
		}
		defer clear(plain)
	}
	after, err := fn(a.s, ctx, a.tx, a.keys, ID(r.ID), plain)
	if err != nil {
		return err
	}
	if after != nil {
		a.after = append(a.after, after)
	}
	return nil
}

type conflictKey struct {
	hlc HLC
	dev ID
	vv  history
}

func (a *applier) conflictsOf(ctx context.Context, id ID) ([]conflictKey, error) {
	rows, err := txQuery(ctx, a.tx, sqlConflictsOf, id[:])
	if err != nil {
		return nil, fmt.Errorf("read conflicts: %w", err)
	}
	defer rows.Close()
	var out []conflictKey
	for rows.Next() {
		var h int64
		var devb, base []byte
		if err := rows.Scan(&h, &devb, &base); err != nil {
			return nil, err
		}
		var c conflictKey
		c.hlc = HLC(h)
		copy(c.dev[:], devb)
		c.vv = historyOf(base, c.dev, c.hlc)
		out = append(out, c)
	}
	return out, rows.Err()
}

// prune drops the kept versions that the record's new version has seen:
// whoever made it had them in front of them (a resolved conflict).
func (a *applier) prune(ctx context.Context, id ID, v history) error {
	cs, err := a.conflictsOf(ctx, id)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if v.seen(c.dev, c.hlc) {
			if _, err := a.tx.ExecContext(ctx, sqlConflictDelete, id[:], int64(c.hlc), c.dev[:]); err != nil {
				return err
			}
		}
	}
	return nil
}

// addConflict keeps a losing version unless a kept one already contains it;
// kept versions it contains are dropped (only the latest of a line counts).
func (a *applier) addConflict(ctx context.Context, r *csync.Record, export bool) error {
	id, dev, h := ID(r.ID), ID(r.Device), HLC(r.HLC)
	cs, err := a.conflictsOf(ctx, id)
	if err != nil {
		return err
	}
	v := historyOf(r.History, dev, h)
	for _, c := range cs {
		if c.vv.seen(dev, h) {
			return nil
		}
	}
	for _, c := range cs {
		if v.seen(c.dev, c.hlc) {
			if _, err := a.tx.ExecContext(ctx, sqlConflictDelete, id[:], int64(c.hlc), c.dev[:]); err != nil {
				return err
			}
		}
	}
	if _, err := a.tx.ExecContext(ctx, sqlConflictAdd, id[:], int64(h), dev[:], r.Kind, nullBlob(r.Parent), r.Deleted,
		int(r.Schema), r.History, r.Body, int64(a.now), export); err != nil {
		return fmt.Errorf("keep conflict: %w", err)
	}
	a.res.conflicts++
	return nil
}

func (a *applier) audit(ctx context.Context, e *csync.Audit) error {
	a.res.maxHLC = max(a.res.maxHLC, HLC(e.HLC))
	if e.Seq == 0 || e.Seq > 1<<62 {
		return nil
	}
	if ID(e.Device) == a.s.db.deviceID {
		// This PC's own entries come back only in a file it wrote: they
		// must be the ones it has. Otherwise another PC uses this PC's
		// identity (a copied data folder) and its entries are not mixed in.
		var chain []byte
		err := a.tx.QueryRowContext(ctx, "SELECT chain FROM audit WHERE device = ? AND seq = ?", e.Device[:], int64(e.Seq)).Scan(&chain)
		if err != nil || !bytes.Equal(chain, e.Chain) {
			if !a.cloneSeen {
				a.cloneSeen = true
				a.res.problems = append(a.res.problems, "un file porta il nome di questo computer ma non l'ha scritto questo computer: "+
					"probabilmente la cartella dei dati è stata copiata da un altro PC. Sull'altro PC usare «Unisciti a un ufficio esistente» invece della copia.")
			}
		}
		return nil
	}
	if _, err := a.tx.ExecContext(ctx, sqlAuditImport, e.Device[:], int64(e.Seq), int64(e.HLC), e.Body, e.Chain); err != nil {
		return fmt.Errorf("apply audit: %w", err)
	}
	return nil
}

// key merges a wrapped key: the later stamp wins.
func (a *applier) key(ctx context.Context, k *csync.Key) error {
	a.res.maxHLC = max(a.res.maxHLC, HLC(k.HLC))
	var h int64
	var devb []byte
	err := a.tx.QueryRowContext(ctx, "SELECT hlc, device FROM keyring_sync WHERE login = ?", k.Login).Scan(&h, &devb)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("keyring: %w", err)
	}
	if err == nil {
		var dev ID
		copy(dev[:], devb)
		if !newer(HLC(k.HLC), ID(k.Device), HLC(h), dev) {
			return nil
		}
	}
	if len(k.Wrapped) == 0 {
		if _, err := a.tx.ExecContext(ctx, "DELETE FROM keyring WHERE login = ?", k.Login); err != nil {
			return fmt.Errorf("keyring: %w", err)
		}
	} else {
		var w vault.Wrapped
		if w.UnmarshalBinary(k.Wrapped) != nil {
			a.res.problems = append(a.res.problems, "una chiave di accesso ricevuta non è valida: ignorata")
			return nil
		}
		if err := putWrapped(ctx, a.tx, k.Login, ID(k.Operator), w); err != nil {
			return err
		}
	}
	_, err = a.tx.ExecContext(ctx, `INSERT INTO keyring_sync(login, hlc, device, state) VALUES(?, ?, ?, 0)
		ON CONFLICT(login) DO UPDATE SET hlc = excluded.hlc, device = excluded.device, state = 0`, k.Login, int64(k.HLC), k.Device[:])
	return err
}

// writeOfficeFile refreshes office.json when its keys or label differ from
// this PC's.
func (s *Session) writeOfficeFile(ctx context.Context, keys *vault.SubKeys, folder csync.Folder) error {
	o, err := s.db.officeFile(ctx)
	if err != nil {
		return err
	}
	if old, err := folder.ReadOffice(ctx); err == nil && old.Verify(keys.Sync) {
		a, b := *old, *o
		a.Updated, b.Updated, a.MAC, b.MAC = time.Time{}, time.Time{}, nil, nil
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if bytes.Equal(ja, jb) {
			return nil
		}
	}
	o.Updated = s.db.now().UTC()
	o.Sign(keys.Sync)
	return folder.WriteOffice(ctx, o)
}

// officeFile builds office.json from this PC's keyring.
func (db *DB) officeFile(ctx context.Context) (*csync.OfficeFile, error) {
	kdf, err := db.meta(ctx, "kdf_params")
	if err != nil {
		return nil, err
	}
	o := &csync.OfficeFile{Format: csync.OfficeFormat, Office: db.officeID.String(), Label: db.OfficeLabel(ctx), KDF: kdf}
	rows, err := db.sql.QueryContext(ctx, "SELECT login, operator_id, wrapped FROM keyring ORDER BY login")
	if err != nil {
		return nil, fmt.Errorf("read keyring: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var login, op, w []byte
		if err := rows.Scan(&login, &op, &w); err != nil {
			return nil, err
		}
		if bytes.Equal(login, recoveryLogin) {
			o.Recovery = w
			continue
		}
		o.Keys = append(o.Keys, csync.OfficeKey{Login: fmt.Sprintf("%x", login), Operator: fmt.Sprintf("%x", op), Wrapped: w})
	}
	sort.Slice(o.Keys, func(i, j int) bool { return o.Keys[i].Login < o.Keys[j].Login })
	return o, rows.Err()
}

// ConflictCount is the number of conflicts waiting for review that the
// operator may see (see Conflicts).
func (s *Session) ConflictCount(ctx context.Context) int {
	cs, err := s.Conflicts(ctx)
	if err != nil {
		return 0
	}
	return len(cs)
}
