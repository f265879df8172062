package httpapi

import (
	"fmt"
	"strings"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/bordersec/portcullis/screening"
)

// screenRequest is the body of POST /v1/screen: one traveller.
type screenRequest struct {
	screening.Traveller
	// Reference is the caller's own reference for the request (a gate
	// transaction id), recorded with the decision.
	Reference string `json:"reference,omitempty"`
	// MRZ is the machine readable zone as the gate read it, in place of
	// the traveller's fields.
	MRZ []string `json:"mrz,omitempty"`
}

// screenResponse is the answer of POST /v1/screen.
type screenResponse struct {
	Decision         screening.Outcome `json:"decision"`
	Hits             []screening.Hit   `json:"hits"`
	Reasons          []string          `json:"reasons,omitempty"`
	DecisionID       string            `json:"decision_id"`
	WatchlistVersion uint64            `json:"watchlist_version"`
	DocumentVersion  uint64            `json:"document_version,omitempty"`
	AlgorithmVersion string            `json:"algorithm_version"`
	ElapsedMicros    int64             `json:"elapsed_us"`
	MRZ              *mrzResult        `json:"mrz,omitempty"`
}

func (s *Server) screen(ctx *fasthttp.RequestCtx, c *caller, _ []string) error {
	start := time.Now()
	body, err := readBody(ctx, s.opts.MaxScreenBody)
	if err != nil {
		return err
	}
	var req screenRequest
	if err := decodeScreenRequest(body, &req); err != nil {
		return err
	}
	if len(req.Reference) > 128 {
		return badRequest("reference", "longer than 128 bytes")
	}
	t := req.Traveller
	var mrzRes *mrzResult
	var reasons []string
	if req.MRZ != nil {
		if t != (screening.Traveller{}) {
			return badRequest("mrz", "give either mrz or the traveller's fields, not both")
		}
		var err error
		if t, mrzRes, reasons, err = travellerFromMRZ(req.MRZ); err != nil {
			return err // the MRZ's traveller comes normalised
		}
	} else {
		t.Normalize()
	}
	d, err := s.engine.Screen(c.ctx, &t)
	if err != nil {
		return err
	}
	withReasons(d, reasons)
	rec := s.record(c, "screen", req.Reference, &t, d, start)
	if err := s.dlog.RecordDecision(c.ctx, rec); err != nil {
		return fmt.Errorf("record decision: %w", err)
	}
	s.metrics.decision("screen", d)
	resp := screenResponse{
		Decision: d.Outcome, Hits: d.Hits, Reasons: d.Reasons, DecisionID: rec.ID,
		WatchlistVersion: d.WatchlistVersion, DocumentVersion: d.DocumentVersion,
		AlgorithmVersion: d.AlgorithmVersion, ElapsedMicros: time.Since(start).Microseconds(), MRZ: mrzRes,
	}
	return writeAnswer(ctx, fasthttp.StatusOK, &resp)
}

// record builds the audit record of a decision.
func (s *Server) record(c *caller, channel, ref string, t *screening.Traveller, d *screening.Decision, start time.Time) *screening.DecisionRecord {
	now := s.opts.Now()
	return &screening.DecisionRecord{
		ID: screening.NewDecisionID(now), Time: now.UTC(), KeyID: c.key.ID, Channel: channel,
		InputDigest: d.Digest, Outcome: d.Outcome, Reasons: d.Reasons, Hits: d.Hits,
		WatchlistVersion: d.WatchlistVersion, DocumentVersion: d.DocumentVersion,
		AlgorithmVersion: d.AlgorithmVersion, ElapsedMicros: time.Since(start).Microseconds(),
		Reference: ref, Traveller: t,
	}
}

// Port is a place and time of departure or arrival.
type Port struct {
	Code string    `json:"port"`
	Time time.Time `json:"time,omitzero"`
}

// manifestRequest is the body of POST /v1/manifests: a flight or voyage and
// its passengers.
type manifestRequest struct {
	Carrier    string      `json:"carrier"`
	Number     string      `json:"number"`
	Departure  Port        `json:"departure"`
	Arrival    Port        `json:"arrival"`
	Passengers []passenger `json:"passengers"`
}

type passenger struct {
	screening.Traveller
	// Reference is the carrier's reference of the passenger (booking or
	// sequence number); the answer is keyed by it.
	Reference string `json:"reference"`
}

// boardAnswer is what a carrier learns of one passenger: board or not, the
// code of the interactive API schemes (0Z board, 1Z no board), and, when the
// passenger's data could not be read, what is wrong with it. Nothing of the
// lists, scores or reasons.
type boardAnswer struct {
	Reference   string `json:"reference"`
	Board       bool   `json:"board"`
	Code        string `json:"code"`
	DataQuality string `json:"data_quality,omitempty"`
}

