package ui

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cartella/export/xlsx"
	"cartella/store"
)

// prefImportMapping remembers the column mapping of the Anagrafe export on
// this PC, so it is chosen once.
const prefImportMapping = "anagrafe_mapping"

// ImportScreen imports persons and households from an Anagrafe export.
type ImportScreen struct {
	sh      *Shell
	content fyne.CanvasObject

	Choose   *widget.Button
	FileName *widget.Label
	columns  map[xlsx.Field]*widget.Select
	Mapping  *widget.Form
	Check    *widget.Button
	Summary  *widget.Label
	Errors   *widget.List
	errs     []xlsx.RowError
	Changes  *widget.List
	Import   *widget.Button
	Cancel   *widget.Button
	Progress *widget.ProgressBar
	Result   *widget.Label

	table   xlsx.Table
	plan    store.ImportPlan
	confirm map[int]bool
	cancel  context.CancelFunc
	running bool
}

const noColumn = "— nessuna colonna —"

func (sh *Shell) showImport() {
	sh.Import = newImportScreen(sh)
	sh.show(sh.Import.content, sh.Import)
}

// Dirty: an import in progress must be cancelled before leaving.
func (is *ImportScreen) Dirty() bool { return is.running }

func newImportScreen(sh *Shell) *ImportScreen {
	is := &ImportScreen{sh: sh, columns: map[xlsx.Field]*widget.Select{}, confirm: map[int]bool{}}
	is.Choose = widget.NewButtonWithIcon("Scegli il file dell'Anagrafe…", theme.FolderOpenIcon(), is.choose)
	is.FileName = widget.NewLabel("Nessun file scelto. Formati: CSV (separato da ; o ,) oppure Excel .xlsx.")
	is.Mapping = widget.NewForm()
	for _, f := range xlsx.Fields {
		sel := widget.NewSelect(nil, nil)
		is.columns[f] = sel
		is.Mapping.Append(f.Label(), sel)
	}
	is.Check = widget.NewButtonWithIcon("Controlla il file", theme.SearchIcon(), is.check)
	is.Check.Disable()
	is.Summary = widget.NewLabel("")
	is.Summary.Wrapping = fyne.TextWrapWord
	is.Errors = widget.NewList(func() int { return len(is.errs) },
		func() fyne.CanvasObject { return widget.NewLabel("Riga 0: motivo") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(is.errs[i].Error()) })
	is.Changes = widget.NewList(func() int { return len(is.plan.Changed) },
		func() fyne.CanvasObject { return widget.NewCheck("", nil) },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			c := is.plan.Changed[i]
			chk := o.(*widget.Check)
			chk.Text = fmt.Sprintf("Riga %d: %s — aggiornare %s", c.Row.Line, c.Existing.FullName(), strings.Join(c.Fields, ", "))
			chk.OnChanged = nil
			chk.SetChecked(is.confirm[c.Row.Line])
			chk.OnChanged = func(b bool) { is.confirm[c.Row.Line] = b }
			chk.Refresh()
		})
	is.Progress = widget.NewProgressBar()
	is.Progress.Hide()
	is.Import = widget.NewButtonWithIcon("Importa", theme.ConfirmIcon(), is.run)
	is.Import.Importance = widget.HighImportance
	is.Import.Disable()
	is.Cancel = widget.NewButtonWithIcon("Annulla", theme.CancelIcon(), func() {
		if is.cancel != nil {
			is.cancel()
		}
	})
	is.Cancel.Hide()
	is.Result = widget.NewLabel("")
	is.Result.Wrapping = fyne.TextWrapWord
	title := widget.NewLabelWithStyle("Importazione dall'Anagrafe", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	left := container.NewVBox(title, container.NewHBox(is.Choose), is.FileName,
		widget.NewLabelWithStyle("Colonne del file", fyne.TextAlignLeading, fyne.TextStyle{Italic: true}), is.Mapping,
		container.NewHBox(is.Check))
	right := container.NewBorder(
		container.NewVBox(is.Summary, widget.NewLabelWithStyle("Righe con errori (non importate)", fyne.TextAlignLeading, fyne.TextStyle{Italic: true})),
		container.NewVBox(widget.NewLabelWithStyle("Persone già presenti con dati diversi: spuntare quelle da aggiornare", fyne.TextAlignLeading, fyne.TextStyle{Italic: true}),
			container.NewGridWrap(fyne.NewSize(640, 160), is.Changes),
			container.NewBorder(nil, nil, nil, container.NewHBox(is.Import, is.Cancel), is.Progress), is.Result),
		nil, nil, is.Errors)
	split := container.NewHSplit(container.NewVScroll(left), right)
	split.Offset = 0.42
	is.content = split
	return is
}

