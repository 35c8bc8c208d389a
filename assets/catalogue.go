package assets

import (
	"fmt"
	"slices"
)

// Service is a sub-category of the catalogue of services a citizen can
// request at the front desk (servizi richiesti).
type Service struct {
	Code  string // stable, e.g. "M03.01"; never reused for another service
	Label string // Italian
	// SIUSSCode is the INPS SIUSS prestazione code that plainly matches the
	// service ("A1.04"), or "" when none does. It is a hint for the
	// interventions catalogue, not an export value by itself.
	SIUSSCode string
	Retired   bool // kept readable on old requests, not offered for new ones
}

// ServiceArea is one of the 12 macro-areas of the catalogue.
type ServiceArea struct {
	Code, Label string // "M03", "Contributi economici e sostegno al reddito"
	Services    []Service
}

// Active returns the services of the area offered for new requests.
func (a ServiceArea) Active() []Service {
	out := make([]Service, 0, len(a.Services))
	for _, s := range a.Services {
		if !s.Retired {
			out = append(out, s)
		}
	}
	return out
}

// Catalogue returns the default catalogue of services, areas and services in
// display order. data/codes/CATALOGO.md documents it. The slices are the
// caller's.
func Catalogue() []ServiceArea {
	cat := codeTables().cat
	out := make([]ServiceArea, len(cat))
	for i, a := range cat {
		a.Services = slices.Clone(a.Services)
		out[i] = a
	}
	return out
}

// ServiceByCode finds a service of the default catalogue, retired ones
// included, with its area.
func ServiceByCode(code string) (ServiceArea, Service, bool) {
	for _, a := range codeTables().cat {
		for _, s := range a.Services {
			if s.Code == code {
				a.Services = slices.Clone(a.Services)
				return a, s, true
			}
		}
	}
	return ServiceArea{}, Service{}, false
}

// parseCatalogue reads catalogo_servizi.csv: area, area_label, code, label,
// siuss, retired. Rows of an area are contiguous.
func parseCatalogue() ([]ServiceArea, error) {
	const file = "catalogo_servizi.csv"
	rows, err := readCSV(file, 6)
	if err != nil {
		return nil, err
	}
	var cat []ServiceArea
	for i, r := range rows {
		ret, err := retired(file, i+2, r[5])
		if err != nil {
			return nil, err
		}
		n := len(cat)
		if n == 0 || cat[n-1].Code != r[0] {
			if slices.ContainsFunc(cat, func(a ServiceArea) bool { return a.Code == r[0] }) {
				return nil, fmt.Errorf("%s line %d: rows of area %s are not contiguous", file, i+2, r[0])
			}
			cat = append(cat, ServiceArea{Code: r[0], Label: r[1]})
			n++
		} else if cat[n-1].Label != r[1] {
			return nil, fmt.Errorf("%s line %d: area %s has two labels", file, i+2, r[0])
		}
		cat[n-1].Services = append(cat[n-1].Services, Service{Code: r[2], Label: r[3], SIUSSCode: r[4], Retired: ret})
	}
	return cat, nil
}
