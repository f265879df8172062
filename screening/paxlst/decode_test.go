package paxlst_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/edifact"
	"github.com/bordersec/portcullis/screening/paxlst"
)

var lenient = &paxlst.Options{Options: edifact.Options{Lenient: true}}

func readSample(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// separators returns the data element separator and segment terminator of
// a raw interchange, from its UNA or the defaults.
func separators(data []byte) (elem, term byte) {
	s := bytes.TrimLeft(data, " \t\r\n")
	if bytes.HasPrefix(s, []byte("UNA")) && len(s) >= 9 {
		return s[4], s[8]
	}
	return '+', '\''
}

// countRoles counts, in the raw bytes, the NAD segments of persons by role,
// without the decoder: a terminator (or the start), optional white space,
// "NAD", the separator and the role.
func countRoles(data []byte) map[string]int {
	elem, term := separators(data)
	re := regexp.MustCompile(`(?:^|` + regexp.QuoteMeta(string(term)) + `)\s*NAD` + regexp.QuoteMeta(string(elem)) + `(FL|FM|DDU|DDT)` + regexp.QuoteMeta(string(elem)))
	out := map[string]int{}
	for _, m := range re.FindAllSubmatch(data, -1) {
		out[string(m[1])]++
	}
	return out
}

func TestDecodeSamples(t *testing.T) {
	tests := []struct {
		file       string
		strict     error // error of a strict Decode
		document   string
		legs       int
		problems   int // persons with data-quality problems
		bodyWarned int // warnings of the message body
	}{
		{"gtas__apis-messages__Test1.txt", edifact.ErrCount, paxlst.CrewList, 1, 0, 1},
		{"gtas__apis-messages__Test3.txt", edifact.ErrCharset, paxlst.PassengerList, 1, 1, 1},
		{"gtas__apis-messages__airline2.edi", edifact.ErrCount, paxlst.PassengerList, 1, 0, 1},
		{"gtas__apis-messages__apisMessage.txt", nil, paxlst.PassengerList, 2, 2, 0},
		{"gtas__apis-messages__multiple_flight_leg_apis.txt", edifact.ErrEnvelope, paxlst.PassengerList, 3, 0, 0},
		{"gtas__tamr-integration-data__flight1.txt", edifact.ErrCount, paxlst.PassengerList, 1, 2, 0},
		{"gtas__tamr-integration-data__flight2.txt", edifact.ErrCount, paxlst.PassengerList, 1, 1, 0},
		{"gtas__tamr-integration-data__flight3.txt", edifact.ErrCount, paxlst.PassengerList, 1, 0, 0},
	}
	total := 0
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data := readSample(t, tt.file)
			m, err := paxlst.Decode(data, nil)
			if !errors.Is(err, tt.strict) || (tt.strict == nil) != (err == nil) {
				t.Fatalf("strict Decode: got %v, want %v", err, tt.strict)
			}
			if err != nil && m != nil {
				t.Fatalf("strict Decode returned a partial manifest with %v", err)
			}
			m, err = paxlst.Decode(data, lenient)
			if err != nil {
				t.Fatalf("lenient Decode: %v", err)
			}
			if len(m.Messages) != 1 {
				t.Fatalf("messages: got %d, want 1", len(m.Messages))
			}
			msg := m.Messages[0]
			roles := countRoles(data)
			if got, want := msg.Passengers(), roles["FL"]+roles["DDU"]; got != want {
				t.Errorf("passengers: got %d, want %d (NAD segments)", got, want)
			}
			if got, want := msg.CrewMembers(), roles["FM"]+roles["DDT"]; got != want {
				t.Errorf("crew: got %d, want %d (NAD segments)", got, want)
			}
			if got, want := len(m.Persons()), len(msg.Persons); got != want {
				t.Errorf("Persons(): got %d, want %d", got, want)
			}
			total += len(msg.Persons)
			if msg.DocumentCode != tt.document {
				t.Errorf("BGM: got %q, want %q", msg.DocumentCode, tt.document)
			}
			crewList := tt.document == paxlst.CrewList
			for _, p := range msg.Persons {
				if p.Crew != crewList {
					t.Errorf("person %d (%s): crew %v in a list %s", p.Index, p.Role, p.Crew, tt.document)
				}
			}
			if len(msg.Legs) != tt.legs {
				t.Errorf("legs: got %d, want %d", len(msg.Legs), tt.legs)
			}
			bad := 0
			for _, p := range msg.Persons {
				if !p.OK() {
					bad++
				}
			}
			if bad != tt.problems {
				t.Errorf("persons with problems: got %d, want %d", bad, tt.problems)
			}
			if len(msg.Warnings) != tt.bodyWarned {
				t.Errorf("body warnings: got %v, want %d", msg.Warnings, tt.bodyWarned)
			}
			for i, p := range msg.Persons {
				if p.Index != i+1 {
					t.Errorf("person %d has Index %d", i+1, p.Index)
				}
				if s := msg.Envelope.Segments; p.Segment <= s[0].Pos || p.Segment >= msg.Envelope.Trailer.Pos {
					t.Errorf("person %d: NAD segment %d outside the message", p.Index, p.Segment)
				}
			}
		})
	}
	// The issue counts 312 persons across the samples: 260 in Test3 alone.
	if total != 312 {
		t.Errorf("persons in all samples: got %d, want 312", total)
	}
}

