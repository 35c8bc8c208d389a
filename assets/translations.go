package assets

import _ "embed"

// TranslationsIT holds Italian for the strings Fyne itself shows (dialog
// buttons, file dialog, entry menu). Fyne ships no Italian, and picks the
// language from the OS, so the UI registers this file for every language.
//
//go:embed translations/it.json
var TranslationsIT []byte
