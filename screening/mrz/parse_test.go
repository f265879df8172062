package mrz_test

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/mrz"
)

// The ICAO 9303 specimens of each format.
var (
	specimenTD3 = []string{
		"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
		"L898902C36UTO7408122F1204159ZE184226B<<<<<10",
	}
	specimenTD1 = []string{
		"I<UTOD231458907<<<<<<<<<<<<<<<",
		"7408122F1204159UTO<<<<<<<<<<<6",
		"ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
	}
	specimenTD2 = []string{
		"I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
		"D231458907UTO7408122F1204159<<<<<<<6",
	}
	specimenMRVA = []string{
		"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
		"L8988901C4XXX4009078F96121096ZE184226B<<<<<<",
	}
	specimenMRVB = []string{
		"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
		"L8988901C4XXX4009078F9612109<<<<<<<<",
	}
)

// fields is what a test compares of an MRZ.
type fields struct {
	Format              mrz.Format
	Code, State         string
	Primary, Secondary  string
	Number, Nationality string
	Birth, Expiry       screening.Date
	Sex                 screening.Gender
	Optional, Optional2 string
	Checks              []mrz.Field
	NameTruncated       bool
	DocumentType        string
}

func fieldsOf(m *mrz.MRZ) fields {
	var checks []mrz.Field
	for _, c := range m.Checks {
		checks = append(checks, c.Field)
	}
	return fields{
		Format: m.Format, Code: m.DocumentCode, State: m.IssuingState,
		Primary: m.Primary, Secondary: m.Secondary, Number: m.Number, Nationality: m.Nationality,
		Birth: m.BirthDate, Expiry: m.ExpiryDate, Sex: m.Sex, Optional: m.Optional, Optional2: m.Optional2,
		Checks: checks, NameTruncated: m.NameTruncated, DocumentType: m.DocumentType(),
	}
}

