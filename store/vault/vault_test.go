package vault

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// fastArgon lowers the parameter floor for the duration of a test so that
// Argon2id runs in well under a millisecond.
func fastArgon(t testing.TB) Params {
	t.Helper()
	old := paramFloor
	paramFloor = Params{Time: 1, MemoryKiB: 64, Threads: 1}
	t.Cleanup(func() { paramFloor = old })
	return paramFloor
}

func mustKey(t testing.TB) *Key {
	t.Helper()
	k, err := NewKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestNewKeyIsRandom(t *testing.T) {
	a, b := mustKey(t), mustKey(t)
	if bytes.Equal(a.m.b[:], b.m.b[:]) {
		t.Fatal("two NewKey calls returned the same bytes")
	}
	if bytes.Equal(a.m.b[:], make([]byte, KeySize)) {
		t.Fatal("NewKey returned an all-zero key")
	}
}

func TestSealOpen(t *testing.T) {
	k, other := mustKey(t), mustKey(t)
	ad := []byte("rec|v1|id-123|persona|3")
	box, err := Seal(k, []byte("Mario Rossi, nato a Firenze"), ad)
	if err != nil {
		t.Fatal(err)
	}
	if len(box) != len("Mario Rossi, nato a Firenze")+Overhead {
		t.Fatalf("box length %d", len(box))
	}
	flipped := bytes.Clone(box)
	flipped[len(flipped)/2] ^= 1
	nonceFlipped := bytes.Clone(box)
	nonceFlipped[0] ^= 0x80

	tests := []struct {
		name string
		key  *Key
		box  []byte
		ad   []byte
		ok   bool
	}{
		{"right key and ad", k, box, ad, true},
		{"wrong ad (other record)", k, box, []byte("rec|v1|id-124|persona|3"), false},
		{"wrong ad (other kind)", k, box, []byte("rec|v1|id-123|diario|3"), false},
		{"nil ad", k, box, nil, false},
		{"wrong key", other, box, ad, false},
		{"flipped ciphertext bit", k, flipped, ad, false},
		{"flipped nonce bit", k, nonceFlipped, ad, false},
		{"truncated", k, box[:len(box)-1], ad, false},
		{"too short", k, box[:Overhead-1], ad, false},
		{"empty", k, nil, ad, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pt, err := Open(tc.key, tc.box, tc.ad)
			if tc.ok {
				if err != nil || string(pt) != "Mario Rossi, nato a Firenze" {
					t.Fatalf("Open = %q, %v", pt, err)
				}
				return
			}
			if !errors.Is(err, ErrTampered) || pt != nil {
				t.Fatalf("Open = %q, %v; want ErrTampered", pt, err)
			}
		})
	}

	t.Run("nonces differ", func(t *testing.T) {
		b2, _ := Seal(k, []byte("x"), nil)
		b3, _ := Seal(k, []byte("x"), nil)
		if bytes.Equal(b2[:NonceSize], b3[:NonceSize]) {
			t.Fatal("same nonce twice")
		}
	})
	t.Run("empty plaintext", func(t *testing.T) {
		b, err := Seal(k, nil, ad)
		if err != nil {
			t.Fatal(err)
		}
		pt, err := Open(k, b, ad)
		if err != nil || len(pt) != 0 {
			t.Fatalf("Open = %q, %v", pt, err)
		}
	})
}

func TestZeroedKeyFailsClosed(t *testing.T) {
	fastArgon(t)
	k := mustKey(t)
	box, err := Seal(k, []byte("segreto"), nil)
	if err != nil {
		t.Fatal(err)
	}
	alias := *k // copies share the key material
	k.Zero()
	k.Zero() // idempotent
	if !bytes.Equal(k.m.b[:], make([]byte, KeySize)) {
		t.Fatal("Zero did not wipe the bytes")
	}
	for _, kk := range []*Key{k, &alias, nil, {}} {
		if kk.Usable() {
			t.Fatal("zeroed/nil key reports usable")
		}
		if _, err := Seal(kk, []byte("x"), nil); !errors.Is(err, ErrLocked) {
			t.Errorf("Seal with zeroed key: %v", err)
		}
		if _, err := Open(kk, box, nil); !errors.Is(err, ErrLocked) {
			t.Errorf("Open with zeroed key: %v", err)
		}
		if BlindIndex(kk, "cf", "RSSMRA80A01D612X") != nil {
			t.Error("BlindIndex with zeroed key returned a value")
		}
		if MAC(kk, []byte("x")) != nil {
			t.Error("MAC with zeroed key returned a value")
		}
		if _, err := Derive(kk); !errors.Is(err, ErrLocked) {
			t.Errorf("Derive with zeroed key: %v", err)
		}
		if _, err := Wrap(kk, []byte("pw"), paramFloor, nil); !errors.Is(err, ErrLocked) {
			t.Errorf("Wrap with zeroed key: %v", err)
		}
	}
	var s *SubKeys
	s.Zero() // no panic on nil
}

