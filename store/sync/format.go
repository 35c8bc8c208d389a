package sync

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"

	"cartella/store/vault"
)

// FormatVersion is the version of change and snapshot files written by
// this program. Readers refuse files of a higher version with
// ErrFutureVersion, so an old PC never misreads a newer PC's files.
const FormatVersion = 1

// FileKind says what a file holds.
type FileKind uint8

const (
	KindChanges  FileKind = 1 // the changes made on one PC since its previous file
	KindSnapshot FileKind = 2 // the whole shared state as one PC knew it
)

const (
	magic = "CSYN"
	// HeaderSize is the length of the clear header.
	HeaderSize = 96
	// frameSize is the plaintext carried by each sealed frame.
	frameSize = 1 << 20
	maxBox    = frameSize + vault.Overhead

	// Field limits: anything larger is refused as corrupt, so that a
	// damaged length cannot make the reader allocate without bound.
	maxKind    = 64
	maxHistory = 24 * 1024
	maxBody    = 64 << 20
	maxSmall   = 4096
	maxEntries = 1 << 31
)

// Errors returned by readers. Their text is Italian: the store shows them
// next to the file's name.
var (
	ErrNotSyncFile   = errors.New("non è un file di sincronizzazione di Cartella Sociale")
	ErrFutureVersion = errors.New("il file è stato scritto da una versione più recente di Cartella Sociale: aggiornare il programma su questo computer")
	ErrOtherOffice   = errors.New("il file appartiene a un altro ufficio")
	ErrTruncated     = errors.New("il file è incompleto (copia interrotta o ancora in corso)")
	ErrCorrupt       = errors.New("il file è danneggiato o è stato alterato")
)

// Header is the clear part of a file. It names no person: ids, counts and
// clocks only.
type Header struct {
	Version uint16
	Kind    FileKind
	Office  [16]byte
	Device  [16]byte
	// Seq is the file's number in its device's folder (change files), or
	// the number of the writer's last change file it includes (snapshots).
	Seq uint64
	// First and Last are the range of the writer's local change numbers
	// (outbox) the file covers; both zero when none.
	First, Last uint64
	// Count is the number of entries, or zero when not known in advance
	// (snapshots); the end marker always carries the real count.
	Count uint32
	// MaxHLC is the highest clock stamp of any entry.
	MaxHLC uint64
	// Created is when the file was written, by the writer's clock.
	Created time.Time
}

// MarshalBinary encodes the header in its fixed 96-byte form.
func (h Header) MarshalBinary() []byte {
	b := make([]byte, HeaderSize)
	copy(b, magic)
	binary.BigEndian.PutUint16(b[4:], h.Version)
	b[6] = byte(h.Kind)
	copy(b[8:24], h.Office[:])
	copy(b[24:40], h.Device[:])
	binary.BigEndian.PutUint64(b[40:], h.Seq)
	binary.BigEndian.PutUint64(b[48:], h.First)
	binary.BigEndian.PutUint64(b[56:], h.Last)
	binary.BigEndian.PutUint32(b[64:], h.Count)
	binary.BigEndian.PutUint64(b[72:], h.MaxHLC)
	binary.BigEndian.PutUint64(b[80:], uint64(h.Created.UnixMilli()))
	return b
}

// ParseHeader decodes and checks the clear header: magic, version, kind.
// It does not authenticate anything: that needs the key (Reader).
func ParseHeader(b []byte) (Header, error) {
	if len(b) < HeaderSize {
		if len(b) >= len(magic) && string(b[:len(magic)]) != magic {
			return Header{}, ErrNotSyncFile
		}
		return Header{}, ErrTruncated
	}
	if string(b[:4]) != magic {
		return Header{}, ErrNotSyncFile
	}
	h := Header{Version: binary.BigEndian.Uint16(b[4:]), Kind: FileKind(b[6])}
	if h.Version > FormatVersion {
		return h, fmt.Errorf("%w (formato %d, questo programma legge fino al %d)", ErrFutureVersion, h.Version, FormatVersion)
	}
	if h.Version == 0 || b[7] != 0 || !bytes.Equal(b[88:96], make([]byte, 8)) || binary.BigEndian.Uint32(b[68:]) != 0 {
		return h, ErrCorrupt
	}
	if h.Kind != KindChanges && h.Kind != KindSnapshot {
		return h, ErrCorrupt
	}
	copy(h.Office[:], b[8:24])
	copy(h.Device[:], b[24:40])
	h.Seq = binary.BigEndian.Uint64(b[40:])
	h.First = binary.BigEndian.Uint64(b[48:])
	h.Last = binary.BigEndian.Uint64(b[56:])
	h.Count = binary.BigEndian.Uint32(b[64:])
	h.MaxHLC = binary.BigEndian.Uint64(b[72:])
	h.Created = time.UnixMilli(int64(binary.BigEndian.Uint64(b[80:]))).UTC()
	return h, nil
}

