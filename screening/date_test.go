package screening_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/bordersec/portcullis/screening"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want screening.Date
		prec screening.Precision
	}{
		{"1960-01-31", screening.Date{Year: 1960, Month: 1, Day: 31}, screening.PrecisionDay},
		{"1961-05", screening.Date{Year: 1961, Month: 5}, screening.PrecisionMonth},
		{"1962", screening.Date{Year: 1962}, screening.PrecisionYear},
		{"1958/1963", screening.Date{Year: 1958, ToYear: 1963}, screening.PrecisionRange},
		{"2000-02-29", screening.Date{Year: 2000, Month: 2, Day: 29}, screening.PrecisionDay},
		{"", screening.Date{}, screening.PrecisionNone},
	}
	for _, tt := range tests {
		got, err := screening.ParseDate(tt.in)
		if err != nil {
			t.Errorf("ParseDate(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want || got.Precision() != tt.prec {
			t.Errorf("ParseDate(%q) = %+v (%v), want %+v (%v)", tt.in, got, got.Precision(), tt.want, tt.prec)
		}
		if s := got.String(); s != tt.in {
			t.Errorf("String() = %q, want %q", s, tt.in)
		}
	}
}

func TestParseDateErrors(t *testing.T) {
	for _, in := range []string{
		"1960-13-01", "1960-00-10", "1960-02-30", "1900-02-29", "1960-1-1", "60-01-01",
		"1963/1958", "19x0", "1960-01-00", "1960-00", "0999", "1960/", "31/01/1960", "1960-01-31T00:00",
	} {
		if d, err := screening.ParseDate(in); !errors.Is(err, screening.ErrDate) {
			t.Errorf("ParseDate(%q) = %+v, %v; want an ErrDate", in, d, err)
		}
	}
}

func TestDateJSON(t *testing.T) {
	var v struct {
		D []screening.Date `json:"d"`
	}
	if err := json.Unmarshal([]byte(`{"d":["1960-01-31","1961","1950/1955"]}`), &v); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"d":["1960-01-31","1961","1950/1955"]}`; got != want {
		t.Fatalf("round trip = %s, want %s", got, want)
	}
	// A bad date decodes, keeps its text, and fails Validate.
	if err := json.Unmarshal([]byte(`{"d":["1960-02-31"]}`), &v); err != nil {
		t.Fatal(err)
	}
	if err := v.D[0].Validate(); !errors.Is(err, screening.ErrDate) {
		t.Fatalf("Validate of a bad decoded date: %v", err)
	}
	if v.D[0].IsZero() || v.D[0].String() != "1960-02-31" {
		t.Fatalf("bad date = %q, zero %v", v.D[0].String(), v.D[0].IsZero())
	}
}

func TestDateContains(t *testing.T) {
	day := screening.Exact(1970, 5, 17)
	tests := []struct {
		d    screening.Date
		want bool
	}{
		{screening.Exact(1970, 5, 17), true},
		{screening.Exact(1970, 5, 18), false},
		{screening.Date{Year: 1970, Month: 5}, true},
		{screening.Date{Year: 1970, Month: 6}, false},
		{screening.Date{Year: 1970}, true},
		{screening.Date{Year: 1968, ToYear: 1971}, true},
		{screening.Date{Year: 1971, ToYear: 1975}, false},
		{screening.Date{}, false},
	}
	for _, tt := range tests {
		if got := tt.d.Contains(day); got != tt.want {
			t.Errorf("%v.Contains(%v) = %v, want %v", tt.d, day, got, tt.want)
		}
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"1960-01-31", "1961-05", "1962", "1958/1963", "", "1960-13-01", "2000-02-29"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := screening.ParseDate(s)
		if err != nil {
			return
		}
		if err := d.Validate(); err != nil {
			t.Fatalf("ParseDate(%q) = %+v, which fails Validate: %v", s, d, err)
		}
		again, err := screening.ParseDate(d.String())
		if err != nil || again != d {
			t.Fatalf("round trip of %q: %+v -> %q -> %+v, %v", s, d, d.String(), again, err)
		}
	})
}
