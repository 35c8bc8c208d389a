package ui

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cartella/export/pdf"
	"cartella/store"
	"cartella/ui/widgets"
)

// SettingsScreen: own password, operators, idle lock, audit log, recovery code.
type SettingsScreen struct {
	sh      *Shell
	content fyne.CanvasObject
	Tabs    *container.AppTabs

	OldPassword, NewPassword, NewPassword2 *widget.Entry
	PasswordStrength                       *widget.Label
	ChangePassword                         *widget.Button
	PasswordStatus                         *widget.Label
	DarkTheme                              *widget.Check

	Operators     *widget.List
	operators     []store.Operator
	AddOperator   *widget.Button
	OperatorsNote *widget.Label

	IdleMinutes *widget.Entry
	SaveIdle    *widget.Button
	IdleStatus  *widget.Label

	AuditTable    *widget.Table
	AuditOperator *widget.Select
	AuditAction   *widget.Select
	AuditFrom     *widgets.DateEntry
	AuditTo       *widgets.DateEntry
	AuditPerson   *widget.Entry
	AuditApply    *widget.Button
	AuditCount    *widget.Label
	audit         []store.AuditEntry

	NewRecovery *widget.Button
	Lists       *ListsEditor
}

// Dirty: settings are saved button by button; nothing is held unsaved.
func (s *SettingsScreen) Dirty() bool { return false }

func newSettingsScreen(sh *Shell) *SettingsScreen {
	s := &SettingsScreen{sh: sh}
	role := sh.app.sess.Operator().Role
	s.Tabs = container.NewAppTabs(container.NewTabItemWithIcon("Password", theme.AccountIcon(), s.passwordTab()))
	if role.Can(store.PermOperators) {
		s.Tabs.Append(container.NewTabItemWithIcon("Operatori", theme.AccountIcon(), s.operatorsTab()))
	}
	if role.Can(store.PermSettings) {
		s.Tabs.Append(container.NewTabItemWithIcon("Blocco automatico", theme.VisibilityOffIcon(), s.idleTab()))
		s.Lists = newListsEditor(sh)
		s.Tabs.Append(container.NewTabItemWithIcon("Elenchi", theme.ListIcon(), s.Lists.content))
	}
	if role.Can(store.PermAudit) {
		s.Tabs.Append(container.NewTabItemWithIcon("Registro accessi", theme.ListIcon(), s.auditTab()))
	}
	if role.Can(store.PermOperators) {
		s.Tabs.Append(container.NewTabItemWithIcon("Codice di recupero", theme.WarningIcon(), s.recoveryTab()))
	}
	s.content = s.Tabs
	return s
}

func (s *SettingsScreen) passwordTab() fyne.CanvasObject {
	s.OldPassword = widget.NewPasswordEntry()
	s.NewPassword = widget.NewPasswordEntry()
	s.NewPassword2 = widget.NewPasswordEntry()
	s.PasswordStrength = widget.NewLabel("")
	s.NewPassword.OnChanged = func(pw string) {
		s.sh.app.idle.touch()
		if pw == "" {
			s.PasswordStrength.SetText("")
			return
		}
		s.PasswordStrength.SetText("Robustezza: " + store.StrengthLabel(store.PasswordStrength(pw)))
	}
	s.PasswordStatus = widget.NewLabel("")
	s.PasswordStatus.Wrapping = fyne.TextWrapWord
	s.ChangePassword = widget.NewButtonWithIcon("Cambia password", theme.ConfirmIcon(), s.changePassword)
	s.ChangePassword.Importance = widget.HighImportance
	form := widget.NewForm(
		widget.NewFormItem("Password attuale", s.OldPassword),
		widget.NewFormItem("Nuova password", s.NewPassword),
		widget.NewFormItem("Ripeti la nuova password", s.NewPassword2),
		widget.NewFormItem("", s.PasswordStrength),
	)
	s.DarkTheme = widget.NewCheck("Tema scuro (solo su questo computer)", func(on bool) {
		a := s.sh.app.fyne
		a.Preferences().SetBool(PrefDarkTheme, on)
		a.Settings().SetTheme(ThemeFor(a))
	})
	s.DarkTheme.Checked = s.sh.app.fyne.Preferences().Bool(PrefDarkTheme)
	return container.NewVBox(form, container.NewHBox(s.ChangePassword), s.PasswordStatus,
		widget.NewSeparator(), widget.NewLabelWithStyle("Aspetto", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), s.DarkTheme)
}