func TestParseFormats(t *testing.T) {
	all := []mrz.Field{mrz.FieldDocumentNumber, mrz.FieldBirthDate, mrz.FieldExpiryDate, mrz.FieldComposite}
	visa := all[:3]
	td3 := []mrz.Field{mrz.FieldDocumentNumber, mrz.FieldBirthDate, mrz.FieldExpiryDate, mrz.FieldPersonalNumber, mrz.FieldComposite}
	anna := fields{
		State: "UTO", Primary: "ERIKSSON", Secondary: "ANNA MARIA", Nationality: "UTO",
		Birth: screening.Exact(1974, 8, 12), Expiry: screening.Exact(2012, 4, 15), Sex: screening.GenderFemale,
	}
	with := func(f fields, edit func(*fields)) fields { edit(&f); return f }
	tests := []struct {
		name  string
		lines []string
		want  fields
	}{
		{"TD3", specimenTD3, with(anna, func(f *fields) {
			f.Format, f.Code, f.DocumentType, f.Number, f.Optional, f.Checks = mrz.TD3, "P", "P", "L898902C3", "ZE184226B", td3
		})},
		{"TD1", specimenTD1, with(anna, func(f *fields) {
			f.Format, f.Code, f.DocumentType, f.Number, f.Checks = mrz.TD1, "I", "I", "D23145890", all
		})},
		{"TD2", specimenTD2, with(anna, func(f *fields) {
			f.Format, f.Code, f.DocumentType, f.Number, f.Checks = mrz.TD2, "I", "I", "D23145890", all
		})},
		{"MRV-A", specimenMRVA, with(anna, func(f *fields) {
			f.Format, f.Code, f.DocumentType, f.Number, f.Nationality, f.Checks = mrz.MRVA, "V", "V", "L8988901C", "XXX", visa
			f.Birth, f.Expiry, f.Optional = screening.Exact(1940, 9, 7), screening.Exact(1996, 12, 10), "6ZE184226B"
		})},
		{"MRV-B", specimenMRVB, with(anna, func(f *fields) {
			f.Format, f.Code, f.DocumentType, f.Number, f.Nationality, f.Checks = mrz.MRVB, "V", "V", "L8988901C", "XXX", visa
			f.Birth, f.Expiry = screening.Exact(1940, 9, 7), screening.Exact(1996, 12, 10)
		})},
		{"TD1 optional data in both lines", []string{
			"IDBEL600001795<0152<<<<<<<<<<<",
			"1301014F2311207BEL130101987398",
			"SPECIMEN<<SPECIMEN<<<<<<<<<<<<",
		}, fields{
			Format: mrz.TD1, Code: "ID", DocumentType: "I", State: "BEL", Primary: "SPECIMEN", Secondary: "SPECIMEN",
			Number: "600001795015", Nationality: "BEL", Birth: screening.Exact(2013, 1, 1), Expiry: screening.Exact(2023, 11, 20),
			Sex: screening.GenderFemale, Optional2: "13010198739", Checks: all,
		}},
		{"German passport: D, personal number check '<'", []string{
			"P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<",
			"C01X0006H1D<<6408125F1710319<<<<<<<<<<<<<<<0",
		}, fields{
			Format: mrz.TD3, Code: "P", DocumentType: "P", State: "D", Primary: "MUSTERMANN", Secondary: "ERIKA",
			Number: "C01X0006H", Nationality: "D", Birth: screening.Exact(1964, 8, 12), Expiry: screening.Exact(2017, 10, 31),
			Sex: screening.GenderFemale, Checks: td3,
		}},
		{"two-letter code, full name field", []string{
			"IDSRB95555554612902968000000<<",
			"6802295F1307245SRB<<<<<<<<<<<6",
			"DR<TEST<TEST<<MILICA<MILICAAAA",
		}, fields{
			Format: mrz.TD1, Code: "ID", DocumentType: "I", State: "SRB", Primary: "DR TEST TEST", Secondary: "MILICA MILICAAAA",
			Number: "955555546", Nationality: "SRB", Birth: screening.Exact(1968, 2, 29), Expiry: screening.Exact(2013, 7, 24),
			Sex: screening.GenderFemale, Optional: "2902968000000", Checks: all, NameTruncated: true,
		}},
		{"no primary identifier", []string{
			"I<CHED231458907ABC<<<<<<<<<<<<",
			"7408122F1204159CHE<<<<<<<<<<<1",
			"<<ANNA<MARIA<<<<<<<<<<<<<<<<<<",
		}, fields{
			Format: mrz.TD1, Code: "I", DocumentType: "I", State: "CHE", Secondary: "ANNA MARIA",
			Number: "D23145890", Nationality: "CHE", Birth: screening.Exact(1974, 8, 12), Expiry: screening.Exact(2012, 4, 15),
			Sex: screening.GenderFemale, Optional: "ABC", Checks: all,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := testParser.Parse(tt.lines...)
			if err != nil {
				t.Fatalf("got error %v", err)
			}
			got := fieldsOf(m)
			if !equalFields(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
			if !slices.Equal(m.Raw, tt.lines) {
				t.Errorf("got Raw %q, want %q", m.Raw, tt.lines)
			}
			if !m.Valid() || m.Err() != nil || len(m.Failed()) != 0 {
				t.Errorf("got Valid %v, Err %v, Failed %v; want a valid MRZ", m.Valid(), m.Err(), m.Failed())
			}
		})
	}
}

func equalFields(a, b fields) bool { return reflect.DeepEqual(a, b) }

func TestParseCheckDigitFailures(t *testing.T) {
	// Each check digit of the TD3 specimen changed in turn: that digit fails,
	// and so does the composite, which covers it.
	tests := []struct {
		name string
		pos  int // 0-based in line 2
		want []mrz.Field
	}{
		{"document number", 9, []mrz.Field{mrz.FieldDocumentNumber, mrz.FieldComposite}},
		{"birth date", 19, []mrz.Field{mrz.FieldBirthDate, mrz.FieldComposite}},
		{"expiry date", 27, []mrz.Field{mrz.FieldExpiryDate, mrz.FieldComposite}},
		{"personal number", 42, []mrz.Field{mrz.FieldPersonalNumber, mrz.FieldComposite}},
		{"composite", 43, []mrz.Field{mrz.FieldComposite}},
		{"a digit of the birth date", 15, []mrz.Field{mrz.FieldBirthDate, mrz.FieldComposite}},
		{"a letter of the number", 6, []mrz.Field{mrz.FieldDocumentNumber, mrz.FieldComposite}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l2 := []byte(specimenTD3[1])
			if l2[tt.pos] == '9' {
				l2[tt.pos] = '8'
			} else if l2[tt.pos] >= 'A' {
				l2[tt.pos] = 'X'
			} else {
				l2[tt.pos]++
			}
			m, err := testParser.Parse(specimenTD3[0], string(l2))
			if m == nil {
				t.Fatalf("got no MRZ: %v", err)
			}
			var ce *mrz.CheckError
			if !errors.As(err, &ce) || !errors.Is(err, mrz.ErrCheckDigit) {
				t.Fatalf("got error %v, want a *CheckError matching ErrCheckDigit", err)
			}
			if got := ce.Fields(); !slices.Equal(got, tt.want) {
				t.Errorf("got failed fields %v, want %v", got, tt.want)
			}
			for _, f := range tt.want {
				if !strings.Contains(err.Error(), f.Label()) {
					t.Errorf("error %q does not name %s", err, f.Label())
				}
			}
			if got := m.Failed()[0]; got.Line != 2 || got.Pos != checkPos(tt.want[0]) {
				t.Errorf("got failed check at line %d position %d, want line 2 position %d", got.Line, got.Pos, checkPos(tt.want[0]))
			}
			// The fields are there all the same.
			if m.Primary != "ERIKSSON" || m.IssuingState != "UTO" {
				t.Errorf("got %q from %q, want the fields read", m.Primary, m.IssuingState)
			}
		})
	}
}

