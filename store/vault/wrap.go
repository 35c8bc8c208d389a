package vault

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"runtime"
	"time"

	"golang.org/x/crypto/argon2"
)

// Params are the Argon2id cost parameters stored with each wrapped key.
type Params struct {
	Time      uint32 // passes over memory (t)
	MemoryKiB uint32 // memory in KiB (m)
	Threads   uint8  // parallelism (p)
}

// MinParams is the floor for any wrapped key: never below m=64 MiB, t=3.
var MinParams = Params{Time: 3, MemoryKiB: 64 * 1024, Threads: 1}

// Sanity caps: a wrapped key read from the shared folder must not be able to
// make Unwrap allocate or compute without bound.
const (
	MaxTime      = 64
	MaxMemoryKiB = 1024 * 1024 // 1 GiB
	MaxThreads   = 16
)

// Calibration settings (see Calibrate).
const (
	// CalibrateMemoryKiB is the memory Calibrate starts from (256 MiB).
	CalibrateMemoryKiB = 256 * 1024
	// DefaultTarget is the derivation time Calibrate aims at if given <= 0.
	DefaultTarget = 500 * time.Millisecond
	// CalibrateCap is the longest derivation Calibrate will choose.
	CalibrateCap = 1200 * time.Millisecond
)

// paramFloor is what Valid, Wrap, Unwrap and UnmarshalBinary enforce. It is
// MinParams in production; tests lower it to keep Argon2id fast.
var paramFloor = MinParams

// Valid reports whether p is at least MinParams and within the sanity caps.
func (p Params) Valid() error {
	f := paramFloor
	switch {
	case p.Time < f.Time || p.MemoryKiB < f.MemoryKiB || p.Threads < f.Threads:
		return fmt.Errorf("vault: params t=%d m=%dKiB p=%d below minimum t=%d m=%dKiB p=%d: %w",
			p.Time, p.MemoryKiB, p.Threads, f.Time, f.MemoryKiB, f.Threads, ErrWeakParams)
	case p.Time > MaxTime || p.MemoryKiB > MaxMemoryKiB || p.Threads > MaxThreads:
		return fmt.Errorf("vault: params t=%d m=%dKiB p=%d above limits t=%d m=%dKiB p=%d: %w",
			p.Time, p.MemoryKiB, p.Threads, MaxTime, MaxMemoryKiB, MaxThreads, ErrWeakParams)
	}
	return nil
}

// String describes p (no secrets involved).
func (p Params) String() string {
	return fmt.Sprintf("argon2id(t=%d, m=%d MiB, p=%d)", p.Time, p.MemoryKiB/1024, p.Threads)
}

func kdf(secret, salt []byte, p Params) []byte {
	return argon2.IDKey(secret, salt, p.Time, p.MemoryKiB, p.Threads, KeySize)
}

func measureArgon2(p Params) time.Duration {
	salt := make([]byte, SaltSize)
	// Collect the previous run's buffer first so that this run reuses its
	// pages instead of faulting in fresh ones (which would inflate the time).
	runtime.GC()
	start := time.Now()
	k := kdf([]byte("cartella-calibration"), salt, p)
	d := time.Since(start)
	clear(k)
	return d
}

// Calibrate measures Argon2id on this PC and returns parameters for which one
// derivation takes about target (DefaultTarget if target <= 0): m=256 MiB,
// p=min(4, NumCPU), t raised from 3 until the time reaches target, without
// choosing more than CalibrateCap (~1.2 s). On a PC too slow even for t=3,
// memory is halved down to 64 MiB. The result is never below MinParams.
// It takes a warm-up and a few derivations (typically 1–2 s in total).
func Calibrate(target time.Duration) Params {
	return CalibrateWithMemory(target, CalibrateMemoryKiB)
}

// CalibrateWithMemory is Calibrate with a memory ceiling in KiB (e.g. for PCs
// with little RAM); values below 64 MiB are raised to 64 MiB.
func CalibrateWithMemory(target time.Duration, maxMemoryKiB uint32) Params {
	return calibrate(target, maxMemoryKiB, runtime.NumCPU(), measureArgon2)
}

