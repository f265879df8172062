package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttputil"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/httpapi"
	"github.com/bordersec/portcullis/screening/listfmt/jsonl"
	"github.com/bordersec/portcullis/screening/mrz"
	"github.com/bordersec/portcullis/store"
)

// harness is a server on an in-memory listener over a store in a temporary
// directory, with one key per role.
type harness struct {
	t      *testing.T
	dir    string
	db     *store.DB
	engine *screening.Engine
	srv    *httpapi.Server
	ln     *fasthttputil.InmemoryListener
	client *fasthttp.Client
	keys   map[httpapi.Role]string
	kr     *httpapi.Keyring
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

type harnessOpts struct {
	dir    string
	engine screening.Options
	kr     *httpapi.Keyring
	keys   map[httpapi.Role]string
	noSeed bool

	lenientPAXLST bool
}

func newHarness(t *testing.T, o harnessOpts) *harness {
	t.Helper()
	h := &harness{t: t, dir: o.dir, keys: o.keys, kr: o.kr}
	if h.dir == "" {
		h.dir = t.TempDir()
	}
	var err error
	h.db, err = store.Open(h.dir, &store.Options{Logger: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	if !o.noSeed {
		f, err := os.Open("testdata/lists.jsonl")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.db.Import(context.Background(), "test", jsonl.NewReader(f), screening.ImportOptions{Actor: "test"}); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	if h.kr == nil {
		h.kr = httpapi.NewKeyring("")
		h.keys = map[httpapi.Role]string{}
		for _, r := range httpapi.Roles {
			k, _, err := h.kr.Generate(r, string(r), time.Now())
			if err != nil {
				t.Fatal(err)
			}
			h.keys[r] = k
		}
	}
	eo := o.engine
	eo.Logger = quiet()
	h.engine = screening.New(h.db, eo)
	if err := h.engine.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	h.srv, err = httpapi.New(httpapi.Options{Engine: h.engine, Lists: h.db, Decisions: h.db, Keys: h.kr, Logger: quiet(),
		MaxScreenBody: 4096, LenientPAXLST: o.lenientPAXLST})
	if err != nil {
		t.Fatal(err)
	}
	h.ln = fasthttputil.NewInmemoryListener()
	go h.srv.Serve(h.ln)
	h.client = &fasthttp.Client{Dial: func(string) (net.Conn, error) { return h.ln.Dial() }}
	t.Cleanup(h.close)
	return h
}

func (h *harness) close() {
	if h.srv == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	h.srv.Shutdown(ctx)
	h.ln.Close()
	h.engine.Close()
	h.db.Close()
	h.srv = nil
}

type reply struct {
	status int
	body   []byte
	header map[string]string
}

func (r reply) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// do sends a request as role ("" for no key).
func (h *harness) do(method, path string, role httpapi.Role, body string, headers ...string) reply {
	h.t.Helper()
	req := fasthttp.AcquireRequest()
	resp := fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.Header.SetMethod(method)
	req.SetRequestURI("http://portcullis" + path)
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+h.keys[role])
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	if body != "" {
		req.SetBodyString(body)
	}
	if err := h.client.DoTimeout(req, resp, 10*time.Second); err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	r := reply{status: resp.StatusCode(), body: append([]byte(nil), resp.Body()...), header: map[string]string{}}
	for k, v := range resp.Header.All() {
		r.header[string(k)] = string(v)
	}
	return r
}

type screenReply struct {
	Decision         string          `json:"decision"`
	Hits             []screening.Hit `json:"hits"`
	Reasons          []string        `json:"reasons"`
	DecisionID       string          `json:"decision_id"`
	WatchlistVersion uint64          `json:"watchlist_version"`
	AlgorithmVersion string          `json:"algorithm_version"`
	ElapsedMicros    int64           `json:"elapsed_us"`
}

func (h *harness) screen(body string) screenReply {
	h.t.Helper()
	r := h.do("POST", "/v1/screen", httpapi.RoleGate, body)
	if r.status != 200 {
		h.t.Fatalf("screen %s: %d %s", body, r.status, r.body)
	}
	var sr screenReply
	r.json(h.t, &sr)
	return sr
}

func TestScreenDecisions(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	tests := []struct {
		name     string
		body     string
		decision string
		entry    string
	}{
		{"latin name", `{"name":"Ivan Petrov","birth_date":"1960-01-31"}`, "REFER", "P-1"},
		{"cyrillic", `{"name":"Иван Петров"}`, "REFER", "P-1"},
		{"surname and given", `{"surname":"PETROV","given_names":"IVAN IVANOVICH","nationality":"RUS"}`, "REFER", "P-1"},
		{"document on entry", `{"name":"Somebody Else","document":{"type":"P","number":"751234567","country":"RUS"}}`, "REFER", "P-1"},
		{"deny entry strong", `{"name":"Fatima Al Zahra","birth_date":"1985-03-03","gender":"F"}`, "DENY", "P-2"},
		{"monitor only", `{"name":"Hassan Abdullah Monitored"}`, "CLEAR", "P-3"},
		{"expired listing", `{"name":"Old Expired Listing"}`, "CLEAR", ""},
		{"clean", `{"name":"Margaret Thatcher","birth_date":"1925-10-13"}`, "CLEAR", ""},
		{"unreadable name", `{"name":"!!! ???"}`, "REFER", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.screen(tt.body)
			if r.Decision != tt.decision {
				t.Fatalf("decision = %s, want %s (hits %+v, reasons %v)", r.Decision, tt.decision, r.Hits, r.Reasons)
			}
			if tt.entry != "" {
				found := false
				for _, hit := range r.Hits {
					found = found || hit.EntryID == tt.entry
				}
				if !found {
					t.Fatalf("no hit on %s: %+v", tt.entry, r.Hits)
				}
			}
			if r.DecisionID == "" || r.AlgorithmVersion == "" || r.WatchlistVersion == 0 {
				t.Fatalf("answer lacks id or versions: %+v", r)
			}
		})
	}
	// Every decision was recorded, with the traveller, before it was answered.
	r := h.screen(`{"name":"Ivan Petrov"}`)
	rec := h.do("GET", "/v1/decisions/"+r.DecisionID, httpapi.RoleAuditor, "")
	if rec.status != 200 {
		t.Fatalf("decision record: %d %s", rec.status, rec.body)
	}
	var dr screening.DecisionRecord
	rec.json(t, &dr)
	if dr.Outcome != screening.Refer || dr.Traveller == nil || dr.Traveller.Name != "Ivan Petrov" || dr.KeyID == "" || dr.InputDigest == "" {
		t.Fatalf("decision record = %+v", dr)
	}
}

func TestRoles(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	screen := `{"name":"Ivan Petrov"}`
	manifest := `{"carrier":"XX","number":"123","passengers":[{"reference":"1","name":"Ivan Petrov",` + apiData + `}]}`
	tests := []struct {
		method, path, body string
		allowed            []httpapi.Role
	}{
		{"POST", "/v1/screen", screen, []httpapi.Role{httpapi.RoleGate, httpapi.RoleAdmin}},
		{"POST", "/v1/manifests", manifest, []httpapi.Role{httpapi.RoleCarrier, httpapi.RoleAdmin}},
		{"GET", "/v1/lists", "", []httpapi.Role{httpapi.RoleOperator, httpapi.RoleAdmin}},
		{"GET", "/v1/lists/test/entries/P-1", "", []httpapi.Role{httpapi.RoleOperator, httpapi.RoleAdmin}},
		{"GET", "/v1/decisions", "", []httpapi.Role{httpapi.RoleAuditor, httpapi.RoleAdmin}},
		{"GET", "/v1/audit/changes", "", []httpapi.Role{httpapi.RoleAuditor, httpapi.RoleAdmin}},
		{"GET", "/metrics", "", []httpapi.Role{httpapi.RoleAuditor, httpapi.RoleAdmin}},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			if r := h.do(tt.method, tt.path, "", tt.body); r.status != 401 {
				t.Errorf("no key: %d, want 401", r.status)
			}
			r := h.do(tt.method, tt.path, "", tt.body, "Authorization", "Bearer pck_00000000_"+strings.Repeat("x", 43))
			if r.status != 401 {
				t.Errorf("unknown key: %d, want 401", r.status)
			}
			for _, role := range httpapi.Roles {
				want := 403
				for _, a := range tt.allowed {
					if a == role {
						want = 200
					}
				}
				r := h.do(tt.method, tt.path, role, tt.body)
				if r.status != want {
					t.Errorf("role %s: %d, want %d (%s)", role, r.status, want, r.body)
				}
				if want == 403 && (!strings.Contains(r.header["Content-Type"], "problem+json")) {
					t.Errorf("role %s: 403 without a problem body", role)
				}
			}
		})
	}
	for _, p := range []string{"/healthz", "/readyz"} {
		if r := h.do("GET", p, "", ""); r.status != 200 {
			t.Errorf("%s: %d", p, r.status)
		}
	}
}

