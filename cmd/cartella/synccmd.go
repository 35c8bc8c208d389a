package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	"cartella/store"
	"cartella/store/demo"
)

// The sync and backup commands (issue 5). Like the others they read the
// password from CARTELLA_PASSWORD, print in Italian and exit non-zero when
// something went wrong.

// openAndLogin opens the data folder and logs the operator in.
func openAndLogin(ctx context.Context, dir, user string, stderr io.Writer) (*store.DB, *store.Session, int) {
	pw, ok := password(stderr)
	if !ok {
		return nil, nil, 2
	}
	db, err := store.Open(ctx, resolveDataDir(dir), store.Options{})
	if err != nil {
		fmt.Fprintln(stderr, "Errore:", err)
		return nil, nil, 1
	}
	s, err := db.Login(ctx, user, pw)
	if err != nil {
		db.Close()
		fmt.Fprintln(stderr, "Errore:", err)
		return nil, nil, 1
	}
	s.PrepareBackups(ctx)
	return db, s, 0
}

func printReport(w io.Writer, folder string, r store.SyncReport) {
	fmt.Fprintf(w, "Sincronizzazione con %s\n  %s\n", folder, r.Summary())
	if r.Snapshot {
		fmt.Fprintln(w, "  Scritta un'istantanea per i computer che si uniranno all'ufficio.")
	}
	for _, p := range r.Problems {
		fmt.Fprintf(w, "  - %s\n", p)
	}
}

func cmdSync(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sync", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("data", "", "cartella dei dati")
	folder := fs.String("folder", "", "cartella condivisa (predefinita: quella scelta nel programma)")
	user := fs.String("operator", demo.Username, "operatore con cui accedere")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	db, s, code := openAndLogin(ctx, *dir, *user, stderr)
	if code != 0 {
		return code
	}
	defer db.Close()
	defer s.Lock()
	shared := *folder
	if shared == "" {
		shared = db.SyncFolder(ctx)
	}
	if shared == "" {
		fmt.Fprintln(stderr, "Indicare la cartella condivisa con -folder.")
		return 2
	}
	if db.SyncFolder(ctx) == "" {
		db.SetSyncFolder(ctx, shared)
	}
	if path, err := db.AutoBackup(ctx); err != nil {
		fmt.Fprintln(stderr, "Attenzione: backup automatico non riuscito:", err)
	} else if path != "" {
		fmt.Fprintln(stdout, "Backup automatico giornaliero:", path)
	}
	r, err := s.Sync(ctx, shared)
	printReport(stdout, shared, r)
	if err != nil {
		fmt.Fprintln(stderr, "Errore:", err)
		return 1
	}
	if n := s.ConflictCount(ctx); n > 0 {
		fmt.Fprintf(stdout, "  Conflitti da rivedere nel programma: %d\n", n)
	}
	if !r.OK() {
		return 1
	}
	return 0
}

