package main

import "testing"

func TestProper(t *testing.T) {
	c := newCaser()
	votes := map[string]map[string]int{}
	c.learn("Sotto il Monte Giovanni XXIII", votes)
	c.learn("Castelletto sopra Ticino", votes)
	c.finish(votes)
	tests := []struct{ in, want string }{
		{"SAN GIULIANO TERME", "San Giuliano Terme"},
		{"REGGIO NELL'EMILIA", "Reggio nell'Emilia"},
		{"ACQUAVIVA D'ISERNIA", "Acquaviva d'Isernia"},
		{"SANT'ANGELO DEI LOMBARDI", "Sant'Angelo dei Lombardi"},
		{"L'AQUILA", "L'Aquila"},
		{"AGLIÈ", "Agliè"},
		{"OCCISLA-CLANZO", "Occisla-Clanzo"},
		{"CASSANO ALLO IONIO", "Cassano allo Ionio"},
		{"TRINIDAD E TOBAGO", "Trinidad e Tobago"},
		{"PERU'", "Perù"},
		{"BOFFALORA SOPRA TICINO", "Boffalora sopra Ticino"}, // learned
		{"OSIO SOTTO", "Osio Sotto"},
		{"SOTTO IL MONTE GIOVANNI XXIII", "Sotto il Monte Giovanni XXIII"},
		{"PIO XII", "Pio XII"},
		{"EHRENBURG.", "Ehrenburg."},
	}
	for _, tt := range tests {
		if got := c.proper(tt.in); got != tt.want {
			t.Errorf("proper(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFillLost(t *testing.T) {
	got := fillLost("Sovodnje ob So?i", "COMUNE DI X", "SAVOGNA D'ISONZO-SOVODNJE OB SOČI")
	if want := "Sovodnje ob Soči"; got != want {
		t.Errorf("fillLost = %q, want %q", got, want)
	}
	if got := repairCP1252("\u008ateverjan"); got != "Števerjan" {
		t.Errorf("repairCP1252 = %q", got)
	}
}

func TestSentence(t *testing.T) {
	for in, want := range map[string]string{"NON ATTRIBUIBILE": "Non attribuibile", "In corso di definizione": "In corso di definizione", "ITALIA": "Italia"} {
		if got := sentence(in); got != want {
			t.Errorf("sentence(%q) = %q, want %q", in, got, want)
		}
	}
}
