package mrz_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/bordersec/portcullis/screening/mrz"
)

func TestSuggest(t *testing.T) {
	tests := []struct {
		name        string
		misread     []string
		want        []string
		wantRepairs int
	}{
		{"TD1", []string{
			"IDCHEA1234567<6<<<<<<<<<<<<<<<",
			"7SIOZSGMZOO90IBCHE<<<<<<<<<<<B",
			"5M1TH<<J0HN<AL8ERT<<<<<<<<<<<<",
		}, []string{
			"IDCHEA1234567<6<<<<<<<<<<<<<<<",
			"7510256M2009018CHE<<<<<<<<<<<8",
			"SMITH<<JOHN<ALBERT<<<<<<<<<<<<",
		}, 16},
		{"TD2", []string{
			"I<UTOERIK55ON<<ANNA<MAR1A<<<<<<<<<<<",
			"D231458907UT0740BIZZF12O4IS9<<<<<<<G",
		}, specimenTD2, 12},
		{"TD3", []string{
			"P<UT0ERIK55ON<<ANNA<MAR1A<<<<<<<<<<<<<<<<<<<",
			"L898902C36UTO740BIZZF12041S9ZE184226B<<<<<1O",
		}, specimenTD3, 10},
		{"document code decides the format", []string{
			"V<UT0ERIK55ON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
			"L8988901C4XXX4009078F96121096ZE184226B<<<<<<",
		}, specimenMRVA, 3},
		{"nothing to repair", specimenTD3, specimenTD3, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if m, err := testParser.Parse(tt.misread...); tt.wantRepairs > 0 && (m == nil || err == nil) {
				t.Fatalf("the misread MRZ parses as valid (%v): the test proves nothing", err)
			}
			before := slices.Clone(tt.misread)
			got, repairs, err := mrz.Suggest(tt.misread...)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if len(repairs) != tt.wantRepairs {
				t.Errorf("got %d repairs, want %d: %+v", len(repairs), tt.wantRepairs, repairs)
			}
			for _, r := range repairs {
				if tt.misread[r.Line-1][r.Pos-1] != r.From || got[r.Line-1][r.Pos-1] != r.To || r.Field == "" {
					t.Errorf("repair %+v does not describe the change", r)
				}
			}
			if m, err := testParser.Parse(got...); m == nil || (err != nil && len(m.Failed()) > 0) {
				t.Errorf("the suggestion does not verify: %v", err)
			}
			if !slices.Equal(tt.misread, before) {
				t.Error("Suggest changed its input")
			}
		})
	}
}

func TestSuggestLeavesNumbersAlone(t *testing.T) {
	lines := []string{specimenTD3[0], "L8989O2C36UTO7408122F1204159ZE1B4226B<<<<<10"}
	got, repairs, err := mrz.Suggest(lines...)
	if err != nil {
		t.Fatal(err)
	}
	if len(repairs) != 0 || !slices.Equal(got, lines) {
		t.Errorf("got %q with %+v, want the number and personal number untouched", got, repairs)
	}
}

func TestSuggestErrors(t *testing.T) {
	if _, _, err := mrz.Suggest("P<UTO"); !errors.Is(err, mrz.ErrFormat) {
		t.Errorf("got %v, want ErrFormat", err)
	}
	if _, _, err := mrz.Suggest(specimenTD3[0], strings.ToLower(specimenTD3[1])); !errors.Is(err, mrz.ErrCharacter) {
		t.Errorf("got %v, want ErrCharacter", err)
	}
}
