package vault

import (
	"runtime"
	"sync"
	"testing"
	"time"
)

func BenchmarkSeal256(b *testing.B) {
	k := mustKey(b)
	pt, ad := make([]byte, 256), []byte("rec|v1|0123456789abcdef|persona|1")
	b.SetBytes(256)
	for b.Loop() {
		if _, err := Seal(k, pt, ad); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpen256(b *testing.B) {
	k := mustKey(b)
	ad := []byte("rec|v1|0123456789abcdef|persona|1")
	box, _ := Seal(k, make([]byte, 256), ad)
	b.SetBytes(256)
	for b.Loop() {
		if _, err := Open(k, box, ad); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBlindIndex(b *testing.B) {
	k := mustKey(b)
	for b.Loop() {
		BlindIndex(k, "cf", "RSSMRA80A01D612X")
	}
}

func BenchmarkMAC(b *testing.B) {
	k := mustKey(b)
	prev, entry := make([]byte, 32), make([]byte, 200)
	for b.Loop() {
		MAC(k, prev, entry)
	}
}

var (
	calibrateOnce sync.Once
	calibrated    Params
	calibrateTook time.Duration
)

// BenchmarkArgon2Calibrated reports the time of one derivation at the
// parameters Calibrate picks on this PC (i.e. the cost of one login).
func BenchmarkArgon2Calibrated(b *testing.B) {
	calibrateOnce.Do(func() {
		start := time.Now()
		calibrated = Calibrate(DefaultTarget)
		calibrateTook = time.Since(start)
	})
	b.Logf("calibrated %v (Calibrate took %v)", calibrated, calibrateTook)
	salt := make([]byte, SaltSize)
	for b.Loop() {
		b.StopTimer()
		runtime.GC() // reuse the previous buffer's pages, as measureArgon2 does
		b.StartTimer()
		clear(kdf([]byte("password di prova"), salt, calibrated))
	}
}
