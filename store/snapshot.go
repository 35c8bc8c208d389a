package store

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"time"

	csync "cartella/store/sync"
	"cartella/store/vault"
)

// SnapshotEvery is the least time between two snapshots of one PC. A
// snapshot is the shared state for PCs that join later (they load it
// instead of replaying every change file); a PC writes one at its first
// sync into an empty folder, then when the change files since the newest
// snapshot reach a quarter of its size. Each PC keeps its last keepSnapshots.
const (
	SnapshotEvery = 7 * 24 * time.Hour
	keepSnapshots = 2
)

func (s *Session) maybeSnapshot(ctx context.Context, keys *vault.SubKeys, folder csync.Folder, rep *SyncReport) error {
	snaps, err := folder.Snapshots(ctx)
	if err != nil {
		return err
	}
	var own []csync.FileRef
	for _, r := range snaps {
		if ID(r.Device) == s.db.deviceID {
			own = append(own, r)
		}
	}
	fileSeq := uint64(s.db.metaInt(ctx, metaSyncFileSeq))
	if len(snaps) > 0 {
		// A new snapshot only when this PC's last one is old and the
		// change files written since the newest snapshot amount to a
		// good part of it: a snapshot holds the whole office (documents
		// included), and joining works from older ones too.
		if len(own) > 0 && s.db.now().Sub(own[0].Mod) < SnapshotEvery {
			return nil
		}
		refs, err := folder.Changes(ctx)
		if err != nil {
			return err
		}
		var since int64
		for _, r := range refs {
			if r.Mod.After(snaps[0].Mod) {
				since += r.Size
			}
		}
		if since < snaps[0].Size/4 || since == 0 {
			return nil
		}
	}
	syncStage("before-snapshot")
	if err := s.writeSnapshot(ctx, keys, folder, fileSeq); err != nil {
		return err
	}
	rep.Snapshot = true
	// Keep the newest ones of this PC; never touch the others'.
	if snaps, err = folder.Snapshots(ctx); err == nil {
		n := 0
		for _, r := range snaps {
			if ID(r.Device) != s.db.deviceID {
				continue
			}
			if n++; n > keepSnapshots {
				csync.Retry(ctx, func() error { return os.Remove(r.Path) })
			}
		}
	}
	return nil
}

// writeSnapshot writes the whole shared state: every record version,
// every audit entry, the keyring and which change files it reflects.
// Records are read page by page so that the window stays responsive.
func (s *Session) writeSnapshot(ctx context.Context, keys *vault.SubKeys, folder csync.Folder, fileSeq uint64) error {
	db := s.db
	num := db.metaInt(ctx, metaSnapshotAt) + 1
	var maxHLC int64
	db.sql.QueryRowContext(ctx, "SELECT MAX(COALESCE((SELECT MAX(hlc) FROM records),0), COALESCE((SELECT MAX(hlc) FROM audit),0))").Scan(&maxHLC)
	h := csync.Header{Kind: csync.KindSnapshot, Office: db.officeID, Device: db.deviceID, Seq: fileSeq,
		MaxHLC: uint64(maxHLC), Created: db.now()}
	ranges, err := db.appliedRanges(ctx)
	if err != nil {
		return err
	}
	name := csync.SnapshotName(db.deviceID, uint64(num))
	err = folder.WriteFile(ctx, folder.SnapshotDir(), name, false, func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 256<<10)
		fw, err := csync.NewWriter(bw, keys.Sync, h)
		if err != nil {
			return err
		}
		for _, r := range ranges {
			if err := fw.Applied(r); err != nil {
				return err
			}
		}
		if err := db.snapshotKeys(ctx, fw); err != nil {
			return err
		}
		if err := db.snapshotRecords(ctx, fw); err != nil {
			return err
		}
		if err := db.snapshotAudit(ctx, fw); err != nil {
			return err
		}
		if err := fw.Close(); err != nil {
			return err
		}
		return bw.Flush()
	})
	if err != nil {
		return err
	}
	return setMetaInt(ctx, db.sql, metaSnapshotAt, num)
}

// appliedRanges compresses the applied change files into ranges.
func (db *DB) appliedRanges(ctx context.Context) ([]csync.Applied, error) {
	rows, err := db.sql.QueryContext(ctx, "SELECT device, seq FROM sync_applied ORDER BY device, seq")
	if err != nil {
		return nil, fmt.Errorf("read applied files: %w", err)
	}
	defer rows.Close()
	var out []csync.Applied
	for rows.Next() {
		var devb []byte
		var seq int64
		if err := rows.Scan(&devb, &seq); err != nil {
			return nil, err
		}
		var dev [16]byte
		copy(dev[:], devb)
		if n := len(out); n > 0 && out[n-1].Device == dev && out[n-1].To+1 == uint64(seq) {
			out[n-1].To++
			continue
		}
		out = append(out, csync.Applied{Device: dev, From: uint64(seq), To: uint64(seq)})
	}
	return out, rows.Err()
}