// fullAnswer is what an admin learns of one passenger.
type fullAnswer struct {
	Reference   string            `json:"reference"`
	Board       bool              `json:"board"`
	Code        string            `json:"code"`
	DataQuality string            `json:"data_quality,omitempty"`
	Decision    screening.Outcome `json:"decision"`
	DecisionID  string            `json:"decision_id"`
	Hits        []screening.Hit   `json:"hits"`
	Reasons     []string          `json:"reasons,omitempty"`
}

type manifestResponse struct {
	Carrier          string `json:"carrier"`
	Number           string `json:"number"`
	Passengers       any    `json:"passengers"`
	WatchlistVersion uint64 `json:"watchlist_version,omitempty"`
	ElapsedMicros    int64  `json:"elapsed_us"`
}

// BoardCode returns the interactive API answer code for an outcome: 0Z (OK
// to board) for CLEAR, 1Z (no board, contact the border authority) for
// anything else.
func BoardCode(o screening.Outcome) string {
	if o == screening.Clear {
		return "0Z"
	}
	return "1Z"
}

func (m *manifestRequest) validate(maxPassengers int) error {
	m.Carrier = strings.TrimSpace(m.Carrier)
	m.Number = strings.TrimSpace(m.Number)
	if m.Carrier == "" || len(m.Carrier) > 16 {
		return badRequest("carrier", "the carrier's code is required (at most 16 characters)")
	}
	if m.Number == "" || len(m.Number) > 16 {
		return badRequest("number", "the flight or voyage number is required (at most 16 characters)")
	}
	for _, p := range []struct {
		field string
		port  Port
	}{{"departure.port", m.Departure}, {"arrival.port", m.Arrival}} {
		if len(p.port.Code) > 16 {
			return badRequest(p.field, "longer than 16 characters")
		}
	}
	if !m.Departure.Time.IsZero() && !m.Arrival.Time.IsZero() && m.Arrival.Time.Before(m.Departure.Time) {
		return badRequest("arrival.time", "before the departure time")
	}
	if len(m.Passengers) == 0 {
		return badRequest("passengers", "at least one passenger is required")
	}
	if len(m.Passengers) > maxPassengers {
		return badRequest("passengers", "%d passengers; at most %d in one manifest", len(m.Passengers), maxPassengers)
	}
	seen := make(map[string]int, len(m.Passengers))
	for i, p := range m.Passengers {
		ref := strings.TrimSpace(p.Reference)
		field := fmt.Sprintf("passengers[%d].reference", i)
		if ref == "" || len(ref) > 64 {
			return badRequest(field, "each passenger needs a reference of 1 to 64 characters")
		}
		if j, dup := seen[ref]; dup {
			return badRequest(field, "reference %q also used by passengers[%d]", ref, j)
		}
		seen[ref] = i
	}
	return nil
}

func (s *Server) manifest(ctx *fasthttp.RequestCtx, c *caller, _ []string) error {
	start := time.Now()
	var req manifestRequest
	if err := decodeJSON(ctx, s.opts.MaxManifestBody, &req); err != nil {
		return err
	}
	if err := req.validate(s.opts.MaxPassengers); err != nil {
		return err
	}
	ts := make([]*screening.Traveller, len(req.Passengers))
	for i := range req.Passengers {
		t := req.Passengers[i].Traveller
		t.Normalize()
		ts[i] = &t
	}
	// Passengers whose advance passenger data is incomplete are not
	// screened and get the data-quality REFER, so that they cannot board.
	results := s.engine.ScreenMany(c.ctx, ts, screening.CheckAPIData)
	recs := make([]*screening.DecisionRecord, len(results))
	for i, r := range results {
		ref := req.Carrier + req.Number + "/" + req.Passengers[i].Reference
		recs[i] = s.record(c, "manifest", ref, ts[i], r.Decision, start)
	}
	if err := s.dlog.RecordDecisions(c.ctx, recs); err != nil {
		return fmt.Errorf("record decisions: %w", err)
	}
	resp := manifestResponse{Carrier: req.Carrier, Number: req.Number}
	full := c.key.Role == RoleAdmin
	var boards []boardAnswer
	var fulls []fullAnswer
	for i, r := range results {
		d := r.Decision
		s.metrics.decision("manifest", d)
		dq := ""
		if r.Err != nil {
			dq = r.Err.Error()
		}
		ref := req.Passengers[i].Reference
		if full {
			fulls = append(fulls, fullAnswer{Reference: ref, Board: d.Outcome == screening.Clear, Code: BoardCode(d.Outcome),
				DataQuality: dq, Decision: d.Outcome, DecisionID: recs[i].ID, Hits: d.Hits, Reasons: d.Reasons})
			resp.WatchlistVersion = d.WatchlistVersion
		} else {
			boards = append(boards, boardAnswer{Reference: ref, Board: d.Outcome == screening.Clear, Code: BoardCode(d.Outcome), DataQuality: dq})
		}
	}
	if full {
		resp.Passengers = fulls
	} else {
		resp.Passengers = boards
	}
	resp.ElapsedMicros = time.Since(start).Microseconds()
	return writeJSON(ctx, fasthttp.StatusOK, resp)
}
