package sync

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"syscall"
	"testing"
	"time"

	"cartella/store/vault"
)

func testKey(t testing.TB) *vault.Key {
	t.Helper()
	k, err := vault.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

var (
	office = [16]byte{1, 2, 3}
	device = [16]byte{9, 9, 9}
)

func sampleEntries() []Entry {
	return []Entry{
		{Record: &Record{ID: [16]byte{1}, Kind: "person", HLC: 1 << 20, Device: device, Schema: 1, Body: []byte("sealed-body")}},
		{Record: &Record{ID: [16]byte{2}, Kind: "diary", Parent: bytes.Repeat([]byte{7}, 16), HLC: 2 << 20, Device: device, Deleted: true, Schema: 3, History: []byte("vv"), Body: []byte("b")}},
		{Audit: &Audit{Device: device, Seq: 4, HLC: 3 << 20, Body: []byte("entry"), Chain: bytes.Repeat([]byte{1}, 32)}},
		{Key: &Key{Login: []byte("recovery"), Operator: [16]byte{5}, Wrapped: []byte("wrapped"), HLC: 5, Device: device}},
		{Key: &Key{Login: []byte("gone"), HLC: 6, Device: device}},
		{Applied: &Applied{Device: device, From: 1, To: 9}},
	}
}

func encode(t testing.TB, key *vault.Key, h Header, es []Entry) []byte {
	t.Helper()
	var b bytes.Buffer
	w, err := NewWriter(&b, key, h)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		switch {
		case e.Record != nil:
			err = w.Record(e.Record)
		case e.Audit != nil:
			err = w.Audit(e.Audit)
		case e.Key != nil:
			err = w.Key(e.Key)
		case e.Applied != nil:
			err = w.Applied(*e.Applied)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func header(n int) Header {
	return Header{Kind: KindChanges, Office: office, Device: device, Seq: 7, First: 10, Last: 20, Count: uint32(n),
		MaxHLC: 5 << 20, Created: time.UnixMilli(1700000000000).UTC()}
}

func TestRoundTrip(t *testing.T) {
	key := testKey(t)
	es := sampleEntries()
	data := encode(t, key, header(len(es)), es)
	h, got, err := Decode(data, key, office)
	if err != nil {
		t.Fatal(err)
	}
	want := header(len(es))
	want.Version = FormatVersion
	if h != want {
		t.Errorf("header = %+v, want %+v", h, want)
	}
	if !reflect.DeepEqual(got, es) {
		t.Errorf("entries differ:\n got %+v\nwant %+v", got, es)
	}
}

func TestLargeFileSpansFrames(t *testing.T) {
	key := testKey(t)
	var es []Entry
	body := bytes.Repeat([]byte("x"), 300<<10)
	for i := range 10 { // 3 MB: four frames, entries straddling them
		es = append(es, Entry{Record: &Record{ID: [16]byte{byte(i)}, Kind: "attachment_chunk", HLC: uint64(i), Device: device, Body: body}})
	}
	h := header(0)
	h.Kind = KindSnapshot
	data := encode(t, key, h, es)
	_, got, err := Decode(data, key, office)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(es) || !bytes.Equal(got[9].Record.Body, body) {
		t.Fatalf("got %d entries", len(got))
	}
	// Cut at a frame boundary: the final frame is missing.
	if _, _, err := Decode(data[:HeaderSize+4+maxBox], key, office); !errors.Is(err, ErrTruncated) {
		t.Errorf("cut at frame boundary: %v, want ErrTruncated", err)
	}
}

// TestBadFiles: every damaged file is refused with the right reason and no
// entry is returned.
func TestBadFiles(t *testing.T) {
	key := testKey(t)
	es := sampleEntries()
	good := encode(t, key, header(len(es)), es)
	future := bytes.Clone(good)
	future[5] = FormatVersion + 1
	other := [16]byte{4, 4}
	for _, tc := range []struct {
		name string
		data []byte
		key  *vault.Key
		want error
	}{
		{"empty", nil, key, ErrTruncated},
		{"not ours", []byte("desktop.ini content [.ShellClassInfo]"), key, ErrNotSyncFile},
		{"header only", good[:HeaderSize], key, ErrTruncated},
		{"truncated by one byte", good[:len(good)-1], key, ErrTruncated},
		{"truncated half", good[:len(good)/2], key, ErrTruncated},
		{"extra byte", append(bytes.Clone(good), 0), key, ErrCorrupt},
		{"future version", future, key, ErrFutureVersion},
		{"wrong key", good, testKey(t), ErrCorrupt},
		{"other office", encode(t, key, Header{Kind: KindChanges, Office: other, Device: device, Seq: 1}, nil), key, ErrOtherOffice},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, got, err := Decode(tc.data, tc.key, office)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if got != nil {
				t.Fatal("entries returned from a bad file")
			}
		})
	}
}

// TestEveryFlippedByteRefused flips each byte of a small file in turn.
func TestEveryFlippedByteRefused(t *testing.T) {
	key := testKey(t)
	es := sampleEntries()
	good := encode(t, key, header(len(es)), es)
	for i := range good {
		bad := bytes.Clone(good)
		bad[i] ^= 0x20
		if _, got, err := Decode(bad, key, office); err == nil || got != nil {
			t.Fatalf("flipped byte %d accepted", i)
		}
	}
}

func TestCountMismatch(t *testing.T) {
	key := testKey(t)
	var b bytes.Buffer
	w, _ := NewWriter(&b, key, header(3))
	w.Audit(&Audit{Seq: 1})
	if err := w.Close(); err == nil {
		t.Fatal("writer closed with a wrong count")
	}
}

func TestNames(t *testing.T) {
	for _, tc := range []struct {
		name string
		seq  uint64
		ok   bool
	}{
		{ChangeName(1), 1, true},
		{"000000000123.csync", 123, true},
		{"000000000000.csync", 0, false},
		{"desktop.ini", 0, false},
		{"Thumbs.db", 0, false},
		{".000000000001.csync.a1b2c3.tmp", 0, false},
		{"000000000001.csync.tmp", 0, false},
		{"000000000001 (conflicted copy).csync", 0, false},
		{"000000000001 (copia in conflitto di PC-UFFICIO 2024-03-01).csync", 0, false},
		{"000000000001.sync-conflict-20240301-101010-ABCDEFG.csync", 0, false},
		{"000000000001-PC-UFFICIO2.csync", 0, false},
		{"000000000001 (1).csync", 0, false},
		{"1.csync", 0, false},
		{"00000000000a.csync", 0, false},
	} {
		seq, ok := ParseChangeName(tc.name)
		if ok != tc.ok || seq != tc.seq {
			t.Errorf("ParseChangeName(%q) = %d, %v; want %d, %v", tc.name, seq, ok, tc.seq, tc.ok)
		}
	}
	dev, seq, ok := ParseSnapshotName(SnapshotName(device, 42))
	if !ok || dev != device || seq != 42 {
		t.Errorf("snapshot name round trip: %x %d %v", dev, seq, ok)
	}
	if _, _, ok := ParseSnapshotName(SnapshotName(device, 42) + ".tmp"); ok {
		t.Error("temporary snapshot accepted")
	}
	if id, ok := ParseOfficeDirName(OfficeDirName(office)); !ok || id != office {
		t.Error("office folder name round trip")
	}
}

func TestFolderListingIgnoresJunk(t *testing.T) {
	ctx := context.Background()
	f := ForOffice(t.TempDir(), office)
	dir := f.DeviceDir(device)
	for _, seq := range []uint64{2, 1} {
		if err := WriteAtomic(ctx, dir, ChangeName(seq), true, func(w io.Writer) error { _, err := w.Write([]byte("x")); return err }); err != nil {
			t.Fatal(err)
		}
	}
	for _, junk := range []string{"desktop.ini", "Thumbs.db", ".000000000003.csync.abc.tmp", "000000000003 (conflicted copy).csync",
		"000000000003.sync-conflict-20240301-101010-ABC.csync", "000000000003-PCNAME.csync"} {
		os.WriteFile(filepath.Join(dir, junk), []byte("junk"), 0o644)
	}
	os.WriteFile(filepath.Join(f.Dir, "sync", "desktop.ini"), []byte("junk"), 0o644)
	os.MkdirAll(filepath.Join(f.Dir, "sync", "Nuova cartella"), 0o755)
	refs, err := f.Changes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(refs) != 2 || refs[0].Seq != 1 || refs[1].Seq != 2 {
		t.Fatalf("refs = %+v", refs)
	}
	if err := WriteAtomic(ctx, dir, ChangeName(1), true, func(w io.Writer) error { return nil }); err == nil {
		t.Error("exclusive write replaced an existing change file")
	}
	// Unreachable folder: Italian message.
	_, err = ForOffice(filepath.Join(t.TempDir(), "non-esiste"), office).Changes(ctx)
	if !errors.Is(err, ErrUnreachable) {
		t.Errorf("missing folder: %v", err)
	}
}

func TestRetryTransient(t *testing.T) {
	old, oldDelays := IsTransient, RetryDelays
	t.Cleanup(func() { IsTransient, RetryDelays = old, oldDelays })
	RetryDelays = []time.Duration{time.Millisecond, time.Millisecond, time.Millisecond}
	IsTransient = func(err error) bool { return errors.Is(err, syscall.EBUSY) }
	for _, tc := range []struct {
		name     string
		failures int
		err      error
		wantErr  bool
		wantRuns int
	}{
		{"ok at once", 0, nil, false, 1},
		{"two sharing violations", 2, syscall.EBUSY, false, 3},
		{"always busy", 10, syscall.EBUSY, true, 4},
		{"permanent error", 10, syscall.ENOENT, true, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			runs := 0
			err := Retry(context.Background(), func() error {
				runs++
				if runs <= tc.failures {
					return tc.err
				}
				return nil
			})
			if (err != nil) != tc.wantErr || runs != tc.wantRuns {
				t.Errorf("err = %v, runs = %d; want err %v, runs %d", err, runs, tc.wantErr, tc.wantRuns)
			}
		})
	}
}

func TestOfficeFileMAC(t *testing.T) {
	key := testKey(t)
	o := &OfficeFile{Format: OfficeFormat, Office: "0102030000000000000000000000000a", Label: "Servizi Sociali",
		KDF: []byte(`{"Time":3}`), Keys: []OfficeKey{{Login: "aa", Operator: "bb", Wrapped: []byte{1, 2}}}}
	o.Sign(key)
	f := Folder{Dir: t.TempDir()}
	if err := f.WriteOffice(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	got, err := f.ReadOffice(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !got.Verify(key) {
		t.Fatal("MAC does not verify after round trip")
	}
	got.Keys[0].Wrapped[0] ^= 1
	if got.Verify(key) {
		t.Fatal("altered office.json verifies")
	}
}
