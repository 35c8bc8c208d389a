package pdf

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/signintech/gopdf"
)

// A4 page geometry in points (1 pt = 1/72 in).
const (
	a4Width  = 595.28
	a4Height = 841.89
	marginMM = 20
	mm       = 72 / 25.4
)

// rgb is a colour; text and fills always set theirs explicitly because gopdf
// paints text with the current fill colour otherwise (and text colours leak
// into later fills).
type rgb struct{ r, g, b uint8 }

var (
	black     = rgb{0, 0, 0}
	darkGrey  = rgb{70, 70, 70}
	midGrey   = rgb{120, 120, 120}
	lightGrey = rgb{242, 242, 242}
	darkRed   = rgb{150, 20, 20}
)

// textStyle is a font, size, colour and line height (as a multiple of size).
type textStyle struct {
	family  string
	style   string // "", "B", "I", "BI"
	size    float64
	color   rgb
	leading float64 // line height / size; 0 means 1.35
}

func (s textStyle) lineHeight() float64 {
	l := s.leading
	if l == 0 {
		l = 1.35
	}
	return s.size * l
}

// Common styles shared by the documents.
var (
	styleBody    = textStyle{family: fontSans, size: 10.5, color: black}
	styleBold    = textStyle{family: fontSans, style: "B", size: 10.5, color: black}
	styleSmall   = textStyle{family: fontSans, size: 8.5, color: midGrey}
	styleTitle   = textStyle{family: fontSans, style: "B", size: 18, color: black, leading: 1.25}
	styleHeading = textStyle{family: fontSans, style: "B", size: 12, color: black, leading: 1.3}
)

// doc wraps a gopdf document with a cursor, margins, automatic page breaks
// and an optional footer drawn on every page.
type doc struct {
	pdf                      *gopdf.GoPdf
	fonts                    *fontSet
	left, right, top, bottom float64 // margins in pt
	footer                   func(d *doc, page int) error
	page                     int
	err                      error // first drawing error; later calls are no-ops
}

// docMeta describes a new document.
type docMeta struct {
	Title   string    // PDF Title
	Subject string    // PDF Subject
	Created time.Time // PDF CreationDate (now if zero)
	// Footer, if set, is drawn on every page as it is added.
	Footer func(d *doc, page int) error
}

// newDoc starts an A4 document with PDF metadata and one empty page, the
// cursor at the top-left margin.
func newDoc(meta docMeta) (*doc, error) {
	p := &gopdf.GoPdf{}
	p.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitPT})
	created := meta.Created
	if created.IsZero() {
		created = time.Now()
	}
	p.SetInfo(gopdf.PdfInfo{
		Title:        meta.Title,
		Subject:      meta.Subject,
		Creator:      "Cartella Sociale",
		Producer:     "Cartella Sociale",
		CreationDate: created,
	})
	m := marginMM * mm
	d := &doc{pdf: p, fonts: newFontSet(p), left: m, right: m, top: m, bottom: m + 10, footer: meta.Footer}
	d.addPage()
	if d.err != nil {
		return nil, fmt.Errorf("pdf: %w", d.err)
	}
	return d, nil
}

func (d *doc) contentWidth() float64 { return a4Width - d.left - d.right }
func (d *doc) maxY() float64         { return a4Height - d.bottom }
func (d *doc) y() float64            { return d.pdf.GetY() }

// fail records the first error.
func (d *doc) fail(err error) {
	if err != nil && d.err == nil {
		d.err = err
	}
}

// addPage starts a new page (drawing the footer on it) and puts the cursor at
// the top margin.
func (d *doc) addPage() {
	d.pdf.AddPage()
	d.page++
	if d.footer != nil {
		d.fail(d.footer(d, d.page))
	}
	d.pdf.SetXY(d.left, d.top)
}

// ensureSpace breaks the page if fewer than h points remain above the bottom
// margin. It reports whether a break happened.
func (d *doc) ensureSpace(h float64) bool {
	if d.y()+h <= d.maxY() || d.y() <= d.top+0.5 {
		return false
	}
	d.addPage()
	return true
}

// space moves the cursor down by h points (no page break; the next text
// breaks if needed).
func (d *doc) space(h float64) { d.pdf.SetXY(d.left, d.y()+h) }