// person returns person n (1-based) of the only message of a sample.
func person(t *testing.T, file string, n int) *paxlst.Person {
	t.Helper()
	m, err := paxlst.Decode(readSample(t, file), lenient)
	if err != nil {
		t.Fatal(err)
	}
	ps := m.Persons()
	if n < 1 || n > len(ps) {
		t.Fatalf("%s has %d persons, want person %d", file, len(ps), n)
	}
	return ps[n-1]
}

func TestDecodePersons(t *testing.T) {
	type want struct {
		surname, given   string
		birth            string
		gender           screening.Gender
		nationality      string
		docType, docNum  string
		docCountry       string
		expiry           string
		reservation, abo string
		role             string
		problems         []paxlst.ProblemCode
	}
	tests := []struct {
		file string
		n    int
		want want
	}{
		{"gtas__apis-messages__Test1.txt", 1, want{"Steur", "Andrea Pat", "1978-07-06", "F", "GBR", "P", "123456789", "GBR", "2061-02-18", "", "", "FM", nil}},
		{"gtas__apis-messages__Test1.txt", 8, want{"Zschieschak", "Jaclyn Pat", "1978-07-13", "F", "GBR", "P", "123456789", "GBR", "2061-02-18", "", "", "FM", nil}},
		{"gtas__apis-messages__Test3.txt", 1, want{"Kuchel", "Rachel Pat", "1977-10-19", "F", "USA", "P", "12345678", "USA", "2019-12-18", "", "", "FL", nil}},
		{"gtas__apis-messages__Test3.txt", 71, want{"Nov\ufffdk", "Jeffrey Pat", "1977-12-28", "M", "GBR", "P", "12345678", "GBR", "2020-02-26", "", "", "FL", []paxlst.ProblemCode{paxlst.ProblemSurname}}},
		{"gtas__apis-messages__Test3.txt", 260, want{"Pfaffelhuber", "Lisa Pat", "1978-07-05", "F", "GBR", "P", "12345678", "GBR", "2020-09-02", "", "", "FL", nil}},
		{"gtas__apis-messages__airline2.edi", 1, want{"BETTON", "DAVID", "1954-10-16", "M", "USA", "P", "178556534", "USA", "2018-02-21", "QXGYLO", "", "FL", nil}},
		{"gtas__apis-messages__airline2.edi", 10, want{"LOWE", "DANIEL", "1954-10-16", "M", "USA", "P", "153284238", "USA", "2018-02-21", "QXGYLO", "", "FL", nil}},
		{"gtas__apis-messages__apisMessage.txt", 2, want{"CLARK", "CHERYL", "1973-04-07", "F", "", "", "", "", "", "TYR123", "TYL009", "FL", []paxlst.ProblemCode{paxlst.ProblemNationality, paxlst.ProblemDocument}}},
		{"gtas__apis-messages__multiple_flight_leg_apis.txt", 1, want{"BARRETT", "TODD", "1968-02-23", "M", "FRA", "P", "YY3478621G", "FRA", "2008-12-30", "GJIO3RT", "UUI34T543", "FL", nil}},
		{"gtas__apis-messages__multiple_flight_leg_apis.txt", 2, want{"LANG", "KRISTIN", "1960-06-06", "F", "ESP", "P", "TRQWE99800", "ESP", "2009-09-16", "GJIO3RT", "ABC124", "FL", nil}},
		{"gtas__tamr-integration-data__flight1.txt", 1, want{"JIANG", "HSIUYUAN", "1967-06-03", "F", "CHN", "", "433419360", "CHN", "2023-09-20", "7F5F21", "", "FL", []paxlst.ProblemCode{paxlst.ProblemDocument}}},
		{"gtas__tamr-integration-data__flight1.txt", 2, want{"CAPONE", "LISA ALVINA", "1972-08-05", "F", "USA", "P", "907316631", "USA", "2025-11-03", "65A6BB", "", "FL", nil}},
		{"gtas__tamr-integration-data__flight1.txt", 3, want{"CANNON", "ALEXANDRA EVA", "1985-09-14", "F", "GBR", "P", "396949747", "", "2026-12-05", "647DA3", "", "FL", []paxlst.ProblemCode{paxlst.ProblemIssuer}}},
	}
	for _, tt := range tests {
		t.Run(tt.file+"#"+tt.want.surname, func(t *testing.T) {
			p := person(t, tt.file, tt.n)
			tr := p.Traveller
			w := tt.want
			got := want{tr.Surname, tr.GivenNames, tr.BirthDate.String(), tr.Gender, tr.Nationality, "", "", "", "", p.Reservation, p.PassengerRef, p.Role, nil}
			if d := tr.Document; d != nil {
				got.docType, got.docNum, got.docCountry, got.expiry = d.Type, d.Number, d.Country, d.Expiry.String()
			}
			for _, pr := range p.Problems {
				got.problems = append(got.problems, pr.Code)
			}
			if !reflect.DeepEqual(got, w) {
				t.Errorf("got  %+v\nwant %+v", got, w)
			}
			if w.problems == nil && tr.Document == nil {
				t.Errorf("no travel document")
			}
		})
	}
}

