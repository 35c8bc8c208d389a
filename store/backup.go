package store

import (
	"bufio"
	"bytes"
	"context"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"golang.org/x/crypto/chacha20poly1305"

	"cartella/store/vault"
)

// Backups (DESIGN.md §2): a copy of the whole database, sealed so that
// only the office key opens it, with the wrapped keys in its header so
// that an operator's password (or the recovery code) opens it on any PC.
//
// The copy is made with SQLite's VACUUM INTO into a temporary file inside
// the data folder, then streamed, sealed, into the backup file; the
// temporary file is removed. Sealing uses a public key (X25519) kept in
// the database, whose private half is derived from the office key: that
// is what lets the program take a backup before a schema migration, when
// nobody has logged in yet.
//
// File: "CSBK" | version u16 | 0 u16 | office id | device id | created ms |
// schema u32 | ephemeral X25519 public key | label | KDF params | wrapped
// keys — then frames u32 length ‖ XChaCha20-Poly1305 box, each bound to
// the header hash, its index and a final flag. The first bytes of the
// sealed stream are a JSON summary (date, reason, counts) for the preview.

const (
	backupMagic   = "CSBK"
	backupVersion = 1
	// BackupExt is the extension of backup files.
	BackupExt = ".csbak"
	// BackupsKept is how many backups the data folder keeps.
	BackupsKept = 10
	// BackupEvery is the age after which the automatic backup runs again.
	BackupEvery = 24 * time.Hour
	// BackupDirName is the folder of automatic backups in the data folder.
	BackupDirName = "backups"

	metaBackupPub = "backup_pub"
	backupFrame   = 1 << 20
)

// Reasons of automatic backups, in file names.
const (
	BackupDaily         = "giornaliero"
	BackupBeforeMigrate = "prima-aggiornamento"
	BackupBeforeRestore = "prima-ripristino"
	BackupManual        = "manuale"
)

// Backup errors, in Italian.
var (
	ErrBackupCorrupt = errors.New("il file di backup è danneggiato, incompleto o alterato: non è stato ripristinato nulla")
	ErrNotBackup     = errors.New("il file scelto non è un backup di Cartella Sociale")
	ErrBackupNewer   = errors.New("il backup è stato fatto con una versione più recente di Cartella Sociale: aggiornare il programma prima di ripristinarlo")
	ErrBackupOffice  = errors.New("il backup appartiene a un altro ufficio: per ripristinarlo usare una cartella dei dati vuota")
	ErrNoBackupKey   = errors.New("il backup cifrato sarà disponibile dopo il primo accesso di un operatore su questo computer")
)

// backupPrivate derives the backup key pair from the office key.
func backupPrivate(keys *vault.SubKeys) (*ecdh.PrivateKey, error) {
	b := vault.MAC(keys.Local, []byte("backup-x25519|v1"))
	if b == nil {
		return nil, ErrLocked
	}
	defer clear(b)
	return ecdh.X25519().NewPrivateKey(b)
}

// ensureBackupKey stores the backup public key (local, not synced).
func (s *Session) ensureBackupKey(ctx context.Context) error {
	keys, err := s.subkeys()
	if err != nil {
		return err
	}
	priv, err := backupPrivate(keys)
	if err != nil {
		return err
	}
	pub := priv.PublicKey().Bytes()
	if have, err := s.db.meta(ctx, metaBackupPub); err == nil && bytes.Equal(have, pub) {
		return nil
	}
	return setMeta(ctx, s.db.sql, metaBackupPub, pub)
}

// PrepareBackups makes sure automatic backups can run on this PC; the
// program calls it after every login.
func (s *Session) PrepareBackups(ctx context.Context) error { return s.ensureBackupKey(ctx) }

// BackupSummary is what a backup holds, shown before restoring it.
type BackupSummary struct {
	Created      time.Time      `json:"created"`
	Reason       string         `json:"reason"`
	OfficeLabel  string         `json:"office"`
	Schema       int            `json:"schema"`
	Counts       map[string]int `json:"counts"`
	Deleted      int            `json:"deleted"`
	AuditEntries int            `json:"audit"`
	Size         int64          `json:"size"`
}

