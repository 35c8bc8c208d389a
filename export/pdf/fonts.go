// Package pdf writes the printable documents of Cartella Sociale (recovery
// sheet, and later consent forms and SINA reports) with gopdf. Text is in
// Italian; fonts are embedded from Fyne's bundled Noto Sans and DejaVu Sans
// Mono, so no font files are needed on disk and accented letters extract
// correctly (CID TrueType with ToUnicode).
//
// Documents are written straight to an io.Writer: callers must not stage them
// in temporary files, since they may contain sensitive data.
package pdf

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"github.com/signintech/gopdf"
)

// Font families available to every document.
const (
	fontSans = "sans" // Noto Sans: regular "", bold "B", italic "I", bold italic "BI"
	fontMono = "mono" // DejaVu Sans Mono (regular only): codes and identifiers
)

type fontKey struct {
	family string
	style  string // "", "B", "I", "BI"
}

// fontSources maps each family/style to Fyne's bundled font resource.
var fontSources = map[fontKey]func() fyne.Resource{
	{fontSans, ""}:   theme.DefaultTextFont,
	{fontSans, "B"}:  theme.DefaultTextBoldFont,
	{fontSans, "I"}:  theme.DefaultTextItalicFont,
	{fontSans, "BI"}: theme.DefaultTextBoldItalicFont,
	{fontMono, ""}:   theme.DefaultTextMonospaceFont,
}

var gopdfStyles = map[string]int{"": gopdf.Regular, "B": gopdf.Bold, "I": gopdf.Italic, "BI": gopdf.Bold | gopdf.Italic}

// fontSet embeds fonts into one document on first use, so a document only
// carries the fonts it draws with (gopdf then subsets the used glyphs).
type fontSet struct {
	pdf    *gopdf.GoPdf
	loaded map[fontKey]bool
}

func newFontSet(p *gopdf.GoPdf) *fontSet {
	return &fontSet{pdf: p, loaded: map[fontKey]bool{}}
}

// set selects family/style at size, embedding the font first if needed.
func (f *fontSet) set(family, style string, size float64) error {
	k := fontKey{family, style}
	if !f.loaded[k] {
		src, ok := fontSources[k]
		if !ok {
			return fmt.Errorf("pdf: no font %q style %q", family, style)
		}
		res := src()
		opt := gopdf.TtfOption{Style: gopdfStyles[style]}
		if err := f.pdf.AddTTFFontDataWithOption(family, res.Content(), opt); err != nil {
			return fmt.Errorf("pdf: loading font %s: %w", res.Name(), err)
		}
		f.loaded[k] = true
	}
	return f.pdf.SetFont(family, style, size)
}
