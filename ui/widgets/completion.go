package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// Choice is one suggestion of a CompletionEntry.
type Choice struct {
	Key   string // what is stored (a Belfiore code, an ISTAT code)
	Label string // what is shown
}

// CompletionEntry is an entry that suggests choices while typing, in a
// pop-up list that never takes the keyboard away: Up/Down move the
// selection, Enter or a tap picks it, Escape closes the list.
type CompletionEntry struct {
	widget.Entry

	// Suggest returns the choices for the typed text.
	Suggest func(text string) []Choice
	// OnPicked is called when a choice is picked.
	OnPicked func(Choice)

	picked   Choice
	choices  []Choice
	selected int
	list     *widget.List
	popup    *widget.PopUp
	setting  bool
}

// NewCompletionEntry returns an empty entry.
func NewCompletionEntry(suggest func(string) []Choice) *CompletionEntry {
	e := &CompletionEntry{Suggest: suggest}
	e.ExtendBaseWidget(e)
	e.Entry.OnChanged = e.changed
	return e
}

// Picked is the current choice, or the zero Choice if the text was typed
// and not picked.
func (e *CompletionEntry) Picked() Choice { return e.picked }

// SetPicked shows a choice without opening the list.
func (e *CompletionEntry) SetPicked(c Choice) {
	e.setting = true
	e.picked = c
	e.SetText(c.Label)
	e.setting = false
	e.hide()
}

// Choices are the suggestions currently listed (for tests).
func (e *CompletionEntry) Choices() []Choice { return e.choices }

func (e *CompletionEntry) changed(s string) {
	if e.setting {
		return
	}
	e.picked = Choice{}
	if e.Suggest == nil || len([]rune(s)) < 2 {
		e.choices = nil
		e.hide()
		return
	}
	e.choices = e.Suggest(s)
	e.selected = 0
	if len(e.choices) == 0 {
		e.hide()
		return
	}
	e.show()
}

func (e *CompletionEntry) show() {
	c := fyne.CurrentApp().Driver().CanvasForObject(e)
	if c == nil {
		return
	}
	if e.list == nil {
		e.list = widget.NewList(
			func() int { return len(e.choices) },
			func() fyne.CanvasObject { return widget.NewLabel("Comune di esempio (XX)") },
			func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(e.choices[i].Label) },
		)
		e.list.OnSelected = func(i widget.ListItemID) {
			if i < len(e.choices) {
				e.pick(e.choices[i])
			}
		}
		bg := canvas.NewRectangle(nil)
		e.popup = widget.NewPopUp(container.NewStack(bg, e.list), c)
	}
	e.list.UnselectAll()
	e.list.Refresh()
	rows := min(len(e.choices), 8)
	h := float32(rows)*(e.list.MinSize().Height+2) + 4
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(e)
	e.popup.ShowAtPosition(pos.Add(fyne.NewPos(0, e.Size().Height)))
	e.popup.Resize(fyne.NewSize(e.Size().Width, h))
}

func (e *CompletionEntry) hide() {
	if e.popup != nil {
		e.popup.Hide()
	}
}

func (e *CompletionEntry) pick(c Choice) {
	e.SetPicked(c)
	if e.OnPicked != nil {
		e.OnPicked(c)
	}
}

// TypedKey drives the suggestion list from the keyboard.
func (e *CompletionEntry) TypedKey(k *fyne.KeyEvent) {
	open := e.popup != nil && e.popup.Visible() && len(e.choices) > 0
	switch {
	case open && k.Name == fyne.KeyDown:
		e.selected = min(e.selected+1, len(e.choices)-1)
		e.list.ScrollTo(e.selected)
		e.highlight()
	case open && k.Name == fyne.KeyUp:
		e.selected = max(e.selected-1, 0)
		e.list.ScrollTo(e.selected)
		e.highlight()
	case open && (k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter):
		e.pick(e.choices[e.selected])
	case open && k.Name == fyne.KeyEscape:
		e.hide()
	default:
		e.Entry.TypedKey(k)
	}
}

// highlight marks the keyboard selection without picking it.
func (e *CompletionEntry) highlight() {
	cb := e.list.OnSelected
	e.list.OnSelected = nil
	e.list.Select(e.selected)
	e.list.OnSelected = cb
}