// frameAD binds a frame to its file, position and finality.
func frameAD(hdr []byte, index uint64, final bool) []byte {
	ad := make([]byte, 0, len(hdr)+9)
	ad = append(ad, hdr...)
	ad = binary.BigEndian.AppendUint64(ad, index)
	if final {
		return append(ad, 1)
	}
	return append(ad, 0)
}

// Entry types inside the sealed stream.
const (
	tagEnd     = 0
	tagRecord  = 1
	tagAudit   = 2
	tagKey     = 3
	tagApplied = 4
)

// Record is one version of a record, as stored: the body stays sealed with
// the records key; the file's own seal adds integrity and hides the rest.
type Record struct {
	ID      [16]byte
	Kind    string
	Parent  []byte // nil or 16 bytes
	HLC     uint64
	Device  [16]byte
	Deleted bool
	Schema  uint16
	History []byte // causal history of the version (the store's encoding)
	Body    []byte
}

// Audit is one entry of a device's hash-chained audit log.
type Audit struct {
	Device [16]byte
	Seq    uint64
	HLC    uint64
	Body   []byte
	Chain  []byte
}

// Key is one wrapped office key (an operator's or the recovery code's),
// with the clock of its last change; Wrapped empty means removed.
type Key struct {
	Login    []byte
	Operator [16]byte
	Wrapped  []byte
	HLC      uint64
	Device   [16]byte
}

// Applied says that the files From..To of Device are reflected in a
// snapshot.
type Applied struct {
	Device   [16]byte
	From, To uint64
}

// Entry is one item of a file; exactly one of its pointers is set.
type Entry struct {
	Record  *Record
	Audit   *Audit
	Key     *Key
	Applied *Applied
}

// Writer writes a file: header, then entries sealed frame by frame.
type Writer struct {
	w     io.Writer
	key   *vault.Key
	hdr   []byte
	want  uint32
	buf   []byte
	index uint64
	n     uint64
	err   error
}

// NewWriter writes h (Version is set to FormatVersion) and returns a
// writer for the entries.
func NewWriter(w io.Writer, key *vault.Key, h Header) (*Writer, error) {
	h.Version = FormatVersion
	if h.Kind != KindChanges && h.Kind != KindSnapshot {
		return nil, fmt.Errorf("sync: unknown file kind %d", h.Kind)
	}
	hdr := h.MarshalBinary()
	if _, err := w.Write(hdr); err != nil {
		return nil, fmt.Errorf("sync: write header: %w", err)
	}
	return &Writer{w: w, key: key, hdr: hdr, want: h.Count, buf: make([]byte, 0, frameSize+1024)}, nil
}

func (w *Writer) flush(final bool) error {
	for len(w.buf) >= frameSize || final {
		n := min(len(w.buf), frameSize)
		last := final && n == len(w.buf)
		box, err := vault.Seal(w.key, w.buf[:n], frameAD(w.hdr, w.index, last))
		if err != nil {
			return fmt.Errorf("sync: seal: %w", err)
		}
		var l [4]byte
		binary.BigEndian.PutUint32(l[:], uint32(len(box)))
		if _, err := w.w.Write(l[:]); err != nil {
			return fmt.Errorf("sync: write: %w", err)
		}
		if _, err := w.w.Write(box); err != nil {
			return fmt.Errorf("sync: write: %w", err)
		}
		w.index++
		clear(w.buf[:n])
		w.buf = append(w.buf[:0], w.buf[n:]...)
		if last {
			return nil
		}
	}
	return nil
}

