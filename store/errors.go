package store

import (
	"errors"
	"strings"
)

// Errors a user may see. Their text is Italian and names no personal data.
var (
	ErrInUse        = errors.New("Cartella Sociale è già aperto su questo computer con la stessa cartella dati: chiudere l'altra finestra e riprovare")
	ErrNoOffice     = errors.New("in questa cartella dati non c'è ancora nessun ufficio")
	ErrOfficeExists = errors.New("in questa cartella dati esiste già un ufficio")
	ErrNewerSchema  = errors.New("il database è stato creato da una versione più recente del programma: aggiornare Cartella Sociale")
	ErrLoginFailed  = errors.New("Operatore o password non corretti")
	ErrLocked       = errors.New("la sessione è bloccata: accedere di nuovo")
	ErrNotFound     = errors.New("elemento non trovato")
	ErrForbidden    = errors.New("operazione non consentita per il ruolo dell'operatore")
	ErrTampered     = errors.New("dati danneggiati o alterati")
)

// FieldError is a validation problem tied to one form field, so the UI can
// show the message next to it.
type FieldError struct {
	Field string // the struct field name, e.g. "CodiceFiscale"
	Msg   string // Italian sentence
}

func (e FieldError) Error() string { return e.Msg }

// ValidationError lists every problem of a form at once.
type ValidationError []FieldError

func (v ValidationError) Error() string {
	msgs := make([]string, len(v))
	for i, e := range v {
		msgs[i] = e.Msg
	}
	return strings.Join(msgs, "; ")
}

// For returns the message for one field, or "".
func (v ValidationError) For(field string) string {
	for _, e := range v {
		if e.Field == field {
			return e.Msg
		}
	}
	return ""
}

// AsValidation extracts a ValidationError from err.
func AsValidation(err error) (ValidationError, bool) {
	var v ValidationError
	ok := errors.As(err, &v)
	return v, ok
}
