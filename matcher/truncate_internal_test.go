package matcher

import (
	"testing"
	"unicode/utf8"
)

func TestCutLastWord(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"OLEKSANDR OLEKSANDR", "OLEKSANDR O"},
		{"ANTONIO AGU", "ANTONIO A"},
		{"ABDULRAHMAN BIN KAMAL BIN AH", "ABDULRAHMAN BIN KAMAL"},
		{"ABD ALLAH BIN MAJID BIN YU", "ABD ALLAH BIN MAJID"},
		{"Ali ibn Abd", "Ali"},
		{"MUHAMMAD ABD AL", "MUHAMMAD"},
		{"KARIM ABDUL RA", "KARIM"},
		{"BIN AH", ""}, // the caller keeps the name as read
		{"ABU ABDULLAH", ""},
		{"SEAN O'BRIEN", "SEAN O"},
		{"MARIA DE LA CONCEPC", "MARIA"},
		{"Ali 'Abd", "Ali A"},
		{"ZIMINENKO OLEKSANDR 9", "ZIMINENKO OLEKSANDR 9"},
		{"HAMAD BIN ARIF BIN A", "HAMAD BIN ARIF"},
		{"DAWOOD ASAAD ABD AL HA", "DAWOOD ASAAD"},
		{"AL ABD AL HA", ""},
		{"SMITH J", "SMITH J"},
		{"J", "J"},
		{"", ""},
		{"  ", "  "},
		{"Ždanov-Ivanč", "Ždanov-I"},
		{"JEAN-PIERRE DE LA", "JEAN-PIERRE"},
		{"ЗИМИНЕНКО ОЛЕКСАНДР ОЛЕК", "ЗИМИНЕНКО ОЛЕКСАНДР ОЛЕК"}, // not Latin: left whole
		{"MARIA ANNA<<", "MARIA A"},
	} {
		if got := cutLastWord(tc.in); got != tc.want {
			t.Errorf("cutLastWord(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestTruncatedQueryText(t *testing.T) {
	for _, tc := range []struct {
		q    Query
		want string // "" when no cut form is searched
	}{
		{Query{Given: "ANTONIO AGU", Family: "SANCHEZ HERNANDEZ", Truncated: true}, "ANTONIO A SANCHEZ HERNANDEZ"},
		{Query{Given: "ANTONIO AGU", Family: "SANCHEZ HERNANDEZ"}, ""},
		{Query{Family: "WOLFESCHLEGELSTEINHAUSEN BERGERDO", Truncated: true}, "WOLFESCHLEGELSTEINHAUSEN B"},
		{Query{Name: "ANNA MARIA ERIKSSO", Truncated: true}, "ANNA MARIA E"},
		{Query{Given: "JOHNATHANALEXANDERMAXIMILIAN", Family: "X", Truncated: true}, ""},
		{Query{Family: "VAN DER MEERSCHAUTERBERGHENSEN", Truncated: true}, ""},
		{Query{Given: "ABU ABDULLAH", Family: "AL HASHIMI AZZAM", Truncated: true}, "AL HASHIMI AZZAM"},
		{Query{Name: "ЗИМИНЕНКО ОЛЕКСАНДР ЩЕРБАК", Truncated: true}, ""},
	} {
		got, ok := tc.q.cutText()
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("%+v: cutText() = %q, %v; want %q", tc.q, got, ok, tc.want)
		}
	}
}

func FuzzCutLastWord(f *testing.F) {
	for _, s := range []string{"OLEKSANDR OLEKSANDR", "HAMAD BIN ARIF BIN A", "ЗИМИНЕНКО ОЛЕК", "A<<B", "\xff\xfe AB", "محمد بن عب"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := cutLastWord(s)
		if len(got) > len(s) {
			t.Fatalf("cutLastWord(%q) = %q, longer", s, got)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("cutLastWord(%q) = %q, not UTF-8", s, got)
		}
	})
}
