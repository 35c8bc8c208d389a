package demo

// Synthetic names: common Italian surnames and given names, and a few
// foreign ones by country, so lists look like a real office's.
var surnames = []string{
	"Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
	"Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano", "Rizzo", "Lombardi", "Moretti",
	"Barbieri", "Fontana", "Santoro", "Mariani", "Rinaldi", "Caruso", "Ferrara", "Galli", "Martini", "Leone",
	"Longo", "Gentile", "Martinelli", "Vitale", "Lombardo", "Serra", "Coppola", "De Santis", "D'Angelo", "Marchetti",
	"Parisi", "Villa", "Conte", "Ferraro", "Ferri", "Fabbri", "Bianco", "Marini", "Grasso", "Valentini",
	"Messina", "Sala", "De Angelis", "Gatti", "Pellegrini", "Palumbo", "Sanna", "Farina", "Rizzi", "Monti",
	"Cattaneo", "Morelli", "Amato", "Silvestri", "Mazza", "Testa", "Grassi", "Pellegrino", "Carbone", "Giuliani",
	"Benedetti", "Barone", "Rossetti", "Caputo", "Montanari", "Guerra", "Palmieri", "Bernardi", "Martino", "Fiore",
	"De Rosa", "Ferretti", "Bellini", "Basile", "Riva", "Donati", "Piras", "Vitali", "Battaglia", "Sartori",
	"Neri", "Costantini", "Milani", "Pagano", "Ruggiero", "Sorrentino", "D'Amico", "Orlando", "Damico", "Negri",
	"Dell'Acqua", "Fò", "Nicolò", "Zanetti", "Bortolotti", "Cocco", "Lo Presti", "Di Stefano", "Mele", "Sanfilippo",
}

var maleNames = []string{
	"Giuseppe", "Giovanni", "Antonio", "Mario", "Luigi", "Francesco", "Angelo", "Vincenzo", "Pietro", "Salvatore",
	"Carlo", "Franco", "Domenico", "Bruno", "Paolo", "Michele", "Giorgio", "Aldo", "Sergio", "Luciano",
	"Alessandro", "Andrea", "Marco", "Matteo", "Lorenzo", "Leonardo", "Gabriele", "Riccardo", "Tommaso", "Edoardo",
	"Davide", "Federico", "Stefano", "Roberto", "Massimo", "Fabio", "Simone", "Nicola", "Emanuele", "Niccolò",
	"Gian Luca", "Pier Paolo", "Raffaele", "Enrico", "Claudio", "Alberto", "Filippo", "Diego", "Samuele", "Christian",
}

var femaleNames = []string{
	"Maria", "Anna", "Giuseppina", "Rosa", "Angela", "Giovanna", "Teresa", "Lucia", "Carmela", "Caterina",
	"Francesca", "Antonietta", "Carla", "Elena", "Concetta", "Rita", "Margherita", "Franca", "Paola", "Laura",
	"Giulia", "Sofia", "Aurora", "Alice", "Ginevra", "Emma", "Giorgia", "Beatrice", "Chiara", "Martina",
	"Sara", "Valentina", "Federica", "Silvia", "Alessandra", "Roberta", "Monica", "Elisa", "Noemi", "Ilaria",
	"Anna Maria", "Maria Grazia", "Rosaria", "Nicoletta", "Simona", "Daniela", "Barbara", "Cristina", "Irene", "Gaia",
}

// foreignPeople are surnames and given names by birth state (Z-code), for
// the foreign-born part of the office.
var foreignPeople = []struct {
	State    string
	Surnames []string
	Male     []string
	Female   []string
}{
	{"Z330", []string{"El Amrani", "Benali", "Ait Hadda", "Bouzid", "Chraibi"}, []string{"Mohamed", "Youssef", "Said", "Karim"}, []string{"Fatima", "Khadija", "Amina", "Salma"}},
	{"Z129", []string{"Popescu", "Ionescu", "Dumitru", "Stan", "Munteanu"}, []string{"Andrei", "Ion", "Mihai", "Florin"}, []string{"Elena", "Ioana", "Maria", "Andreea"}},
	{"Z100", []string{"Hoxha", "Shehu", "Krasniqi", "Gjoka", "Leka"}, []string{"Arben", "Ilir", "Besnik", "Gentian"}, []string{"Elira", "Jonida", "Mirela", "Anila"}},
	{"Z138", []string{"Kovalenko", "Shevchenko", "Bondarenko", "Tkachenko"}, []string{"Oleksandr", "Andriy", "Serhiy"}, []string{"Olena", "Natalia", "Iryna", "Oksana"}},
	{"Z210", []string{"Wang", "Li", "Zhang", "Chen", "Liu"}, []string{"Wei", "Jun", "Hao"}, []string{"Xiu", "Mei", "Ling"}},
	{"Z343", []string{"Diop", "Ndiaye", "Fall", "Sow"}, []string{"Mamadou", "Cheikh", "Ousmane"}, []string{"Awa", "Aminata", "Fatou"}},
	{"Z335", []string{"Okafor", "Adeyemi", "Okoro", "Eze"}, []string{"Chinedu", "Emeka", "Tunde"}, []string{"Ngozi", "Chioma", "Blessing"}},
	{"Z216", []string{"Reyes", "Santos", "Cruz", "Bautista"}, []string{"Jose", "Mark", "Paolo"}, []string{"Maricel", "Jocelyn", "Rowena"}},
	{"Z118", []string{"Petrović", "Jovanović", "Nikolić", "Hodžić"}, []string{"Dragan", "Zoran", "Milan"}, []string{"Jasmina", "Snežana", "Vesna"}},
	{"Z135", []string{"Ivanov", "Smirnov", "Kuznetsov"}, []string{"Sergej", "Dmitrij"}, []string{"Tatiana", "Svetlana", "Olga"}},
	{"Z352", []string{"Ben Salah", "Trabelsi", "Jaziri"}, []string{"Ahmed", "Mehdi"}, []string{"Amel", "Sonia"}},
	{"Z605", []string{"Pérez", "Gómez", "Rodríguez"}, []string{"Carlos", "Luis"}, []string{"Lucía", "María José"}},
}

var streets = []string{
	"Via Roma", "Via Garibaldi", "Via Mazzini", "Corso Italia", "Via Vittorio Emanuele II", "Piazza della Repubblica",
	"Via Dante Alighieri", "Via Cavour", "Via Matteotti", "Via XX Settembre", "Via della Libertà", "Viale dei Tigli",
	"Via San Francesco d'Assisi", "Vicolo del Pozzo", "Via Aldo Moro", "Via Gramsci", "Via delle Rose", "Via Pascoli",
}
