package pdf

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestWrapFitsWidth(t *testing.T) {
	d, err := newDoc(docMeta{Title: "prova"})
	if err != nil {
		t.Fatal(err)
	}
	text := "Perché è così? Caffè, città, più, però — àèéìòù ÀÈÉÌÒÙ «virgolette» €. " +
		strings.Repeat("La cartella sociale raccoglie le informazioni del nucleo familiare. ", 5) +
		"\n\nParolaLunghissimaSenzaSpaziCheNonStaInUnaRigaSolaNemmenoSeLaPaginaÈLarga" +
		strings.Repeat("X", 80)
	const w = 200
	lines := d.wrap(styleBody, text, w)
	if len(lines) < 10 {
		t.Fatalf("only %d lines", len(lines))
	}
	var joined []string
	empty := 0
	for _, l := range lines {
		if got := d.width(styleBody, l); got > w {
			t.Errorf("line %q is %.1f pt wide (> %d)", l, got, w)
		}
		if l == "" {
			empty++
		}
		joined = append(joined, l)
	}
	if empty != 1 {
		t.Errorf("%d empty lines, want 1 (the blank line)", empty)
	}
	// No characters lost (spaces aside).
	strip := func(s string) string { return strings.Join(strings.Fields(s), "") }
	if strip(strings.Join(joined, "")) != strip(text) {
		t.Error("wrapping lost or changed characters")
	}
	if d.err != nil {
		t.Fatal(d.err)
	}
}

func TestParagraphBreaksPages(t *testing.T) {
	pages := 0
	d, err := newDoc(docMeta{Title: "prova", Footer: func(d *doc, page int) error {
		pages = page
		d.textAt(styleSmall, d.left, a4Height-d.bottom+10, d.contentWidth(), 0, "piè di pagina")
		return d.err
	}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 120 {
		d.paragraph(styleBody, "Riga di prova numero "+strings.Repeat("x", i%40))
		if d.y() > d.maxY()+0.01 {
			t.Fatalf("cursor %.1f below the bottom margin %.1f", d.y(), d.maxY())
		}
	}
	var buf bytes.Buffer
	if err := d.write(&buf); err != nil {
		t.Fatal(err)
	}
	if n := checkPDF(t, buf.Bytes()); n != d.page || n < 2 || pages != n {
		t.Fatalf("pages in file %d, doc %d, footers %d", n, d.page, pages)
	}
}

func TestDates(t *testing.T) {
	ts := time.Date(2024, 12, 1, 9, 5, 0, 0, time.UTC)
	if got := dataOra(ts); got != "1 dicembre 2024, ore 09:05" {
		t.Fatalf("dataOra = %q", got)
	}
}