type backupKey struct {
	login    []byte
	operator ID
	wrapped  []byte
}

type backupHeader struct {
	office, device ID
	created        time.Time
	schema         uint32
	ephemeral      []byte
	label          string
	kdf            []byte
	keys           []backupKey
	raw            []byte
}

func (h *backupHeader) encode() []byte {
	b := []byte(backupMagic)
	b = binary.BigEndian.AppendUint16(b, backupVersion)
	b = binary.BigEndian.AppendUint16(b, 0)
	b = append(b, h.office[:]...)
	b = append(b, h.device[:]...)
	b = binary.BigEndian.AppendUint64(b, uint64(h.created.UnixMilli()))
	b = binary.BigEndian.AppendUint32(b, h.schema)
	b = append(b, h.ephemeral...)
	b = binary.BigEndian.AppendUint16(b, uint16(len(h.label)))
	b = append(b, h.label...)
	b = binary.BigEndian.AppendUint16(b, uint16(len(h.kdf)))
	b = append(b, h.kdf...)
	b = binary.BigEndian.AppendUint16(b, uint16(len(h.keys)))
	for _, k := range h.keys {
		b = append(b, byte(len(k.login)))
		b = append(b, k.login...)
		b = append(b, k.operator[:]...)
		b = binary.BigEndian.AppendUint16(b, uint16(len(k.wrapped)))
		b = append(b, k.wrapped...)
	}
	// The header's own length closes it, so that it is read exactly.
	return binary.BigEndian.AppendUint32(b, uint32(len(b)+4))
}

func readBackupHeader(r *bufio.Reader) (*backupHeader, error) {
	fixed := make([]byte, 4+2+2+16+16+8+4+32)
	if _, err := io.ReadFull(r, fixed); err != nil {
		if len(fixed) >= 4 && string(fixed[:4]) != backupMagic {
			return nil, ErrNotBackup
		}
		return nil, ErrBackupCorrupt
	}
	if string(fixed[:4]) != backupMagic {
		return nil, ErrNotBackup
	}
	if v := binary.BigEndian.Uint16(fixed[4:]); v > backupVersion {
		return nil, ErrBackupNewer
	} else if v == 0 {
		return nil, ErrBackupCorrupt
	}
	h := &backupHeader{}
	copy(h.office[:], fixed[8:24])
	copy(h.device[:], fixed[24:40])
	h.created = time.UnixMilli(int64(binary.BigEndian.Uint64(fixed[40:]))).UTC()
	h.schema = binary.BigEndian.Uint32(fixed[48:])
	h.ephemeral = bytes.Clone(fixed[52:84])
	raw := bytes.Clone(fixed)
	read := func(n int) ([]byte, error) {
		b := make([]byte, n)
		if _, err := io.ReadFull(r, b); err != nil {
			return nil, ErrBackupCorrupt
		}
		raw = append(raw, b...)
		return b, nil
	}
	u16 := func() (int, error) {
		b, err := read(2)
		if err != nil {
			return 0, err
		}
		return int(binary.BigEndian.Uint16(b)), nil
	}
	n, err := u16()
	if err != nil {
		return nil, err
	}
	lb, err := read(n)
	if err != nil {
		return nil, err
	}
	h.label = string(lb)
	if n, err = u16(); err != nil {
		return nil, err
	}
	if h.kdf, err = read(n); err != nil {
		return nil, err
	}
	nk, err := u16()
	if err != nil {
		return nil, err
	}
	for range nk {
		l, err := read(1)
		if err != nil {
			return nil, err
		}
		var k backupKey
		if k.login, err = read(int(l[0])); err != nil {
			return nil, err
		}
		op, err := read(16)
		if err != nil {
			return nil, err
		}
		copy(k.operator[:], op)
		wl, err := u16()
		if err != nil {
			return nil, err
		}
		if k.wrapped, err = read(wl); err != nil {
			return nil, err
		}
		h.keys = append(h.keys, k)
	}
	tail, err := read(4)
	if err != nil {
		return nil, err
	}
	if int(binary.BigEndian.Uint32(tail)) != len(raw) {
		return nil, ErrBackupCorrupt
	}
	h.raw = raw
	return h, nil
}

