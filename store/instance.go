package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// instanceLock keeps a second copy of the program away from the same data
// folder. The OS releases the lock when the process dies, so a crash never
// leaves a stale lock behind.
type instanceLock struct {
	f *os.File
}

const lockFileName = "cartella.lock"

func acquireInstanceLock(dir string) (*instanceLock, error) {
	f, err := os.OpenFile(filepath.Join(dir, lockFileName), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		if errors.Is(err, errWouldBlock) {
			return nil, ErrInUse
		}
		return nil, fmt.Errorf("lock data folder: %w", err)
	}
	return &instanceLock{f: f}, nil
}

func (l *instanceLock) release() error {
	if l == nil || l.f == nil {
		return nil
	}
	unlockFile(l.f)
	err := l.f.Close()
	l.f = nil
	return err
}

var errWouldBlock = errors.New("lock held by another process")
