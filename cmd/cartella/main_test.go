package main

import (
	"bytes"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

func TestDemoThenVerify(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("CARTELLA_PASSWORD", "Prova-Cartella-2026")
	var out, errb bytes.Buffer
	if code := runCommand("demo", []string{"-data", dir, "-persons", "40"}, &out, &errb); code != 0 {
		t.Fatalf("demo exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "Ufficio dimostrativo creato") {
		t.Errorf("demo output %q", out.String())
	}
	out.Reset()
	if code := runCommand("verify", []string{"-data", dir}, &out, &errb); code != 0 {
		t.Fatalf("verify exit %d: %s %s", code, out.String(), errb.String())
	}
	for _, want := range []string{"Integrità SQLite: ok", "persone", "nessun problema"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("verify report lacks %q:\n%s", want, out.String())
		}
	}
	// Demo twice on the same folder is refused.
	if code := runCommand("demo", []string{"-data", dir, "-persons", "1"}, &out, &errb); code == 0 {
		t.Error("second demo on the same folder accepted")
	}
	// A tampered audit entry makes verify fail with a non-zero status.
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "cartella.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("UPDATE audit SET body = substr(body, 1, 30) || randomblob(8) || substr(body, 39) WHERE seq = 2"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	out.Reset()
	if code := runCommand("verify", []string{"-data", dir}, &out, &errb); code == 0 {
		t.Fatalf("verify passed a tampered audit log:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "problemi trovati") {
		t.Errorf("report: %s", out.String())
	}
}

func TestWrongPasswordAndMissingPassword(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("CARTELLA_PASSWORD", "Prova-Cartella-2026")
	var out, errb bytes.Buffer
	if code := runCommand("demo", []string{"-data", dir, "-persons", "2"}, &out, &errb); code != 0 {
		t.Fatal(errb.String())
	}
	t.Setenv("CARTELLA_PASSWORD", "sbagliata-sbagliata")
	errb.Reset()
	if code := runCommand("verify", []string{"-data", dir}, &out, &errb); code == 0 || !strings.Contains(errb.String(), "Operatore o password non corretti") {
		t.Errorf("wrong password: exit %d, %q", code, errb.String())
	}
	t.Setenv("CARTELLA_PASSWORD", "")
	errb.Reset()
	if code := runCommand("verify", []string{"-data", dir}, &out, &errb); code == 0 || !strings.Contains(errb.String(), "CARTELLA_PASSWORD") {
		t.Errorf("missing password: exit %d, %q", code, errb.String())
	}
}
