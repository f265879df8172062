package mrz_test

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/mrz"
)

// FuzzParse reads any text as an MRZ. It must never panic; an error and the
// result must agree; an MRZ that verifies must be written back by Build into
// lines that read as the same fields, and Build must then be stable; Suggest
// must keep the shape of the lines and have nothing more to repair after
// its own suggestion.
func FuzzParse(f *testing.F) {
	for _, v := range loadVectors(f) {
		f.Add(strings.Join(v.MRZ, "\n"))
	}
	for _, lines := range [][]string{specimenTD1, specimenTD2, specimenTD3, specimenMRVA, specimenMRVB} {
		f.Add(strings.Join(lines, "\r\n"))
	}
	f.Add("I<UTOD23145890<7349<<<<<<<<<<<\n3407127M9507122UTO<<<<<<<<<<<2\nSTEVENSON<<PETER<JOHN<<<<<<<<<")
	f.Add("")
	f.Fuzz(func(t *testing.T, text string) {
		m, err := testParser.ParseText(text)
		if m == nil {
			var se *mrz.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("no MRZ and error %v, want a *SyntaxError", err)
			}
			return
		}
		checkSuggest(t, m.Raw)
		if m.Valid() != (err == nil) {
			t.Fatalf("Valid() = %v, error %v", m.Valid(), err)
		}
		if err != nil {
			var ce *mrz.CheckError
			if !errors.As(err, &ce) || len(ce.Fields()) == 0 {
				t.Fatalf("got error %v, want a *CheckError naming fields", err)
			}
			return
		}
		lines, err := mrz.Build(m)
		if err != nil {
			t.Fatalf("valid MRZ %q does not build: %v", m.Raw, err)
		}
		m2, err := testParser.Parse(lines...)
		if err != nil {
			t.Fatalf("%q built from %q does not read back: %v", lines, m.Raw, err)
		}
		if got, want := comparable(m2), comparable(m); !reflect.DeepEqual(got, want) {
			t.Fatalf("round trip of %q through %q:\ngot  %+v\nwant %+v", m.Raw, lines, got, want)
		}
		again, err := mrz.Build(m2)
		if err != nil || !slices.Equal(again, lines) {
			t.Fatalf("Build is not stable: %q then %q (%v)", lines, again, err)
		}
	})
}

// comparable returns the fields of m that a round trip must keep.
func comparable(m *mrz.MRZ) fields {
	f := fieldsOf(m)
	f.Checks, f.NameTruncated = nil, false
	return f
}

func checkSuggest(t *testing.T, lines []string) {
	t.Helper()
	got, _, err := mrz.Suggest(lines...)
	if err != nil {
		t.Fatalf("Suggest refused lines that Parse read: %v", err)
	}
	if len(got) != len(lines) {
		t.Fatalf("Suggest gave %d lines for %d", len(got), len(lines))
	}
	for i := range got {
		if len(got[i]) != len(lines[i]) {
			t.Fatalf("Suggest changed the length of line %d", i+1)
		}
	}
	if _, more, _ := mrz.Suggest(got...); len(more) > 0 {
		t.Fatalf("Suggest has more repairs after its own suggestion: %+v", more)
	}
}

// FuzzBuild writes MRZs from arbitrary fields. Build must never panic, and
// whatever it writes must read back with every check digit verified and the
// same number, optional data and dates (up to the century, which an MRZ
// does not hold).
func FuzzBuild(f *testing.F) {
	f.Add(uint8(2), "P", "L898902C3", "Eriksson", "Anna María", "ZE184226B", "", uint16(1974), uint8(8), uint8(12), uint16(2012), uint8(4), uint8(15), uint8(1))
	f.Add(uint8(0), "ID", "D23145890734", "Stevenson", "Peter John", "", "", uint16(1934), uint8(7), uint8(12), uint16(1995), uint8(7), uint8(12), uint8(0))
	f.Add(uint8(1), "I", "ABCDEFGHIJKLMNO", "Müller", "", "", "", uint16(2001), uint8(0), uint8(0), uint16(2040), uint8(2), uint8(29), uint8(2))
	f.Add(uint8(3), "VB", "X", "O'Neil", "Seán", "0123456789ABCDEF", "", uint16(1999), uint8(12), uint8(31), uint16(2000), uint8(1), uint8(1), uint8(3))
	f.Add(uint8(4), "V", "X<1", "Ng", "", "", "", uint16(0), uint8(0), uint8(0), uint16(2020), uint8(5), uint8(5), uint8(1))
	formats := []mrz.Format{mrz.TD1, mrz.TD2, mrz.TD3, mrz.MRVA, mrz.MRVB}
	f.Fuzz(func(t *testing.T, fi uint8, code, number, primary, secondary, opt, opt2 string,
		by uint16, bm, bd uint8, ey uint16, em, ed uint8, sex uint8) {
		in := &mrz.MRZ{
			Format: formats[int(fi)%len(formats)], DocumentCode: code, IssuingState: "UTO", Nationality: "D",
			Primary: primary, Secondary: secondary, Number: number, Optional: opt, Optional2: opt2,
			BirthDate:  screening.Date{Year: int(by), Month: int(bm), Day: int(bd)},
			ExpiryDate: screening.Date{Year: int(ey), Month: int(em), Day: int(ed)},
			Sex:        []screening.Gender{"", "M", "F", "X"}[sex%4],
		}
		if by == 0 {
			in.BirthDate = screening.Date{}
		}
		lines, err := mrz.Build(in)
		if err != nil {
			var fe *mrz.FieldError
			if lines != nil || !errors.As(err, &fe) {
				t.Fatalf("got %q, %v; want nil and a *FieldError", lines, err)
			}
			return
		}
		if len(lines) != in.Format.Lines() {
			t.Fatalf("got %d lines, want %d", len(lines), in.Format.Lines())
		}
		m, err := testParser.Parse(lines...)
		if m == nil {
			t.Fatalf("%q: %v", lines, err)
		}
		if failed := m.Failed(); len(failed) > 0 {
			t.Fatalf("%q: check digits written by Build fail: %+v", lines, failed)
		}
		for _, p := range m.Problems {
			if p.Field != mrz.FieldName { // an empty or cut name may read differently
				t.Fatalf("%q: %+v", lines, p)
			}
		}
		if m.Format != in.Format || m.Number != in.Number || m.Optional != strings.TrimRight(in.Optional, "<") ||
			m.Optional2 != strings.TrimRight(in.Optional2, "<") || m.DocumentCode != strings.TrimRight(in.DocumentCode, "<") {
			t.Fatalf("%q: got %+v from %+v", lines, fieldsOf(m), fieldsOf(in))
		}
		sameDay := func(a, b screening.Date) bool {
			return a.Year%100 == b.Year%100 && a.Month == b.Month && a.Day == b.Day
		}
		if !sameDay(m.BirthDate, in.BirthDate) || !sameDay(m.ExpiryDate, in.ExpiryDate) {
			t.Fatalf("%q: got dates %v %v, want %v %v", lines, m.BirthDate, m.ExpiryDate, in.BirthDate, in.ExpiryDate)
		}
	})
}
