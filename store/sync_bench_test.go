package store_test

import (
	"context"
	"testing"
	"time"

	"cartella/store"
	"cartella/store/demo"
)

// Sync benchmarks (issue 5). Targets: applying 10,000 remote changes
// ≤ 2 s; producing the change file for 10,000 local changes ≤ 1 s;
// joining an office of 50,000 persons from a snapshot ≤ 30 s.
//
//	go test -tags migrated_fynedo -run '^$' -bench 'Sync|Join50k' -benchtime 3x ./store/

// stageTimer measures the time between two stages of a sync.
func stageTimer(from, to string) (restore func(), elapsed func() time.Duration) {
	var t0, t1 time.Time
	restore = store.SetSyncTestHook(func(stage string) {
		switch stage {
		case from:
			t0 = time.Now()
		case to:
			if !t0.IsZero() && t1.IsZero() {
				t1 = time.Now()
			}
		}
	})
	return restore, func() time.Duration { return t1.Sub(t0) }
}

func savePersons(b *testing.B, p *pc, g *demo.Generator, n int) {
	b.Helper()
	for done := 0; done < n; done += 1000 {
		if _, err := p.s.SavePersons(context.Background(), g.Persons(min(1000, n-done))); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSyncExport10k(b *testing.B) {
	shared := b.TempDir()
	a := firstPC(b)
	a.sync(shared) // first file and snapshot out of the way
	g := demo.NewGenerator(11, a.db.Places(), time.Now(), "D612")
	var total time.Duration
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		savePersons(b, a, g, 10000)
		restore, elapsed := stageTimer("before-export", "before-import")
		b.StartTimer()
		rep := a.sync(shared)
		b.StopTimer()
		restore()
		if rep.Sent < 10000 {
			b.Fatalf("sent %d", rep.Sent)
		}
		total += elapsed()
	}
	b.ReportMetric(total.Seconds()/float64(b.N), "s-export/10k")
}

func BenchmarkSyncApply10k(b *testing.B) {
	shared := b.TempDir()
	a := firstPC(b)
	a.sync(shared)
	bb := joinPC(b, "B", shared, 0)
	g := demo.NewGenerator(12, a.db.Places(), time.Now(), "D612")
	var total time.Duration
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		savePersons(b, a, g, 10000)
		a.sync(shared)
		restore, elapsed := stageTimer("before-import", "before-office")
		b.StartTimer()
		rep := bb.sync(shared)
		b.StopTimer()
		restore()
		if rep.Received < 10000 {
			b.Fatalf("received %d", rep.Received)
		}
		total += elapsed()
	}
	b.ReportMetric(total.Seconds()/float64(b.N), "s-apply/10k")
	if got, want := bb.s.PersonCount(), a.s.PersonCount(); got != want {
		b.Fatalf("B has %d persons, A %d", got, want)
	}
}

func BenchmarkJoin50k(b *testing.B) {
	ctx := context.Background()
	shared := b.TempDir()
	a := firstPC(b)
	g := demo.NewGenerator(13, a.db.Places(), time.Now(), "D612")
	savePersons(b, a, g, 50000)
	a.sync(shared) // writes the change files and the snapshot
	var total time.Duration
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		db, err := store.Open(ctx, b.TempDir(), store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		updates := 0
		b.StartTimer()
		t0 := time.Now()
		s, _, err := db.Join(ctx, shared, testUser, testPassword, func(string, int64, int64) { updates++ })
		total += time.Since(t0)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		if n := s.PersonCount(); n != 50000 {
			b.Fatalf("joined with %d persons", n)
		}
		if updates < 5 {
			b.Errorf("only %d progress updates", updates)
		}
		s.Lock()
		db.Close()
	}
	b.ReportMetric(total.Seconds()/float64(b.N), "s-join/50k")
}
