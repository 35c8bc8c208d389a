package xlsx

import (
	"strconv"
	"strings"
	"sync"

	"cartella/assets"
)

// Relationship codes (ANPR Tabella 5, assets.ListParentela) used by the
// generator and worth naming.
const (
	RelIntestatario = "1" // Intestatario scheda: head of household
	RelConiuge      = "2" // Marito/Moglie
	RelFiglio       = "3" // Figlio/Figlia
)

type relTable struct {
	labels  map[string]string // code → ANPR label
	byLabel map[string]string // folded label or synonym → code
}

var (
	relOnce sync.Once
	rels    relTable
)

// relationships indexes the ANPR list of relationships to the head of the
// household. Retired codes are accepted: registries still hold them.
func relationships() *relTable {
	relOnce.Do(func() {
		rels = relTable{labels: map[string]string{}, byLabel: map[string]string{}}
		list := assets.MustList(assets.ListParentela)
		// Whole labels first, then each side of "Marito/Moglie", with and
		// without the parenthesis, so that "NIPOTE" is the generic code 81
		// while "ZIO" finds the first (collateral) entry.
		for _, c := range list.Codes {
			rels.labels[c.Code] = c.Label
			rels.byLabel[fold(c.Label)] = c.Code
		}
		for _, c := range list.Codes {
			for _, part := range strings.Split(c.Label, "/") {
				short := part
				if i := strings.IndexByte(part, '('); i > 0 {
					short = part[:i]
				}
				for _, k := range []string{fold(part), fold(short)} {
					if rels.byLabel[k] == "" {
						rels.byLabel[k] = c.Code
					}
				}
			}
		}
		for k, code := range map[string]string{
			"INTESTATARIO": "1", "INTESTATARIA": "1", "CAPOFAMIGLIA": "1", "CAPO FAMIGLIA": "1", "IS": "1",
			"CONIUGE": "2", "CONSORTE": "2", "FIGLI": "3", "CONVIVENTE": "23",
			"UNITO CIVILMENTE": "28", "UNITA CIVILMENTE": "28", "PARTE UNIONE CIVILE": "28",
			"NON DEFINITO": "99", "NON COMUNICATO": "99",
		} {
			rels.byLabel[k] = code
		}
	})
	return &rels
}

// RelationshipLabel is the ANPR label of a relationship code ("" if unknown).
func RelationshipLabel(code string) string {
	return relationships().labels[code]
}

// relationshipCode resolves an ANPR code ("01" or "1") or a label
// ("FIGLIO", "Marito / Moglie", "coniuge").
func relationshipCode(v string) (string, bool) {
	t := relationships()
	if n, err := strconv.Atoi(v); err == nil {
		c := strconv.Itoa(n)
		_, ok := t.labels[c]
		return c, ok
	}
	c, ok := t.byLabel[fold(v)]
	return c, ok
}
