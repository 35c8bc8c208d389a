package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cartella/assets"
)

// ListsEditor lets a responsabile extend the code lists of the forms and
// the services catalogue, and retire values: a retired value is no longer
// offered but stays readable on the records that have it.
type ListsEditor struct {
	sh      *Shell
	content fyne.CanvasObject

	Which    *widget.Select // a code list, or a macro-area of the catalogue
	Values   *widget.List
	rows     []listRow
	NewCode  *widget.Entry
	NewLabel *widget.Entry
	NewSIUSS *widget.Entry
	Add      *widget.Button
	Status   *widget.Label
	choices  map[string]string // option label → list name or "area:" + area code
}

type listRow struct {
	code, label, siuss string
	retired            bool
}

const catalogueChoice = "Catalogo dei servizi — "

func newListsEditor(sh *Shell) *ListsEditor {
	le := &ListsEditor{sh: sh, choices: map[string]string{}}
	var opts []string
	for _, n := range assets.ListNames() {
		l, _ := assets.List(n)
		opts = append(opts, l.Title)
		le.choices[l.Title] = n
	}
	for _, a := range assets.Catalogue() {
		o := catalogueChoice + a.Label
		opts = append(opts, o)
		le.choices[o] = "area:" + a.Code
	}
	le.Values = widget.NewList(func() int { return len(le.rows) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, nil, widget.NewButton("Rimetti in uso", nil), widget.NewLabel("CODICE — descrizione — stato"))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			r := le.rows[i]
			c := o.(*fyne.Container)
			state := "in uso"
			if r.retired {
				state = "non più in uso"
			}
			c.Objects[0].(*widget.Label).SetText(fmt.Sprintf("%s — %s — %s", r.code, r.label, state))
			btn := c.Objects[1].(*widget.Button)
			if r.retired {
				btn.SetText("Rimetti in uso")
			} else {
				btn.SetText("Non più in uso")
			}
			btn.OnTapped = func() { le.set(r.code, r.label, r.siuss, !r.retired) }
		})
	le.Which = widget.NewSelect(opts, func(string) { le.load() })
	le.Which.PlaceHolder = "Scegliere l'elenco…"
	le.NewCode, le.NewLabel, le.NewSIUSS = widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	le.NewCode.SetPlaceHolder("codice")
	le.NewLabel.SetPlaceHolder("descrizione")
	le.NewSIUSS.SetPlaceHolder("codice SIUSS (solo catalogo)")
	le.Add = widget.NewButtonWithIcon("Aggiungi valore", theme.ContentAddIcon(), func() {
		le.set(le.NewCode.Text, le.NewLabel.Text, le.NewSIUSS.Text, false)
	})
	le.Status = widget.NewLabel("")
	le.Status.Wrapping = fyne.TextWrapWord
	note := widget.NewLabel("I valori aggiunti valgono per tutto l'ufficio. Un valore «non più in uso» non è più proposto nei moduli, ma resta leggibile nelle schede che lo contengono.")
	note.Wrapping = fyne.TextWrapWord
	add := container.NewBorder(nil, nil, nil, le.Add, container.NewGridWithColumns(3, le.NewCode, le.NewLabel, le.NewSIUSS))
	le.content = container.NewBorder(container.NewVBox(note, le.Which), container.NewVBox(add, le.Status), nil, nil, le.Values)
	return le
}

func (le *ListsEditor) load() {
	app := le.sh.app
	target := le.choices[le.Which.Selected]
	le.rows = nil
	if area, ok := strings.CutPrefix(target, "area:"); ok {
		cat, err := app.sess.Catalogue(app.ctx)
		if err != nil {
			app.showError(err)
			return
		}
		for _, a := range cat {
			if a.Code == area {
				for _, sv := range a.Services {
					le.rows = append(le.rows, listRow{code: sv.Code, label: sv.Label, siuss: sv.SIUSSCode, retired: sv.Retired})
				}
			}
		}
	} else if target != "" {
		l, err := app.sess.CodeList(app.ctx, target)
		if err != nil {
			app.showError(err)
			return
		}
		for _, c := range l.Codes {
			le.rows = append(le.rows, listRow{code: c.Code, label: c.Label, retired: c.Retired})
		}
	}
	le.Values.Refresh()
}

func (le *ListsEditor) set(code, label, siuss string, retired bool) {
	app := le.sh.app
	target := le.choices[le.Which.Selected]
	if target == "" {
		le.Status.SetText("Scegliere prima l'elenco.")
		return
	}
	var err error
	if area, ok := strings.CutPrefix(target, "area:"); ok {
		err = app.sess.SetService(app.ctx, area, code, label, siuss, retired)
	} else {
		err = app.sess.SetCode(app.ctx, target, code, label, retired)
	}
	if err != nil {
		le.Status.SetText("Non salvato: " + err.Error())
		return
	}
	le.NewCode.SetText("")
	le.NewLabel.SetText("")
	le.NewSIUSS.SetText("")
	le.Status.SetText("Elenco aggiornato.")
	le.load()
}
