package store_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"cartella/store"
	csync "cartella/store/sync"
	"cartella/store/vault"
)

// Fault injection: every way a file in the shared folder can be wrong,
// and every way a sync can be interrupted. In each case nothing of a bad
// file is applied, the problem is reported in Italian, and once the cause
// is gone the PCs converge with nothing lost.

// firstPCClock creates the office on a PC whose clock is off by off.
func firstPCClock(t *testing.T, off time.Duration) *pc {
	t.Helper()
	ctx := context.Background()
	c := &skewClock{off: off}
	db, err := store.Open(ctx, t.TempDir(), store.Options{Now: c.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s, _, err := db.CreateOffice(ctx, store.OfficeSetup{
		Office:   store.Office{Name: "Servizi Sociali di Prova", ComuneCode: "D612"},
		Operator: store.Operator{Username: testUser, GivenName: "Maria", Surname: "Rossi"},
		Password: testPassword,
		Params:   vault.MinParams,
	})
	if err != nil {
		t.Fatal(err)
	}
	return &pc{t: t, name: "A", db: db, s: s, clock: c}
}

// lastFile is the newest change file of a PC in the shared folder.
func lastFile(t *testing.T, shared string, p *pc) string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(shared, "CartellaSociale-*", "sync", p.db.DeviceID().String(), "*.csync"))
	if len(files) == 0 {
		t.Fatalf("no change file of %s", p.name)
	}
	sort.Strings(files)
	return files[len(files)-1]
}

// syncProblems syncs and returns the Italian problems reported.
func syncProblems(t *testing.T, p *pc, shared string) []string {
	t.Helper()
	rep, err := p.s.Sync(context.Background(), shared)
	if err != nil {
		t.Fatalf("%s sync: %v", p.name, err)
	}
	return rep.Problems
}

func hasPerson(p *pc, id store.ID) bool {
	_, err := p.s.Person(context.Background(), id)
	return err == nil
}

func TestFaultBadFiles(t *testing.T) {
	for _, tc := range []struct {
		name   string
		damage func(t *testing.T, path string, data []byte, shared string)
		want   string // in the Italian message
	}{
		{"truncated file", func(t *testing.T, path string, data []byte, _ string) {
			os.WriteFile(path, data[:len(data)*2/3], 0o644)
		}, "incompleto"},
		{"flipped byte", func(t *testing.T, path string, data []byte, _ string) {
			bad := append([]byte(nil), data...)
			bad[len(bad)-20] ^= 0x04
			os.WriteFile(path, bad, 0o644)
		}, "danneggiato"},
		{"flipped byte in header", func(t *testing.T, path string, data []byte, _ string) {
			bad := append([]byte(nil), data...)
			bad[44] ^= 0x01 // the sequence number
			os.WriteFile(path, bad, 0o644)
		}, "danneggiato"},
		{"future format version", func(t *testing.T, path string, data []byte, _ string) {
			bad := append([]byte(nil), data...)
			bad[5] = csync.FormatVersion + 1
			os.WriteFile(path, bad, 0o644)
		}, "versione più recente"},
		{"empty file (copy in progress)", func(t *testing.T, path string, data []byte, _ string) {
			os.WriteFile(path, nil, 0o644)
		}, "incompleto"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b, shared, _ := twoApart(t)
			pb := b.save(personN(42))
			b.sync(shared)
			path := lastFile(t, shared, b)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			tc.damage(t, path, data, shared)
			for range 2 { // reported again at every sync, never applied
				probs := syncProblems(t, a, shared)
				if len(probs) != 1 || !strings.Contains(probs[0], tc.want) || !strings.Contains(probs[0], filepath.Base(path)) {
					t.Fatalf("problems = %q, want one naming the file and %q", probs, tc.want)
				}
				if !strings.Contains(probs[0], "riprovato") {
					t.Errorf("message does not say it will be retried: %q", probs[0])
				}
				if hasPerson(a, pb.ID) {
					t.Fatal("something of the bad file was applied")
				}
			}
			if last, ok := a.db.LastSync(context.Background()); !ok || len(last.Problems) != 1 {
				t.Errorf("status does not keep the problem: %+v", last)
			}
			// The sync client delivers the whole file later.
			os.WriteFile(path, data, 0o644)
			converged(t, shared, a, b)
			if !hasPerson(a, pb.ID) {
				t.Fatal("file not applied once repaired")
			}
		})
	}
}

