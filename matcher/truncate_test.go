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

// TestTruncatedNeverLosesAHit screens full MRZ name fields, some not cut
// at all and some cut where the cut form is poor: the listed person is
// found as read, and marking the name as cut finds them still, with a score
// no lower (the name as read is searched too, and a record keeps its
// better score).
func TestTruncatedNeverLosesAHit(t *testing.T) {
	dob := matcher.Date{Year: 1971, Month: 3, Day: 4}
	for _, c := range []struct {
		mrz, listed, family, given string
	}{
		// exact fit: nothing was cut, but the field is full
		{"GARCIA<LOPEZ<<MARIA<DE<LA<CRUZ", "MARIA DE LA CRUZ GARCIA LOPEZ", "GARCIA LOPEZ", "MARIA DE LA CRUZ"},
		// cut after DE LA: the cut form drops DE LA CONCEPC (MARIA HERNANDEZ)
		{"HERNANDEZ<<MARIA<DE<LA<CONCEPC", "MARIA DE LA CONCEPCION HERNANDEZ", "HERNANDEZ", "MARIA DE LA CONCEPC"},
		// a cut word after a leading particle: the given names go
		{"AL<HASHIMI<AZZAM<<ABU<ABDULLAH", "ABU ABDULLAH AL-HASHIMI AZZAM", "AL HASHIMI AZZAM", "ABU ABDULLAH"},
		// a cut ABD AL name: ABD and AL go with the cut word
		{"RAHMANZADEH<<ABD<AL<HAKIMULLAH", "ABD AL HAKIMULLAH RAHMANZADEH", "RAHMANZADEH", "ABD AL HAKIMULLAH"},
	} {
		if len(c.mrz) != 30 {
			t.Fatalf("%s: %d letters, not a full TD1 field", c.mrz, len(c.mrz))
		}
		ix := matcher.NewIndex(matcher.Options{})
		if err := ix.Upsert(matcher.Record{Key: "k", Kind: matcher.Person, BirthDates: []matcher.Date{dob},
			Names: []matcher.RecordName{{Full: c.listed}}}); err != nil {
			t.Fatal(err)
		}
		score := func(truncated bool) float64 {
			ms, err := ix.Search(matcher.Query{Kind: matcher.Person, Family: c.family, Given: c.given,
				BirthDate: dob, Truncated: truncated}, matcher.SearchOptions{})
			if err != nil {
				t.Fatalf("%s: %v", c.mrz, err)
			}
			if len(ms) == 0 {
				return 0
			}
			return ms[0].Score
		}
		asRead, cut := score(false), score(true)
		if asRead == 0 {
			t.Errorf("%s (listed %s): not found as read", c.mrz, c.listed)
		}
		if cut < asRead {
			t.Errorf("%s (listed %s): %.4f marked as cut, %.4f as read", c.mrz, c.listed, cut, asRead)
		}
	}
}
