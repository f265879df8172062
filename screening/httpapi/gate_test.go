package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttputil"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/gate"
	"github.com/bordersec/portcullis/screening/httpapi"
	"github.com/bordersec/portcullis/screening/listfmt/jsonl"
	"github.com/bordersec/portcullis/screening/mrz"
	"github.com/bordersec/portcullis/store"
)

const gateConfig = `{
  "ports": [
    {"code": "LHR", "lat": 51.47, "lon": -0.4543,
     "gates": [{"prefix": "LHR-E", "count": 4, "class": "egate"}, {"id": "LHR-K1", "class": "kiosk"}]},
    {"code": "JFK", "lat": 40.6413, "lon": -73.7781,
     "gates": [{"prefix": "JFK-E", "count": 4, "class": "egate"}]}
  ]
}`

// stolenDocs is a lost and stolen documents list of one document.
type stolenDocs struct{}

func (stolenDocs) CheckDocument(_ context.Context, d screening.Document) (screening.DocumentCheck, error) {
	if screening.NormalizeDocNumber(d.Number) == "S00000001" && d.Country == "GBR" {
		return screening.DocumentCheck{Listed: &screening.DocumentEntry{Type: "P", Number: "S00000001", Country: "GBR", Status: screening.StatusStolen}}, nil
	}
	return screening.DocumentCheck{}, nil
}

func (stolenDocs) DocumentVersion() uint64 { return 1 }