func TestFaultFileFromAnotherOffice(t *testing.T) {
	a, b, shared, _ := twoApart(t)
	other := firstPC(t)
	otherShared := t.TempDir()
	op := other.save(personN(9))
	other.sync(otherShared)
	src := lastFile(t, otherShared, other)
	// Someone copies the other office's folder content into ours.
	dst := filepath.Join(shared, csync.OfficeDirName(a.db.OfficeID()), "sync", other.db.DeviceID().String(), filepath.Base(src))
	os.MkdirAll(filepath.Dir(dst), 0o755)
	data, _ := os.ReadFile(src)
	os.WriteFile(dst, data, 0o644)
	probs := syncProblems(t, a, shared)
	if len(probs) != 1 || !strings.Contains(probs[0], "altro ufficio") {
		t.Fatalf("problems = %q", probs)
	}
	if hasPerson(a, op.ID) {
		t.Fatal("a person of another office was applied")
	}
	os.Remove(dst)
	converged(t, shared, a, b)
}

func TestFaultDuplicatedFiles(t *testing.T) {
	ctx := context.Background()
	a, b, shared, p := twoApart(t)
	edit := b.person(p.ID)
	edit.Residence.Street = "Via Duplicata 2"
	b.save(edit)
	b.sync(shared)
	path := lastFile(t, shared, b)
	data, _ := os.ReadFile(path)
	dir := filepath.Dir(path)
	// Copies made by sync clients and Windows: ignored without a word.
	for _, name := range []string{
		strings.TrimSuffix(filepath.Base(path), ".csync") + " (1).csync",
		strings.TrimSuffix(filepath.Base(path), ".csync") + " (conflicted copy 2026-03-01).csync",
		strings.TrimSuffix(filepath.Base(path), ".csync") + ".sync-conflict-20260301-101010-ABCDEFG.csync",
		strings.TrimSuffix(filepath.Base(path), ".csync") + "-PCUFFICIO2.csync",
		"desktop.ini", "Thumbs.db", ".~lock.tmp",
	} {
		os.WriteFile(filepath.Join(dir, name), data, 0o644)
	}
	if probs := syncProblems(t, a, shared); len(probs) != 0 {
		t.Fatalf("junk reported: %q", probs)
	}
	// The same content under the next number: refused, not applied twice.
	seq, _ := csync.ParseChangeName(filepath.Base(path))
	dup := filepath.Join(dir, csync.ChangeName(seq+5))
	os.WriteFile(dup, data, 0o644)
	if probs := syncProblems(t, a, shared); len(probs) != 1 || !strings.Contains(probs[0], "non corrisponde") {
		t.Fatalf("problems = %q", probs)
	}
	os.Remove(dup)
	// The same changes in two files (B wrote the file, then stopped before
	// noting it): applying both changes nothing more.
	edit.Residence.Street = "Via Duplicata 3"
	b.save(edit)
	wctx, cancel := context.WithCancel(ctx)
	restore := store.SetSyncTestHook(func(stage string) {
		if stage == "after-write" {
			cancel()
		}
	})
	_, err := b.s.Sync(wctx, shared)
	restore()
	if err == nil {
		t.Fatal("interrupted sync reported no error")
	}
	rep := b.sync(shared)
	if rep.SentFiles == 0 {
		t.Fatal("changes not sent again after the interruption")
	}
	converged(t, shared, a, b)
	if got := a.person(p.ID).Residence.Street; got != "Via Duplicata 3" {
		t.Errorf("street %q", got)
	}
	if n := a.s.ConflictCount(ctx); n != 0 {
		t.Errorf("duplicates made %d conflicts", n)
	}
}