func (w *Writer) add(enc func(b []byte) []byte) error {
	if w.err != nil {
		return w.err
	}
	w.buf = enc(w.buf)
	w.n++
	if len(w.buf) >= frameSize {
		w.err = w.flush(false)
	}
	return w.err
}

func putBytes(b, v []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(v)))
	return append(b, v...)
}

// Record adds a record version.
func (w *Writer) Record(r *Record) error {
	if len(r.Kind) == 0 || len(r.Kind) > maxKind || (len(r.Parent) != 0 && len(r.Parent) != 16) ||
		len(r.History) > maxHistory || len(r.Body) > maxBody {
		return fmt.Errorf("sync: record %x: field out of range", r.ID)
	}
	return w.add(func(b []byte) []byte {
		b = append(b, tagRecord)
		b = append(b, r.ID[:]...)
		b = putBytes(b, []byte(r.Kind))
		b = putBytes(b, r.Parent)
		b = binary.BigEndian.AppendUint64(b, r.HLC)
		b = append(b, r.Device[:]...)
		if r.Deleted {
			b = append(b, 1)
		} else {
			b = append(b, 0)
		}
		b = binary.BigEndian.AppendUint16(b, r.Schema)
		b = putBytes(b, r.History)
		return putBytes(b, r.Body)
	})
}

// Audit adds an audit entry.
func (w *Writer) Audit(a *Audit) error {
	if len(a.Body) > maxBody || len(a.Chain) > maxSmall {
		return fmt.Errorf("sync: audit entry %d: field out of range", a.Seq)
	}
	return w.add(func(b []byte) []byte {
		b = append(b, tagAudit)
		b = append(b, a.Device[:]...)
		b = binary.BigEndian.AppendUint64(b, a.Seq)
		b = binary.BigEndian.AppendUint64(b, a.HLC)
		b = putBytes(b, a.Body)
		return putBytes(b, a.Chain)
	})
}

// Key adds a wrapped key.
func (w *Writer) Key(k *Key) error {
	if len(k.Login) == 0 || len(k.Login) > maxSmall || len(k.Wrapped) > maxSmall {
		return errors.New("sync: key entry: field out of range")
	}
	return w.add(func(b []byte) []byte {
		b = append(b, tagKey)
		b = putBytes(b, k.Login)
		b = append(b, k.Operator[:]...)
		b = putBytes(b, k.Wrapped)
		b = binary.BigEndian.AppendUint64(b, k.HLC)
		return append(b, k.Device[:]...)
	})
}

// Applied adds a range of applied files (snapshots).
func (w *Writer) Applied(a Applied) error {
	if a.From == 0 || a.To < a.From {
		return errors.New("sync: applied range out of order")
	}
	return w.add(func(b []byte) []byte {
		b = append(b, tagApplied)
		b = append(b, a.Device[:]...)
		b = binary.BigEndian.AppendUint64(b, a.From)
		return binary.BigEndian.AppendUint64(b, a.To)
	})
}

// Entries is how many entries were added so far.
func (w *Writer) Entries() uint64 { return w.n }

// Close writes the end marker with the entry count and the final frame.
// It does not close the underlying writer.
func (w *Writer) Close() error {
	if w.err != nil {
		return w.err
	}
	if w.want != 0 && uint64(w.want) != w.n {
		return fmt.Errorf("sync: header says %d entries, wrote %d", w.want, w.n)
	}
	w.buf = append(w.buf, tagEnd)
	w.buf = binary.BigEndian.AppendUint64(w.buf, w.n)
	w.err = w.flush(true)
	if w.err == nil {
		w.err = errors.New("sync: writer closed")
		return nil
	}
	return w.err
}

// frameReader yields the authenticated plaintext of consecutive frames.
type frameReader struct {
	r     io.Reader
	key   *vault.Key
	hdr   []byte
	index uint64
	buf   []byte
	off   int
	final bool
	err   error
}