func (db *DB) snapshotKeys(ctx context.Context, fw *csync.Writer) error {
	ks, err := db.keyringEntries(ctx, "")
	if err != nil {
		return err
	}
	for i := range ks {
		if err := fw.Key(&ks[i]); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) snapshotRecords(ctx context.Context, fw *csync.Writer) error {
	var after []byte
	for {
		q, args := "SELECT "+recordCols+" FROM records ORDER BY id LIMIT 2000", []any(nil)
		if after != nil {
			q, args = "SELECT "+recordCols+" FROM records WHERE id > ? ORDER BY id LIMIT 2000", []any{after}
		}
		rows, err := db.sql.QueryContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("read records: %w", err)
		}
		var page []csync.Record
		size, full := 0, false
		for rows.Next() {
			r, err := scanRecord(rows)
			if err != nil {
				rows.Close()
				return err
			}
			page = append(page, r)
			if size += len(r.Body); size > 32<<20 {
				full = true // attachment chunks: at most 32 MiB in memory
				break
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i := range page {
			if err := fw.Record(&page[i]); err != nil {
				return err
			}
		}
		if len(page) < 2000 && !full {
			return nil
		}
		after = page[len(page)-1].ID[:]
	}
}

func (db *DB) snapshotAudit(ctx context.Context, fw *csync.Writer) error {
	var lastDev []byte
	var lastSeq int64
	for {
		q, args := "SELECT device, seq, hlc, body, chain FROM audit ORDER BY device, seq LIMIT 5000", []any(nil)
		if lastDev != nil {
			q = `SELECT device, seq, hlc, body, chain FROM audit
			WHERE device > ? OR (device = ? AND seq > ?) ORDER BY device, seq LIMIT 5000`
			args = []any{lastDev, lastDev, lastSeq}
		}
		rows, err := db.sql.QueryContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("read audit: %w", err)
		}
		var page []csync.Audit
		for rows.Next() {
			var a csync.Audit
			var devb []byte
			var seq, h int64
			if err := rows.Scan(&devb, &seq, &h, &a.Body, &a.Chain); err != nil {
				rows.Close()
				return err
			}
			copy(a.Device[:], devb)
			a.Seq, a.HLC = uint64(seq), uint64(h)
			page = append(page, a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i := range page {
			if err := fw.Audit(&page[i]); err != nil {
				return err
			}
		}
		if len(page) < 5000 {
			return nil
		}
		last := page[len(page)-1]
		lastDev, lastSeq = last.Device[:], int64(last.Seq)
	}
}

// progressReader counts the bytes read, for a progress bar.
type progressReader struct {
	r     io.Reader
	n     int64
	total int64
	fn    func(done, total int64)
	last  time.Time
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.n += int64(n)
	if p.fn != nil && (time.Since(p.last) > 100*time.Millisecond || err != nil) {
		p.last = time.Now()
		p.fn(p.n, p.total)
	}
	return n, err
}

// loadSnapshot applies a snapshot in one transaction: all of it or, on
// the first bad frame, nothing.
func (s *Session) loadSnapshot(ctx context.Context, keys *vault.SubKeys, ref csync.FileRef, progress func(done, total int64)) (applyResult, error) {
	f, err := os.Open(ref.Path)
	if err != nil {
		return applyResult{}, csync.FolderError(err)
	}
	defer f.Close()
	pr := &progressReader{r: f, total: ref.Size, fn: progress}
	rd, err := csync.NewReader(bufio.NewReaderSize(pr, 1<<20), keys.Sync, s.db.officeID)
	if err != nil {
		return applyResult{}, err
	}
	if h := rd.Header(); h.Kind != csync.KindSnapshot || h.Device != ref.Device {
		return applyResult{}, fmt.Errorf("il contenuto non corrisponde al nome del file")
	}
	var res applyResult
	var persons []Person
	err = s.db.inTx(ctx, func(tx querier) error {
		a := &applier{s: s, tx: tx, keys: keys, now: s.db.clock.Next()}
		for {
			e, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return err
			}
			switch {
			case e.Record != nil:
				err = a.record(ctx, e.Record)
			case e.Audit != nil:
				err = a.audit(ctx, e.Audit)
			case e.Key != nil:
				err = a.key(ctx, e.Key)
			case e.Applied != nil:
				for seq := e.Applied.From; seq <= e.Applied.To && err == nil; seq++ {
					_, err = tx.ExecContext(ctx, sqlMarkApplied, e.Applied.Device[:], int64(seq))
				}
			}
			if err != nil {
				return err
			}
		}
		res, persons = a.res, a.persons
		return nil
	})
	if err != nil {
		return applyResult{}, err
	}
	s.db.clock.Observe(res.maxHLC)
	s.indexPutMany(persons)
	return res, nil
}

// keyringEntries reads wrapped keys with their sync state as they travel
// in change files and snapshots; where filters keyring_sync (alias ks).
func (db *DB) keyringEntries(ctx context.Context, where string) ([]csync.Key, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT ks.login, k.operator_id, k.wrapped, ks.hlc, ks.device
		FROM keyring_sync ks LEFT JOIN keyring k ON k.login = ks.login `+where)
	if err != nil {
		return nil, fmt.Errorf("read keyring: %w", err)
	}
	defer rows.Close()
	var ks []csync.Key
	for rows.Next() {
		var k csync.Key
		var op, dev []byte
		var h int64
		if err := rows.Scan(&k.Login, &op, &k.Wrapped, &h, &dev); err != nil {
			return nil, fmt.Errorf("read keyring: %w", err)
		}
		copy(k.Operator[:], op)
		copy(k.Device[:], dev)
		k.HLC = uint64(h)
		ks = append(ks, k)
	}
	return ks, rows.Err()
}
