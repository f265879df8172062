package httpapi

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"

	"github.com/valyala/fasthttp"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/listfmt/jsonl"
)

// writeOptions reads who and why from a request: the caller's key, and the
// reason from the X-Reason header or the reason query parameter.
func writeOptions(ctx *fasthttp.RequestCtx, c *caller) (screening.WriteOptions, error) {
	reason := string(ctx.Request.Header.Peek("X-Reason"))
	if reason == "" {
		reason = string(ctx.QueryArgs().Peek("reason"))
	}
	if len(reason) > 1024 {
		return screening.WriteOptions{}, badRequest("reason", "longer than 1024 bytes")
	}
	w := screening.WriteOptions{Actor: "key:" + c.key.ID, Reason: reason}
	if m := ctx.Request.Header.Peek("If-Match"); len(m) > 0 {
		v, err := strconv.ParseUint(string(trimQuotes(m)), 10, 64)
		if err != nil || v == 0 {
			return w, badRequest("If-Match", "want the entry's version, a positive integer")
		}
		w.IfVersion = v
	}
	return w, nil
}

func trimQuotes(b []byte) []byte {
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' {
		return b[1 : len(b)-1]
	}
	return b
}

func checkList(list string) error {
	if err := screening.ValidateListName(list); err != nil {
		return badRequest("list", "%v", err)
	}
	return nil
}

type listsResponse struct {
	Version uint64               `json:"version"`
	Lists   []screening.ListInfo `json:"lists"`
}

func (s *Server) getLists(ctx *fasthttp.RequestCtx, c *caller, _ []string) error {
	lists, err := s.lists.Lists(c.ctx)
	if err != nil {
		return err
	}
	if lists == nil {
		lists = []screening.ListInfo{}
	}
	return writeJSON(ctx, fasthttp.StatusOK, listsResponse{Version: s.engine.Version(), Lists: lists})
}

func (s *Server) getList(ctx *fasthttp.RequestCtx, c *caller, p []string) error {
	if err := checkList(p[0]); err != nil {
		return err
	}
	info, err := s.lists.List(c.ctx, p[0])
	if err != nil {
		return err
	}
	return writeJSON(ctx, fasthttp.StatusOK, info)
}

// changeResponse is the answer to a watchlist write.
type changeResponse struct {
	Version uint64           `json:"version"`
	Op      screening.Op     `json:"op"`
	List    string           `json:"list"`
	ID      string           `json:"id,omitempty"`
	Entry   *screening.Entry `json:"entry,omitempty"`
	// Pending says that the change is recorded but screening does not
	// use it yet: the engine could not apply it at once, and its
	// background follower will within seconds.
	Pending bool `json:"pending,omitempty"`
}

// applied makes a committed change visible to screening before the
// operator hears that it is done.
func (s *Server) applied(ctx context.Context, ch *screening.Change) (changeResponse, error) {
	pending := false
	if err := s.engine.Sync(ctx); err != nil {
		// The change is durable; the background follower will apply it.
		s.log.Error("apply a watchlist change", "version", ch.Version, "err", err)
		pending = true
	}
	s.metrics.watchlistChange(ch)
	return changeResponse{Version: ch.Version, Op: ch.Op, List: ch.List, ID: ch.ID, Entry: ch.After, Pending: pending}, nil
}

func (s *Server) deleteList(ctx *fasthttp.RequestCtx, c *caller, p []string) error {
	if err := checkList(p[0]); err != nil {
		return err
	}
	w, err := writeOptions(ctx, c)
	if err != nil {
		return err
	}
	ch, err := s.lists.DeleteList(c.ctx, p[0], w)
	if err != nil {
		return err
	}
	resp, _ := s.applied(c.ctx, ch)
	return writeJSON(ctx, fasthttp.StatusOK, resp)
}

// exportList streams a list as JSON Lines.
func (s *Server) exportList(ctx *fasthttp.RequestCtx, c *caller, p []string) error {
	if err := checkList(p[0]); err != nil {
		return err
	}
	if _, err := s.lists.List(c.ctx, p[0]); err != nil {
		return err
	}
	// Collect first so that a read error is a problem, not a truncated
	// stream with a 200.
	var entries []*screening.Entry
	if err := s.lists.Entries(c.ctx, p[0], func(e *screening.Entry) error {
		entries = append(entries, e)
		return nil
	}); err != nil {
		return err
	}
	ctx.SetStatusCode(fasthttp.StatusOK)
	ctx.SetContentType("application/x-ndjson")
	ctx.SetBodyStreamWriter(func(w *bufio.Writer) {
		jw := jsonl.NewWriter(w)
		for _, e := range entries {
			if jw.Write(e) != nil {
				return
			}
		}
		jw.Flush()
	})
	return nil
}

// readEntry decodes an entry from the body and puts it in list; id, when
// set, is the id from the path, which the body must agree with.
func (s *Server) readEntry(ctx *fasthttp.RequestCtx, list, id string) (*screening.Entry, error) {
	var e screening.Entry
	if err := decodeJSON(ctx, 1<<20, &e); err != nil {
		return nil, err
	}
	if e.List != "" && e.List != list {
		return nil, badRequest("list", "the body names list %q, the path %q", e.List, list)
	}
	if id != "" {
		if e.ID != "" && e.ID != id {
			return nil, badRequest("id", "the body has id %q, the path %q", e.ID, id)
		}
		e.ID = id
	}
	e.List, e.Version = list, 0
	return &e, nil
}