func (f *frameReader) Read(p []byte) (int, error) {
	for f.off == len(f.buf) {
		if f.err != nil {
			return 0, f.err
		}
		if f.final {
			// Nothing may follow the final frame.
			var one [1]byte
			if n, _ := io.ReadFull(f.r, one[:]); n != 0 {
				f.err = fmt.Errorf("%w: dati oltre la fine", ErrCorrupt)
			} else {
				f.err = io.EOF
			}
			return 0, f.err
		}
		f.err = f.next()
	}
	n := copy(p, f.buf[f.off:])
	f.off += n
	return n, nil
}

func (f *frameReader) next() error {
	var l [4]byte
	if _, err := io.ReadFull(f.r, l[:]); err != nil {
		return readErr(err)
	}
	n := binary.BigEndian.Uint32(l[:])
	if n < vault.Overhead || n > maxBox {
		return fmt.Errorf("%w: lunghezza di un blocco non valida", ErrCorrupt)
	}
	box := make([]byte, n)
	if _, err := io.ReadFull(f.r, box); err != nil {
		return readErr(err)
	}
	clear(f.buf)
	for _, final := range []bool{false, true} {
		pt, err := vault.Open(f.key, box, frameAD(f.hdr, f.index, final))
		if err == nil {
			f.buf, f.off, f.final = pt, 0, final
			f.index++
			return nil
		}
		if errors.Is(err, vault.ErrLocked) {
			return err
		}
	}
	return ErrCorrupt
}

func readErr(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return ErrTruncated
	}
	return fmt.Errorf("lettura del file: %w", err)
}

// Reader reads a file's entries, authenticating each frame before any of
// its bytes is decoded.
type Reader struct {
	h    Header
	fr   *frameReader
	br   *bufio.Reader
	n    uint64
	done bool
}

// NewReader reads and checks the header. office, when non-zero, must be
// the file's office (ErrOtherOffice otherwise).
func NewReader(r io.Reader, key *vault.Key, office [16]byte) (*Reader, error) {
	hdr := make([]byte, HeaderSize)
	if n, err := io.ReadFull(r, hdr); err != nil {
		if _, perr := ParseHeader(hdr[:n]); perr != nil {
			return nil, perr
		}
		return nil, readErr(err)
	}
	h, err := ParseHeader(hdr)
	if err != nil {
		return nil, err
	}
	if office != ([16]byte{}) && h.Office != office {
		return nil, ErrOtherOffice
	}
	fr := &frameReader{r: r, key: key, hdr: hdr}
	return &Reader{h: h, fr: fr, br: bufio.NewReaderSize(fr, 64<<10)}, nil
}

// Header is the file's header (authenticated once Next has returned io.EOF).
func (r *Reader) Header() Header { return r.h }

type decoder struct {
	br  *bufio.Reader
	err error
}

func (d *decoder) fail(err error) {
	if d.err == nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			err = fmt.Errorf("%w: voce interrotta", ErrCorrupt)
		}
		d.err = err
	}
}

func (d *decoder) full(p []byte) {
	if d.err != nil {
		return
	}
	if _, err := io.ReadFull(d.br, p); err != nil {
		d.fail(err)
	}
}

func (d *decoder) u64() uint64 {
	var b [8]byte
	d.full(b[:])
	return binary.BigEndian.Uint64(b[:])
}

func (d *decoder) u16() uint16 {
	var b [2]byte
	d.full(b[:])
	return binary.BigEndian.Uint16(b[:])
}

func (d *decoder) byte1() byte {
	var b [1]byte
	d.full(b[:])
	return b[0]
}

func (d *decoder) id() (id [16]byte) {
	d.full(id[:])
	return id
}

// bytes reads a length-prefixed field of at most limit bytes; it grows the
// buffer as data arrives, so a lying length cannot allocate much.
func (d *decoder) bytes(limit int) []byte {
	if d.err != nil {
		return nil
	}
	n, err := binary.ReadUvarint(d.br)
	if err != nil {
		d.fail(err)
		return nil
	}
	if n > uint64(limit) {
		d.fail(fmt.Errorf("%w: campo troppo lungo", ErrCorrupt))
		return nil
	}
	if n == 0 {
		return nil
	}
	if n <= 64<<10 {
		b := make([]byte, n)
		d.full(b)
		return b
	}
	var buf bytes.Buffer
	if _, err := io.CopyN(&buf, d.br, int64(n)); err != nil {
		d.fail(err)
		return nil
	}
	return buf.Bytes()
}