// backupAEAD is XChaCha20-Poly1305 under the key agreed for one backup.
func backupAEAD(shared, ephemeral, pub []byte) (cipher.AEAD, error) {
	salt := append(bytes.Clone(ephemeral), pub...)
	k, err := hkdf.Key(sha256.New, shared, salt, "cartella/backup/v1", vault.KeySize)
	if err != nil {
		return nil, err
	}
	defer clear(k)
	return chacha20poly1305.NewX(k)
}

func sealFrame(aead cipher.AEAD, plain, ad []byte) ([]byte, error) {
	out := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plain)+aead.Overhead())
	if _, err := rand.Read(out); err != nil {
		return nil, err
	}
	return aead.Seal(out, out[:aead.NonceSize()], plain, ad), nil
}

func openFrame(aead cipher.AEAD, box, ad []byte) ([]byte, error) {
	if len(box) < aead.NonceSize()+aead.Overhead() {
		return nil, ErrBackupCorrupt
	}
	return aead.Open(nil, box[:aead.NonceSize()], box[aead.NonceSize():], ad)
}

func backupFrameAD(hdrHash []byte, index uint64, final bool) []byte {
	ad := binary.BigEndian.AppendUint64(bytes.Clone(hdrHash), index)
	if final {
		return append(ad, 1)
	}
	return append(ad, 0)
}

// BackupDir is where automatic backups are kept.
func (db *DB) BackupDir() string { return filepath.Join(db.dir, BackupDirName) }

// sqlCounts counts live records by kind, tombstones and audit entries.
func sqlCounts(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, sum *BackupSummary) error {
	sum.Counts = map[string]int{}
	rows, err := q.QueryContext(ctx, "SELECT kind, deleted, COUNT(*) FROM records GROUP BY kind, deleted")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var kind string
		var del bool
		var n int
		if err := rows.Scan(&kind, &del, &n); err != nil {
			return err
		}
		if del {
			sum.Deleted += n
		} else {
			sum.Counts[kind] = n
		}
	}
	return q.QueryRowContext(ctx, "SELECT COUNT(*) FROM audit").Scan(&sum.AuditEntries)
}

