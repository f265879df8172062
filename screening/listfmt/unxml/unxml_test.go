package unxml_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/listfmt/internal/listtest"
	"github.com/bordersec/portcullis/screening/listfmt/unxml"
)

// fixture is the bundled copy of the UN list (see fixtures/lists/un).
const fixture = "../../../fixtures/lists/un/un_consolidated_2026-02-27.xml"

func readFixture(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func readAll(t testing.TB, data []byte) ([]*screening.Entry, []*screening.RecordError, *unxml.Reader) {
	t.Helper()
	r := unxml.NewReader(bytes.NewReader(data))
	entries, skipped := listtest.ReadAll(t, r)
	return entries, skipped, r
}

func TestRealList(t *testing.T) {
	data := readFixture(t)
	entries, skipped, r := readAll(t, data)
	for _, s := range skipped {
		t.Errorf("record error: %v", s)
	}
	listtest.CheckValid(t, entries)

	// Independent counts, by searching the bytes as grep would.
	c := listtest.Count(entries, skipped)
	for _, tt := range []struct {
		what      string
		got, want int
	}{
		{"persons = <INDIVIDUAL> elements", c.Persons, bytes.Count(data, []byte("<INDIVIDUAL>"))},
		{"organisations = <ENTITY> elements", c.Organizations, bytes.Count(data, []byte("<ENTITY>"))},
		{"persons", c.Persons, 730},
		{"organisations", c.Organizations, 273},
		{"listed_from = <LISTED_ON>", c.ListedFrom, bytes.Count(data, []byte("<LISTED_ON>"))},
		{"records", r.Record(), 1003},
	} {
		if tt.got != tt.want {
			t.Errorf("%s: got %d, want %d", tt.what, tt.got, tt.want)
		}
	}
	ids := map[string]bool{}
	for _, e := range entries {
		if ids[e.ID] {
			t.Errorf("ID %s twice", e.ID)
		}
		ids[e.ID] = true
	}

	// What the reader had to leave out, each case explained.
	st := r.Stats()
	if len(st.UnknownCountries) != 0 {
		t.Errorf("unknown countries %v: add them to countryAliases", st.UnknownCountries)
	}
	// Two birth-date notes are not dates: "30-35 years old" and a Hijri
	// date, "24/06/1402 (Hijri Calendar)".
	if got, want := st.UnreadDates, 2; got != want {
		t.Errorf("unread birth-date notes: got %d, want %d", got, want)
	}
	// Two documents have no number anywhere: a passport "issued in 1993,
	// under name ..." and a birth certificate "issued for Djamel Mostefa".
	if got, want := st.DocumentsWithoutNumber, 2; got != want {
		t.Errorf("documents without a number: got %d, want %d", got, want)
	}
	t.Logf("UN list:\n%s", c)
	listtest.Golden(t, "testdata/summary.golden", []byte(c.String()))
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

func weak(s string) screening.Name { return screening.Name{Full: s, Strength: screening.StrengthWeak} }
func full(s string) screening.Name { return screening.Name{Full: s} }

func TestKnownEntries(t *testing.T) {
	entries, _, _ := readAll(t, readFixture(t))
	tests := []screening.Entry{
		{
			// Low-quality aliases, a script name, a script name in an alias
			// note, two exact dates of birth.
			ID: "QDi.001", Kind: screening.KindPerson,
			Names: []screening.Name{
				full("MOHAMMED SALAHALDIN ABD EL HALIM ZIDANE"), full("محمد صلاح الدين عبدالحليم زيدان"),
				full("Sayf-Al Adl"), full("سيف العدل"), full("Muhamad Ibrahim Makkawi"),
				weak("Ibrahim al-Madani"), weak("Saif Al-'Adil"), weak("Seif al Adel"),
			},
			BirthDates:    []screening.Date{screening.Exact(1963, 4, 11), screening.Exact(1960, 4, 11)},
			Nationalities: []string{"EGY"},
			Action:        screening.ActionRefer,
			Reason:        "UN Security Council sanctions: ISIL (Da'esh) and Al-Qaida (QDi.001)",
			Source:        "UN Security Council Consolidated List, QDi.001, DATAID 113219",
			ListedFrom:    screening.Exact(2001, 1, 25),
		},
		{
			// APPROXIMATELY 1968 is 1967 to 1969.
			ID: "TAi.024", Kind: screening.KindPerson,
			Names: []screening.Name{
				full("ABDUL GHANI BARADAR ABDUL AHMAD TURK"), full("عبدالغنی برادر عبد الاحمد ترک"),
				full("Mullah Baradar Akhund"), full("Abdul Ghani Baradar"),
			},
			BirthDates:    []screening.Date{{Year: 1967, ToYear: 1969}},
			Nationalities: []string{"AFG"},
			Action:        screening.ActionRefer,
			Reason:        "UN Security Council sanctions: Taliban (TAi.024)",
			Source:        "UN Security Council Consolidated List, TAi.024, DATAID 111040",
			ListedFrom:    screening.Exact(2001, 2, 23),
		},
		{
			// Passports with issuing state and expiry; a YEAR date of birth.
			ID: "CDi.040", Kind: screening.KindPerson,
			Names: []screening.Name{
				full("AHMAD MAHMOOD HASSAN"), full("AHMED MAHAMUD HASSAN ALIYANI"), full("AHMAD MAHMOUD HASSAN"),
				full("AHMAD MAHAMOOD HASSAN"), full("AHMED MAHMOUD HASSAN"), weak("ABU WAQAS"), weak("SAINT JOYAGE"),
				weak("JUNDI"), weak("ABWAKASI"), weak("ABUWAKAS"), weak("MURABU"), weak("MARABOU"), weak("MWARABU"), weak("LEBLANC"),
			},
			BirthDates:    []screening.Date{screening.Exact(1997, 7, 21), {Year: 1993}},
			Nationalities: []string{"TZA"},
			Documents: []screening.Document{
				{Type: "P", Number: "AB850901", Country: "TZA", Expiry: screening.Exact(2026, 12, 11), Note: "Expiration date: 2026-12-11."},
				{Type: "P", Number: "AB187304", Country: "TZA", Expiry: screening.Exact(2016, 11, 28), Note: "Expired 28 Nov. 2016"},
			},
			Action:     screening.ActionRefer,
			Reason:     "UN Security Council sanctions: Democratic Republic of the Congo (CDi.040)",
			Source:     "UN Security Council Consolidated List, CDi.040, DATAID 6908994",
			ListedFrom: screening.Exact(2024, 2, 20),
		},
		{
			// Two nationalities; the passport's state read from its note; a
			// national number.
			ID: "CFi.001", Kind: screening.KindPerson,
			Names:         []screening.Name{full("FRANÇOIS YANGOUVONDA BOZIZÉ"), full("Bozize Yangouvonda"), full("Samuel Peter Mudde")},
			BirthDates:    []screening.Date{screening.Exact(1946, 10, 14), screening.Exact(1948, 12, 16)},
			Nationalities: []string{"CAF", "SSD"},
			Documents: []screening.Document{
				{Type: "P", Number: "D00002264", Country: "SSD", Expiry: screening.Exact(2017, 6, 11),
					Note: "issued 2013-06-11; issued by the Minister of Foreign Affairs, in Juba, South Sudan. Expires on 11 Jun. 2017. Diplomatic passport issued under name Samuel Peter Mudde"},
				{Type: "I", Number: "M4800002143743", Note: "Personal number on passport"},
			},
			Action:     screening.ActionRefer,
			Reason:     "UN Security Council sanctions: Central African Republic (CFi.001)",
			Source:     "UN Security Council Consolidated List, CFi.001, DATAID 690727",
			ListedFrom: screening.Exact(2014, 5, 9),
		},
		{
			// An organisation: aliases, and its country from its address.
			ID: "CDe.001", Kind: screening.KindOrganization,
			Names: []screening.Name{
				full("ADF"), full("Allied Democratic Forces"),
				full("Forces Démocratiques Alliées-Armée Nationale de Libération de l’Ouganda"), full("ADF/NALU"), full("NALU"),
			},
			Countries:  []string{"COD"},
			Action:     screening.ActionRefer,
			Reason:     "UN Security Council sanctions: Democratic Republic of the Congo (CDe.001)",
			Source:     "UN Security Council Consolidated List, CDe.001, DATAID 6908402",
			ListedFrom: screening.Exact(2014, 6, 30),
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

// doc wraps records in a consolidated list.
func doc(individuals, entities string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><CONSOLIDATED_LIST><INDIVIDUALS>` + individuals +
		`</INDIVIDUALS><ENTITIES>` + entities + `</ENTITIES></CONSOLIDATED_LIST>`
}

const good = `<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>JOHN</FIRST_NAME><SECOND_NAME>DOE</SECOND_NAME>
<REFERENCE_NUMBER>QDi.999</REFERENCE_NUMBER><LISTED_ON>2001-01-25</LISTED_ON></INDIVIDUAL>`

func TestRecordErrors(t *testing.T) {
	tests := []struct {
		name   string
		record string
		want   string // in the error
	}{
		{"no name", `<INDIVIDUAL><DATAID>7</DATAID><FIRST_NAME> </FIRST_NAME><INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS></INDIVIDUAL>`, "no name"},
		{"no id", `<INDIVIDUAL><FIRST_NAME>A</FIRST_NAME></INDIVIDUAL>`, "no REFERENCE_NUMBER and no DATAID"},
		{"broken date", `<INDIVIDUAL><DATAID>7</DATAID><FIRST_NAME>A</FIRST_NAME><INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1970-02-30</DATE></INDIVIDUAL_DATE_OF_BIRTH></INDIVIDUAL>`, "DATE"},
		{"broken year", `<INDIVIDUAL><DATAID>7</DATAID><FIRST_NAME>A</FIRST_NAME><INDIVIDUAL_DATE_OF_BIRTH><YEAR>19x0</YEAR></INDIVIDUAL_DATE_OF_BIRTH></INDIVIDUAL>`, "YEAR"},
		{"range backwards", `<INDIVIDUAL><DATAID>7</DATAID><FIRST_NAME>A</FIRST_NAME><INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1970</FROM_YEAR><TO_YEAR>1960</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH></INDIVIDUAL>`, "after TO_YEAR"},
		{"broken listed_on", `<INDIVIDUAL><DATAID>7</DATAID><FIRST_NAME>A</FIRST_NAME><LISTED_ON>yesterday</LISTED_ON></INDIVIDUAL>`, "LISTED_ON"},
		{"broken alias date", `<INDIVIDUAL><DATAID>7</DATAID><FIRST_NAME>A</FIRST_NAME><INDIVIDUAL_ALIAS><ALIAS_NAME>B</ALIAS_NAME><DATE_OF_BIRTH>soon</DATE_OF_BIRTH></INDIVIDUAL_ALIAS></INDIVIDUAL>`, "DATE_OF_BIRTH"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The bad record is the second; reading goes on to the third.
			r := unxml.NewReader(strings.NewReader(doc(good+tt.record+good, "")))
			got, errs := listtest.ReadOutcomes(t, r)
			if want := []string{"QDi.999", "error", "QDi.999"}; !reflect.DeepEqual(got, want) {
				t.Fatalf("read %v, want %v", got, want)
			}
			if errs[0].Record != 2 {
				t.Errorf("record error numbers record %d, want 2", errs[0].Record)
			}
			if !strings.Contains(errs[0].Error(), tt.want) {
				t.Errorf("error %q does not mention %q", errs[0], tt.want)
			}
		})
	}
}

func TestFormatErrors(t *testing.T) {
	tests := []struct {
		name, in string
		entries  int // read before the error
	}{
		{"empty", "", 0},
		{"not XML", "ent_num,SDN_Name\n1,X\n", 0},
		{"other root", `<?xml version="1.0"?><sdnList></sdnList>`, 0},
		{"truncated", doc(good, "")[:len(doc(good, ""))-40], 1},
		{"broken XML", doc(good+`<INDIVIDUAL><FIRST_NAME>A</INDIVIDUAL>`, ""), 1},
		{"other encoding", `<?xml version="1.0" encoding="ISO-8859-1"?><CONSOLIDATED_LIST></CONSOLIDATED_LIST>`, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := unxml.NewReader(strings.NewReader(tt.in))
			n := 0
			for {
				_, err := r.Read()
				if err == nil {
					n++
					continue
				}
				if !errors.Is(err, unxml.ErrFormat) {
					t.Fatalf("error %v does not wrap ErrFormat", err)
				}
				var re *screening.RecordError
				if errors.As(err, &re) {
					t.Fatalf("error %v is a record error", err)
				}
				// The error stays.
				if _, again := r.Read(); again != err {
					t.Errorf("second Read gave %v, want %v", again, err)
				}
				break
			}
			if n != tt.entries {
				t.Errorf("read %d entries before the error, want %d", n, tt.entries)
			}
		})
	}
}

func TestSplitAlias(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Abu Ali", []string{"Abu Ali"}},
		{"Azim Adhajani; Azim Agha-Jani", []string{"Azim Adhajani", "Azim Agha-Jani"}},
		{"Jin Tiesan (金铁三)", []string{"Jin Tiesan", "金铁三"}},
		{"EL PARA (COMBAT NAME)", []string{"EL PARA"}},
		{"Hilarion Santos, III (third)", []string{"Hilarion Santos, III"}},
		{"Safia Farkash Mohammed Al-Hadad, born 1 Jan. 1953 (Oman passport no.03825239)", []string{"Safia Farkash Mohammed Al-Hadad"}},
		{"Mohammed Sabet; Mohammad Sabet b) M. Javad Kareemi Sabet", []string{"Mohammed Sabet", "Mohammad Sabet", "M. Javad Kareemi Sabet"}},
		{"Islamic Revolutionary Guard Corps (IRGC)", []string{"Islamic Revolutionary Guard Corps", "IRGC"}},
		{" ", nil},
	}
	for _, tt := range tests {
		if got := unxml.SplitAlias(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("SplitAlias(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestScriptNames(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"DOB: 11 Apr. 1963. Nationality: Egypt. In\nArabic: سيف العدل ", []string{"سيف العدل"}},
		{"original script: Абу аль Банат", []string{"Абу аль Банат"}},
		{"previously listed as", nil},
		{"", nil},
	}
	for _, tt := range tests {
		if got := unxml.ScriptNames(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ScriptNames(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// records returns the first n INDIVIDUAL and ENTITY elements of the list,
// as they are in the file.
func records(data []byte, tag string, n int) []string {
	var out []string
	s := string(data)
	for len(out) < n {
		i := strings.Index(s, "<"+tag+">")
		if i < 0 {
			break
		}
		j := strings.Index(s[i:], "</"+tag+">")
		if j < 0 {
			break
		}
		out = append(out, s[i:i+j+len(tag)+3])
		s = s[i+j:]
	}
	return out
}

func FuzzReader(f *testing.F) {
	data := readFixture(f)
	for i, rec := range records(data, "INDIVIDUAL", 730) {
		if i%50 == 0 {
			f.Add(doc(rec, ""))
		}
	}
	for i, rec := range records(data, "ENTITY", 273) {
		if i%50 == 0 {
			f.Add(doc("", rec))
		}
	}
	f.Add(string(data[:2000]))
	f.Add(doc(good, ""))
	f.Fuzz(func(t *testing.T, in string) {
		r := unxml.NewReader(strings.NewReader(in))
		for i := 0; i < 10000; i++ {
			e, err := r.Read()
			if err == io.EOF {
				return
			}
			var re *screening.RecordError
			if errors.As(err, &re) {
				continue
			}
			if err != nil {
				if !errors.Is(err, unxml.ErrFormat) {
					t.Fatalf("error %v: neither a record error nor ErrFormat", err)
				}
				return
			}
			if err := e.Validate(); err != nil {
				t.Fatalf("entry %s does not validate: %v", e.ID, err)
			}
		}
		t.Fatal("more than 10000 reads")
	})
}

func BenchmarkRead(b *testing.B) {
	data := readFixture(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		r := unxml.NewReader(bytes.NewReader(data))
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
	list := `<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>
	  <DATAID>6908555</DATAID><FIRST_NAME>RI</FIRST_NAME><SECOND_NAME>WON HO</SECOND_NAME>
	  <UN_LIST_TYPE>DPRK</UN_LIST_TYPE><REFERENCE_NUMBER>KPi.033</REFERENCE_NUMBER>
	  <LISTED_ON>2016-11-30</LISTED_ON><NATIONALITY><VALUE>Democratic People's Republic of Korea</VALUE></NATIONALITY>
	  <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Ri Won-ho</ALIAS_NAME></INDIVIDUAL_ALIAS>
	  <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1964-07-17</DATE></INDIVIDUAL_DATE_OF_BIRTH>
	  <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NUMBER>381310014</NUMBER></INDIVIDUAL_DOCUMENT>
	</INDIVIDUAL></INDIVIDUALS><ENTITIES/></CONSOLIDATED_LIST>`
	r := unxml.NewReader(strings.NewReader(list))
	for {
		e, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		names := make([]string, len(e.Names))
		for i, n := range e.Names {
			names[i] = n.String()
			if n.Weak() {
				names[i] += " (weak)"
			}
		}
		sort.Strings(names[1:])
		fmt.Println(e.ID, e.Kind, strings.Join(names, "; "))
		fmt.Println(e.BirthDates, e.Nationalities, e.Documents[0].Type, e.Documents[0].Number)
		fmt.Println(e.Reason)
	}
	// Output:
	// KPi.033 person RI WON HO; Ri Won-ho (weak)
	// [1964-07-17] [PRK] P 381310014
	// UN Security Council sanctions: Democratic People's Republic of Korea (KPi.033)
}
