package pdf

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func sampleConsent() ConsentForm {
	f := ConsentForm{
		OfficeName:    "Servizi Sociali — Ufficio di Segretariato Sociale",
		ComuneName:    "Borgo San Lorenzo",
		OfficeAddress: "Piazza Dante 2, 50032 Borgo San Lorenzo (FI)",
		DPOContact:    "rpd@comune.borgo-san-lorenzo.fi.it — PEC comune.borgosanlorenzo@postacert.toscana.it",
		Date:          time.Date(2025, 3, 5, 10, 42, 0, 0, time.UTC),
	}
	f.Person.FullName = "Niccolò Dell'Orto"
	f.Person.CodiceFiscale = "DLLNCL01T31B036X"
	f.Person.BirthDate = "31/12/2001"
	f.Person.BirthPlace = "Borgo San Lorenzo (FI)"
	return f
}

func renderConsent(t *testing.T, f ConsentForm, out string) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteConsentForm(&buf, f); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	if pages := checkPDF(t, data); pages < 1 || pages > 3 {
		t.Fatalf("%d pages, want at most 3", pages)
	}
	if dir := os.Getenv("CARTELLA_PDF_OUT"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, out), data, 0o600)
	}
	return data, writeTemp(t, data)
}

func TestWriteConsentForm(t *testing.T) {
	f := sampleConsent()
	data, path := renderConsent(t, f, "modulo-privacy.pdf")
	if bytes.Contains(data, []byte("Dell'Orto")) || bytes.Contains(data, []byte(f.Person.CodiceFiscale)) {
		t.Error("personal data in clear in the file structure (metadata?)")
	}

	t.Run("pdftotext", func(t *testing.T) {
		text := poppler(t, "pdftotext", "-enc", "UTF-8", path, "-")
		flat := strings.Join(strings.Fields(text), " ")
		for _, want := range []string{
			"Comune di Borgo San Lorenzo",
			"Servizi Sociali — Ufficio di Segretariato Sociale",
			"Piazza Dante 2, 50032 Borgo San Lorenzo (FI)",
			"Informativa sul trattamento dei dati personali e consenso",
			"artt. 13 e 14 del Regolamento (UE) 2016/679",
			"Niccolò Dell'Orto",
			"DLLNCL01T31B036X",
			"31/12/2001",
			"Titolare del trattamento è il Comune di Borgo San Lorenzo",
			"rpd@comune.borgo-san-lorenzo.fi.it",
			"servizio sociale professionale",
			"segretariato sociale",
			"SIUSS",
			"INPS",
			"D.Lgs. 15 settembre 2017, n. 147",
			"art. 6, par. 1, lett. c ed e",
			"art. 9, par. 2, lett. g",
			"lett. h",
			"art. 10 del Regolamento",
			"minori",
			"Azienda sanitaria locale (ASL)",
			"Tribunale per i minorenni",
			"contrassegnate come condivisibili",
			"Conservazione",
			"artt. 15–22",
			"Garante per la protezione dei dati personali",
			"Dichiarazione e consenso",
			"acconsente",
			"non acconsente",
			"legale rappresentante",
			"Borgo San Lorenzo, 5 marzo 2025",
			"perché",
			"è",
			"Pagina 1",
			"Pagina 2",
		} {
			if !strings.Contains(flat, want) {
				t.Errorf("extracted text lacks %q", want)
			}
		}
		if strings.Count(flat, "non acconsente") != 2 {
			t.Errorf("%d «non acconsente» choices, want 2", strings.Count(flat, "non acconsente"))
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
			`(?m)^Title:\s+Informativa sul trattamento dei dati personali e consenso$`,
			`(?m)^Pages:\s+[23]$`,
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
}

// A blank form (no person, no DPO yet) leaves lines to fill in by hand; a
// long office name still fits in three pages.
func TestConsentFormBlankAndLong(t *testing.T) {
	blank := ConsentForm{ComuneName: "Vicchio"}
	_, path := renderConsent(t, blank, "modulo-privacy-vuoto.pdf")
	t.Run("pdftotext", func(t *testing.T) {
		text := poppler(t, "pdftotext", "-enc", "UTF-8", path, "-")
		for _, want := range []string{"Comune di Vicchio", "Interessato/a", "Codice fiscale", "Responsabile della protezione dei dati"} {
			if !strings.Contains(text, want) {
				t.Errorf("lacks %q", want)
			}
		}
	})

	long := sampleConsent()
	long.ComuneName = "Unione dei Comuni della Valdisieve e del Mugello"
	long.OfficeName = strings.Repeat("Area Servizi alla Persona, Ufficio di Piano e Segretariato Sociale ", 3)
	long.OfficeAddress = strings.Repeat("Via Pietro Tosi 11, Località La Sota, ", 3)
	long.Person.FullName = "Maria Grazia Anna Lucia Bianchi Ferretti de' Medici in Dell'Orto"
	_, path = renderConsent(t, long, "modulo-privacy-lungo.pdf")
	t.Run("pdftotext long", func(t *testing.T) {
		text := poppler(t, "pdftotext", "-enc", "UTF-8", path, "-")
		if flat := strings.Join(strings.Fields(text), " "); !strings.Contains(flat, "Titolare del trattamento è l'Unione dei Comuni della Valdisieve") {
			t.Errorf("titolare missing:\n%s", text)
		}
	})
}

func TestConsentFormErrors(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteConsentForm(&buf, ConsentForm{}); err == nil || buf.Len() != 0 {
		t.Errorf("no names: error %v, %d bytes", err, buf.Len())
	}
	for _, n := range []int{0, 100, 20000} {
		if err := WriteConsentForm(&failingWriter{n: n}, sampleConsent()); !errors.Is(err, errDiskFull) {
			t.Errorf("after %d bytes: error %v, want the writer's error", n, err)
		}
	}
}
