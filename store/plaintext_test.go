package store_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"cartella/store"
	"cartella/store/demo"
)

// cfShape matches anything shaped like a codice fiscale, omocodia included.
var cfShape = regexp.MustCompile(`[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]`)

func TestNoPlaintextOnDisk(t *testing.T) {
	db, s, _ := newOffice(t)
	ctx := context.Background()
	g := demo.NewGenerator(7, db.Places(), time.Now(), "D612")
	people := g.Persons(200)
	// Names long and odd enough that they cannot appear by chance.
	people[0].Surname, people[0].GivenName = "Quattrocchiviolanti", "Eustachia"
	if _, err := s.SavePersons(ctx, people); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SavePerson(ctx, samplePerson()); err != nil {
		t.Fatal(err)
	}
	dir := db.Dir()
	scan := func(stage string) {
		t.Helper()
		for _, name := range []string{store.DBFileName, store.DBFileName + "-wal", store.DBFileName + "-shm", "cartella.lock"} {
			b, err := os.ReadFile(filepath.Join(dir, name))
			if os.IsNotExist(err) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			upper := bytes.ToUpper(b)
			for _, needle := range []string{"QUATTROCCHIVIOLANTI", "EUSTACHIA", "CACCAMO", "CCCFBA85D03L219P", "VIA ROMA"} {
				if bytes.Contains(upper, []byte(needle)) {
					t.Errorf("%s: %s contains %q", stage, name, needle)
				}
			}
			for _, p := range people[:50] {
				if p.CodiceFiscale != "" && bytes.Contains(b, []byte(p.CodiceFiscale)) {
					t.Errorf("%s: %s contains a codice fiscale", stage, name)
				}
				if len(p.Surname) > 6 && bytes.Contains(upper, []byte(strings.ToUpper(p.Surname))) {
					t.Errorf("%s: %s contains surname %q", stage, name, p.Surname)
				}
			}
			if m := cfShape.Find(b); m != nil {
				t.Errorf("%s: %s contains a string shaped like a codice fiscale", stage, name)
			}
		}
	}
	scan("while open")
	s.Lock()
	db.Close()
	scan("after close")
}