func travellerString(tr screening.Traveller) string {
	doc := tr.Document
	tr.Document = nil
	s := sprint(tr)
	if doc != nil {
		s += " " + sprint(*doc)
	}
	return s
}

func sprint(v any) string { return fmt.Sprintf("%+v", v) }

func itoa(n int) string { return strconv.Itoa(n) }

func TestDecodePersonDetails(t *testing.T) {
	p := person(t, "gtas__apis-messages__Test1.txt", 1)
	checks := []struct{ name, got, want string }{
		{"residence (LOC 174)", p.Residence, "GBR"},
		{"embarkation (LOC 178)", p.Embarkation, "FRA"},
		{"debarkation (LOC 179)", p.Debarkation, "IAD"},
		{"clearance (LOC 22)", p.Clearance, "IAD"},
		{"place of birth (LOC 180 name)", p.BirthPlace, "Hartford USA"},
		{"full name", p.Traveller.FullName(), "Andrea Pat Steur"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
	if !p.Crew || p.Transit {
		t.Errorf("crew %v transit %v, want crew and not in transit", p.Crew, p.Transit)
	}

	p = person(t, "gtas__tamr-integration-data__flight1.txt", 1)
	if got, want := len(p.Documents), 2; got != want {
		t.Fatalf("documents: got %d, want %d", got, want)
	}
	if v := p.Documents[1]; v.Type != "V" || v.Number != "57131424" || v.Country != "USA" || v.Expiry.String() != "2021-07-29" {
		t.Errorf("visa: got %+v", v)
	}
	if p.Traveller.Document != &p.Documents[0] {
		t.Errorf("travel document is not the first DOC, which is not a visa")
	}
	if p.Seat != "056F" {
		t.Errorf("seat: got %q, want 056F", p.Seat)
	}

	p = person(t, "gtas__apis-messages__apisMessage.txt", 1)
	var quals []string
	for _, r := range p.References {
		quals = append(quals, r.Qualifier+"="+r.Value)
	}
	if got, want := strings.Join(quals, " "), "AVF=TYR123 ABO=ABC123 AEA=1234567890ABC CR=20060907NY123"; got != want {
		t.Errorf("references: got %q, want %q", got, want)
	}
}

func TestDecodeMessageFields(t *testing.T) {
	m, err := paxlst.Decode(readSample(t, "gtas__apis-messages__multiple_flight_leg_apis.txt"), lenient)
	if err != nil {
		t.Fatal(err)
	}
	msg := m.Messages[0]
	if msg.TransactionRef != "BART34567890" {
		t.Errorf("transaction ref: got %q", msg.TransactionRef)
	}
	if msg.ReportingParty != "DOTTIE MOODY" {
		t.Errorf("reporting party: got %q", msg.ReportingParty)
	}
	if msg.Envelope.Ref != "123456789" || msg.Group == nil || msg.Group.Ref != "123456789" {
		t.Errorf("envelope: message %q group %+v", msg.Envelope.Ref, msg.Group)
	}
	type leg struct{ flight, carrier, from, dep, to, arr string }
	want := []leg{
		{"QQ877", "QQ", "MIA", "2008-07-10 15:00", "IAD", "2008-07-10 17:55"},
		{"QQ827", "QQ", "IAD", "2008-08-10 18:30", "JFK", "2008-08-10 19:30"},
		{"QQ827", "QQ", "JFK", "2008-08-10 20:00", "CDG", "2008-08-11 06:30"},
	}
	for i, l := range msg.Legs {
		dep, arr := l.Departure(), l.Arrival()
		if dep == nil || arr == nil {
			t.Fatalf("leg %d: departure %v arrival %v", i, dep, arr)
		}
		got := leg{l.Flight, l.Carrier, dep.Place, dep.Departure.Time.Format("2006-01-02 15:04"), arr.Place, arr.Arrival.Time.Format("2006-01-02 15:04")}
		if got != want[i] {
			t.Errorf("leg %d: got %+v, want %+v", i, got, want[i])
		}
	}
	if got := msg.Legs[2].Departure().Qualifier; got != "125" {
		t.Errorf("last leg departure qualifier: got %q, want 125", got)
	}
	if len(msg.Counts) != 1 || msg.Counts[0] != (paxlst.Count{Qualifier: "42", Value: 2, Segment: msg.Counts[0].Segment}) {
		t.Errorf("counts: got %+v", msg.Counts)
	}
}

func TestDecodeCustomSeparators(t *testing.T) {
	data := readSample(t, "gtas__apis-messages__airline2.edi")
	m, err := paxlst.Decode(data, lenient)
	if err != nil {
		t.Fatal(err)
	}
	sc := m.Interchange.Service
	if sc.Element != '*' || sc.Component != ':' || sc.Terminator != '$' {
		t.Errorf("service characters: got %q", sc.UNA())
	}
	// The same message with the default separators decodes to the same
	// persons.
	conv := strings.NewReplacer("UNA:*.? $", "UNA:+.? '", "*", "+", "$", "'")
	m2, err := paxlst.Decode([]byte(conv.Replace(string(data))), lenient)
	if err != nil {
		t.Fatal(err)
	}
	a, b := m.Persons(), m2.Persons()
	if len(a) != len(b) || len(a) == 0 {
		t.Fatalf("persons: %d and %d", len(a), len(b))
	}
	for i := range a {
		if ta, tb := travellerString(a[i].Traveller), travellerString(b[i].Traveller); ta != tb {
			t.Errorf("person %d: %s and %s", i+1, ta, tb)
		}
	}
	if msg := m.Messages[0]; msg.Envelope.CommonAccessRef != "AA346" || msg.Legs[0].Flight != "TN506" {
		t.Errorf("message: common access ref %q, flight %q", msg.Envelope.CommonAccessRef, msg.Legs[0].Flight)
	}
}

// message builds a PAXLST interchange around body segments, with correct
// trailers.
func message(body ...string) []byte {
	body = strings.Split(strings.Join(body, "'"), "'")
	segs := append([]string{"UNA:+.? '", "UNB+UNOA:4+AIRLINE:ZZ+BORDER:ZZ+250601:1030+REF1", "UNH+M1+PAXLST:D:05B:UN:IATA"}, body...)
	segs = append(segs, "UNT+"+itoa(len(body)+2)+"+M1", "UNZ+1+REF1")
	return []byte(segs[0] + strings.Join(segs[1:], "'") + "'")
}

// personSegs are the segments of a complete, valid passenger; options
// replace segments by tag (an empty replacement drops them).
func personSegs(repl map[string]string) []string {
	base := []struct{ key, seg string }{
		{"NAD", "NAD+FL+++DOE:JANE:MARY"},
		{"ATT", "ATT+2++F"},
		{"DTM329", "DTM+329:800101"},
		{"NAT", "NAT+2+GBR"},
		{"RFF", "RFF+AVF:ABC123"},
		{"DOC", "DOC+P:110:111+123456789"},
		{"DTM36", "DTM+36:300101"},
		{"LOC91", "LOC+91+GBR"},
	}
	var out []string
	for _, b := range base {
		seg := b.seg
		if r, ok := repl[b.key]; ok {
			seg = r
		}
		if seg != "" {
			out = append(out, seg)
		}
	}
	return out
}

func withPerson(repl map[string]string) []byte {
	body := []string{"BGM+745", "TDT+20+XX123+++XX", "LOC+125+LHR", "DTM+189:2506011300:201", "LOC+87+JFK", "DTM+232:2506011600:201"}
	body = append(body, personSegs(repl)...)
	body = append(body, "CNT+42:1")
	return message(body...)
}

func TestDecodeProblems(t *testing.T) {
	tests := []struct {
		name string
		repl map[string]string
		opts *paxlst.Options
		want []paxlst.ProblemCode
		seg  string // tag of the segment the first problem names ("" for none)
	}{
		{"valid", nil, nil, nil, ""},
		{"no surname", map[string]string{"NAD": "NAD+FL+++:JANE"}, nil, []paxlst.ProblemCode{paxlst.ProblemSurname}, "NAD"},
		{"blank surname", map[string]string{"NAD": "NAD+FL+++  :JANE"}, nil, []paxlst.ProblemCode{paxlst.ProblemSurname}, "NAD"},
		{"no name at all", map[string]string{"NAD": "NAD+FL"}, nil, []paxlst.ProblemCode{paxlst.ProblemSurname}, "NAD"},
		{"unreadable surname", map[string]string{"NAD": "NAD+FL+++D\x80E:JANE"}, lenient, []paxlst.ProblemCode{paxlst.ProblemSurname}, "NAD"},
		{"unreadable given name", map[string]string{"NAD": "NAD+FL+++DOE:JA\x01NE"}, lenient, []paxlst.ProblemCode{paxlst.ProblemGivenNames}, "NAD"},
		{"impossible birth date", map[string]string{"DTM329": "DTM+329:800230"}, nil, []paxlst.ProblemCode{paxlst.ProblemBirthDate}, "DTM"},
		{"birth month 13", map[string]string{"DTM329": "DTM+329:801301"}, nil, []paxlst.ProblemCode{paxlst.ProblemBirthDate}, "DTM"},
		{"birth date not digits", map[string]string{"DTM329": "DTM+329:80O101"}, nil, []paxlst.ProblemCode{paxlst.ProblemBirthDate}, "DTM"},
		{"birth date in the future", map[string]string{"DTM329": "DTM+329:20300101:102"}, nil, []paxlst.ProblemCode{paxlst.ProblemBirthDate}, "DTM"},
		{"birth date unknown format", map[string]string{"DTM329": "DTM+329:800101:999"}, nil, []paxlst.ProblemCode{paxlst.ProblemBirthDate}, "DTM"},
		{"no birth date", map[string]string{"DTM329": ""}, nil, []paxlst.ProblemCode{paxlst.ProblemBirthDate}, ""},
		{"two birth dates", map[string]string{"DTM329": "DTM+329:800101'DTM+329:810101"}, nil, []paxlst.ProblemCode{paxlst.ProblemBirthDate}, "DTM"},
		{"same birth date twice", map[string]string{"DTM329": "DTM+329:800101'DTM+329:19800101:102"}, nil, nil, ""},
		{"unknown nationality", map[string]string{"NAT": "NAT+2+ZZZ"}, nil, []paxlst.ProblemCode{paxlst.ProblemNationality}, "NAT"},
		{"no nationality", map[string]string{"NAT": ""}, nil, []paxlst.ProblemCode{paxlst.ProblemNationality}, ""},
		{"bad gender", map[string]string{"ATT": "ATT+2++Q"}, nil, []paxlst.ProblemCode{paxlst.ProblemGender}, "ATT"},
		{"two genders", map[string]string{"ATT": "ATT+2++F'ATT+2++M"}, nil, []paxlst.ProblemCode{paxlst.ProblemGender}, "ATT"},
		{"no gender is not a problem", map[string]string{"ATT": ""}, nil, nil, ""},
		{"no document", map[string]string{"DOC": "", "DTM36": "", "LOC91": ""}, nil, []paxlst.ProblemCode{paxlst.ProblemDocument}, ""},
		{"visa only", map[string]string{"DOC": "DOC+V+123456789"}, nil, []paxlst.ProblemCode{paxlst.ProblemDocument}, ""},
		{"document type missing", map[string]string{"DOC": "DOC++123456789"}, nil, []paxlst.ProblemCode{paxlst.ProblemDocument}, "DOC"},
		{"document number missing", map[string]string{"DOC": "DOC+P"}, nil, []paxlst.ProblemCode{paxlst.ProblemDocument}, "DOC"},
		{"unknown issuing state", map[string]string{"LOC91": "LOC+91+XYZ"}, nil, []paxlst.ProblemCode{paxlst.ProblemIssuer}, "LOC"},
		{"no issuing state", map[string]string{"LOC91": ""}, nil, []paxlst.ProblemCode{paxlst.ProblemIssuer}, "DOC"},
		{"empty issuing state", map[string]string{"LOC91": "LOC+91+"}, nil, []paxlst.ProblemCode{paxlst.ProblemIssuer}, "DOC"},
		{"impossible expiry", map[string]string{"DTM36": "DTM+36:300230"}, nil, []paxlst.ProblemCode{paxlst.ProblemExpiry}, "DTM"},
		{"expiry before DOC", map[string]string{"NAT": "NAT+2+GBR'DTM+36:300101"}, nil, []paxlst.ProblemCode{paxlst.ProblemExpiry}, "DTM"},
		{"issuer before DOC", map[string]string{"NAT": "NAT+2+GBR'LOC+91+GBR"}, nil, []paxlst.ProblemCode{paxlst.ProblemIssuer}, "LOC"},
		{"passport after a visa", map[string]string{"DOC": "DOC+V+V1'DOC+P+P1"}, nil, nil, ""},
		{"alpha-2 nationality", map[string]string{"NAT": "NAT+2+GB"}, nil, nil, ""},
		{"ICAO D nationality", map[string]string{"NAT": "NAT+2+D"}, nil, nil, ""},
		{"partial birth date", map[string]string{"DTM329": "DTM+329:800000"}, nil, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := paxlst.Decode(withPerson(tt.repl), tt.opts)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			ps := m.Persons()
			if len(ps) != 1 {
				t.Fatalf("persons: got %d, want 1", len(ps))
			}
			p := ps[0]
			var got []paxlst.ProblemCode
			for _, pr := range p.Problems {
				got = append(got, pr.Code)
			}
			if sprint(got) != sprint(tt.want) {
				t.Fatalf("problems: got %v, want %v", p.Problems, tt.want)
			}
			if p.OK() != (len(tt.want) == 0) {
				t.Errorf("OK: got %v with problems %v", p.OK(), p.Problems)
			}
			if len(p.Problems) > 0 {
				pr := p.Problems[0]
				if pr.Tag != tt.seg || (tt.seg != "" && pr.Segment == 0) {
					t.Errorf("problem at segment %d %q, want tag %q: %v", pr.Segment, pr.Tag, tt.seg, pr)
				}
				if pr.Msg == "" || pr.String() == "" {
					t.Errorf("problem without a message: %+v", pr)
				}
				if a := paxlst.AnswerFor(p, true); a.Board || a.DataQuality != pr.Code {
					t.Errorf("AnswerFor a clear person with problems: got %+v, want no board with %q", a, pr.Code)
				}
			} else if a := paxlst.AnswerFor(p, true); !a.Board {
				t.Errorf("AnswerFor a clear person: got %+v, want board", a)
			}
		})
	}
}

func TestDecodeValues(t *testing.T) {
	m, err := paxlst.Decode(withPerson(map[string]string{
		"NAT":    "NAT+2+gb",
		"DTM329": "DTM+329:19791231:102",
		"DOC":    "DOC+p:110:111+ X123 ",
		"DTM36":  "DTM+36:2031-01-01",
		"LOC91":  "LOC+91+D",
	}), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := m.Persons()[0]
	tr := p.Traveller
	if tr.Nationality != "GBR" || tr.BirthDate != screening.Exact(1979, 12, 31) {
		t.Errorf("nationality %q, birth %v", tr.Nationality, tr.BirthDate)
	}
	if d := tr.Document; d.Type != "P" || d.Number != "X123" || d.Country != "DEU" {
		t.Errorf("document: got %+v", d)
	}
	if len(p.Problems) != 1 || p.Problems[0].Code != paxlst.ProblemExpiry {
		t.Errorf("problems: got %v, want one %s", p.Problems, paxlst.ProblemExpiry)
	}
}

func TestDecodeTwoDigitYears(t *testing.T) {
	tests := []struct {
		unbDate, birth, expiry string
		wantBirth, wantExpiry  string
	}{
		{"250601", "250601", "250602", "2025-06-01", "2025-06-02"},
		{"250601", "250602", "750601", "1925-06-02", "2075-06-01"},
		{"250601", "991231", "760101", "1999-12-31", "1976-01-01"},
		{"20250601", "000101", "000101", "2000-01-01", "2000-01-01"},
		{"991231", "991231", "491231", "1999-12-31", "2049-12-31"},
	}
	for _, tt := range tests {
		data := strings.Replace(string(withPerson(map[string]string{
			"DTM329": "DTM+329:" + tt.birth,
			"DTM36":  "DTM+36:" + tt.expiry,
		})), "250601:1030", tt.unbDate+":1030", 1)
		m, err := paxlst.Decode([]byte(data), &paxlst.Options{Now: func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }})
		if err != nil {
			t.Fatalf("%s: %v", tt.unbDate, err)
		}
		p := m.Persons()[0]
		if got := p.Traveller.BirthDate.String(); got != tt.wantBirth {
			t.Errorf("UNB %s, birth %s: got %s, want %s", tt.unbDate, tt.birth, got, tt.wantBirth)
		}
		if got := p.Traveller.Document.Expiry.String(); got != tt.wantExpiry {
			t.Errorf("UNB %s, expiry %s: got %s, want %s", tt.unbDate, tt.expiry, got, tt.wantExpiry)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	valid := personSegs(nil)
	legs := []string{"BGM+745", "TDT+20+XX123+++XX", "LOC+125+LHR", "LOC+87+JFK"}
	body := func(extra ...string) []byte {
		return message(append(append(append([]string{}, legs...), valid...), extra...)...)
	}
	tests := []struct {
		name string
		data []byte
		opts *paxlst.Options
		want error
		tag  string
	}{
		{"not EDIFACT", []byte("<paxlst/>"), nil, edifact.ErrNotEDIFACT, ""},
		{"JSON", []byte(`{"travellers":[]}`), lenient, edifact.ErrNotEDIFACT, ""},
		{"broken envelope", bytes.Replace(body("CNT+42:1"), []byte("UNT+"), []byte("UNX+"), 1), lenient, edifact.ErrEnvelope, "UNZ"},
		{"UNT count", bytes.Replace(body("CNT+42:1"), []byte("UNT+"), []byte("UNT+9"), 1), nil, edifact.ErrCount, "UNT"},
		{"not a PAXLST", bytes.Replace(body("CNT+42:1"), []byte("PAXLST:"), []byte("CUSRES:"), 1), lenient, paxlst.ErrNotPAXLST, "UNH"},
		{"no message", []byte("UNB+UNOA:4+A+B+250601:1030+1'UNZ+0+1'"), nil, paxlst.ErrNotPAXLST, "UNZ"},
		{"CNT mismatch", body("CNT+42:2"), nil, paxlst.ErrControlTotal, "CNT"},
		{"CNT crew for passengers", body("CNT+41:1"), nil, paxlst.ErrControlTotal, "CNT"},
		{"CNT unreadable", body("CNT+42:X"), nil, paxlst.ErrControlTotal, "CNT"},
		{"CNT without a total", body("CNT+41+8"), nil, paxlst.ErrControlTotal, "CNT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := paxlst.Decode(tt.data, tt.opts)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if m != nil {
				t.Errorf("got a partial manifest with the error")
			}
			if tt.tag != "" {
				var e *edifact.Error
				if !errors.As(err, &e) || e.Tag != tt.tag || e.Segment == 0 {
					t.Errorf("error %v does not name segment %s", err, tt.tag)
				}
			}
			if !strings.HasPrefix(err.Error(), "decode PAXLST: ") {
				t.Errorf("message %q lacks context", err)
			}
		})
	}
}

func TestDecodeLenientControlTotals(t *testing.T) {
	body := append(append([]string{"BGM+745", "TDT+20+XX123"}, personSegs(nil)...), "CNT+42:5")
	m, err := paxlst.Decode(message(body...), lenient)
	if err != nil {
		t.Fatalf("lenient Decode: %v", err)
	}
	w := m.Messages[0].Warnings
	if len(w) != 1 || !errors.Is(w[0], paxlst.ErrControlTotal) || w[0].Tag != "CNT" {
		t.Errorf("warnings: got %v, want one ErrControlTotal at CNT", w)
	}
	if all := m.Warnings(); len(all) != 1 {
		t.Errorf("Manifest.Warnings: got %v", all)
	}
}

func TestDecodeWarnings(t *testing.T) {
	tests := []struct {
		name string
		body []string
		want string // text the only warning contains
	}{
		{"no BGM", append([]string{"TDT+20+XX1"}, append(personSegs(nil), "CNT+42:1")...), "no BGM"},
		{"no TDT", append([]string{"BGM+745"}, append(personSegs(nil), "CNT+42:1")...), "no TDT"},
		{"no CNT", append([]string{"BGM+745", "TDT+20+XX1"}, personSegs(nil)...), "no CNT"},
		{"second BGM", append([]string{"BGM+745", "BGM+250", "TDT+20+XX1"}, append(personSegs(nil), "CNT+42:1")...), "second BGM"},
		{"ATT outside a person", append([]string{"BGM+745", "TDT+20+XX1", "ATT+2++M"}, append(personSegs(nil), "CNT+42:1")...), "outside a person"},
		{"LOC outside TDT", append([]string{"BGM+745", "LOC+125+LHR", "TDT+20+XX1"}, append(personSegs(nil), "CNT+42:1")...), "outside a TDT"},
		{"bad flight time", append([]string{"BGM+745", "TDT+20+XX1", "LOC+125+LHR", "DTM+189:2506011399:201"}, append(personSegs(nil), "CNT+42:1")...), "flight time"},
		{"NAD MS among persons", append([]string{"BGM+745", "TDT+20+XX1"}, append(personSegs(nil), "NAD+MS+++OPS", "CNT+42:1")...), "among the persons"},
		{"unknown CNT qualifier", append([]string{"BGM+745", "TDT+20+XX1"}, append(personSegs(nil), "CNT+42:1", "CNT+7:3")...), "qualifier"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := paxlst.Decode(message(tt.body...), nil)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			w := m.Messages[0].Warnings
			if len(w) != 1 || !strings.Contains(w[0].Error(), tt.want) {
				t.Errorf("warnings: got %v, want one with %q", w, tt.want)
			}
			if got := len(m.Persons()); got != 1 {
				t.Errorf("persons: got %d, want 1", got)
			}
		})
	}
}