func calibrate(target time.Duration, maxMemoryKiB uint32, ncpu int, measure func(Params) time.Duration) Params {
	if target <= 0 {
		target = DefaultTarget
	}
	if target > CalibrateCap {
		target = CalibrateCap
	}
	p := Params{
		Time:      MinParams.Time,
		MemoryKiB: min(max(maxMemoryKiB, MinParams.MemoryKiB), MaxMemoryKiB),
		Threads:   uint8(min(max(ncpu, 1), 4)),
	}
	// Warm-up at t=1: the first derivation also pays for the OS handing out
	// fresh pages (very slow on some VMs), which would bias the estimate.
	warm := p
	warm.Time = 1
	measure(warm)
	for range 10 {
		d := max(measure(p), time.Microsecond)
		if d > CalibrateCap {
			if p.Time > MinParams.Time {
				// Overshot: scale back (time is roughly linear in t).
				p.Time = max(MinParams.Time, uint32(float64(p.Time)*float64(CalibrateCap)/float64(d)))
				return p
			}
			if p.MemoryKiB/2 >= MinParams.MemoryKiB {
				p.MemoryKiB /= 2 // slow PC: trade memory for time
				continue
			}
			return p // slowest acceptable setting
		}
		if d >= target {
			return p
		}
		perPass := float64(d) / float64(p.Time)
		next := uint32(float64(target)/perPass + 0.999)
		limit := uint32(float64(CalibrateCap) / perPass)
		next = min(next, limit, MaxTime)
		if next <= p.Time {
			if p.Time < limit && p.Time < MaxTime {
				next = p.Time + 1
			} else {
				return p
			}
		}
		p.Time = next
	}
	return p
}

// Wrapped is a wrapped office key as stored per operator and for the
// recovery code. It is not secret.
type Wrapped struct {
	Version uint8
	Params  Params
	Salt    []byte // SaltSize random bytes
	Box     []byte // Seal(KEK, officeKey, wrap ad)
}

const (
	// WrapVersion is the current Wrapped format version.
	WrapVersion = 1
	// SaltSize is the Argon2id salt length.
	SaltSize = 16

	wrappedMagic  = "CSWK"
	wrappedHeader = len(wrappedMagic) + 1 + 4 + 4 + 1 + SaltSize
	wrappedBox    = KeySize + Overhead
	wrappedSize   = wrappedHeader + wrappedBox
	wrapDomain    = "cartella/wrap/v1\x00"
)

// header encodes everything but the box; it is also bound as AEAD data.
func (w Wrapped) header() []byte {
	b := make([]byte, 0, wrappedHeader)
	b = append(b, wrappedMagic...)
	b = append(b, w.Version)
	b = binary.BigEndian.AppendUint32(b, w.Params.Time)
	b = binary.BigEndian.AppendUint32(b, w.Params.MemoryKiB)
	b = append(b, w.Params.Threads)
	return append(b, w.Salt...)
}