// checkPos returns the 1-based position in line 2 of a TD3 check digit.
func checkPos(f mrz.Field) int {
	return map[mrz.Field]int{
		mrz.FieldDocumentNumber: 10, mrz.FieldBirthDate: 20, mrz.FieldExpiryDate: 28,
		mrz.FieldPersonalNumber: 43, mrz.FieldComposite: 44,
	}[f]
}

// td3With returns the TD3 specimen with another date of birth, expiry date
// and personal number, and every check digit recomputed.
func td3With(t *testing.T, birth, expiry, personal string, personalCheck byte) []string {
	t.Helper()
	digit := func(s string) string {
		d, ok := mrz.CheckDigit(s)
		if !ok {
			t.Fatalf("CheckDigit(%q) not ok", s)
		}
		return string(d)
	}
	personal += strings.Repeat("<", 14-len(personal))
	if personalCheck == 0 {
		personalCheck = digit(personal)[0]
	}
	l2 := "L898902C36UTO" + birth + digit(birth) + "F" + expiry + digit(expiry) + personal + string(personalCheck)
	l2 += digit(l2[0:10] + l2[13:20] + l2[21:43])
	return []string{specimenTD3[0], l2}
}

func TestParseDates(t *testing.T) {
	// refDate is 2026-05-10.
	tests := []struct {
		name          string
		parser        mrz.Parser
		birth, expiry string
		wantBirth     screening.Date
		wantExpiry    screening.Date
	}{
		{"birth today", testParser, "260510", "300101", screening.Exact(2026, 5, 10), screening.Exact(2030, 1, 1)},
		{"birth tomorrow is a century ago", testParser, "260511", "300101", screening.Exact(1926, 5, 11), screening.Exact(2030, 1, 1)},
		{"birth later this year", testParser, "261231", "300101", screening.Exact(1926, 12, 31), screening.Exact(2030, 1, 1)},
		{"birth last century", testParser, "991231", "300101", screening.Exact(1999, 12, 31), screening.Exact(2030, 1, 1)},
		{"29 February 2000", testParser, "000229", "300101", screening.Exact(2000, 2, 29), screening.Exact(2030, 1, 1)},
		{"birth year only", testParser, "74<<<<", "300101", screening.Date{Year: 1974}, screening.Exact(2030, 1, 1)},
		{"birth month unknown as 00", testParser, "740000", "300101", screening.Date{Year: 1974}, screening.Exact(2030, 1, 1)},
		{"birth day unknown", testParser, "7408<<", "300101", screening.Date{Year: 1974, Month: 8}, screening.Exact(2030, 1, 1)},
		{"birth this year, month unknown", testParser, "26<<<<", "300101", screening.Date{Year: 2026}, screening.Exact(2030, 1, 1)},
		{"birth this year, later month", testParser, "2606<<", "300101", screening.Date{Year: 1926, Month: 6}, screening.Exact(2030, 1, 1)},
		{"birth unknown", testParser, "<<<<<<", "300101", screening.Date{}, screening.Exact(2030, 1, 1)},
		{"expiry 50 years ahead", testParser, "740812", "761231", screening.Exact(1974, 8, 12), screening.Exact(2076, 12, 31)},
		{"expiry 51 years ahead is 49 years ago", testParser, "740812", "770101", screening.Exact(1974, 8, 12), screening.Exact(1977, 1, 1)},
		{"expiry last year", testParser, "740812", "250101", screening.Exact(1974, 8, 12), screening.Exact(2025, 1, 1)},
		{"expiry window of 10 years: 36", mrz.Parser{Now: refDate, ExpiryYearsAhead: 10}, "740812", "361231", screening.Exact(1974, 8, 12), screening.Exact(2036, 12, 31)},
		{"expiry window of 10 years: 37", mrz.Parser{Now: refDate, ExpiryYearsAhead: 10}, "740812", "370101", screening.Exact(1974, 8, 12), screening.Exact(1937, 1, 1)},
		{"next century", mrz.Parser{Now: time.Date(2099, 12, 31, 0, 0, 0, 0, time.UTC)}, "000101", "050101", screening.Exact(2000, 1, 1), screening.Exact(2105, 1, 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := tt.parser.Parse(td3With(t, tt.birth, tt.expiry, "", '<')...)
			if err != nil {
				t.Fatalf("got error %v", err)
			}
			if m.BirthDate != tt.wantBirth || m.ExpiryDate != tt.wantExpiry {
				t.Errorf("got birth %v expiry %v, want %v and %v", m.BirthDate, m.ExpiryDate, tt.wantBirth, tt.wantExpiry)
			}
		})
	}
}