func TestDerive(t *testing.T) {
	office := mustKey(t)
	s1, err := Derive(office)
	if err != nil {
		t.Fatal(err)
	}
	s2, err := Derive(office)
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]*Key{"records": s1.Records, "blind": s1.BlindIndex, "sync": s1.Sync, "audit": s1.Audit, "local": s1.Local, "office": office}
	seen := map[string]string{}
	for name, k := range keys {
		h := hex.EncodeToString(k.m.b[:])
		if prev, dup := seen[h]; dup {
			t.Fatalf("sub-keys %s and %s are equal", prev, name)
		}
		seen[h] = name
	}
	// Deterministic: a box sealed with one derivation opens with the other.
	box, _ := Seal(s1.Records, []byte("x"), nil)
	if _, err := Open(s2.Records, box, nil); err != nil {
		t.Fatalf("Derive not deterministic: %v", err)
	}
	if _, err := Open(s2.Sync, box, nil); err == nil {
		t.Fatal("records box opened with sync key")
	}
	// Sub-keys survive zeroing the office key; SubKeys.Zero wipes them all.
	office.Zero()
	if _, err := Open(s2.Records, box, nil); err != nil {
		t.Fatalf("sub-key depends on office key memory: %v", err)
	}
	s2.Zero()
	for _, k := range []*Key{s2.Records, s2.BlindIndex, s2.Sync, s2.Audit, s2.Local} {
		if k.Usable() {
			t.Fatal("SubKeys.Zero left a usable key")
		}
	}
	// Known-answer check of the labels (guards against accidental renames).
	var zero [KeySize]byte
	z, _ := keyFrom(zero[:])
	sz, _ := Derive(z)
	if got := hex.EncodeToString(sz.Records.m.b[:]); got != hkdfKAT(infoRecords) {
		t.Fatalf("records sub-key %s", got)
	}
}

// hkdfKAT recomputes HKDF-SHA256(ikm=0^32, salt=nil, info) independently.
func hkdfKAT(info string) string {
	prk := hmac.New(sha256.New, make([]byte, sha256.Size)) // nil salt = zeros
	prk.Write(make([]byte, KeySize))
	okm := hmac.New(sha256.New, prk.Sum(nil))
	okm.Write([]byte(info))
	okm.Write([]byte{1})
	return hex.EncodeToString(okm.Sum(nil))
}

func TestBlindIndex(t *testing.T) {
	k, other := mustKey(t), mustKey(t)
	base := BlindIndex(k, "cf", "RSSMRA80A01D612X")
	if len(base) != BlindIndexSize {
		t.Fatalf("len %d", len(base))
	}
	if !Equal(base, BlindIndex(k, "cf", "RSSMRA80A01D612X")) {
		t.Fatal("not deterministic")
	}
	different := []struct {
		name         string
		key          *Key
		label, value string
	}{
		{"other label", k, "tessera", "RSSMRA80A01D612X"},
		{"other value", k, "cf", "RSSMRA80A01D612Y"},
		{"other key", other, "cf", "RSSMRA80A01D612X"},
		{"label/value boundary", k, "cfR", "SSMRA80A01D612X"},
	}
	for _, tc := range different {
		if Equal(base, BlindIndex(tc.key, tc.label, tc.value)) {
			t.Errorf("%s: same blind index", tc.name)
		}
	}
	// Matches the documented construction.
	m := hmac.New(sha256.New, k.m.b[:])
	m.Write([]byte("cf\x00RSSMRA80A01D612X"))
	if !Equal(base, m.Sum(nil)[:16]) {
		t.Fatal("construction differs from HMAC(label||0||value)[:16]")
	}
	if BlindIndex(k, "c\x00f", "x") != nil {
		t.Fatal("label with NUL accepted")
	}
}