// use selects the font and colour of s.
func (d *doc) use(s textStyle) {
	d.fail(d.fonts.set(s.family, s.style, s.size))
	d.pdf.SetTextColor(s.color.r, s.color.g, s.color.b)
}

// textAt draws one line of text with its top-left corner at (x, y), aligned
// inside width w (gopdf.Left, gopdf.Center or gopdf.Right).
func (d *doc) textAt(s textStyle, x, y, w float64, align int, text string) {
	if d.err != nil || text == "" {
		return
	}
	d.use(s)
	d.pdf.SetXY(x, y)
	d.fail(d.pdf.CellWithOption(&gopdf.Rect{W: w, H: s.lineHeight()}, text, gopdf.CellOption{Align: align | gopdf.Top}))
}

// width measures text in style s.
func (d *doc) width(s textStyle, text string) float64 {
	d.use(s)
	w, err := d.pdf.MeasureTextWidth(text)
	d.fail(err)
	return w
}

// wrap splits text into lines no wider than w in style s, breaking at spaces
// (and inside words only when a single word is wider than w). Explicit "\n"
// starts a new line; empty lines are kept.
func (d *doc) wrap(s textStyle, text string, w float64) []string {
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		words := strings.Fields(para)
		if len(words) == 0 {
			lines = append(lines, "")
			continue
		}
		line := ""
		for _, word := range words {
			cand := word
			if line != "" {
				cand = line + " " + word
			}
			if d.width(s, cand) <= w {
				line = cand
				continue
			}
			if line != "" {
				lines = append(lines, line)
			}
			// Hard-break words that do not fit on a line of their own.
			line = ""
			for _, r := range word {
				if line != "" && d.width(s, line+string(r)) > w {
					lines = append(lines, line)
					line = ""
				}
				line += string(r)
			}
		}
		lines = append(lines, line)
	}
	return lines
}

// paragraphAt writes wrapped text in a column starting at x with width w,
// from the current cursor, breaking pages as needed; the cursor ends below
// the text.
func (d *doc) paragraphAt(s textStyle, x, w float64, text string) {
	if d.err != nil {
		return
	}
	lh := s.lineHeight()
	for _, line := range d.wrap(s, text, w) {
		d.ensureSpace(lh)
		y := d.y()
		d.textAt(s, x, y, w, gopdf.Left, line)
		d.pdf.SetXY(d.left, y+lh)
	}
}

// paragraph writes wrapped text across the full content width.
func (d *doc) paragraph(s textStyle, text string) {
	d.paragraphAt(s, d.left, d.contentWidth(), text)
}

// listItem writes a wrapped paragraph with a hanging marker ("•", "1.", …).
// The marker and the first line are kept on the same page.
func (d *doc) listItem(s textStyle, marker, text string) {
	const indent = 16
	d.ensureSpace(s.lineHeight())
	d.textAt(s, d.left+4, d.y(), indent, gopdf.Left, marker)
	d.paragraphAt(s, d.left+4+indent, d.contentWidth()-4-indent, text)
}

// heading writes a section heading, keeping it with at least keep points of
// the content that follows.
func (d *doc) heading(s textStyle, text string, keep float64) {
	d.ensureSpace(s.lineHeight() + keep)
	d.paragraph(s, text)
	d.space(2)
}

// fillRect draws a rectangle filled with fill and stroked with stroke (if
// non-nil), then resets the fill colour to black so later text is visible.
func (d *doc) fillRect(x, y, w, h float64, fill rgb, stroke *rgb) {
	d.pdf.SetFillColor(fill.r, fill.g, fill.b)
	style := "F"
	if stroke != nil {
		d.pdf.SetStrokeColor(stroke.r, stroke.g, stroke.b)
		style = "FD"
	}
	d.pdf.RectFromUpperLeftWithStyle(x, y, w, h, style)
	d.pdf.SetFillColor(0, 0, 0)
	d.pdf.SetStrokeColor(0, 0, 0)
}

// hline draws a horizontal line from x1 to x2 at y.
func (d *doc) hline(x1, x2, y, width float64, c rgb) {
	d.pdf.SetLineWidth(width)
	d.pdf.SetStrokeColor(c.r, c.g, c.b)
	d.pdf.Line(x1, y, x2, y)
	d.pdf.SetStrokeColor(0, 0, 0)
}