func TestParseFieldProblems(t *testing.T) {
	tests := []struct {
		name                      string
		birth, expiry, personal   string
		state, nationality, sex   string
		personalCheck             byte
		wantField                 mrz.Field
		wantPos                   int
		wantReason                string
		wantBirthZero, wantNoDate bool
	}{
		{name: "month 13", birth: "741312", wantField: mrz.FieldBirthDate, wantPos: 14, wantReason: "no month 13"},
		{name: "30 February", birth: "740230", wantField: mrz.FieldBirthDate, wantPos: 14, wantReason: "no such day"},
		{name: "29 February 2001", birth: "010229", wantField: mrz.FieldBirthDate, wantPos: 14, wantReason: "no such day"},
		{name: "letter in a date", birth: "74O812", wantField: mrz.FieldBirthDate, wantPos: 14, wantReason: "not a date"},
		{name: "day without month", birth: "74<<12", wantField: mrz.FieldBirthDate, wantPos: 14, wantReason: "a day without a month"},
		{name: "partial expiry", expiry: "1204<<", wantField: mrz.FieldExpiryDate, wantPos: 22, wantReason: "not a full date"},
		{name: "expiry day 00", expiry: "120400", wantField: mrz.FieldExpiryDate, wantPos: 22, wantReason: "not a full date"},
		{name: "no expiry", expiry: "<<<<<<", wantField: mrz.FieldExpiryDate, wantPos: 22, wantReason: "no date"},
		{name: "unknown nationality", nationality: "ZZZ", wantField: mrz.FieldNationality, wantPos: 11, wantReason: "unknown state code"},
		{name: "two-letter nationality", nationality: "GB<", wantField: mrz.FieldNationality, wantPos: 11, wantReason: "not a state code"},
		{name: "digit in nationality", nationality: "UT0", wantField: mrz.FieldNationality, wantPos: 11, wantReason: "not a state code"},
		{name: "no nationality", nationality: "<<<", wantField: mrz.FieldNationality, wantPos: 11, wantReason: "no state code"},
		{name: "sex", sex: "Q", wantField: mrz.FieldSex, wantPos: 21, wantReason: "not M, F, X"},
		{name: "personal number check '<' with a number", personal: "ZE184226B", personalCheck: '<', wantField: mrz.FieldPersonalNumber, wantPos: 43},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			def := func(s, d string) string {
				if s == "" {
					return d
				}
				return s
			}
			lines := td3With(t, def(tt.birth, "740812"), def(tt.expiry, "300101"), tt.personal, tt.personalCheck)
			l2 := []byte(lines[1])
			copy(l2[10:13], def(tt.nationality, "UTO"))
			copy(l2[20:21], def(tt.sex, "F"))
			d, _ := mrz.CheckDigit(string(l2[0:10]) + string(l2[13:20]) + string(l2[21:43]))
			l2[43] = d
			m, err := testParser.Parse(lines[0], string(l2))
			if m == nil {
				t.Fatalf("got no MRZ: %v", err)
			}
			if tt.wantReason == "" {
				// A failed check digit rather than a field problem.
				c, _ := m.Check(tt.wantField)
				if c.OK || c.Pos != tt.wantPos || !errors.Is(err, mrz.ErrCheckDigit) {
					t.Errorf("got check %+v, error %v; want a failed check at position %d", c, err, tt.wantPos)
				}
				return
			}
			if len(m.Problems) != 1 {
				t.Fatalf("got problems %+v, want one in %s", m.Problems, tt.wantField)
			}
			p := m.Problems[0]
			if p.Field != tt.wantField || p.Line != 2 || p.Pos != tt.wantPos || !strings.Contains(p.Reason, tt.wantReason) {
				t.Errorf("got problem %+v, want %s at line 2 position %d: %q", p, tt.wantField, tt.wantPos, tt.wantReason)
			}
			if !errors.Is(err, mrz.ErrField) || errors.Is(err, mrz.ErrCheckDigit) {
				t.Errorf("got error %v, want one matching ErrField only", err)
			}
			if !strings.Contains(err.Error(), tt.wantField.Label()) {
				t.Errorf("error %q does not name %s", err, tt.wantField.Label())
			}
		})
	}
}