func TestReadyzReportsWarmUp(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	select {
	case <-h.engine.Warmed():
	case <-time.After(30 * time.Second):
		t.Fatal("the matcher's warm-up did not end")
	}
	r := h.do("GET", "/readyz", "", "")
	if r.status != 200 || !bytes.Contains(r.body, []byte(`"warm":true`)) {
		t.Fatalf("/readyz after the warm-up: %d %s", r.status, r.body)
	}
}

func TestRevokedKey(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	rec, ok := h.kr.Authenticate(h.keys[httpapi.RoleGate])
	if !ok {
		t.Fatal("gate key does not authenticate")
	}
	if err := h.kr.Revoke(rec.ID); err != nil {
		t.Fatal(err)
	}
	if r := h.do("POST", "/v1/screen", httpapi.RoleGate, `{"name":"A B"}`); r.status != 401 {
		t.Fatalf("revoked key: %d, want 401", r.status)
	}
}

func TestBadInput(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	tests := []struct {
		name, body string
		status     int
		field      string
	}{
		{"malformed JSON", `{"name":`, 400, ""},
		{"not an object", `[1,2]`, 400, ""},
		{"empty body", ``, 400, ""},
		{"two values", `{"name":"A"} {"name":"B"}`, 400, ""},
		{"stray closing brace", `{"name":"A B"}}`, 400, ""},
		{"stray closing bracket", `{"name":"A B"} ]`, 400, ""},
		{"unknown field", `{"name":"A","colour":"red"}`, 400, "colour"},
		{"unknown field with Traveller. in its name", `{"name":"A","xTraveller.y":1}`, 400, "xTraveller.y"},
		{"wrong type", `{"name":42}`, 400, "name"},
		{"document wrong type", `{"name":"A","document":{"number":7}}`, 400, "document.number"},
		{"missing name", `{"birth_date":"1970-01-01"}`, 400, "name"},
		{"name and parts", `{"name":"A B","surname":"B"}`, 400, "name"},
		{"bad date", `{"name":"A","birth_date":"1970-13-01"}`, 400, "birth_date"},
		{"bad nationality", `{"name":"A","nationality":"Atlantis"}`, 400, "nationality"},
		{"bad gender", `{"name":"A","gender":"Q"}`, 400, "gender"},
		{"empty document", `{"name":"A","document":{"number":" ","country":"RUS"}}`, 400, "document.number"},
		{"control char", `{"name":"A\u0000B"}`, 400, "name"},
		{"too large", `{"name":"` + strings.Repeat("a", 5000) + `"}`, 413, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.do("POST", "/v1/screen", httpapi.RoleGate, tt.body)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if !strings.Contains(r.header["Content-Type"], "application/problem+json") {
				t.Fatalf("content type %q", r.header["Content-Type"])
			}
			var p httpapi.Problem
			r.json(t, &p)
			if p.Status != tt.status || p.Title == "" || p.Detail == "" {
				t.Fatalf("problem = %+v", p)
			}
			if tt.field != "" && p.Field != tt.field {
				t.Fatalf("field = %q, want %q (%s)", p.Field, tt.field, p.Detail)
			}
		})
	}
	if r := h.do("GET", "/v1/screen", httpapi.RoleGate, ""); r.status != 405 {
		t.Errorf("GET /v1/screen: %d, want 405", r.status)
	}
	if r := h.do("GET", "/v1/nothing", httpapi.RoleGate, ""); r.status != 404 {
		t.Errorf("unknown path: %d, want 404", r.status)
	}
}

