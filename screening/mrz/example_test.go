package mrz_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/mrz"
)

func ExampleParse() {
	m, err := mrz.Parse(
		"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
		"L898902C36UTO7408122F1204159ZE184226B<<<<<10",
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Format, m.DocumentType(), m.IssuingState, m.Number)
	fmt.Printf("%s, %s\n", m.Primary, m.Secondary)
	fmt.Println(m.BirthDate, m.Sex, m.ExpiryDate, m.Optional)
	// Output:
	// TD3 P UTO L898902C3
	// ERIKSSON, ANNA MARIA
	// 1974-08-12 F 2012-04-15 ZE184226B
}

// A check digit that fails is an error naming the field; the fields are
// still there.
func ExampleParse_checkDigit() {
	m, err := mrz.Parse(
		"I<UTOD231458907<<<<<<<<<<<<<<<",
		"7408122F1204159UTO<<<<<<<<<<<6",
		"ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
	)
	fmt.Println(err, m.Valid())

	m, err = mrz.Parse(
		"I<UTOD231458907<<<<<<<<<<<<<<<",
		"7408123F1204159UTO<<<<<<<<<<<6", // birth date check digit misread
		"ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
	)
	var ce *mrz.CheckError
	if errors.As(err, &ce) {
		fmt.Println(ce.Fields())
	}
	fmt.Println(errors.Is(err, mrz.ErrCheckDigit), m.Primary)
	fmt.Println(err)
	// Output:
	// <nil> true
	// [birth_date composite]
	// true ERIKSSON
	// mrz: check digit failed: birth date (line 2, position 7: got '3', want '2'), composite (line 2, position 30: got '6', want '9')
}

func ExampleParseText() {
	m, err := mrz.ParseText("V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\r\nL8988901C4XXX4009078F9612109<<<<<<<<\r\n")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Format, m.Nationality, len(m.Checks))
	// Output: MRV-B XXX 3
}

// Lines that are not an MRZ give a *SyntaxError naming the line and
// position.
func ExampleParse_syntaxError() {
	_, err := mrz.Parse(
		"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
		"L898902C36UTO7408122F1204159ZE184226B<<<<<1o",
	)
	fmt.Println(err)
	// Output: mrz: line 2, position 44: character outside A-Z, 0-9 and '<': 'o'
}

func ExampleMRZ_Traveller() {
	m, _ := mrz.Parse(
		"P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<",
		"C01X0006H1D<<6408125F1710319<<<<<<<<<<<<<<<0",
	)
	t := m.Traveller()
	fmt.Println(t.FullName(), t.Nationality, t.Document.Type, t.Document.Number, t.Document.Country)
	// Output: ERIKA MUSTERMANN DEU P C01X0006H DEU
}

func ExampleBuild() {
	lines, err := mrz.Build(&mrz.MRZ{
		Format:       mrz.TD1,
		DocumentCode: "ID",
		IssuingState: "UTO",
		Number:       "D23145890734",
		Primary:      "Stevenson",
		Secondary:    "Peter John",
		Nationality:  "UTO",
		BirthDate:    screening.Exact(1934, 7, 12),
		Sex:          screening.GenderMale,
		ExpiryDate:   screening.Exact(2031, 7, 12),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.Join(lines, "\n"))
	// Output:
	// IDUTOD23145890<7349<<<<<<<<<<<
	// 3407127M3107128UTO<<<<<<<<<<<4
	// STEVENSON<<PETER<JOHN<<<<<<<<<
}

func ExampleFromTraveller() {
	m, err := mrz.FromTraveller(mrz.TD3, &screening.Traveller{
		Surname: "Müller", GivenNames: "Jörg", Nationality: "DEU", Gender: screening.GenderMale,
		BirthDate: screening.Exact(1961, 3, 4),
		Document:  &screening.Document{Number: "C01X0006H", Country: "DEU", Expiry: screening.Exact(2029, 6, 30)},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	lines, err := mrz.Build(m)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.Join(lines, "\n"))
	// Output:
	// P<D<<MUELLER<<JOERG<<<<<<<<<<<<<<<<<<<<<<<<<
	// C01X0006H1D<<6103040M2906302<<<<<<<<<<<<<<<8
}

func ExampleCheckDigit() {
	d, ok := mrz.CheckDigit("L898902C3")
	fmt.Println(string(d), ok)
	// Output: 6 true
}

func ExampleSuggest() {
	lines, repairs, err := mrz.Suggest(
		"P<UTOERIKSSON<<ANNA<MAR1A<<<<<<<<<<<<<<<<<<<",
		"L898902C36UTO74O8122F1204159ZE184226B<<<<<10",
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range repairs {
		fmt.Printf("line %d position %d (%s): %c -> %c\n", r.Line, r.Pos, r.Field, r.From, r.To)
	}
	fmt.Println(lines[1])
	// Output:
	// line 1 position 24 (name): 1 -> I
	// line 2 position 16 (birth_date): O -> 0
	// L898902C36UTO7408122F1204159ZE184226B<<<<<10
}
