package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cartella/store"
	csync "cartella/store/sync"
)

func TestJoinWrongPasswordGetsNothing(t *testing.T) {
	ctx := context.Background()
	shared := t.TempDir()
	a := firstPC(t)
	a.save(samplePerson())
	a.sync(shared)
	for _, tc := range []struct{ user, pw string }{
		{testUser, "password-sbagliata"},
		{"nessuno", testPassword},
	} {
		db, err := store.Open(ctx, t.TempDir(), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		s, _, err := db.Join(ctx, shared, tc.user, tc.pw, nil)
		if !errors.Is(err, store.ErrLoginFailed) || s != nil {
			t.Fatalf("join as %s: %v", tc.user, err)
		}
		if err.Error() != "Operatore o password non corretti" {
			t.Errorf("message %q", err)
		}
		if db.HasOffice() {
			t.Fatal("wrong password created the office")
		}
		if _, err := db.Login(ctx, testUser, testPassword); !errors.Is(err, store.ErrNoOffice) {
			t.Errorf("data folder after failed join: %v", err)
		}
		db.Close()
	}
	// A folder without an office, and one with two.
	db, _ := store.Open(ctx, t.TempDir(), store.Options{})
	defer db.Close()
	if _, _, err := db.Join(ctx, t.TempDir(), testUser, testPassword, nil); !errors.Is(err, store.ErrNoSharedOffice) {
		t.Errorf("empty folder: %v", err)
	}
	other := firstPC(t)
	other.sync(shared)
	if _, _, err := db.Join(ctx, shared, testUser, testPassword, nil); !errors.Is(err, store.ErrManyOffices) {
		t.Errorf("two offices: %v", err)
	}
	// Choosing the office folder itself works.
	s, _, err := db.Join(ctx, filepath.Join(shared, csync.OfficeDirName(a.db.OfficeID())), testUser, testPassword, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Lock()
}

func TestJoinFromSnapshotThenLaterFiles(t *testing.T) {
	shared := t.TempDir()
	a := firstPC(t)
	for i := range 20 {
		a.save(personN(i))
	}
	a.sync(shared) // first sync: change file and snapshot
	later := a.save(personN(100))
	a.sync(shared) // a change file after the snapshot
	var stages []string
	ctx := context.Background()
	db, err := store.Open(ctx, t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, rep, err := db.Join(ctx, shared, testUser, testPassword, func(what string, done, total int64) {
		if len(stages) == 0 || stages[len(stages)-1] != what {
			stages = append(stages, what)
		}
	})
	if err != nil || !rep.OK() {
		t.Fatalf("join: %v %v", err, rep.Problems)
	}
	b := &pc{t: t, name: "B", db: db, s: s}
	if !hasPerson(b, later.ID) || s.PersonCount() != 21 {
		t.Fatalf("B has %d persons", s.PersonCount())
	}
	if !strings.Contains(strings.Join(stages, "|"), "istantanea") {
		t.Errorf("snapshot not used: %v", stages)
	}
	converged(t, shared, a, b)
}

func TestJoinWithoutOrWithBadSnapshot(t *testing.T) {
	for _, tc := range []string{"no snapshot", "damaged snapshot"} {
		t.Run(tc, func(t *testing.T) {
			ctx := context.Background()
			shared := t.TempDir()
			a := firstPC(t)
			for i := range 5 {
				a.save(personN(i))
			}
			a.sync(shared)
			snaps, _ := filepath.Glob(filepath.Join(shared, "*", "snapshots", "*.csnap"))
			if len(snaps) != 1 {
				t.Fatalf("%d snapshots", len(snaps))
			}
			if tc == "no snapshot" {
				os.Remove(snaps[0])
			} else {
				data, _ := os.ReadFile(snaps[0])
				data[len(data)-5] ^= 1
				os.WriteFile(snaps[0], data, 0o644)
			}
			db, err := store.Open(ctx, t.TempDir(), store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			s, rep, err := db.Join(ctx, shared, testUser, testPassword, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tc == "damaged snapshot" && (len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0], "danneggiato")) {
				t.Errorf("problems %q", rep.Problems)
			}
			if s.PersonCount() != 5 {
				t.Errorf("%d persons", s.PersonCount())
			}
			converged(t, shared, a, &pc{t: t, name: "B", db: db, s: s})
		})
	}
}

func TestKeyringTravels(t *testing.T) {
	ctx := context.Background()
	a, b, shared, _ := twoApart(t)
	// A new operator made on A can log in on B; a password changed on B
	// works on A.
	if _, err := a.s.AddOperator(ctx, store.Operator{Username: "lbianchi", GivenName: "Luca", Surname: "Bianchi", Role: store.RoleAssistenteSociale}, "Temporanea-Lunga-77"); err != nil {
		t.Fatal(err)
	}
	if err := b.s.ChangePassword(ctx, testPassword, "Nuova-Password-Di-B-9"); err != nil {
		t.Fatal(err)
	}
	converged(t, shared, a, b)
	if _, err := b.db.Login(ctx, "lbianchi", "Temporanea-Lunga-77"); err != nil {
		t.Errorf("new operator on B: %v", err)
	}
	if _, err := a.db.Login(ctx, testUser, "Nuova-Password-Di-B-9"); err != nil {
		t.Errorf("new password on A: %v", err)
	}
	if _, err := a.db.Login(ctx, testUser, testPassword); !errors.Is(err, store.ErrLoginFailed) {
		t.Errorf("old password still works on A: %v", err)
	}
}