func cmdJoin(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("join", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("data", "", "cartella dei dati di questo computer (vuota)")
	folder := fs.String("folder", "", "cartella condivisa dell'ufficio")
	user := fs.String("operator", "", "operatore dell'ufficio")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *folder == "" || *user == "" {
		fmt.Fprintln(stderr, "Indicare la cartella condivisa con -folder e l'operatore con -operator.")
		return 2
	}
	pw, ok := password(stderr)
	if !ok {
		return 2
	}
	db, err := store.Open(ctx, resolveDataDir(*dir), store.Options{})
	if err != nil {
		fmt.Fprintln(stderr, "Errore:", err)
		return 1
	}
	defer db.Close()
	start := time.Now()
	last := ""
	s, r, err := db.Join(ctx, *folder, *user, pw, func(what string, done, total int64) {
		switch {
		case total > 0:
			fmt.Fprintf(stderr, "\r%s: %d%%   ", what, done*100/total)
		case what != last:
			if last != "" {
				fmt.Fprintln(stderr)
			}
			fmt.Fprintf(stderr, "%s…", what)
		}
		last = what
	})
	if last != "" {
		fmt.Fprintln(stderr)
	}
	if err != nil {
		fmt.Fprintln(stderr, "Errore:", err)
		return 1
	}
	defer s.Lock()
	fmt.Fprintf(stdout, "Questo computer fa ora parte dell'ufficio «%s» (%d persone, %.1f s).\n",
		db.OfficeLabel(ctx), s.PersonCount(), time.Since(start).Seconds())
	for _, p := range r.Problems {
		fmt.Fprintf(stdout, "  - %s\n", p)
	}
	// Send this PC's first changes (its entry in the audit log) at once.
	r2, err := s.Sync(ctx, *folder)
	if err != nil {
		fmt.Fprintln(stderr, "Errore:", err)
		return 1
	}
	if !r.OK() || !r2.OK() {
		printReport(stdout, *folder, r2)
		return 1
	}
	return 0
}

func cmdBackup(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("data", "", "cartella dei dati")
	out := fs.String("out", "", "file di backup da scrivere (es. E:\\backup.csbak)")
	user := fs.String("operator", demo.Username, "operatore con cui accedere")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *out == "" {
		fmt.Fprintln(stderr, "Indicare il file di backup con -out.")
		return 2
	}
	db, s, code := openAndLogin(ctx, *dir, *user, stderr)
	if code != 0 {
		return code
	}
	defer db.Close()
	defer s.Lock()
	sum, err := db.BackupToFile(ctx, *out, store.BackupManual)
	if err != nil {
		fmt.Fprintln(stderr, "Errore:", err)
		return 1
	}
	s.RecordExport(ctx, "", store.ID{}, "backup cifrato del database")
	fmt.Fprintf(stdout, "Backup cifrato scritto in %s\n", *out)
	printSummary(stdout, sum)
	return 0
}

func printSummary(w io.Writer, sum store.BackupSummary) {
	fmt.Fprintf(w, "  Ufficio: %s\n  Data del backup: %s\n", sum.OfficeLabel, sum.Created.Local().Format("02/01/2006 15:04"))
	kinds := make([]string, 0, len(sum.Counts))
	for k := range sum.Counts {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		fmt.Fprintf(w, "    %-22s %d\n", store.KindLabel(k), sum.Counts[k])
	}
	fmt.Fprintf(w, "  Voci del registro accessi: %d\n", sum.AuditEntries)
}

func cmdRestore(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("data", "", "cartella dei dati")
	in := fs.String("in", "", "file di backup da ripristinare")
	user := fs.String("operator", demo.Username, "operatore del backup")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *in == "" {
		fmt.Fprintln(stderr, "Indicare il file di backup con -in.")
		return 2
	}
	pw, ok := password(stderr)
	if !ok {
		return 2
	}
	f, err := os.Open(*in)
	if err != nil {
		fmt.Fprintln(stderr, "Errore: impossibile aprire il backup:", err)
		return 1
	}
	defer f.Close()
	db, err := store.Open(ctx, resolveDataDir(*dir), store.Options{})
	if err != nil {
		fmt.Fprintln(stderr, "Errore:", err)
		return 1
	}
	defer db.Close()
	prev, err := db.OpenBackup(ctx, f, *user, pw)
	if err != nil {
		fmt.Fprintln(stderr, "Errore:", err)
		return 1
	}
	fmt.Fprintln(stdout, "Backup verificato:")
	printSummary(stdout, prev.BackupSummary)
	had := db.HasOffice()
	if err := db.Restore(ctx, prev); err != nil {
		fmt.Fprintln(stderr, "Errore:", err)
		return 1
	}
	fmt.Fprintln(stdout, "Ripristino completato.")
	if had {
		fmt.Fprintf(stdout, "Il database precedente è conservato tra i backup in %s\n", db.BackupDir())
	}
	return 0
}

// printDigest adds the digest line to `cartella verify -digest`.
func printDigest(ctx context.Context, s *store.Session, stdout, stderr io.Writer) int {
	d, err := s.Digest(ctx)
	if err != nil {
		fmt.Fprintln(stderr, "Errore:", err)
		return 1
	}
	fmt.Fprintf(stdout, "Impronta dei dati condivisi: %s\n", d)
	return 0
}
