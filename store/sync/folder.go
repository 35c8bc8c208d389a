package sync

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Names in the shared folder. They are ASCII, short and free of ':' so
// that they work on every share and USB stick (tech.md §5.2).
const (
	OfficeDirPrefix = "CartellaSociale-"
	OfficeFileName  = "office.json"
	changesDir      = "sync"
	snapshotsDir    = "snapshots"
	changeExt       = ".csync"
	snapshotExt     = ".csnap"
	tmpExt          = ".tmp"
	seqDigits       = 12
)

// Folder is an office's folder inside the shared folder.
type Folder struct {
	Dir string
}

// OfficeDirName is the name of the office's folder.
func OfficeDirName(office [16]byte) string {
	return OfficeDirPrefix + hex.EncodeToString(office[:])
}

// ForOffice is the office's folder under the shared folder chosen by the
// user. If the user chose the office folder itself, it is used as is.
func ForOffice(shared string, office [16]byte) Folder {
	name := OfficeDirName(office)
	if strings.EqualFold(filepath.Base(filepath.Clean(shared)), name) {
		return Folder{Dir: filepath.Clean(shared)}
	}
	return Folder{Dir: filepath.Join(shared, name)}
}

// ParseOfficeDirName returns the office id of a folder name.
func ParseOfficeDirName(name string) ([16]byte, bool) {
	var id [16]byte
	rest, ok := strings.CutPrefix(name, OfficeDirPrefix)
	if !ok || len(rest) != 32 {
		return id, false
	}
	if _, err := hex.Decode(id[:], []byte(strings.ToLower(rest))); err != nil {
		return id, false
	}
	return id, true
}

// FindOffices lists the office folders in shared (or shared itself, when
// it is an office folder).
func FindOffices(shared string) ([]Folder, error) {
	if _, ok := ParseOfficeDirName(filepath.Base(filepath.Clean(shared))); ok {
		return []Folder{{Dir: filepath.Clean(shared)}}, nil
	}
	ents, err := os.ReadDir(shared)
	if err != nil {
		return nil, FolderError(err)
	}
	var out []Folder
	for _, e := range ents {
		if _, ok := ParseOfficeDirName(e.Name()); ok && e.IsDir() {
			out = append(out, Folder{Dir: filepath.Join(shared, e.Name())})
		}
	}
	return out, nil
}

// ErrUnreachable says the shared folder cannot be read or written.
var ErrUnreachable = errors.New("la cartella condivisa non è raggiungibile (rete assente, chiavetta scollegata o permessi mancanti)")

// FolderError turns a file-system error on the share into an Italian one.
func FolderError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) || isTransient(err) {
		return fmt.Errorf("%w: %v", ErrUnreachable, err)
	}
	if containsAny(err.Error(), "no space left", "disk full", "There is not enough space") {
		return fmt.Errorf("la cartella condivisa è piena: liberare spazio (%v)", err)
	}
	return fmt.Errorf("cartella condivisa: %w", err)
}

