package ui

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"cartella/export/xlsx"
)

func TestAnagrafeImportScreen(t *testing.T) {
	h := newOfficeHarness(t, 1)
	var csv bytes.Buffer
	bad, err := xlsx.GenerateAnagrafeCSV(&csv, 300, 0.02, 4, h.db.Places())
	if err != nil {
		t.Fatal(err)
	}
	h.app.opt.OpenFile = func(done func(string, io.ReadCloser, error)) {
		done("anagrafe.csv", io.NopCloser(bytes.NewReader(csv.Bytes())), nil)
	}
	login(t, h, "demo", DemoPassword)
	sh := h.app.Shell()
	sh.showImport()
	is := sh.Import
	test.Tap(is.Choose)
	if !strings.Contains(is.FileName.Text, "300 righe") {
		t.Fatalf("file: %q", is.FileName.Text)
	}
	test.Tap(is.Check)
	if len(is.errs) != len(bad) {
		t.Fatalf("errors listed %d, bad rows %d", len(is.errs), len(bad))
	}
	if !strings.HasPrefix(is.errs[0].Error(), "Riga ") {
		t.Errorf("error text %q", is.errs[0].Error())
	}
	if !strings.Contains(is.Summary.Text, "nuove persone") {
		t.Errorf("summary %q", is.Summary.Text)
	}
	test.Tap(is.Import)
	eventually(t, "import", func() bool { return strings.HasPrefix(is.Result.Text, "Importazione completata") })
	if n := h.app.Session().PersonCount(); n != 1+300-len(bad) {
		t.Errorf("persons after import %d", n)
	}
	// The mapping is remembered on this PC.
	if h.app.fyne.Preferences().String(prefImportMapping) == "" {
		t.Error("mapping not remembered")
	}
}
