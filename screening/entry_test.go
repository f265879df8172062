package screening_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/bordersec/portcullis/screening"
)

func TestNameJSON(t *testing.T) {
	tests := []struct {
		json string
		want screening.Name
	}{
		{`"Ivan Petrov"`, screening.Name{Full: "Ivan Petrov"}},
		{`{"given":"Ivan","family":"Petrov"}`, screening.Name{Given: "Ivan", Family: "Petrov"}},
		{`{"full":"Vanya","strength":"weak"}`, screening.Name{Full: "Vanya", Strength: screening.StrengthWeak}},
	}
	for _, tt := range tests {
		var n screening.Name
		if err := json.Unmarshal([]byte(tt.json), &n); err != nil {
			t.Fatalf("Unmarshal(%s): %v", tt.json, err)
		}
		if n != tt.want {
			t.Errorf("Unmarshal(%s) = %+v, want %+v", tt.json, n, tt.want)
		}
		b, err := json.Marshal(n)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tt.json {
			t.Errorf("Marshal(%+v) = %s, want %s", n, b, tt.json)
		}
	}
	var n screening.Name
	if err := json.Unmarshal([]byte(`{"given":"A","surname":"B"}`), &n); err == nil {
		t.Errorf("an unknown name field was accepted")
	}
}

func validEntry() *screening.Entry {
	return &screening.Entry{
		ID: "X-1", Kind: screening.KindPerson,
		Names:         []screening.Name{{Full: "Ivan Petrov"}},
		BirthDates:    []screening.Date{screening.Exact(1960, 1, 31)},
		Nationalities: []string{"RUS"},
		Documents:     []screening.Document{{Type: "P", Number: "123", Country: "RUS"}},
		Action:        screening.ActionRefer,
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*screening.Entry)
		field string // "" means valid
	}{
		{"valid", func(*screening.Entry) {}, ""},
		{"empty id", func(e *screening.Entry) { e.ID = "" }, "id"},
		{"kind", func(e *screening.Entry) { e.Kind = "vessel" }, "kind"},
		{"no names", func(e *screening.Entry) { e.Names = nil }, "names"},
		{"blank name", func(e *screening.Entry) { e.Names = []screening.Name{{Full: "  "}} }, "names[0]"},
		{"full and parts", func(e *screening.Entry) { e.Names[0].Given = "X" }, "names[0].full"},
		{"control char", func(e *screening.Entry) { e.Names[0].Full = "A\x00B" }, "names[0].full"},
		{"strength", func(e *screening.Entry) { e.Names[0].Strength = "medium" }, "names[0].strength"},
		{"date", func(e *screening.Entry) { e.BirthDates = []screening.Date{{Year: 1960, Month: 2, Day: 30}} }, "birth_dates[0]"},
		{"nationality", func(e *screening.Entry) { e.Nationalities = []string{"Russia"} }, "nationalities[0]"},
		{"gender", func(e *screening.Entry) { e.Gender = "Q" }, "gender"},
		{"doc country", func(e *screening.Entry) { e.Documents[0].Country = "ZZZ" }, "documents[0].country"},
		{"action", func(e *screening.Entry) { e.Action = "" }, "action"},
		{"window", func(e *screening.Entry) {
			e.ListedFrom, e.ListedUntil = screening.Exact(2020, 1, 1), screening.Exact(2019, 1, 1)
		}, "listed_until"},
		{"icao code", func(e *screening.Entry) { e.Nationalities = []string{"XXA", "GBO", "D"} }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := validEntry()
			tt.edit(e)
			err := e.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			var ve *screening.ValidationError
			if !errors.As(err, &ve) || !errors.Is(err, screening.ErrInvalid) {
				t.Fatalf("Validate = %v, want a ValidationError", err)
			}
			if ve.Field != tt.field {
				t.Fatalf("field = %q, want %q (%v)", ve.Field, tt.field, err)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	e := &screening.Entry{
		ID: " X-2 ",
		Names: []screening.Name{
			{Full: "  Ivan   Petrov "}, {Full: "Ivan Petrov", Strength: screening.StrengthWeak}, {Full: ""},
			{Full: "Vanya", Strength: screening.StrengthStrong},
		},
		Nationalities: []string{"Russian Federation", "ru", "RUS", "Iran (Islamic Republic of)"},
		Gender:        "male",
		Documents:     []screening.Document{{Type: "p", Number: " 123 ", Country: "Germany"}},
		BirthDates:    []screening.Date{{Year: 1960}, {Year: 1960}},
	}
	e.Normalize()
	want := &screening.Entry{
		ID: "X-2", Kind: screening.KindPerson, Action: screening.ActionRefer,
		Names:         []screening.Name{{Full: "Ivan Petrov"}, {Full: "Vanya"}},
		Nationalities: []string{"RUS", "IRN"},
		Gender:        screening.GenderMale,
		Documents:     []screening.Document{{Type: "P", Number: "123", Country: "DEU"}},
		BirthDates:    []screening.Date{{Year: 1960}},
	}
	if !reflect.DeepEqual(e, want) {
		t.Fatalf("Normalize =\n%+v\nwant\n%+v", e, want)
	}
	if err := e.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestCountryCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"RUS", "RUS"}, {"ru", "RUS"}, {"Russia", "RUS"}, {"Russian Federation", "RUS"},
		{"D", "DEU"}, {"Germany", "DEU"}, {"GBO", "GBO"}, {"XXA", "XXA"}, {"UTO", "UTO"},
		{"Côte d'Ivoire", "CIV"}, {"Cote d’Ivoire", "CIV"}, {"Democratic People's Republic of Korea", "PRK"},
		{"Iran (Islamic Republic of)", "IRN"}, {"Syrian Arab Republic", "SYR"}, {"United Kingdom", "GBR"},
		{"the Netherlands", "NLD"}, {"Kosovo", "RKS"}, {"XK", "RKS"},
	}
	for _, tt := range tests {
		got, ok := screening.CountryCode(tt.in)
		if !ok || got != tt.want {
			t.Errorf("CountryCode(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
	for _, in := range []string{"", "ZZZ", "Atlantis", "EU", "UN", "QQ"} {
		if got, ok := screening.CountryCode(in); ok {
			t.Errorf("CountryCode(%q) = %q, want not found", in, got)
		}
	}
}

func FuzzNameJSON(f *testing.F) {
	for _, s := range []string{"Ivan", "Иван \"Vanya\" Петров", "a\\b", "\x00\x1f", "\xff\xfe", "\u2028", "<&>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := json.Marshal(screening.Name{Full: s})
		if err != nil {
			t.Fatal(err)
		}
		var back string
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatalf("Marshal(%q) = %s, not JSON: %v", s, got, err)
		}
		want, _ := json.Marshal(s)
		var wantBack string
		json.Unmarshal(want, &wantBack)
		if back != wantBack {
			t.Fatalf("Marshal(%q) reads back as %q, encoding/json gives %q", s, back, wantBack)
		}
	})
}
