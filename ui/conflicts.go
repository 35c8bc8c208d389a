package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cartella/store"
)

// Radio labels of the per-field choice.
const (
	pickCurrent = "in uso"
	pickOther   = "altra"
)

// ConflictsView lists the records changed on two PCs while apart and
// shows one side by side, field by field: the version in use (the later
// one, the same on every PC) and the other one, kept aside. The operator
// keeps one, the other, or picks field by field.
type ConflictsView struct {
	sh      *Shell
	content fyne.CanvasObject

	List        *widget.List
	Count       *widget.Label
	Title       *widget.Label
	Fields      *fyne.Container // rows: field | in use | other | choice
	Choices     map[string]*widget.RadioGroup
	KeepCurrent *widget.Button
	KeepOther   *widget.Button
	Merge       *widget.Button
	Status      *widget.Label

	conflicts []store.Conflict
	selected  int
	onCount   func(n int) // the sync screen shows the count on its tab
}

func newConflictsView(sh *Shell) *ConflictsView {
	v := &ConflictsView{sh: sh, selected: -1}
	v.Count = widget.NewLabel("")
	v.List = widget.NewList(
		func() int { return len(v.conflicts) },
		func() fyne.CanvasObject { return widget.NewLabel("Persona: COGNOME Nome, 00/00/0000") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			c := v.conflicts[i]
			o.(*widget.Label).SetText(fmt.Sprintf("%s — %s", c.Title, c.Found.Local().Format("02/01/2006")))
		},
	)
	v.List.OnSelected = func(i widget.ListItemID) { v.show(i) }
	v.Title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.Title.Wrapping = fyne.TextWrapWord
	v.Fields = container.NewVBox()
	v.KeepCurrent = widget.NewButtonWithIcon("Tieni la versione in uso", theme.ConfirmIcon(), func() { v.resolve(store.KeepAll(store.SideCurrent)) })
	v.KeepOther = widget.NewButtonWithIcon("Tieni l'altra versione", theme.ContentUndoIcon(), func() { v.resolve(store.KeepAll(store.SideOther)) })
	v.Merge = widget.NewButtonWithIcon("Unisci con le scelte campo per campo", theme.ContentPasteIcon(), v.merge)
	v.Merge.Importance = widget.HighImportance
	v.Status = widget.NewLabel("")
	v.Status.Wrapping = fyne.TextWrapWord
	help := widget.NewLabel("Quando due computer modificano la stessa scheda mentre non sono collegati, dopo la sincronizzazione " +
		"entrambi usano la versione più recente; l'altra è conservata qui finché qualcuno sceglie. Nulla va perso.")
	help.Wrapping = fyne.TextWrapWord
	detail := container.NewBorder(v.Title,
		container.NewVBox(container.NewHBox(v.KeepCurrent, v.KeepOther, v.Merge), v.Status), nil, nil,
		container.NewVScroll(v.Fields))
	left := container.NewBorder(v.Count, nil, nil, nil, v.List)
	split := container.NewHSplit(left, detail)
	split.Offset = 0.3
	v.content = container.NewBorder(help, nil, nil, nil, split)
	v.setButtons(false)
	return v
}

func (v *ConflictsView) setButtons(on bool) {
	for _, b := range []*widget.Button{v.KeepCurrent, v.KeepOther, v.Merge} {
		if on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
}

// refresh reads the conflicts again.
func (v *ConflictsView) refresh() {
	a := v.sh.app
	cs, err := a.sess.Conflicts(a.ctx)
	if err != nil {
		v.Status.SetText("Impossibile leggere i conflitti: " + err.Error())
		return
	}
	v.conflicts = cs
	v.List.UnselectAll()
	v.List.Refresh()
	v.selected = -1
	v.Title.SetText("")
	v.Fields.Objects = nil
	v.Fields.Refresh()
	v.setButtons(false)
	if v.onCount != nil {
		v.onCount(len(cs))
	}
	switch len(cs) {
	case 0:
		v.Count.SetText("Nessun conflitto da rivedere.")
	case 1:
		v.Count.SetText("1 conflitto da rivedere.")
	default:
		v.Count.SetText(fmt.Sprintf("%d conflitti da rivedere.", len(cs)))
	}
	if len(cs) > 0 {
		v.List.Select(0)
	}
}

func who(cv store.ConflictVersion) string {
	pc := "altro computer"
	if cv.ThisPC {
		pc = "questo computer"
	}
	s := fmt.Sprintf("%s, %s", pc, cv.When.Local().Format("02/01/2006 15:04"))
	if cv.Deleted {
		s += " (eliminata)"
	}
	return s
}

// show puts a conflict side by side.
func (v *ConflictsView) show(i int) {
	if i < 0 || i >= len(v.conflicts) {
		return
	}
	v.sh.app.idle.touch()
	v.selected = i
	c := v.conflicts[i]
	v.Title.SetText(c.Title)
	bold := fyne.TextStyle{Bold: true}
	head := func(text string) *widget.Label {
		l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, bold)
		l.Wrapping = fyne.TextWrapWord // columns share the width, whatever the texts
		return l
	}
	rows := []fyne.CanvasObject{
		head("Campo"),
		head("Versione in uso\n" + who(c.Current)),
		head("Altra versione\n" + who(c.Other)),
		head("Tenere"),
	}
	v.Choices = map[string]*widget.RadioGroup{}
	for _, f := range c.Fields {
		if !f.Differs {
			continue
		}
		cur, oth := widget.NewLabel(f.Current), widget.NewLabel(f.Other)
		cur.Wrapping, oth.Wrapping = fyne.TextWrapWord, fyne.TextWrapWord
		rg := widget.NewRadioGroup([]string{pickCurrent, pickOther}, nil)
		rg.Required = true
		rg.SetSelected(pickCurrent)
		v.Choices[f.Name] = rg
		rows = append(rows, head(f.Label), cur, oth, rg)
	}
	same := 0
	for _, f := range c.Fields {
		if !f.Differs {
			same++
		}
	}
	grid := container.NewGridWithColumns(4, rows...)
	note := widget.NewLabel(fmt.Sprintf("Gli altri %d campi sono uguali nelle due versioni.", same))
	if len(v.Choices) == 0 {
		note.SetText("Le due versioni hanno lo stesso contenuto.")
	}
	v.Fields.Objects = []fyne.CanvasObject{grid, note}
	v.Fields.Refresh()
	v.Status.SetText("")
	v.setButtons(true)
	if c.Current.Fields == nil || c.Other.Fields == nil {
		v.Merge.Disable() // binary content: only a whole version can be kept
	}
}

func (v *ConflictsView) merge() {
	pick := map[string]store.Side{}
	for name, rg := range v.Choices {
		if rg.Selected == pickOther {
			pick[name] = store.SideOther
		} else {
			pick[name] = store.SideCurrent
		}
	}
	v.resolve(pick)
}

func (v *ConflictsView) resolve(pick map[string]store.Side) {
	a := v.sh.app
	a.idle.touch()
	if v.selected < 0 || v.selected >= len(v.conflicts) {
		return
	}
	c := v.conflicts[v.selected]
	if err := a.sess.ResolveConflict(a.ctx, c, pick); err != nil {
		v.Status.SetText(err.Error())
		return
	}
	v.refresh()
	v.Status.SetText("Conflitto risolto: la scelta sarà inviata agli altri computer alla prossima sincronizzazione.")
	if v.sh.Persons != nil {
		v.sh.Persons.refresh()
	}
}
