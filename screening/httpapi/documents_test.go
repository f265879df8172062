package httpapi_test

import (
	"context"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttputil"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/httpapi"
	"github.com/bordersec/portcullis/store"
)

// newDocHarness is a harness whose engine checks the store's document list
// and whose server has the document endpoints.
func newDocHarness(t *testing.T) *harness {
	t.Helper()
	h := &harness{t: t, dir: t.TempDir(), keys: map[httpapi.Role]string{}, kr: httpapi.NewKeyring("")}
	var err error
	if h.db, err = store.Open(h.dir, &store.Options{Logger: quiet()}); err != nil {
		t.Fatal(err)
	}
	docs, err := h.db.OpenDocuments(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range httpapi.Roles {
		k, _, err := h.kr.Generate(r, string(r), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		h.keys[r] = k
	}
	h.engine = screening.New(h.db, screening.Options{Logger: quiet(), Documents: docs})
	if err := h.engine.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	if h.srv, err = httpapi.New(httpapi.Options{Engine: h.engine, Lists: h.db, Decisions: h.db, Keys: h.kr, Logger: quiet()}); err != nil {
		t.Fatal(err)
	}
	h.srv.EnableDocuments(docs)
	h.ln = fasthttputil.NewInmemoryListener()
	go h.srv.Serve(h.ln)
	h.client = &fasthttp.Client{Dial: func(string) (net.Conn, error) { return h.ln.Dial() }}
	t.Cleanup(func() {
		h.close()
		docs.Close()
	})
	return h
}

const docStolenGBR = `{"status":"stolen","reported":"2024-03-01","source":"UKPA"}`

func docTraveller(country, typ, number string) string {
	return `{"name":"Margaret Thatcher","birth_date":"1925-10-13","document":{"country":"` + country +
		`","type":"` + typ + `","number":"` + number + `"}}`
}

// TestDocumentEndpoints lists, reads, changes and removes one document and
// screens travellers against it.
func TestDocumentEndpoints(t *testing.T) {
	h := newDocHarness(t)
	op := httpapi.RoleOperator
	path := "/v1/documents/GBR/P/123456789"
	if s := h.screen(docTraveller("GBR", "P", "123456789")); s.Decision != "CLEAR" {
		t.Fatalf("before listing: %s", s.Decision)
	}
	r := h.do("PUT", path, op, docStolenGBR, "X-Reason", "reported by the holder")
	if r.status != 201 || r.header["Location"] != path || r.header["Etag"] == "" {
		t.Fatalf("create: %d %v %s", r.status, r.header, r.body)
	}
	var created struct {
		Version  uint64                  `json:"version"`
		Op       string                  `json:"op"`
		ID       string                  `json:"id"`
		Document screening.DocumentEntry `json:"document"`
	}
	r.json(t, &created)
	if created.Op != "create" || created.ID != "GBR/P/123456789" || created.Document.Status != screening.StatusStolen {
		t.Fatalf("create answer %+v", created)
	}

	tests := []struct {
		name, country, typ, number, decision, kind string
	}{
		{"listed", "GBR", "P", "123456789", "DENY", "listed_document"},
		{"written otherwise", "GB", "p", "1234-56789", "DENY", "listed_document"},
		{"look-alike", "GBR", "P", "I23456789", "REFER", "near_document"},
		{"another state", "IRL", "P", "123456789", "CLEAR", ""},
		{"another type", "GBR", "I", "123456789", "CLEAR", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := h.screen(docTraveller(tt.country, tt.typ, tt.number))
			if s.Decision != tt.decision {
				t.Fatalf("decision %s, want %s (%+v)", s.Decision, tt.decision, s.Hits)
			}
			if tt.kind != "" && (len(s.Hits) == 0 || string(s.Hits[0].Kind) != tt.kind) {
				t.Fatalf("hits %+v, want a %s", s.Hits, tt.kind)
			}
		})
	}

	g := h.do("GET", path, op, "")
	var got screening.DocumentEntry
	g.json(t, &got)
	if g.status != 200 || got.Source != "UKPA" || g.header["Etag"] != `"`+strconv.FormatUint(created.Version, 10)+`"` {
		t.Fatalf("get: %d %v %+v", g.status, g.header, got)
	}
	revoked := `{"number":"123 456 789","status":"revoked"}`
	if r := h.do("PUT", path, op, revoked, "If-Match", `"999"`); r.status != 409 {
		t.Errorf("PUT with a stale If-Match: %d %s", r.status, r.body)
	}
	if r := h.do("PUT", path, op, revoked, "If-Match", g.header["Etag"]); r.status != 200 {
		t.Errorf("PUT with the current If-Match: %d %s", r.status, r.body)
	}
	for _, bad := range []struct{ body, field string }{
		{`{"country":"FRA","status":"lost"}`, "country"},
		{`{"number":"999","status":"lost"}`, "number"},
		{`{"status":"mislaid"}`, "status"},
		{`{"status":"lost","colour":"red"}`, "colour"},
		{`{"status":"lost","reported":"2024-02-30"}`, "reported"},
	} {
		r := h.do("PUT", path, op, bad.body)
		var p httpapi.Problem
		r.json(t, &p)
		if r.status != 400 || p.Field != bad.field {
			t.Errorf("PUT %s: %d %+v, want 400 naming %s", bad.body, r.status, p, bad.field)
		}
	}
	if r := h.do("PUT", "/v1/documents/XYZ/P/1", op, docStolenGBR); r.status != 400 {
		t.Errorf("unknown state: %d", r.status)
	}

	if r := h.do("DELETE", path, op, "", "X-Reason", "found"); r.status != 200 {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	if s := h.screen(docTraveller("GBR", "P", "123456789")); s.Decision != "CLEAR" {
		t.Fatalf("after the delete: %s %+v", s.Decision, s.Hits)
	}
	if r := h.do("GET", path, op, ""); r.status != 404 {
		t.Errorf("get after delete: %d", r.status)
	}
	if r := h.do("DELETE", path, op, ""); r.status != 404 {
		t.Errorf("second delete: %d", r.status)
	}

	// The audit trail, for auditors.
	var cr struct {
		Changes []struct {
			screening.Change
			Before *screening.DocumentEntry `json:"document_before"`
			After  *screening.DocumentEntry `json:"document_after"`
		} `json:"changes"`
		Next uint64 `json:"next_after_seq"`
	}
	a := h.do("GET", "/v1/audit/documents", httpapi.RoleAuditor, "")
	a.json(t, &cr)
	if a.status != 200 || len(cr.Changes) != 3 {
		t.Fatalf("audit: %d %s", a.status, a.body)
	}
	c0, c1, c2 := cr.Changes[0], cr.Changes[1], cr.Changes[2]
	if c0.Op != screening.OpCreate || c0.Reason != "reported by the holder" || !strings.HasPrefix(c0.Actor, "key:") ||
		c0.After == nil || c0.After.Status != screening.StatusStolen ||
		c1.Before == nil || c1.Before.Status != screening.StatusStolen || c1.After.Status != screening.StatusRevoked ||
		c2.Op != screening.OpDelete || c2.Before == nil || c2.After != nil || c2.Reason != "found" {
		t.Fatalf("audit records %+v", cr.Changes)
	}
	a = h.do("GET", "/v1/audit/documents?limit=2", httpapi.RoleAuditor, "")
	a.json(t, &cr)
	if len(cr.Changes) != 2 || cr.Next != cr.Changes[1].Seq {
		t.Fatalf("a page of 2: %d changes, next %d", len(cr.Changes), cr.Next)
	}
	a = h.do("GET", "/v1/audit/documents?after_seq="+strconv.FormatUint(cr.Next, 10), httpapi.RoleAuditor, "")
	a.json(t, &cr)
	if len(cr.Changes) != 1 || cr.Changes[0].Op != screening.OpDelete {
		t.Fatalf("the next page: %+v", cr.Changes)
	}
}

func TestDocumentRoles(t *testing.T) {
	h := newDocHarness(t)
	tests := []struct {
		method, path, body string
		allowed            httpapi.Role
		status             int
	}{
		{"GET", "/v1/documents", "", httpapi.RoleOperator, 200},
		{"PUT", "/v1/documents/GBR/P/1", docStolenGBR, httpapi.RoleOperator, 201},
		{"GET", "/v1/documents/GBR/P/1", "", httpapi.RoleOperator, 200},
		{"POST", "/v1/documents/import?format=documents-csv", "country,type,number,status\nGBR,P,1,lost\n", httpapi.RoleOperator, 200},
		{"DELETE", "/v1/documents/GBR/P/1", "", httpapi.RoleOperator, 200},
		{"GET", "/v1/audit/documents", "", httpapi.RoleAuditor, 200},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			if r := h.do(tt.method, tt.path, "", tt.body); r.status != 401 {
				t.Errorf("no key: %d, want 401", r.status)
			}
			for _, role := range httpapi.Roles {
				if role == tt.allowed || role == httpapi.RoleAdmin {
					continue
				}
				if r := h.do(tt.method, tt.path, role, tt.body); r.status != 403 {
					t.Errorf("role %s: %d, want 403", role, r.status)
				}
			}
			if r := h.do(tt.method, tt.path, tt.allowed, tt.body); r.status != tt.status {
				t.Errorf("role %s: %d, want %d (%s)", tt.allowed, r.status, tt.status, r.body)
			}
		})
	}
}

