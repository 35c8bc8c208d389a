package sync

import (
	"bytes"
	"encoding/binary"
	"testing"

	"cartella/store/vault"
)

// fuzzKey is fixed so that the corpus stays meaningful between runs.
var fuzzKey = func() *vault.Key {
	k, _ := vault.NewKey()
	return k
}()

// FuzzDecode feeds arbitrary bytes to the change-file decoder: it must
// never panic, and whatever it accepts must be a file that authenticates.
//
//	go test -tags migrated_fynedo -fuzz FuzzDecode ./store/sync
func FuzzDecode(f *testing.F) {
	es := sampleEntries()
	good := encode(f, fuzzKey, header(len(es)), es)
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add(good[:HeaderSize])
	f.Add([]byte("CSYN"))
	f.Fuzz(func(t *testing.T, data []byte) {
		h, got, err := Decode(data, fuzzKey, office)
		if err != nil {
			if got != nil {
				t.Fatal("entries returned with an error")
			}
			return
		}
		if h.Office != office || len(data) < HeaderSize {
			t.Fatal("accepted a file of another office or without header")
		}
	})
}

// FuzzDecodeEntries seals arbitrary plaintext as a valid file, so that the
// entry decoder behind the authentication is exercised too.
func FuzzDecodeEntries(f *testing.F) {
	var plain bytes.Buffer
	es := sampleEntries()
	data := encode(f, fuzzKey, header(len(es)), es)
	r, _ := NewReader(bytes.NewReader(data), fuzzKey, office)
	for {
		b := make([]byte, 4096)
		n, err := r.fr.Read(b)
		plain.Write(b[:n])
		if err != nil {
			break
		}
	}
	f.Add(plain.Bytes())
	f.Add([]byte{tagEnd, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{tagRecord, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, payload []byte) {
		h := header(0)
		h.Version = FormatVersion
		hdr := h.MarshalBinary()
		box, err := vault.Seal(fuzzKey, payload, frameAD(hdr, 0, true))
		if err != nil {
			t.Fatal(err)
		}
		file := append(bytes.Clone(hdr), binary.BigEndian.AppendUint32(nil, uint32(len(box)))...)
		file = append(file, box...)
		_, got, err := Decode(file, fuzzKey, office)
		if err != nil && got != nil {
			t.Fatal("entries returned with an error")
		}
		for _, e := range got {
			n := 0
			for _, p := range []bool{e.Record != nil, e.Audit != nil, e.Key != nil, e.Applied != nil} {
				if p {
					n++
				}
			}
			if n != 1 {
				t.Fatalf("entry with %d parts", n)
			}
		}
	})
}