func (w Wrapped) check() error {
	if w.Version != WrapVersion {
		return fmt.Errorf("vault: wrapped key version %d unsupported: %w", w.Version, ErrMalformed)
	}
	if err := w.Params.Valid(); err != nil {
		return fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if len(w.Salt) != SaltSize || len(w.Box) != wrappedBox {
		return fmt.Errorf("vault: wrapped key salt/box length: %w", ErrMalformed)
	}
	return nil
}

// MarshalBinary encodes w as magic "CSWK" ‖ version ‖ t ‖ m ‖ p ‖ salt ‖ box
// (102 bytes for version 1).
func (w Wrapped) MarshalBinary() ([]byte, error) {
	if err := w.check(); err != nil {
		return nil, err
	}
	return append(w.header(), w.Box...), nil
}

// UnmarshalBinary decodes what MarshalBinary produced, rejecting unknown
// versions, wrong sizes and parameters outside [MinParams, caps].
func (w *Wrapped) UnmarshalBinary(data []byte) error {
	if len(data) < len(wrappedMagic)+1 || string(data[:len(wrappedMagic)]) != wrappedMagic {
		return fmt.Errorf("vault: not a wrapped key: %w", ErrMalformed)
	}
	if v := data[len(wrappedMagic)]; v != WrapVersion {
		return fmt.Errorf("vault: wrapped key version %d unsupported: %w", v, ErrMalformed)
	}
	if len(data) != wrappedSize {
		return fmt.Errorf("vault: wrapped key is %d bytes, want %d: %w", len(data), wrappedSize, ErrMalformed)
	}
	r := data[len(wrappedMagic)+1:]
	nw := Wrapped{
		Version: WrapVersion,
		Params: Params{
			Time:      binary.BigEndian.Uint32(r[0:4]),
			MemoryKiB: binary.BigEndian.Uint32(r[4:8]),
			Threads:   r[8],
		},
		Salt: bytes.Clone(r[9 : 9+SaltSize]),
		Box:  bytes.Clone(r[9+SaltSize:]),
	}
	if err := nw.check(); err != nil {
		return err
	}
	*w = nw
	return nil
}

func wrapAD(w Wrapped, ad []byte) []byte {
	b := append([]byte(wrapDomain), w.header()...)
	return append(b, ad...)
}

// Wrap encrypts the office key under a key derived from secret (password or
// normalised recovery code) with Argon2id(p) and a fresh salt. ad is context
// (e.g. office id + operator id) that Unwrap must repeat, so a wrapped key
// cannot be moved to another account. Params below MinParams are refused.
func Wrap(office *Key, secret []byte, p Params, ad []byte) (Wrapped, error) {
	ob, err := office.bytes()
	if err != nil {
		return Wrapped{}, fmt.Errorf("vault: wrap: %w", err)
	}
	if len(secret) == 0 {
		return Wrapped{}, errors.New("vault: wrap: empty secret")
	}
	if err := p.Valid(); err != nil {
		return Wrapped{}, fmt.Errorf("vault: wrap: %w", err)
	}
	w := Wrapped{Version: WrapVersion, Params: p, Salt: make([]byte, SaltSize)}
	if _, err := io.ReadFull(rand.Reader, w.Salt); err != nil {
		return Wrapped{}, fmt.Errorf("vault: wrap: reading salt: %w", err)
	}
	kek, err := kekFor(secret, w)
	if err != nil {
		return Wrapped{}, fmt.Errorf("vault: wrap: %w", err)
	}
	defer kek.Zero()
	w.Box, err = Seal(kek, ob, wrapAD(w, ad))
	if err != nil {
		return Wrapped{}, fmt.Errorf("vault: wrap: %w", err)
	}
	return w, nil
}

func kekFor(secret []byte, w Wrapped) (*Key, error) {
	raw := kdf(secret, w.Salt, w.Params)
	defer clear(raw)
	return keyFrom(raw)
}

// Unwrap recovers the office key from w with secret and the same ad given to
// Wrap. A wrong secret, a different ad and an altered w all give
// ErrWrongSecret (they cannot be told apart); structurally invalid input
// gives ErrMalformed before any expensive work.
func Unwrap(w Wrapped, secret []byte, ad []byte) (*Key, error) {
	if err := w.check(); err != nil {
		return nil, fmt.Errorf("vault: unwrap: %w", err)
	}
	if len(secret) == 0 {
		return nil, fmt.Errorf("vault: unwrap: empty secret: %w", ErrWrongSecret)
	}
	kek, err := kekFor(secret, w)
	if err != nil {
		return nil, fmt.Errorf("vault: unwrap: %w", err)
	}
	defer kek.Zero()
	pt, err := Open(kek, w.Box, wrapAD(w, ad))
	if err != nil {
		return nil, fmt.Errorf("vault: unwrap: %w", ErrWrongSecret)
	}
	defer clear(pt)
	return keyFrom(pt)
}