func TestMAC(t *testing.T) {
	k := mustKey(t)
	b := func(s ...string) [][]byte {
		out := make([][]byte, len(s))
		for i := range s {
			out[i] = []byte(s[i])
		}
		return out
	}
	cases := [][][]byte{
		b("ab", "c"), b("a", "bc"), b("abc"), b("", "abc"), b("abc", ""), b(), b(""), b("", ""),
	}
	seen := map[string]int{}
	for i, parts := range cases {
		m := MAC(k, parts...)
		if len(m) != MACSize {
			t.Fatalf("len %d", len(m))
		}
		if !Equal(m, MAC(k, parts...)) {
			t.Fatal("not deterministic")
		}
		if j, dup := seen[string(m)]; dup {
			t.Fatalf("MAC collision between case %d and %d", j, i)
		}
		seen[string(m)] = i
	}
	// Matches the documented construction: len64be(p) || p for each part.
	h := hmac.New(sha256.New, k.m.b[:])
	h.Write([]byte{0, 0, 0, 0, 0, 0, 0, 2, 'a', 'b', 0, 0, 0, 0, 0, 0, 0, 1, 'c'})
	if !Equal(MAC(k, []byte("ab"), []byte("c")), h.Sum(nil)) {
		t.Fatal("construction differs from documented length prefixing")
	}
}

func TestEqual(t *testing.T) {
	tests := []struct {
		a, b []byte
		want bool
	}{
		{[]byte("abc"), []byte("abc"), true},
		{[]byte("abc"), []byte("abd"), false},
		{[]byte("abc"), []byte("ab"), false},
		{nil, nil, false},
		{[]byte{}, []byte{}, false},
		{nil, []byte("a"), false},
	}
	for _, tc := range tests {
		if got := Equal(tc.a, tc.b); got != tc.want {
			t.Errorf("Equal(%q, %q) = %v", tc.a, tc.b, got)
		}
	}
}

func TestKeyFormattingRedacted(t *testing.T) {
	k := mustKey(t)
	s, err := Derive(k)
	if err != nil {
		t.Fatal(err)
	}
	outs := []string{
		fmt.Sprintf("%v %+v %#v %s %x %X %q %d", k, k, k, k, k, k, k, k),
		fmt.Sprintf("%v %+v %#v %s %x %X %q", *k, *k, *k, *k, *k, *k, *k),
		fmt.Sprintf("%v %+v %#v %x", s, s, s, s),
		fmt.Sprintf("%v %+v %#v", []*Key{k}, struct{ K *Key }{k}, map[string]Key{"k": *k}),
		fmt.Sprint(k), fmt.Sprintln(*k), k.String(), k.GoString(),
	}
	secrets := [][]byte{k.m.b[:], s.Records.m.b[:], s.Audit.m.b[:]}
	for _, out := range outs {
		if !strings.Contains(out, "vault.Key(redacted)") {
			t.Errorf("no redaction marker in %q", out)
		}
		for _, sec := range secrets {
			for _, enc := range []string{hex.EncodeToString(sec), strings.ToUpper(hex.EncodeToString(sec)), string(sec), fmt.Sprint(sec), fmt.Sprintf("%d", sec[:4])} {
				if strings.Contains(out, enc) {
					t.Fatalf("key bytes leaked in %q", out)
				}
			}
		}
	}
	if _, err := json.Marshal(struct{ K *Key }{k}); err == nil {
		t.Fatal("json.Marshal of a key succeeded")
	}
}

func TestParamsValid(t *testing.T) {
	tests := []struct {
		p  Params
		ok bool
	}{
		{MinParams, true},
		{Params{Time: 4, MemoryKiB: 256 * 1024, Threads: 2}, true},
		{Params{Time: 2, MemoryKiB: 64 * 1024, Threads: 1}, false},
		{Params{Time: 3, MemoryKiB: 64*1024 - 1, Threads: 1}, false},
		{Params{Time: 3, MemoryKiB: 64 * 1024, Threads: 0}, false},
		{Params{Time: 3, MemoryKiB: 19 * 1024, Threads: 1}, false},
		{Params{}, false},
		{Params{Time: MaxTime + 1, MemoryKiB: 64 * 1024, Threads: 1}, false},
		{Params{Time: 3, MemoryKiB: MaxMemoryKiB + 1, Threads: 1}, false},
		{Params{Time: 3, MemoryKiB: 64 * 1024, Threads: MaxThreads + 1}, false},
	}
	for _, tc := range tests {
		err := tc.p.Valid()
		if (err == nil) != tc.ok {
			t.Errorf("%v.Valid() = %v", tc.p, err)
		}
		if err != nil && !errors.Is(err, ErrWeakParams) {
			t.Errorf("%v.Valid() = %v, want ErrWeakParams", tc.p, err)
		}
	}
}

