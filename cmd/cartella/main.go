// Command cartella is Cartella Sociale: without arguments it opens the
// program's window; the subcommands (demo, verify) work headless and read
// the password from CARTELLA_PASSWORD.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"cartella/assets"
	"cartella/store"
	"cartella/store/demo"
	"cartella/ui"
)

const appID = "it.comune.cartellasociale"

func main() {
	attachConsole()
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "demo", "verify", "sync", "join", "backup", "restore", "help", "-h", "--help":
			os.Exit(runCommand(os.Args[1], os.Args[2:], os.Stdout, os.Stderr))
		}
	}
	fs := flag.NewFlagSet("cartella", flag.ExitOnError)
	dir := fs.String("data", "", "cartella dei dati (predefinita: "+defaultDataDirHint()+")")
	demoFlag := fs.Bool("demo", false, "se la cartella dei dati è vuota, crea un ufficio dimostrativo")
	fs.Parse(os.Args[1:])
	if err := runGUI(resolveDataDir(*dir), *demoFlag); err != nil {
		fmt.Fprintln(os.Stderr, "Cartella Sociale:", err)
		os.Exit(1)
	}
}

func runGUI(dir string, demoFlag bool) error {
	// On Windows, make sure OpenGL works before Fyne tries, so a PC without
	// it gets an explanation instead of a program that never appears.
	if err := checkGraphics(); err != nil {
		return err
	}
	if err := ui.RegisterTranslations(); err != nil {
		return err
	}
	a := app.NewWithID(appID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	a.Settings().SetTheme(ui.ThemeFor(a))
	w := a.NewWindow("Cartella Sociale")
	w.Resize(fyne.NewSize(1280, 800))
	w.SetMaster()
	ctx := context.Background()
	db, err := store.Open(ctx, dir, store.Options{})
	if err != nil {
		showFatal(w, err)
		return nil
	}
	defer db.Close()
	if demoFlag && !db.HasOffice() {
		pw := os.Getenv("CARTELLA_PASSWORD")
		if pw == "" {
			pw = ui.DemoPassword
		}
		s, err := demo.CreateOffice(ctx, db, demo.Options{Persons: 2000, Password: pw})
		if err != nil {
			showFatal(w, err)
			return nil
		}
		s.Lock()
	}
	u := ui.New(a, w, db, ui.Options{})
	u.Start()
	if demoFlag && u.Login != nil {
		u.Login.Username.SetText(demo.Username)
		u.Login.Message.SetText("Ufficio dimostrativo: operatore «demo», password «" + ui.DemoPassword + "».")
	}
	w.SetOnClosed(u.Close)
	w.ShowAndRun()
	return nil
}

// showFatal shows a problem that prevents starting (a second copy open on
// the same data, a database from a newer version) and waits for Esci.
func showFatal(w fyne.Window, err error) {
	msg := err.Error()
	if errors.Is(err, store.ErrInUse) {
		msg = "Cartella Sociale è già aperto su questo computer con la stessa cartella dei dati.\n" +
			"Usate la finestra già aperta, oppure chiudetela e riprovate.\nNessun dato è stato modificato."
	}
	l := widget.NewLabel(msg)
	l.Wrapping = fyne.TextWrapWord
	quit := widget.NewButton("Esci", func() { w.Close() })
	w.SetContent(container.NewPadded(container.NewVBox(
		widget.NewLabelWithStyle("Impossibile aprire Cartella Sociale", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		l, container.NewHBox(quit))))
	w.Resize(fyne.NewSize(560, 220))
	w.ShowAndRun()
}

func runCommand(name string, args []string, stdout, stderr io.Writer) int {
	ctx := context.Background()
	switch name {
	case "demo":
		return cmdDemo(ctx, args, stdout, stderr)
	case "verify":
		return cmdVerify(ctx, args, stdout, stderr)
	case "sync":
		return cmdSync(ctx, args, stdout, stderr)
	case "join":
		return cmdJoin(ctx, args, stdout, stderr)
	case "backup":
		return cmdBackup(ctx, args, stdout, stderr)
	case "restore":
		return cmdRestore(ctx, args, stdout, stderr)
	}
	fmt.Fprint(stdout, usage)
	return 0
}

const usage = `Cartella Sociale

Uso:
  cartella [-data CARTELLA] [-demo]          apre il programma
  cartella demo -data CARTELLA -persons N    crea un ufficio dimostrativo (operatore "demo")
  cartella verify -data CARTELLA [-digest]   verifica integrità, cifratura e registro accessi
                                             (-digest: stampa l'impronta dei dati condivisi)
  cartella sync -data CARTELLA -folder CONDIVISA
                                             sincronizza con gli altri computer dell'ufficio
  cartella join -data CARTELLA -folder CONDIVISA -operator NOME
                                             unisce questo computer a un ufficio esistente
  cartella backup -data CARTELLA -out FILE   scrive un backup cifrato del database
  cartella restore -data CARTELLA -in FILE   ripristina un backup (il database attuale è conservato)

I comandi leggono la password dalla variabile d'ambiente CARTELLA_PASSWORD.
`

func password(stderr io.Writer) (string, bool) {
	pw := os.Getenv("CARTELLA_PASSWORD")
	if pw == "" {
		fmt.Fprintln(stderr, "Impostare la password nella variabile d'ambiente CARTELLA_PASSWORD.")
		return "", false
	}
	return pw, true
}

func cmdDemo(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("data", "", "cartella dei dati")
	n := fs.Int("persons", 500, "numero di persone inventate")
	seed := fs.Uint64("seed", 1, "seme dei dati casuali (stesso seme, stesse persone)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	pw, ok := password(stderr)
	if !ok {
		return 2
	}
	if *n < 0 {
		fmt.Fprintln(stderr, "Il numero di persone non può essere negativo.")
		return 2
	}
	db, err := store.Open(ctx, resolveDataDir(*dir), store.Options{})
	if err != nil {
		fmt.Fprintln(stderr, "Errore:", err)
		return 1
	}
	defer db.Close()
	if db.HasOffice() {
		fmt.Fprintln(stderr, "Errore:", store.ErrOfficeExists)
		return 1
	}
	start := time.Now()
	s, err := demo.CreateOffice(ctx, db, demo.Options{Persons: *n, Password: pw, Seed: *seed,
		Progress: func(done, total int) { fmt.Fprintf(stderr, "\r%d/%d persone", done, total) }})
	if *n > 0 {
		fmt.Fprintln(stderr)
	}
	if err != nil {
		fmt.Fprintln(stderr, "Errore:", err)
		return 1
	}
	s.Lock()
	fmt.Fprintf(stdout, "Ufficio dimostrativo creato in %s con %d persone (%.1f s).\nOperatore: %s\n",
		db.Dir(), *n, time.Since(start).Seconds(), demo.Username)
	return 0
}

func cmdVerify(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("data", "", "cartella dei dati")
	user := fs.String("operator", demo.Username, "operatore con cui accedere")
	digest := fs.Bool("digest", false, "stampa anche l'impronta dei dati condivisi (uguale sui computer sincronizzati)")
	if err := fs.Parse(args); err != nil {
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
	s, err := db.Login(ctx, *user, pw)
	if err != nil {
		fmt.Fprintln(stderr, "Errore:", err)
		return 1
	}
	defer s.Lock()
	r, err := s.Verify(ctx)
	if err != nil {
		fmt.Fprintln(stderr, "Errore:", err)
		return 1
	}
	fmt.Fprint(stdout, r.String())
	if *digest {
		if code := printDigest(ctx, s, stdout, stderr); code != 0 {
			return code
		}
	}
	if !r.OK() {
		return 1
	}
	return 0
}
