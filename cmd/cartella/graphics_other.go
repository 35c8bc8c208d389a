//go:build !windows

package main

// checkGraphics is Windows-only (see graphics_windows.go): on Linux a
// missing OpenGL is a packaging matter the distribution already reports.
func checkGraphics() error { return nil }
