package paxlst_test

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bordersec/portcullis/screening/edifact"
	"github.com/bordersec/portcullis/screening/paxlst"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

var fixedNow = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// erp is one person's answer as read back from a CUSRES.
type erp struct {
	refs map[string]string
	code string
	text []string
}

// readResponse parses a CUSRES strictly and returns each message's ERP
// groups.
func readResponse(t testing.TB, data []byte) (*edifact.Interchange, [][]erp) {
	t.Helper()
	ic, err := edifact.Parse(data, nil)
	if err != nil {
		t.Fatalf("strict Parse of the CUSRES: %v\n%s", err, data)
	}
	var out [][]erp
	for _, m := range ic.Messages {
		if m.Type != "CUSRES" {
			t.Fatalf("message type %q, want CUSRES", m.Type)
		}
		if bgm := m.Segments[0]; bgm.Tag != "BGM" || bgm.Value(1, 1) != "962" {
			t.Fatalf("first segment %s %q, want BGM 962", bgm.Tag, bgm.Value(1, 1))
		}
		var groups []erp
		for _, s := range m.Segments {
			switch s.Tag {
			case "ERP":
				if s.Value(1, 1) != "2" {
					t.Errorf("ERP %q, want 2", s.Value(1, 1))
				}
				groups = append(groups, erp{refs: map[string]string{}})
			case "RFF":
				if len(groups) > 0 {
					groups[len(groups)-1].refs[s.Value(1, 1)] = s.Value(1, 2)
				}
			case "ERC":
				if len(groups) == 0 {
					t.Fatalf("ERC before any ERP")
				}
				g := &groups[len(groups)-1]
				if g.code != "" {
					t.Fatalf("two ERC in one ERP group")
				}
				g.code = s.Value(1, 1)
			case "FTX":
				if len(groups) > 0 {
					if s.Value(1, 1) != "AAP" {
						t.Errorf("FTX qualifier %q, want AAP", s.Value(1, 1))
					}
					groups[len(groups)-1].text = s.Element(4)
				}
			}
		}
		out = append(out, groups)
	}
	return ic, out
}

// alternate answers: board every other clear person; AnswerFor keeps the
// persons with problems off.
func alternate(m *paxlst.Manifest) []paxlst.Answer {
	ps := m.Persons()
	answers := make([]paxlst.Answer, len(ps))
	for i, p := range ps {
		answers[i] = paxlst.AnswerFor(p, i%2 == 0)
	}
	return answers
}

