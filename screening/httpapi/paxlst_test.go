package httpapi_test

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/bordersec/portcullis/screening/edifact"
	"github.com/bordersec/portcullis/screening/httpapi"
	"github.com/bordersec/portcullis/screening/paxlst"
)

// ercs reads a CUSRES answer and returns the ERC code of each person, in
// order.
func ercs(t *testing.T, body []byte) []string {
	t.Helper()
	ic, err := edifact.Parse(body, nil)
	if err != nil {
		t.Fatalf("the answer is not valid EDIFACT: %v\n%s", err, body)
	}
	var out []string
	for _, m := range ic.Messages {
		for _, seg := range m.Segments {
			if seg.Tag == "ERC" {
				out = append(out, seg.Value(1, 1))
			}
		}
	}
	return out
}

func TestPAXLST(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	msg, err := paxlst.Generate(3, 40, &paxlst.GenerateOptions{BadEvery: 13, Date: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	m, err := paxlst.Decode(msg, nil)
	if err != nil {
		t.Fatal(err)
	}
	persons := m.Persons()
	// Put the tenth person on a watchlist.
	listed := persons[9].Traveller
	entry := fmt.Sprintf(`{"names":[{"given":%q,"family":%q}],"action":"refer"}`, listed.GivenNames, listed.Surname)
	if r := h.do("PUT", "/v1/lists/ops/entries/PAX-10", httpapi.RoleOperator, entry); r.status != 201 {
		t.Fatalf("put: %d %s", r.status, r.body)
	}
	r := h.do("POST", "/v1/carriers/paxlst", httpapi.RoleCarrier, string(msg))
	if r.status != 200 || !strings.Contains(r.header["Content-Type"], "EDIFACT") {
		t.Fatalf("paxlst: %d %s %s", r.status, r.header["Content-Type"], r.body)
	}
	codes := ercs(t, r.body)
	if len(codes) != len(persons) {
		t.Fatalf("%d answers for %d persons", len(codes), len(persons))
	}
	for _, leak := range []string{"PAX-10", "ops", listed.Surname} {
		if strings.Contains(string(r.body), leak) {
			t.Errorf("the CUSRES mentions %q", leak)
		}
	}
	// The same passengers as a JSON manifest get the same answers.
	var ps []string
	for i, p := range persons {
		b, _ := json.Marshal(p.Traveller)
		ps = append(ps, fmt.Sprintf(`{"reference":"%d",%s`, i, strings.TrimPrefix(string(b), "{")))
	}
	jr := h.do("POST", "/v1/manifests", httpapi.RoleCarrier, `{"carrier":"XX","number":"1","passengers":[`+strings.Join(ps, ",")+`]}`)
	var mr struct {
		Passengers []struct {
			Code string `json:"code"`
		} `json:"passengers"`
	}
	jr.json(t, &mr)
	for i, p := range persons {
		want := "0Z"
		if i == 9 || !p.OK() {
			want = "1Z"
		}
		if codes[i] != want {
			t.Errorf("person %d (%s, problems %v): ERC %s, want %s", i+1, p.Traveller.Surname, p.Problems, codes[i], want)
		}
		if mr.Passengers[i].Code != codes[i] {
			t.Errorf("person %d: JSON manifest %s, PAXLST %s", i+1, mr.Passengers[i].Code, codes[i])
		}
	}
	// Every person's decision and the message were recorded.
	var dr struct {
		Decisions []struct {
			Channel string `json:"channel"`
		} `json:"decisions"`
	}
	h.do("GET", "/v1/decisions?limit=1000", httpapi.RoleAuditor, "").json(t, &dr)
	n := map[string]int{}
	for _, d := range dr.Decisions {
		n[d.Channel]++
	}
	if n["paxlst"] != len(persons) || n["paxlst-message"] != 1 {
		t.Errorf("recorded %v, want %d paxlst and 1 paxlst-message", n, len(persons))
	}
}

func TestPAXLSTRefused(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	msg, err := paxlst.Generate(4, 5, nil)
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(msg), "UNT+", "UNT+9", 1)
	for name, body := range map[string]string{
		"not EDIFACT":     `{"passengers":[]}`,
		"empty":           "",
		"broken envelope": broken,
		"cut short":       string(msg[:len(msg)/2]),
	} {
		r := h.do("POST", "/v1/carriers/paxlst", httpapi.RoleCarrier, body)
		if r.status != 400 || !strings.Contains(r.header["Content-Type"], "problem+json") {
			t.Errorf("%s: %d %s, want a 400 problem and no partial answer", name, r.status, r.body)
		}
	}
	if r := h.do("POST", "/v1/carriers/paxlst", httpapi.RoleGate, string(msg)); r.status != 403 {
		t.Errorf("gate key: %d, want 403", r.status)
	}
}

// TestPAXLSTRealMessage answers the 260-passenger GTAS sample, whose
// envelope counts are off, when the server is lenient.
func TestPAXLSTRealMessage(t *testing.T) {
	body, err := os.ReadFile("../paxlst/testdata/gtas__apis-messages__Test3.txt")
	if err != nil {
		t.Fatal(err)
	}
	strict := newHarness(t, harnessOpts{})
	if r := strict.do("POST", "/v1/carriers/paxlst", httpapi.RoleCarrier, string(body)); r.status != 400 {
		t.Fatalf("strict server: %d, want 400 for the miscounted envelope", r.status)
	}
	lenient := newHarness(t, harnessOpts{lenientPAXLST: true})
	r := lenient.do("POST", "/v1/carriers/paxlst", httpapi.RoleCarrier, string(body))
	if r.status != 200 {
		t.Fatalf("lenient server: %d %s", r.status, r.body)
	}
	if n := len(ercs(t, r.body)); n != 260 {
		t.Fatalf("%d answers, want 260", n)
	}
}