func TestParseLongDocumentNumbers(t *testing.T) {
	tests := []struct {
		name       string
		lines      []string
		wantNumber string
		wantOpt    string
		wantCheck  mrz.Check
	}{
		{"ICAO example, 12 characters", []string{
			"I<UTOD23145890<7349<<<<<<<<<<<",
			"3407127M9507122UTO<<<<<<<<<<<2",
			"STEVENSON<<PETER<JOHN<<<<<<<<<",
		}, "D23145890734", "", mrz.Check{Field: mrz.FieldDocumentNumber, Line: 1, Pos: 19, Got: '9', Want: '9', OK: true}},
		{"10 characters", []string{
			"IDUTO123456789<07<<<<<<<<<<<<<",
			"8601012M3001019UTO<<<<<<<<<<<6",
			"SPECIMEN<<JANE<<<<<<<<<<<<<<<<",
		}, "1234567890", "", mrz.Check{Field: mrz.FieldDocumentNumber, Line: 1, Pos: 17, Got: '7', Want: '7', OK: true}},
		{"optional data after the number, filler counted", []string{
			"I<UTOD23145890<1240<XYZ<<<<<<<",
			"7408122F1204159UTO<<<<<<<<<<<8",
			"ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
		}, "D23145890124", "XYZ", mrz.Check{Field: mrz.FieldDocumentNumber, Line: 1, Pos: 19, Got: '0', Want: '4', OK: true, Note: mrz.NoteLongNumberFiller}},
		{"Belgian variant counting the filler", []string{
			"IDBEL000590240<6013<<<<<<<<<<<",
			"8512017F1311048BEL851201002007",
			"REINARTZ<<ULRIKE<KATIA<E<<<<<<",
		}, "000590240601", "", mrz.Check{Field: mrz.FieldDocumentNumber, Line: 1, Pos: 19, Got: '3', Want: '1', OK: true, Note: mrz.NoteLongNumberFiller}},
		{"filler with no continuation", []string{
			"I<UTOD23145890<<<<<<<<<<<<<<<<",
			"7408122F1204159UTO<<<<<<<<<<<7",
			"ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
		}, "D23145890", "", mrz.Check{Field: mrz.FieldDocumentNumber, Line: 1, Pos: 15, Got: '<', Want: '7'}},
		{"TD2, 12 characters", []string{
			"I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
			"AB1234567<UTO7408122F12041598904<<<2",
		}, "AB1234567890", "", mrz.Check{Field: mrz.FieldDocumentNumber, Line: 2, Pos: 32, Got: '4', Want: '4', OK: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := testParser.Parse(tt.lines...)
			if m == nil {
				t.Fatalf("got no MRZ: %v", err)
			}
			c, _ := m.Check(mrz.FieldDocumentNumber)
			if m.Number != tt.wantNumber || m.Optional != tt.wantOpt || c != tt.wantCheck {
				t.Errorf("got number %q, optional %q, check %+v\nwant %q, %q, %+v", m.Number, m.Optional, c, tt.wantNumber, tt.wantOpt, tt.wantCheck)
			}
			if comp, _ := m.Check(mrz.FieldComposite); !comp.OK {
				t.Errorf("composite failed: %+v", comp)
			}
			if got, want := err == nil, tt.wantCheck.OK; got != want {
				t.Errorf("got error %v, want error: %v", err, !want)
			}
		})
	}
}

