package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var digestRE = regexp.MustCompile(`Impronta dei dati condivisi: ([0-9a-f]{64})`)

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := runCommand(args[0], args[1:], &out, &errb)
	return code, out.String(), errb.String()
}

func digestOf(t *testing.T, dir string) string {
	t.Helper()
	code, out, errs := run(t, "verify", "-data", dir, "-digest")
	if code != 0 {
		t.Fatalf("verify -digest %s: exit %d\n%s%s", dir, code, out, errs)
	}
	m := digestRE.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no digest in:\n%s", out)
	}
	return m[1]
}

// TestSyncJoinBackupRestoreCommands drives the headless commands end to
// end: demo office, sync, join from a second data folder, equal digests;
// wrong password on join; backup, delete, restore, equal digest; a
// backup with a flipped byte refused.
func TestSyncJoinBackupRestoreCommands(t *testing.T) {
	t.Setenv("CARTELLA_PASSWORD", "Prova-Cartella-2026")
	root := t.TempDir()
	a, b, shared := filepath.Join(root, "pc1"), filepath.Join(root, "pc2"), filepath.Join(root, "condivisa")
	os.MkdirAll(shared, 0o755)
	if code, _, errs := run(t, "demo", "-data", a, "-persons", "30"); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs := run(t, "sync", "-data", a, "-folder", shared)
	if code != 0 || !strings.Contains(out, "Inviate") {
		t.Fatalf("sync: exit %d\n%s%s", code, out, errs)
	}
	// Wrong password: nothing joins, Italian message.
	t.Setenv("CARTELLA_PASSWORD", "sbagliata-del-tutto")
	c := filepath.Join(root, "pc3")
	if code, _, errs := run(t, "join", "-data", c, "-folder", shared, "-operator", "demo"); code == 0 || !strings.Contains(errs, "Operatore o password non corretti") {
		t.Fatalf("join with wrong password: exit %d %q", code, errs)
	}
	t.Setenv("CARTELLA_PASSWORD", "Prova-Cartella-2026")
	if code, _, errs := run(t, "verify", "-data", c); code == 0 || !strings.Contains(errs, "nessun ufficio") {
		t.Errorf("folder of failed join: exit %d %q", code, errs)
	}
	code, out, errs = run(t, "join", "-data", b, "-folder", shared, "-operator", "demo")
	if code != 0 || !strings.Contains(out, "fa ora parte dell'ufficio") || !strings.Contains(out, "30 persone") {
		t.Fatalf("join: exit %d\n%s%s", code, out, errs)
	}
	for _, dir := range []string{a, b, a} {
		if code, out, errs := run(t, "sync", "-data", dir); code != 0 { // folder remembered
			t.Fatalf("sync %s: exit %d\n%s%s", dir, code, out, errs)
		}
	}
	da, db := digestOf(t, a), digestOf(t, b)
	if da != db {
		t.Fatalf("digests differ after sync: %s %s", da, db)
	}
	// Verifying and syncing again change nothing shared.
	run(t, "sync", "-data", b)
	run(t, "sync", "-data", a)
	if digestOf(t, a) != da || digestOf(t, b) != da {
		t.Error("digest changed without edits")
	}

	// Backup, lose the data folder, restore.
	bak := filepath.Join(root, "chiavetta", "ufficio.csbak")
	os.MkdirAll(filepath.Dir(bak), 0o755)
	if code, out, errs := run(t, "backup", "-data", a, "-out", bak); code != 0 || !strings.Contains(out, "persone") {
		t.Fatalf("backup: exit %d\n%s%s", code, out, errs)
	}
	if err := os.RemoveAll(a); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(bak)
	bad := filepath.Join(root, "rovinato.csbak")
	data[len(data)/2] ^= 0x10
	os.WriteFile(bad, data, 0o644)
	if code, _, errs := run(t, "restore", "-data", a, "-in", bad); code == 0 || !strings.Contains(errs, "danneggiato") {
		t.Fatalf("flipped byte restore: exit %d %q", code, errs)
	}
	code, out, errs = run(t, "restore", "-data", a, "-in", bak)
	if code != 0 || !strings.Contains(out, "Ripristino completato") || !strings.Contains(out, "Data del backup") {
		t.Fatalf("restore: exit %d\n%s%s", code, out, errs)
	}
	if got := digestOf(t, a); got != da {
		t.Errorf("digest after restore %s, want %s", got, da)
	}
	// The restored PC syncs on with the others.
	if code, out, errs := run(t, "sync", "-data", a, "-folder", shared); code != 0 {
		t.Fatalf("sync after restore: exit %d\n%s%s", code, out, errs)
	}
}