func (s *Server) createEntry(ctx *fasthttp.RequestCtx, c *caller, p []string) error {
	if err := checkList(p[0]); err != nil {
		return err
	}
	e, err := s.readEntry(ctx, p[0], "")
	if err != nil {
		return err
	}
	w, err := writeOptions(ctx, c)
	if err != nil {
		return err
	}
	w.Mode = screening.CreateOnly
	ch, err := s.lists.Put(c.ctx, e, w)
	if err != nil {
		return err
	}
	resp, _ := s.applied(c.ctx, ch)
	ctx.Response.Header.Set("Location", "/v1/lists/"+ch.List+"/entries/"+ch.ID)
	return writeJSON(ctx, fasthttp.StatusCreated, resp)
}

func (s *Server) getEntry(ctx *fasthttp.RequestCtx, c *caller, p []string) error {
	if err := checkList(p[0]); err != nil {
		return err
	}
	e, err := s.lists.Get(c.ctx, p[0], p[1])
	if err != nil {
		return err
	}
	ctx.Response.Header.Set("ETag", `"`+strconv.FormatUint(e.Version, 10)+`"`)
	return writeJSON(ctx, fasthttp.StatusOK, e)
}

func (s *Server) putEntry(ctx *fasthttp.RequestCtx, c *caller, p []string) error {
	if err := checkList(p[0]); err != nil {
		return err
	}
	e, err := s.readEntry(ctx, p[0], p[1])
	if err != nil {
		return err
	}
	w, err := writeOptions(ctx, c)
	if err != nil {
		return err
	}
	ch, err := s.lists.Put(c.ctx, e, w)
	if err != nil {
		return err
	}
	resp, _ := s.applied(c.ctx, ch)
	status := fasthttp.StatusOK
	if ch.Op == screening.OpCreate {
		status = fasthttp.StatusCreated
	}
	return writeJSON(ctx, status, resp)
}

func (s *Server) deleteEntry(ctx *fasthttp.RequestCtx, c *caller, p []string) error {
	if err := checkList(p[0]); err != nil {
		return err
	}
	w, err := writeOptions(ctx, c)
	if err != nil {
		return err
	}
	ch, err := s.lists.Delete(c.ctx, p[0], p[1], w)
	if err != nil {
		return err
	}
	resp, _ := s.applied(c.ctx, ch)
	return writeJSON(ctx, fasthttp.StatusOK, resp)
}

// importResponse is the answer to an import.
type importResponse struct {
	Version   uint64                   `json:"version"`
	List      string                   `json:"list"`
	Summary   *screening.ImportSummary `json:"summary"`
	Skipped   []string                 `json:"skipped,omitempty"`
	Seconds   float64                  `json:"seconds"`
	PerSecond float64                  `json:"entries_per_second"`
}

func (s *Server) importList(ctx *fasthttp.RequestCtx, c *caller, p []string) error {
	list := p[0]
	if err := checkList(list); err != nil {
		return err
	}
	args := ctx.QueryArgs()
	format := string(args.Peek("format"))
	if format == "" {
		format = "jsonl"
	}
	skip := args.GetBool("skip_invalid")
	allowEmpty := args.GetBool("allow_empty")
	w, err := writeOptions(ctx, c)
	if err != nil {
		return err
	}
	body, err := readBody(ctx, s.opts.MaxImportBody)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(body)
	r, err := s.openReader(format, body)
	if err != nil {
		return err
	}
	res, err := s.lists.Import(c.ctx, list, r, screening.ImportOptions{
		Actor: w.Actor, Reason: w.Reason, Format: format, Source: "http",
		SkipInvalid: skip, AllowEmpty: allowEmpty,
		Digest: func() string { return hex.EncodeToString(sum[:]) },
	})
	if err != nil {
		return err
	}
	if _, err := s.applied(c.ctx, res.Change); err != nil {
		return err
	}
	sm := res.Change.Import
	resp := importResponse{Version: res.Change.Version, List: list, Summary: sm, Seconds: res.Duration.Seconds()}
	if secs := res.Duration.Seconds(); secs > 0 {
		resp.PerSecond = float64(sm.Added+sm.Changed+sm.Unchanged) / secs
	}
	for _, r := range res.Skipped {
		resp.Skipped = append(resp.Skipped, r.Error())
	}
	return writeJSON(ctx, fasthttp.StatusOK, resp)
}

func (s *Server) openReader(format string, body []byte) (screening.EntryReader, error) {
	if s.opts.OpenReader != nil {
		r, err := s.opts.OpenReader(format, body)
		if err != nil {
			return nil, badRequest("format", "%v", err)
		}
		return r, nil
	}
	if format != "jsonl" {
		return nil, badRequest("format", "unknown format %q", format)
	}
	return jsonl.NewReader(bytes.NewReader(body)), nil
}
