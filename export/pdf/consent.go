package pdf

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/signintech/gopdf"
)

// ConsentForm is the content of the privacy information and consent form
// that the office prints for a person to read and sign ("Stampa modulo
// privacy"). Empty person fields are left as lines to fill in by hand, so
// a blank form can be printed too.
type ConsentForm struct {
	OfficeName    string // "Servizi Sociali del Comune di Borgo San Lorenzo"
	ComuneName    string // "Borgo San Lorenzo": the titolare is the Comune
	OfficeAddress string // "Piazza Dante 2, 50032 Borgo San Lorenzo (FI)"
	DPOContact    string // RPD/DPO contact (e-mail, PEC); a line to fill in if empty
	Person        struct {
		FullName, CodiceFiscale, BirthDate, BirthPlace string
	}
	Date time.Time // date printed by the signature (today if zero)
}

// styleInfo is the body text of the information notice: smaller than the
// recovery sheet's so that the whole notice and the consent fit on two
// pages.
var (
	styleInfo     = textStyle{family: fontSans, size: 9, color: black, leading: 1.3}
	styleInfoBold = textStyle{family: fontSans, style: "B", size: 9, color: black, leading: 1.3}
	styleSection  = textStyle{family: fontSans, style: "B", size: 10.5, color: black, leading: 1.3}
	styleLabel    = textStyle{family: fontSans, style: "B", size: 8.5, color: darkGrey}
)

// consentBlockHeight is about the height of the consent section after its
// heading, which is kept on one page.
const consentBlockHeight = 330