// WriteBackup writes a sealed backup of the whole database to w. It needs
// no login once an operator has logged in on this PC (the public key).
func (db *DB) WriteBackup(ctx context.Context, w io.Writer, reason string) (BackupSummary, error) {
	sum := BackupSummary{Reason: reason, Created: db.now().UTC()}
	pub, err := db.meta(ctx, metaBackupPub)
	if err != nil {
		return sum, ErrNoBackupKey
	}
	peer, err := ecdh.X25519().NewPublicKey(pub)
	if err != nil {
		return sum, ErrNoBackupKey
	}
	h := &backupHeader{created: sum.Created}
	for key, dst := range map[string]*ID{"office_id": &h.office, "device_id": &h.device} {
		b, err := db.meta(ctx, key)
		if err != nil || len(b) != 16 {
			return sum, ErrNoOffice
		}
		copy(dst[:], b)
	}
	h.kdf, _ = db.meta(ctx, "kdf_params")
	label, _ := db.meta(ctx, "office_label")
	h.label = string(label)
	sum.OfficeLabel = h.label
	var schema int
	if err := db.sql.QueryRowContext(ctx, "PRAGMA user_version").Scan(&schema); err != nil {
		return sum, fmt.Errorf("backup: %w", err)
	}
	h.schema, sum.Schema = uint32(schema), schema
	krows, err := db.sql.QueryContext(ctx, "SELECT login, operator_id, wrapped FROM keyring ORDER BY login")
	if err != nil {
		return sum, fmt.Errorf("backup: %w", err)
	}
	for krows.Next() {
		var k backupKey
		var op []byte
		if err := krows.Scan(&k.login, &op, &k.wrapped); err != nil {
			krows.Close()
			return sum, fmt.Errorf("backup: %w", err)
		}
		copy(k.operator[:], op)
		h.keys = append(h.keys, k)
	}
	krows.Close()
	if err := sqlCounts(ctx, db.sql, &sum); err != nil {
		return sum, fmt.Errorf("backup: %w", err)
	}
	// The copy: inside the data folder, removed at once.
	if err := os.MkdirAll(db.BackupDir(), 0o700); err != nil {
		return sum, fmt.Errorf("backup: %w", err)
	}
	tmp := filepath.Join(db.BackupDir(), ".copia-"+NewID().String()[:12]+".tmp")
	defer os.Remove(tmp)
	if _, err := db.sql.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
		return sum, fmt.Errorf("backup: copia del database: %w", diskErr(err))
	}
	f, err := os.Open(tmp)
	if err != nil {
		return sum, fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil {
		sum.Size = info.Size()
	}
	eph, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		return sum, err
	}
	shared, err := eph.ECDH(peer)
	if err != nil {
		return sum, err
	}
	h.ephemeral = eph.PublicKey().Bytes()
	aead, err := backupAEAD(shared, h.ephemeral, pub)
	clear(shared)
	if err != nil {
		return sum, err
	}
	hdr := h.encode()
	if _, err := w.Write(hdr); err != nil {
		return sum, fmt.Errorf("backup: scrittura: %w", err)
	}
	hh := sha256.Sum256(hdr)
	sj, _ := json.Marshal(sum)
	stream := io.MultiReader(bytes.NewReader(binary.BigEndian.AppendUint32(nil, uint32(len(sj)))), bytes.NewReader(sj), f)
	buf := make([]byte, backupFrame)
	var index uint64
	for {
		n, rerr := io.ReadFull(stream, buf)
		final := rerr == io.EOF || rerr == io.ErrUnexpectedEOF
		if rerr != nil && !final {
			return sum, fmt.Errorf("backup: lettura della copia: %w", rerr)
		}
		box, err := sealFrame(aead, buf[:n], backupFrameAD(hh[:], index, final))
		if err != nil {
			return sum, err
		}
		if _, err := w.Write(binary.BigEndian.AppendUint32(nil, uint32(len(box)))); err != nil {
			return sum, fmt.Errorf("backup: scrittura: %w", diskErr(err))
		}
		if _, err := w.Write(box); err != nil {
			return sum, fmt.Errorf("backup: scrittura: %w", diskErr(err))
		}
		index++
		if final {
			break
		}
	}
	clear(buf)
	return sum, nil
}

// BackupToFile writes a backup to path (temporary name, flush, rename).
func (db *DB) BackupToFile(ctx context.Context, path, reason string) (BackupSummary, error) {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return BackupSummary{}, fmt.Errorf("backup: impossibile creare il file: %w", err)
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	sum, err := db.WriteBackup(ctx, bw, reason)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return sum, fmt.Errorf("backup: %w", diskErr(err))
	}
	return sum, nil
}

// BackupFile is a backup kept in the data folder.
type BackupFile struct {
	Path    string
	Name    string
	Created time.Time
	Reason  string
	Size    int64
}

// Backups lists the backups of the data folder, newest first.
func (db *DB) Backups() []BackupFile {
	ents, err := os.ReadDir(db.BackupDir())
	if err != nil {
		return nil
	}
	var out []BackupFile
	for _, e := range ents {
		name := e.Name()
		rest, ok := strings.CutPrefix(name, "backup-")
		if !ok || !strings.HasSuffix(name, BackupExt) || len(rest) < 15 {
			continue
		}
		t, err := time.ParseInLocation("20060102-150405", rest[:15], time.Local)
		if err != nil {
			continue
		}
		b := BackupFile{Path: filepath.Join(db.BackupDir(), name), Name: name, Created: t,
			Reason: strings.TrimSuffix(strings.TrimPrefix(rest[15:], "-"), BackupExt)}
		if info, err := e.Info(); err == nil {
			b.Size = info.Size()
		}
		out = append(out, b)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name > out[j].Name })
	return out
}

