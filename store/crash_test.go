package store_test

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"cartella/store"
)

const crashChildEnv = "CARTELLA_CRASH_CHILD_DIR"

// TestCrashChild is the child process of TestCrashSafety: it saves persons
// in a loop and prints the id of each save that returned.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(crashChildEnv)
	if dir == "" {
		return // only meaningful as a child process
	}
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
		p := samplePerson()
		p.CodiceFiscale = ""
		p.GivenName = fmt.Sprintf("Fabio%d", i)
		saved, err := s.SavePerson(ctx, p)
		if err != nil {
			fmt.Fprintln(w, "ERR", err)
			w.Flush()
			os.Exit(2)
		}
		fmt.Fprintln(w, saved.ID.String())
		w.Flush()
	}
}

// TestCrashSafety kills a saving process at random moments (Process.Kill:
// SIGKILL on Unix, TerminateProcess on Windows, where .ci/windows.sh runs it
// under Wine): afterwards every save that had returned is there, SQLite is
// intact and the data folder's lock has been released.
func TestCrashSafety(t *testing.T) {
	db, s, _ := newOffice(t)
	dir := db.Dir()
	s.Lock()
	db.Close()
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	var confirmed []string
	const rounds = 20
	for round := range rounds {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+dir)
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
		lines := make(chan string, 1<<16)
		go func() {
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		time.Sleep(time.Duration(5+rng.IntN(150)) * time.Millisecond)
		if err := cmd.Process.Kill(); err != nil { // SIGKILL / TerminateProcess
			t.Fatal(err)
		}
		cmd.Wait()
		for l := range lines {
			if strings.HasPrefix(l, "ERR") {
				t.Fatalf("round %d: child failed: %s", round, l)
			}
			confirmed = append(confirmed, l)
		}

		// Every confirmed save is present and the file is intact.
		db, err := store.Open(context.Background(), dir, store.Options{})
		if err != nil {
			t.Fatalf("round %d: reopen: %v", round, err)
		}
		s, err := db.Login(context.Background(), testUser, testPassword)
		if err != nil {
			t.Fatalf("round %d: login: %v", round, err)
		}
		for _, idText := range confirmed {
			id, err := store.ParseID(idText)
			if err != nil {
				t.Fatalf("round %d: bad id %q", round, idText)
			}
			if _, ok := s.PersonSummaryByID(id); !ok {
				t.Fatalf("round %d: confirmed save %s lost", round, idText)
			}
		}
		r, err := s.Verify(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if r.Integrity != "ok" {
			t.Fatalf("round %d: integrity_check = %s", round, r.Integrity)
		}
		s.Lock()
		db.Close()
	}
	if len(confirmed) < rounds {
		t.Fatalf("only %d saves confirmed in %d rounds: the child barely ran", len(confirmed), rounds)
	}
	t.Logf("%d confirmed saves survived %d kills", len(confirmed), rounds)
}
