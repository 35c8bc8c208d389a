package assets

import _ "embed" // for go:embed

//go:generate go run ./internal/icongen -out icon.png

// Icon is the program's icon, a 512×512 PNG (a folder with a person, PA
// blue on white). FyneApp.toml points at the same file, so the window, the
// taskbar and the .exe show one picture. It is plain bytes so that assets
// does not depend on Fyne; the caller wraps it in a fyne.StaticResource.
//
//go:embed icon.png
var Icon []byte