// Runs with the production floor: Wrap must refuse weak params before
// doing any Argon2id work.
func TestWrapRefusesParamsBelowMinimum(t *testing.T) {
	k := mustKey(t)
	for _, p := range []Params{
		{Time: 1, MemoryKiB: 64, Threads: 1},
		{Time: 2, MemoryKiB: 19 * 1024, Threads: 1}, // OWASP minimum: still too weak here
		{Time: 2, MemoryKiB: 64 * 1024, Threads: 4},
		{Time: 3, MemoryKiB: 32 * 1024, Threads: 4},
		{Time: 3, MemoryKiB: 64 * 1024, Threads: 0},
	} {
		if _, err := Wrap(k, []byte("password lunga"), p, nil); !errors.Is(err, ErrWeakParams) {
			t.Errorf("Wrap(%v) = %v, want ErrWeakParams", p, err)
		}
	}
}

func TestWrapUnwrap(t *testing.T) {
	p := fastArgon(t)
	office := mustKey(t)
	ad := []byte("office:BSL01|operator:42")
	sealed, err := Seal(office, []byte("cartella di Mario"), []byte("rec"))
	if err != nil {
		t.Fatal(err)
	}
	w, err := Wrap(office, []byte("Perché-è-così 2024!"), p, ad)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("right password opens what the original sealed", func(t *testing.T) {
		k, err := Unwrap(w, []byte("Perché-è-così 2024!"), ad)
		if err != nil {
			t.Fatal(err)
		}
		pt, err := Open(k, sealed, []byte("rec"))
		if err != nil || string(pt) != "cartella di Mario" {
			t.Fatalf("Open = %q, %v", pt, err)
		}
	})

	refused := []struct {
		name   string
		secret string
		ad     []byte
	}{
		{"wrong password", "perché-è-così 2024!", ad},
		{"empty password", "", ad},
		{"other operator (ad mismatch)", "Perché-è-così 2024!", []byte("office:BSL01|operator:43")},
		{"no ad", "Perché-è-così 2024!", nil},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			k, err := Unwrap(w, []byte(tc.secret), tc.ad)
			if !errors.Is(err, ErrWrongSecret) || k != nil {
				t.Fatalf("Unwrap = %v, %v; want ErrWrongSecret", k, err)
			}
			if strings.Contains(err.Error(), tc.secret) && tc.secret != "" {
				t.Fatal("error message contains the secret")
			}
		})
	}

	t.Run("salt is random", func(t *testing.T) {
		w2, _ := Wrap(office, []byte("Perché-è-così 2024!"), p, ad)
		if bytes.Equal(w.Salt, w2.Salt) || bytes.Equal(w.Box, w2.Box) {
			t.Fatal("two wraps share salt or box")
		}
	})

	t.Run("password change", func(t *testing.T) {
		k, err := Unwrap(w, []byte("Perché-è-così 2024!"), ad)
		if err != nil {
			t.Fatal(err)
		}
		nw, err := Wrap(k, []byte("nuova password"), p, ad)
		if err != nil {
			t.Fatal(err)
		}
		k.Zero()
		if _, err := Unwrap(nw, []byte("Perché-è-così 2024!"), ad); !errors.Is(err, ErrWrongSecret) {
			t.Fatalf("old password still opens the new wrapped key: %v", err)
		}
		k2, err := Unwrap(nw, []byte("nuova password"), ad)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Open(k2, sealed, []byte("rec")); err != nil {
			t.Fatalf("new password does not give the office key: %v", err)
		}
	})

	t.Run("recovery code", func(t *testing.T) {
		code, err := NewRecoveryCode()
		if err != nil {
			t.Fatal(err)
		}
		secret, err := RecoverySecret(code)
		if err != nil {
			t.Fatal(err)
		}
		rad := []byte("office:BSL01|recovery")
		rw, err := Wrap(office, secret, p, rad)
		if err != nil {
			t.Fatal(err)
		}
		typed := strings.ToLower(strings.ReplaceAll(code, "-", " "))
		typedSecret, err := RecoverySecret(typed)
		if err != nil {
			t.Fatal(err)
		}
		k, err := Unwrap(rw, typedSecret, rad)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Open(k, sealed, []byte("rec")); err != nil {
			t.Fatal(err)
		}
		other, _ := NewRecoveryCode()
		otherSecret, _ := RecoverySecret(other)
		if _, err := Unwrap(rw, otherSecret, rad); !errors.Is(err, ErrWrongSecret) {
			t.Fatalf("another recovery code opened it: %v", err)
		}
	})
}