func (is *ImportScreen) choose() {
	app := is.sh.app
	app.openFile(func(name string, r io.ReadCloser, err error) {
		if err != nil || r == nil {
			if err != nil {
				app.showError(err)
			}
			return
		}
		defer r.Close()
		t, err := xlsx.ReadTable(r, name)
		if err != nil {
			is.FileName.SetText("File non leggibile: " + err.Error())
			return
		}
		is.table = t
		is.FileName.SetText(fmt.Sprintf("%s: %d righe, %d colonne.", name, len(t.Rows), len(t.Header)))
		opts := append([]string{noColumn}, t.Header...)
		m := is.rememberedMapping(t.Header)
		for _, f := range xlsx.Fields {
			sel := is.columns[f]
			sel.SetOptions(opts)
			if col, ok := m[f]; ok && col < len(t.Header) {
				sel.SetSelectedIndex(col + 1)
			} else {
				sel.SetSelectedIndex(0)
			}
		}
		is.Check.Enable()
	})
}

// rememberedMapping uses the mapping saved on this PC when it fits the
// header, otherwise a guess from the column names.
func (is *ImportScreen) rememberedMapping(header []string) xlsx.Mapping {
	var m xlsx.Mapping
	if s := is.sh.app.fyne.Preferences().String(prefImportMapping); s != "" {
		if json.Unmarshal([]byte(s), &m) == nil && m.Check(header) == "" {
			return m
		}
	}
	return xlsx.GuessMapping(header)
}

func (is *ImportScreen) mapping() xlsx.Mapping {
	m := xlsx.Mapping{}
	for f, sel := range is.columns {
		if i := sel.SelectedIndex(); i > 0 {
			m[f] = i - 1
		}
	}
	return m
}

func (is *ImportScreen) check() {
	app := is.sh.app
	m := is.mapping()
	if msg := m.Check(is.table.Header); msg != "" {
		is.Summary.SetText(msg)
		return
	}
	if b, err := json.Marshal(m); err == nil {
		app.fyne.Preferences().SetString(prefImportMapping, string(b))
	}
	rows, errs := xlsx.ParseRows(is.table, m, app.db.Places(), time.Now())
	is.errs = errs
	is.Errors.Refresh()
	plan, err := app.sess.PlanImport(app.ctx, importRows(rows))
	if err != nil {
		app.showError(err)
		return
	}
	is.plan = plan
	is.confirm = map[int]bool{}
	is.Changes.Refresh()
	is.Summary.SetText(fmt.Sprintf("Righe valide: %d — nuove persone: %d, già presenti con dati diversi: %d, già presenti e uguali: %d; famiglie: %d. Righe con errori: %d.",
		len(rows), len(plan.New), len(plan.Changed), len(plan.Unchanged), plan.Households, len(errs)))
	if len(rows) > 0 {
		is.Import.Enable()
	}
}

// importRows hands the parsed rows to store.
func importRows(rows []xlsx.Row) []store.ImportRow {
	out := make([]store.ImportRow, len(rows))
	for i, r := range rows {
		out[i] = store.ImportRow{Line: r.Line, FamilyID: r.FamilyID, Relationship: r.Relationship, Person: store.Person{
			Surname: r.Surname, GivenName: r.GivenName, Sex: r.Sex, BirthDate: r.BirthDate, BirthPlace: r.BirthPlace,
			CodiceFiscale: r.CodiceFiscale, Citizenship: r.Citizenship,
			Residence: store.Address{ComuneCode: r.ResidenceComune, Street: r.Street, CAP: r.CAP},
		}}
	}
	return out
}

func (is *ImportScreen) run() {
	app := is.sh.app
	ctx, cancel := context.WithCancel(app.ctx)
	is.cancel = cancel
	is.running = true
	is.Import.Disable()
	is.Check.Disable()
	is.Cancel.Show()
	is.Progress.Show()
	is.Progress.SetValue(0)
	is.Result.SetText("Importazione in corso…")
	plan, confirm := is.plan, is.confirm
	go func() {
		res, err := app.sess.ApplyImport(ctx, plan, confirm, func(done, total int) {
			fyne.Do(func() { is.Progress.SetValue(float64(done) / float64(max(total, 1))) })
		})
		fyne.Do(func() { is.finished(res, err) })
	}()
}

func (is *ImportScreen) finished(res store.ImportResult, err error) {
	is.running = false
	is.cancel = nil
	is.Cancel.Hide()
	is.Check.Enable()
	msg := fmt.Sprintf("%d persone create, %d aggiornate, %d famiglie registrate.", res.Created, res.Updated, res.Households)
	switch {
	case err != nil:
		is.Result.SetText("Importazione interrotta: " + err.Error() + " — già importato: " + msg)
	case res.Cancelled:
		is.Result.SetText("Importazione annullata. Nessuna famiglia è stata importata a metà. Già importato: " + msg)
	default:
		is.Progress.SetValue(1)
		is.Result.SetText("Importazione completata: " + msg)
	}
	if is.sh.Persons != nil {
		is.sh.Persons.refresh()
	}
}
