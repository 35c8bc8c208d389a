package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"cartella/assets"
)

const kindCodeValue = "codevalue"

// Code lists used by the intake, named as in assets.
const (
	ListModalitaAccesso        = assets.ListModalitaAccesso
	ListMotivoAccesso          = assets.ListMotivoAccesso
	ListInterlocutori          = assets.ListInterlocutori
	ListStatoCivile            = assets.ListStatoCivile
	ListTitoloStudio           = assets.ListTitoloStudio
	ListCondizioneLavorativa   = assets.ListCondizioneLavorativa
	ListSettoreImpiego         = assets.ListSettoreImpiego
	ListTipologiaFamiliare     = assets.ListTipologiaFamiliare
	ListTipoAbitazione         = assets.ListTipoAbitazione
	ListTitoloGodimento        = assets.ListTitoloGodimento
	ListTipoProprietario       = assets.ListTipoProprietario
	ListConoscenzaItaliano     = assets.ListConoscenzaItaliano
	ListTipoPermesso           = assets.ListTipoPermesso
	ListMotivoPermesso         = assets.ListMotivoPermesso
	ListRuoloRiferimento       = assets.ListRuoloRiferimento
	ListParentela              = assets.ListParentela
	ListBisogni                = assets.ListBisogni
	ListTipologiaPresaInCarico = assets.ListTipologiaPresaInCarico
	ListAreaUtenza             = assets.ListAreaUtenza
	ListTipoAllegato           = assets.ListTipoAllegato
)

// CodeChecker tells whether a code belongs to a list (retired codes too:
// old records stay valid).
type CodeChecker interface {
	Known(list, code string) bool
}

// codeValue is a value a responsabile added to a list, or a default value
// they renamed or retired. It overrides the default with the same code.
type codeValue struct {
	List    string `json:"list"`
	Code    string `json:"code"`
	Label   string `json:"label"`
	Retired bool   `json:"retired,omitempty"`
}

// codeLists is a snapshot of every list with the office's own values.
type codeLists map[string]assets.CodeList

func (c codeLists) Known(list, code string) bool {
	l, ok := c[list]
	return ok && l.Label(code) != ""
}

func (s *Session) extensions(ctx context.Context) (map[string][]codeValue, error) {
	ext := map[string][]codeValue{}
	err := s.scanKind(ctx, kindCodeValue, func(id ID, plain []byte) error {
		var v codeValue
		if err := json.Unmarshal(plain, &v); err != nil {
			return fmt.Errorf("decode code value: %w", err)
		}
		ext[v.List] = append(ext[v.List], v)
		return nil
	})
	return ext, err
}

func mergeList(l assets.CodeList, ext []codeValue) assets.CodeList {
	changes := make([]assets.Code, len(ext))
	for i, v := range ext {
		changes[i] = assets.Code{Code: v.Code, Label: v.Label, Retired: v.Retired}
	}
	return l.Merge(changes)
}

// CodeList returns a list with the office's additions and retirements.
func (s *Session) CodeList(ctx context.Context, name string) (assets.CodeList, error) {
	l, ok := assets.List(name)
	if !ok {
		return l, fmt.Errorf("elenco %q: %w", name, ErrNotFound)
	}
	ext, err := s.extensions(ctx)
	if err != nil {
		return l, err
	}
	return mergeList(l, ext[name]), nil
}

func (s *Session) codeChecker(ctx context.Context) CodeChecker {
	ext, err := s.extensions(ctx)
	if err != nil {
		return nil
	}
	c := codeLists{}
	for _, n := range assets.ListNames() {
		l, _ := assets.List(n)
		c[n] = mergeList(l, ext[n])
	}
	return c
}

// SetCode adds a value to a list, renames it or retires it (responsabile
// only). Retired values stay readable on old records but are not offered.
func (s *Session) SetCode(ctx context.Context, list, code, label string, retired bool) error {
	if err := s.require(PermSettings); err != nil {
		return err
	}
	if _, ok := assets.List(list); !ok {
		return fmt.Errorf("elenco %q: %w", list, ErrNotFound)
	}
	code, label = strings.TrimSpace(code), strings.TrimSpace(label)
	var v ValidationError
	if code == "" {
		v = append(v, FieldError{"Code", "Indicare il codice del valore."})
	}
	if label == "" {
		v = append(v, FieldError{"Label", "Indicare la descrizione del valore."})
	}
	if len(v) > 0 {
		return v
	}
	id := fixedID(s.db.officeID, "code|"+list+"|"+code)
	return s.saveRoot(ctx, id, kindCodeValue, codeValue{List: list, Code: code, Label: label, Retired: retired}, ActionSettings)
}

// saveRoot writes one record without parent with its audit entry.
func (s *Session) saveRoot(ctx context.Context, id ID, kind string, v any, a Action) error {
	keys, err := s.subkeys()
	if err != nil {
		return err
	}
	me := s.Operator()
	return s.db.inTx(ctx, func(tx querier) error {
		if _, err := s.putRecord(ctx, tx, keys, id, kind, nil, false, v); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, keys, AuditEntry{OperatorID: me.ID, Operator: me.Username, Action: a, Kind: kind, RecordID: id})
	})
}

// ActiveCodes is a list's values offered for new records, by label.
func ActiveCodes(l assets.CodeList) []assets.Code {
	var out []assets.Code
	for _, c := range l.Codes {
		if !c.Retired {
			out = append(out, c)
		}
	}
	return out
}
