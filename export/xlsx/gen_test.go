package xlsx

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"cartella/assets"
)

// genFile generates an export of n rows and returns it with its bad lines.
func genFile(t testing.TB, n int, share float64, seed uint64) ([]byte, []int) {
	t.Helper()
	var buf bytes.Buffer
	bad, err := GenerateAnagrafeCSV(&buf, n, share, seed, assets.LoadPlaces())
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), bad
}

func TestGenerated10000(t *testing.T) {
	data, bad := genFile(t, 10000, 0.02, 1)
	if len(bad) != 200 || !slices.IsSorted(bad) {
		t.Fatalf("%d bad lines (sorted %v), want 200", len(bad), slices.IsSorted(bad))
	}
	tab, err := ReadTable(bytes.NewReader(data), "anagrafe.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Rows) != 10000 || tab.Lines != nil {
		t.Fatalf("%d rows, lines %v", len(tab.Rows), tab.Lines != nil)
	}
	m := GuessMapping(tab.Header)
	if len(m) != len(GenHeader) {
		t.Fatalf("mapping %v misses columns of %v", m, tab.Header)
	}
	rows, errs := ParseRows(tab, m, assets.LoadPlaces(), genNow)
	if len(rows) != 10000-len(bad) || len(errs) != len(bad) {
		t.Errorf("%d rows, %d errors; want %d and %d", len(rows), len(errs), 10000-len(bad), len(bad))
	}
	badSet := map[int]bool{}
	for _, l := range bad {
		badSet[l] = true
	}
	for i, e := range errs {
		if i < len(bad) && e.Line != bad[i] {
			t.Errorf("error %d on line %d, want %d (%s)", i, e.Line, bad[i], e.Reason)
			break
		}
	}
	for _, r := range rows {
		if badSet[r.Line] {
			t.Errorf("bad line %d returned as good", r.Line)
		}
	}
	for i := 0; i < 10 && i < len(errs); i++ {
		t.Log(errs[i].Error())
	}
}

func TestCitizenshipAdjectivesResolve(t *testing.T) {
	p := newParser(assets.LoadPlaces(), genNow)
	for adj, state := range citizenshipAdjectives {
		if _, ok := p.citizenship(state); !ok {
			t.Errorf("%s → %s: state not in the citizenship list", adj, state)
		}
	}
}

func TestGeneratedHouseholds(t *testing.T) {
	data, bad := genFile(t, 3000, 0, 3)
	if len(bad) != 0 {
		t.Fatal(bad)
	}
	again, _ := genFile(t, 3000, 0, 3)
	if !bytes.Equal(data, again) {
		t.Fatal("same seed, different file")
	}
	other, _ := genFile(t, 3000, 0, 4)
	if bytes.Equal(data, other) {
		t.Fatal("different seeds, same file")
	}
	tab, err := ReadTable(bytes.NewReader(data), "a.csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, errs := ParseRows(tab, GuessMapping(tab.Header), nil, genNow)
	if len(errs) != 0 || len(rows) != 3000 {
		t.Fatalf("%d rows, errors %v", len(rows), errs[:min(len(errs), 5)])
	}
	type fam struct {
		heads, spouses, members int
		street                  string
	}
	fams := map[string]*fam{}
	foreign, order := 0, []string{}
	for _, r := range rows {
		f := fams[r.FamilyID]
		if f == nil {
			f = &fam{street: r.Street}
			fams[r.FamilyID] = f
			order = append(order, r.FamilyID)
			if r.Relationship != RelIntestatario {
				t.Errorf("line %d: family %s does not start with its head", r.Line, r.FamilyID)
			}
		}
		f.members++
		switch r.Relationship {
		case RelIntestatario:
			f.heads++
		case RelConiuge:
			f.spouses++
		}
		if r.Street != f.street || r.ResidenceComune != "B036" || r.CAP != "50032" {
			t.Errorf("line %d: address %q %s %s differs from the family's", r.Line, r.Street, r.ResidenceComune, r.CAP)
		}
		if strings.HasPrefix(r.BirthPlace, "Z") {
			foreign++
			if r.Citizenship == assets.Italian {
				t.Errorf("line %d: born abroad with Italian citizenship", r.Line)
			}
		}
	}
	sizes := map[int]int{}
	for _, id := range order {
		f := fams[id]
		if f.heads != 1 || f.spouses > 1 {
			t.Errorf("family %s: %d heads, %d spouses", id, f.heads, f.spouses)
		}
		sizes[min(f.members, 5)]++
	}
	t.Logf("%d families, sizes %v, %d born abroad", len(fams), sizes, foreign)
	if sizes[1] == 0 || sizes[3] == 0 || sizes[5] == 0 || foreign < 50 {
		t.Error("households are not varied enough")
	}
}
