//go:build windows

package main

import (
	"os"

	"golang.org/x/sys/windows"
)

// attachConsole connects a GUI-subsystem exe to the console of the command
// prompt that started it, so that `CartellaSociale.exe verify` prints there.
//
// A standard handle that is already a file or a pipe is kept: then the user
// redirected it (`verify > rapporto.txt`, `verify | more`) or a script is
// reading it, and writing to the console instead would lose the output.
func attachConsole() {
	redirected := func(std uint32) bool {
		h, err := windows.GetStdHandle(std)
		if err != nil || h == 0 || h == windows.InvalidHandle {
			return false
		}
		t, err := windows.GetFileType(h)
		return err == nil && (t == windows.FILE_TYPE_DISK || t == windows.FILE_TYPE_PIPE)
	}
	outRedirected := redirected(windows.STD_OUTPUT_HANDLE)
	errRedirected := redirected(windows.STD_ERROR_HANDLE)
	inRedirected := redirected(windows.STD_INPUT_HANDLE)
	if outRedirected && errRedirected && inRedirected {
		return
	}
	const attachParentProcess = ^uint32(0) // ATTACH_PARENT_PROCESS
	k32 := windows.NewLazySystemDLL("kernel32.dll")
	if r, _, _ := k32.NewProc("AttachConsole").Call(uintptr(attachParentProcess)); r == 0 {
		return // started from Explorer or a shortcut: no console to print to
	}
	if f, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0); err == nil {
		if !outRedirected {
			os.Stdout = f
		}
		if !errRedirected {
			os.Stderr = f
		}
	}
	if !inRedirected {
		if f, err := os.OpenFile("CONIN$", os.O_RDONLY, 0); err == nil {
			os.Stdin = f
		}
	}
}
