package store_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"

	"cartella/store"
)

// TestConvergence is the property test of sync: two and three PCs make
// random creates, edits and deletes of persons, intakes (accesses),
// diary entries, attachments and a generic kind, while apart; each has
// its own view of the shared folder and files travel between views in
// random subsets (so they arrive late, partially and out of order); PCs
// sync in random order and resolve some conflicts. At the end, once every
// file has reached every PC: equal digests, equal conflict lists, no
// change missing (each is in use, kept as a conflict, or was edited
// further), attachments byte-identical, and every PC passes Verify.
//
// CARTELLA_SYNC_SEED=n runs one seed (to reproduce a failure);
// CARTELLA_SYNC_OPS=n changes the number of operations.
func TestConvergence(t *testing.T) {
	seeds := []uint64{1, 2, 3}
	ops := 60
	if testing.Short() {
		seeds, ops = []uint64{1}, 25
	}
	if s := os.Getenv("CARTELLA_SYNC_SEED"); s != "" {
		n, _ := strconv.ParseUint(s, 10, 64)
		seeds = []uint64{n}
	}
	if s := os.Getenv("CARTELLA_SYNC_OPS"); s != "" {
		ops, _ = strconv.Atoi(s)
	}
	for _, n := range []int{2, 3} {
		for _, seed := range seeds {
			t.Run(fmt.Sprintf("%dPC/seed%d", n, seed), func(t *testing.T) {
				runConvergence(t, n, seed, ops)
			})
		}
	}
}

const noteKind = "nota_prova" // a kind store does not know: sync is generic

type world struct {
	t       *testing.T
	ctx     context.Context
	rng     *rand.Rand
	pcs     []*pc
	views   []string
	parents map[string][]string // token → the tokens it was made from
	tokens  []string
	docs    map[store.ID][]byte
	notes   []store.ID
	seq     int
}

func (w *world) token() string {
	w.seq++
	if os.Getenv("CARTELLA_SYNC_DEBUG") != "" {
		w.t.Logf("token tok-%d made", w.seq)
	}
	tok := fmt.Sprintf("tok-%d", w.seq)
	w.tokens = append(w.tokens, tok)
	return tok
}

func runConvergence(t *testing.T, n int, seed uint64, ops int) {
	ctx := context.Background()
	w := &world{t: t, ctx: ctx, rng: rand.New(rand.NewPCG(seed, 7)), parents: map[string][]string{}, docs: map[store.ID][]byte{}}
	a := firstPC(t)
	w.pcs = append(w.pcs, a)
	w.views = append(w.views, t.TempDir())
	// Some shared history before the PCs part.
	for range 3 {
		w.createPerson(a)
	}
	a.sync(w.views[0])
	for i := 1; i < n; i++ {
		view := t.TempDir()
		copyTree(t, w.views[0], view)
		w.pcs = append(w.pcs, joinPC(t, string(rune('A'+i)), view, time.Duration(i)*time.Minute))
		w.views = append(w.views, view)
	}
	for range ops {
		i := w.rng.IntN(n)
		p := w.pcs[i]
		r := w.rng.IntN(100)
		if os.Getenv("CARTELLA_SYNC_DEBUG") != "" {
			t.Logf("op %d on %s", r, p.name)
		}
		switch {
		case r < 12:
			w.createPerson(p)
		case r < 32:
			w.editPerson(p)
		case r < 38:
			w.deletePerson(p)
		case r < 46:
			w.access(p)
		case r < 52:
			w.diary(p)
		case r < 56:
			w.attach(p)
		case r < 64:
			w.note(p)
		case r < 68:
			w.resolve(p)
		case r < 84:
			w.syncPC(i)
		default:
			w.transfer(w.rng.IntN(n), i)
		}
	}
	// Everything reaches everyone.
	for range 3 {
		for i := range w.pcs {
			for j := range w.pcs {
				if i != j {
					copyFiles(t, w.views[j], w.views[i], func(string) bool { return true })
				}
			}
		}
		for i := range w.pcs {
			w.syncPC(i)
		}
	}
	w.check()
}

func (w *world) logf(format string, args ...any) {
	if os.Getenv("CARTELLA_SYNC_DEBUG") != "" {
		w.t.Logf(format, args...)
	}
}

func (w *world) syncPC(i int) {
	w.logf("%s syncs", w.pcs[i].name)
	rep, err := w.pcs[i].s.Sync(w.ctx, w.views[i])
	if err != nil || !rep.OK() {
		w.t.Fatalf("%s sync: %v %v", w.pcs[i].name, err, rep.Problems)
	}
}

// transfer copies a random subset of the change files of view from into
// view to, as a sync client or a USB stick would.
func (w *world) transfer(from, to int) {
	if from == to {
		return
	}
	copyFiles(w.t, w.views[from], w.views[to], func(rel string) bool {
		ok := w.rng.IntN(2) == 0
		if ok {
			w.logf("copy %s from %s to %s", rel, w.pcs[from].name, w.pcs[to].name)
		}
		return ok
	})
}

