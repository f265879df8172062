package ofaccsv_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/listfmt/internal/listtest"
	"github.com/bordersec/portcullis/screening/listfmt/ofaccsv"
)

// fixture is the bundled copy of sdn.csv of 2024-05-03 (see
// fixtures/lists/ofac); set2021 is the 2021 file with its side files.
const (
	fixtureDir = "../../../fixtures/lists/ofac"
	set2021    = "testdata/sdn_2021-07-07"
)

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// independent counts what grep would: records (lines that start with an
// ent_num), individuals, and remark items that start with a word.
type independent struct {
	records, individuals, vessels, aircraft int
	items                                   map[string]int
}

var itemStart = regexp.MustCompile(`(?:^|; |")(alt\. )?(DOB|nationality|citizen|Gender|Passport|National ID No\.|a\.k\.a\.|f\.k\.a\.|n\.k\.a\.) `)

func count(data []byte) independent {
	c := independent{items: map[string]int{}}
	for _, line := range strings.Split(string(data), "\r\n") {
		if !regexp.MustCompile(`^\d+,`).MatchString(line) {
			continue
		}
		c.records++
		switch {
		case strings.Contains(line, `,"individual",`):
			c.individuals++
		case strings.Contains(line, `,"vessel",`):
			c.vessels++
		case strings.Contains(line, `,"aircraft",`):
			c.aircraft++
		}
		for _, m := range itemStart.FindAllStringSubmatch(line, -1) {
			c.items[m[2]]++
		}
	}
	return c
}

