package paxlst_test

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bordersec/portcullis/screening/edifact"
	"github.com/bordersec/portcullis/screening/paxlst"
)

func TestGenerateValid(t *testing.T) {
	custom := edifact.ServiceChars{Component: '|', Element: '*', Decimal: ',', Release: '!', Repetition: ' ', Terminator: '~'}
	tests := []struct {
		name string
		n    int
		opts *paxlst.GenerateOptions
	}{
		{"empty", 0, nil},
		{"one", 1, nil},
		{"400", 400, nil},
		{"1000", 1000, nil},
		{"crew", 25, &paxlst.GenerateOptions{Crew: true}},
		{"UNOC", 200, &paxlst.GenerateOptions{Syntax: "UNOC"}},
		{"UNOY", 50, &paxlst.GenerateOptions{Syntax: "UNOY", Newline: true}},
		{"custom separators", 50, &paxlst.GenerateOptions{Service: custom}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := paxlst.Generate(42, tt.n, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			m, err := paxlst.Decode(data, nil) // strict: envelope, trailers and CNT must all match
			if err != nil {
				t.Fatalf("strict Decode: %v", err)
			}
			msg := m.Messages[0]
			if got := len(msg.Persons); got != tt.n {
				t.Fatalf("persons: got %d, want %d", got, tt.n)
			}
			crew := tt.opts != nil && tt.opts.Crew
			wantCode := paxlst.PassengerList
			if crew {
				wantCode = paxlst.CrewList
			}
			if msg.DocumentCode != wantCode {
				t.Errorf("BGM: got %q, want %q", msg.DocumentCode, wantCode)
			}
			for _, p := range msg.Persons {
				if !p.OK() {
					t.Errorf("person %d: %v", p.Index, p.Problems)
				}
				if p.Crew != crew {
					t.Errorf("person %d: crew %v, want %v", p.Index, p.Crew, crew)
				}
				if want := "P" + pad9(p.Index); p.PassengerRef != want {
					t.Errorf("person %d: ABO %q, want %q", p.Index, p.PassengerRef, want)
				}
			}
			if len(msg.Warnings) != 0 || m.Interchange.WarningCount != 0 {
				t.Errorf("warnings: %v", m.Warnings())
			}
			if len(msg.Legs) != 1 || msg.Legs[0].Departure() == nil || msg.Legs[0].Arrival() == nil {
				t.Errorf("legs: %+v", msg.Legs)
			}
		})
	}
}

func pad9(n int) string {
	s := itoa(n)
	return strings.Repeat("0", 9-len(s)) + s
}

func TestGenerateDeterministic(t *testing.T) {
	a, _ := paxlst.Generate(1, 30, nil)
	b, _ := paxlst.Generate(1, 30, nil)
	c, _ := paxlst.Generate(2, 30, nil)
	if !bytes.Equal(a, b) {
		t.Errorf("same seed, different messages")
	}
	if bytes.Equal(a, c) {
		t.Errorf("different seeds, same message")
	}
}

func TestGenerateProblems(t *testing.T) {
	data, err := paxlst.Generate(9, 40, &paxlst.GenerateOptions{BadEvery: 5})
	if err != nil {
		t.Fatal(err)
	}
	m, err := paxlst.Decode(data, nil)
	if err != nil {
		t.Fatal(err)
	}
	cycle := []paxlst.ProblemCode{paxlst.ProblemSurname, paxlst.ProblemBirthDate, paxlst.ProblemNationality, paxlst.ProblemDocument}
	for _, p := range m.Persons() {
		if p.Index%5 != 0 {
			if !p.OK() {
				t.Errorf("person %d: %v", p.Index, p.Problems)
			}
			continue
		}
		want := cycle[(p.Index/5)%4]
		if len(p.Problems) != 1 || p.Problems[0].Code != want {
			t.Errorf("person %d: problems %v, want one %s", p.Index, p.Problems, want)
		}
	}
}

func TestGenerateAccents(t *testing.T) {
	data, err := paxlst.Generate(5, 200, &paxlst.GenerateOptions{Syntax: "UNOC"})
	if err != nil {
		t.Fatal(err)
	}
	if utf8.Valid(data) {
		t.Errorf("UNOC message is valid UTF-8: no Latin-1 letters were written")
	}
	m, err := paxlst.Decode(data, nil)
	if err != nil {
		t.Fatal(err)
	}
	accented := 0
	for _, p := range m.Persons() {
		for _, r := range p.Traveller.Surname {
			if r >= 0xc0 {
				accented++
				break
			}
		}
	}
	if accented == 0 {
		t.Errorf("no decoded surname has an accented letter")
	}
}
