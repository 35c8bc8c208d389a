package widgets

import (
	"fyne.io/fyne/v2/widget"

	"cartella/assets"
)

// retiredSuffix marks a value no longer offered, shown on old records.
const retiredSuffix = " (non più in uso)"

// CodeSelect picks one value of a code list by its label and gives back
// the code. Retired values are offered only when the record already has one.
type CodeSelect struct {
	*widget.Select
	list    assets.CodeList
	byLabel map[string]string
}

// NewCodeSelect returns a select over the active values of l.
func NewCodeSelect(l assets.CodeList) *CodeSelect {
	cs := &CodeSelect{list: l, byLabel: map[string]string{}}
	cs.Select = widget.NewSelect(nil, nil)
	cs.Select.PlaceHolder = "Scegliere…"
	cs.setOptions("")
	return cs
}

func (cs *CodeSelect) setOptions(keep string) {
	var opts []string
	cs.byLabel = map[string]string{}
	for _, c := range cs.list.Codes {
		label := c.Label
		if c.Retired {
			if c.Code != keep {
				continue
			}
			label += retiredSuffix
		}
		opts = append(opts, label)
		cs.byLabel[label] = c.Code
	}
	cs.Select.SetOptions(opts)
}

// Code is the chosen code, or "".
func (cs *CodeSelect) Code() string { return cs.byLabel[cs.Select.Selected] }

// SetCode shows the value with that code ("" clears).
func (cs *CodeSelect) SetCode(code string) {
	cs.setOptions(code)
	for label, c := range cs.byLabel {
		if c == code && code != "" {
			cs.Select.SetSelected(label)
			return
		}
	}
	cs.Select.ClearSelected()
}

// CodeChecks picks several values of a code list.
type CodeChecks struct {
	*widget.CheckGroup
	list    assets.CodeList
	byLabel map[string]string
}

// NewCodeChecks returns a check group over the active values of l.
func NewCodeChecks(l assets.CodeList) *CodeChecks {
	cc := &CodeChecks{list: l}
	cc.CheckGroup = widget.NewCheckGroup(nil, nil)
	cc.CheckGroup.Horizontal = false
	cc.setOptions(nil)
	return cc
}

func (cc *CodeChecks) setOptions(keep []string) {
	kept := map[string]bool{}
	for _, k := range keep {
		kept[k] = true
	}
	var opts []string
	cc.byLabel = map[string]string{}
	for _, c := range cc.list.Codes {
		label := c.Label
		if c.Retired {
			if !kept[c.Code] {
				continue
			}
			label += retiredSuffix
		}
		opts = append(opts, label)
		cc.byLabel[label] = c.Code
	}
	cc.CheckGroup.Options = opts
	cc.CheckGroup.Refresh()
}

// Codes are the chosen codes in list order.
func (cc *CodeChecks) Codes() []string {
	chosen := map[string]bool{}
	for _, l := range cc.CheckGroup.Selected {
		chosen[l] = true
	}
	var out []string
	for _, o := range cc.CheckGroup.Options {
		if chosen[o] {
			out = append(out, cc.byLabel[o])
		}
	}
	return out
}

// SetCodes checks exactly these codes.
func (cc *CodeChecks) SetCodes(codes []string) {
	cc.setOptions(codes)
	want := map[string]bool{}
	for _, c := range codes {
		want[c] = true
	}
	var sel []string
	for _, o := range cc.CheckGroup.Options {
		if want[cc.byLabel[o]] {
			sel = append(sel, o)
		}
	}
	cc.CheckGroup.SetSelected(sel)
}