func TestResponseRoundTrip(t *testing.T) {
	files, _ := filepath.Glob("testdata/gtas__*")
	gen, err := paxlst.Generate(7, 40, &paxlst.GenerateOptions{BadEvery: 5, Syntax: "UNOC"})
	if err != nil {
		t.Fatal(err)
	}
	inputs := map[string][]byte{"generated": gen}
	for _, f := range files {
		inputs[filepath.Base(f)] = readSample(t, filepath.Base(f))
	}
	for name, data := range inputs {
		t.Run(name, func(t *testing.T) {
			m, err := paxlst.Decode(data, lenient)
			if err != nil {
				t.Fatal(err)
			}
			answers := alternate(m)
			out, err := paxlst.Response(m, answers, &paxlst.ResponseOptions{Now: fixedNow})
			if err != nil {
				t.Fatalf("Response: %v", err)
			}
			ic, groups := readResponse(t, out)
			req := m.Interchange

			// Envelope: sender and recipient swapped, references echoed,
			// same service characters and character set.
			if ic.Sender != req.Recipient || ic.Recipient != req.Sender {
				t.Errorf("parties: %+v -> %+v, want %+v -> %+v", ic.Sender, ic.Recipient, req.Recipient, req.Sender)
			}
			if ic.ControlRef != req.ControlRef || ic.Syntax != req.Syntax || ic.Service != req.Service {
				t.Errorf("envelope: ref %q syntax %q %q, want %q %q %q", ic.ControlRef, ic.Syntax, ic.Service.UNA(), req.ControlRef, req.Syntax, req.Service.UNA())
			}
			if len(ic.Groups) != len(req.Groups) {
				t.Errorf("groups: got %d, want %d", len(ic.Groups), len(req.Groups))
			}
			for i, g := range ic.Groups {
				rg := req.Groups[i]
				if g.Type != "CUSRES" || g.Ref != rg.Ref || g.Sender != rg.Recipient || g.Recipient != rg.Sender {
					t.Errorf("group %d: %+v, answering %+v", i, g, rg)
				}
			}
			if len(ic.Messages) != len(m.Messages) {
				t.Fatalf("messages: got %d, want %d", len(ic.Messages), len(m.Messages))
			}
			for i, msg := range m.Messages {
				cm := ic.Messages[i]
				if cm.Ref != msg.Envelope.Ref || cm.CommonAccessRef != msg.Envelope.CommonAccessRef {
					t.Errorf("message %d: ref %q access %q, want %q %q", i, cm.Ref, cm.CommonAccessRef, msg.Envelope.Ref, msg.Envelope.CommonAccessRef)
				}
				wantRFF := map[string]bool{}
				if msg.TransactionRef != "" {
					wantRFF["TN:"+msg.TransactionRef] = true
				}
				for _, l := range msg.Legs {
					wantRFF["AF:"+l.Flight] = true
				}
				for _, s := range cm.Segments {
					if s.Tag == "ERP" {
						break
					}
					if s.Tag == "RFF" {
						delete(wantRFF, s.Value(1, 1)+":"+s.Value(1, 2))
					}
				}
				if len(wantRFF) > 0 {
					t.Errorf("message %d: references not echoed: %v", i, wantRFF)
				}
			}

			// Per person: one ERP group, in order, echoing AVF and ABO,
			// with ERC 0Z exactly when the answer boards.
			ps := m.Persons()
			var all []erp
			for _, g := range groups {
				all = append(all, g...)
			}
			if len(all) != len(ps) {
				t.Fatalf("ERP groups: got %d, want %d persons", len(all), len(ps))
			}
			boarded := 0
			for i, p := range ps {
				g, a := all[i], answers[i]
				want := paxlst.CodeNoBoard
				if a.Board {
					want = paxlst.CodeBoard
					boarded++
				}
				if g.code != want {
					t.Errorf("person %d: ERC %q, want %q", i+1, g.code, want)
				}
				if g.refs["AVF"] != p.Reservation || g.refs["ABO"] != p.PassengerRef {
					t.Errorf("person %d: refs %v, want AVF %q ABO %q", i+1, g.refs, p.Reservation, p.PassengerRef)
				}
				if !p.OK() {
					if a.Board || len(g.text) == 0 || g.text[len(g.text)-1] != string(p.Problems[0].Code) {
						t.Errorf("person %d with problems %v: answer %+v, text %q", i+1, p.Problems, a, g.text)
					}
				}
			}
			clearOK := 0
			for i, p := range ps {
				if p.OK() && i%2 == 0 {
					clearOK++
				}
			}
			if boarded != clearOK {
				t.Errorf("boarded %d persons, want %d", boarded, clearOK)
			}
			if name == "generated" && boarded == 0 {
				t.Errorf("nobody boarded: the test does not exercise 0Z")
			}
		})
	}
}

// TestResponseLeaksNothing checks that the answer carries no name, date of
// birth or document number of the persons: only references and codes.
func TestResponseLeaksNothing(t *testing.T) {
	data, err := paxlst.Generate(3, 50, nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := paxlst.Decode(data, nil)
	if err != nil {
		t.Fatal(err)
	}
	out, err := paxlst.Response(m, alternate(m), nil)
	if err != nil {
		t.Fatal(err)
	}
	ic, err := edifact.Parse(out, nil)
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]bool{}
	for _, msg := range ic.Messages {
		for _, s := range msg.Segments {
			for _, e := range s.Elements {
				for _, v := range e {
					values[v] = true
				}
			}
		}
	}
	for _, p := range m.Persons() {
		tr := p.Traveller
		for _, secret := range []string{tr.Surname, tr.GivenNames, tr.Document.Number, strings.ReplaceAll(tr.BirthDate.String(), "-", "")[2:]} {
			if values[secret] || bytes.Contains(out, []byte(secret)) {
				t.Errorf("person %d: %q appears in the answer", p.Index, secret)
			}
		}
	}
}

func TestResponseGolden(t *testing.T) {
	tests := []struct {
		file    string
		answers func(*paxlst.Manifest) []paxlst.Answer
	}{
		{"gtas__apis-messages__apisMessage.txt", alternate},
		{"gtas__apis-messages__multiple_flight_leg_apis.txt", alternate},
		{"gtas__apis-messages__airline2.edi", alternate},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			m, err := paxlst.Decode(readSample(t, tt.file), lenient)
			if err != nil {
				t.Fatal(err)
			}
			got, err := paxlst.Response(m, tt.answers(m), &paxlst.ResponseOptions{Now: fixedNow, Newline: true})
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "golden", strings.TrimSuffix(tt.file, filepath.Ext(tt.file))+".cusres")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("answer differs from %s:\ngot\n%s\nwant\n%s", golden, got, want)
			}
		})
	}
}