func TestRealList(t *testing.T) {
	data := readFile(t, fixtureDir+"/sdn.csv")
	r, err := ofaccsv.Open(os.DirFS(fixtureDir), "sdn.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	entries, skipped := listtest.ReadAll(t, r)
	for _, s := range skipped {
		t.Errorf("record error: %v", s)
	}
	listtest.CheckValid(t, entries)
	c := listtest.Count(entries, skipped)
	ind := count(data)
	st := r.Stats()
	for _, tt := range []struct {
		what      string
		got, want int
	}{
		{"records = lines starting with an ent_num", st.Records, ind.records},
		{"persons = individual lines", c.Persons, ind.individuals},
		{"organisations = other lines", c.Organizations, ind.records - ind.individuals},
		{"records", st.Records, 14965},
		{"persons", c.Persons, 6854},
		{"vessels", ind.vessels, 851},
		{"aircraft", ind.aircraft, 376},
	} {
		if tt.got != tt.want {
			t.Errorf("%s: got %d, want %d", tt.what, tt.got, tt.want)
		}
	}

	// Coverage of the remarks: every item the file has of each kind is met,
	// and nearly all are read.
	for _, tt := range []struct {
		kind    string
		seen    int     // independent count
		minRead float64 // share read
	}{
		{"DOB", ind.items["DOB"], 1},
		{"nationality", ind.items["nationality"], 0.98},
		{"citizen", ind.items["citizen"], 0.98},
		{"gender", ind.items["Gender"], 1},
		{"alias", ind.items["a.k.a."] + ind.items["f.k.a."] + ind.items["n.k.a."], 1},
		{"passport", ind.items["Passport"], 0.99},
	} {
		cov, ok := st.Remarks[tt.kind]
		if !ok {
			t.Errorf("%s: never met", tt.kind)
			continue
		}
		if cov.Seen < tt.seen {
			t.Errorf("%s: met %d items, the file has %d", tt.kind, cov.Seen, tt.seen)
		}
		if share := float64(cov.Read) / float64(cov.Seen); share < tt.minRead {
			t.Errorf("%s: read %d of %d (%.1f%%), want at least %.0f%%", tt.kind, cov.Read, cov.Seen, 100*share, 100*tt.minRead)
		}
	}
	// Unknown countries: place names in brackets, "possibly Palestinian",
	// "Region: Gaza" and "None Identified" are not countries. Every name of
	// a state must resolve.
	notStates := map[string]bool{"Cali": true, "Medellin": true, "Bogota": true, "Uraba": true,
		"possibly Palestinian": true, "Region: Gaza": true, "None Identified": true}
	for name, n := range st.UnknownCountries {
		if !notStates[name] {
			t.Errorf("country %q (%d times) does not resolve: add it to countryAliases", name, n)
		}
	}
	var kinds []string
	for k := range st.Remarks {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	var cov strings.Builder
	for _, k := range kinds {
		fmt.Fprintf(&cov, "remarks %s: read %d of %d\n", k, st.Remarks[k].Read, st.Remarks[k].Seen)
	}
	t.Logf("OFAC SDN 2024-05-03:\n%s%s", c, cov.String())
	listtest.Golden(t, "testdata/summary.golden", []byte(c.String()+cov.String()))
}

func byID(t *testing.T, entries []*screening.Entry, id string) *screening.Entry {
	t.Helper()
	for _, e := range entries {
		if e.ID == id {
			return e
		}
	}
	t.Fatalf("no entry %s", id)
	return nil
}

func person(family, given string) screening.Name {
	return screening.Name{Family: family, Given: given}
}

func TestKnownEntries(t *testing.T) {
	r, err := ofaccsv.Open(os.DirFS(fixtureDir), "sdn.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	entries, _ := listtest.ReadAll(t, r)
	tests := []screening.Entry{
		{
			ID: "306", Kind: screening.KindOrganization,
			Names:  []screening.Name{{Full: "BANCO NACIONAL DE CUBA"}, {Full: "BNC"}},
			Action: screening.ActionRefer, Reason: "OFAC SDN: CUBA", Source: "OFAC SDN List, ent_num 306",
		},
		{
			// DOB circa; aliases with an apostrophe inside the quotes.
			ID: "10327", Kind: screening.KindPerson,
			Names: []screening.Name{person("AL-DIBISKI", "Nur Al-Din"), person("AL-WARD", "Abu"), person("AL-WARD", "'Abd"),
				person("AL-WARUD", "Abu"), person("NAIM", "Abu")},
			BirthDates: []screening.Date{{Year: 1962, ToYear: 1964}},
			Documents:  []screening.Document{{Type: "P", Number: "1990/345751", Country: "LBY"}},
			Action:     screening.ActionRefer, Reason: "OFAC SDN: SDGT", Source: "OFAC SDN List, ent_num 10327",
		},
		{
			// A range of days over two years; title in the reason.
			ID: "15962", Kind: screening.KindPerson,
			Names:         []screening.Name{person("NIKOUSOKHAN", "Mahmoud")},
			BirthDates:    []screening.Date{{Year: 1961, ToYear: 1962}},
			Nationalities: []string{"IRN"},
			Documents:     []screening.Document{{Type: "P", Number: "U14624657", Country: "IRN"}},
			Action:        screening.ActionRefer,
			Reason:        "OFAC SDN: IRAN; Finance Director, National Iranian Oil Company; Director, Hong Kong Intertrade Company; Director, Petro Suisse Intertrade Company",
			Source:        "OFAC SDN List, ent_num 15962",
		},
		{
			// alt. DOB, gender, passports issued and expiring, a national ID.
			ID: "7513", Kind: screening.KindPerson,
			Names:         []screening.Name{person("MNANGAGWA", "Emmerson Dambudzo"), {Full: "CROCODILE"}},
			BirthDates:    []screening.Date{screening.Exact(1946, 9, 15), screening.Exact(1942, 9, 15)},
			Nationalities: []string{"ZWE"},
			Gender:        screening.GenderMale,
			Documents: []screening.Document{
				{Type: "P", Number: "AD005831", Country: "ZWE", Expiry: screening.Exact(2028, 1, 10), Note: "issued 11 Jan 2018; expires 10 Jan 2028"},
				{Type: "P", Number: "AD006846", Country: "ZWE", Expiry: screening.Exact(2025, 2, 3), Note: "issued 04 Feb 2020; expires 03 Feb 2025"},
				{Type: "I", Number: "63450183P67", Country: "ZWE"},
			},
			Action: screening.ActionRefer, Reason: "OFAC SDN: GLOMAG; President of Zimbabwe", Source: "OFAC SDN List, ent_num 7513",
		},
		{
			// A vessel: call sign, flag, IMO number.
			ID: "4249", Kind: screening.KindOrganization,
			Names:     []screening.Name{{Full: "TIFON"}},
			Countries: []string{"CUB"},
			Identifiers: []screening.Identifier{
				{Type: "Call Sign", Value: "CL2059"},
				{Type: "Vessel Registration Identification", Value: "IMO 7206512"},
			},
			Action: screening.ActionRefer, Reason: "OFAC SDN: CUBA; vessel", Source: "OFAC SDN List, ent_num 4249",
		},
		{
			// An aircraft: its numbers are identifiers.
			ID: "15431", Kind: screening.KindOrganization,
			Names: []screening.Name{{Full: "EP-GOM"}},
			Identifiers: []screening.Identifier{
				{Type: "Aircraft Construction Number (also called L/N or S/N or F/N)", Value: "8401"},
				{Type: "Aircraft Manufacturer's Serial Number (MSN)", Value: "1023409321"},
			},
			Action: screening.ActionRefer, Reason: "OFAC SDN: SDGT; aircraft", Source: "OFAC SDN List, ent_num 15431",
		},
	}
	for _, want := range tests {
		t.Run(want.ID, func(t *testing.T) {
			got := byID(t, entries, want.ID)
			if !reflect.DeepEqual(*got, want) {
				t.Errorf("got  %+v\nwant %+v", *got, want)
			}
		})
	}
}

// TestSideFiles reads the 2021 set: aliases from alt.csv, countries from
// add.csv, and remarks continued in sdn_comments.csv.
func TestSideFiles(t *testing.T) {
	data := readFile(t, set2021+"/sdn.csv")
	r, err := ofaccsv.Open(os.DirFS(set2021), "sdn.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	entries, skipped := listtest.ReadAll(t, r)
	for _, s := range skipped {
		t.Errorf("record error: %v", s)
	}
	listtest.CheckValid(t, entries)
	ind := count(data)
	c := listtest.Count(entries, skipped)
	if c.Entries != ind.records || c.Persons != ind.individuals {
		t.Errorf("read %d entries, %d persons; the file has %d records, %d individuals", c.Entries, c.Persons, ind.records, ind.individuals)
	}
	if st := r.Stats(); st.SideLinesSkipped != 0 {
		t.Errorf("%d side-file lines skipped", st.SideLinesSkipped)
	}

	// alt.csv: 36 has "AERO-CARIBBEAN"; add.csv puts it in Cuba.
	e := byID(t, entries, "36")
	if want := []screening.Name{{Full: "AEROCARIBBEAN AIRLINES"}, {Full: "AERO-CARIBBEAN"}}; !reflect.DeepEqual(e.Names, want) {
		t.Errorf("36: names %v, want %v", e.Names, want)
	}
	if want := []string{"CUB"}; !reflect.DeepEqual(e.Countries, want) {
		t.Errorf("36: countries %v, want %v", e.Countries, want)
	}
	// 306 has three addresses: Switzerland, Spain, Japan and more.
	if got := byID(t, entries, "306").Countries; len(got) < 3 || got[0] != "CHE" || got[1] != "ESP" || got[2] != "JPN" {
		t.Errorf("306: countries %v, want CHE, ESP, JPN first", got)
	}
	// sdn_comments.csv continues 28264's remarks with two aliases and a
	// Chinese identification number.
	e = byID(t, entries, "28264")
	var names []string
	for _, n := range e.Names {
		names = append(names, n.String())
	}
	for _, want := range []string{"blackjack1987", "khaleesi"} {
		if !strings.Contains(strings.Join(names, "|"), want) {
			t.Errorf("28264: names %q lack %q from sdn_comments.csv", names, want)
		}
	}
	found := false
	for _, d := range e.Documents {
		found = found || d.Number == "210302198701102136" && d.Country == "CHN"
	}
	if !found {
		t.Errorf("28264: documents %+v lack the identification number from sdn_comments.csv", e.Documents)
	}
	t.Logf("OFAC SDN 2021-07-07 with side files:\n%s", c)
}

func TestDecoding(t *testing.T) {
	// Latin-1 "é", Windows-1252 "’", CRLF, a header line, the end byte.
	in := "ent_num,SDN_Name,SDN_Type,Program,Title,Call_Sign,Vess_type,Tonnage,GRT,Vess_flag,Vess_owner,Remarks\r\n" +
		"1,\"JOS\xc9, Ren\xe9\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"a.k.a. 'O\x92NEIL'; nationality C\xf4te d'Ivoire.\"\r\n" +
		"2,\"CAF\xc3\x89 S.A.\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1a"
	entries, skipped := listtest.ReadAll(t, ofaccsv.NewReader(strings.NewReader(in)))
	if len(skipped) != 0 || len(entries) != 2 {
		t.Fatalf("read %d entries, %d errors, want 2 and 0", len(entries), len(skipped))
	}
	want := []screening.Name{{Family: "JOSÉ", Given: "René"}, {Full: "O’NEIL"}}
	if !reflect.DeepEqual(entries[0].Names, want) {
		t.Errorf("names %+v, want %+v", entries[0].Names, want)
	}
	if want := []string{"CIV"}; !reflect.DeepEqual(entries[0].Nationalities, want) {
		t.Errorf("nationalities %v, want %v", entries[0].Nationalities, want)
	}
	// A field that is already UTF-8 stays as it is.
	if got, want := entries[1].Names[0].Full, "CAFÉ S.A."; got != want {
		t.Errorf("UTF-8 name %q, want %q", got, want)
	}
}

func TestParseDOB(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"01 Jan 1960", "1960-01-01"},
		{"Jan 1960", "1960-01"},
		{"1960", "1960"},
		{"1960.", "1960"},
		{"circa 1960", "1959/1961"},
		{"circa 07 Jul 1966", "1965/1967"},
		{"1960 to 1962", "1960/1962"},
		{"01 Jan 1961 to 31 Dec 1962", "1961/1962"},
		{"26 Sep 1946 to 07 Dec 1946", "1946"},
		{"Mar 1962 to Feb 1963", "1962/1963"},
		{"circa 1979-1982", "1978/1983"},
		{"1962 to 1960", ""},
		{"unknown", ""},
		{"", ""},
	}
	for _, tt := range tests {
		d, ok := ofaccsv.ParseDOB(tt.in)
		got := ""
		if ok {
			got = d.String()
		}
		if got != tt.want {
			t.Errorf("ParseDOB(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSplitRemarks(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"a.k.a. 'BNC'.", []string{"a.k.a. 'BNC'"}},
		{"DOB 1960; a.k.a. 'X; Y'; Gender Male.", []string{"DOB 1960", "a.k.a. 'X; Y'", "Gender Male"}},
		{"a.k.a. 'AL-WARD, 'Abd'; a.k.a. 'NAIM, Abu'.", []string{"a.k.a. 'AL-WARD, 'Abd'", "a.k.a. 'NAIM, Abu'"}},
		{"a.k.a. ''FOOPIE''; DOB 1970", []string{"a.k.a. ''FOOPIE''", "DOB 1970"}},
		{"", nil},
	}
	for _, tt := range tests {
		if got := ofaccsv.SplitRemarks(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("SplitRemarks(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRecordErrors(t *testing.T) {
	good := "1,\"DOE, John\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 1960.\"\r\n"
	tests := []struct {
		name, line, want string
	}{
		{"too few columns", "2,\"X\",-0- \r\n", "3 columns, want 12"},
		{"no name", "2,-0- ,\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n", "SDN_Name: empty"},
		{"ent_num", "2x,\"X\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n", "ent_num"},
		{"bare quote", "2,\"X\"Y\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n", "malformed CSV"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ofaccsv.NewReader(strings.NewReader(good + tt.line + good))
			got, errs := listtest.ReadOutcomes(t, r)
			if want := []string{"1", "error", "1"}; !reflect.DeepEqual(got, want) {
				t.Fatalf("read %v, want %v", got, want)
			}
			if errs[0].Record != 2 {
				t.Errorf("record error on line %d, want 2", errs[0].Record)
			}
			if !strings.Contains(errs[0].Error(), tt.want) {
				t.Errorf("error %q does not mention %q", errs[0], tt.want)
			}
		})
	}
}

func TestUnreadableRemarks(t *testing.T) {
	// Remarks the reader cannot read never fail the record.
	in := "1,\"DOE, John\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ," +
		"\"DOB sometime in the sixties; nationality Atlantis; Passport (Iran); Gender unknown; whatever; DOB 1961.\"\r\n"
	entries, skipped := listtest.ReadAll(t, ofaccsv.NewReader(strings.NewReader(in)))
	if len(skipped) != 0 || len(entries) != 1 {
		t.Fatalf("read %d entries, %d errors, want 1 and 0", len(entries), len(skipped))
	}
	e := entries[0]
	if want := []screening.Date{{Year: 1961}}; !reflect.DeepEqual(e.BirthDates, want) || e.Nationalities != nil || e.Documents != nil {
		t.Errorf("got %+v, want only the DOB 1961", *e)
	}
}

func TestFormatErrors(t *testing.T) {
	tests := []struct{ name, in string }{
		{"empty", ""},
		{"XML", `<?xml version="1.0"?><CONSOLIDATED_LIST/>`},
		{"other CSV", "unique_id,subject_type\nAFG0001,entity\n"},
		{"short first line", "1,\"X\"\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ofaccsv.NewReader(strings.NewReader(tt.in)).Read()
			if !errors.Is(err, ofaccsv.ErrFormat) {
				t.Errorf("error %v, want ErrFormat", err)
			}
		})
	}
	// A side file with other columns is refused by Open.
	fsys := fstest.MapFS{
		"sdn.csv": {Data: []byte("1,\"X\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n")},
		"alt.csv": {Data: []byte("1,2\r\n")},
	}
	if _, err := ofaccsv.Open(fsys, "sdn.csv"); !errors.Is(err, ofaccsv.ErrFormat) || !strings.Contains(err.Error(), "alt.csv") {
		t.Errorf("Open with a bad alt.csv: %v, want ErrFormat naming alt.csv", err)
	}
}

func FuzzReader(f *testing.F) {
	data := readFile(f, fixtureDir+"/sdn.csv")
	lines := bytes.Split(data, []byte("\r\n"))
	for i := 0; i+3 < len(lines); i += 1500 {
		f.Add(bytes.Join(lines[i:i+3], []byte("\r\n")))
	}
	f.Add(data[len(data)-600:])
	f.Add([]byte("1,\"JOS\xc9\",\"individual\",\"X\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB circa 1979-1982; a.k.a. ''X''.\"\r\n\x1a"))
	f.Fuzz(func(t *testing.T, in []byte) {
		r := ofaccsv.NewReader(bytes.NewReader(in))
		for i := 0; i < 100000; i++ {
			e, err := r.Read()
			if err == io.EOF {
				return
			}
			var re *screening.RecordError
			if errors.As(err, &re) {
				continue
			}
			if err != nil {
				if !errors.Is(err, ofaccsv.ErrFormat) {
					t.Fatalf("error %v: neither a record error nor ErrFormat", err)
				}
				return
			}
			if err := e.Validate(); err != nil {
				t.Fatalf("entry %s does not validate: %v", e.ID, err)
			}
		}
		t.Fatal("more than 100000 reads")
	})
}

func BenchmarkRead(b *testing.B) {
	data := readFile(b, fixtureDir+"/sdn.csv")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		r := ofaccsv.NewReader(bytes.NewReader(data))
		n = 0
		for {
			_, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
	}
	b.ReportMetric(float64(n), "entries")
}

func ExampleReader() {
	sdn := "7513,\"MNANGAGWA, Emmerson Dambudzo\",\"individual\",\"GLOMAG\",\"President of Zimbabwe\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ," +
		"\"DOB 15 Sep 1946; alt. DOB 15 Sep 1942; nationality Zimbabwe; Gender Male; " +
		"Passport AD005831 (Zimbabwe) issued 11 Jan 2018 expires 10 Jan 2028; a.k.a. 'CROCODILE'.\"\r\n\x1a"
	r := ofaccsv.NewReader(strings.NewReader(sdn))
	for {
		e, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s %s: family %q, given %q; alias %q\n", e.ID, e.Kind, e.Names[0].Family, e.Names[0].Given, e.Names[1].Full)
		fmt.Println(e.BirthDates, e.Nationalities, e.Gender)
		d := e.Documents[0]
		fmt.Println(d.Type, d.Number, d.Country, d.Expiry)
	}
	// Output:
	// 7513 person: family "MNANGAGWA", given "Emmerson Dambudzo"; alias "CROCODILE"
	// [1946-09-15 1942-09-15] [ZWE] M
	// P AD005831 ZWE 2028-01-10
}
