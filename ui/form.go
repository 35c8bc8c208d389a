package ui

import (
	"strings"

	"fyne.io/fyne/v2/widget"
)

// problemsByLabel turns "Label: message" lines into a map by label.
func problemsByLabel(problems []string) map[string]string {
	m := map[string]string{}
	for _, p := range problems {
		if label, msg, ok := strings.Cut(p, ": "); ok {
			if _, seen := m[label]; !seen {
				m[label] = msg
			}
		}
	}
	return m
}

// setFormHints shows each message under the form item with that label and
// clears the others, so a problem is read next to its field.
func setFormHints(f *widget.Form, byLabel map[string]string) {
	for _, it := range f.Items {
		it.HintText = byLabel[it.Text]
	}
	f.Refresh()
}
