package paxlst_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/bordersec/portcullis/screening/edifact"
	"github.com/bordersec/portcullis/screening/paxlst"
)

// FuzzDecode checks that Decode never panics and returns *edifact.Error
// based errors, and that any manifest it returns can be answered: the
// answer parses strictly and has one ERC per person, 1Z for all when every
// answer is the zero Answer.
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob("testdata/gtas__*")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, true)
		f.Add(data, false)
	}
	for _, opts := range []*paxlst.GenerateOptions{{BadEvery: 2}, {Crew: true, Syntax: "UNOC"}} {
		data, err := paxlst.Generate(1, 4, opts)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, false)
	}
	f.Add(withPerson(map[string]string{"DTM329": "DTM+329:800230", "NAT": "NAT+2+D"}), false)
	f.Fuzz(func(t *testing.T, data []byte, lenientMode bool) {
		opts := &paxlst.Options{Options: edifact.Options{Lenient: lenientMode, MaxSize: 1 << 20}}
		m, err := paxlst.Decode(data, opts)
		if err != nil {
			var e *edifact.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not based on *edifact.Error: %v", err, err)
			}
			if m != nil {
				t.Fatalf("partial manifest with %v", err)
			}
			return
		}
		ps := m.Persons()
		for _, p := range ps {
			if p.Traveller.Document != nil && p.Traveller.Surname == "" && p.OK() {
				t.Fatalf("person %d without a surname has no problem", p.Index)
			}
			if err := p.Traveller.BirthDate.Validate(); err != nil {
				t.Fatalf("person %d: impossible birth date kept: %v", p.Index, err)
			}
			a := paxlst.AnswerFor(p, true)
			if a.Board != p.OK() {
				t.Fatalf("person %d: AnswerFor gives %+v with problems %v", p.Index, a, p.Problems)
			}
		}
		out, err := paxlst.Response(m, make([]paxlst.Answer, len(ps)), nil)
		if err != nil {
			// The request's own references are echoed; they can only fail
			// to encode when the reader replaced characters in them.
			if lenientMode && errors.Is(err, edifact.ErrCharset) {
				return
			}
			t.Fatalf("Response: %v", err)
		}
		ic, err := edifact.Parse(out, nil)
		if err != nil {
			t.Fatalf("strict Parse of the answer: %v\n%q", err, out)
		}
		n := 0
		for _, msg := range ic.Messages {
			for _, s := range msg.Segments {
				if s.Tag == "ERC" {
					n++
					if s.Value(1, 1) != paxlst.CodeNoBoard {
						t.Fatalf("ERC %q for a zero Answer", s.Value(1, 1))
					}
				}
			}
		}
		if n != len(ps) {
			t.Fatalf("ERC segments: got %d, want %d", n, len(ps))
		}
	})
}
