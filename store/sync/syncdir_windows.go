//go:build windows

package sync

// syncDir is a no-op on Windows: NTFS and SMB commit the rename with the
// file's own flush (FlushFileBuffers), and directories cannot be opened
// for flushing.
func syncDir(string) {}
