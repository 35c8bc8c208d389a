//go:build windows

package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"strings"
	"sync"

	"github.com/go-gl/gl/v2.1/gl"
	"github.com/go-gl/glfw/v3.3/glfw"
	"golang.org/x/sys/windows"
)

// Fyne draws with OpenGL 2.1 through GLFW. On a PC without a usable OpenGL
// driver (Remote Desktop, a virtual machine without 3D acceleration, the
// "Microsoft Basic Display Adapter", very old Intel graphics) Fyne 2.7.1's
// GLFW driver fails in one of three ways, none of them visible to a user
// who started the program by double-clicking:
//
//   - glfw.CreateWindow returns APIUnavailable ("WGL: The driver does not
//     appear to support OpenGL") or VersionUnavailable ("WGL: OpenGL 2.1 not
//     supported"): Fyne logs "window creation error" to a stderr that a GUI
//     exe does not have, quits its loop, and the program ends silently
//     (fyne-io/fyne#409, #2700, #2959, #4565);
//   - gl.Init fails because the driver lacks OpenGL 2.x entry points: Fyne
//     logs "failed to initialise OpenGL" and later calls a nil function
//     pointer, a crash;
//   - glfw.Init fails: Fyne logs "failed to initialise GLFW" and go-gl/glfw
//     panics on the next call.
//
// So, before Fyne opens anything, checkGraphics does exactly what Fyne will
// do (GLFW init, an OpenGL 2.1 context on a hidden window, gl.Init) and, if
// any step fails, explains the problem in an Italian message box. GLFW stays
// initialised and the driver DLLs stay loaded for Fyne, whose own glfw.Init
// is then a no-op, so the check costs one hidden window. As a second line of
// defence, watchGraphicsLog shows the same message if Fyne itself logs one
// of the failures above later on.

// graphicsFailures are the lines logged when the window or OpenGL cannot
// be created: by Fyne 2.7.1 (internal/driver/glfw, internal/painter/gl;
// fyne.LogError adds a "Cause:" line) and by go-gl/glfw, which only logs a
// WGL PlatformError and returns no window, after which Fyne silently runs
// with no window at all.
var graphicsFailures = []struct {
	mark      []byte
	withCause bool // the next log line carries the cause
}{
	{[]byte("window creation error"), true},
	{[]byte("failed to initialise OpenGL"), true},
	{[]byte("failed to initialise GLFW"), true},
	{[]byte("PlatformError: WGL:"), false},
}

// transientWGL are the WGL errors GLFW can also report while the window is
// already working (switching the current context each frame); they must
// not end the program.
var transientWGL = [][]byte{
	[]byte("Failed to make context current"),
	[]byte("Failed to clear current context"),
}

// errGraphics is returned once the user has been told, so main exits 1.
var errGraphics = errors.New("OpenGL 2.1 non disponibile su questo computer")

// checkGraphics must run on the main thread, before the first Fyne window
// is created. It returns errGraphics after showing the message box.
func checkGraphics() error {
	if os.Getenv("CARTELLA_SKIP_GL_CHECK") == "1" {
		watchGraphicsLog()
		return nil
	}
	if err := probeOpenGL(); err != nil {
		showGraphicsError(err.Error())
		return errGraphics
	}
	watchGraphicsLog()
	return nil
}

// probeOpenGL creates a hidden 1×1 window with the same context Fyne asks
// for (internal/driver/glfw/glfw_core.go: OpenGL 2.1) and loads the GL
// functions Fyne's painter needs.
func probeOpenGL() (err error) {
	// go-gl/glfw panics on errors it considers "programmer errors", which a
	// broken driver can also produce (PlatformError, NotInitialized).
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("GLFW: %v", r)
		}
	}()
	// go-gl/glfw only logs a PlatformError (log.Println) and then returns
	// no window and no error: keep what it logs to explain the failure.
	var logged bytes.Buffer
	prev, prevFlags := log.Writer(), log.Flags()
	log.SetOutput(io.MultiWriter(prev, &logged))
	log.SetFlags(0)
	defer func() { log.SetOutput(prev); log.SetFlags(prevFlags) }()
	if err := glfw.Init(); err != nil {
		return fmt.Errorf("GLFW: %w", err)
	}
	glfw.WindowHint(glfw.Visible, glfw.False)
	glfw.WindowHint(glfw.ContextVersionMajor, 2)
	glfw.WindowHint(glfw.ContextVersionMinor, 1)
	win, err := glfw.CreateWindow(1, 1, "cartella-verifica-opengl", nil, nil)
	glfw.DefaultWindowHints() // leave the hints as Fyne expects to find them
	if err != nil {
		return err
	}
	if win == nil {
		if msg := oneLine(logged.Bytes()); msg != "" {
			return errors.New(msg)
		}
		return errors.New("GLFW: la finestra OpenGL non è stata creata")
	}
	defer win.Destroy()
	win.MakeContextCurrent()
	defer glfw.DetachCurrentContext()
	if err := gl.Init(); err != nil {
		return fmt.Errorf("OpenGL 2.1: funzione mancante %v", err)
	}
	return nil
}