func TestParseSpecialCodes(t *testing.T) {
	codes := []string{"D", "GBD", "GBN", "GBO", "GBP", "GBS", "UNO", "UNA", "UNK", "EUE",
		"XBA", "XEC", "XCC", "XCO", "XIM", "XPO", "XOM", "XXA", "XXB", "XXC", "XXX", "UTO"}
	for _, code := range codes {
		t.Run(code, func(t *testing.T) {
			if !mrz.IsSpecialCode(code) {
				t.Errorf("IsSpecialCode(%q) = false", code)
			}
			lines, err := mrz.Build(&mrz.MRZ{
				Format: mrz.TD3, DocumentCode: "P", IssuingState: code, Nationality: code,
				Primary: "DOE", Secondary: "JANE", Number: "X1234567",
				BirthDate: screening.Exact(1980, 1, 2), ExpiryDate: screening.Exact(2030, 3, 4),
			})
			if err != nil {
				t.Fatal(err)
			}
			m, err := testParser.Parse(lines...)
			if err != nil {
				t.Fatalf("got error %v", err)
			}
			want := code
			if code == "D" {
				want = "DEU"
			}
			tr := m.Traveller()
			if m.IssuingState != code || m.Nationality != code || tr.Nationality != want || tr.Document.Country != want {
				t.Errorf("got state %q nationality %q, traveller %q document %q; want %q, %q, %q, %q",
					m.IssuingState, m.Nationality, tr.Nationality, tr.Document.Country, code, code, want, want)
			}
		})
	}
	for _, code := range []string{"DEU", "GBR", "", "XXD", "d"} {
		if mrz.IsSpecialCode(code) {
			t.Errorf("IsSpecialCode(%q) = true", code)
		}
	}
}

