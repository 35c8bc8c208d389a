package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"

	"cartella/assets"
)

// paTheme is Fyne's default theme in the palette of the Italian public
// administration design system (Designers Italia): primary blue #0066CC.
type paTheme struct{ fyne.Theme }

// NewTheme returns the program's theme.
func NewTheme() fyne.Theme { return paTheme{theme.DefaultTheme()} }

var (
	paBlue      = color.NRGBA{R: 0x00, G: 0x66, B: 0xCC, A: 0xFF}
	paBlueLight = color.NRGBA{R: 0x00, G: 0x66, B: 0xCC, A: 0x40}
)

func (t paTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	switch n {
	case theme.ColorNamePrimary, theme.ColorNameHyperlink:
		if v == theme.VariantDark {
			return color.NRGBA{R: 0x4D, G: 0x94, B: 0xDB, A: 0xFF}
		}
		return paBlue
	case theme.ColorNameFocus, theme.ColorNameSelection:
		return paBlueLight
	}
	return t.Theme.Color(n, v)
}

// fyneLocales are the languages Fyne ships its own strings in; Italian is
// registered under each of them so that whatever the Windows language, the
// dialogs read "Annulla" and "Sì".
var fyneLocales = []fyne.Locale{"it", "en", "cs", "de", "el", "es", "fr", "pl", "pt", "pt-BR", "ru", "sv", "ta", "uk", "zh-Hans"}

// RegisterTranslations must run before any widget is built.
func RegisterTranslations() error {
	for _, l := range fyneLocales {
		if err := lang.AddTranslationsForLocale(assets.TranslationsIT, l); err != nil {
			return err
		}
	}
	return nil
}
