package store

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
)

// ID identifies a record. It is random so that two PCs never collide.
type ID [16]byte

func NewID() ID {
	var id ID
	if _, err := rand.Read(id[:]); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err)) // the OS RNG failing is unrecoverable
	}
	return id
}

func (id ID) String() string { return hex.EncodeToString(id[:]) }
func (id ID) IsZero() bool   { return id == ID{} }

func (id ID) MarshalText() ([]byte, error) { return []byte(id.String()), nil }

func (id *ID) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*id = ID{}
		return nil
	}
	if len(b) != 32 {
		return fmt.Errorf("bad id length %d", len(b))
	}
	_, err := hex.Decode(id[:], b)
	return err
}

// ParseID parses the hex form of an ID.
func ParseID(s string) (ID, error) {
	var id ID
	err := id.UnmarshalText([]byte(s))
	return id, err
}

func idFromBytes(b []byte) (ID, error) {
	var id ID
	if len(b) != len(id) {
		return id, fmt.Errorf("bad id length %d", len(b))
	}
	copy(id[:], b)
	return id, nil
}