func TestDocumentImportOverHTTP(t *testing.T) {
	h := newDocHarness(t)
	op := httpapi.RoleOperator
	csv := "country,type,number,status,reported,source\n" +
		"GBR,P,111111111,stolen,2024-01-01,UKPA\n" +
		"DEU,I,L01X00T47,lost,,BKA\n"
	r := h.do("POST", "/v1/documents/import?format=documents-csv", op, csv, "X-Reason", "monthly SLTD extract")
	var res struct {
		Version uint64                  `json:"version"`
		List    string                  `json:"list"`
		Summary screening.ImportSummary `json:"summary"`
		Rate    float64                 `json:"documents_per_second"`
	}
	r.json(t, &res)
	if r.status != 200 || res.Summary.Added != 2 || res.List != store.DocumentList || len(res.Summary.SHA256) != 64 {
		t.Fatalf("import: %d %s", r.status, r.body)
	}
	if s := h.screen(docTraveller("DEU", "ID", "L01X00T47")); s.Decision != "DENY" {
		t.Fatalf("an imported document: %s", s.Decision)
	}
	var info screening.ListInfo
	i := h.do("GET", "/v1/documents", op, "")
	i.json(t, &info)
	if info.Entries != 2 || info.Version != res.Version || info.Format != "documents-csv" {
		t.Fatalf("info %+v", info)
	}

	bad := csv + "FRA,P,12AB34567,mislaid,,\nXYZ,P,1,lost,,\n"
	r = h.do("POST", "/v1/documents/import?format=documents-csv", op, bad)
	var p httpapi.Problem
	r.json(t, &p)
	if r.status != 422 || len(p.Errors) != 2 || !strings.Contains(p.Errors[0], "record 4") || !strings.Contains(p.Errors[1], "record 5") {
		t.Fatalf("import with bad lines: %d %+v", r.status, p)
	}
	r = h.do("POST", "/v1/documents/import?format=documents-csv&skip_invalid=true", op, bad)
	var skipped struct {
		Skipped []string `json:"skipped"`
	}
	r.json(t, &skipped)
	if r.status != 200 || len(skipped.Skipped) != 2 {
		t.Fatalf("import skipping bad lines: %d %s", r.status, r.body)
	}
	jsonl := `{"country":"ESP","type":"P","number":"AAA000001","status":"stolen"}` + "\n"
	if r := h.do("POST", "/v1/documents/import?format=documents-jsonl", op, jsonl); r.status != 200 {
		t.Fatalf("jsonl import: %d %s", r.status, r.body)
	}
	if s := h.screen(docTraveller("GBR", "P", "111111111")); s.Decision != "CLEAR" {
		t.Fatalf("a document of the replaced list: %s", s.Decision)
	}
	for _, tt := range []struct {
		query, body string
		status      int
	}{
		{"format=documents-xml", csv, 400},
		{"format=documents-csv", "", 400},
		{"format=documents-csv", "colour\nred\n", 400},
	} {
		if r := h.do("POST", "/v1/documents/import?"+tt.query, op, tt.body); r.status != tt.status {
			t.Errorf("import ?%s %q: %d, want %d (%s)", tt.query, tt.body, r.status, tt.status, r.body)
		}
	}
}