func TestWrappedMarshal(t *testing.T) {
	p := fastArgon(t)
	office := mustKey(t)
	w, err := Wrap(office, []byte("pw"), p, []byte("ad"))
	if err != nil {
		t.Fatal(err)
	}
	data, err := w.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if len(data) != wrappedSize || wrappedSize != 102 {
		t.Fatalf("marshalled size %d (const %d)", len(data), wrappedSize)
	}
	var back Wrapped
	if err := back.UnmarshalBinary(data); err != nil {
		t.Fatal(err)
	}
	if back.Version != w.Version || back.Params != w.Params || !bytes.Equal(back.Salt, w.Salt) || !bytes.Equal(back.Box, w.Box) {
		t.Fatalf("round trip mismatch: %+v vs %+v", back, w)
	}
	if _, err := Unwrap(back, []byte("pw"), []byte("ad")); err != nil {
		t.Fatal(err)
	}

	bad := map[string][]byte{
		"nil":        nil,
		"short":      data[:10],
		"truncated":  data[:len(data)-1],
		"extended":   append(bytes.Clone(data), 0),
		"bad magic":  append([]byte("XXXX"), data[4:]...),
		"version 2":  append(append([]byte("CSWK"), 2), data[5:]...),
		"all zeros":  make([]byte, wrappedSize),
		"zero t":     func() []byte { d := bytes.Clone(data); copy(d[5:9], []byte{0, 0, 0, 0}); return d }(),
		"huge m":     func() []byte { d := bytes.Clone(data); copy(d[9:13], []byte{0xff, 0xff, 0xff, 0xff}); return d }(),
		"0 threads":  func() []byte { d := bytes.Clone(data); d[13] = 0; return d }(),
		"random 102": bytes.Repeat([]byte{0x5a}, wrappedSize),
	}
	for name, d := range bad {
		var x Wrapped
		if err := x.UnmarshalBinary(d); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: UnmarshalBinary = %v, want ErrMalformed", name, err)
		}
	}
	// Production floor: a blob with test-sized params is rejected as weak.
	paramFloor = MinParams
	if err := back.UnmarshalBinary(data); !errors.Is(err, ErrMalformed) {
		t.Fatalf("weak params accepted under production floor: %v", err)
	}
}

// Every single-byte change of the marshalled form must be refused, either
// when decoding or when unwrapping.
func TestWrappedTamperEveryByte(t *testing.T) {
	p := fastArgon(t)
	office := mustKey(t)
	ad := []byte("office:BSL01|operator:7")
	w, err := Wrap(office, []byte("password"), p, ad)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := w.MarshalBinary()
	for i := range data {
		for _, mask := range []byte{0x01, 0x80} {
			d := bytes.Clone(data)
			d[i] ^= mask
			var x Wrapped
			if err := x.UnmarshalBinary(d); err != nil {
				continue // refused at decoding
			}
			if k, err := Unwrap(x, []byte("password"), ad); err == nil || k != nil {
				t.Fatalf("byte %d ^ %#x: tampered wrapped key accepted", i, mask)
			}
		}
	}
	// Field-level tampering of the struct.
	fields := map[string]func(*Wrapped){
		"salt":    func(x *Wrapped) { x.Salt[3] ^= 1 },
		"box":     func(x *Wrapped) { x.Box[40] ^= 1 },
		"nonce":   func(x *Wrapped) { x.Box[0] ^= 1 },
		"time":    func(x *Wrapped) { x.Params.Time++ },
		"memory":  func(x *Wrapped) { x.Params.MemoryKiB += 8 },
		"threads": func(x *Wrapped) { x.Params.Threads++ },
		"version": func(x *Wrapped) { x.Version++ },
		"no salt": func(x *Wrapped) { x.Salt = nil },
	}
	for name, mutate := range fields {
		x := Wrapped{Version: w.Version, Params: w.Params, Salt: bytes.Clone(w.Salt), Box: bytes.Clone(w.Box)}
		mutate(&x)
		if k, err := Unwrap(x, []byte("password"), ad); err == nil || k != nil {
			t.Errorf("%s: tampered wrapped key accepted", name)
		}
	}
}

