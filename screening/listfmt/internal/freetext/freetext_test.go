package freetext_test

import (
	"reflect"
	"testing"
	"unicode"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/listfmt/internal/freetext"
)

func TestDate(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" when not a date
	}{
		{"2006-01-02", "2006-01-02"},
		{"02/01/2006", "2006-01-02"},
		{"2 Jan 2006", "2006-01-02"},
		{"02 Jan. 2006", "2006-01-02"},
		{"14 February 2023", "2023-02-14"},
		{"Jan 1960", "1960-01"},
		{"Nov. 1973 ", "1973-11"},
		{"August 1961", "1961-08"},
		{"January 2, 2006", "2006-01-02"},
		{"Sept. 1977", "1977-09"},
		{"1960", "1960"},
		{"1960.", "1960"},
		{"31 Feb 2001", ""},
		{"24/06/1402 (Hijri Calendar)", ""},
		{"30-35 years old", ""},
		{"19601", ""},
		{"Sep.", ""},
		{"", ""},
		{"0999", ""},
		{"12 Foo 2001", ""},
	}
	for _, tt := range tests {
		d, ok := freetext.Date(tt.in)
		got := ""
		if ok {
			got = d.String()
		}
		if got != tt.want {
			t.Errorf("Date(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestExpiry(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"expiration date 14 Feb. 2023", "2023-02-14"},
		{"Expiration date: 2026-12-11.", "2026-12-11"},
		{"issued by the Minister. Expires on 11 Jun. 2017. Diplomatic", "2017-06-11"},
		{"Issued 15 October 2000; expired 15 October 2005", "2005-10-15"},
		{"issue date: 01/11/2002, expiry date: 31/10/2007", "2007-10-31"},
		{"valid until 10 April 2018", "2018-04-10"},
		{"Date of expiration: 3 May 2024", "2024-05-03"},
		{"expire date: 06/06/2023, issue date : 06/05/2013", "2023-06-06"},
		{"expired on 4 May", ""},
		{"Personal number on passport", ""},
		{"", ""},
	}
	for _, tt := range tests {
		d, ok := freetext.Expiry(tt.in)
		got := ""
		if ok {
			got = d.String()
		}
		if got != tt.want {
			t.Errorf("Expiry(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWidenSpan(t *testing.T) {
	tests := []struct {
		name string
		got  screening.Date
		want string
	}{
		{"widen year", freetext.Widen(screening.Date{Year: 1960}), "1959/1961"},
		{"widen day", freetext.Widen(screening.Exact(1966, 7, 7)), "1965/1967"},
		{"widen range", freetext.Widen(screening.Date{Year: 1979, ToYear: 1982}), "1978/1983"},
		{"span years", freetext.Span(screening.Exact(1961, 1, 1), screening.Exact(1962, 12, 31)), "1961/1962"},
		{"span one year", freetext.Span(screening.Exact(1946, 9, 26), screening.Exact(1946, 12, 7)), "1946"},
		{"span equal", freetext.Span(screening.Date{Year: 1950, Month: 3}, screening.Date{Year: 1950, Month: 3}), "1950-03"},
	}
	for _, tt := range tests {
		if got := tt.got.String(); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
		if err := tt.got.Validate(); err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
}

func TestDocumentNumber(t *testing.T) {
	tests := []struct {
		in   string
		want freetext.Number
	}{
		{"OB 0243318", freetext.Number{Value: "OB 0243318"}},
		{"96 03 464086", freetext.Number{Value: "96 03 464086"}},
		{"SE 011252", freetext.Number{Value: "SE 011252"}},
		{"Libya 428720", freetext.Number{Value: "428720", Country: "LBY"}},
		{"R00012098, South Sudan", freetext.Number{Value: "R00012098", Country: "SSD"}},
		{"Russian foreign travel passport number 514448632",
			freetext.Number{Value: "514448632", Country: "RUS", Note: "Russian foreign travel passport"}},
		{"381110042 (Expired 25 Jan. 2016)", freetext.Number{Value: "381110042", Note: "Expired 25 Jan. 2016"}},
		{"Diplomatic Passport: Z30321794", freetext.Number{Value: "Z30321794", Note: "Diplomatic Passport"}},
		{"Provisional passport No.: 28642163", freetext.Number{Value: "28642163", Note: "Provisional passport"}},
		{"Social Security Number 423-31-3021 (US)",
			freetext.Number{Value: "423-31-3021", Country: "USA", Note: "Social Security"}},
		{"Central African Republic armed forces (FACA) Military identification\nnumber 911-10-77",
			freetext.Number{Value: "911-10-77", Country: "CAF", Note: "Central African Republic armed forces (FACA) Military identification"}},
		{"German travel document (“Reiseausweis”) A 0139243",
			freetext.Number{Value: "A 0139243", Country: "DEU", Note: "travel document (“Reiseausweis”)"}},
		{"Tunisian passport number L723315, issued on 5 May 1998",
			freetext.Number{Value: "L723315", Country: "TUN", Note: "Tunisian passport; issued on 5 May 1998"}},
		{"'0059243228 ", freetext.Number{Value: "0059243228"}},
		{"\n4117921", freetext.Number{Value: "4117921"}},
		{"Passport issued in Sarajevo", freetext.Number{Note: "Passport issued in Sarajevo"}},
		{"", freetext.Number{}},
	}
	for _, tt := range tests {
		if got := freetext.DocumentNumber(tt.in); got != tt.want {
			t.Errorf("DocumentNumber(%q)\n got %+v\nwant %+v", tt.in, got, tt.want)
		}
	}
}

func TestIssuingCountry(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Afghanistan diplomatic passport number D0009925, issued on 22 May 2022", "AFG"},
		{"(Libyan)", "LBY"},
		{"a Afghanistan passport, issued 12 Nov 2019", "AFG"},
		{"Expires 21 Aug 2005 (Iraq).", "IRQ"},
		{"Issue no. 002-17-L022286, place of issue: Syria", "SYR"},
		{"issued on 3 Oct. 1983, issued in BOMBAY", ""},
		{"Issued on 14 Jul. 2011 in Al-Khafji, Saudi Arabia", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, _ := freetext.IssuingCountry(tt.in)
		if got != tt.want {
			t.Errorf("IssuingCountry(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMergeDocuments(t *testing.T) {
	in := []screening.Document{
		{Type: "P", Number: "645120196", Country: "PRK"},
		{Type: "P", Number: "645120196", Country: "PRK", Expiry: screening.Exact(2020, 1, 2), Note: "expires 2 Jan 2020"},
		{Type: "P", Number: "645120196", Country: "PRK", Note: "expires 2 Jan 2020"},
		{Type: "I", Number: "645120196", Country: "PRK"},
		{Number: "123"},
	}
	want := []screening.Document{
		{Type: "P", Number: "645120196", Country: "PRK", Expiry: screening.Exact(2020, 1, 2), Note: "expires 2 Jan 2020"},
		{Type: "I", Number: "645120196", Country: "PRK"},
		{Number: "123"},
	}
	if got := freetext.MergeDocuments(in); !reflect.DeepEqual(got, want) {
		t.Errorf("MergeDocuments:\n got %+v\nwant %+v", got, want)
	}
}

func TestCollapse(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a  b", "a b"},
		{" a b ", "a b"},
		{"a\nb", "a b"},
		{"a b", "a b"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := freetext.Collapse(tt.in); got != tt.want {
			t.Errorf("Collapse(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got, want := freetext.StripControl("a\x00b\x1ac\n"), "abc\n"; got != want {
		t.Errorf("StripControl = %q, want %q", got, want)
	}
}

func FuzzLeading(f *testing.F) {
	for _, s := range []string{"01 Jan 1960", "Jan 1960", "1960-01-02", "02/01/2006", "January 2, 2006", "circa 1960", "1960 to 1962"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d, ok := freetext.Expiry(s); ok && d.Validate() != nil {
			t.Fatalf("Expiry(%q) = %v", s, d)
		}
		freetext.IssuingCountry(s)
		d, n, ok := freetext.Leading(s)
		if !ok {
			return
		}
		if n <= 0 || n > len(s) {
			t.Fatalf("Leading(%q) took %d bytes", s, n)
		}
		if err := d.Validate(); err != nil || d.IsZero() {
			t.Fatalf("Leading(%q) = %v: %v", s, d, err)
		}
		// Invalid bytes become U+FFFD (three bytes each); nothing else grows.
		num := freetext.DocumentNumber(s)
		if len(num.Value) > 3*len(s) {
			t.Fatalf("DocumentNumber(%q) grew to %q", s, num.Value)
		}
		for _, r := range num.Value {
			if unicode.IsControl(r) {
				t.Fatalf("DocumentNumber(%q) = %q holds a control character", s, num.Value)
			}
		}
	})
}

func TestHasWord(t *testing.T) {
	tests := []struct {
		text, word string
		want       bool
	}{
		{"Residential card number 665", "residen", true},
		{"Expiration date: 2026-12-11", "ration", false},
		{"Ration card no.", "ration", true},
		{"SSN 156-92-9858", "ssn", true},
		{"Social Security Number", "social security", true},
		{"syntax", "tax", false},
		{"", "tax", false},
	}
	for _, tt := range tests {
		if got := freetext.HasWord(tt.text, tt.word); got != tt.want {
			t.Errorf("HasWord(%q, %q) = %v, want %v", tt.text, tt.word, got, tt.want)
		}
	}
}