func (w *world) livePerson(p *pc) (store.Person, bool) {
	n := p.s.PersonCount()
	if n == 0 {
		return store.Person{}, false
	}
	sum, _ := p.s.PersonAt(w.rng.IntN(n))
	per, err := p.s.Person(w.ctx, sum.ID)
	if err != nil {
		w.t.Fatalf("%s read person: %v", p.name, err)
	}
	return per, true
}

func (w *world) createPerson(p *pc) {
	per := personN(w.rng.IntN(1000))
	tok := w.token()
	per.Residence.Street = tok
	w.parents[tok] = nil
	per = p.save(per)
	w.logf("%s creates person %s: %s", p.name, per.ID, tok)
}

func (w *world) editPerson(p *pc) (store.Person, bool) {
	per, ok := w.livePerson(p)
	if !ok {
		return per, false
	}
	tok := w.token()
	w.parents[tok] = []string{per.Residence.Street}
	w.logf("%s edits person %s: %s -> %s", p.name, per.ID, per.Residence.Street, tok)
	per.Residence.Street = tok
	if w.rng.IntN(3) == 0 {
		per.GivenName = fmt.Sprintf("Nome%d", w.rng.IntN(100))
	}
	return p.save(per), true
}

func (w *world) deletePerson(p *pc) {
	per, ok := w.editPerson(p)
	if !ok {
		return
	}
	w.logf("%s deletes person %s", p.name, per.ID)
	if err := p.s.DeleteForTest(w.ctx, per.ID, "person"); err != nil {
		w.t.Fatalf("%s delete: %v", p.name, err)
	}
}

func (w *world) access(p *pc) {
	per, ok := w.livePerson(p)
	if !ok {
		return
	}
	list, err := p.s.Accesses(w.ctx, per.ID)
	if err != nil {
		w.t.Fatal(err)
	}
	tok := w.token()
	var a store.Access
	if len(list) > 0 && w.rng.IntN(2) == 0 {
		a = list[w.rng.IntN(len(list))]
		w.parents[tok] = []string{a.NeedsNotes}
	} else {
		a = fullAccess(per.ID)
		a.Date = time.Now().UTC().Truncate(24 * time.Hour)
		w.parents[tok] = nil
	}
	a.NeedsNotes = tok
	if _, err := p.s.SaveAccess(w.ctx, a); err != nil {
		w.t.Fatalf("%s save access: %v", p.name, err)
	}
}

func (w *world) diary(p *pc) {
	per, ok := w.livePerson(p)
	if !ok {
		return
	}
	tok := w.token()
	w.parents[tok] = nil
	if _, err := p.s.AddDiaryEntry(w.ctx, store.DiaryEntry{PersonID: per.ID, Date: time.Now().UTC().Truncate(24 * time.Hour), Text: tok}); err != nil {
		w.t.Fatalf("%s diary: %v", p.name, err)
	}
}

func (w *world) attach(p *pc) {
	per, ok := w.livePerson(p)
	if !ok {
		return
	}
	size := 1 + w.rng.IntN(4000)
	if w.rng.IntN(4) == 0 {
		size = 1<<20 + w.rng.IntN(300000) // two chunks
	}
	data := make([]byte, size)
	for i := range data {
		data[i] = byte(w.rng.Uint32())
	}
	tok := w.token()
	w.parents[tok] = nil
	a, err := p.s.AddAttachment(w.ctx, per.ID, store.Attachment{Name: "documento.pdf", Description: tok}, bytes.NewReader(data))
	if err != nil {
		w.t.Fatalf("%s attach: %v", p.name, err)
	}
	w.docs[a.ID] = data
}

func (w *world) note(p *pc) {
	tok := w.token()
	if len(w.notes) > 0 && w.rng.IntN(2) == 0 {
		id := w.notes[w.rng.IntN(len(w.notes))]
		var v map[string]string
		if err := p.s.GetForTest(w.ctx, id, noteKind, &v); err == nil {
			w.parents[tok] = []string{v["text"]}
			if err := p.s.PutForTest(w.ctx, id, noteKind, nil, map[string]string{"text": tok}); err != nil {
				w.t.Fatal(err)
			}
			return
		}
	}
	id := store.NewID()
	w.notes = append(w.notes, id)
	w.parents[tok] = nil
	if err := p.s.PutForTest(w.ctx, id, noteKind, nil, map[string]string{"text": tok}); err != nil {
		w.t.Fatal(err)
	}
}

// tokenOf extracts the token of a decrypted body of any kind.
func tokenOf(kind string, plain []byte) string {
	var m map[string]json.RawMessage
	if json.Unmarshal(plain, &m) != nil {
		return ""
	}
	field := map[string]string{"access": "needs_notes", noteKind: "text", "diary": "text", "attachment": "description"}[kind]
	if kind == "person" {
		var r struct {
			Street string `json:"street"`
		}
		json.Unmarshal(m["residence"], &r)
		return r.Street
	}
	var s string
	json.Unmarshal(m[field], &s)
	return s
}