// newGateHarness is a harness whose server has the gate endpoints, over a
// store with the test lists, an event log, and a stolen-documents list.
// open=false leaves the gate service unopened.
func newGateHarness(t *testing.T, open bool) *harness {
	t.Helper()
	h := &harness{t: t, dir: t.TempDir(), keys: map[httpapi.Role]string{}, kr: httpapi.NewKeyring("")}
	var err error
	if h.db, err = store.Open(h.dir, &store.Options{Logger: quiet()}); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("testdata/lists.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := h.db.Import(context.Background(), "test", jsonl.NewReader(f), screening.ImportOptions{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	for _, r := range httpapi.Roles {
		k, _, err := h.kr.Generate(r, string(r), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		h.keys[r] = k
	}
	h.engine = screening.New(h.db, screening.Options{Logger: quiet(), Documents: stolenDocs{}})
	if err := h.engine.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(h.close)
	events, err := h.db.OpenEvents(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { events.Close() })
	cfg, err := gate.LoadConfig(strings.NewReader(gateConfig))
	if err != nil {
		t.Fatal(err)
	}
	dig, err := gate.NewDigester(events.DigestKey())
	if err != nil {
		t.Fatal(err)
	}
	svc, err := gate.New(gate.Options{Config: cfg, Screener: h.engine, Log: events, Digester: dig, Logger: quiet(),
		Memory: gate.MemoryOptions{Documents: 10_000}})
	if err != nil {
		t.Fatal(err)
	}
	if open {
		if _, err := svc.Open(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	h.srv, err = httpapi.New(httpapi.Options{Engine: h.engine, Lists: h.db, Decisions: h.db, Keys: h.kr, Logger: quiet(),
		Gate: &httpapi.GateOptions{Service: svc, Events: events, MaxBody: 4096}})
	if err != nil {
		t.Fatal(err)
	}
	h.ln = fasthttputil.NewInmemoryListener()
	go h.srv.Serve(h.ln)
	h.client = &fasthttp.Client{Dial: func(string) (net.Conn, error) { return h.ln.Dial() }}
	return h
}

type person struct {
	surname, given, number, country string
	birth                           screening.Date
}

var (
	alice  = person{"WHITE", "ALICE MARY", "123456789", "GBR", screening.Exact(1985, 3, 4)}
	stolen = person{"BLACK", "JOHN", "S00000001", "GBR", screening.Exact(1970, 1, 1)}
	petrov = person{"PETROV", "IVAN IVANOVICH", "700000001", "RUS", screening.Exact(1960, 1, 31)}
)

func (p person) mrz(t *testing.T) []string {
	t.Helper()
	lines, err := mrz.Build(&mrz.MRZ{Format: mrz.TD3, DocumentCode: "P", IssuingState: p.country, Primary: p.surname, Secondary: p.given,
		Number: p.number, Nationality: p.country, BirthDate: p.birth, Sex: screening.GenderMale, ExpiryDate: screening.Exact(2032, 1, 1)})
	if err != nil {
		t.Fatal(err)
	}
	return lines
}

// gateEvent is the JSON of a genuine traveller's event at gate g.
func gateEvent(t *testing.T, p person, g string, at time.Time, face float64) string {
	t.Helper()
	lines, _ := json.Marshal(p.mrz(t))
	port, _, _ := strings.Cut(g, "-")
	return fmt.Sprintf(`{"gate":%q,"port":%q,"time":%q,"direction":"entry","attempt":1,
		"document":{"mrz":%s,"dg1":%s},
		"chip":{"passive_authentication":"passed","chip_authentication":"passed","dg1_matches_mrz":"passed"},
		"face":{"score":%g,"threshold":0.6},"liveness":{"score":0.98,"threshold":0.5},"morph_suspected":false}`,
		g, port, at.UTC().Format(time.RFC3339Nano), lines, lines, face)
}

type gateReply struct {
	Decision string        `json:"decision"`
	EventID  string        `json:"event_id"`
	Reasons  []gate.Reason `json:"reasons"`
	Checks   gate.Checks   `json:"checks"`
	Profile  string        `json:"profile"`
	Elapsed  int64         `json:"elapsed_us"`
}

func (h *harness) gate(body string) gateReply {
	h.t.Helper()
	r := h.do("POST", "/v1/gate-events", httpapi.RoleGate, body)
	if r.status != 200 {
		h.t.Fatalf("gate event: %d %s", r.status, r.body)
	}
	var g gateReply
	r.json(h.t, &g)
	return g
}

func reasonCodes(rs []gate.Reason) string {
	var out []string
	for _, r := range rs {
		out = append(out, string(r.Code))
	}
	return strings.Join(out, ",")
}

func TestGateEventDecisions(t *testing.T) {
	h := newGateHarness(t, true)
	now := time.Now()
	tests := []struct {
		name     string
		body     string
		decision string
		codes    string
	}{
		{"genuine", gateEvent(t, alice, "LHR-E01", now, 0.93), "ACCEPT", ""},
		{"imposter", gateEvent(t, person{"GREEN", "TOM", "223456789", "GBR", screening.Exact(1990, 5, 6)}, "LHR-E02", now, 0.3), "REFER", "face_mismatch"},
		{"stolen document", gateEvent(t, stolen, "LHR-E03", now, 0.9), "REFER", "document_listed"},
		{"watchlisted holder", gateEvent(t, petrov, "LHR-E04", now, 0.9), "REFER", "watchlist_hit"},
		{"clone of the genuine document", gateEvent(t, alice, "JFK-E01", now.Add(time.Minute), 0.9), "REFER", "clone_suspected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := h.do("POST", "/v1/gate-events", httpapi.RoleGate, tt.body)
			if raw.status != 200 {
				t.Fatalf("gate event: %d %s", raw.status, raw.body)
			}
			// The gate learns the decision and why, nothing of the lists:
			// no entry, list, score or listed name.
			for _, secret := range []string{`"hits"`, "P-1", `"test"`, "test/", "ИВАН", "PETROV", "explanation"} {
				if strings.Contains(string(raw.body), secret) {
					t.Errorf("the gate's answer holds %q: %s", secret, raw.body)
				}
			}
			var r gateReply
			raw.json(t, &r)
			if r.Decision != tt.decision || reasonCodes(r.Reasons) != tt.codes {
				t.Fatalf("%s %s, want %s %s (%+v)", r.Decision, reasonCodes(r.Reasons), tt.decision, tt.codes, r.Reasons)
			}
			if r.Reasons == nil || len(r.EventID) != 24 || r.Checks.Face == "" {
				t.Errorf("answer incomplete: %+v", r)
			}
			// The event is on record before the answer, without the
			// traveller's data.
			rec := h.do("GET", "/v1/gate-events/"+r.EventID, httpapi.RoleAuditor, "")
			if rec.status != 200 {
				t.Fatalf("GET the event: %d %s", rec.status, rec.body)
			}
			var got gate.Record
			rec.json(t, &got)
			if string(got.Decision) != r.Decision || got.Reasons == nil && r.Decision == "REFER" {
				t.Errorf("record %+v does not match the answer", got)
			}
			for _, secret := range []string{"WHITE", "123456789", "S00000001", "PETROV", "700000001"} {
				if strings.Contains(string(rec.body), secret) {
					t.Errorf("the record holds %q", secret)
				}
			}
		})
	}
}

// TestGateStageMetrics: /metrics splits a gate event's time between
// screening the holder and waiting for the durable record.
func TestGateStageMetrics(t *testing.T) {
	h := newGateHarness(t, true)
	if r := h.do("POST", "/v1/gate-events", httpapi.RoleGate, gateEvent(t, alice, "LHR-E01", time.Now(), 0.93)); r.status != 200 {
		t.Fatalf("gate event: %d %s", r.status, r.body)
	}
	m := h.do("GET", "/metrics", httpapi.RoleAuditor, "")
	for _, want := range []string{
		`portcullis_gate_stage_duration_seconds_count{stage="screen"} 1`,
		`portcullis_gate_stage_duration_seconds_count{stage="record"} 1`,
	} {
		if !strings.Contains(string(m.body), want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

func TestGateEventBadInput(t *testing.T) {
	h := newGateHarness(t, true)
	now := time.Now()
	good := gateEvent(t, alice, "LHR-E01", now, 0.9)
	tests := []struct {
		name, body, field string
		status            int
	}{
		{"unknown gate", strings.Replace(good, `"LHR-E01"`, `"LHR-E99"`, 1), "gate", 400},
		{"wrong port", strings.Replace(good, `"port":"LHR"`, `"port":"JFK"`, 1), "port", 400},
		{"score above 1", strings.Replace(good, `"score":0.9,`, `"score":1.7,`, 1), "face.score", 400},
		{"negative liveness", strings.Replace(good, `"score":0.98`, `"score":-0.2`, 1), "liveness.score", 400},
		{"future", strings.Replace(good, now.UTC().Format(time.RFC3339Nano), now.Add(time.Hour).UTC().Format(time.RFC3339Nano), 1), "time", 400},
		{"malformed MRZ", strings.Replace(good, `"mrz":["P`, `"mrz":["p`, 1), "document.mrz", 400},
		{"unknown field", strings.Replace(good, `"attempt":1`, `"attempts":1`, 1), "attempts", 400},
		{"bad status", strings.Replace(good, `"passive_authentication":"passed"`, `"passive_authentication":"ok"`, 1), "chip.passive_authentication", 400},
		{"not JSON", `{"gate":`, "body", 400},
		{"empty", ``, "body", 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.body == good {
				t.Fatal("the edit did not apply")
			}
			r := h.do("POST", "/v1/gate-events", httpapi.RoleGate, tt.body)
			var p httpapi.Problem
			json.Unmarshal(r.body, &p)
			if r.status != tt.status || p.Field != tt.field {
				t.Errorf("%d field %q (%s), want %d field %q", r.status, p.Field, p.Detail, tt.status, tt.field)
			}
		})
	}
	if r := h.do("POST", "/v1/gate-events", httpapi.RoleGate, `{"gate":"LHR-E01","pad":"`+strings.Repeat("x", 5000)+`"}`); r.status != 413 {
		t.Errorf("a body over MaxBody: %d, want 413", r.status)
	}
	// Only gates post events; only operators and auditors read them.
	for _, tt := range []struct {
		method, path string
		role         httpapi.Role
		status       int
	}{
		{"POST", "/v1/gate-events", "", 401},
		{"POST", "/v1/gate-events", httpapi.RoleCarrier, 403},
		{"POST", "/v1/gate-events", httpapi.RoleOperator, 403},
		{"GET", "/v1/gate-events", httpapi.RoleGate, 403},
		{"GET", "/v1/gate-events", httpapi.RoleCarrier, 403},
		{"GET", "/v1/gate-events", httpapi.RoleOperator, 200},
		{"GET", "/v1/gate-events", httpapi.RoleAuditor, 200},
		{"GET", "/v1/gate-events/0000000000000000deadbeef", httpapi.RoleAuditor, 404},
		{"GET", "/v1/gate-events/nonsense", httpapi.RoleAuditor, 404},
	} {
		body := ""
		if tt.method == "POST" {
			body = good
		}
		if r := h.do(tt.method, tt.path, tt.role, body); r.status != tt.status {
			t.Errorf("%s %s as %q: %d, want %d", tt.method, tt.path, tt.role, r.status, tt.status)
		}
	}
}

func TestGateEventQueries(t *testing.T) {
	h := newGateHarness(t, true)
	start := time.Now().Add(-5 * time.Minute)
	var ids []string
	for i := range 6 {
		p := alice
		if i%2 == 1 {
			p = stolen
		}
		r := h.gate(gateEvent(t, p, fmt.Sprintf("LHR-E0%d", 1+i%3), start.Add(time.Duration(i)*10*time.Second), 0.9))
		ids = append(ids, r.EventID)
	}
	list := func(query string, role httpapi.Role) (int, []string, string, string) {
		t.Helper()
		r := h.do("GET", "/v1/gate-events?"+query, role, "")
		var resp struct {
			Events []gate.Record `json:"events"`
			Next   string        `json:"next"`
		}
		var p httpapi.Problem
		if r.status == 200 {
			r.json(t, &resp)
		} else {
			json.Unmarshal(r.body, &p)
		}
		var got []string
		for _, e := range resp.Events {
			got = append(got, e.ID)
		}
		return r.status, got, resp.Next, p.Field
	}
	q := url.Values{}
	q.Set("document", "123 456 789")
	q.Set("country", "GBR")
	tests := []struct {
		name, query string
		want        []string
		next        string
	}{
		{"all", "", ids, ""},
		{"by document", q.Encode(), []string{ids[0], ids[2], ids[4]}, ""},
		{"by document and type", q.Encode() + "&type=P", []string{ids[0], ids[2], ids[4]}, ""},
		{"document as an ID card", q.Encode() + "&type=I", nil, ""},
		{"by gate", "gate=LHR-E02", []string{ids[1], ids[4]}, ""},
		{"by time", "from=" + url.QueryEscape(start.Add(15*time.Second).UTC().Format(time.RFC3339Nano)) + "&to=" +
			url.QueryEscape(start.Add(35*time.Second).UTC().Format(time.RFC3339Nano)), []string{ids[2], ids[3]}, ""},
		{"first page", "limit=4", ids[:4], ids[3]},
		{"second page", "limit=4&after=" + ids[3], ids[4:], ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, got, next, _ := list(tt.query, httpapi.RoleOperator)
			if status != 200 || fmt.Sprint(got) != fmt.Sprint(tt.want) || next != tt.next {
				t.Errorf("%d %v next %q, want %v next %q", status, got, next, tt.want, tt.next)
			}
		})
	}
	for _, tt := range []struct{ query, field string }{
		{"document=123", "country"},
		{"country=GBR", "document"},
		{"document=123&country=Atlantis", "country"},
		{"from=yesterday", "from"},
		{"limit=0", "limit"},
		{"after=abc", "after"},
		{"gate=a/b", "gate"},
	} {
		if status, _, _, field := list(tt.query, httpapi.RoleAuditor); status != 400 || field != tt.field {
			t.Errorf("?%s: %d field %q, want 400 naming %s", tt.query, status, field, tt.field)
		}
	}
}

func TestGateNotReady(t *testing.T) {
	h := newGateHarness(t, false)
	r := h.do("POST", "/v1/gate-events", httpapi.RoleGate, gateEvent(t, alice, "LHR-E01", time.Now(), 0.9))
	if r.status != 503 {
		t.Fatalf("an event before the memory is rebuilt: %d %s, want 503", r.status, r.body)
	}
	// Readiness says so too, so that a balancer sends no events yet.
	if r := h.do("GET", "/readyz", "", ""); r.status != 503 {
		t.Fatalf("/readyz before the gate memory is rebuilt: %d %s, want 503", r.status, r.body)
	}
	if r := newGateHarness(t, true).do("GET", "/readyz", "", ""); r.status != 200 {
		t.Fatalf("/readyz once the gate memory is rebuilt: %d %s", r.status, r.body)
	}
}

// TestGateKeyForPorts: a gate key limited to some ports cannot post events
// of another port's gates (and so cannot make a use appear there).
func TestGateKeyForPorts(t *testing.T) {
	h := newGateHarness(t, true)
	key, rec, err := h.kr.Generate(httpapi.RoleGate, "lhr-lanes", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := h.kr.SetPorts(rec.ID, []string{"LHR"}); err != nil {
		t.Fatal(err)
	}
	h.keys[httpapi.RoleGate] = key
	now := time.Now()
	if r := h.do("POST", "/v1/gate-events", httpapi.RoleGate, gateEvent(t, alice, "JFK-E02", now, 0.9)); r.status != 403 || !strings.Contains(string(r.body), "LHR") {
		t.Fatalf("an LHR key posting for JFK: %d %s", r.status, r.body)
	}
	if r := h.gate(gateEvent(t, alice, "LHR-E02", now, 0.9)); r.Decision != "ACCEPT" {
		t.Fatalf("an LHR key posting for LHR: %+v", r)
	}
}