// KeepBackup writes a backup into the data folder's backups and removes
// the oldest beyond BackupsKept.
func (db *DB) KeepBackup(ctx context.Context, reason string) (string, error) {
	if err := os.MkdirAll(db.BackupDir(), 0o700); err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	name := fmt.Sprintf("backup-%s-%s%s", db.now().Local().Format("20060102-150405"), reason, BackupExt)
	path := filepath.Join(db.BackupDir(), name)
	for i := 2; ; i++ {
		if _, err := os.Stat(path); err != nil {
			break
		}
		path = filepath.Join(db.BackupDir(), fmt.Sprintf("backup-%s-%s-%d%s", db.now().Local().Format("20060102-150405"), reason, i, BackupExt))
	}
	if _, err := db.BackupToFile(ctx, path, reason); err != nil {
		return "", err
	}
	db.pruneBackups()
	return path, nil
}

func (db *DB) pruneBackups() {
	bs := db.Backups()
	for i := BackupsKept; i < len(bs); i++ {
		os.Remove(bs[i].Path)
	}
}

// AutoBackup takes the daily backup when the last one is older than
// BackupEvery. It returns the new file, or "" when none was due.
func (db *DB) AutoBackup(ctx context.Context) (string, error) {
	if !db.HasOffice() {
		return "", nil
	}
	if bs := db.Backups(); len(bs) > 0 && db.now().Sub(bs[0].Created) < BackupEvery {
		return "", nil
	}
	return db.KeepBackup(ctx, BackupDaily)
}

// beforeMigration keeps a backup of a database about to be migrated. A
// database on which nobody has logged in since backups exist has no
// backup key yet: it is then copied as it is (its contents are sealed
// exactly as in the database) next to the other backups.
func (db *DB) beforeMigration(from int) error {
	ctx := context.Background()
	if _, err := db.meta(ctx, "office_id"); err != nil {
		return nil // no office: nothing to keep
	}
	if _, err := db.meta(ctx, metaBackupPub); err == nil {
		_, err := db.KeepBackup(ctx, BackupBeforeMigrate)
		return err
	}
	if err := os.MkdirAll(db.BackupDir(), 0o700); err != nil {
		return err
	}
	path := filepath.Join(db.BackupDir(), fmt.Sprintf("copia-%s-versione-%d.db", db.now().Local().Format("20060102-150405"), from))
	if _, err := db.sql.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return fmt.Errorf("copia prima dell'aggiornamento: %w", diskErr(err))
	}
	return nil
}

// BackupPreview is an opened backup waiting to be restored: its summary,
// checked and decrypted into a temporary file of the data folder.
type BackupPreview struct {
	BackupSummary
	OfficeID ID
	tmp      string
}

// Discard removes the decrypted copy of a backup not restored.
func (p *BackupPreview) Discard() {
	if p != nil && p.tmp != "" {
		os.Remove(p.tmp)
		p.tmp = ""
	}
}