func (w *world) resolve(p *pc) {
	cs, err := p.s.Conflicts(w.ctx)
	if err != nil {
		w.t.Fatal(err)
	}
	if len(cs) == 0 {
		return
	}
	c := cs[w.rng.IntN(len(cs))]
	pick := map[string]store.Side{}
	for _, f := range c.Fields {
		pick[f.Name] = store.Side(w.rng.IntN(2))
	}
	w.logf("%s resolves %s %s: current %d other %d pick %v", p.name, c.Kind, c.RecordID, c.Current.HLC, c.Other.HLC, pick)
	if err := p.s.ResolveConflict(w.ctx, c, pick); err != nil {
		w.t.Fatalf("%s resolve: %v", p.name, err)
	}
	// The result has both versions in its history.
	recs, err := p.s.RecordsForTest(w.ctx)
	if err != nil {
		w.t.Fatal(err)
	}
	got := tokenOf(c.Kind, recs[c.RecordID].Plain)
	for _, v := range []store.ConflictVersion{c.Current, c.Other} {
		b, _ := json.Marshal(v.Fields)
		if tok := tokenOf(c.Kind, b); tok != got && tok != "" {
			w.parents[got] = append(w.parents[got], tok)
		}
	}
}

func (w *world) check() {
	t, ctx := w.t, w.ctx
	want := w.pcs[0].digest()
	var wantConflicts string
	for i, p := range w.pcs {
		if got := p.digest(); got != want {
			t.Errorf("%s: digest differs from A", p.name)
		}
		cs, err := p.s.Conflicts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		present := map[string]bool{}
		for _, c := range cs {
			keys = append(keys, fmt.Sprintf("%s/%d/%s", c.RecordID, c.Other.HLC, c.Other.Device))
			b, _ := json.Marshal(c.Other.Fields)
			present[tokenOf(c.Kind, b)] = true
		}
		sort.Strings(keys)
		if i == 0 {
			wantConflicts = fmt.Sprint(keys)
			t.Logf("%d conflicts kept, %d changes made", len(keys), len(w.tokens))
		} else if got := fmt.Sprint(keys); got != wantConflicts {
			t.Errorf("%s: conflicts %s, A has %s", p.name, got, wantConflicts)
		}
		recs, err := p.s.RecordsForTest(ctx)
		if err != nil {
			t.Fatal(err)
		}
		live := 0
		for _, r := range recs {
			present[tokenOf(r.Kind, r.Plain)] = true
			if r.Kind == "person" && !r.Deleted {
				live++
			}
		}
		if p.s.PersonCount() != live {
			t.Errorf("%s: index has %d persons, records %d", p.name, p.s.PersonCount(), live)
		}
		// Nothing lost: every change is in use, kept, or an ancestor of one.
		covered := map[string]bool{}
		var walk func(string)
		walk = func(tok string) {
			if covered[tok] {
				return
			}
			covered[tok] = true
			for _, par := range w.parents[tok] {
				walk(par)
			}
		}
		for tok := range present {
			walk(tok)
		}
		for _, tok := range w.tokens {
			if !covered[tok] {
				t.Errorf("%s: change %s is lost", p.name, tok)
			}
		}
		for id, data := range w.docs {
			var b bytes.Buffer
			as, err := p.s.Attachments(ctx, parentOf(t, p, id))
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range as {
				if a.ID == id {
					if err := p.s.WriteAttachment(ctx, a, &b); err != nil {
						t.Errorf("%s: attachment: %v", p.name, err)
					}
				}
			}
			if !bytes.Equal(b.Bytes(), data) {
				t.Errorf("%s: attachment %s differs (%d bytes, want %d)", p.name, id, b.Len(), len(data))
			}
		}
		if r, err := p.s.Verify(ctx); err != nil || !r.OK() {
			t.Errorf("%s: verify: %v %v", p.name, err, r.Problems)
		}
	}
}

// parentOf finds an attachment's owner among the persons (deleted ones
// keep their documents).
func parentOf(t *testing.T, p *pc, id store.ID) store.ID {
	owner, err := p.s.AttachmentOwnerForTest(context.Background(), id)
	if err != nil {
		t.Fatalf("%s: attachment %s: %v", p.name, id, err)
	}
	return owner
}

// copyTree copies a folder (the shared folder onto a USB stick).
func copyTree(t testing.TB, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		return copyFile(path, dst)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// copyFiles copies the change files chosen by keep that to lacks.
func copyFiles(t testing.TB, from, to string, keep func(string) bool) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(from, "CartellaSociale-*", "sync", "*", "*.csync"))
	sort.Strings(files)
	for _, f := range files {
		rel, _ := filepath.Rel(from, f)
		dst := filepath.Join(to, rel)
		if _, err := os.Stat(dst); err == nil || !keep(rel) {
			continue
		}
		os.MkdirAll(filepath.Dir(dst), 0o755)
		if err := copyFile(f, dst); err != nil {
			t.Fatal(err)
		}
	}
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
