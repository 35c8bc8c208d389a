package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A code in the vault's canonical format (6 groups of 5 Crockford symbols).
const testCode = "K7M2P-9QX4R-0HT1W-ZZ8DN-4B6CE-YV3GS"

func sampleSheet() RecoverySheet {
	return RecoverySheet{
		OfficeName:   "Comune di Borgo San Lorenzo — Servizi Sociali",
		ComuneName:   "Borgo San Lorenzo",
		OfficeID:     "BSL-7Q2K",
		RecoveryCode: testCode,
		CreatedBy:    "Maria Grazia Bianchi",
		CreatedAt:    time.Date(2025, 3, 5, 10, 42, 0, 0, time.UTC),
	}
}

func render(t *testing.T, s RecoverySheet) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteRecoverySheet(&buf, s); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// checkPDF parses the file structure (header, startxref, xref table, object
// offsets, trailer) and returns the number of pages.
func checkPDF(t *testing.T, data []byte) int {
	t.Helper()
	if !bytes.HasPrefix(data, []byte("%PDF-1.")) {
		t.Fatalf("no %%PDF header: %q", data[:min(len(data), 16)])
	}
	if !bytes.HasSuffix(bytes.TrimRight(data, "\r\n"), []byte("%%EOF")) {
		t.Fatalf("no EOF marker (%%%%EOF) at the end")
	}
	i := bytes.LastIndex(data, []byte("startxref"))
	if i < 0 {
		t.Fatal("no startxref")
	}
	fields := strings.Fields(string(data[i+len("startxref"):]))
	if len(fields) < 1 {
		t.Fatal("startxref without offset")
	}
	xref, err := strconv.Atoi(fields[0])
	if err != nil || xref <= 0 || xref >= len(data) {
		t.Fatalf("bad startxref offset %q", fields[0])
	}
	lines := strings.Split(string(data[xref:]), "\n")
	if strings.TrimSpace(lines[0]) != "xref" {
		t.Fatalf("startxref does not point to an xref table: %q", lines[0])
	}
	var first, count int
	if _, err := fmt.Sscanf(lines[1], "%d %d", &first, &count); err != nil || first != 0 || count < 3 {
		t.Fatalf("bad xref subsection %q", lines[1])
	}
	entry := regexp.MustCompile(`^(\d{10}) (\d{5}) ([nf]) ?$`)
	for n := 0; n < count; n++ {
		m := entry.FindStringSubmatch(strings.TrimRight(lines[2+n], "\r"))
		if m == nil {
			t.Fatalf("bad xref entry %d: %q", n, lines[2+n])
		}
		if m[3] != "n" {
			continue
		}
		off, _ := strconv.Atoi(m[1])
		want := fmt.Sprintf("%d 0 obj", n)
		if off >= len(data) || !bytes.HasPrefix(data[off:], []byte(want)) {
			t.Fatalf("xref entry %d points to %q, want %q", n, data[off:min(off+12, len(data))], want)
		}
	}
	trailer := strings.Join(lines[2+count:], "\n")
	if !strings.HasPrefix(strings.TrimSpace(trailer), "trailer") || !strings.Contains(trailer, "/Root ") ||
		!strings.Contains(trailer, fmt.Sprintf("/Size %d", count)) {
		t.Fatalf("bad trailer %q", trailer[:min(len(trailer), 80)])
	}
	return len(regexp.MustCompile(`/Type /Page\s`).FindAll(data, -1))
}

func writeTemp(t *testing.T, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "foglio.pdf")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// poppler runs a PDF command-line tool (poppler-utils, qpdf), skipping only
// the calling sub-test if it is not installed.
func poppler(t *testing.T, tool string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		pkg := "poppler-utils"
		if tool == "qpdf" {
			pkg = "qpdf"
		}
		t.Skipf("%s not on PATH (Debian package %s): skipping this check only", tool, pkg)
	}
	out, err := exec.Command(tool, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", tool, err, out)
	}
	return string(out)
}