// OpenBackup checks an operator's password (or the recovery code, with
// username "") against a backup's wrapped keys, then decrypts and verifies
// the whole backup. Nothing in the data folder changes yet.
func (db *DB) OpenBackup(ctx context.Context, r io.Reader, username, password string) (*BackupPreview, error) {
	if d := db.LoginDelay(); d > 0 {
		return nil, &TooSoonError{Wait: d}
	}
	br := bufio.NewReaderSize(r, 1<<20)
	h, err := readBackupHeader(br)
	if err != nil {
		return nil, err
	}
	if db.HasOffice() && h.office != db.officeID {
		return nil, ErrBackupOffice
	}
	var officeKey *vault.Key
	var want []byte
	var ad []byte
	secret := []byte(password)
	if username == "" {
		norm, err := vault.NormalizeRecoveryCode(password)
		if err != nil {
			return nil, err
		}
		want, ad, secret = recoveryLogin, recoveryAD(h.office), []byte(norm)
	} else {
		want = loginKey(h.office, username)
	}
	var wrapped vault.Wrapped
	found := false
	for _, k := range h.keys {
		if bytes.Equal(k.login, want) && wrapped.UnmarshalBinary(k.wrapped) == nil {
			found = true
			if username != "" {
				ad = wrapAD(h.office, k.operator)
			}
		}
	}
	if !found {
		var p vault.Params
		if json.Unmarshal(h.kdf, &p) == nil && p.Valid() == nil {
			burnParams(p, password)
		}
		db.noteFailure()
		return nil, ErrLoginFailed
	}
	if officeKey, err = vault.Unwrap(wrapped, secret, ad); err != nil {
		db.noteFailure()
		return nil, ErrLoginFailed
	}
	keys, err := vault.Derive(officeKey)
	officeKey.Zero()
	if err != nil {
		return nil, err
	}
	defer keys.Zero()
	priv, err := backupPrivate(keys)
	if err != nil {
		return nil, err
	}
	eph, err := ecdh.X25519().NewPublicKey(h.ephemeral)
	if err != nil {
		return nil, ErrBackupCorrupt
	}
	shared, err := priv.ECDH(eph)
	if err != nil {
		return nil, ErrBackupCorrupt
	}
	aead, err := backupAEAD(shared, h.ephemeral, priv.PublicKey().Bytes())
	clear(shared)
	if err != nil {
		return nil, err
	}
	hh := sha256.Sum256(h.raw)

	if err := os.MkdirAll(db.dir, 0o700); err != nil {
		return nil, err
	}
	p := &BackupPreview{OfficeID: h.office, tmp: filepath.Join(db.dir, ".ripristino-"+NewID().String()[:12]+".tmp")}
	out, err := os.OpenFile(p.tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("ripristino: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			out.Close()
			p.Discard()
		}
	}()
	var index uint64
	var head []byte // plaintext before the summary is complete
	sumLen := -1
	for {
		var l [4]byte
		if _, err := io.ReadFull(br, l[:]); err != nil {
			return nil, ErrBackupCorrupt
		}
		n := binary.BigEndian.Uint32(l[:])
		if n < vault.Overhead || n > backupFrame+vault.Overhead {
			return nil, ErrBackupCorrupt
		}
		box := make([]byte, n)
		if _, err := io.ReadFull(br, box); err != nil {
			return nil, ErrBackupCorrupt
		}
		final := false
		plain, err := openFrame(aead, box, backupFrameAD(hh[:], index, false))
		if err != nil {
			if plain, err = openFrame(aead, box, backupFrameAD(hh[:], index, true)); err != nil {
				return nil, ErrBackupCorrupt
			}
			final = true
		}
		index++
		if sumLen < 0 || len(head) < 4+sumLen {
			head = append(head, plain...)
			if sumLen < 0 && len(head) >= 4 {
				sumLen = int(binary.BigEndian.Uint32(head))
				if sumLen > 1<<20 {
					return nil, ErrBackupCorrupt
				}
			}
			if sumLen >= 0 && len(head) >= 4+sumLen {
				if err := json.Unmarshal(head[4:4+sumLen], &p.BackupSummary); err != nil {
					return nil, ErrBackupCorrupt
				}
				plain = head[4+sumLen:]
			} else {
				plain = nil
			}
		}
		if len(plain) > 0 {
			if _, err := out.Write(plain); err != nil {
				return nil, fmt.Errorf("ripristino: %w", diskErr(err))
			}
		}
		if final {
			break
		}
	}
	if _, err := br.ReadByte(); err != io.EOF {
		return nil, ErrBackupCorrupt
	}
	if sumLen < 0 || p.Created.IsZero() {
		return nil, ErrBackupCorrupt
	}
	if err := out.Sync(); err != nil {
		return nil, fmt.Errorf("ripristino: %w", diskErr(err))
	}
	if err := out.Close(); err != nil {
		return nil, fmt.Errorf("ripristino: %w", diskErr(err))
	}
	if err := checkRestoredCopy(ctx, p.tmp); err != nil {
		return nil, err
	}
	if p.Schema > len(mustMigrations()) {
		return nil, ErrBackupNewer
	}
	ok = true
	return p, nil
}

