//go:build !windows

package sync

import "os"

// syncDir flushes a directory entry (the rename) to disk; best effort.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
