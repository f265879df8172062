package mrz_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/mrz"
)

func TestBuildSpecimens(t *testing.T) {
	anna := func(f mrz.Format, code, number, opt string) *mrz.MRZ {
		return &mrz.MRZ{Format: f, DocumentCode: code, IssuingState: "UTO", Primary: "ERIKSSON", Secondary: "ANNA MARIA",
			Number: number, Nationality: "UTO", BirthDate: screening.Exact(1974, 8, 12), Sex: screening.GenderFemale,
			ExpiryDate: screening.Exact(2012, 4, 15), Optional: opt}
	}
	visa := func(f mrz.Format, opt string) *mrz.MRZ {
		m := anna(f, "V", "L8988901C", opt)
		m.Nationality, m.BirthDate, m.ExpiryDate = "XXX", screening.Exact(1940, 9, 7), screening.Exact(1996, 12, 10)
		return m
	}
	tests := []struct {
		name string
		in   *mrz.MRZ
		want []string
	}{
		{"TD3", anna(mrz.TD3, "P", "L898902C3", "ZE184226B"), specimenTD3},
		{"TD1", anna(mrz.TD1, "I", "D23145890", ""), specimenTD1},
		{"TD2", anna(mrz.TD2, "I", "D23145890", ""), specimenTD2},
		{"MRV-A", visa(mrz.MRVA, "6ZE184226B"), specimenMRVA},
		{"MRV-B", visa(mrz.MRVB, ""), specimenMRVB},
		{"TD1 long number", &mrz.MRZ{Format: mrz.TD1, DocumentCode: "I", IssuingState: "UTO", Primary: "STEVENSON",
			Secondary: "PETER JOHN", Number: "D23145890734", Nationality: "UTO", BirthDate: screening.Exact(1934, 7, 12),
			Sex: screening.GenderMale, ExpiryDate: screening.Exact(1995, 7, 12)}, []string{
			"I<UTOD23145890<7349<<<<<<<<<<<",
			"3407127M9507122UTO<<<<<<<<<<<2",
			"STEVENSON<<PETER<JOHN<<<<<<<<<",
		}},
		{"TD1 both optional fields", &mrz.MRZ{Format: mrz.TD1, DocumentCode: "ID", IssuingState: "BEL", Primary: "SPECIMEN",
			Secondary: "SPECIMEN", Number: "600001795015", Nationality: "BEL", BirthDate: screening.Exact(2013, 1, 1),
			Sex: screening.GenderFemale, ExpiryDate: screening.Exact(2023, 11, 20), Optional2: "13010198739"}, []string{
			"IDBEL600001795<0152<<<<<<<<<<<",
			"1301014F2311207BEL130101987398",
			"SPECIMEN<<SPECIMEN<<<<<<<<<<<<",
		}},
		{"German passport", &mrz.MRZ{Format: mrz.TD3, DocumentCode: "P", IssuingState: "D", Primary: "MUSTERMANN",
			Secondary: "ERIKA", Number: "C01X0006H", Nationality: "D", BirthDate: screening.Exact(1964, 8, 12),
			Sex: screening.GenderFemale, ExpiryDate: screening.Exact(2017, 10, 31)}, []string{
			"P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<",
			"C01X0006H1D<<6408125F1710319<<<<<<<<<<<<<<<0",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := mrz.Build(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestBuildRoundTrip builds each format from fields and reads them back.
func TestBuildRoundTrip(t *testing.T) {
	base := mrz.MRZ{IssuingState: "GBR", Primary: "O BRIEN SMITH", Secondary: "MARY JANE", Nationality: "IRL",
		BirthDate: screening.Exact(1990, 2, 28), Sex: screening.GenderOther, ExpiryDate: screening.Exact(2031, 12, 1)}
	tests := []struct {
		name string
		edit func(*mrz.MRZ)
	}{
		{"TD3", func(m *mrz.MRZ) {
			m.Format, m.DocumentCode, m.Number, m.Optional = mrz.TD3, "PD", "123456789", "AB12<34"
		}},
		{"TD3 partial birth date", func(m *mrz.MRZ) {
			m.Format, m.DocumentCode, m.Number, m.BirthDate = mrz.TD3, "P", "X1", screening.Date{Year: 1990, Month: 2}
		}},
		{"TD3 unknown birth date", func(m *mrz.MRZ) {
			m.Format, m.DocumentCode, m.Number, m.BirthDate = mrz.TD3, "P", "X1", screening.Date{}
		}},
		{"TD1", func(m *mrz.MRZ) {
			m.Format, m.DocumentCode, m.Number, m.Optional, m.Optional2 = mrz.TD1, "ID", "AB1234567", "OPT1", "OPT2"
		}},
		{"TD1 10-character number", func(m *mrz.MRZ) { m.Format, m.DocumentCode, m.Number = mrz.TD1, "I", "AB12345678" }},
		{"TD1 22-character number", func(m *mrz.MRZ) {
			m.Format, m.DocumentCode, m.Number = mrz.TD1, "I", "ABCDEFGHIJKLMNOPQRSTUV"
		}},
		{"TD1 23-character number, no filler after it", func(m *mrz.MRZ) {
			m.Format, m.DocumentCode, m.Number = mrz.TD1, "I", "ABCDEFGHIJKLMNOPQRSTUVW"
		}},
		{"TD1 long number and optional data", func(m *mrz.MRZ) {
			m.Format, m.DocumentCode, m.Number, m.Optional = mrz.TD1, "C", "ABCDEFGHIJK", "XYZ"
		}},
		{"TD2", func(m *mrz.MRZ) { m.Format, m.DocumentCode, m.Number, m.Optional = mrz.TD2, "A", "Z9", "1234567" }},
		{"TD2 long number", func(m *mrz.MRZ) { m.Format, m.DocumentCode, m.Number = mrz.TD2, "I", "ABCDEFGHIJKLMN" }},
		{"TD2 15-character number", func(m *mrz.MRZ) { m.Format, m.DocumentCode, m.Number = mrz.TD2, "I", "ABCDEFGHIJKLMNO" }},
		{"MRV-A", func(m *mrz.MRZ) {
			m.Format, m.DocumentCode, m.Number, m.Optional = mrz.MRVA, "VA", "V1", "0123456789ABCDEF"
		}},
		{"MRV-B", func(m *mrz.MRZ) { m.Format, m.DocumentCode, m.Number, m.Optional = mrz.MRVB, "V", "V1", "01234567" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := base
			tt.edit(&in)
			lines, err := mrz.Build(&in)
			if err != nil {
				t.Fatal(err)
			}
			m, err := testParser.Parse(lines...)
			if err != nil {
				t.Fatalf("%s: %v", strings.Join(lines, "\n"), err)
			}
			got, want := fieldsOf(m), fieldsOf(&in)
			got.Checks, want.Checks = nil, nil
			want.NameTruncated = got.NameTruncated
			if !equalFields(got, want) {
				t.Errorf("%s\ngot  %+v\nwant %+v", strings.Join(lines, "\n"), got, want)
			}
			for _, c := range m.Checks {
				if c.Got != c.Want && c.Note != mrz.NoteEmptyPersonalNumber {
					t.Errorf("check %s: got %c, want %c (Build must write ICAO digits)", c.Field, c.Got, c.Want)
				}
			}
		})
	}
}

func TestBuildErrors(t *testing.T) {
	valid := func() *mrz.MRZ {
		return &mrz.MRZ{Format: mrz.TD3, DocumentCode: "P", IssuingState: "UTO", Primary: "DOE", Number: "123",
			Nationality: "UTO", BirthDate: screening.Exact(1980, 1, 1), ExpiryDate: screening.Exact(2030, 1, 1)}
	}
	tests := []struct {
		name      string
		edit      func(*mrz.MRZ)
		wantField mrz.Field
		wantMsg   string
	}{
		{"unknown format", func(m *mrz.MRZ) { m.Format = 9 }, mrz.FieldDocumentCode, "unknown format"},
		{"no document code", func(m *mrz.MRZ) { m.DocumentCode = "" }, mrz.FieldDocumentCode, "1 or 2 letters"},
		{"passport code on TD1", func(m *mrz.MRZ) { m.Format = mrz.TD1 }, mrz.FieldDocumentCode, "begins with one of ACI"},
		{"digit in code", func(m *mrz.MRZ) { m.DocumentCode = "P1" }, mrz.FieldDocumentCode, "not a letter"},
		{"long state", func(m *mrz.MRZ) { m.IssuingState = "UTOP" }, mrz.FieldIssuingState, "1 to 3 letters"},
		{"digit in nationality", func(m *mrz.MRZ) { m.Nationality = "U1O" }, mrz.FieldNationality, "1 to 3 letters"},
		{"no name", func(m *mrz.MRZ) { m.Primary = " - " }, mrz.FieldName, "no name"},
		{"Cyrillic name", func(m *mrz.MRZ) { m.Secondary = "Иван" }, mrz.FieldName, "cannot write"},
		{"no number", func(m *mrz.MRZ) { m.Number = "" }, mrz.FieldDocumentNumber, "empty"},
		{"lower-case number", func(m *mrz.MRZ) { m.Number = "ab1" }, mrz.FieldDocumentNumber, "not A-Z"},
		{"number ending in filler", func(m *mrz.MRZ) { m.Number = "AB<" }, mrz.FieldDocumentNumber, "filler"},
		{"long number in TD3", func(m *mrz.MRZ) { m.Number = "1234567890" }, mrz.FieldDocumentNumber, "only TD1 and TD2"},
		{"TD1 number too long", func(m *mrz.MRZ) {
			m.Format, m.DocumentCode, m.Number = mrz.TD1, "I", "ABCDEFGHIJKLMNOPQRSTUVWX"
		}, mrz.FieldDocumentNumber, "longer than 23"},
		{"TD2 number too long", func(m *mrz.MRZ) {
			m.Format, m.DocumentCode, m.Number = mrz.TD2, "I", "ABCDEFGHIJKLMNOP"
		}, mrz.FieldDocumentNumber, "longer than 15"},
		{"optional data after a number filling the field", func(m *mrz.MRZ) {
			m.Format, m.DocumentCode, m.Number, m.Optional = mrz.TD2, "I", "ABCDEFGHIJKLMNO", "X"
		}, mrz.FieldOptionalData, "too long to follow"},
		{"optional data after a long number", func(m *mrz.MRZ) {
			m.Format, m.DocumentCode, m.Number, m.Optional = mrz.TD1, "I", "ABCDEFGHIJKL", "1234567890123"
		}, mrz.FieldOptionalData, "too long to follow"},
		{"optional data too long", func(m *mrz.MRZ) { m.Optional = "123456789012345" }, mrz.FieldOptionalData, "longer than 14"},
		{"optional data characters", func(m *mrz.MRZ) { m.Optional = "A B" }, mrz.FieldOptionalData, "not A-Z"},
		{"second optional data on TD3", func(m *mrz.MRZ) { m.Optional2 = "X" }, mrz.FieldOptionalData2, "only TD1"},
		{"partial expiry", func(m *mrz.MRZ) { m.ExpiryDate = screening.Date{Year: 2030} }, mrz.FieldExpiryDate, "full date"},
		{"no expiry", func(m *mrz.MRZ) { m.ExpiryDate = screening.Date{} }, mrz.FieldExpiryDate, "want a date"},
		{"birth range", func(m *mrz.MRZ) { m.BirthDate = screening.Date{Year: 1980, ToYear: 1985} }, mrz.FieldBirthDate, "want a date"},
		{"impossible birth", func(m *mrz.MRZ) { m.BirthDate = screening.Date{Year: 1981, Month: 2, Day: 29} }, mrz.FieldBirthDate, "day 29"},
		{"sex", func(m *mrz.MRZ) { m.Sex = "Q" }, mrz.FieldSex, "want M, F, X"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := valid()
			tt.edit(m)
			lines, err := mrz.Build(m)
			var fe *mrz.FieldError
			if lines != nil || !errors.As(err, &fe) || !errors.Is(err, mrz.ErrField) {
				t.Fatalf("got %q, %v; want a *FieldError", lines, err)
			}
			if fe.Field != tt.wantField || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("got %s: %q; want %s with %q", fe.Field, err, tt.wantField, tt.wantMsg)
			}
		})
	}
}

func TestBuildNameTruncated(t *testing.T) {
	m := &mrz.MRZ{Format: mrz.TD1, DocumentCode: "I", IssuingState: "UTO", Nationality: "UTO", Number: "1",
		Primary: "WOLFESCHLEGELSTEINHAUSENBERGERDORFF", Secondary: "HUBERT", ExpiryDate: screening.Exact(2030, 1, 1)}
	lines, err := mrz.Build(m)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := lines[2], "WOLFESCHLEGELSTEINHAUSENBERGER"; got != want {
		t.Errorf("got name line %q, want %q", got, want)
	}
	got, err := testParser.Parse(lines...)
	if err != nil {
		t.Fatal(err)
	}
	if !got.NameTruncated || got.Primary != lines[2] || got.Secondary != "" {
		t.Errorf("got %q / %q truncated %v, want the cut name flagged as truncated", got.Primary, got.Secondary, got.NameTruncated)
	}
}

func TestTransliterate(t *testing.T) {
	tests := []struct {
		in, want string
		wantErr  bool
	}{
		{"Eriksson", "ERIKSSON", false},
		{"Anna María", "ANNA MARIA", false},
		{"Müller-Lüdenscheidt", "MUELLER LUEDENSCHEIDT", false},
		{"Ångström", "AANGSTROEM", false},
		{"Ærø Øster", "AEROE OESTER", false},
		{"Straße", "STRASSE", false},
		{"Þórunn Ðuro", "THORUNN DURO", false},
		{"Łukasz Đorđević", "LUKASZ DORDEVIC", false},
		{"Peña Ñúñez", "PENA NUNEZ", false},
		{"François Œuvre", "FRANCOIS OEUVRE", false},
		{"O'Brien", "OBRIEN", false},
		{"d’Artagnan", "DARTAGNAN", false},
		{"  smith,  john. ", "SMITH JOHN", false},
		{"ERIKSSON<<ANNA<MARIA", "ERIKSSON ANNA MARIA", false},
		{"ıI", "II", false},
		{"", "", false},
		{"Иван", "", true},
		{"R2D2", "", true},
		{"Mr. X (jr)", "", true},
	}
	for _, tt := range tests {
		got, err := mrz.Transliterate(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("Transliterate(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
		if err == nil {
			again, _ := mrz.Transliterate(got)
			if again != got {
				t.Errorf("Transliterate(%q) = %q, not idempotent", got, again)
			}
		}
	}
}

func TestFromTraveller(t *testing.T) {
	tr := &screening.Traveller{
		Surname: "Müller", GivenNames: "Jörg Hans-Peter", BirthDate: screening.Exact(1961, 3, 4),
		Nationality: "Germany", Gender: screening.GenderMale,
		Document: &screening.Document{Number: "c01x-0006 h", Country: "DEU", Expiry: screening.Exact(2029, 6, 30)},
	}
	tests := []struct {
		f        mrz.Format
		wantCode string
	}{
		{mrz.TD3, "P"}, {mrz.TD1, "I"}, {mrz.TD2, "I"}, {mrz.MRVA, "V"}, {mrz.MRVB, "V"},
	}
	for _, tt := range tests {
		t.Run(tt.f.String(), func(t *testing.T) {
			m, err := mrz.FromTraveller(tt.f, tr)
			if err != nil {
				t.Fatal(err)
			}
			lines, err := mrz.Build(m)
			if err != nil {
				t.Fatal(err)
			}
			got, err := testParser.Parse(lines...)
			if err != nil {
				t.Fatalf("%s: %v", strings.Join(lines, "\n"), err)
			}
			if got.DocumentCode != tt.wantCode || got.IssuingState != "D" || got.Nationality != "D" ||
				got.Primary != "MUELLER" || got.Secondary != "JOERG HANS PETER" || got.Number != "C01X0006H" ||
				got.BirthDate != tr.BirthDate || got.ExpiryDate != tr.Document.Expiry || got.Sex != screening.GenderMale {
				t.Errorf("got %+v", fieldsOf(got))
			}
			back := got.Traveller()
			if back.Nationality != "DEU" || back.Document.Country != "DEU" || back.Document.Type != tt.wantCode {
				t.Errorf("got traveller %+v with %+v", back, back.Document)
			}
		})
	}
	if _, err := mrz.FromTraveller(mrz.TD3, &screening.Traveller{Surname: "X"}); !errors.Is(err, mrz.ErrField) {
		t.Errorf("no document: got %v, want ErrField", err)
	}
	only := &screening.Traveller{Name: "Jean Dupont", Nationality: "FRA", Document: &screening.Document{Type: "pm", Number: "1", Country: "FRA"}}
	m, err := mrz.FromTraveller(mrz.TD3, only)
	if err != nil || m.Primary != "JEAN DUPONT" || m.Secondary != "" || m.DocumentCode != "PM" {
		t.Errorf("full name only: got %+v, %v", m, err)
	}
}
