package vault

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"fmt"
	"io"
	"strings"

	"golang.org/x/crypto/chacha20poly1305"
)

const (
	// NonceSize is the size of the random nonce prefixed to every sealed box.
	NonceSize = chacha20poly1305.NonceSizeX
	// Overhead is the number of bytes Seal adds to the plaintext (nonce + tag).
	Overhead = NonceSize + chacha20poly1305.Overhead
	// BlindIndexSize is the length of BlindIndex values.
	BlindIndexSize = 16
	// MACSize is the length of MAC values.
	MACSize = sha256.Size
)

// Seal encrypts and authenticates plaintext with XChaCha20-Poly1305 under k.
// The result is nonce(24) ‖ ciphertext ‖ tag(16). ad is authenticated but not
// stored: callers bind the box to its record by passing e.g. id|kind|schema,
// and must pass the same ad to Open.
func Seal(k *Key, plaintext, ad []byte) ([]byte, error) {
	kb, err := k.bytes()
	if err != nil {
		return nil, fmt.Errorf("vault: seal: %w", err)
	}
	aead, err := chacha20poly1305.NewX(kb)
	if err != nil {
		return nil, fmt.Errorf("vault: seal: %w", err)
	}
	out := make([]byte, NonceSize, NonceSize+len(plaintext)+aead.Overhead())
	if _, err := io.ReadFull(rand.Reader, out); err != nil {
		return nil, fmt.Errorf("vault: seal: reading nonce: %w", err)
	}
	return aead.Seal(out, out[:NonceSize], plaintext, ad), nil
}

// Open authenticates and decrypts a box produced by Seal. Any failure (wrong
// key, wrong ad, truncated or altered box) returns ErrTampered; a nil or
// zeroed key returns ErrLocked.
func Open(k *Key, box, ad []byte) ([]byte, error) {
	kb, err := k.bytes()
	if err != nil {
		return nil, fmt.Errorf("vault: open: %w", err)
	}
	if len(box) < Overhead {
		return nil, fmt.Errorf("vault: open: box too short: %w", ErrTampered)
	}
	aead, err := chacha20poly1305.NewX(kb)
	if err != nil {
		return nil, fmt.Errorf("vault: open: %w", err)
	}
	pt, err := aead.Open(nil, box[:NonceSize], box[NonceSize:], ad)
	if err != nil {
		return nil, fmt.Errorf("vault: open: %w", ErrTampered)
	}
	return pt, nil
}

// BlindIndex returns HMAC-SHA256(k, label ‖ 0x00 ‖ value)[:16], a
// deterministic token for exact look-ups (e.g. label "cf" and a normalised
// codice fiscale). Different labels give unrelated tokens for the same value.
// Normalise value (case, spaces) before calling.
//
// It returns nil if k is nil or zeroed, or if label contains a NUL byte
// (labels are program constants); Equal never matches nil.
func BlindIndex(k *Key, label, value string) []byte {
	kb, err := k.bytes()
	if err != nil || strings.IndexByte(label, 0) >= 0 {
		return nil
	}
	m := hmac.New(sha256.New, kb)
	io.WriteString(m, label)
	m.Write([]byte{0})
	io.WriteString(m, value)
	return m.Sum(nil)[:BlindIndexSize]
}

// MAC returns the full 32-byte HMAC-SHA256 under k of the parts, each
// prefixed by its length as a big-endian uint64, so that different splits of
// the same bytes (("ab","c") vs ("a","bc")) never collide. It is meant for
// hash chains (audit). It returns nil if k is nil or zeroed.
func MAC(k *Key, parts ...[]byte) []byte {
	kb, err := k.bytes()
	if err != nil {
		return nil
	}
	m := hmac.New(sha256.New, kb)
	var n [8]byte
	for _, p := range parts {
		binary.BigEndian.PutUint64(n[:], uint64(len(p)))
		m.Write(n[:])
		m.Write(p)
	}
	return m.Sum(nil)
}

// Equal compares a and b in constant time (for equal lengths). Empty or nil
// inputs never match, so a failed BlindIndex/MAC (nil) cannot compare equal.
func Equal(a, b []byte) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	return subtle.ConstantTimeCompare(a, b) == 1
}
