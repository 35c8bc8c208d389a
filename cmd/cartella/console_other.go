//go:build !windows

package main

// attachConsole is only needed on Windows, where the GUI build has no console.
func attachConsole() {}
