package httpapi

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/edifact"
	"github.com/bordersec/portcullis/screening/paxlst"
)

// carrierPAXLST answers POST /v1/carriers/paxlst: a UN/EDIFACT PAXLST
// message in, a CUSRES answer out, with board (0Z) or no board (1Z) per
// person. Persons whose data cannot be read get 1Z with a data-quality code
// (inhibit by default) and the rest of the message is still answered. A
// body that is not EDIFACT, or whose envelope is broken, is a 400 with the
// reason and no partial answer.
func (s *Server) carrierPAXLST(ctx *fasthttp.RequestCtx, c *caller, _ []string) error {
	start := time.Now()
	body, err := readBody(ctx, s.opts.MaxManifestBody)
	if err != nil {
		return err
	}
	m, err := paxlst.Decode(body, &paxlst.Options{Options: edifact.Options{MaxSize: int(s.opts.MaxManifestBody), Lenient: s.opts.LenientPAXLST}})
	if err != nil {
		return badRequest("", "PAXLST refused: %v", err)
	}
	persons := m.Persons()
	if len(persons) > s.opts.MaxPassengers {
		return badRequest("", "%d persons; at most %d in one message", len(persons), s.opts.MaxPassengers)
	}
	// Screen the persons whose data can be read; the others are not
	// screened and cannot board.
	var ts []*screening.Traveller
	var idx []int
	for i, p := range persons {
		if p.OK() {
			t := p.Traveller
			t.Normalize()
			ts = append(ts, &t)
			idx = append(idx, i)
		}
	}
	results := s.engine.ScreenMany(c.ctx, ts, nil)
	answers := make([]paxlst.Answer, len(persons))
	outcomes := make([]*screening.Decision, len(persons))
	for j, r := range results {
		i := idx[j]
		outcomes[i] = r.Decision
		clear := r.Err == nil && r.Decision.Outcome == screening.Clear
		answers[i] = paxlst.AnswerFor(persons[i], clear)
	}
	for i, p := range persons {
		if answers[i] == (paxlst.Answer{}) && outcomes[i] == nil {
			answers[i] = paxlst.AnswerFor(p, false)
		}
	}
	answer, err := paxlst.Response(m, answers, &paxlst.ResponseOptions{Now: s.opts.Now().UTC()})
	if err != nil {
		// Never answer with a partial or wrong CUSRES.
		return fmt.Errorf("write CUSRES: %w", err)
	}

	// Record every person's decision and the message itself before
	// answering.
	msgDigest := sha256.Sum256(body)
	ansDigest := sha256.Sum256(answer)
	ref := "PAXLST " + m.Interchange.ControlRef
	recs := make([]*screening.DecisionRecord, 0, len(persons)+1)
	board := 0
	for i, p := range persons {
		d := outcomes[i]
		t := p.Traveller
		if d == nil {
			d = s.engine.DataQualityDecision(problemList(p))
		}
		if answers[i].Board {
			board++
		}
		rec := s.record(c, "paxlst", fmt.Sprintf("%s/%d %s", ref, p.Index, personRef(p)), &t, d, start)
		recs = append(recs, rec)
	}
	now := s.opts.Now()
	recs = append(recs, &screening.DecisionRecord{
		ID: screening.NewDecisionID(now), Time: now.UTC(), KeyID: c.key.ID, Channel: "paxlst-message",
		InputDigest: hex.EncodeToString(msgDigest[:]), Outcome: summaryOutcome(board, len(persons)),
		Reasons:          []string{fmt.Sprintf("%d persons, %d board, %d no board; CUSRES sha256 %s", len(persons), board, len(persons)-board, hex.EncodeToString(ansDigest[:]))},
		WatchlistVersion: s.engine.Version(), ElapsedMicros: time.Since(start).Microseconds(), Reference: ref,
	})
	if err := s.dlog.RecordDecisions(c.ctx, recs); err != nil {
		return fmt.Errorf("record decisions: %w", err)
	}
	for _, d := range outcomes {
		if d != nil {
			s.metrics.decision("paxlst", d)
		}
	}
	ctx.SetStatusCode(fasthttp.StatusOK)
	ctx.SetContentType(paxlst.MediaType)
	ctx.SetBody(answer)
	return nil
}

// summaryOutcome is the message-level record's outcome: CLEAR only when
// everyone may board.
func summaryOutcome(board, persons int) screening.Outcome {
	if board == persons {
		return screening.Clear
	}
	return screening.Refer
}

func personRef(p *paxlst.Person) string {
	s := ""
	if p.Reservation != "" {
		s += "AVF " + p.Reservation
	}
	if p.PassengerRef != "" {
		if s != "" {
			s += " "
		}
		s += "ABO " + p.PassengerRef
	}
	return s
}

func problemList(p *paxlst.Person) string {
	s := ""
	for i, pr := range p.Problems {
		if i > 0 {
			s += "; "
		}
		s += pr.String()
	}
	return s
}
