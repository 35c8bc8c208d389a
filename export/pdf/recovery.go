package pdf

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/signintech/gopdf"
)

// RecoverySheet is the content of the printed recovery sheet, produced once
// at setup and whenever a new recovery code is generated.
type RecoverySheet struct {
	OfficeName   string // "Comune di Borgo San Lorenzo — Servizi Sociali"
	ComuneName   string
	OfficeID     string // short office identifier, to match the sheet to the office
	RecoveryCode string // canonical form, e.g. "K7M2P-9QX4R-…"
	CreatedBy    string // operator full name
	CreatedAt    time.Time
}

// WriteRecoverySheet writes the recovery sheet as an A4 PDF to w (one page;
// a second one only for unusually long office names).
// The PDF contains the recovery code in clear: write it only to the printer
// or to a path the operator chose, never to a temporary file.
func WriteRecoverySheet(w io.Writer, s RecoverySheet) error {
	code := strings.TrimSpace(s.RecoveryCode)
	if code == "" {
		return errors.New("pdf: recovery sheet: empty recovery code")
	}
	if strings.TrimSpace(s.OfficeName) == "" {
		return errors.New("pdf: recovery sheet: empty office name")
	}
	created := s.CreatedAt
	if created.IsZero() {
		created = time.Now()
	}

	footer := func(d *doc, page int) error {
		y := a4Height - d.bottom + 12
		d.hline(d.left, a4Width-d.right, y, 0.5, midGrey)
		left := "Cartella Sociale — Foglio di recupero — documento riservato"
		if s.OfficeID != "" {
			left += " — Ufficio " + s.OfficeID
		}
		d.textAt(styleSmall, d.left, y+4, d.contentWidth(), gopdf.Left, left)
		d.textAt(styleSmall, d.left, y+4, d.contentWidth(), gopdf.Right, fmt.Sprintf("Pagina %d", page))
		return d.err
	}
	d, err := newDoc(docMeta{
		Title:   "Foglio di recupero — Cartella Sociale",
		Subject: "Codice di recupero dell'ufficio " + s.OfficeName,
		Created: created,
		Footer:  footer,
	})
	if err != nil {
		return err
	}

	cw := d.contentWidth()

	// Title.
	d.textAt(textStyle{family: fontSans, style: "B", size: 9, color: darkRed}, d.left, d.y(), cw, gopdf.Right,
		"DOCUMENTO RISERVATO — CONSERVARE SOTTO CHIAVE")
	d.space(16)
	d.paragraph(styleTitle, "Foglio di recupero — Cartella Sociale")
	d.space(2)
	d.hline(d.left, a4Width-d.right, d.y(), 1, black)
	d.space(10)

	// Office.
	labelStyle := textStyle{family: fontSans, style: "B", size: 9, color: darkGrey}
	const labelW = 130.0
	d.labelRows(labelStyle, styleBody, labelW, [][2]string{
		{"Ufficio", s.OfficeName},
		{"Comune", s.ComuneName},
		{"Identificativo ufficio", s.OfficeID},
	}, false)
	d.space(8)

	// The code, big and monospaced, in a box.
	codeStyle := textStyle{family: fontMono, size: 22, color: black, leading: 1.2}
	for codeStyle.size > 10 && d.width(codeStyle, code) > cw-24 {
		codeStyle.size--
	}
	boxLabel := textStyle{family: fontSans, style: "B", size: 9, color: darkGrey}
	hint := "Solo cifre e lettere maiuscole, a gruppi di cinque. Non compaiono le lettere I, L, O e U: «0» è zero, «1» è uno."
	hintLines := d.wrap(styleSmall, hint, cw-24)
	boxH := 12 + boxLabel.lineHeight() + 8 + codeStyle.lineHeight() + 8 + float64(len(hintLines))*styleSmall.lineHeight() + 10
	d.ensureSpace(boxH)
	top := d.y()
	d.fillRect(d.left, top, cw, boxH, lightGrey, &black)
	y := top + 12
	d.textAt(boxLabel, d.left, y, cw, gopdf.Center, "CODICE DI RECUPERO")
	y += boxLabel.lineHeight() + 8
	d.textAt(codeStyle, d.left, y, cw, gopdf.Center, code)
	y += codeStyle.lineHeight() + 8
	for _, line := range hintLines {
		d.textAt(styleSmall, d.left, y, cw, gopdf.Center, line)
		y += styleSmall.lineHeight()
	}
	d.pdf.SetXY(d.left, top+boxH+6)

	createdLine := "Creato il " + dataOra(created)
	if by := strings.TrimSpace(s.CreatedBy); by != "" {
		createdLine += " da " + by
	}
	d.paragraph(styleBody, createdLine+".")
	d.space(10)

	// Instructions.
	const keep = 40
	d.heading(styleHeading, "Che cos'è questo codice", keep)
	d.paragraph(styleBody, "Il codice di recupero è l'unico modo per aprire i dati della Cartella Sociale se "+
		"tutte le password degli operatori vengono dimenticate. Senza una password valida e senza questo codice "+
		"i dati non possono essere letti da nessuno, nemmeno dall'assistenza tecnica.")
	d.space(3)
	d.paragraph(styleBold, "Chi possiede questo foglio può leggere tutti i dati dell'ufficio, compresi dati sanitari, "+
		"giudiziari e relativi a minori: va custodito come la chiave della cassaforte.")
	d.space(10)

	d.heading(styleHeading, "Come conservarlo", keep)
	for _, item := range []string{
		"Conservare il foglio in un cassetto chiuso a chiave o in cassaforte, possibilmente in una busta chiusa.",
		"Non fotografarlo, non scansionarlo e non fotocopiarlo. Non trascrivere il codice sul computer, " +
			"in e-mail, in chat o in file di appunti.",
		"Non lasciarlo vicino al PC e non consegnarlo a persone esterne all'ufficio.",
	} {
		d.listItem(styleBody, "•", item)
		d.space(2)
	}
	d.space(6)

	d.heading(styleHeading, "Come usarlo", keep)
	for i, item := range []string{
		"Nella finestra di accesso scegliere «Ho perso la password».",
		"Digitare il codice di recupero riportato sopra (maiuscole, minuscole, spazi e trattini non contano).",
		"Impostare una nuova password. Poi rimettere subito il foglio sotto chiave.",
	} {
		d.listItem(styleBody, fmt.Sprintf("%d.", i+1), item)
		d.space(2)
	}
	d.space(6)

	d.heading(styleHeading, "Se viene generato un nuovo codice", keep)
	d.paragraph(styleBody, "Un nuovo codice di recupero può essere generato da Impostazioni; il programma stampa "+
		"allora un nuovo foglio. Da quel momento vale solo il nuovo codice: questo foglio va distrutto "+
		"(per esempio con un distruggidocumenti), perché non resti in giro una copia di un documento riservato.")
	d.space(10)

	// Custody (heading kept with both signature rows).
	d.heading(styleHeading, "Presa in custodia", 92)
	d.signatureRow([]string{"Custodito da (nome e cognome)", "Luogo di conservazione"}, nil)
	d.signatureRow([]string{"Firma", "Data"}, nil)

	return d.write(w)
}
