package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"

	"github.com/valyala/fasthttp"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/listfmt/docfmt"
)

// DocumentList is what the document endpoints need of the lost, stolen and
// invalid documents list; store.Documents implements it.
type DocumentList interface {
	Info(ctx context.Context) (screening.ListInfo, error)
	Get(ctx context.Context, country, typ, number string) (*screening.DocumentEntry, uint64, error)
	Put(ctx context.Context, d *screening.DocumentEntry, w screening.WriteOptions) (*screening.Change, *screening.DocumentEntry, error)
	Delete(ctx context.Context, country, typ, number string, w screening.WriteOptions) (*screening.Change, *screening.DocumentEntry, error)
	Import(ctx context.Context, r interface {
		Read() (*screening.DocumentEntry, error)
	}, o screening.ImportOptions) (*screening.ImportResult, error)
	Changes(ctx context.Context, f screening.ChangeFilter, fn func(c *screening.Change, before, after *screening.DocumentEntry) error) error
}

// EnableDocuments adds the document list's endpoints; call it before
// Serve.
//
//	GET    /v1/documents                          operator  the list: size, version, source
//	POST   /v1/documents/import?format=           operator  replace the list (documents-csv, documents-jsonl)
//	GET    /v1/documents/{state}/{type}/{number}  operator  one document, with its version as ETag
//	PUT    /v1/documents/{state}/{type}/{number}  operator  list it, or change it (If-Match: version)
//	DELETE /v1/documents/{state}/{type}/{number}  operator  remove it
//	GET    /v1/audit/documents                    auditor   the list's audit trail, documents before and after
func (s *Server) EnableDocuments(docs DocumentList) {
	d := &documentHandlers{s: s, docs: docs}
	r := func(method, pattern string, role Role, h handlerFunc) route {
		return route{method: method, pattern: strings.Split(strings.Trim(pattern, "/"), "/"), name: method + " " + pattern,
			roles: []Role{role}, h: h}
	}
	s.routes = append(s.routes,
		r("GET", "/v1/documents", RoleOperator, d.info),
		r("POST", "/v1/documents/import", RoleOperator, d.importList),
		r("GET", "/v1/documents/{}/{}/{}", RoleOperator, d.get),
		r("PUT", "/v1/documents/{}/{}/{}", RoleOperator, d.put),
		r("DELETE", "/v1/documents/{}/{}/{}", RoleOperator, d.delete),
		r("GET", "/v1/audit/documents", RoleAuditor, d.changes),
	)
}

type documentHandlers struct {
	s    *Server
	docs DocumentList
}

func (d *documentHandlers) info(ctx *fasthttp.RequestCtx, c *caller, _ []string) error {
	info, err := d.docs.Info(c.ctx)
	if err != nil {
		return err
	}
	return writeJSON(ctx, fasthttp.StatusOK, info)
}

func (d *documentHandlers) get(ctx *fasthttp.RequestCtx, c *caller, p []string) error {
	doc, version, err := d.docs.Get(c.ctx, p[0], p[1], p[2])
	if err != nil {
		return err
	}
	ctx.Response.Header.Set("ETag", `"`+strconv.FormatUint(version, 10)+`"`)
	return writeJSON(ctx, fasthttp.StatusOK, doc)
}

// documentResponse is the answer to a write of one document.
type documentResponse struct {
	Version  uint64                   `json:"version"`
	Op       screening.Op             `json:"op"`
	ID       string                   `json:"id"`
	Document *screening.DocumentEntry `json:"document"`
}

// samePart reports whether a field of the body names the same state, type
// or number as the path: empty, or equal once spaces, case and fillers are
// ignored.
func samePart(body, path string, number bool) bool {
	if strings.TrimSpace(body) == "" {
		return true
	}
	if number {
		return screening.NormalizeDocNumber(body) == screening.NormalizeDocNumber(path)
	}
	return strings.EqualFold(strings.TrimSpace(body), strings.TrimSpace(path))
}

func (d *documentHandlers) put(ctx *fasthttp.RequestCtx, c *caller, p []string) error {
	var doc screening.DocumentEntry
	if err := decodeJSON(ctx, 64<<10, &doc); err != nil {
		return err
	}
	for _, f := range []struct {
		name, body, path string
		number           bool
	}{{"country", doc.Country, p[0], false}, {"type", doc.Type, p[1], false}, {"number", doc.Number, p[2], true}} {
		if !samePart(f.body, f.path, f.number) {
			return badRequest(f.name, "the body has %s %q, the path %q", f.name, f.body, f.path)
		}
	}
	doc.Country, doc.Type, doc.Number = p[0], p[1], p[2]
	w, err := writeOptions(ctx, c)
	if err != nil {
		return err
	}
	ch, after, err := d.docs.Put(c.ctx, &doc, w)
	if err != nil {
		return err
	}
	d.s.metrics.watchlistChange(ch)
	status := fasthttp.StatusOK
	if ch.Op == screening.OpCreate {
		status = fasthttp.StatusCreated
		ctx.Response.Header.Set("Location", "/v1/documents/"+after.Country+"/"+after.Type+"/"+after.Number)
	}
	ctx.Response.Header.Set("ETag", `"`+strconv.FormatUint(ch.Version, 10)+`"`)
	return writeJSON(ctx, status, documentResponse{Version: ch.Version, Op: ch.Op, ID: ch.ID, Document: after})
}

