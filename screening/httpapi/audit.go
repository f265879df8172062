package httpapi

import (
	"errors"
	"strconv"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/bordersec/portcullis/screening"
)

// maxAuditPage is the most records one audit query returns.
const maxAuditPage = 1000

func (s *Server) getDecision(ctx *fasthttp.RequestCtx, c *caller, p []string) error {
	if screening.ValidateDecisionID(p[0]) != nil {
		return notFound("decision %q: no such decision", p[0])
	}
	rec, err := s.dlog.Decision(c.ctx, p[0])
	if err != nil {
		return err
	}
	return writeJSON(ctx, fasthttp.StatusOK, rec)
}

// timeArg reads an RFC 3339 time query parameter; absent is the zero time.
func timeArg(args *fasthttp.Args, name string) (time.Time, error) {
	v := args.Peek(name)
	if len(v) == 0 {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, string(v))
	if err != nil {
		return time.Time{}, badRequest(name, "want an RFC 3339 time such as 2026-11-21T10:00:00Z")
	}
	// Records are keyed by their time in nanoseconds since 1970, which
	// holds until 2262: a time outside would wrap and match nothing.
	if t.Year() < 1970 || t.Year() > 2261 {
		return time.Time{}, badRequest(name, "want a time from 1970 to 2261")
	}
	return t, nil
}

func limitArg(args *fasthttp.Args) (int, error) {
	v := args.Peek("limit")
	if len(v) == 0 {
		return 100, nil
	}
	n, err := strconv.Atoi(string(v))
	if err != nil || n < 1 || n > maxAuditPage {
		return 0, badRequest("limit", "want 1 to %d", maxAuditPage)
	}
	return n, nil
}

type decisionsResponse struct {
	Decisions []*screening.DecisionRecord `json:"decisions"`
	// Next is the "from" of the next page, when this one was full.
	Next string `json:"next,omitempty"`
}

// listDecisions answers GET /v1/decisions?from=&to=&limit=: the decision
// records in a time range, oldest first.
func (s *Server) listDecisions(ctx *fasthttp.RequestCtx, c *caller, _ []string) error {
	args := ctx.QueryArgs()
	from, err := timeArg(args, "from")
	if err != nil {
		return err
	}
	to, err := timeArg(args, "to")
	if err != nil {
		return err
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		return badRequest("to", "before from")
	}
	limit, err := limitArg(args)
	if err != nil {
		return err
	}
	resp := decisionsResponse{Decisions: []*screening.DecisionRecord{}}
	if err := s.dlog.Decisions(c.ctx, from, to, limit+1, func(r *screening.DecisionRecord) error {
		resp.Decisions = append(resp.Decisions, r)
		return nil
	}); err != nil {
		return err
	}
	if len(resp.Decisions) > limit {
		resp.Next = resp.Decisions[limit].Time.Format(time.RFC3339Nano)
		resp.Decisions = resp.Decisions[:limit]
	}
	return writeJSON(ctx, fasthttp.StatusOK, resp)
}

type changesResponse struct {
	Changes []*screening.Change `json:"changes"`
	// NextAfterSeq is the after_seq of the next page, when this one was full.
	NextAfterSeq uint64 `json:"next_after_seq,omitempty"`
}

var errPageFull = errors.New("page full")

// listChanges answers GET /v1/audit/changes?after_seq=&from=&to=&list=&id=&limit=:
// the watchlist audit trail.
func (s *Server) listChanges(ctx *fasthttp.RequestCtx, c *caller, _ []string) error {
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
	f.List, f.ID = string(args.Peek("list")), string(args.Peek("id"))
	limit, err := limitArg(args)
	if err != nil {
		return err
	}
	resp := changesResponse{Changes: []*screening.Change{}}
	// An import's per-entry records share its sequence number, so a page
	// ends only where the sequence number changes.
	err = s.lists.Changes(c.ctx, f, func(c *screening.Change) error {
		if len(resp.Changes) >= limit && c.Seq != resp.Changes[len(resp.Changes)-1].Seq {
			resp.NextAfterSeq = resp.Changes[len(resp.Changes)-1].Seq
			return errPageFull
		}
		resp.Changes = append(resp.Changes, c)
		return nil
	})
	if err != nil && !errors.Is(err, errPageFull) {
		return err
	}
	return writeJSON(ctx, fasthttp.StatusOK, resp)
}

func (s *Server) healthz(ctx *fasthttp.RequestCtx, c *caller, _ []string) error {
	return writeJSON(ctx, fasthttp.StatusOK, map[string]string{"status": "ok"})
}

// readyz is 200 once the watchlists are loaded, 503 before.
func (s *Server) readyz(ctx *fasthttp.RequestCtx, c *caller, _ []string) error {
	if !s.engine.Ready() {
		return writeJSON(ctx, fasthttp.StatusServiceUnavailable, map[string]any{"status": "loading"})
	}
	if g := s.opts.Gate; g != nil && !g.Service.Ready() {
		// Gate events are refused until the recent-use memory is rebuilt.
		return writeJSON(ctx, fasthttp.StatusServiceUnavailable, map[string]any{"status": "loading gate memory"})
	}
	// warm is false while the matcher fills its cache of word matches, a
	// few seconds after a start: screening works, the first ones slower.
	warm := false
	select {
	case <-s.engine.Warmed():
		warm = true
	default:
	}
	return writeJSON(ctx, fasthttp.StatusOK, map[string]any{"status": "ready", "watchlist_version": s.engine.Version(), "entries": s.engine.Len(), "warm": warm})
}