// stickyWriter remembers the first write error and drops later writes:
// gopdf ignores the errors of the writer it streams to.
type stickyWriter struct {
	w   io.Writer
	err error
}

func (s *stickyWriter) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.w.Write(p)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	s.err = err
	return n, err
}

// write finishes the document into w. Nothing is written if drawing failed.
func (d *doc) write(w io.Writer) error {
	if d.err != nil {
		return fmt.Errorf("pdf: %w", d.err)
	}
	sw := &stickyWriter{w: w}
	if _, err := d.pdf.WriteTo(sw); err != nil {
		return fmt.Errorf("pdf: writing document: %w", err)
	}
	if sw.err != nil {
		return fmt.Errorf("pdf: writing document: %w", sw.err)
	}
	return nil
}

var mesi = [...]string{"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno",
	"luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"}

// dataLunga formats t as "5 marzo 2025".
func dataLunga(t time.Time) string {
	return fmt.Sprintf("%d %s %d", t.Day(), mesi[t.Month()-1], t.Year())
}

// dataOra formats t as "5 marzo 2025, ore 10:42".
func dataOra(t time.Time) string {
	return dataLunga(t) + ", ore " + t.Format("15:04")
}

// labelRows writes "label  value" rows: the label in a column of width
// labelW, the value wrapped beside it. Rows with an empty value are skipped
// unless blank is set, in which case a line is drawn to fill in by hand.
func (d *doc) labelRows(label textStyle, value textStyle, labelW float64, rows [][2]string, blank bool) {
	cw := d.contentWidth()
	for _, row := range rows {
		v := strings.TrimSpace(row[1])
		if v == "" && !blank {
			continue
		}
		d.ensureSpace(value.lineHeight() + 2)
		y := d.y()
		d.textAt(label, d.left, y+(value.size-label.size)*0.8, labelW, gopdf.Left, row[0])
		if v == "" {
			lineY := y + value.lineHeight()
			d.hline(d.left+labelW, d.left+cw, lineY, 0.5, midGrey)
			d.pdf.SetXY(d.left, lineY+4)
			continue
		}
		d.paragraphAt(value, d.left+labelW, cw-labelW, v)
		d.space(2)
	}
}

// checkbox draws an empty square box of side size with its top-left corner
// at (x, y).
func (d *doc) checkbox(x, y, size float64) {
	d.pdf.SetLineWidth(0.8)
	d.pdf.SetStrokeColor(0, 0, 0)
	d.pdf.RectFromUpperLeftWithStyle(x, y, size, size, "D")
}

// checkItem writes a paragraph with an empty check box as its hanging
// marker, at indent points from the left margin; the box and the first line
// stay on the same page.
func (d *doc) checkItem(s textStyle, indent float64, text string) {
	box := s.size * 0.95
	gap := 6.0
	d.ensureSpace(s.lineHeight())
	d.checkbox(d.left+indent, d.y()+(s.lineHeight()-box)/2, box)
	d.paragraphAt(s, d.left+indent+box+gap, d.contentWidth()-indent-box-gap, text)
}

// signatureRow draws one row of equal columns, each a line to write or
// sign on with a small label below it; above, prefill (when not empty) is
// printed on the line, as for a place and date known in advance.
func (d *doc) signatureRow(labels, prefill []string) {
	const gap = 24.0
	n := float64(len(labels))
	w := (d.contentWidth() - gap*(n-1)) / n
	d.ensureSpace(44)
	y := d.y() + 26
	for i, label := range labels {
		x := d.left + float64(i)*(w+gap)
		if i < len(prefill) && prefill[i] != "" {
			d.textAt(styleBody, x+2, y-styleBody.lineHeight(), w-2, gopdf.Left, prefill[i])
		}
		d.hline(x, x+w, y, 0.6, black)
		d.textAt(styleSmall, x, y+3, w, gopdf.Left, label)
	}
	d.pdf.SetXY(d.left, y+3+styleSmall.lineHeight()+4)
}

// fit shortens text with "…" until it is no wider than w in style s.
func (d *doc) fit(s textStyle, text string, w float64) string {
	if d.width(s, text) <= w {
		return text
	}
	r := []rune(text)
	for len(r) > 0 && d.width(s, string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	return strings.TrimSpace(string(r)) + "…"
}
