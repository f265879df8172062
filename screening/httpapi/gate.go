package httpapi

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/gate"
)

// GateOptions enables the gate endpoints:
//
//	POST /v1/gate-events                 gate               an e-gate or kiosk event: ACCEPT or REFER with reasons
//	GET  /v1/gate-events?…               operator, auditor  events by document, gate or time range
//	GET  /v1/gate-events/{id}            operator, auditor  one event
//
// The query parameters of GET /v1/gate-events are document (a document
// number, with country, its issuing state, and type, default P), gate, from
// and to (RFC 3339, event time), after (an event id, to page) and limit (1
// to 1000, default 100). Events come oldest first, with "next" set when
// there are more.
type GateOptions struct {
	// Service decides events; it must have been opened.
	Service *gate.Service
	// Events answers the queries: the log the service records to.
	Events gate.Log
	// MaxBody bounds an event's body. Default 64 KiB.
	MaxBody int64
}

// gateRoutes returns the gate endpoints, or none when g is nil.
func (s *Server) gateRoutes(g *GateOptions) ([]route, error) {
	if g == nil {
		return nil, nil
	}
	if g.Service == nil || g.Events == nil {
		return nil, errors.New("httpapi: GateOptions needs Service and Events")
	}
	o := *g
	if o.MaxBody <= 0 {
		o.MaxBody = 64 << 10
	}
	h := &gateHandlers{s: s, o: o}
	mk := newRoute
	readers := []Role{RoleOperator, RoleAuditor}
	return []route{
		mk("POST", "/v1/gate-events", []Role{RoleGate}, h.post),
		mk("GET", "/v1/gate-events", readers, h.list),
		mk("GET", "/v1/gate-events/{}", readers, h.get),
	}, nil
}

type gateHandlers struct {
	s *Server
	o GateOptions
}

// gateEventResponse is the answer of POST /v1/gate-events. It says what
// the gate needs and nothing of the lists: no entry, list, score or name
// of a hit (a gate's key must not serve to probe the watchlists); the
// event's record, which operators and auditors read, names the hits.
type gateEventResponse struct {
	Decision         gate.Outcome  `json:"decision"`
	EventID          string        `json:"event_id"`
	Reasons          []gate.Reason `json:"reasons"`
	Checks           gate.Checks   `json:"checks"`
	Gate             string        `json:"gate"`
	Profile          string        `json:"profile"`
	WatchlistVersion uint64        `json:"watchlist_version"`
	DocumentVersion  uint64        `json:"document_version,omitempty"`
	AlgorithmVersion string        `json:"algorithm_version,omitempty"`
	ElapsedMicros    int64         `json:"elapsed_us"`
}

func (h *gateHandlers) post(ctx *fasthttp.RequestCtx, c *caller, _ []string) error {
	start := time.Now()
	body, err := readBody(ctx, h.o.MaxBody)
	if err != nil {
		return err
	}
	ev, err := gate.DecodeEvent(body)
	if err != nil {
		return err
	}
	if !c.key.AllowsPort(ev.Port) {
		return &httpError{status: fasthttp.StatusForbidden, typ: "forbidden", title: "Forbidden",
			detail: fmt.Sprintf("this key may post events of the gates of %s only", strings.Join(c.key.Ports, ", "))}
	}
	res, err := h.o.Service.Decide(c.ctx, ev, c.key.ID)
	switch {
	case errors.Is(err, gate.ErrNotReady):
		return &httpError{status: fasthttp.StatusServiceUnavailable, typ: "unavailable", title: "Service unavailable",
			detail: "the gate service is starting: its recent-use memory is being rebuilt", cause: err}
	case err != nil:
		return err
	}
	h.s.metrics.decisions.WithLabelValues("gate", string(res.Decision)).Inc()
	h.s.metrics.gateScreen.Observe(res.Screening.Seconds())
	h.s.metrics.gateRecord.Observe(res.Recording.Seconds())
	reasons := res.Reasons
	if reasons == nil {
		reasons = []gate.Reason{}
	}
	resp := gateEventResponse{
		Decision: res.Decision, EventID: res.EventID, Reasons: reasons, Checks: res.Checks,
		Gate: res.Gate, Profile: res.Profile, WatchlistVersion: res.WatchlistVersion, DocumentVersion: res.DocumentVersion,
		AlgorithmVersion: res.AlgorithmVersion, ElapsedMicros: time.Since(start).Microseconds(),
	}
	return writeAnswer(ctx, fasthttp.StatusOK, &resp)
}

func (h *gateHandlers) get(ctx *fasthttp.RequestCtx, c *caller, p []string) error {
	if screening.ValidateDecisionID(p[0]) != nil {
		return notFound("gate event %q: no such event", p[0])
	}
	rec, err := h.o.Events.Event(c.ctx, p[0])
	if err != nil {
		return err
	}
	return writeJSON(ctx, fasthttp.StatusOK, rec)
}

type gateEventsResponse struct {
	Events []*gate.Record `json:"events"`
	// Next is the "after" of the next page, when this one was full.
	Next string `json:"next,omitempty"`
}

// list answers GET /v1/gate-events.
func (h *gateHandlers) list(ctx *fasthttp.RequestCtx, c *caller, _ []string) error {
	args := ctx.QueryArgs()
	var q gate.Query
	var err error
	if q.From, err = timeArg(args, "from"); err != nil {
		return err
	}
	if q.To, err = timeArg(args, "to"); err != nil {
		return err
	}
	if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
		return badRequest("to", "before from")
	}
	if q.Limit, err = limitArg(args); err != nil {
		return err
	}
	if v := string(args.Peek("after")); v != "" {
		if screening.ValidateDecisionID(v) != nil {
			return badRequest("after", "want an event id (24 hex digits)")
		}
		q.After = v
	}
	if v := string(args.Peek("gate")); v != "" {
		if len(v) > gate.MaxIDLen || strings.ContainsAny(v, "/ \t") {
			return badRequest("gate", "want a gate id")
		}
		q.Gate = v
	}
	if number := string(args.Peek("document")); number != "" {
		doc := screening.Document{Number: number, Country: string(args.Peek("country")), Type: string(args.Peek("type"))}
		if doc.Type == "" {
			doc.Type = "P"
		}
		if doc.Country == "" {
			return badRequest("country", "the issuing state is required with document")
		}
		doc.Normalize()
		if err := doc.Validate(); err != nil {
			var ve *screening.ValidationError
			if errors.As(err, &ve) {
				field := ve.Field
				if field == "number" {
					field = "document"
				}
				return badRequest(field, "%s", ve.Err)
			}
			return badRequest("document", "%v", err)
		}
		q.Digest = h.o.Service.DocumentDigest(doc)
	} else if args.Has("country") || args.Has("type") {
		return badRequest("document", "country and type need a document number")
	}
	limit := q.Limit
	q.Limit = limit + 1
	resp := gateEventsResponse{Events: []*gate.Record{}}
	if err := h.o.Events.Events(c.ctx, q, func(r *gate.Record) error {
		resp.Events = append(resp.Events, r)
		return nil
	}); err != nil {
		return fmt.Errorf("query gate events: %w", err)
	}
	if len(resp.Events) > limit {
		resp.Events = resp.Events[:limit]
		resp.Next = resp.Events[limit-1].ID
	}
	return writeJSON(ctx, fasthttp.StatusOK, resp)
}