func (s *SettingsScreen) changePassword() {
	if s.NewPassword.Text != s.NewPassword2.Text {
		s.PasswordStatus.SetText("Le due nuove password non coincidono.")
		return
	}
	old, nw := s.OldPassword.Text, s.NewPassword.Text
	s.ChangePassword.Disable()
	s.PasswordStatus.SetText("Cambio in corso…")
	go func() {
		err := s.sh.app.sess.ChangePassword(s.sh.app.ctx, old, nw)
		fyne.Do(func() {
			s.ChangePassword.Enable()
			if err != nil {
				s.PasswordStatus.SetText("Password non cambiata: " + err.Error())
				return
			}
			s.OldPassword.SetText("")
			s.NewPassword.SetText("")
			s.NewPassword2.SetText("")
			s.PasswordStatus.SetText("Password cambiata. Usatela dal prossimo accesso.")
		})
	}()
}

func (s *SettingsScreen) operatorsTab() fyne.CanvasObject {
	s.Operators = widget.NewList(
		func() int { return len(s.operators) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, nil, widget.NewButton("Riattiva", nil),
				widget.NewLabel("Nome Cognome (utente) — Assistente sociale — disattivato"))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			op := s.operators[i]
			c := o.(*fyne.Container)
			lbl := c.Objects[0].(*widget.Label)
			btn := c.Objects[1].(*widget.Button)
			state := ""
			if op.Disabled {
				state = " — disattivato"
			}
			lbl.SetText(fmt.Sprintf("%s (%s) — %s%s", op.FullName(), op.Username, op.Role.Label(), state))
			if op.Disabled {
				btn.SetText("Riattiva")
				btn.OnTapped = func() { s.enableOperator(op) }
			} else {
				btn.SetText("Disattiva")
				btn.OnTapped = func() { s.disableOperator(op) }
			}
		},
	)
	s.AddOperator = widget.NewButtonWithIcon("Nuovo operatore", theme.ContentAddIcon(), s.addOperator)
	s.OperatorsNote = widget.NewLabel("Un operatore disattivato non può più accedere; i suoi interventi restano nel registro.")
	s.OperatorsNote.Wrapping = fyne.TextWrapWord
	s.loadOperators()
	return container.NewBorder(container.NewVBox(container.NewHBox(s.AddOperator), s.OperatorsNote), nil, nil, nil, s.Operators)
}

func (s *SettingsScreen) loadOperators() {
	ops, err := s.sh.app.sess.Operators(s.sh.app.ctx)
	if err != nil {
		s.sh.app.showError(err)
		return
	}
	s.operators = ops
	s.Operators.Refresh()
}

func roleLabels() []string {
	var out []string
	for _, r := range store.Roles() {
		out = append(out, r.Label())
	}
	return out
}

func roleByLabel(l string) store.Role {
	for _, r := range store.Roles() {
		if r.Label() == l {
			return r
		}
	}
	return ""
}

func (s *SettingsScreen) addOperator() {
	user, given, sur, cf := widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	role := widget.NewSelect(roleLabels(), nil)
	pw := widget.NewPasswordEntry()
	items := []*widget.FormItem{
		widget.NewFormItem("Nome utente", user),
		widget.NewFormItem("Nome", given),
		widget.NewFormItem("Cognome", sur),
		widget.NewFormItem("Codice fiscale", cf),
		widget.NewFormItem("Ruolo", role),
		widget.NewFormItem("Password provvisoria", pw),
	}
	d := dialog.NewForm("Nuovo operatore", "Crea", "Annulla", items, func(ok bool) {
		if !ok {
			return
		}
		op := store.Operator{Username: user.Text, GivenName: given.Text, Surname: sur.Text, CodiceFiscale: cf.Text, Role: roleByLabel(role.Selected)}
		go func() {
			_, err := s.sh.app.sess.AddOperator(s.sh.app.ctx, op, pw.Text)
			fyne.Do(func() {
				if err != nil {
					s.sh.app.showError(fmt.Errorf("operatore non creato: %w", err))
					return
				}
				s.loadOperators()
				dialog.ShowInformation("Operatore creato", "Comunicate la password provvisoria di persona: "+
					"al primo accesso l'operatore dovrà cambiarla.", s.sh.app.win)
			})
		}()
	}, s.sh.app.win)
	d.Resize(fyne.NewSize(520, 420))
	d.Show()
}

func (s *SettingsScreen) disableOperator(op store.Operator) {
	dialog.ShowConfirm("Disattivare l'operatore?", fmt.Sprintf("%s non potrà più accedere.", op.FullName()), func(ok bool) {
		if !ok {
			return
		}
		if err := s.sh.app.sess.SetOperatorEnabled(s.sh.app.ctx, op.ID, false, ""); err != nil {
			s.sh.app.showError(err)
			return
		}
		s.loadOperators()
	}, s.sh.app.win)
}