func TestFaultFilesOutOfOrder(t *testing.T) {
	ctx := context.Background()
	a, b, shared, p := twoApart(t)
	bView := t.TempDir() // B writes here; files reach A's folder one by one
	copyTree(t, shared, bView)
	var files []string
	for i := 1; i <= 3; i++ {
		e := b.person(p.ID)
		e.Residence.Street = fmt.Sprintf("Via Ordine %d", i)
		b.save(e)
		b.sync(bView)
		files = append(files, lastFile(t, bView, b))
	}
	put := func(i int) {
		rel, _ := filepath.Rel(bView, files[i])
		dst := filepath.Join(shared, rel)
		os.MkdirAll(filepath.Dir(dst), 0o755)
		if err := copyFile(files[i], dst); err != nil {
			t.Fatal(err)
		}
	}
	for _, i := range []int{2, 0, 1} {
		put(i)
		a.sync(shared)
		if got := a.person(p.ID).Residence.Street; got != "Via Ordine 3" {
			t.Fatalf("after file %d: street %q", i+1, got)
		}
	}
	copyFiles(t, shared, bView, func(string) bool { return true })
	copyFiles(t, bView, shared, func(string) bool { return true })
	if a.digest() != func() string { b.sync(bView); return b.digest() }() {
		t.Error("digests differ")
	}
	if n := a.s.ConflictCount(ctx); n != 0 {
		t.Errorf("%d conflicts from old files", n)
	}
}

func TestFaultClockSkew(t *testing.T) {
	for _, tc := range []struct {
		name string
		off  time.Duration
	}{
		{"B one day ahead", 24 * time.Hour},
		{"B one day behind", -24 * time.Hour},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			shared := t.TempDir()
			a := firstPCClock(t, 0)
			p := a.save(samplePerson())
			a.sync(shared)
			b := joinPC(t, "B", shared, tc.off)
			ea := a.person(p.ID)
			ea.Residence.Street = "Di A"
			a.save(ea)
			eb := b.person(p.ID)
			eb.Residence.Street = "Di B"
			b.save(eb)
			nb := b.save(personN(5))
			converged(t, shared, a, b)
			// The later clock wins on both PCs; the other is kept.
			want := "Di A"
			if tc.off > 0 {
				want = "Di B"
			}
			for _, x := range []*pc{a, b} {
				if got := x.person(p.ID).Residence.Street; got != want {
					t.Errorf("%s: winner %q, want %q", x.name, got, want)
				}
				if n := x.s.ConflictCount(ctx); n != 1 {
					t.Errorf("%s: %d conflicts", x.name, n)
				}
			}
			if !hasPerson(a, nb.ID) {
				t.Error("A misses B's new person")
			}
			// Changes made after the sync still order correctly.
			e := b.person(p.ID)
			e.GivenName = "Dopo"
			b.save(e)
			converged(t, shared, a, b)
			if a.person(p.ID).GivenName != "Dopo" {
				t.Error("a later edit lost to the skewed clock")
			}
		})
	}
}

func TestFaultClockFarInFuture(t *testing.T) {
	shared := t.TempDir()
	a := firstPCClock(t, 0)
	a.sync(shared)
	b := joinPC(t, "B", shared, 72*time.Hour) // a PC whose clock is three days ahead
	nb := b.save(personN(3))
	b.sync(shared)
	probs := syncProblems(t, a, shared)
	if len(probs) != 1 || !strings.Contains(probs[0], "più di un giorno avanti") || !strings.Contains(probs[0], "orologi") {
		t.Fatalf("problems = %q", probs)
	}
	if hasPerson(a, nb.ID) {
		t.Fatal("file from the future applied")
	}
	// Once A's date reaches it, the file is applied.
	a.clock.off = 72 * time.Hour
	converged(t, shared, a, b)
	if !hasPerson(a, nb.ID) {
		t.Fatal("file not applied once the clocks agree")
	}
}

func TestFaultFolderRemovedMidSync(t *testing.T) {
	ctx := context.Background()
	for _, stage := range []string{"before-file", "before-office", "before-snapshot"} {
		t.Run(stage, func(t *testing.T) {
			a, b, shared, _ := twoApart(t)
			var ids []store.ID
			for i := range 3 {
				ids = append(ids, b.save(personN(i)).ID)
				b.sync(shared) // three files
			}
			os.RemoveAll(filepath.Join(shared, "CartellaSociale-"+a.db.OfficeID().String(), "snapshots"))
			a.save(personN(99))
			moved := shared + "-scollegata"
			removed := false
			restore := store.SetSyncTestHook(func(s string) {
				if s == stage && !removed {
					removed = true
					if err := os.Rename(shared, moved); err != nil { // USB stick pulled out
						t.Error(err)
					}
				}
			})
			_, err := a.s.Sync(ctx, shared)
			restore()
			if !removed {
				t.Fatalf("stage %s not reached: the folder was never removed mid-sync", stage)
			}
			if stage == "before-file" && (err == nil || !errors.Is(err, csync.ErrUnreachable)) {
				t.Fatalf("err = %v, want ErrUnreachable", err)
			}
			if err != nil && !strings.Contains(err.Error(), "non è raggiungibile") {
				t.Errorf("message not Italian: %v", err)
			}
			if r, err := a.s.Verify(ctx); err != nil || !r.OK() {
				t.Fatalf("database damaged: %v %v", err, r.Problems)
			}
			// The folder comes back: everything converges.
			os.Rename(moved, shared)
			converged(t, shared, a, b)
			for _, id := range ids {
				if !hasPerson(a, id) {
					t.Errorf("person %s missing", id)
				}
			}
		})
	}
}