const graphicsTitle = "Cartella Sociale — grafica non disponibile"

func graphicsMessage(detail string) string {
	return "Cartella Sociale non può aprire la sua finestra: su questo computer " +
		"la grafica OpenGL 2.1, di cui il programma ha bisogno, non è disponibile.\n\n" +
		"Succede di solito in Desktop remoto, in una macchina virtuale senza " +
		"accelerazione 3D o quando Windows usa il driver video generico " +
		"(«Scheda video di base Microsoft»).\n\n" +
		"Cosa fare:\n" +
		"1. Chiedete al servizio informatico di installare o aggiornare il driver " +
		"della scheda video (in una macchina virtuale: attivare l'accelerazione 3D), " +
		"oppure di usare il programma direttamente sul PC e non da Desktop remoto.\n" +
		"2. Soluzione immediata: copiate i file opengl32.dll e libgallium_wgl.dll di " +
		"Mesa3D per Windows (versione a 64 bit) nella stessa cartella di " +
		"CartellaSociale.exe e riavviate il programma: la grafica sarà calcolata " +
		"dal processore.\n\n" +
		"I dati dell'ufficio non sono stati toccati. Le istruzioni complete sono " +
		"nel manuale, alla sezione «Problemi di grafica (OpenGL)».\n\n" +
		"Dettaglio tecnico: " + detail
}

var shownGraphics sync.Once

// showGraphicsError shows the Italian message box once per run. It blocks
// until the user presses OK.
func showGraphicsError(detail string) {
	shownGraphics.Do(func() {
		fmt.Fprintln(os.Stderr, "Cartella Sociale:", errGraphics, "—", detail)
		text, _ := windows.UTF16PtrFromString(graphicsMessage(detail))
		title, _ := windows.UTF16PtrFromString(graphicsTitle)
		windows.MessageBox(0, text, title,
			windows.MB_OK|windows.MB_ICONERROR|windows.MB_SETFOREGROUND|windows.MB_TOPMOST)
	})
}

// watchGraphicsLog routes the standard logger (which fyne.LogError uses)
// through a filter that recognises Fyne's graphics failures.
func watchGraphicsLog() {
	log.SetOutput(&graphicsLogWatcher{out: log.Writer()})
}

type graphicsLogWatcher struct {
	out     io.Writer
	pending string // a failure seen; fyne.LogError's "Cause:" line follows
}

// Write passes every line on, then looks for a failure. fyne.LogError
// writes the reason, "  Cause: …" and "  At: …" as separate log lines, all
// before it returns, so for Fyne's failures the box is shown on the line
// after the reason, with the cause. The program then ends: after these
// failures Fyne either quits silently, crashes on its next draw, or runs on
// with no window. The OS releases the data folder's lock, and SQLite's
// journal keeps the database consistent.
func (w *graphicsLogWatcher) Write(p []byte) (int, error) {
	n, err := w.out.Write(p)
	if w.pending != "" {
		detail := w.pending
		if i := bytes.Index(p, []byte("Cause:")); i >= 0 {
			detail += "; " + oneLine(p[i:])
		}
		w.fail(detail)
	}
	for _, f := range graphicsFailures {
		if i := bytes.Index(p, f.mark); i >= 0 && !isTransientWGL(p) {
			if !f.withCause {
				w.fail(oneLine(p[i:]))
			}
			w.pending = oneLine(p[i:])
		}
	}
	return n, err
}

func (w *graphicsLogWatcher) fail(detail string) {
	showGraphicsError(detail)
	os.Exit(1)
}

func isTransientWGL(p []byte) bool {
	for _, t := range transientWGL {
		if bytes.Contains(p, t) {
			return true
		}
	}
	return false
}

// oneLine collapses a log line (Windows' messages end in "\r\n").
func oneLine(p []byte) string { return strings.Join(strings.Fields(string(p)), " ") }
