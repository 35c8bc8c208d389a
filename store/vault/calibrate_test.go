package vault

import (
	"testing"
	"time"
)

// linearModel simulates a PC where one Argon2id pass over 1 MiB costs perMiB.
func linearModel(perMiB time.Duration, calls *int) func(Params) time.Duration {
	return func(p Params) time.Duration {
		*calls++
		return time.Duration(p.Time) * time.Duration(p.MemoryKiB/1024) * perMiB / time.Duration(max(1, int(p.Threads)/2))
	}
}

func TestCalibrateModel(t *testing.T) {
	tests := []struct {
		name    string
		perMiB  time.Duration
		target  time.Duration
		memCap  uint32
		ncpu    int
		wantMem uint32
		wantMin time.Duration // resulting simulated time bounds
		wantMax time.Duration
		wantT   uint32 // 0 = don't check
	}{
		{"this machine (~485ms at t=4,256MiB,p=2)", 470 * time.Microsecond, 500 * time.Millisecond, CalibrateMemoryKiB, 2, 256 * 1024, 500 * time.Millisecond, CalibrateCap, 0},
		{"4 cores", 470 * time.Microsecond, 500 * time.Millisecond, CalibrateMemoryKiB, 8, 256 * 1024, 500 * time.Millisecond, CalibrateCap, 0},
		{"default target", 470 * time.Microsecond, 0, CalibrateMemoryKiB, 2, 256 * 1024, DefaultTarget, CalibrateCap, 0},
		{"slow PC: lower memory", 3500 * time.Microsecond, 500 * time.Millisecond, CalibrateMemoryKiB, 1, 64 * 1024, 500 * time.Millisecond, CalibrateCap, 3},
		{"very slow PC: floor", 10 * time.Millisecond, 500 * time.Millisecond, CalibrateMemoryKiB, 1, 64 * 1024, 0, time.Hour, 3},
		{"very fast PC: t capped", time.Microsecond, 500 * time.Millisecond, CalibrateMemoryKiB, 4, 256 * 1024, 0, CalibrateCap, MaxTime},
		{"memory cap 128 MiB", 470 * time.Microsecond, 500 * time.Millisecond, 128 * 1024, 2, 128 * 1024, 500 * time.Millisecond, CalibrateCap, 0},
		{"memory cap below floor", 470 * time.Microsecond, 500 * time.Millisecond, 1024, 2, 64 * 1024, 500 * time.Millisecond, CalibrateCap, 0},
		{"target above cap", 470 * time.Microsecond, 5 * time.Second, CalibrateMemoryKiB, 2, 256 * 1024, time.Second, CalibrateCap, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			calls := 0
			model := linearModel(tc.perMiB, &calls)
			p := calibrate(tc.target, tc.memCap, tc.ncpu, model)
			d := model(p)
			calls -= 2 // warm-up and the check above
			t.Logf("%v → %v in %d measurements", p, d, calls)
			if err := p.Valid(); err != nil {
				t.Fatal(err)
			}
			if p.MemoryKiB != tc.wantMem {
				t.Errorf("memory %d KiB, want %d", p.MemoryKiB, tc.wantMem)
			}
			if want := uint8(min(tc.ncpu, 4)); p.Threads != want {
				t.Errorf("threads %d, want %d", p.Threads, want)
			}
			if d < tc.wantMin || d > tc.wantMax {
				t.Errorf("simulated time %v outside [%v, %v]", d, tc.wantMin, tc.wantMax)
			}
			if tc.wantT != 0 && p.Time != tc.wantT {
				t.Errorf("t=%d, want %d", p.Time, tc.wantT)
			}
			if calls > 6 {
				t.Errorf("%d measurements: too many", calls)
			}
		})
	}
}

func TestCalibrateReal(t *testing.T) {
	if testing.Short() {
		t.Skip("real Argon2id calibration takes ~2 s; skipped in -short")
	}
	start := time.Now()
	p := Calibrate(500 * time.Millisecond)
	took := time.Since(start)
	if err := p.Valid(); err != nil {
		t.Fatal(err)
	}
	d := measureArgon2(p)
	t.Logf("calibrated %v: one derivation %v (calibration took %v)", p, d, took)
	if d > 3*CalibrateCap {
		t.Errorf("derivation %v far above the cap", d)
	}
}
