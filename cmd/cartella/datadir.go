package main

import (
	"os"
	"path/filepath"
	"runtime"
)

// resolveDataDir picks the data folder: the -data flag; else, in portable
// mode (a file named "portable" next to the executable), a folder next to
// it; else %APPDATA%\CartellaSociale on Windows and $XDG_DATA_HOME/cartella
// elsewhere.
func resolveDataDir(flagDir string) string {
	if flagDir != "" {
		return flagDir
	}
	if exe, err := os.Executable(); err == nil {
		dir := filepath.Dir(exe)
		if _, err := os.Stat(filepath.Join(dir, "portable")); err == nil {
			return filepath.Join(dir, "CartellaSociale-dati")
		}
	}
	if runtime.GOOS == "windows" {
		if d := os.Getenv("APPDATA"); d != "" {
			return filepath.Join(d, "CartellaSociale")
		}
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "cartella")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "share", "cartella")
	}
	return "cartella-dati"
}

func defaultDataDirHint() string {
	if runtime.GOOS == "windows" {
		return `%APPDATA%\CartellaSociale`
	}
	return "$XDG_DATA_HOME/cartella"
}
