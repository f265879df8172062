package matcher_test

import (
	"testing"

	"github.com/bordersec/portcullis/matcher"
)

// TestTruncatedMRZNames screens names as an MRZ cuts them when they do not
// fit its name field (the listed names are the generator's that gate
// streams once let through): with Truncated set each finds its entry.
func TestTruncatedMRZNames(t *testing.T) {
	ix := matcher.NewIndex(matcher.Options{})
	cases := []struct {
		listed         []string
		family, given  string
		foundUntrimmed bool // found even without Truncated
	}{
		{[]string{"OLEKSANDR OLEKSANDROVYCH ZIMINENKO", "Олександр Олександрович Зіміненко"}, "ZIMINENKO", "OLEKSANDR OLEKSANDR", false},
		{[]string{"ABDULRAHMAN BIN KAMAL BIN AHMAD AL-GHAMDI", "ABU HASSAN"}, "AL GHAMDI", "ABDULRAHMAN BIN KAMAL BIN AH", false},
		{[]string{"ANTONIO AGUSTÍN SÁNCHEZ HERNÁNDEZ"}, "SANCHEZ HERNANDEZ", "ANTONIO AGU", false},
		{[]string{"HAMAD BIN ARIF BIN ALI AL-SAYED", "حمد بن عارف بن علي السيد"}, "AL SAYED", "HAMAD BIN ARIF BIN A", false},
		{[]string{"ALEKSANDR STANISLAVOVICH DANILOV"}, "DANILOV", "ALEKSANDR STANISLAVOV", false},
		{[]string{"GBENGA OLUWADIPO TEMITOPE TINUBU"}, "TINUBU", "GBENGA OLUWADIPO TEMIT", false},
		{[]string{"SABER HAMZA MUHAMMAD AL-BAGHDADI", "ABU MUHAMMAD AL-BAGHDADI"}, "AL BAGHDADI", "SABER HAMZA MUHAM", false},
		{[]string{"MOHAMMAD MOSTAFIZUR SHAHID ISLAM"}, "ISLAM", "MOHAMMAD MOSTAFIZUR SHA", false},
		{[]string{"ANNA MARIA ERIKSSON"}, "ERIKSSON", "ANNA MARIA", true},
	}
	for i, tc := range cases {
		r := person(string(rune('a'+i)), tc.listed...)
		if err := ix.Upsert(r); err != nil {
			t.Fatal(err)
		}
	}
	for i, tc := range cases {
		want := string(rune('a' + i))
		for _, truncated := range []bool{true, false} {
			ms, err := ix.Search(matcher.Query{Kind: matcher.Person, Family: tc.family, Given: tc.given, Truncated: truncated}, matcher.SearchOptions{})
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, m := range ms {
				found = found || m.Key == want
			}
			if truncated && !found {
				t.Errorf("%s / %s, truncated: %s not found (hits %v)", tc.family, tc.given, tc.listed[0], keys(ms))
			}
			if !truncated && found != tc.foundUntrimmed {
				t.Errorf("%s / %s as read: found %v, want %v", tc.family, tc.given, found, tc.foundUntrimmed)
			}
		}
	}
}
