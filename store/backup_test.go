package store_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"cartella/store"
)

func TestBackupDeleteRestoreSameDigest(t *testing.T) {
	ctx := context.Background()
	a := firstPC(t)
	if err := a.s.PrepareBackups(ctx); err != nil {
		t.Fatal(err)
	}
	p := a.save(samplePerson())
	a.save(personN(1))
	want := a.digest()
	out := filepath.Join(t.TempDir(), "backup"+store.BackupExt)
	sum, err := a.db.BackupToFile(ctx, out, store.BackupManual)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Counts["person"] != 2 {
		t.Errorf("summary counts %v", sum.Counts)
	}
	// No temporary copy is left behind.
	ents, _ := os.ReadDir(a.db.BackupDir())
	for _, e := range ents {
		t.Errorf("left in backups: %s", e.Name())
	}
	// Lose the PC: delete the whole data folder.
	dir := a.db.Dir()
	a.s.Lock()
	a.db.Close()
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// Wrong password: refused, nothing restored.
	if _, err := db.OpenBackup(ctx, f, testUser, "password-sbagliata-1"); !errors.Is(err, store.ErrLoginFailed) {
		t.Fatalf("wrong password: %v", err)
	}
	f.Seek(0, 0)
	waitDelay(db)
	prev, err := db.OpenBackup(ctx, f, testUser, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if prev.Counts["person"] != 2 || prev.OfficeLabel != "Servizi Sociali di Prova" || prev.Created.IsZero() {
		t.Errorf("preview %+v", prev.BackupSummary)
	}
	if db.HasOffice() {
		t.Fatal("opening a backup changed the data folder")
	}
	if err := db.Restore(ctx, prev); err != nil {
		t.Fatal(err)
	}
	s, err := db.Login(ctx, testUser, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Digest(ctx); got != want {
		t.Error("digest after restore differs")
	}
	if got, err := s.Person(ctx, p.ID); err != nil || got.Surname != p.Surname {
		t.Errorf("person after restore: %v", err)
	}
	r, err := s.Verify(ctx)
	if err != nil || !r.OK() {
		t.Errorf("verify after restore: %v %v", err, r.Problems)
	}
}

func TestBackupFlippedByteRefused(t *testing.T) {
	ctx := context.Background()
	a := firstPC(t)
	a.s.PrepareBackups(ctx)
	a.save(samplePerson())
	var b bytes.Buffer
	if _, err := a.db.WriteBackup(ctx, &b, store.BackupManual); err != nil {
		t.Fatal(err)
	}
	good := b.Bytes()
	// Sample positions in the header, the summary, the middle and the end.
	positions := []int{0, 3, 10, 60, 100, 140, 200, 300, len(good) / 3, len(good) / 2, len(good) - 40, len(good) - 1}
	for _, i := range positions {
		bad := bytes.Clone(good)
		bad[i] ^= 0x01
		_, err := a.db.OpenBackup(ctx, bytes.NewReader(bad), testUser, testPassword)
		if err == nil {
			t.Fatalf("backup with byte %d flipped accepted", i)
		}
		waitDelay(a.db)
	}
	for _, n := range []int{len(good) - 1, len(good) / 2, 50} {
		if _, err := a.db.OpenBackup(ctx, bytes.NewReader(good[:n]), testUser, testPassword); err == nil {
			t.Fatalf("backup truncated to %d accepted", n)
		}
	}
	if _, err := a.db.OpenBackup(ctx, bytes.NewReader([]byte("PK\x03\x04 not a backup")), testUser, testPassword); !errors.Is(err, store.ErrNotBackup) {
		t.Errorf("zip file: %v", err)
	}
	// Nothing decrypted is left in the data folder.
	ents, _ := os.ReadDir(a.db.Dir())
	for _, e := range ents {
		if filepath.Ext(e.Name()) == ".tmp" {
			t.Errorf("left behind: %s", e.Name())
		}
	}
	p, err := a.db.OpenBackup(ctx, bytes.NewReader(good), testUser, testPassword)
	if err != nil {
		t.Fatalf("intact backup refused: %v", err)
	}
	p.Discard()
}

func TestRestoreKeepsCurrentAsBackup(t *testing.T) {
	ctx := context.Background()
	a := firstPC(t)
	a.s.PrepareBackups(ctx)
	a.save(samplePerson())
	var b bytes.Buffer
	if _, err := a.db.WriteBackup(ctx, &b, store.BackupManual); err != nil {
		t.Fatal(err)
	}
	later := a.save(personN(7)) // made after the backup
	prev, err := a.db.OpenBackup(ctx, bytes.NewReader(b.Bytes()), testUser, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	a.s.Lock()
	if err := a.db.Restore(ctx, prev); err != nil {
		t.Fatal(err)
	}
	bs := a.db.Backups()
	if len(bs) != 1 || bs[0].Reason != store.BackupBeforeRestore {
		t.Fatalf("backups after restore: %+v", bs)
	}
	// The kept one has the person made after the backup.
	f, _ := os.Open(bs[0].Path)
	defer f.Close()
	kept, err := a.db.OpenBackup(ctx, f, testUser, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	defer kept.Discard()
	if kept.Counts["person"] != 2 {
		t.Errorf("kept backup has %d persons, want 2 (incl. %s)", kept.Counts["person"], later.ID)
	}
}

func TestAutoBackupDailyAndPruned(t *testing.T) {
	ctx := context.Background()
	a := firstPC(t)
	if p, err := a.db.AutoBackup(ctx); err == nil || p != "" {
		t.Fatalf("backup without key: %q %v", p, err)
	}
	a.s.PrepareBackups(ctx)
	p, err := a.db.AutoBackup(ctx)
	if err != nil || p == "" {
		t.Fatalf("first auto backup: %q %v", p, err)
	}
	if p, err := a.db.AutoBackup(ctx); err != nil || p != "" {
		t.Fatalf("second auto backup the same day: %q %v", p, err)
	}
	for range store.BackupsKept + 3 {
		if _, err := a.db.KeepBackup(ctx, store.BackupManual); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(a.db.Backups()); n != store.BackupsKept {
		t.Errorf("%d backups kept, want %d", n, store.BackupsKept)
	}
}