// Next returns the next entry, or io.EOF after the end marker when the
// whole file has been authenticated and its count checked.
func (r *Reader) Next() (Entry, error) {
	if r.done {
		return Entry{}, io.EOF
	}
	d := &decoder{br: r.br}
	tag := d.byte1()
	if d.err != nil {
		if errors.Is(d.err, ErrTruncated) || errors.Is(r.fr.err, ErrTruncated) {
			return Entry{}, ErrTruncated
		}
		return Entry{}, d.err
	}
	var e Entry
	switch tag {
	case tagEnd:
		n := d.u64()
		if d.err != nil {
			return Entry{}, d.err
		}
		if n != r.n || (r.h.Count != 0 && uint64(r.h.Count) != n) {
			return Entry{}, fmt.Errorf("%w: numero di voci errato", ErrCorrupt)
		}
		// The end marker must be the last byte of the final frame.
		if _, err := r.br.ReadByte(); err != io.EOF {
			if err == nil {
				return Entry{}, fmt.Errorf("%w: dati oltre la fine", ErrCorrupt)
			}
			return Entry{}, err
		}
		if !r.fr.final {
			return Entry{}, ErrCorrupt
		}
		r.done = true
		return Entry{}, io.EOF
	case tagRecord:
		rec := &Record{ID: d.id()}
		rec.Kind = string(d.bytes(maxKind))
		rec.Parent = d.bytes(16)
		rec.HLC = d.u64()
		rec.Device = d.id()
		switch d.byte1() {
		case 0:
		case 1:
			rec.Deleted = true
		default:
			d.fail(fmt.Errorf("%w: valore non valido", ErrCorrupt))
		}
		rec.Schema = d.u16()
		rec.History = d.bytes(maxHistory)
		rec.Body = d.bytes(maxBody)
		if d.err == nil && (rec.Kind == "" || (len(rec.Parent) != 0 && len(rec.Parent) != 16)) {
			d.fail(fmt.Errorf("%w: record non valido", ErrCorrupt))
		}
		e.Record = rec
	case tagAudit:
		a := &Audit{Device: d.id()}
		a.Seq = d.u64()
		a.HLC = d.u64()
		a.Body = d.bytes(maxBody)
		a.Chain = d.bytes(maxSmall)
		e.Audit = a
	case tagKey:
		k := &Key{}
		k.Login = d.bytes(maxSmall)
		k.Operator = d.id()
		k.Wrapped = d.bytes(maxSmall)
		k.HLC = d.u64()
		k.Device = d.id()
		if d.err == nil && len(k.Login) == 0 {
			d.fail(fmt.Errorf("%w: chiave senza nome", ErrCorrupt))
		}
		e.Key = k
	case tagApplied:
		a := &Applied{Device: d.id()}
		a.From = d.u64()
		a.To = d.u64()
		if d.err == nil && (a.From == 0 || a.To < a.From) {
			d.fail(fmt.Errorf("%w: intervallo non valido", ErrCorrupt))
		}
		e.Applied = a
	default:
		return Entry{}, fmt.Errorf("%w: voce di tipo sconosciuto", ErrCorrupt)
	}
	if d.err != nil {
		if errors.Is(r.fr.err, ErrTruncated) {
			return Entry{}, ErrTruncated
		}
		return Entry{}, d.err
	}
	r.n++
	if r.n > maxEntries {
		return Entry{}, ErrCorrupt
	}
	return e, nil
}

// Decode reads a whole file from memory and returns its entries only if
// every frame authenticates and the count matches: a caller never sees
// part of a bad file.
func Decode(data []byte, key *vault.Key, office [16]byte) (Header, []Entry, error) {
	r, err := NewReader(bytes.NewReader(data), key, office)
	if err != nil {
		return Header{}, nil, err
	}
	var out []Entry
	for {
		e, err := r.Next()
		if err == io.EOF {
			return r.h, out, nil
		}
		if err != nil {
			return r.h, nil, err
		}
		out = append(out, e)
	}
}
