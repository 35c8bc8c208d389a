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
// It is light whatever the OS says, unless the operator chose dark.
type paTheme struct {
	fyne.Theme
	dark bool
}

// NewTheme returns the program's light theme.
func NewTheme() fyne.Theme { return paTheme{Theme: theme.DefaultTheme()} }

// NewDarkTheme returns the dark variant.
func NewDarkTheme() fyne.Theme { return paTheme{Theme: theme.DefaultTheme(), dark: true} }

// PrefDarkTheme is the per-PC preference key of the dark theme.
const PrefDarkTheme = "tema_scuro"

// ThemeFor returns the theme chosen in the app's preferences.
func ThemeFor(a fyne.App) fyne.Theme {
	if a.Preferences().Bool(PrefDarkTheme) {
		return NewDarkTheme()
	}
	return NewTheme()
}

var (
	paBlue      = color.NRGBA{R: 0x00, G: 0x66, B: 0xCC, A: 0xFF}
	paBlueLight = color.NRGBA{R: 0x00, G: 0x66, B: 0xCC, A: 0x40}
)

func (t paTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	v := theme.VariantLight
	if t.dark {
		v = theme.VariantDark
	}
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
