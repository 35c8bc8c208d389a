package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"cartella/assets"
)

const kindService = "service"

// serviceValue is a service a responsabile added to the catalogue, or a
// default service renamed or retired. Old requests keep their code, so a
// retired service stays readable on them.
type serviceValue struct {
	Area      string `json:"area"`
	Code      string `json:"code"`
	Label     string `json:"label"`
	SIUSSCode string `json:"siuss,omitempty"`
	Retired   bool   `json:"retired,omitempty"`
}

// Catalogue is the services catalogue with the office's changes.
func (s *Session) Catalogue(ctx context.Context) ([]assets.ServiceArea, error) {
	cat := assets.Catalogue()
	var changes []serviceValue
	err := s.scanKind(ctx, kindService, func(id ID, plain []byte) error {
		var v serviceValue
		if err := json.Unmarshal(plain, &v); err != nil {
			return fmt.Errorf("decode service: %w", err)
		}
		changes = append(changes, v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return mergeCatalogue(cat, changes), nil
}

func mergeCatalogue(cat []assets.ServiceArea, changes []serviceValue) []assets.ServiceArea {
	for _, v := range changes {
		for i := range cat {
			if cat[i].Code != v.Area {
				continue
			}
			found := false
			for j := range cat[i].Services {
				if cat[i].Services[j].Code == v.Code {
					cat[i].Services[j] = assets.Service{Code: v.Code, Label: v.Label, SIUSSCode: v.SIUSSCode, Retired: v.Retired}
					found = true
				}
			}
			if !found {
				cat[i].Services = append(cat[i].Services, assets.Service{Code: v.Code, Label: v.Label, SIUSSCode: v.SIUSSCode, Retired: v.Retired})
			}
		}
	}
	return cat
}

// ServiceLabel names a service of the catalogue as "Area → Servizio",
// retired ones included.
func ServiceLabel(cat []assets.ServiceArea, code string) string {
	for _, a := range cat {
		for _, sv := range a.Services {
			if sv.Code == code {
				return a.Label + " → " + sv.Label
			}
		}
	}
	return code
}

// SetService adds a service to an area of the catalogue, or renames or
// retires one (responsabile only).
func (s *Session) SetService(ctx context.Context, area, code, label, siuss string, retired bool) error {
	if err := s.require(PermSettings); err != nil {
		return err
	}
	code, label, siuss = strings.TrimSpace(code), strings.TrimSpace(label), strings.TrimSpace(siuss)
	known := false
	for _, a := range assets.Catalogue() {
		known = known || a.Code == area
	}
	var v ValidationError
	if !known {
		v = append(v, FieldError{"Area", "Scegliere la macro-area del catalogo."})
	}
	if code == "" {
		v = append(v, FieldError{"Code", "Indicare il codice del servizio."})
	}
	if label == "" {
		v = append(v, FieldError{"Label", "Indicare la descrizione del servizio."})
	}
	if len(v) > 0 {
		return v
	}
	id := fixedID(s.db.officeID, "service|"+code)
	return s.saveRoot(ctx, id, kindService, serviceValue{Area: area, Code: code, Label: label, SIUSSCode: siuss, Retired: retired}, ActionSettings)
}
