package assets

import (
	"cmp"
	"slices"
	"strings"
)

// Citizenship is a value of the ISTAT citizenship code list: a state's
// 3-digit ISTAT code with the state's name ("100" Italia, "436" Marocco),
// plus the special values 999 Apolide, 998 and 997.
type Citizenship struct{ Code, Name string }

// Italian is the ISTAT code of Italian citizenship.
const Italian = "100"

func (ps *Places) readCitizenships() error {
	rows, err := readTable("citizenships.csv", citizenshipsCSV, 2)
	if err != nil {
		return err
	}
	for _, r := range rows {
		ps.cits = append(ps.cits, Citizenship{Code: r[0], Name: r[1]})
	}
	// Italia first since most people are Italian; then states by name;
	// then the special values (9xx), which are not states.
	group := func(c Citizenship) int {
		switch {
		case c.Code == Italian:
			return 0
		case c.Code >= "900":
			return 2
		}
		return 1
	}
	slices.SortStableFunc(ps.cits, func(a, b Citizenship) int {
		return cmp.Or(cmp.Compare(group(a), group(b)), strings.Compare(fold(a.Name), fold(b.Name)))
	})
	return nil
}

// Citizenships returns the values allowed for a citizenship field, Italia
// first. The slice is the caller's.
func (ps *Places) Citizenships() []Citizenship {
	return slices.Clone(ps.cits)
}

// CitizenshipByCode finds a citizenship by its ISTAT code.
func (ps *Places) CitizenshipByCode(code string) (Citizenship, bool) {
	for _, c := range ps.cits {
		if c.Code == code {
			return c, true
		}
	}
	return Citizenship{}, false
}