func TestRecoveryCodeFormat(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		c, err := NewRecoveryCode()
		if err != nil {
			t.Fatal(err)
		}
		groups := strings.Split(c, "-")
		if len(groups) != 6 {
			t.Fatalf("%q: %d groups", c, len(groups))
		}
		for _, g := range groups {
			if len(g) != 5 || strings.Trim(g, recoveryAlphabet) != "" {
				t.Fatalf("%q: bad group %q", c, g)
			}
		}
		if strings.ContainsAny(c, "ILOU") {
			t.Fatalf("%q contains an ambiguous letter", c)
		}
		if seen[c] {
			t.Fatal("duplicate recovery code")
		}
		seen[c] = true
		if n, err := NormalizeRecoveryCode(c); err != nil || n != c {
			t.Fatalf("NormalizeRecoveryCode(%q) = %q, %v", c, n, err)
		}
	}
	if bits := recoveryData * 5; bits < 128 {
		t.Fatalf("only %d random bits", bits)
	}
}

func TestNormalizeRecoveryCode(t *testing.T) {
	// A fixed valid code containing 0 and 1 to exercise O→0 and I/L→1.
	v := make([]byte, recoveryLen)
	for i := range recoveryData {
		v[i] = byte((i * 7) % 32)
	}
	addCheck(v)
	code := formatRecovery(v)
	if !strings.ContainsAny(code, "0") || !strings.ContainsAny(code, "1") {
		t.Fatalf("test code %q lacks 0/1", code)
	}
	plain := strings.ReplaceAll(code, "-", "")
	accepted := map[string]string{
		"canonical":        code,
		"lower case":       strings.ToLower(code),
		"no dashes":        plain,
		"spaces":           strings.ReplaceAll(code, "-", " "),
		"messy spacing":    "  " + strings.ReplaceAll(code, "-", " -  ") + "\n",
		"O for zero":       strings.ReplaceAll(code, "0", "O"),
		"o for zero":       strings.ReplaceAll(code, "0", "o"),
		"I for one":        strings.ReplaceAll(code, "1", "I"),
		"l for one":        strings.ReplaceAll(code, "1", "l"),
		"en dash from PDF": strings.ReplaceAll(code, "-", "–"),
		"regrouped":        plain[:3] + "-" + plain[3:17] + " " + plain[17:],
	}
	for name, in := range accepted {
		got, err := NormalizeRecoveryCode(in)
		if err != nil || got != code {
			t.Errorf("%s: NormalizeRecoveryCode(%q) = %q, %v", name, in, got, err)
		}
	}

	rejected := map[string]string{
		"empty":         "",
		"missing char":  plain[:len(plain)-1],
		"extra char":    plain + "0",
		"U":             "U" + plain[1:],
		"punctuation":   plain[:10] + "." + plain[10:],
		"accented":      "È" + plain[1:],
		"two codes":     plain + plain,
		"half the code": code[:17],
	}
	for name, in := range rejected {
		if _, err := NormalizeRecoveryCode(in); !errors.Is(err, ErrInvalidRecoveryCode) {
			t.Errorf("%s: NormalizeRecoveryCode(%q) = %v", name, in, err)
		}
	}
	if ErrInvalidRecoveryCode.Error() != "Il codice di recupero non è valido: controllare di averlo copiato per intero." {
		t.Fatal("Italian message changed")
	}

	// Every one-character typo (each position, each other symbol) is caught.
	for i := range plain {
		for _, r := range recoveryAlphabet {
			if byte(r) == plain[i] {
				continue
			}
			typo := plain[:i] + string(r) + plain[i+1:]
			if _, err := NormalizeRecoveryCode(typo); err == nil {
				t.Fatalf("typo at %d (%c→%c) accepted", i, plain[i], r)
			}
		}
	}
	// Every swap of two adjacent different characters is caught.
	for i := 0; i+1 < len(plain); i++ {
		if plain[i] == plain[i+1] {
			continue
		}
		sw := []byte(plain)
		sw[i], sw[i+1] = sw[i+1], sw[i]
		if _, err := NormalizeRecoveryCode(string(sw)); err == nil {
			t.Fatalf("swap at %d accepted", i)
		}
	}
}

func TestGF32(t *testing.T) {
	// α = 2 must generate all 31 non-zero elements (primitive polynomial).
	seen := map[byte]bool{}
	a := byte(1)
	for range 31 {
		if seen[a] {
			t.Fatal("2 is not primitive")
		}
		seen[a] = true
		a = gfMul(a, 2)
	}
	for x := byte(1); x < 32; x++ {
		if gfMul(x, gfInv(x)) != 1 {
			t.Fatalf("inverse of %d wrong", x)
		}
	}
}