const killChildEnv = "CARTELLA_SYNC_KILL_CHILD"

// TestSyncKillChild is the child of TestFaultProcessKilledDuringSync: it
// saves and syncs in a loop, printing each saved id.
func TestSyncKillChild(t *testing.T) {
	arg := os.Getenv(killChildEnv)
	if arg == "" {
		return
	}
	dir, shared, _ := strings.Cut(arg, "|")
	ctx := context.Background()
	db, err := store.Open(ctx, dir, store.Options{})
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(2)
	}
	s, err := db.Login(ctx, testUser, testPassword)
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(2)
	}
	w := bufio.NewWriter(os.Stdout)
	fmt.Fprintln(w, "READY")
	w.Flush()
	for i := 0; ; i++ {
		p, err := s.SavePerson(ctx, personN(i))
		if err != nil {
			fmt.Fprintln(w, "ERR", err)
			w.Flush()
			os.Exit(2)
		}
		fmt.Fprintln(w, p.ID.String())
		w.Flush()
		if i%3 == 0 {
			if _, err := s.Sync(ctx, shared); err != nil {
				fmt.Fprintln(w, "ERR", err)
				w.Flush()
				os.Exit(2)
			}
		}
	}
}

// TestFaultProcessKilledDuringSync kills a PC's program (Process.Kill:
// SIGKILL on Unix, TerminateProcess on Windows, run under Wine by
// .ci/windows.sh) while it saves and syncs, several times; then both PCs
// sync: converged, and every save that had returned is on both.
func TestFaultProcessKilledDuringSync(t *testing.T) {
	a, b, shared, _ := twoApart(t)
	dir := a.db.Dir()
	a.s.Lock()
	a.db.Close()
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 5))
	var confirmed []string
	rounds := 6
	if testing.Short() {
		rounds = 3
	}
	for round := range rounds {
		cmd := exec.Command(os.Args[0], "-test.run=^TestSyncKillChild$")
		cmd.Env = append(os.Environ(), killChildEnv+"="+dir+"|"+shared)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		if !sc.Scan() || sc.Text() != "READY" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("round %d: child did not start: %q", round, sc.Text())
		}
		lines := make(chan string, 10000)
		go func() {
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		time.Sleep(time.Duration(30+rng.IntN(250)) * time.Millisecond)
		cmd.Process.Kill() // SIGKILL / TerminateProcess
		cmd.Wait()
		for l := range lines {
			if strings.HasPrefix(l, "ERR") {
				t.Fatalf("round %d: child: %s", round, l)
			}
			confirmed = append(confirmed, l)
		}
	}
	if len(confirmed) == 0 {
		t.Fatal("no save confirmed")
	}
	ctx := context.Background()
	db, err := store.Open(ctx, dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := db.Login(ctx, testUser, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	a = &pc{t: t, name: "A", db: db, s: s}
	converged(t, shared, a, b)
	for _, x := range []*pc{a, b} {
		for _, idText := range confirmed {
			id, err := store.ParseID(idText)
			if err != nil {
				t.Fatalf("child printed %q", idText)
			}
			if !hasPerson(x, id) {
				t.Fatalf("%s: confirmed person %s lost", x.name, idText)
			}
		}
		if r, err := x.s.Verify(ctx); err != nil || !r.OK() {
			t.Errorf("%s verify: %v %v", x.name, err, r.Problems)
		}
	}
	t.Logf("%d saves confirmed over %d kills", len(confirmed), rounds)
}