// slowDocs is a document list that never answers before the deadline.
type slowDocs struct{}

func (slowDocs) CheckDocument(ctx context.Context, _ screening.Document) (screening.DocumentCheck, error) {
	<-ctx.Done()
	return screening.DocumentCheck{}, ctx.Err()
}
func (slowDocs) DocumentVersion() uint64 { return 1 }

func TestDeadlineRefers(t *testing.T) {
	h := newHarness(t, harnessOpts{engine: screening.Options{Deadline: 20 * time.Millisecond, Documents: slowDocs{}}})
	r := h.screen(`{"name":"Margaret Thatcher","document":{"type":"P","number":"123456789","country":"GBR"}}`)
	if r.Decision != "REFER" || len(r.Reasons) == 0 || !strings.Contains(r.Reasons[0], "deadline") {
		t.Fatalf("a screening past its deadline = %+v, want REFER with the reason", r)
	}
}

func TestOperatorChangeIsScreenedAtOnce(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	body := `{"name":"Margaret Thatcher","birth_date":"1925-10-13"}`
	if r := h.screen(body); r.Decision != "CLEAR" {
		t.Fatalf("before: %s", r.Decision)
	}
	// Screen again so that the CLEAR is in the cache.
	before := h.screen(body)
	entry := `{"id":"MT-1","names":["Margaret Hilda Thatcher"],"birth_dates":["1925-10-13"],"action":"deny"}`
	r := h.do("POST", "/v1/lists/ops/entries", httpapi.RoleOperator, entry, "X-Reason", "test")
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	after := h.screen(body)
	if after.Decision == "CLEAR" || after.WatchlistVersion <= before.WatchlistVersion {
		t.Fatalf("after adding an entry: %s at version %d (was %d): a stale CLEAR", after.Decision, after.WatchlistVersion, before.WatchlistVersion)
	}
	// Creating it again is a conflict; replacing it with PUT needs the right version.
	if r := h.do("POST", "/v1/lists/ops/entries", httpapi.RoleOperator, entry); r.status != 409 {
		t.Fatalf("second create: %d", r.status)
	}
	g := h.do("GET", "/v1/lists/ops/entries/MT-1", httpapi.RoleOperator, "")
	etag := g.header["Etag"]
	if g.status != 200 || etag == "" {
		t.Fatalf("get: %d %v", g.status, g.header)
	}
	if r := h.do("PUT", "/v1/lists/ops/entries/MT-1", httpapi.RoleOperator, entry, "If-Match", `"999"`); r.status != 409 {
		t.Fatalf("PUT with a stale If-Match: %d", r.status)
	}
	if r := h.do("PUT", "/v1/lists/ops/entries/MT-1", httpapi.RoleOperator, entry, "If-Match", etag); r.status != 200 {
		t.Fatalf("PUT with the current If-Match: %d %s", r.status, r.body)
	}
	if r := h.do("PUT", "/v1/lists/ops/entries/OTHER", httpapi.RoleOperator, entry); r.status != 400 {
		t.Fatalf("PUT with an id that disagrees with the path: %d", r.status)
	}
	if r := h.do("DELETE", "/v1/lists/ops/entries/MT-1", httpapi.RoleOperator, ""); r.status != 200 {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	if r := h.screen(body); r.Decision != "CLEAR" {
		t.Fatalf("after deleting the entry: %s", r.Decision)
	}
	// The audit trail has all of it, with the key that did it and why.
	var cr struct {
		Changes []screening.Change `json:"changes"`
	}
	a := h.do("GET", "/v1/audit/changes?list=ops", httpapi.RoleAuditor, "")
	a.json(t, &cr)
	if len(cr.Changes) != 3 || cr.Changes[0].Op != screening.OpCreate || cr.Changes[0].Reason != "test" ||
		cr.Changes[2].Op != screening.OpDelete || cr.Changes[2].Before == nil || !strings.HasPrefix(cr.Changes[0].Actor, "key:") {
		t.Fatalf("audit = %+v", cr.Changes)
	}
}

// TestScreenCutName screens a name as a full MRZ name field cuts it: the
// cut word compared whole loses the entry; marked as cut, directly or by
// sending the MRZ itself, the traveller is referred.
func TestScreenCutName(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	entry := `{"id":"OZ-1","names":["OLEKSANDR OLEKSANDROVYCH ZIMINENKO"],"birth_dates":["1969-05-10"],"action":"refer"}`
	if r := h.do("POST", "/v1/lists/ops/entries", httpapi.RoleOperator, entry); r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	hit := func(r screenReply) bool {
		for _, h := range r.Hits {
			if h.EntryID == "OZ-1" {
				return true
			}
		}
		return false
	}
	asRead := `{"surname":"ZIMINENKO","given_names":"OLEKSANDR OLEKSANDR"}`
	if r := h.screen(asRead); hit(r) {
		t.Fatalf("the cut name compared whole found the entry (%s): this test no longer needs the flag", r.Decision)
	}
	cut := `{"surname":"ZIMINENKO","given_names":"OLEKSANDR OLEKSANDR","name_truncated":true}`
	if r := h.screen(cut); r.Decision != "REFER" || !hit(r) {
		t.Fatalf("cut name: %s, hits %+v", r.Decision, r.Hits)
	}
	// An identity card's 30 letters cut the patronymic to OLEKSANDR.
	lines, err := mrz.Build(&mrz.MRZ{Format: mrz.TD1, DocumentCode: "ID", IssuingState: "UKR", Nationality: "UKR",
		Number: "AB1234567", Primary: "ZIMINENKO", Secondary: "OLEKSANDR OLEKSANDROVYCH",
		BirthDate: screening.Exact(1969, 5, 10), Sex: screening.GenderMale, ExpiryDate: screening.Exact(2031, 1, 1)})
	if err != nil {
		t.Fatal(err)
	}
	if lines[2] != "ZIMINENKO<<OLEKSANDR<OLEKSANDR" {
		t.Fatalf("name line %q: not the cut name this test is about", lines[2])
	}
	body, _ := json.Marshal(map[string][]string{"mrz": lines})
	if r := h.screen(string(body)); r.Decision != "REFER" || !hit(r) {
		t.Fatalf("cut name from the MRZ: %s, hits %+v", r.Decision, r.Hits)
	}
}

func TestImportOverHTTP(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	good := `{"id":"X-1","names":["Zbigniew Testowy"],"action":"refer"}` + "\n" + `{"id":"X-2","names":["Olga Probna"],"action":"refer"}`
	r := h.do("POST", "/v1/lists/imported/import?format=jsonl", httpapi.RoleOperator, good)
	if r.status != 200 {
		t.Fatalf("import: %d %s", r.status, r.body)
	}
	if s := h.screen(`{"name":"Olga Probna"}`); s.Decision != "REFER" {
		t.Fatalf("imported entry not screened: %s", s.Decision)
	}
	bad := good + "\n" + `{"id":"X-3","names":[]}`
	r = h.do("POST", "/v1/lists/imported/import?format=jsonl", httpapi.RoleOperator, bad)
	var p httpapi.Problem
	r.json(t, &p)
	if r.status != 422 || len(p.Errors) != 1 || !strings.Contains(p.Errors[0], "record 3") {
		t.Fatalf("import with a bad record: %d %+v", r.status, p)
	}
	if r := h.do("POST", "/v1/lists/imported/import?format=bogus", httpapi.RoleOperator, good); r.status != 400 {
		t.Fatalf("unknown format: %d", r.status)
	}
	if r := h.do("POST", "/v1/lists/imported/import", httpapi.RoleOperator, ""); r.status != 400 {
		t.Fatalf("empty import: %d %s", r.status, r.body)
	}
	exp := h.do("GET", "/v1/lists/imported/entries", httpapi.RoleOperator, "")
	if exp.status != 200 || strings.Count(string(exp.body), "\n") != 2 {
		t.Fatalf("export: %d %q", exp.status, exp.body)
	}
}

// apiData is the rest of a passenger's advance passenger information.
const apiData = `"birth_date":"1980-02-03","nationality":"GBR","document":{"type":"P","number":"123456789","country":"GBR"}`

func TestManifest(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	var ps []string
	for i := range 50 {
		ps = append(ps, fmt.Sprintf(`{"reference":"P%02d","name":"Clean Passenger Number %d",%s}`, i, i, apiData))
	}
	ps = append(ps, `{"reference":"HIT","surname":"Petrov","given_names":"Ivan","birth_date":"1960-01-31","nationality":"RUS","document":{"type":"P","number":"1","country":"RUS"}}`,
		`{"reference":"NONAME","birth_date":"1960-01-31","nationality":"RUS","document":{"type":"P","number":"2","country":"RUS"}}`,
		`{"reference":"NODOC","name":"Clean Passenger Nodoc","birth_date":"1960-01-31","nationality":"RUS"}`)
	body := `{"carrier":"BA","number":"BA117","departure":{"port":"LHR","time":"2026-11-22T10:00:00Z"},"arrival":{"port":"JFK"},"passengers":[` + strings.Join(ps, ",") + `]}`
	r := h.do("POST", "/v1/manifests", httpapi.RoleCarrier, body)
	if r.status != 200 {
		t.Fatalf("manifest: %d %s", r.status, r.body)
	}
	// A carrier learns board or no board and nothing of the lists.
	for _, leak := range []string{"P-1", "test", "score", "hits", "REFER", "explanation", "Petrov"} {
		if strings.Contains(string(r.body), leak) {
			t.Errorf("the carrier's answer mentions %q: %s", leak, r.body)
		}
	}
	var mr struct {
		Passengers []struct {
			Reference   string `json:"reference"`
			Board       bool   `json:"board"`
			Code        string `json:"code"`
			DataQuality string `json:"data_quality"`
		} `json:"passengers"`
	}
	r.json(t, &mr)
	if len(mr.Passengers) != 53 {
		t.Fatalf("%d answers, want 53", len(mr.Passengers))
	}
	for _, p := range mr.Passengers {
		switch p.Reference {
		case "HIT":
			if p.Board || p.Code != "1Z" {
				t.Errorf("listed passenger: %+v", p)
			}
		case "NONAME", "NODOC":
			if p.Board || p.Code != "1Z" || p.DataQuality == "" {
				t.Errorf("passenger with incomplete data: %+v", p)
			}
		default:
			if !p.Board || p.Code != "0Z" {
				t.Errorf("clean passenger %s: %+v", p.Reference, p)
			}
		}
	}
	// Every passenger's decision is recorded with the versions it was made
	// on, those refused for incomplete data included.
	var dr struct {
		Decisions []screening.DecisionRecord `json:"decisions"`
	}
	h.do("GET", "/v1/decisions?from=2000-01-01T00:00:00Z&limit=1000", httpapi.RoleAuditor, "").json(t, &dr)
	refused := 0
	for _, d := range dr.Decisions {
		if d.AlgorithmVersion == "" || d.WatchlistVersion == 0 {
			t.Errorf("decision %s (%s) recorded without its versions: %+v", d.ID, d.Reference, d)
		}
		if len(d.Reasons) > 0 && strings.HasPrefix(d.Reasons[0], "data quality: ") {
			refused++
		}
	}
	if len(dr.Decisions) != 53 || refused != 2 {
		t.Errorf("%d decisions recorded, %d for incomplete data; want 53 and 2", len(dr.Decisions), refused)
	}
	// The admin sees the decisions.
	full := h.do("POST", "/v1/manifests", httpapi.RoleAdmin, body)
	if !strings.Contains(string(full.body), "P-1") {
		t.Errorf("admin's answer lacks the hit")
	}
	for _, bad := range []struct{ body, field string }{
		{`{"number":"1","passengers":[{"reference":"a","name":"A"}]}`, "carrier"},
		{`{"carrier":"X","number":"1","passengers":[]}`, "passengers"},
		{`{"carrier":"X","number":"1","passengers":[{"name":"A"}]}`, "passengers[0].reference"},
		{`{"carrier":"X","number":"1","passengers":[{"reference":"a","name":"A"},{"reference":"a","name":"B"}]}`, "passengers[1].reference"},
		{`{"carrier":"X","number":"1","passengers":[{"reference":"a","name":7}]}`, "passengers.name"},
	} {
		r := h.do("POST", "/v1/manifests", httpapi.RoleCarrier, bad.body)
		var p httpapi.Problem
		r.json(t, &p)
		if r.status != 400 || p.Field != bad.field {
			t.Errorf("manifest %s: %d field %q, want 400 %q", bad.body, r.status, p.Field, bad.field)
		}
	}
}

func TestRestartKeepsListsAndAudit(t *testing.T) {
	dir := t.TempDir()
	h := newHarness(t, harnessOpts{dir: dir})
	r := h.do("PUT", "/v1/lists/ops/entries/R-1", httpapi.RoleOperator, `{"names":["Restart Kept Person"],"action":"refer"}`)
	if r.status != 201 {
		t.Fatalf("put: %d %s", r.status, r.body)
	}
	s := h.screen(`{"name":"Restart Kept Person"}`)
	h.close()

	h2 := newHarness(t, harnessOpts{dir: dir, kr: h.kr, keys: h.keys, noSeed: true})
	if s2 := h2.screen(`{"name":"Restart Kept Person"}`); s2.Decision != "REFER" {
		t.Fatalf("after restart: %s", s2.Decision)
	}
	if r := h2.do("GET", "/v1/decisions/"+s.DecisionID, httpapi.RoleAuditor, ""); r.status != 200 {
		t.Fatalf("decision from before the restart: %d", r.status)
	}
	var lr struct {
		Lists []screening.ListInfo `json:"lists"`
	}
	h2.do("GET", "/v1/lists", httpapi.RoleOperator, "").json(t, &lr)
	if len(lr.Lists) != 2 {
		t.Fatalf("lists after restart: %+v", lr.Lists)
	}
}

func TestDecisionsRange(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	for i := range 5 {
		h.screen(fmt.Sprintf(`{"name":"Range Person %d"}`, i))
	}
	var dr struct {
		Decisions []screening.DecisionRecord `json:"decisions"`
		Next      string                     `json:"next"`
	}
	h.do("GET", "/v1/decisions?limit=3", httpapi.RoleAuditor, "").json(t, &dr)
	if len(dr.Decisions) != 3 || dr.Next == "" {
		t.Fatalf("first page: %d, next %q", len(dr.Decisions), dr.Next)
	}
	page2 := h.do("GET", "/v1/decisions?limit=3&from="+dr.Next, httpapi.RoleAuditor, "")
	dr.Decisions, dr.Next = nil, ""
	page2.json(t, &dr)
	if len(dr.Decisions) != 2 || dr.Next != "" {
		t.Fatalf("second page: %d, next %q", len(dr.Decisions), dr.Next)
	}
	if r := h.do("GET", "/v1/decisions?from=yesterday", httpapi.RoleAuditor, ""); r.status != 400 {
		t.Fatalf("bad from: %d", r.status)
	}
	// Before 1970 the time-ordered keys would wrap and match nothing.
	if r := h.do("GET", "/v1/decisions?from=1960-01-01T00:00:00Z", httpapi.RoleAuditor, ""); r.status != 400 || !strings.Contains(string(r.body), "1970") {
		t.Fatalf("from 1960: %d %s", r.status, r.body)
	}
	if r := h.do("GET", "/v1/decisions/nonsense", httpapi.RoleAuditor, ""); r.status != 404 {
		t.Fatalf("bad id: %d", r.status)
	}
}

func TestMetrics(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.screen(`{"name":"Ivan Petrov"}`)
	r := h.do("GET", "/metrics", httpapi.RoleAuditor, "")
	for _, want := range []string{
		`portcullis_decisions_total{channel="screen",decision="REFER"} 1`,
		`portcullis_http_requests_total{code="200",route="POST /v1/screen"} 1`,
		`portcullis_list_entries{list="test"} 4`,
		"portcullis_watchlist_version 1",
		"portcullis_http_request_duration_seconds_bucket",
	} {
		if !strings.Contains(string(r.body), want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}
