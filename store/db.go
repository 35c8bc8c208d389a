// Package store is the office's record: domain types, their rules and their
// encrypted persistence in a local SQLite database.
//
// A DB is the opened database before login; a Session is what an operator
// gets after typing the right password, and holds the keys in memory until
// it is locked. Everything that describes a person is sealed with the office
// key before it reaches SQLite.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"cartella/assets"
)

// DBFileName is the database inside the data folder.
const DBFileName = "cartella.db"

// DB is an open data folder: the SQLite database, the single-instance lock
// and what can be read without a password.
type DB struct {
	dir    string
	sql    *sql.DB
	lock   *instanceLock
	clock  *clock
	places *assets.Places

	officeID ID
	deviceID ID

	stmts map[string]*sql.Stmt // read-only after Open

	tailMu    sync.Mutex
	auditTail *auditHead // where this device's audit chain ends, once known

	mu       sync.Mutex // guards the login throttle
	failures int
	notUntil time.Time
	now      func() time.Time
}

// Options tune Open; the zero value is what the program uses.
type Options struct {
	// Now replaces the wall clock (tests of idle lock, HLC skew).
	Now func() time.Time
}

// Open opens (creating if needed) the database in dir, takes the
// single-instance lock and brings the schema up to date.
func Open(ctx context.Context, dir string, opt Options) (*DB, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	lock, err := acquireInstanceLock(dir)
	if err != nil {
		return nil, err
	}
	sdb, err := openSQL(filepath.Join(dir, DBFileName))
	if err != nil {
		lock.release()
		return nil, err
	}
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	db := &DB{dir: dir, sql: sdb, lock: lock, now: now, places: assets.LoadPlaces()}
	if err := migrate(ctx, sdb, db.beforeMigration); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.loadIdentity(ctx); err != nil {
		db.Close()
		return nil, err
	}
	db.ClearViewing() // left over by a crash
	if err := db.prepare(ctx); err != nil {
		db.Close()
		return nil, err
	}
	var last int64
	if err := sdb.QueryRowContext(ctx, "SELECT COALESCE(MAX(hlc),0) FROM records").Scan(&last); err != nil {
		db.Close()
		return nil, fmt.Errorf("read clock: %w", err)
	}
	db.clock = newClock(now, HLC(last))
	return db, nil
}

func openSQL(path string) (*sql.DB, error) {
	q := url.Values{}
	for _, p := range []string{
		"busy_timeout(10000)",
		"journal_mode(WAL)",
		"synchronous(FULL)", // a save that returned survives a power cut
		"foreign_keys(ON)",
		"secure_delete(ON)", // freed pages are zeroed, no stale ciphertext or metadata
		"temp_store(MEMORY)",
	} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	dsn := "file:" + filepath.ToSlash(path) + "?" + q.Encode()
	sdb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	// One writer at a time is SQLite's model anyway; a single connection
	// also keeps every PRAGMA on the connection we use.
	sdb.SetMaxOpenConns(1)
	if err := sdb.Ping(); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	return sdb, nil
}

// Close closes the database and releases the lock. Sessions of this DB
// must be locked first.
func (db *DB) Close() error {
	db.ClearViewing()
	var err error
	for _, st := range db.stmts {
		st.Close()
	}
	db.stmts = nil
	if db.sql != nil {
		// Fold the WAL back so the folder holds one self-contained file.
		db.sql.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
		err = db.sql.Close()
		db.sql = nil
	}
	if e := db.lock.release(); err == nil {
		err = e
	}
	return err
}

// Dir is the data folder.
func (db *DB) Dir() string { return db.dir }

// HasOffice tells whether an office was created in this folder.
func (db *DB) HasOffice() bool { return !db.officeID.IsZero() }

// OfficeID identifies the office; it is the same on every PC of the office.
func (db *DB) OfficeID() ID { return db.officeID }

// DeviceID identifies this installation.
func (db *DB) DeviceID() ID { return db.deviceID }

// Places is the reference table of comuni and foreign states.
func (db *DB) Places() *assets.Places { return db.places }

// OfficeLabel is the office's public name shown on the login window.
func (db *DB) OfficeLabel(ctx context.Context) string {
	b, _ := db.meta(ctx, "office_label")
	return string(b)
}

func (db *DB) loadIdentity(ctx context.Context) error {
	for key, dst := range map[string]*ID{"office_id": &db.officeID, "device_id": &db.deviceID} {
		b, err := db.meta(ctx, key)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if *dst, err = idFromBytes(b); err != nil {
			return fmt.Errorf("meta %s: %w", key, err)
		}
	}
	return nil
}

func (db *DB) meta(ctx context.Context, key string) ([]byte, error) {
	var v []byte
	err := db.sql.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("read meta %s: %w", key, err)
	}
	return v, nil
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

const sqlSetMeta = "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"

func setMeta(ctx context.Context, x execer, key string, value []byte) error {
	_, err := x.ExecContext(ctx, sqlSetMeta, key, value)
	if err != nil {
		return fmt.Errorf("write meta %s: %w", key, err)
	}
	return nil
}

// txn is a transaction whose statements are prepared once per database
// and reused: parsing SQL is a good part of a save's CPU time.
type txn struct {
	db   *DB
	tx   *sql.Tx
	tail *auditHead // the audit chain's new end, published on commit
}

// hotStatements are prepared once at open, while the single connection is
// free (preparing inside a transaction would wait for it forever).
var hotStatements = []string{
	sqlPutRecord, sqlQueueOutbox, sqlInsertAudit, sqlSetMeta,
	sqlLookupGet, sqlLookupDelete, sqlLookupInsert,
}

func (db *DB) prepare(ctx context.Context) error {
	db.stmts = make(map[string]*sql.Stmt, len(hotStatements))
	for _, q := range hotStatements {
		st, err := db.sql.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
		db.stmts[q] = st
	}
	return nil
}

func (t *txn) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if st, ok := t.db.stmts[q]; ok {
		return t.tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, q, args...)
}

func (t *txn) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if st, ok := t.db.stmts[q]; ok {
		return t.tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, q, args...)
}

// inTx runs fn in one IMMEDIATE transaction: either all of it lands or none.
func (db *DB) inTx(ctx context.Context, fn func(tx querier) error) error {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", diskErr(err))
	}
	t := &txn{db: db, tx: tx}
	if err := fn(t); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", diskErr(err))
	}
	if t.tail != nil {
		db.tailMu.Lock()
		db.auditTail = t.tail
		db.tailMu.Unlock()
	}
	return nil
}