func (s *SettingsScreen) enableOperator(op store.Operator) {
	pw := widget.NewPasswordEntry()
	dialog.ShowForm("Riattivare "+op.FullName(), "Riattiva", "Annulla",
		[]*widget.FormItem{widget.NewFormItem("Password provvisoria", pw)}, func(ok bool) {
			if !ok {
				return
			}
			go func() {
				err := s.sh.app.sess.SetOperatorEnabled(s.sh.app.ctx, op.ID, true, pw.Text)
				fyne.Do(func() {
					if err != nil {
						s.sh.app.showError(err)
						return
					}
					s.loadOperators()
				})
			}()
		}, s.sh.app.win)
}

func (s *SettingsScreen) idleTab() fyne.CanvasObject {
	st, err := s.sh.app.sess.Settings(s.sh.app.ctx)
	if err != nil {
		st = store.DefaultSettings()
	}
	s.IdleMinutes = widget.NewEntry()
	s.IdleMinutes.SetText(strconv.Itoa(st.IdleLockMinutes))
	s.IdleStatus = widget.NewLabel("")
	s.SaveIdle = widget.NewButtonWithIcon("Salva", theme.DocumentSaveIcon(), func() {
		n, err := strconv.Atoi(strings.TrimSpace(s.IdleMinutes.Text))
		if err != nil {
			s.IdleStatus.SetText("Scrivere un numero intero di minuti.")
			return
		}
		st := store.Settings{IdleLockMinutes: n}
		if err := s.sh.app.sess.SaveSettings(s.sh.app.ctx, st); err != nil {
			s.IdleStatus.SetText("Non salvato: " + err.Error())
			return
		}
		s.sh.app.idle.setLimit(st.IdleLock())
		s.IdleStatus.SetText(fmt.Sprintf("Salvato: il programma si blocca dopo %d minuti di inattività.", n))
	})
	note := widget.NewLabel("Dopo questo tempo senza attività il programma si blocca e dimentica le chiavi; " +
		"per riprendere serve la password. Vale per tutti gli operatori dell'ufficio.")
	note.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(widget.NewFormItem("Minuti di inattività", s.IdleMinutes))
	return container.NewVBox(note, form, container.NewHBox(s.SaveIdle), s.IdleStatus)
}

var auditHeaders = []string{"Data e ora", "Operatore", "Azione", "Persona / elemento", "Dettaglio"}

func (s *SettingsScreen) auditTab() fyne.CanvasObject {
	app := s.sh.app
	ops, _ := app.sess.Operators(app.ctx)
	opOpts := []string{"Tutti gli operatori"}
	for _, o := range ops {
		opOpts = append(opOpts, o.Username)
	}
	s.AuditOperator = widget.NewSelect(opOpts, nil)
	s.AuditOperator.SetSelectedIndex(0)
	actOpts := []string{"Tutte le azioni"}
	for _, a := range store.Actions() {
		actOpts = append(actOpts, a.Label())
	}
	s.AuditAction = widget.NewSelect(actOpts, nil)
	s.AuditAction.SetSelectedIndex(0)
	s.AuditFrom = widgets.NewDateEntry()
	s.AuditTo = widgets.NewDateEntry()
	s.AuditPerson = widget.NewEntry()
	s.AuditPerson.SetPlaceHolder("persona (parte del nome)")
	s.AuditCount = widget.NewLabel("")
	s.AuditApply = widget.NewButtonWithIcon("Filtra", theme.SearchIcon(), s.loadAudit)
	s.AuditTable = widget.NewTable(
		func() (int, int) { return len(s.audit) + 1, len(auditHeaders) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			if id.Row == 0 {
				l.TextStyle = fyne.TextStyle{Bold: true}
				l.SetText(auditHeaders[id.Col])
				return
			}
			l.TextStyle = fyne.TextStyle{}
			l.SetText(s.auditCell(s.audit[id.Row-1], id.Col))
		},
	)
	for i, w := range []float32{150, 110, 170, 240, 300} {
		s.AuditTable.SetColumnWidth(i, w)
	}
	filters := container.NewGridWithColumns(3, s.AuditOperator, s.AuditAction, s.AuditPerson,
		container.NewBorder(nil, nil, widget.NewLabel("Dal"), nil, s.AuditFrom),
		container.NewBorder(nil, nil, widget.NewLabel("Al"), nil, s.AuditTo),
		container.NewHBox(s.AuditApply, s.AuditCount))
	s.loadAudit()
	return container.NewBorder(filters, nil, nil, nil, s.AuditTable)
}