func TestResponseAnswers(t *testing.T) {
	m, err := paxlst.Decode(readSample(t, "gtas__tamr-integration-data__flight1.txt"), lenient)
	if err != nil {
		t.Fatal(err)
	}
	n := len(m.Persons()) // 10; persons 1 and 3 have problems
	allBoard := func() []paxlst.Answer {
		a := make([]paxlst.Answer, n)
		for i := range a {
			a[i].Board = true
		}
		return a
	}
	tests := []struct {
		name    string
		answers []paxlst.Answer
		opts    *paxlst.ResponseOptions
		want    error
	}{
		{"too few", make([]paxlst.Answer, n-1), nil, paxlst.ErrAnswers},
		{"too many", make([]paxlst.Answer, n+1), nil, paxlst.ErrAnswers},
		{"none", nil, nil, paxlst.ErrAnswers},
		{"board with a data-quality code", func() []paxlst.Answer {
			a := make([]paxlst.Answer, n)
			a[1] = paxlst.Answer{Board: true, DataQuality: paxlst.ProblemSurname}
			return a
		}(), nil, paxlst.ErrAnswers},
		{"board persons with problems", allBoard(), nil, paxlst.ErrAnswers},
		{"board persons with problems, allowed", allBoard(), &paxlst.ResponseOptions{BoardWithProblems: true}, nil},
		{"zero answers mean no board", make([]paxlst.Answer, n), nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			err := paxlst.WriteResponse(&b, m, tt.answers, tt.opts)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if err != nil {
				if b.Len() != 0 {
					t.Errorf("wrote %d bytes with the error", b.Len())
				}
				return
			}
			_, groups := readResponse(t, b.Bytes())
			for i, g := range groups[0] {
				want := paxlst.CodeNoBoard
				if tt.answers[i].Board {
					want = paxlst.CodeBoard
				}
				if g.code != want {
					t.Errorf("person %d: ERC %q, want %q", i+1, g.code, want)
				}
			}
		})
	}
}

func TestResponseOptions(t *testing.T) {
	m, err := paxlst.Decode(readSample(t, "gtas__apis-messages__multiple_flight_leg_apis.txt"), lenient)
	if err != nil {
		t.Fatal(err)
	}
	out, err := paxlst.Response(m, []paxlst.Answer{{Board: true}, {}}, &paxlst.ResponseOptions{
		Now:         time.Date(2031, 2, 3, 4, 5, 0, 0, time.UTC),
		ControlRef:  "ANSWER1",
		BoardText:   edifact.Element{"GO"},
		NoBoardText: edifact.Element{"STOP", "CALL +44 20 7946 0000"},
	})
	if err != nil {
		t.Fatal(err)
	}
	ic, groups := readResponse(t, out)
	if ic.ControlRef != "ANSWER1" || ic.Trailer.Value(2, 1) != "ANSWER1" {
		t.Errorf("control ref: UNB %q UNZ %q, want ANSWER1", ic.ControlRef, ic.Trailer.Value(2, 1))
	}
	if ic.Date != "310203" || ic.Time != "0405" {
		t.Errorf("date: got %s %s, want 310203 0405", ic.Date, ic.Time)
	}
	if got := strings.Join(groups[0][0].text, "|"); got != "GO" {
		t.Errorf("board text: got %q", got)
	}
	if got := strings.Join(groups[0][1].text, "|"); got != "STOP|CALL +44 20 7946 0000" {
		t.Errorf("no-board text: got %q", got)
	}
	if !bytes.Contains(out, []byte("CALL ?+44")) {
		t.Errorf("the '+' of the text is not released: %s", out)
	}
}

func TestResponseCharset(t *testing.T) {
	data, err := paxlst.Generate(1, 3, &paxlst.GenerateOptions{Syntax: "UNOA"})
	if err != nil {
		t.Fatal(err)
	}
	m, err := paxlst.Decode(data, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = paxlst.Response(m, make([]paxlst.Answer, 3), &paxlst.ResponseOptions{NoBoardText: edifact.Element{"SEE ÉMILE"}})
	if !errors.Is(err, edifact.ErrCharset) {
		t.Errorf("text outside UNOA: got %v, want ErrCharset", err)
	}
}
