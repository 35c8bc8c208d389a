// Package sync is the format of the shared folder through which the PCs of
// one office exchange their changes (DESIGN.md §4): change files, snapshot
// files and office.json, how they are named, written and read.
//
// Layout, under the folder chosen by the user (a network share, a mapped
// drive or a USB stick):
//
//	CartellaSociale-<office id>/
//	  office.json                          office id, format, KDF parameters, wrapped keys (not secret)
//	  sync/<device id>/000000000001.csync   change files, one writer each, never rewritten
//	  snapshots/<device id>-000000000042.csnap   full state, for a PC that joins
//
// A change or snapshot file is a fixed header in clear (magic, format
// version, kind, office id, device id, sequence numbers, count, highest
// HLC) followed by frames, each sealed with XChaCha20-Poly1305 under the
// office's sync sub-key with the header, the frame's index and a final
// flag as associated data: a truncated file lacks its final frame, a
// flipped byte fails its frame's tag, a header moved to another file fails
// every tag. Nothing is returned to the caller before the whole file has
// been authenticated (Decode), or the caller applies entries in one
// transaction and rolls back on the first error (Reader).
//
// The package does not know the database: the store encodes its rows into
// Record, Audit and Key entries and applies them.
package sync
