// Package vault holds the key hierarchy of Cartella Sociale and the
// primitives built on it: sealing record bodies (XChaCha20-Poly1305), blind
// indexes and MACs (HMAC-SHA256), and wrapping the office key under a
// password or recovery code (Argon2id).
//
// The package does no I/O other than reading crypto/rand and never formats
// key material: Key values print as "vault.Key(redacted)".
//
// Zeroing is best effort: Go may have copied key bytes (e.g. inside an AEAD
// instance or during GC), but a zeroed Key always fails closed.
package vault

import (
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"

	"golang.org/x/crypto/hkdf"
)

// KeySize is the size in bytes of every key handled by the vault.
const KeySize = 32

// Sentinel errors. They are internal (not user facing): the UI maps them to
// Italian messages.
var (
	// ErrLocked is returned when a nil or zeroed key is used.
	ErrLocked = errors.New("vault: key is locked or zeroed")
	// ErrTampered is returned by Open on any authentication or format failure.
	ErrTampered = errors.New("vault: sealed data is corrupted, tampered with or bound to another record")
	// ErrWrongSecret is returned by Unwrap when the password/recovery code is
	// wrong or the wrapped key was altered; the two cannot be told apart.
	ErrWrongSecret = errors.New("vault: wrong password or recovery code, or altered wrapped key")
	// ErrMalformed is returned for structurally invalid wrapped keys or params.
	ErrMalformed = errors.New("vault: malformed wrapped key")
	// ErrWeakParams is returned when Argon2id parameters are below MinParams
	// or above the sanity caps.
	ErrWeakParams = errors.New("vault: Argon2id parameters out of range")
)

// keyMaterial is shared by all copies of a Key, so zeroing one copy zeroes
// them all.
type keyMaterial struct {
	b    [KeySize]byte
	live bool
}

// Key is a 256-bit secret key (the office key or one of its sub-keys).
// The zero value and zeroed keys are unusable (operations fail closed).
// Copies of a Key share the same underlying material.
type Key struct {
	m *keyMaterial
}

const redacted = "vault.Key(redacted)"

// NewKey returns a fresh random key from crypto/rand.
func NewKey() (*Key, error) {
	m := &keyMaterial{live: true}
	if _, err := io.ReadFull(rand.Reader, m.b[:]); err != nil {
		return nil, fmt.Errorf("vault: new key: reading random bytes: %w", err)
	}
	return &Key{m: m}, nil
}

// keyFrom copies b (which must be KeySize bytes) into a new Key.
func keyFrom(b []byte) (*Key, error) {
	if len(b) != KeySize {
		return nil, fmt.Errorf("vault: key must be %d bytes, got %d", KeySize, len(b))
	}
	m := &keyMaterial{live: true}
	copy(m.b[:], b)
	return &Key{m: m}, nil
}

// bytes returns the key material, or ErrLocked if k is nil or zeroed.
// The returned slice aliases the key: callers must not retain or modify it.
func (k *Key) bytes() ([]byte, error) {
	if k == nil || k.m == nil || !k.m.live {
		return nil, ErrLocked
	}
	return k.m.b[:], nil
}

// Usable reports whether k is non-nil and not zeroed.
func (k *Key) Usable() bool {
	_, err := k.bytes()
	return err == nil
}

// Zero wipes the key material (best effort) and makes every copy of k
// unusable. It is safe to call on nil or already zeroed keys.
func (k *Key) Zero() {
	if k == nil || k.m == nil {
		return
	}
	clear(k.m.b[:])
	k.m.live = false
}

// String implements fmt.Stringer without revealing key material.
func (k Key) String() string { return redacted }

// GoString implements fmt.GoStringer without revealing key material.
func (k Key) GoString() string { return redacted }

// Format implements fmt.Formatter so that every verb (%v, %+v, %#v, %s, %x,
// %q, ...) prints the redacted placeholder.
func (k Key) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, redacted) }

// MarshalText makes accidental serialisation (e.g. json.Marshal of a struct
// holding a key) fail loudly instead of writing key bytes.
func (k Key) MarshalText() ([]byte, error) {
	return nil, errors.New("vault: keys cannot be serialised")
}

// HKDF info labels of the sub-keys. Changing them changes every derived key.
const (
	infoRecords    = "cartella/records/v1"
	infoBlindIndex = "cartella/blind-index/v1"
	infoSync       = "cartella/sync/v1"
	infoAudit      = "cartella/audit/v1"
	infoLocal      = "cartella/local/v1"
)

// SubKeys are the purpose-specific keys derived from the office key.
type SubKeys struct {
	Records    *Key // record bodies
	BlindIndex *Key // exact-match look-up indexes
	Sync       *Key // change files in the shared folder
	Audit      *Key // audit entries and their hash chain
	Local      *Key // per-PC local data (settings, caches)
}

// Derive computes the sub-keys from the office key with HKDF-SHA256, one
// distinct info label per purpose. The office key may be zeroed afterwards:
// sub-keys do not share memory with it.
func Derive(office *Key) (*SubKeys, error) {
	ikm, err := office.bytes()
	if err != nil {
		return nil, fmt.Errorf("vault: derive sub-keys: %w", err)
	}
	derive := func(info string) (*Key, error) {
		m := &keyMaterial{live: true}
		if _, err := io.ReadFull(hkdf.New(sha256.New, ikm, nil, []byte(info)), m.b[:]); err != nil {
			return nil, fmt.Errorf("vault: derive sub-key %q: %w", info, err)
		}
		return &Key{m: m}, nil
	}
	s := &SubKeys{}
	for _, d := range []struct {
		dst  **Key
		info string
	}{
		{&s.Records, infoRecords},
		{&s.BlindIndex, infoBlindIndex},
		{&s.Sync, infoSync},
		{&s.Audit, infoAudit},
		{&s.Local, infoLocal},
	} {
		k, err := derive(d.info)
		if err != nil {
			s.Zero()
			return nil, err
		}
		*d.dst = k
	}
	return s, nil
}

// Zero wipes every sub-key. Safe on nil.
func (s *SubKeys) Zero() {
	if s == nil {
		return
	}
	for _, k := range []*Key{s.Records, s.BlindIndex, s.Sync, s.Audit, s.Local} {
		k.Zero()
	}
}