func containsAny(s string, subs ...string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

func devHex(d [16]byte) string { return hex.EncodeToString(d[:]) }

func parseDev(s string) ([16]byte, bool) {
	var d [16]byte
	if len(s) != 32 || strings.ToLower(s) != s {
		return d, false
	}
	_, err := hex.Decode(d[:], []byte(s))
	return d, err == nil
}

// DeviceDir is where device writes its change files.
func (f Folder) DeviceDir(device [16]byte) string {
	return filepath.Join(f.Dir, changesDir, devHex(device))
}

// SnapshotDir holds the snapshots of every device.
func (f Folder) SnapshotDir() string { return filepath.Join(f.Dir, snapshotsDir) }

// OfficeFile is the path of office.json.
func (f Folder) OfficeFile() string { return filepath.Join(f.Dir, OfficeFileName) }

// ChangeName is the file name of change file seq.
func ChangeName(seq uint64) string { return fmt.Sprintf("%0*d%s", seqDigits, seq, changeExt) }

// SnapshotName is the file name of a device's snapshot.
func SnapshotName(device [16]byte, seq uint64) string {
	return fmt.Sprintf("%s-%0*d%s", devHex(device), seqDigits, seq, snapshotExt)
}

func parseSeq(s string) (uint64, bool) {
	if len(s) != seqDigits || strings.Trim(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseUint(s, 10, 64)
	return n, err == nil && n > 0
}

// ParseChangeName returns the sequence number of a change file name. Any
// other name — desktop.ini, Thumbs.db, *.tmp, "… (conflicted copy) …",
// "….sync-conflict-…", "…-NOMEPC.csync" copies made by sync clients — is
// not ours and is ignored.
func ParseChangeName(name string) (uint64, bool) {
	s, ok := strings.CutSuffix(name, changeExt)
	if !ok {
		return 0, false
	}
	return parseSeq(s)
}

// ParseSnapshotName returns the device and number of a snapshot name.
func ParseSnapshotName(name string) ([16]byte, uint64, bool) {
	s, ok := strings.CutSuffix(name, snapshotExt)
	if !ok || len(s) != 32+1+seqDigits || s[32] != '-' {
		return [16]byte{}, 0, false
	}
	dev, ok := parseDev(s[:32])
	if !ok {
		return dev, 0, false
	}
	seq, ok := parseSeq(s[33:])
	return dev, seq, ok
}

// FileRef is a change or snapshot file found in the folder.
type FileRef struct {
	Device [16]byte
	Seq    uint64
	Path   string
	Size   int64
	Mod    time.Time
}

// Name is the path relative to the office folder, for messages.
func (r FileRef) Name(f Folder) string {
	if rel, err := filepath.Rel(f.Dir, r.Path); err == nil {
		return filepath.ToSlash(rel)
	}
	return filepath.Base(r.Path)
}

// Changes lists the change files of every device, by device then number.
// Names that are not exactly ours are skipped.
func (f Folder) Changes(ctx context.Context) ([]FileRef, error) {
	root := filepath.Join(f.Dir, changesDir)
	var devs []os.DirEntry
	err := Retry(ctx, func() error {
		var err error
		devs, err = os.ReadDir(root)
		return err
	})
	if errors.Is(err, fs.ErrNotExist) {
		if _, serr := os.Stat(f.Dir); serr != nil {
			return nil, FolderError(serr)
		}
		return nil, nil
	}
	if err != nil {
		return nil, FolderError(err)
	}
	var out []FileRef
	for _, d := range devs {
		dev, ok := parseDev(d.Name())
		if !ok || !d.IsDir() {
			continue
		}
		refs, err := f.deviceChanges(ctx, dev)
		if err != nil {
			return nil, err
		}
		out = append(out, refs...)
	}
	return out, nil
}

func (f Folder) deviceChanges(ctx context.Context, dev [16]byte) ([]FileRef, error) {
	dir := f.DeviceDir(dev)
	var ents []os.DirEntry
	err := Retry(ctx, func() error {
		var err error
		ents, err = os.ReadDir(dir)
		return err
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, FolderError(err)
	}
	var out []FileRef
	for _, e := range ents {
		seq, ok := ParseChangeName(e.Name())
		if !ok || !e.Type().IsRegular() {
			continue
		}
		ref := FileRef{Device: dev, Seq: seq, Path: filepath.Join(dir, e.Name())}
		if info, err := e.Info(); err == nil {
			ref.Size, ref.Mod = info.Size(), info.ModTime()
		}
		out = append(out, ref)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	return out, nil
}

// DeviceChanges lists one device's change files in order.
func (f Folder) DeviceChanges(ctx context.Context, dev [16]byte) ([]FileRef, error) {
	return f.deviceChanges(ctx, dev)
}

// Snapshots lists the snapshots, newest (highest number, then newest
// file) first.
func (f Folder) Snapshots(ctx context.Context) ([]FileRef, error) {
	var ents []os.DirEntry
	err := Retry(ctx, func() error {
		var err error
		ents, err = os.ReadDir(f.SnapshotDir())
		return err
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, FolderError(err)
	}
	var out []FileRef
	for _, e := range ents {
		dev, seq, ok := ParseSnapshotName(e.Name())
		if !ok || !e.Type().IsRegular() {
			continue
		}
		ref := FileRef{Device: dev, Seq: seq, Path: filepath.Join(f.SnapshotDir(), e.Name())}
		if info, err := e.Info(); err == nil {
			ref.Size, ref.Mod = info.Size(), info.ModTime()
		}
		out = append(out, ref)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Mod.Equal(out[j].Mod) {
			return out[i].Mod.After(out[j].Mod)
		}
		return out[i].Seq > out[j].Seq
	})
	return out, nil
}

// RemoveStaleTemps deletes temporary files left in dir by an interrupted
// write of this device (only its own folder: never another PC's files).
func RemoveStaleTemps(dir string, olderThan time.Duration) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		if !strings.HasSuffix(e.Name(), tmpExt) || !strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > olderThan {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// RetryDelays are the pauses between attempts when the share answers with
// a sharing violation (antivirus, indexer, backup or cloud client holding
// the file for a moment): about 8 seconds in all.
var RetryDelays = []time.Duration{
	50 * time.Millisecond, 100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond,
	800 * time.Millisecond, 1500 * time.Millisecond, 2 * time.Second, 2 * time.Second,
}

// IsTransient tells whether an error is worth retrying; tests replace it.
var IsTransient = isTransient

func isTransient(err error) bool {
	var errno syscall.Errno
	if runtime.GOOS != "windows" || !errors.As(err, &errno) {
		return false
	}
	switch errno {
	case 5, 32, 33: // ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
		return true
	}
	return false
}

// Retry runs fn until it succeeds, fails with a non-transient error, the
// delays are exhausted or ctx ends.
func Retry(ctx context.Context, fn func() error) error {
	err := fn()
	for _, d := range RetryDelays {
		if err == nil || !IsTransient(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(d):
		}
		err = fn()
	}
	return err
}

// WriteFile writes a file under the office folder (see WriteAtomic),
// creating the subfolder dir if needed but never the office folder itself:
// if that is gone (USB stick pulled out, share disconnected), nothing is
// written anywhere else and ErrUnreachable is returned.
func (f Folder) WriteFile(ctx context.Context, dir, name string, exclusive bool, write func(io.Writer) error) error {
	if _, err := os.Stat(f.Dir); err != nil {
		return FolderError(err)
	}
	return WriteAtomic(ctx, dir, name, exclusive, write)
}

// WriteAtomic writes dir/name so that a reader never sees half of it: a
// temporary name in the same folder (".name.<random>.tmp", ignored by
// readers), flushed to disk, then renamed. If name exists it is replaced,
// except when exclusive is set (change files are never rewritten).
func WriteAtomic(ctx context.Context, dir, name string, exclusive bool, write func(io.Writer) error) error {
	if err := Retry(ctx, func() error { return os.MkdirAll(dir, 0o755) }); err != nil {
		return FolderError(err)
	}
	var rnd [6]byte
	rand.Read(rnd[:])
	tmp := filepath.Join(dir, "."+name+"."+hex.EncodeToString(rnd[:])+tmpExt)
	final := filepath.Join(dir, name)
	var f *os.File
	err := Retry(ctx, func() error {
		var err error
		f, err = os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		return err
	})
	if err != nil {
		return FolderError(err)
	}
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err := write(f); err != nil {
		return FolderError(err)
	}
	if err := f.Sync(); err != nil {
		return FolderError(err)
	}
	if err := f.Close(); err != nil {
		return FolderError(err)
	}
	if exclusive {
		if _, err := os.Stat(final); err == nil {
			return fmt.Errorf("cartella condivisa: il file %s esiste già", name)
		}
	}
	if err := Retry(ctx, func() error { return os.Rename(tmp, final) }); err != nil {
		return FolderError(err)
	}
	ok = true
	syncDir(dir)
	return nil
}

// ReadFile reads a file of the share, retrying sharing violations.
func ReadFile(ctx context.Context, path string) ([]byte, error) {
	var b []byte
	err := Retry(ctx, func() error {
		var err error
		b, err = os.ReadFile(path)
		return err
	})
	return b, err
}
