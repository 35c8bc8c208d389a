package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"cartella/store/vault"
)

const (
	kindAttachment = "attachment"
	kindChunk      = "attachment_chunk"
)

// MaxAttachmentSize is the largest document accepted (a scan, a PDF).
const MaxAttachmentSize = 20 << 20

// chunkSize keeps each sealed row small enough for SQLite and for sync.
const chunkSize = 1 << 20

// ErrAttachmentTooBig names the limit in Italian.
var ErrAttachmentTooBig = fmt.Errorf("il documento supera i %d MB consentiti", MaxAttachmentSize>>20)

// Attachment describes a document stored sealed inside the database. Its
// content is in chunk records and is decrypted only when opened.
type Attachment struct {
	ID          ID        `json:"-"`
	OwnerID     ID        `json:"-"` // the person or access it belongs to
	Name        string    `json:"name"`
	Type        string    `json:"type,omitempty"` // ListTipoAllegato
	Description string    `json:"description,omitempty"`
	Service     string    `json:"service,omitempty"` // catalogue code when attached to a service request
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	Chunks      int       `json:"chunks"`
	AddedBy     string    `json:"added_by"`
	AddedAt     time.Time `json:"added_at"`
}

// AddAttachment stores a document read from r under owner, all chunks in
// one transaction: either the whole document is saved or nothing.
func (s *Session) AddAttachment(ctx context.Context, owner ID, meta Attachment, r io.Reader) (Attachment, error) {
	if err := s.require(PermPersons); err != nil {
		return meta, err
	}
	keys, err := s.subkeys()
	if err != nil {
		return meta, err
	}
	meta.Name = strings.TrimSpace(filepath.Base(meta.Name))
	if meta.Name == "" || meta.Name == "." {
		return meta, ValidationError{{"Name", "Il documento deve avere un nome."}}
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxAttachmentSize+1))
	if err != nil {
		return meta, fmt.Errorf("lettura del documento: %w", err)
	}
	defer clear(data)
	if len(data) > MaxAttachmentSize {
		return meta, ErrAttachmentTooBig
	}
	sum := sha256.Sum256(data)
	me := s.Operator()
	meta.ID, meta.OwnerID = NewID(), owner
	meta.Size, meta.SHA256 = int64(len(data)), hex.EncodeToString(sum[:])
	meta.Chunks = (len(data) + chunkSize - 1) / chunkSize
	meta.AddedBy, meta.AddedAt = me.FullName(), s.db.now().UTC()
	err = s.db.inTx(ctx, func(tx querier) error {
		for i := 0; i < meta.Chunks; i++ {
			part := data[i*chunkSize : min(len(data), (i+1)*chunkSize)]
			if err := s.putChunk(ctx, tx, keys, meta.ID, i, part); err != nil {
				return err
			}
		}
		if _, err := s.putRecord(ctx, tx, keys, meta.ID, kindAttachment, &owner, false, meta); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, keys, AuditEntry{OperatorID: me.ID, Operator: me.Username, Action: ActionCreate, Kind: kindAttachment, RecordID: meta.ID})
	})
	if err != nil {
		return meta, fmt.Errorf("save attachment: %w", err)
	}
	return meta, nil
}

// putChunk seals raw bytes (no JSON: no base64 blow-up) with their index.
func (s *Session) putChunk(ctx context.Context, tx querier, keys *vault.SubKeys, parent ID, index int, part []byte) error {
	id := NewID()
	plain := binary.BigEndian.AppendUint32(make([]byte, 0, 4+len(part)), uint32(index))
	plain = append(plain, part...)
	body, err := vault.Seal(keys.Records, plain, recordAD(id, kindChunk, schemaV))
	clear(plain)
	if err != nil {
		return err
	}
	h := s.db.clock.Next()
	if _, err := tx.ExecContext(ctx, sqlPutRecord, id[:], kindChunk, parent[:], int64(h), s.db.deviceID[:], false, schemaV, body); err != nil {
		return fmt.Errorf("write chunk: %w", diskErr(err))
	}
	if _, err := tx.ExecContext(ctx, sqlQueueOutbox, id[:], int64(h)); err != nil {
		return fmt.Errorf("queue chunk: %w", diskErr(err))
	}
	return nil
}