func (s *SettingsScreen) auditCell(e store.AuditEntry, col int) string {
	switch col {
	case 0:
		return e.At.Local().Format("02/01/2006 15:04:05")
	case 1:
		return e.Operator
	case 2:
		return e.Action.Label()
	case 3:
		if e.Kind == "person" {
			if p, ok := s.sh.app.sess.PersonSummaryByID(e.RecordID); ok {
				return p.FullName()
			}
			return "persona non più presente"
		}
		if e.Kind != "" {
			return store.KindLabel(e.Kind)
		}
		return ""
	case 4:
		return e.Detail
	}
	return ""
}

func (s *SettingsScreen) loadAudit() {
	app := s.sh.app
	f := store.AuditFilter{}
	if i := s.AuditOperator.SelectedIndex(); i > 0 {
		ops, _ := app.sess.Operators(app.ctx)
		for _, o := range ops {
			if o.Username == s.AuditOperator.Selected {
				f.OperatorID = o.ID
			}
		}
	}
	if i := s.AuditAction.SelectedIndex(); i > 0 {
		f.Action = store.Actions()[i-1]
	}
	var problems []string
	if d, err := s.AuditFrom.Date(); err != nil {
		problems = append(problems, "Dal: "+err.Error())
	} else if !d.IsZero() {
		f.From = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.Local)
	}
	if d, err := s.AuditTo.Date(); err != nil {
		problems = append(problems, "Al: "+err.Error())
	} else if !d.IsZero() {
		f.To = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.Local).AddDate(0, 0, 1)
	}
	if len(problems) > 0 {
		s.AuditCount.SetText(strings.Join(problems, " "))
		return
	}
	entries, err := app.sess.Audit(app.ctx, f)
	if err != nil {
		app.showError(err)
		return
	}
	if q := strings.TrimSpace(s.AuditPerson.Text); q != "" {
		match := map[store.ID]bool{}
		for _, p := range app.sess.Search(q, 1000) {
			match[p.ID] = true
		}
		kept := entries[:0]
		for _, e := range entries {
			if match[e.RecordID] {
				kept = append(kept, e)
			}
		}
		entries = kept
	}
	s.audit = entries
	s.AuditCount.SetText(fmt.Sprintf("%d voci", len(entries)))
	s.AuditTable.Refresh()
}

func (s *SettingsScreen) recoveryTab() fyne.CanvasObject {
	note := widget.NewLabel("Il codice di recupero permette di riaprire i dati se tutti dimenticano la password. " +
		"Generandone uno nuovo, il vecchio smette di funzionare: distruggete il vecchio foglio.")
	note.Wrapping = fyne.TextWrapWord
	s.NewRecovery = widget.NewButtonWithIcon("Genera un nuovo codice di recupero…", theme.WarningIcon(), func() {
		dialog.ShowConfirm("Nuovo codice di recupero", "Il codice attuale smetterà di funzionare. Continuare?", func(ok bool) {
			if ok {
				s.newRecoveryCode()
			}
		}, s.sh.app.win)
	})
	return container.NewVBox(note, container.NewHBox(s.NewRecovery))
}

func (s *SettingsScreen) newRecoveryCode() {
	app := s.sh.app
	go func() {
		code, err := app.sess.NewRecoveryCode(app.ctx)
		fyne.Do(func() {
			if err != nil {
				app.showError(err)
				return
			}
			office, _ := app.sess.Office(app.ctx)
			sheet := pdf.RecoverySheet{OfficeName: office.Name, OfficeID: app.db.OfficeID().String()[:8],
				RecoveryCode: code, CreatedBy: app.sess.Operator().FullName(), CreatedAt: time.Now()}
			if p, ok := app.db.Places().ByCode(office.ComuneCode, time.Now()); ok {
				sheet.ComuneName = p.Name
			}
			codeLabel := widget.NewLabelWithStyle(code, fyne.TextAlignCenter, fyne.TextStyle{Monospace: true, Bold: true})
			save := widget.NewButtonWithIcon("Salva il foglio di recupero (PDF)…", theme.DocumentSaveIcon(), func() {
				app.saveFile("foglio-di-recupero.pdf", func(w io.Writer) error { return pdf.WriteRecoverySheet(w, sheet) },
					func(err error) { app.showError(err) })
			})
			dialog.ShowCustom("Nuovo codice di recupero", "Chiudi", container.NewVBox(
				widget.NewLabel("Trascrivete o stampate il nuovo codice: non verrà più mostrato."), codeLabel, save), app.win)
		})
	}()
}