func TestDecodeRoles(t *testing.T) {
	body := []string{"BGM+745", "TDT+20+XX1"}
	for _, role := range []string{"FL", "DDU", "FM", "DDT"} {
		segs := personSegs(map[string]string{"NAD": "NAD+" + role + "+++DOE:JOHN"})
		body = append(body, segs...)
	}
	body = append(body, "CNT+42:2", "CNT+41:2")
	m, err := paxlst.Decode(message(body...), nil)
	if err != nil {
		t.Fatal(err)
	}
	msg := m.Messages[0]
	type role struct {
		role          string
		crew, transit bool
	}
	want := []role{{"FL", false, false}, {"DDU", false, true}, {"FM", true, false}, {"DDT", true, true}}
	for i, p := range msg.Persons {
		if got := (role{p.Role, p.Crew, p.Transit}); got != want[i] {
			t.Errorf("person %d: got %+v, want %+v", i+1, got, want[i])
		}
	}
	if msg.Passengers() != 2 || msg.CrewMembers() != 2 {
		t.Errorf("passengers %d, crew %d, want 2 and 2", msg.Passengers(), msg.CrewMembers())
	}
}

func TestDecodeManyMessages(t *testing.T) {
	one := func(ref string, n int) []string {
		body := []string{"BGM+745", "TDT+20+XX1"}
		for range n {
			body = append(body, personSegs(nil)...)
		}
		body = append(body, "CNT+42:"+itoa(n))
		segs := append([]string{"UNH+" + ref + "+PAXLST:D:05B:UN:IATA"}, body...)
		return append(segs, "UNT+"+itoa(len(body)+2)+"+"+ref)
	}
	segs := []string{"UNB+UNOA:4+AIRLINE+BORDER+250601:1030+REF", "UNG+PAXLST+AIRLINE+BORDER+250601:1030+G1+UN+D:05B"}
	segs = append(segs, one("M1", 2)...)
	segs = append(segs, one("M2", 3)...)
	segs = append(segs, "UNE+2+G1", "UNZ+1+REF")
	m, err := paxlst.Decode([]byte(strings.Join(segs, "'")+"'"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Messages) != 2 || len(m.Persons()) != 5 {
		t.Fatalf("messages %d persons %d, want 2 and 5", len(m.Messages), len(m.Persons()))
	}
	if m.Messages[1].Envelope.Ref != "M2" || m.Messages[1].Group.Ref != "G1" {
		t.Errorf("second message: %q in group %q", m.Messages[1].Envelope.Ref, m.Messages[1].Group.Ref)
	}
}

// TestDecodeSlicesIndependent checks that the slices of one person do not
// share spare capacity with the next person's.
func TestDecodeSlicesIndependent(t *testing.T) {
	data, err := paxlst.Generate(11, 3, nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := paxlst.Decode(data, nil)
	if err != nil {
		t.Fatal(err)
	}
	ps := m.Persons()
	before := sprint(ps[1].Documents) + sprint(ps[1].Nationalities) + sprint(ps[1].References)
	ps[0].Documents = append(ps[0].Documents, screening.Document{Number: "X"})
	ps[0].Nationalities = append(ps[0].Nationalities, "XXX")
	ps[0].References = append(ps[0].References, paxlst.Reference{Qualifier: "X"})
	if after := sprint(ps[1].Documents) + sprint(ps[1].Nationalities) + sprint(ps[1].References); after != before {
		t.Errorf("appending to person 1 changed person 2:\n%s\n%s", before, after)
	}
	if ps[1].Traveller.Document != &ps[1].Documents[0] {
		t.Errorf("travel document does not point into the person's documents")
	}
}