func (d *documentHandlers) delete(ctx *fasthttp.RequestCtx, c *caller, p []string) error {
	w, err := writeOptions(ctx, c)
	if err != nil {
		return err
	}
	ch, before, err := d.docs.Delete(c.ctx, p[0], p[1], p[2], w)
	if err != nil {
		return err
	}
	d.s.metrics.watchlistChange(ch)
	return writeJSON(ctx, fasthttp.StatusOK, documentResponse{Version: ch.Version, Op: ch.Op, ID: ch.ID, Document: before})
}

// documentImportResponse is the answer to an import of the document list.
type documentImportResponse struct {
	Version   uint64                   `json:"version"`
	List      string                   `json:"list"`
	Summary   *screening.ImportSummary `json:"summary"`
	Skipped   []string                 `json:"skipped,omitempty"`
	Seconds   float64                  `json:"seconds"`
	PerSecond float64                  `json:"documents_per_second"`
}

// maxSkippedShown is how many skipped records an import's answer lists.
const maxSkippedShown = 1000

// importList answers POST /v1/documents/import?format=&skip_invalid=&allow_empty=:
// the body (at most Options.MaxImportBody; larger lists go through the
// command line) replaces the whole list.
func (d *documentHandlers) importList(ctx *fasthttp.RequestCtx, c *caller, _ []string) error {
	args := ctx.QueryArgs()
	format := string(args.Peek("format"))
	if format == "" {
		format = docfmt.CSV
	}
	if !docfmt.IsFormat(format) {
		return badRequest("format", "unknown document list format %q: want %s", format, strings.Join(docfmt.Formats(), " or "))
	}
	w, err := writeOptions(ctx, c)
	if err != nil {
		return err
	}
	// Read first, as the watchlist import does: a long import must not
	// hold the connection's read deadline.
	body, err := readBody(ctx, d.s.opts.MaxImportBody)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(body)
	r, err := docfmt.NewReader(format, bytes.NewReader(body))
	if err != nil {
		return badRequest("format", "%v", err)
	}
	res, err := d.docs.Import(c.ctx, r, screening.ImportOptions{
		Actor: w.Actor, Reason: w.Reason, Format: format, Source: "http",
		SkipInvalid: args.GetBool("skip_invalid"), AllowEmpty: args.GetBool("allow_empty"),
		Digest: func() string { return hex.EncodeToString(sum[:]) },
	})
	if err != nil {
		if errors.Is(err, docfmt.ErrHeader) {
			return badRequest("", "%v", err)
		}
		return err
	}
	d.s.metrics.watchlistChange(res.Change)
	sm := res.Change.Import
	resp := documentImportResponse{Version: res.Change.Version, List: res.Change.List, Summary: sm, Seconds: res.Duration.Seconds()}
	if secs := res.Duration.Seconds(); secs > 0 {
		resp.PerSecond = float64(sm.Added) / secs
	}
	for i, r := range res.Skipped {
		if i == maxSkippedShown {
			break
		}
		resp.Skipped = append(resp.Skipped, r.Error())
	}
	return writeJSON(ctx, fasthttp.StatusOK, resp)
}

// documentChange is one record of the document list's audit trail.
type documentChange struct {
	*screening.Change
	DocumentBefore *screening.DocumentEntry `json:"document_before,omitempty"`
	DocumentAfter  *screening.DocumentEntry `json:"document_after,omitempty"`
}

type documentChangesResponse struct {
	Changes []documentChange `json:"changes"`
	// NextAfterSeq is the after_seq of the next page, when this one was full.
	NextAfterSeq uint64 `json:"next_after_seq,omitempty"`
}

// changes answers GET /v1/audit/documents?after_seq=&from=&to=&id=&limit=.
func (d *documentHandlers) changes(ctx *fasthttp.RequestCtx, c *caller, _ []string) error {
	args := ctx.QueryArgs()
	var f screening.ChangeFilter
	var err error
	if v := args.Peek("after_seq"); len(v) > 0 {
		if f.AfterSeq, err = strconv.ParseUint(string(v), 10, 64); err != nil {
			return badRequest("after_seq", "want a non-negative integer")
		}
	}
	if f.From, err = timeArg(args, "from"); err != nil {
		return err
	}
	if f.To, err = timeArg(args, "to"); err != nil {
		return err
	}
	f.ID = string(args.Peek("id"))
	limit, err := limitArg(args)
	if err != nil {
		return err
	}
	resp := documentChangesResponse{Changes: []documentChange{}}
	err = d.docs.Changes(c.ctx, f, func(ch *screening.Change, before, after *screening.DocumentEntry) error {
		if len(resp.Changes) == limit {
			resp.NextAfterSeq = resp.Changes[limit-1].Seq
			return errPageFull
		}
		resp.Changes = append(resp.Changes, documentChange{Change: ch, DocumentBefore: before, DocumentAfter: after})
		return nil
	})
	if err != nil && !errors.Is(err, errPageFull) {
		return err
	}
	return writeJSON(ctx, fasthttp.StatusOK, resp)
}