func TestParseSyntaxErrors(t *testing.T) {
	td3Line2 := specimenTD3[1]
	tests := []struct {
		name     string
		lines    []string
		want     error
		wantLine int
		wantPos  int
		wantMsg  string
	}{
		{"no lines", nil, mrz.ErrFormat, 0, 0, "no lines"},
		{"one line", []string{td3Line2}, mrz.ErrFormat, 0, 0, "1 line of 44"},
		{"four lines", []string{"A", "B", "C", "D"}, mrz.ErrFormat, 0, 0, "4 lines"},
		{"line 2 short", []string{specimenTD3[0], td3Line2[:43]}, mrz.ErrFormat, 2, 0, "has 43 characters, want 44"},
		{"line 3 long", []string{specimenTD1[0], specimenTD1[1], specimenTD1[2] + "<"}, mrz.ErrFormat, 3, 0, "has 31 characters"},
		{"two lines of 30", specimenTD1[:2], mrz.ErrFormat, 1, 0, "want 36 (TD2, MRV-B) or 44"},
		{"three lines of 44", []string{specimenTD3[0], td3Line2, td3Line2}, mrz.ErrFormat, 1, 0, "want 30 (TD1)"},
		{"lower case", []string{specimenTD3[0], "l" + td3Line2[1:]}, mrz.ErrCharacter, 2, 1, "'l'"},
		{"space", []string{specimenTD3[0][:20] + " " + specimenTD3[0][21:], td3Line2}, mrz.ErrCharacter, 1, 21, "' '"},
		{"non-ASCII", []string{specimenTD3[0], td3Line2[:43] + "\xc3"}, mrz.ErrCharacter, 2, 44, "byte 0xC3 (not ASCII)"},
		{"TD3 not P", []string{"X" + specimenTD3[0][1:], td3Line2}, mrz.ErrDocumentCode, 1, 1, "'X' is not P (TD3) or V (MRV-A)"},
		{"TD1 with P", []string{"P" + specimenTD1[0][1:], specimenTD1[1], specimenTD1[2]}, mrz.ErrDocumentCode, 1, 1, "A, C or I (TD1)"},
		{"TD2 with filler", []string{"<" + specimenTD2[0][1:], specimenTD2[1]}, mrz.ErrDocumentCode, 1, 1, "'<'"},
		{"French national identity card", []string{
			"IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<", "9409923102854CORINNE<<<<<<<6512068F4",
		}, mrz.ErrNationalFormat, 1, 1, "French identity card"},
		{"Swiss driving licence", []string{
			"AAA001D<<", "FACHE305142128097<<800126<<<<<", "MARCHAND<<FABIENNE<<<<<<<<<<<<",
		}, mrz.ErrNationalFormat, 0, 0, "Swiss driving licence"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := testParser.Parse(tt.lines...)
			var se *mrz.SyntaxError
			if m != nil || !errors.As(err, &se) {
				t.Fatalf("got %v, %v; want a *SyntaxError", m, err)
			}
			if !errors.Is(err, tt.want) || se.Line != tt.wantLine || se.Pos != tt.wantPos || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("got %q (line %d, position %d); want %v at line %d position %d with %q",
					err, se.Line, se.Pos, tt.want, tt.wantLine, tt.wantPos, tt.wantMsg)
			}
		})
	}
}