func TestWriteRecoverySheet(t *testing.T) {
	s := sampleSheet()
	data := render(t, s)
	if pages := checkPDF(t, data); pages != 1 {
		t.Fatalf("%d pages, want 1", pages)
	}
	if bytes.Contains(data, []byte(testCode)) || bytes.Contains(data, []byte("K7M2P")) {
		// Content streams are compressed and text is glyph-encoded; the code
		// must not be in the metadata either.
		t.Fatal("recovery code found in clear in the file structure (metadata?)")
	}
	path := writeTemp(t, data)
	if dir := os.Getenv("CARTELLA_PDF_OUT"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "foglio-di-recupero.pdf"), data, 0o600)
	}

	t.Run("pdftotext", func(t *testing.T) {
		text := poppler(t, "pdftotext", "-enc", "UTF-8", path, "-")
		for _, want := range []string{
			testCode,
			"Foglio di recupero — Cartella Sociale",
			s.OfficeName,
			"Borgo San Lorenzo",
			"BSL-7Q2K",
			"Maria Grazia Bianchi",
			"5 marzo 2025, ore 10:42",
			"è l'unico modo",
			"perché",
			"Ho perso la password",
			"Impostazioni",
			"cassaforte",
			"Non fotografarlo",
			"Firma",
			"Data",
			"Pagina 1",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("extracted text lacks %q", want)
			}
		}
		if n := strings.Count(text, testCode); n != 1 {
			t.Errorf("code appears %d times, want exactly once", n)
		}
		if n := strings.Count(strings.ReplaceAll(text, "-", ""), strings.ReplaceAll(testCode, "-", "")); n != 1 {
			t.Errorf("code (without dashes) appears %d times", n)
		}
		if strings.ContainsRune(text, '\uFFFD') {
			t.Error("replacement character in extracted text (missing glyph?)")
		}
		if t.Failed() {
			t.Logf("extracted text:\n%s", text)
		}
	})

	t.Run("pdfinfo", func(t *testing.T) {
		info := poppler(t, "pdfinfo", path)
		for _, re := range []string{
			`(?m)^Title:\s+Foglio di recupero — Cartella Sociale$`,
			`(?m)^Creator:\s+Cartella Sociale$`,
			`(?m)^Pages:\s+1$`,
			`(?m)^Page size:\s+595(\.\d+)? x 842(\.\d+)? pts \(A4\)`,
		} {
			if !regexp.MustCompile(re).MatchString(info) {
				t.Errorf("pdfinfo output does not match %s:\n%s", re, info)
			}
		}
	})

	t.Run("qpdf check", func(t *testing.T) {
		out := poppler(t, "qpdf", "--check", path)
		if !strings.Contains(out, "No syntax or stream encoding errors found") {
			t.Errorf("qpdf --check:\n%s", out)
		}
	})

	t.Run("pdffonts embedded with unicode maps", func(t *testing.T) {
		out := poppler(t, "pdffonts", path)
		rows := strings.Split(strings.TrimSpace(out), "\n")[2:]
		if len(rows) == 0 {
			t.Fatalf("no fonts:\n%s", out)
		}
		for _, r := range rows {
			f := strings.Fields(r)
			// name type... encoding emb sub uni objID gen
			if len(f) < 6 || f[len(f)-5] != "yes" || f[len(f)-3] != "yes" {
				t.Errorf("font not embedded or without ToUnicode: %q", r)
			}
		}
	})
}

func TestRecoverySheetOptionalFieldsAndLongText(t *testing.T) {
	s := sampleSheet()
	s.ComuneName, s.OfficeID, s.CreatedBy = "", "", ""
	checkPDF(t, render(t, s))

	long := sampleSheet()
	long.OfficeName = strings.Repeat("Unione dei Comuni della Valdisieve e del Mugello — Area Servizi alla Persona ", 4)
	long.CreatedBy = "Maria Grazia Anna Lucia Bianchi Ferretti de' Medici"
	data := render(t, long)
	if dir := os.Getenv("CARTELLA_PDF_OUT"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "foglio-lungo.pdf"), data, 0o600)
	}
	if pages := checkPDF(t, data); pages < 1 || pages > 2 {
		t.Fatalf("%d pages", pages)
	}
	t.Run("pdftotext", func(t *testing.T) {
		text := poppler(t, "pdftotext", "-enc", "UTF-8", writeTemp(t, data), "-")
		if n := strings.Count(text, testCode); n != 1 {
			t.Errorf("code appears %d times", n)
		}
	})
}

func TestRecoverySheetRejectsMissingFields(t *testing.T) {
	for name, mutate := range map[string]func(*RecoverySheet){
		"no code":   func(s *RecoverySheet) { s.RecoveryCode = "  " },
		"no office": func(s *RecoverySheet) { s.OfficeName = "" },
	} {
		s := sampleSheet()
		mutate(&s)
		var buf bytes.Buffer
		if err := WriteRecoverySheet(&buf, s); err == nil {
			t.Errorf("%s: no error", name)
		}
		if buf.Len() != 0 {
			t.Errorf("%s: wrote %d bytes", name, buf.Len())
		}
	}
}

var errDiskFull = errors.New("disco pieno")

// failingWriter accepts n bytes, then fails.
type failingWriter struct{ n int }

func (f *failingWriter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		k := f.n
		f.n = 0
		return k, errDiskFull
	}
	f.n -= len(p)
	return len(p), nil
}

func TestRecoverySheetWriteError(t *testing.T) {
	for _, n := range []int{0, 100, 20000} {
		if err := WriteRecoverySheet(&failingWriter{n: n}, sampleSheet()); !errors.Is(err, errDiskFull) {
			t.Errorf("after %d bytes: error %v, want the writer's error", n, err)
		}
	}
}

// Every symbol the vault can put in a recovery code must have a glyph in the
// monospaced font and extract back unchanged.
func TestRecoverySheetWholeAlphabet(t *testing.T) {
	s := sampleSheet()
	s.RecoveryCode = "01234-56789-ABCDE-FGHJK-MNPQR-STVWX-YZ000"
	data := render(t, s)
	checkPDF(t, data)
	t.Run("pdftotext", func(t *testing.T) {
		text := poppler(t, "pdftotext", "-enc", "UTF-8", writeTemp(t, data), "-")
		if n := strings.Count(text, s.RecoveryCode); n != 1 {
			t.Errorf("code appears %d times:\n%s", n, text)
		}
	})
}
