package mrz_test

import (
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bordersec/portcullis/screening/mrz"
)

// vector is one block of testdata/mrz_vectors.json (see PROVENANCE.md).
type vector struct {
	Source      string           `json:"source"`
	Format      string           `json:"format"`
	ChecksValid *bool            `json:"checks_valid"`
	Checks      map[string]*bool `json:"checks"`
	MRZ         []string         `json:"mrz"`
}

func loadVectors(tb testing.TB) []vector {
	tb.Helper()
	b, err := os.ReadFile("testdata/mrz_vectors.json")
	if err != nil {
		tb.Fatal(err)
	}
	var vs []vector
	if err := json.Unmarshal(b, &vs); err != nil {
		tb.Fatal(err)
	}
	return vs
}

// refDate is the reference date of the tests: a fixed day, so that the
// century of every year is the same whenever the tests run.
var refDate = time.Date(2026, 5, 10, 12, 0, 0, 0, time.UTC)

var testParser = mrz.Parser{Now: refDate}

// vectorSyntax lists the vectors that must not be read as an ICAO MRZ, and
// the error they must give.
var vectorSyntax = map[string]error{
	// four lines of 36
	"cheminfo/mrz:src/parse/__tests__/errors.test.ts:8": mrz.ErrFormat,
	// French identity cards issued before 2021
	"cheminfo/mrz:src/parse/__tests__/frenchNationalId.test.ts:8":  mrz.ErrNationalFormat,
	"cheminfo/mrz:src/parse/__tests__/frenchNationalId.test.ts:41": mrz.ErrNationalFormat,
	// The same card misread by OCR ("1DFRA"): the source file lists it with
	// the French cards; as ICAO, a document code cannot begin with a digit.
	"cheminfo/mrz:src/parse/__tests__/frenchNationalId.test.ts:114": mrz.ErrDocumentCode,
	// Swiss driving licences
	"cheminfo/mrz:src/parse/__tests__/swissDrivingLicense.test.ts:8":   mrz.ErrNationalFormat,
	"cheminfo/mrz:src/parse/__tests__/swissDrivingLicense.test.ts:144": mrz.ErrNationalFormat,
}

// vectorProblems lists the vectors with fields that cannot be read, and
// those fields; every other vector must have none.
var vectorProblems = map[string][]mrz.Field{
	// "BAD" is no state; the dates do not exist; the number begins with a
	// filler; the name holds digits.
	"Arg0s1080/mrz:examples/mrz_checker_samples/id_card_bad.py:6": {
		mrz.FieldIssuingState, mrz.FieldDocumentNumber, mrz.FieldBirthDate,
		mrz.FieldExpiryDate, mrz.FieldNationality, mrz.FieldName,
	},
	// ASU, INP and BOS are not ISO 3166 or ICAO codes.
	"Arg0s1080/mrz:examples/mrz_checker_samples/passport_asu.py:7": {mrz.FieldIssuingState, mrz.FieldNationality},
	"Arg0s1080/mrz:tests/td3_chk_03.py:10":                         {mrz.FieldIssuingState, mrz.FieldNationality},
	"Arg0s1080/mrz:examples/mrz_checker_samples/passport_inp.py:6": {mrz.FieldIssuingState},
	"Arg0s1080/mrz:examples/mrz_checker_samples/visa_mrvb_d.py:4":  {mrz.FieldNationality},
	// OCR misreads: letters in dates, digits in names and state codes.
	"cheminfo/mrz:src/parse/__tests__/td1.test.ts:473": {mrz.FieldBirthDate, mrz.FieldExpiryDate, mrz.FieldName},
	"cheminfo/mrz:src/parse/__tests__/td2.test.ts:51":  {mrz.FieldName, mrz.FieldNationality, mrz.FieldBirthDate, mrz.FieldExpiryDate},
	"cheminfo/mrz:src/parse/__tests__/td3.test.ts:253": {mrz.FieldIssuingState, mrz.FieldName, mrz.FieldBirthDate, mrz.FieldExpiryDate},
}

// vectorCheckFields maps the keys of a vector's checks to fields.
var vectorCheckFields = map[string]mrz.Field{
	"doc":       mrz.FieldDocumentNumber,
	"dob":       mrz.FieldBirthDate,
	"exp":       mrz.FieldExpiryDate,
	"personal":  mrz.FieldPersonalNumber,
	"composite": mrz.FieldComposite,
}