// WriteConsentForm writes the form as an A4 PDF to w: the information on the
// processing of personal data required by articles 13 and 14 of Regulation
// (EU) 2016/679, with the Comune as data controller, followed by the
// consents (special categories of data; sharing with authorised external
// organisations) and the signature of the person or of their legal
// representative.
func WriteConsentForm(w io.Writer, f ConsentForm) error {
	comune := strings.TrimSpace(f.ComuneName)
	office := strings.TrimSpace(f.OfficeName)
	if comune == "" && office == "" {
		return errors.New("pdf: consent form: no Comune or office name")
	}
	titolare := "Comune di " + comune
	switch {
	case comune == "":
		titolare = office
	case strings.HasPrefix(strings.ToLower(comune), "comune ") || strings.HasPrefix(strings.ToLower(comune), "unione "):
		titolare = comune
	}
	if office == "" {
		office = "Servizi Sociali"
	}
	il := "il " // article before the titolare: "il Comune", "l'Unione"
	if r := strings.ToLower(titolare); r != "" && strings.ContainsRune("aeiou", rune(r[0])) {
		il = "l'"
	}
	date := f.Date
	if date.IsZero() {
		date = time.Now()
	}

	footer := func(d *doc, page int) error {
		y := a4Height - d.bottom + 12
		d.hline(d.left, a4Width-d.right, y, 0.5, midGrey)
		d.textAt(styleSmall, d.left, y+4, d.contentWidth()-60, gopdf.Left,
			d.fit(styleSmall, "Informativa privacy e consenso — "+titolare, d.contentWidth()-60))
		d.textAt(styleSmall, d.left, y+4, d.contentWidth(), gopdf.Right, fmt.Sprintf("Pagina %d", page))
		return d.err
	}
	d, err := newDoc(docMeta{
		Title:   "Informativa sul trattamento dei dati personali e consenso",
		Subject: "Informativa artt. 13 e 14 Reg. UE 2016/679 — " + titolare,
		Created: date,
		Footer:  footer,
	})
	if err != nil {
		return err
	}
	d.top -= 6 // a little more room on every page
	d.pdf.SetXY(d.left, d.top)
	cw := d.contentWidth()

	// Heading: the ente, then the title.
	d.textAt(textStyle{family: fontSans, style: "B", size: 11, color: black}, d.left, d.y(), cw, gopdf.Left, titolare)
	d.space(14)
	d.paragraph(textStyle{family: fontSans, size: 9.5, color: darkGrey}, office)
	if a := strings.TrimSpace(f.OfficeAddress); a != "" {
		d.paragraph(textStyle{family: fontSans, size: 9.5, color: darkGrey}, a)
	}
	d.space(8)
	d.paragraph(textStyle{family: fontSans, style: "B", size: 15, color: black, leading: 1.25},
		"Informativa sul trattamento dei dati personali e consenso")
	d.paragraph(textStyle{family: fontSans, size: 10, color: darkGrey},
		"ai sensi degli artt. 13 e 14 del Regolamento (UE) 2016/679 (GDPR) e del D.Lgs. 196/2003 (Codice in materia di protezione dei dati personali)")
	d.space(3)
	d.hline(d.left, a4Width-d.right, d.y(), 1, black)
	d.space(8)

	// The person.
	p := f.Person
	d.labelRows(styleLabel, styleInfo, 118, [][2]string{
		{"Interessato/a", p.FullName},
		{"Codice fiscale", p.CodiceFiscale},
		{"Data di nascita", p.BirthDate},
		{"Luogo di nascita", p.BirthPlace},
	}, true)
	d.space(6)

	section := func(title string) {
		d.space(3)
		d.heading(styleSection, title, 3*styleInfo.lineHeight())
	}
	para := func(text string) {
		d.paragraph(styleInfo, text)
		d.space(2)
	}
	bullets := func(items ...string) {
		for _, it := range items {
			d.listItem(styleInfo, "•", it)
			d.space(0.5)
		}
	}

	para("Gentile Signora, gentile Signore, " + il + titolare + " tratta i Suoi dati personali, e quelli dei Suoi " +
		"familiari quando necessario, per svolgere i compiti dei servizi sociali. Questa informativa spiega quali " +
		"dati sono trattati, perché, da chi e per quanto tempo, e quali diritti Lei ha.")

	section("1. Titolare del trattamento e Responsabile della protezione dei dati")
	addr := ""
	if a := strings.TrimSpace(f.OfficeAddress); a != "" {
		addr = ", con sede in " + a
	}
	para("Titolare del trattamento è " + il + titolare + addr + ", che opera attraverso " + office + ".")
	if dpo := strings.TrimSpace(f.DPOContact); dpo != "" {
		para("Il Responsabile della protezione dei dati (RPD/DPO) designato dal Comune è contattabile a: " + dpo + ".")
	} else {
		d.paragraph(styleInfo, "Il Responsabile della protezione dei dati (RPD/DPO) designato dal Comune è contattabile a:")
		d.space(16)
		d.hline(d.left, d.left+cw, d.y(), 0.5, midGrey)
		d.space(6)
	}

	section("2. Finalità del trattamento")
	para("I dati sono trattati per:")
	bullets(
		"il servizio sociale professionale: ascolto, valutazione della situazione personale e familiare, "+
			"progetto individualizzato, presa in carico e relativa documentazione (cartella sociale);",
		"il segretariato sociale: informazione, orientamento e accompagnamento all'accesso ai servizi;",
		"l'erogazione di interventi e prestazioni sociali e socio-sanitarie (contributi economici, assistenza "+
			"domiciliare, inserimenti in servizi e strutture, misure di contrasto alla povertà) e le relative verifiche;",
		"gli adempimenti di legge, tra cui l'alimentazione del Sistema informativo unitario dei servizi sociali "+
			"(SIUSS) gestito dall'INPS, ai sensi dell'art. 24 del D.Lgs. 15 settembre 2017, n. 147, e le "+
			"comunicazioni e relazioni dovute all'Autorità giudiziaria;",
		"la programmazione dei servizi e la statistica, con dati aggregati o resi anonimi.",
	)

	section("3. Base giuridica e categorie di dati")
	para("Il trattamento è necessario per adempiere obblighi di legge e per eseguire compiti di interesse pubblico " +
		"connessi all'esercizio di pubblici poteri (art. 6, par. 1, lett. c ed e, del Regolamento), in base alla " +
		"Legge 8 novembre 2000, n. 328, al D.Lgs. 147/2017 e alle leggi regionali sui servizi sociali.")
	para("Possono essere trattate categorie particolari di dati (art. 9 del Regolamento), in particolare dati " +
		"relativi alla salute, anche di minori, e dati che possono rivelare origine etnica, convinzioni religiose " +
		"o vita sessuale, per motivi di interesse pubblico rilevante (art. 9, par. 2, lett. g; art. 2-sexies, " +
		"comma 2, lett. s, del D.Lgs. 196/2003) e per finalità di assistenza sanitaria e sociale (art. 9, par. 2, " +
		"lett. h). I dati relativi a condanne penali e reati (dati giudiziari) sono trattati solo nei casi previsti " +
		"dalla legge (art. 10 del Regolamento e art. 2-octies del D.Lgs. 196/2003). I dati dei minori sono trattati " +
		"con particolare riservatezza e nel loro esclusivo interesse.")

	section("4. Natura del conferimento e fonte dei dati")
	para("Il conferimento dei dati è necessario: senza di essi non è possibile valutare la richiesta né erogare le " +
		"prestazioni. Oltre che da Lei, i dati possono essere raccolti presso l'Anagrafe e altri uffici comunali, " +
		"l'INPS, l'Azienda sanitaria, le scuole, l'Autorità giudiziaria, altri enti pubblici e, con il Suo accordo, " +
		"presso familiari e persone di riferimento (art. 14 del Regolamento).")

	section("5. Modalità del trattamento")
	para("I dati sono trattati da personale autorizzato e tenuto al segreto professionale e d'ufficio, su supporti " +
		"cartacei e con un programma informatico (cartella sociale) che li conserva cifrati, consente l'accesso ai " +
		"soli operatori abilitati secondo il loro ruolo e registra ogni accesso. Le annotazioni del diario sono " +
		"riservate, salvo quelle contrassegnate come condivisibili. Non sono adottate decisioni basate " +
		"unicamente su trattamenti automatizzati, compresa la profilazione.")

	section("6. Destinatari dei dati")
	para("I dati possono essere comunicati, nei limiti di quanto necessario e previsto dalla legge o da regolamento:")
	bullets(
		"all'INPS, per il Sistema informativo unitario dei servizi sociali (SIUSS) e le prestazioni di sua competenza;",
		"all'Azienda sanitaria locale (ASL), per l'integrazione socio-sanitaria;",
		"all'Autorità giudiziaria (Tribunale per i minorenni, Tribunale ordinario, Giudice tutelare) e alle "+
			"forze dell'ordine, quando richiesto dalla legge;",
		"ad altri enti pubblici (Regione, altri Comuni, scuole, Centri per l'impiego, ambito territoriale sociale), "+
			"nei casi previsti da norme di legge o di regolamento;",
		"a organizzazioni esterne autorizzate (enti del Terzo settore, cooperative sociali e associazioni "+
			"che collaborano con il Comune): solo con il Suo consenso e limitatamente alle informazioni "+
			"contrassegnate come condivisibili, mai le annotazioni riservate.",
	)
	para("I dati non sono diffusi né trasferiti fuori dall'Unione europea. I fornitori che gestiscono per conto " +
		"del Comune i sistemi informatici agiscono come responsabili del trattamento (art. 28 del Regolamento).")

	section("7. Conservazione")
	para("I dati sono conservati per il tempo necessario alle finalità indicate e, in seguito, secondo i termini " +
		"del piano di conservazione dell'archivio comunale previsti dalla normativa sugli archivi pubblici " +
		"(D.Lgs. 42/2004). I dati trasmessi al SIUSS sono conservati dall'INPS secondo la propria disciplina.")

	section("8. Diritti dell'interessato")
	para("Lei ha diritto di chiedere l'accesso ai Suoi dati, la rettifica, la cancellazione nei limiti dell'art. 17, " +
		"par. 3, la limitazione del trattamento e di opporsi al trattamento per motivi connessi alla Sua situazione " +
		"particolare (artt. 15–22 del Regolamento). Il consenso eventualmente prestato può essere revocato in " +
		"qualsiasi momento, senza pregiudicare la liceità del trattamento svolto prima della revoca (art. 7, par. 3). " +
		"Le richieste si presentano all'ufficio servizi sociali o al Responsabile della protezione dei dati.")
	para("Se ritiene che il trattamento violi il Regolamento, può proporre reclamo al Garante per la protezione dei " +
		"dati personali (art. 77; www.garanteprivacy.it) o ricorso all'autorità giudiziaria (art. 79).")

	// The consent and the signatures stay together on one page, the page
	// that is signed and scanned into the record.
	d.space(8)
	d.heading(styleHeading, "Dichiarazione e consenso", consentBlockHeight)
	d.paragraph(styleInfo, "Il/La sottoscritto/a ")
	d.signatureRow([]string{"Nome e cognome di chi firma"}, []string{p.FullName})
	d.paragraph(styleInfo, "che firma in qualità di:")
	d.space(2)
	for _, role := range []string{"interessato/a", "genitore esercente la responsabilità genitoriale",
		"tutore, curatore o amministratore di sostegno (indicare gli estremi del provvedimento):"} {
		d.checkItem(styleInfo, 4, role)
	}
	d.space(14)
	d.hline(d.left+22, d.left+cw, d.y(), 0.5, midGrey)
	d.space(8)
	d.paragraph(styleInfo, "dichiara di aver ricevuto e compreso l'informativa che precede e, per quanto richiede il consenso:")
	d.space(4)

	choice := func(n int, text string) {
		d.ensureSpace(4 * styleInfo.lineHeight())
		d.listItem(styleInfoBold, fmt.Sprintf("%d.", n), text)
		d.space(2)
		y := d.y()
		d.checkItem(styleInfo, 24, "acconsente")
		d.pdf.SetXY(d.left+150, y)
		d.checkItem(styleInfo, 150, "non acconsente")
		d.space(5)
	}
	choice(1, "al trattamento delle categorie particolari di dati (salute, dati relativi a minori, dati giudiziari e "+
		"altri dati dell'art. 9 del Regolamento) che lo riguardano, per le finalità e con le garanzie sopra indicate, "+
		"anche quando il trattamento non sia già imposto da una norma;")
	choice(2, "alla comunicazione a organizzazioni esterne autorizzate (enti del Terzo settore, cooperative sociali, "+
		"associazioni che collaborano con il Comune) delle sole informazioni contrassegnate come condivisibili, "+
		"necessarie agli interventi che lo riguardano.")
	d.paragraph(styleSmall, "Il rifiuto del consenso al punto 2 non impedisce l'accesso ai servizi; il consenso può essere revocato in qualsiasi momento.")
	d.space(6)

	place := comune
	if strings.HasPrefix(strings.ToLower(place), "comune di ") {
		place = place[len("comune di "):]
	}
	dateLine := dataLunga(date)
	if place != "" {
		dateLine = place + ", " + dateLine
	}
	d.signatureRow([]string{"Luogo e data", "Firma dell'interessato/a o del legale rappresentante"}, []string{dateLine, ""})
	d.signatureRow([]string{"Operatore che ha raccolto il consenso (nome e cognome)", "Firma dell'operatore"}, nil)

	return d.write(w)
}