// Attachments lists the documents of an owner, newest first, without
// decrypting their content.
func (s *Session) Attachments(ctx context.Context, owner ID) ([]Attachment, error) {
	if err := s.require(PermPersons); err != nil {
		return nil, err
	}
	var out []Attachment
	err := s.children(ctx, owner, kindAttachment, func(id ID, plain []byte) error {
		var a Attachment
		if err := json.Unmarshal(plain, &a); err != nil {
			return fmt.Errorf("decode attachment: %w", err)
		}
		a.ID, a.OwnerID = id, owner
		out = append(out, a)
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].AddedAt.After(out[j].AddedAt) })
	return out, err
}

// WriteAttachment decrypts a document into w, checks it against its
// SHA-256 and audits the reading.
func (s *Session) WriteAttachment(ctx context.Context, a Attachment, w io.Writer) error {
	if err := s.require(PermPersons); err != nil {
		return err
	}
	keys, err := s.subkeys()
	if err != nil {
		return err
	}
	raws, err := s.rawChildren(ctx, a.ID, kindChunk)
	if err != nil {
		return err
	}
	parts := make([][]byte, len(raws))
	for _, r := range raws {
		plain, err := vault.Open(keys.Records, r.body, recordAD(r.id, kindChunk, r.schema))
		if err != nil || len(plain) < 4 {
			return fmt.Errorf("documento %s: %w", a.Name, ErrTampered)
		}
		i := int(binary.BigEndian.Uint32(plain))
		if i >= len(parts) || parts[i] != nil {
			return fmt.Errorf("documento %s: %w", a.Name, ErrTampered)
		}
		parts[i] = plain[4:]
	}
	if len(parts) != a.Chunks {
		return fmt.Errorf("documento %s incompleto: %w", a.Name, ErrTampered)
	}
	h := sha256.New()
	for _, p := range parts {
		h.Write(p)
	}
	if hex.EncodeToString(h.Sum(nil)) != a.SHA256 {
		return fmt.Errorf("documento %s: %w", a.Name, ErrTampered)
	}
	if err := s.audit(ctx, ActionRead, kindAttachment, a.ID, ""); err != nil {
		return err
	}
	for _, p := range parts {
		if _, err := w.Write(p); err != nil {
			return fmt.Errorf("scrittura del documento: %w", diskErr(err))
		}
		clear(p)
	}
	return nil
}

// ViewingDir is the private folder where documents are decrypted to be
// opened with the system viewer. It is emptied on lock and on exit.
func (db *DB) ViewingDir() string { return filepath.Join(db.dir, "aperti") }

// OpenForViewing decrypts a document into the private viewing folder and
// returns its path, for the system viewer.
func (s *Session) OpenForViewing(ctx context.Context, a Attachment) (string, error) {
	dir := filepath.Join(s.db.ViewingDir(), NewID().String()[:12])
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("cartella privata: %w", err)
	}
	path := filepath.Join(dir, safeFileName(a.Name))
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", fmt.Errorf("cartella privata: %w", err)
	}
	err = s.WriteAttachment(ctx, a, f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return "", err
	}
	return path, nil
}

// ClearViewing empties the private viewing folder. Files still open in a
// viewer on Windows cannot be removed; they are retried at the next clear.
func (db *DB) ClearViewing() error {
	dir := db.ViewingDir()
	err := os.RemoveAll(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}

// safeFileName keeps a document's name usable on Windows and Linux.
func safeFileName(name string) string {
	var b bytes.Buffer
	for _, r := range name {
		if strings.ContainsRune(`<>:"/\|?*`, r) || r < 32 {
			b.WriteByte('_')
			continue
		}
		b.WriteRune(r)
	}
	n := strings.Trim(b.String(), " .")
	if n == "" {
		n = "documento"
	}
	return n
}
