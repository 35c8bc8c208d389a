package codicefiscale

import (
	"testing"
	"time"
)

// FuzzParse checks that Parse never panics and that what it accepts is
// stable: the normalised code parses again to the same result, and
// Canonical is idempotent and keeps the decoded data.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"CCCFBA85D03L219P", "CCCFBAURDLPLNMVU", "ccc fba 85 d03 l219 p", "CCCFBA85D03L219",
		"CCCFBA85B30L219F", "MRTMRA83T56A269B", "12345678903", "STP0303011234567", "ENI1201090000123",
		"STPMRA80A01H501Q", "", "-", "ÀÈÌ", "RSSMRA00B29H501Z",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, code string) {
		info, err := Parse(code, ref)
		canon := Canonical(code)
		if Canonical(canon) != canon {
			t.Fatalf("Canonical not idempotent: %q -> %q -> %q", code, canon, Canonical(canon))
		}
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %T is not *Error", err)
			}
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		norm := Normalize(code)
		if info.Code != norm || Normalize(norm) != norm {
			t.Fatalf("Code %q, Normalize %q, again %q", info.Code, norm, Normalize(norm))
		}
		again, err := Parse(info.Code, ref)
		if err != nil || again != info {
			t.Fatalf("re-parse of %q: %+v, %v; first %+v", info.Code, again, err, info)
		}
		if info.Kind != Ordinary {
			if canon != norm {
				t.Fatalf("Canonical(%q) = %q for a %v", code, canon, info.Kind)
			}
			return
		}
		ci, err := Parse(canon, ref)
		if err != nil || ci.Birth != info.Birth || ci.Sex != info.Sex || ci.PlaceCode != info.PlaceCode {
			t.Fatalf("canonical %q parses to %+v, %v; original %+v", canon, ci, err, info)
		}
		if !Matches(code, "", "", info.Sex, info.Birth, info.PlaceCode) {
			t.Fatalf("%q does not match its own data %+v", code, info)
		}
	})
}

// FuzzCompute checks that whatever Compute accepts validates and matches
// the data it came from.
func FuzzCompute(f *testing.F) {
	f.Add("Rossi", "Mario", byte('M'), 20000, "H501")
	f.Add("D'Àngelo", "Zoë", byte('f'), -25000, "z118")
	f.Add("Ștefănescu Nguyễn", "Jean-Pierre", byte('F'), 0, "A001")
	f.Fuzz(func(t *testing.T, surname, name string, sex byte, days int, place string) {
		birth := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, days%100000)
		code, err := Compute(surname, name, sex, birth, place)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %T is not *Error", err)
			}
			return
		}
		info, err := Validate(code, nil, birth, ref)
		if err != nil {
			t.Fatalf("Validate(%s): %v", code, err)
		}
		if !info.Birth.Equal(birth) || info.PlaceCode != Normalize(place) {
			t.Fatalf("%s decodes to %+v, want %v %s", code, info, birth, place)
		}
		if !Matches(code, surname, name, sex, birth, place) {
			t.Fatalf("Matches(%s, %q, %q, %q, %v, %q) = false", code, surname, name, sex, birth, place)
		}
	})
}