// vectorFormats maps the vectors' format labels to the formats they may be
// read as.
var vectorFormats = map[string][]mrz.Format{
	"TD1":      {mrz.TD1},
	"TD2":      {mrz.TD2},
	"TD3":      {mrz.TD3},
	"MRV-A":    {mrz.MRVA},
	"MRV-B":    {mrz.MRVB},
	"TD2/MRVB": {mrz.TD2, mrz.MRVB},
}

func TestVectors(t *testing.T) {
	vs := loadVectors(t)
	if got, want := len(vs), 54; got != want {
		t.Fatalf("got %d vectors, want %d", got, want)
	}
	sources := map[string]bool{}
	invalid := 0
	for _, v := range vs {
		sources[v.Source] = true
		if v.ChecksValid != nil && !*v.ChecksValid {
			invalid++
		}
	}
	if got, want := invalid, 11; got != want {
		t.Errorf("got %d vectors failing their checks, want %d", got, want)
	}
	for src := range vectorSyntax {
		if !sources[src] {
			t.Errorf("vectorSyntax names %s, which is not in the file", src)
		}
	}
	for src := range vectorProblems {
		if !sources[src] {
			t.Errorf("vectorProblems names %s, which is not in the file", src)
		}
	}

	for _, v := range vs {
		t.Run(v.Source, func(t *testing.T) {
			m, err := testParser.Parse(v.MRZ...)
			if want, ok := vectorSyntax[v.Source]; ok {
				var se *mrz.SyntaxError
				if m != nil || !errors.As(err, &se) || !errors.Is(err, want) {
					t.Fatalf("got %v, %v; want no MRZ and a *SyntaxError matching %v", m, err, want)
				}
				return
			}
			if m == nil {
				t.Fatalf("got error %v, want an MRZ", err)
			}
			formats, ok := vectorFormats[v.Format]
			if !ok {
				t.Fatalf("vector format %q has no expectation", v.Format)
			}
			if !slices.Contains(formats, m.Format) {
				t.Errorf("got format %v, want one of %v", m.Format, formats)
			}

			// The same check digits, each verifying as the vector says.
			var want []mrz.Field
			for key, ok := range v.Checks {
				f, known := vectorCheckFields[key]
				if !known {
					t.Fatalf("unknown check %q", key)
				}
				want = append(want, f)
				c, found := m.Check(f)
				if !found {
					t.Errorf("no %s check digit", f)
					continue
				}
				if ok != nil && c.OK != *ok {
					t.Errorf("%s check: got OK %v, want %v (%+v)", f, c.OK, *ok, c)
				}
			}
			var got []mrz.Field
			for _, c := range m.Checks {
				got = append(got, c.Field)
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("got check digits %v, want %v", got, want)
			}
			if v.ChecksValid == nil {
				t.Fatal("vector has no checks_valid")
			}
			if got, want := len(m.Failed()) == 0, *v.ChecksValid; got != want {
				t.Errorf("all check digits verify: got %v, want %v (failed %+v)", got, want, m.Failed())
			}

			// Exactly the expected problems.
			var gotP []mrz.Field
			for _, p := range m.Problems {
				if !slices.Contains(gotP, p.Field) {
					gotP = append(gotP, p.Field)
				}
			}
			wantP := slices.Clone(vectorProblems[v.Source])
			slices.Sort(gotP)
			slices.Sort(wantP)
			if !slices.Equal(gotP, wantP) {
				t.Errorf("got problems in %v, want %v (%+v)", gotP, wantP, m.Problems)
			}

			// The error agrees with the result.
			if m.Valid() != (err == nil) {
				t.Errorf("Valid() = %v but err = %v", m.Valid(), err)
			}
			if got, want := errors.Is(err, mrz.ErrCheckDigit), len(m.Failed()) > 0; got != want {
				t.Errorf("errors.Is(err, ErrCheckDigit) = %v, want %v", got, want)
			}
			if got, want := errors.Is(err, mrz.ErrField), len(m.Problems) > 0; got != want {
				t.Errorf("errors.Is(err, ErrField) = %v, want %v", got, want)
			}
			for _, c := range m.Failed() {
				if !strings.Contains(err.Error(), c.Field.Label()) {
					t.Errorf("error %q does not name the failed %s", err, c.Field.Label())
				}
			}

			// The same MRZ as one text.
			m2, err2 := testParser.ParseText(strings.Join(v.MRZ, "\r\n") + "\n")
			if m2 == nil || (err == nil) != (err2 == nil) || m2.Number != m.Number || m2.Primary != m.Primary {
				t.Errorf("ParseText: got %+v, %v; want the same as Parse", m2, err2)
			}
		})
	}
}