func TestParseText(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		wantErr error
	}{
		{"LF", specimenTD3[0] + "\n" + specimenTD3[1], nil},
		{"CRLF and final line break", specimenTD3[0] + "\r\n" + specimenTD3[1] + "\r\n", nil},
		{"leading line breaks", "\n\r\n" + strings.Join(specimenTD1, "\n"), nil},
		{"empty", "", mrz.ErrFormat},
		{"only line breaks", "\r\n\n", mrz.ErrFormat},
		{"blank line inside", specimenTD3[0] + "\n\n" + specimenTD3[1], mrz.ErrFormat},
		{"four lines", strings.Join(specimenTD1, "\n") + "\n" + specimenTD1[0], mrz.ErrFormat},
		{"trailing space", specimenTD3[0] + " \n" + specimenTD3[1], mrz.ErrFormat},
		{"tab", specimenTD3[0] + "\n\t" + specimenTD3[1][1:], mrz.ErrCharacter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := testParser.ParseText(tt.text)
			if tt.wantErr == nil {
				if err != nil || m == nil {
					t.Fatalf("got %v, want an MRZ", err)
				}
				return
			}
			if m != nil || !errors.Is(err, tt.wantErr) {
				t.Errorf("got %v, %v; want %v", m, err, tt.wantErr)
			}
		})
	}
}

func TestConverters(t *testing.T) {
	m, err := testParser.Parse("P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<", "C01X0006H1D<<6408125F1710319<<<<<<<<<<<<<<<0")
	if err != nil {
		t.Fatal(err)
	}
	doc := screening.Document{Type: "P", Number: "C01X0006H", Country: "DEU", Expiry: screening.Exact(2017, 10, 31)}
	if got := m.Document(); got != doc {
		t.Errorf("got document %+v, want %+v", got, doc)
	}
	if err := m.Document().Validate(); err != nil {
		t.Errorf("document does not validate: %v", err)
	}
	tr := m.Traveller()
	want := screening.Traveller{Surname: "MUSTERMANN", GivenNames: "ERIKA", BirthDate: screening.Exact(1964, 8, 12),
		Nationality: "DEU", Gender: screening.GenderFemale}
	gotDoc := tr.Document
	tr.Document = nil
	if tr != want || gotDoc == nil || *gotDoc != doc {
		t.Errorf("got traveller %+v with %+v, want %+v with %+v", tr, gotDoc, want, doc)
	}
	if got, want := tr.FullName(), "ERIKA MUSTERMANN"; got != want {
		t.Errorf("got full name %q, want %q", got, want)
	}
}

func TestCheckDigit(t *testing.T) {
	tests := []struct {
		text   string
		want   byte
		wantOK bool
	}{
		{"L898902C3", '6', true},
		{"740812", '2', true},
		{"120415", '9', true},
		{"ZE184226B<<<<<", '1', true},
		{"D23145890734", '9', true},
		{"600001795015", '2', true},
		{"000590240<601", '3', true},
		{"", '0', true},
		{"<<<<<<", '0', true},
		{"abc", 0, false},
		{"A-1", 0, false},
	}
	for _, tt := range tests {
		got, ok := mrz.CheckDigit(tt.text)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("CheckDigit(%q) = %q, %v; want %q, %v", tt.text, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		f            mrz.Format
		name         string
		lines, width int
		visa         bool
	}{
		{mrz.TD1, "TD1", 3, 30, false},
		{mrz.TD2, "TD2", 2, 36, false},
		{mrz.TD3, "TD3", 2, 44, false},
		{mrz.MRVA, "MRV-A", 2, 44, true},
		{mrz.MRVB, "MRV-B", 2, 36, true},
		{0, "unknown", 0, 0, false},
	}
	for _, tt := range tests {
		if tt.f.String() != tt.name || tt.f.Lines() != tt.lines || tt.f.Width() != tt.width || tt.f.IsVisa() != tt.visa {
			t.Errorf("%d: got %s %d %d %v, want %s %d %d %v", tt.f, tt.f, tt.f.Lines(), tt.f.Width(), tt.f.IsVisa(),
				tt.name, tt.lines, tt.width, tt.visa)
		}
	}
}
