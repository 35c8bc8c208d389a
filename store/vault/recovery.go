package vault

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Recovery codes are 30 symbols of Crockford base32 (no I, L, O, U), shown as
// 6 groups of 5 ("K7M2P-9QX4R-..."): 28 random symbols (140 bits) followed by
// 2 check symbols. The check symbols make the 30 symbols a codeword of a
// Reed–Solomon-style code over GF(32) (two parity checks, minimum distance
// 3), so any one or two wrong symbols — in particular one mistyped character
// or two swapped characters — are detected before the slow Argon2id.
const (
	recoveryAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	recoveryData     = 28
	recoveryLen      = recoveryData + 2
	recoveryGroup    = 5
)

// ErrInvalidRecoveryCode is returned (user facing, in Italian) when a typed
// recovery code is malformed or fails its check.
var ErrInvalidRecoveryCode = errors.New("Il codice di recupero non è valido: controllare di averlo copiato per intero.")

// gfMul multiplies in GF(2^5) modulo the primitive polynomial x^5 + x^2 + 1.
func gfMul(a, b byte) byte {
	var r byte
	for b != 0 {
		if b&1 != 0 {
			r ^= a
		}
		b >>= 1
		a <<= 1
		if a&0x20 != 0 {
			a ^= 0x25
		}
	}
	return r
}

// gfPow returns a^n in GF(32).
func gfPow(a byte, n int) byte {
	r := byte(1)
	for range n {
		r = gfMul(r, a)
	}
	return r
}

// gfInv returns the inverse of a != 0 (a^30, since a^31 = 1).
func gfInv(a byte) byte { return gfPow(a, 30) }

// syndromes returns Σ v_i and Σ α^i·v_i over GF(32) with α = 2.
func syndromes(v []byte) (s0, s1 byte) {
	alpha := byte(1)
	for _, x := range v {
		s0 ^= x
		s1 ^= gfMul(alpha, x)
		alpha = gfMul(alpha, 2)
	}
	return s0, s1
}

// addCheck fills v[28] and v[29] so that both syndromes of v are zero.
func addCheck(v []byte) {
	s0, s1 := syndromes(v[:recoveryData])
	a28, a29 := gfPow(2, recoveryData), gfPow(2, recoveryData+1)
	c29 := gfMul(s1^gfMul(a28, s0), gfInv(a28^a29))
	v[recoveryData+1] = c29
	v[recoveryData] = s0 ^ c29
}

func formatRecovery(v []byte) string {
	var b strings.Builder
	for i, x := range v {
		if i > 0 && i%recoveryGroup == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(recoveryAlphabet[x])
	}
	return b.String()
}

// NewRecoveryCode returns a fresh recovery code (140 random bits from
// crypto/rand plus check symbols) in canonical form, e.g.
// "K7M2P-9QX4R-....-.....".
func NewRecoveryCode() (string, error) {
	v := make([]byte, recoveryLen)
	defer clear(v)
	if _, err := io.ReadFull(rand.Reader, v[:recoveryData]); err != nil {
		return "", fmt.Errorf("vault: recovery code: reading random bytes: %w", err)
	}
	for i := range recoveryData {
		v[i] &= 31 // 256 is a multiple of 32: uniform
	}
	addCheck(v)
	return formatRecovery(v), nil
}

// NormalizeRecoveryCode returns the canonical form of a typed recovery code.
// It accepts lower case, spaces, dashes anywhere or none, and the look-alikes
// O→0 and I/L→1. A malformed code or one failing the check returns
// ErrInvalidRecoveryCode (whose message is Italian and safe to show).
func NormalizeRecoveryCode(s string) (string, error) {
	v := make([]byte, 0, recoveryLen)
	defer clear(v)
	for _, r := range s {
		switch r {
		case ' ', '\t', '\n', '\r', '\u00a0', '-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2212':
			continue
		case 'o', 'O':
			r = '0'
		case 'i', 'I', 'l', 'L':
			r = '1'
		}
		if r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		i := strings.IndexRune(recoveryAlphabet, r)
		if i < 0 || len(v) == recoveryLen {
			return "", ErrInvalidRecoveryCode
		}
		v = append(v, byte(i))
	}
	if len(v) != recoveryLen {
		return "", ErrInvalidRecoveryCode
	}
	if s0, s1 := syndromes(v); s0 != 0 || s1 != 0 {
		return "", ErrInvalidRecoveryCode
	}
	return formatRecovery(v), nil
}

// RecoverySecret normalises a typed recovery code and returns the bytes to
// pass as secret to Wrap/Unwrap, so that the way it was typed does not matter.
func RecoverySecret(code string) ([]byte, error) {
	c, err := NormalizeRecoveryCode(code)
	if err != nil {
		return nil, err
	}
	return []byte(c), nil
}
