// Package demo builds a demo office full of realistic synthetic people, so
// that every screen and every export has something real to show. Nothing
// here describes a real person: names are drawn at random from common ones
// and the codici fiscali are computed from the invented data.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"cartella/assets"
	"cartella/store"
	"cartella/store/codicefiscale"
	"cartella/store/vault"
)

// Operator and office data of the demo office.
const (
	Username = "demo"
)

// Generator draws synthetic persons. It is deterministic for a given seed.
type Generator struct {
	r      *rand.Rand
	places *assets.Places
	now    time.Time
	comuni []assets.Place
	home   assets.Place
}

// NewGenerator returns a generator whose persons mostly live in home (a
// Belfiore code; empty picks a mid-sized comune).
func NewGenerator(seed uint64, places *assets.Places, now time.Time, home string) *Generator {
	g := &Generator{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), places: places, now: now}
	g.comuni = places.Comuni()
	if p, ok := places.ByCode(home, now); ok {
		g.home = p
	} else {
		g.home, _ = places.ByCode("D612", now) // Firenze
	}
	return g
}

// Home is the comune where most demo persons live.
func (g *Generator) Home() assets.Place { return g.home }

func (g *Generator) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }

// birthDate spreads ages like a social-services caseload: many elderly,
// many minors and families, some adults of working age.
func (g *Generator) birthDate() time.Time {
	var age int
	switch x := g.r.IntN(100); {
	case x < 20:
		age = g.r.IntN(18) // minors
	case x < 55:
		age = 18 + g.r.IntN(47)
	default:
		age = 65 + g.r.IntN(36) // up to 100
	}
	d := g.now.AddDate(-age, 0, -g.r.IntN(365))
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
}

// Person draws one person: about one in six foreign-born.
func (g *Generator) Person() store.Person {
	p := store.Person{BirthDate: g.birthDate()}
	female := g.r.IntN(2) == 0
	if female {
		p.Sex = "F"
	} else {
		p.Sex = "M"
	}
	if g.r.IntN(6) == 0 {
		f := foreignPeople[g.r.IntN(len(foreignPeople))]
		p.Surname = g.pick(f.Surnames)
		if female {
			p.GivenName = g.pick(f.Female)
		} else {
			p.GivenName = g.pick(f.Male)
		}
		p.BirthPlace = f.State
		// Ceased states only for people born while they existed.
		if !g.places.ValidAt(f.State, p.BirthDate) {
			p.BirthPlace = "Z100"
		}
		p.Citizenship = "000"
		if st, ok := g.places.ByCode(p.BirthPlace, time.Time{}); ok {
			p.Citizenship = st.IstatCode
		}
		if _, ok := g.places.CitizenshipByCode(p.Citizenship); !ok || g.r.IntN(5) == 0 {
			p.Citizenship = "100" // naturalised, or a state with no current citizenship
		}
	} else {
		p.Surname = g.pick(surnames)
		if female {
			p.GivenName = g.pick(femaleNames)
		} else {
			p.GivenName = g.pick(maleNames)
		}
		p.BirthPlace = g.birthComune(p.BirthDate)
		p.Citizenship = "100"
	}
	cf, err := codicefiscale.Compute(p.Surname, p.GivenName, p.Sex[0], p.BirthDate, p.BirthPlace)
	if err == nil {
		p.CodiceFiscale = cf
	}
	p.Residence = store.Address{
		ComuneCode: g.home.Code,
		Street:     fmt.Sprintf("%s %d", g.pick(streets), 1+g.r.IntN(120)),
		CAP:        "50100",
	}
	if g.r.IntN(10) == 0 {
		c := g.comuni[g.r.IntN(len(g.comuni))]
		p.Residence.ComuneCode = c.Code
		p.Residence.CAP = ""
	}
	return p
}

// birthComune is the home comune half of the time, otherwise any comune
// that existed on the birth date.
func (g *Generator) birthComune(birth time.Time) string {
	if g.r.IntN(2) == 0 && g.home.ValidAt(birth) {
		return g.home.Code
	}
	for range 20 {
		c := g.comuni[g.r.IntN(len(g.comuni))]
		if c.ValidAt(birth) {
			return c.Code
		}
	}
	return g.home.Code
}

// Persons draws n persons.
func (g *Generator) Persons(n int) []store.Person {
	ps := make([]store.Person, n)
	for i := range ps {
		ps[i] = g.Person()
	}
	return ps
}

// Options of a demo office.
type Options struct {
	Persons  int
	Password string
	Seed     uint64
	// Params of Argon2id; zero calibrates like a real office.
	Params vault.Params
	// Progress, when set, is called with the number of persons saved.
	Progress func(done, total int)
	// NoIntake leaves out accesses, diary, documents (tests that start
	// from empty records).
	NoIntake bool
}

// CreateOffice creates the demo office in db and fills it. It returns the
// logged-in session of the demo operator (a responsabile).
func CreateOffice(ctx context.Context, db *store.DB, opt Options) (*store.Session, error) {
	now := time.Now()
	g := NewGenerator(opt.Seed+1, db.Places(), now, "D612")
	home := g.Home()
	s, _, err := db.CreateOffice(ctx, store.OfficeSetup{
		Office: store.Office{
			Name:       "Servizi Sociali del Comune di " + home.Name + " (DEMO)",
			ComuneCode: home.Code,
			SIUSSCode:  "DEMO" + strings.TrimLeft(home.IstatCode, "0"),
		},
		Operator: store.Operator{Username: Username, GivenName: "Operatore", Surname: "Dimostrativo", Role: store.RoleResponsabile},
		Password: opt.Password,
		Params:   opt.Params,
	})
	if err != nil {
		return nil, err
	}
	const batch = 2000
	for done := 0; done < opt.Persons; {
		n := min(batch, opt.Persons-done)
		if _, err := s.SavePersons(ctx, g.Persons(n)); err != nil {
			s.Lock()
			return nil, err
		}
		done += n
		if opt.Progress != nil {
			opt.Progress(done, opt.Persons)
		}
		if err := ctx.Err(); err != nil {
			s.Lock()
			return nil, err
		}
	}
	if opt.NoIntake {
		return s, nil
	}
	if err := fillIntake(ctx, s, g, min(opt.Persons, 60)); err != nil {
		s.Lock()
		return nil, err
	}
	return s, nil
}
