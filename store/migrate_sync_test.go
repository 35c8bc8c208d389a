package store_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"cartella/store"
)

// migrationFiles are the schema steps, in order, as shipped.
func migrationFiles(t *testing.T) []string {
	t.Helper()
	names, err := filepath.Glob("migrations/*.sql")
	if err != nil || len(names) == 0 {
		t.Fatalf("migrations: %v", err)
	}
	sort.Strings(names)
	return names
}

// v1Tables are the tables and columns of migration 0001, which every
// version has.
var v1Tables = map[string]string{
	"meta":    "key, value",
	"keyring": "login, operator_id, wrapped",
	"records": "id, kind, parent, hlc, device, deleted, schema_v, body",
	"lookup":  "label, value, id",
	"outbox":  "seq, id, hlc",
	"audit":   "device, seq, hlc, body, chain",
}

// TestMigrationFromEveryVersion builds a database of each earlier schema
// version holding a real office (persons, audit, keyring), opens it with
// this program and checks that it migrates, keeps everything, is backed
// up first, and can sync with a second PC.
func TestMigrationFromEveryVersion(t *testing.T) {
	files := migrationFiles(t)
	for v := 1; v < len(files); v++ {
		for _, withKey := range []bool{false, true} {
			name := filepath.Base(files[v-1])
			if withKey {
				name += " with backup key"
			}
			t.Run(name, func(t *testing.T) {
				ctx := context.Background()
				a := firstPC(t)
				if withKey {
					a.s.PrepareBackups(ctx)
				}
				p := a.save(samplePerson())
				want := a.digest()
				src := filepath.Join(a.db.Dir(), store.DBFileName)
				a.s.Lock()
				a.db.Close()

				dir := t.TempDir()
				raw, err := sql.Open("sqlite", filepath.Join(dir, store.DBFileName))
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range files[:v] {
					b, err := os.ReadFile(f)
					if err != nil {
						t.Fatal(err)
					}
					if _, err := raw.Exec(string(b)); err != nil {
						t.Fatalf("%s: %v", f, err)
					}
				}
				if _, err := raw.Exec("ATTACH DATABASE ? AS cur", src); err != nil {
					t.Fatal(err)
				}
				for table, cols := range v1Tables {
					if _, err := raw.Exec("INSERT INTO main." + table + "(" + cols + ") SELECT " + cols + " FROM cur." + table); err != nil {
						t.Fatalf("copy %s: %v", table, err)
					}
				}
				raw.Exec("DETACH DATABASE cur")
				raw.Exec("PRAGMA user_version = " + strconv.Itoa(v))
				raw.Close()

				db, err := store.Open(ctx, dir, store.Options{})
				if err != nil {
					t.Fatalf("open version %d: %v", v, err)
				}
				defer db.Close()
				s, err := db.Login(ctx, testUser, testPassword)
				if err != nil {
					t.Fatal(err)
				}
				if got, _ := s.Digest(ctx); got != want {
					t.Error("content changed by the migration")
				}
				if got, err := s.Person(ctx, p.ID); err != nil || got.Surname != p.Surname {
					t.Errorf("person after migration: %v", err)
				}
				if r, err := s.Verify(ctx); err != nil || !r.OK() {
					t.Errorf("verify after migration: %v %v", err, r.Problems)
				}
				// A backup was kept before migrating.
				ents, _ := os.ReadDir(db.BackupDir())
				var kept []string
				for _, e := range ents {
					kept = append(kept, e.Name())
				}
				wantKind := "copia-"
				if withKey {
					wantKind = "backup-"
				}
				if len(kept) != 1 || !strings.HasPrefix(kept[0], wantKind) {
					t.Errorf("backups before migration: %v", kept)
				}
				// The migrated office syncs with a new PC.
				shared := t.TempDir()
				m := &pc{t: t, name: "migrated", db: db, s: s}
				m.sync(shared)
				b := joinPC(t, "B", shared, 0)
				if got := b.person(p.ID); got.Surname != p.Surname {
					t.Error("joined PC misses the person")
				}
				converged(t, shared, m, b)
			})
		}
	}
}
