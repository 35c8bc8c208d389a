package sync

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"cartella/store/vault"
)

// OfficeFormat is the version of office.json.
const OfficeFormat = 1

// OfficeKey is one operator's wrapped office key as it travels: the login
// is a keyed hash of the user name, never the name itself.
type OfficeKey struct {
	Login    string `json:"login"`    // hex
	Operator string `json:"operator"` // hex id
	Wrapped  []byte `json:"wrapped"`  // vault.Wrapped binary
}

// OfficeFile is office.json: what a new PC needs to join the office. It
// holds no secret (wrapped keys are useless without a password) and no
// personal data. MAC, under the sync key, lets a PC that opened the office
// key check the rest was not altered.
type OfficeFile struct {
	Format   int             `json:"format"`
	Office   string          `json:"office_id"`
	Label    string          `json:"label"`
	KDF      json.RawMessage `json:"kdf"`
	Keys     []OfficeKey     `json:"keys"`
	Recovery []byte          `json:"recovery,omitempty"`
	Updated  time.Time       `json:"updated"`
	MAC      []byte          `json:"mac,omitempty"`
}

// ErrOfficeFile is the Italian message for an unreadable office.json.
var ErrOfficeFile = errors.New("il file office.json della cartella condivisa manca o è danneggiato")

// OfficeID decodes the office id.
func (o *OfficeFile) OfficeID() ([16]byte, error) {
	var id [16]byte
	b, err := hex.DecodeString(o.Office)
	if err != nil || len(b) != 16 {
		return id, ErrOfficeFile
	}
	copy(id[:], b)
	return id, nil
}

func (o *OfficeFile) macInput() []byte {
	c := *o
	c.MAC = nil
	b, _ := json.Marshal(c)
	return b
}

// Sign sets the MAC.
func (o *OfficeFile) Sign(key *vault.Key) {
	o.MAC = vault.MAC(key, []byte("office.json|v1"), o.macInput())
}

// Verify checks the MAC with the sync key.
func (o *OfficeFile) Verify(key *vault.Key) bool {
	return vault.Equal(o.MAC, vault.MAC(key, []byte("office.json|v1"), o.macInput()))
}

// ReadOffice reads and parses office.json.
func (f Folder) ReadOffice(ctx context.Context) (*OfficeFile, error) {
	b, err := ReadFile(ctx, f.OfficeFile())
	if err != nil {
		return nil, fmt.Errorf("%w (%v)", ErrOfficeFile, FolderError(err))
	}
	var o OfficeFile
	if err := json.Unmarshal(b, &o); err != nil {
		return nil, ErrOfficeFile
	}
	if o.Format > OfficeFormat {
		return nil, fmt.Errorf("office.json: %w", ErrFutureVersion)
	}
	if _, err := o.OfficeID(); err != nil {
		return nil, err
	}
	return &o, nil
}

// WriteOffice replaces office.json atomically.
func (f Folder) WriteOffice(ctx context.Context, o *OfficeFile) error {
	b, err := json.MarshalIndent(o, "", "  ")
	if err != nil {
		return err
	}
	return f.WriteFile(ctx, f.Dir, OfficeFileName, false, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}
