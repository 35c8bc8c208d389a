// Command screens opens the real program window on a fresh demo office,
// already logged in and on a chosen screen, so that documentation
// screenshots can be taken under Xvfb (see docs/DEVELOPING.md):
//
//	go run -tags migrated_fynedo ./cmd/screens -screen persons
package main

import (
	"context"
	"flag"
	"log"
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"cartella/store"
	"cartella/store/demo"
	"cartella/store/vault"
	"cartella/ui"
)

func main() {
	screen := flag.String("screen", "persons", "persons | person | settings | audit | wizard | login | lock")
	n := flag.Int("persons", 2000, "demo persons")
	flag.Parse()
	if err := ui.RegisterTranslations(); err != nil {
		log.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "cartella-screens-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	db, err := store.Open(ctx, dir, store.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	a := app.NewWithID("it.comune.cartellasociale.screens")
	a.Settings().SetTheme(ui.ThemeFor(a))
	w := a.NewWindow("Cartella Sociale")
	w.Resize(fyne.NewSize(1366, 740))
	if *screen != "wizard" {
		s, err := demo.CreateOffice(ctx, db, demo.Options{Persons: *n, Password: ui.DemoPassword, Params: vault.MinParams})
		if err != nil {
			log.Fatal(err)
		}
		s.Lock()
	}
	u := ui.New(a, w, db, ui.Options{Params: vault.MinParams})
	u.Start()
	if *screen != "wizard" && *screen != "login" {
		if err := u.LoginForScreens(demo.Username, ui.DemoPassword, *screen); err != nil {
			log.Fatal(err)
		}
	}
	w.ShowAndRun()
}
