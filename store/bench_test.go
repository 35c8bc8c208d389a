package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"cartella/store"
	"cartella/store/demo"
	"cartella/store/vault"
)

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

func percentile(d []time.Duration, p float64) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, int(float64(len(s))*p))]
}

// BenchmarkSavePersonVsPlainSQLite saves one person durably (seal, blind
// index, sync queue, audit entry, one transaction with fsync) and, in the
// same loop, inserts the same JSON into a plain unencrypted SQLite table
// with the same pragmas. Interleaving keeps the machine's noise out of the
// ratio. Target: median ratio ≤ 1.5.
func BenchmarkSavePersonVsPlainSQLite(b *testing.B) {
	db, s, _ := newOffice(b)
	ctx := context.Background()
	plainDir := b.TempDir()
	plain, err := sql.Open("sqlite", "file:"+filepath.Join(plainDir, "plain.db")+
		"?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)&_txlock=immediate")
	if err != nil {
		b.Fatal(err)
	}
	defer plain.Close()
	plain.SetMaxOpenConns(1)
	if _, err := plain.Exec("CREATE TABLE persons(id BLOB PRIMARY KEY, body BLOB NOT NULL) WITHOUT ROWID"); err != nil {
		b.Fatal(err)
	}
	g := demo.NewGenerator(3, db.Places(), time.Now(), "D612")
	var ours, theirs []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := g.Person()
		t0 := time.Now()
		if _, err := s.SavePerson(ctx, p); err != nil {
			b.Fatal(err)
		}
		ours = append(ours, time.Since(t0))

		body, _ := json.Marshal(p)
		id := store.NewID()
		t0 = time.Now()
		tx, err := plain.Begin()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Exec("INSERT INTO persons(id, body) VALUES(?, ?)", id[:], body); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
		theirs = append(theirs, time.Since(t0))
	}
	b.StopTimer()
	mo, mt := median(ours), median(theirs)
	b.ReportMetric(float64(mo.Microseconds()), "µs/save(median)")
	b.ReportMetric(float64(mt.Microseconds()), "µs/plain(median)")
	b.ReportMetric(float64(mo)/float64(mt), "ratio")
}

// office50k builds an office of n demo persons once per benchmark.
func officeN(b *testing.B, n int) (*store.DB, *store.Session) {
	b.Helper()
	db, s, _ := newOffice(b)
	g := demo.NewGenerator(11, db.Places(), time.Now(), "D612")
	for done := 0; done < n; done += 5000 {
		if _, err := s.SavePersons(context.Background(), g.Persons(min(5000, n-done))); err != nil {
			b.Fatal(err)
		}
	}
	return db, s
}

// BenchmarkSearch50k types queries keystroke by keystroke over 50,000
// persons and reports the 99th percentile. Target: p99 ≤ 10 ms.
func BenchmarkSearch50k(b *testing.B) {
	_, s := officeN(b, 50_000)
	var queries []string
	for _, word := range []string{"rossi mario", "de luca", "ait hadda", "giuseppina", "d'angelo", "ferr", "RSSMRA", "Z330", "marco bianchi", "xyz"} {
		for i := 1; i <= len(word); i++ {
			queries = append(queries, word[:i])
		}
	}
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, q := range queries {
			t0 := time.Now()
			s.Search(q, 200)
			lat = append(lat, time.Since(t0))
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(percentile(lat, 0.99).Microseconds())/1000, "ms/query(p99)")
	b.ReportMetric(float64(median(lat).Microseconds())/1000, "ms/query(median)")
}

// BenchmarkUnlock50k measures login on 50,000 persons minus the Argon2id
// time measured on its own: what unlocking costs beyond the KDF (decrypting
// every person and building the search index). Target: ≤ 1.0 s.
func BenchmarkUnlock50k(b *testing.B) {
	db, s := officeN(b, 50_000)
	s.Lock()
	ctx := context.Background()
	k, _ := vault.NewKey()
	w, err := vault.Wrap(k, []byte("x"), vault.MinParams, nil)
	if err != nil {
		b.Fatal(err)
	}
	var beyond []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if _, err := vault.Unwrap(w, []byte("x"), nil); err != nil {
			b.Fatal(err)
		}
		kdf := time.Since(t0)
		t0 = time.Now()
		s2, err := db.Login(ctx, testUser, testPassword)
		if err != nil {
			b.Fatal(err)
		}
		total := time.Since(t0)
		if s2.PersonCount() != 50_000 {
			b.Fatal(fmt.Sprint("persons ", s2.PersonCount()))
		}
		s2.Lock()
		beyond = append(beyond, total-kdf)
	}
	b.StopTimer()
	b.ReportMetric(float64(median(beyond).Milliseconds()), "ms/unlock-beyond-kdf(median)")
}

// BenchmarkOpenPersonIntake loads what the person screen shows first: the
// anagrafica, accesses, reference persons, 50 diary entries and the list
// of 10 documents (their content is not decrypted). Target: ≤ 150 ms.
func BenchmarkOpenPersonIntake(b *testing.B) {
	_, s, _ := newOffice(b)
	ctx := context.Background()
	p, err := s.SavePerson(ctx, samplePerson())
	if err != nil {
		b.Fatal(err)
	}
	for i := range 50 {
		if _, err := s.AddDiaryEntry(ctx, store.DiaryEntry{PersonID: p.ID, Date: date(2026, 1, 1).AddDate(0, 0, i), Private: i%3 == 0,
			Text: "Colloquio in ufficio: la persona riferisce difficoltà a pagare l'affitto degli ultimi due mesi."}); err != nil {
			b.Fatal(err)
		}
	}
	doc := make([]byte, 1<<20)
	for i := range 10 {
		if _, err := s.AddAttachment(ctx, p.ID, store.Attachment{Name: fmt.Sprintf("scansione-%d.pdf", i)}, bytes.NewReader(doc)); err != nil {
			b.Fatal(err)
		}
	}
	for range 5 {
		a := fullAccess(p.ID)
		if _, err := s.SaveAccess(ctx, a); err != nil {
			b.Fatal(err)
		}
	}
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if _, err := s.Person(ctx, p.ID); err != nil {
			b.Fatal(err)
		}
		acc, _ := s.Accesses(ctx, p.ID)
		if _, err := s.Access(ctx, p.ID, acc[0].ID); err != nil {
			b.Fatal(err)
		}
		s.ReferencePersons(ctx, p.ID)
		d, _ := s.Diary(ctx, p.ID, store.DiaryFilter{})
		docs, _ := s.Attachments(ctx, p.ID)
		if len(d) != 50 || len(docs) != 10 {
			b.Fatalf("diary %d docs %d", len(d), len(docs))
		}
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	b.ReportMetric(float64(median(lat).Microseconds())/1000, "ms/open(median)")
}

// BenchmarkAnagrafeImport10k parses a generated 10,000-row export and
// imports it (persons and households). Target: ≤ 5 s.
func BenchmarkAnagrafeImport10k(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		_, s, _ := newOffice(b)
		b.StartTimer()
		t0 := time.Now()
		rows, _, _ := importCSV(b, 10_000, uint64(i)+1)
		plan, err := s.PlanImport(context.Background(), rows)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.ApplyImport(context.Background(), plan, nil, nil); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(time.Since(t0).Seconds(), "s/import")
	}
}