func mustMigrations() []migration {
	ms, _ := loadMigrations()
	return ms
}

// checkRestoredCopy opens the decrypted copy and runs SQLite's check.
func checkRestoredCopy(ctx context.Context, path string) error {
	sdb, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path)+"?mode=ro")
	if err != nil {
		return ErrBackupCorrupt
	}
	defer sdb.Close()
	var res string
	if err := sdb.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&res); err != nil || res != "ok" {
		return ErrBackupCorrupt
	}
	return nil
}

// Restore replaces the database with an opened backup. The current
// database, if it holds an office, is first kept as a backup itself. The
// restored database becomes a new device of the office (its own changes
// after the backup come back from the shared folder at the next sync).
// Every session of this database ends: log in again.
func (db *DB) Restore(ctx context.Context, p *BackupPreview) error {
	if p == nil || p.tmp == "" {
		return errors.New("ripristino: backup non aperto")
	}
	defer p.Discard()
	if db.HasOffice() {
		if _, err := db.KeepBackup(ctx, BackupBeforeRestore); err != nil {
			if !errors.Is(err, ErrNoBackupKey) {
				return fmt.Errorf("ripristino annullato: non è stato possibile salvare prima il database attuale: %w", err)
			}
			path := filepath.Join(db.BackupDir(), fmt.Sprintf("copia-%s-prima-ripristino.db", db.now().Local().Format("20060102-150405")))
			os.MkdirAll(db.BackupDir(), 0o700)
			if _, err := db.sql.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
				return fmt.Errorf("ripristino annullato: non è stato possibile salvare prima il database attuale: %w", diskErr(err))
			}
		}
	}
	restoredFolder := db.SyncFolder(ctx)
	// Swap the files under the instance lock.
	for _, st := range db.stmts {
		st.Close()
	}
	db.stmts = nil
	db.sql.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	db.sql.Close()
	db.sql = nil
	path := filepath.Join(db.dir, DBFileName)
	os.Remove(path + "-wal")
	os.Remove(path + "-shm")
	renameErr := os.Rename(p.tmp, path)
	if renameErr == nil {
		p.tmp = ""
	}
	if err := db.reopen(ctx); err != nil {
		return fmt.Errorf("ripristino: %w", err)
	}
	if renameErr != nil {
		return fmt.Errorf("ripristino: sostituzione del database non riuscita, il database attuale è invariato: %w", renameErr)
	}
	oldDevice := db.deviceID
	db.deviceID = NewID()
	err := db.inTx(ctx, func(tx querier) error {
		if err := setMeta(ctx, tx, "device_id", db.deviceID[:]); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM meta WHERE key IN (?, ?, ?, ?, ?)`, auditHeadKey(oldDevice),
			metaSyncFileSeq, metaSyncAuditSent, metaSnapshotAt, metaSyncLast); err != nil {
			return err
		}
		if restoredFolder != "" {
			return setMeta(ctx, tx, metaSyncFolder, []byte(restoredFolder))
		}
		return nil
	})
	db.tailMu.Lock()
	db.auditTail = nil
	db.tailMu.Unlock()
	return err
}

// reopen opens the database file again after it was replaced.
func (db *DB) reopen(ctx context.Context) error {
	sdb, err := openSQL(filepath.Join(db.dir, DBFileName))
	if err != nil {
		return err
	}
	db.sql = sdb
	if err := migrate(ctx, sdb, nil); err != nil {
		return err
	}
	db.officeID, db.deviceID = ID{}, ID{}
	if err := db.loadIdentity(ctx); err != nil {
		return err
	}
	if err := db.prepare(ctx); err != nil {
		return err
	}
	var last int64
	if err := sdb.QueryRowContext(ctx, "SELECT COALESCE(MAX(hlc),0) FROM records").Scan(&last); err != nil {
		return err
	}
	db.clock.Observe(HLC(last))
	return nil
}
