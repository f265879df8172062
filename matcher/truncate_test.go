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

// TestTruncatedNeverLosesAHit screens full MRZ name fields that were not
// cut (or were cut where the cut form is poor): marking them as cut must
// not lose a listed person found by the name as read.
func TestTruncatedNeverLosesAHit(t *testing.T) {
	dob := matcher.Date{Year: 1971, Month: 3, Day: 4}
	for _, c := range []struct {
		mrz, listed, family, given string
	}{
		// exact fit: nothing was cut, but the field is full
		{"GARCIA<LOPEZ<<MARIA<DE<LA<CRUZ", "MARIA DE LA CRUZ GARCIA LOPEZ", "GARCIA LOPEZ", "MARIA DE LA CRUZ"},
		// cut after DE LA: LA is not a particle, so DE LA C is left
		{"HERNANDEZ<<MARIA<DE<LA<CONCEPC", "MARIA DE LA CONCEPCION HERNANDEZ", "HERNANDEZ", "MARIA DE LA CONCEPC"},
		// cut word after a leading particle: ABU A (the BINA case the cut avoids)
		{"AL<HASHIMI<AZZAM<<ABU<ABDULLAH", "ABU ABDULLAH AL-HASHIMI AZZAM", "AL HASHIMI AZZAM", "ABU ABDULLAH"},
		// a cut ABD AL name: ABD is left to join the surname (ABDRAHMAN)
		{"RAHMANZADEH<<ABD<AL<HAKIMULLAH", "ABD AL HAKIMULLAH RAHMANZADEH", "RAHMANZADEH", "ABD AL HAKIMULLAH"},
		// no secondary identifier: the query becomes the particle VAN
		{"VAN<DER<MEERSCHAUTERBERGHENSEN", "VAN DER MEERSCHAUTERBERGHENSEN", "VAN DER MEERSCHAUTERBERGHENSEN", ""},
	} {
		if len(c.mrz) != 30 {
			t.Fatalf("%s: %d letters, not a full TD1 field", c.mrz, len(c.mrz))
		}
		ix := matcher.NewIndex(matcher.Options{})
		if err := ix.Upsert(matcher.Record{Key: "k", Kind: matcher.Person, BirthDates: []matcher.Date{dob},
			Names: []matcher.RecordName{{Full: c.listed}}}); err != nil {
			t.Fatal(err)
		}
		found := func(truncated bool) bool {
			ms, err := ix.Search(matcher.Query{Kind: matcher.Person, Family: c.family, Given: c.given,
				BirthDate: dob, Truncated: truncated}, matcher.SearchOptions{})
			if err != nil {
				t.Fatalf("%s: %v", c.mrz, err)
			}
			return len(ms) > 0
		}
		if found(false) && !found(true) {
			t.Errorf("%s (listed %s): found as read, missed with Truncated", c.mrz, c.listed)
		}
	}
}
