package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/store"
)

// screenLine is one input line of `portcullis screen`: the body of
// POST /v1/screen plus the caller's id of the traveller.
type screenLine struct {
	ID string `json:"id"`
	screening.Traveller
}

// screenResult is one output line.
type screenResult struct {
	ID         string            `json:"id"`
	Decision   screening.Outcome `json:"decision,omitempty"`
	Hits       []screening.Hit   `json:"hits"`
	Reasons    []string          `json:"reasons,omitempty"`
	DecisionID string            `json:"decision_id,omitempty"`
	Error      string            `json:"error,omitempty"`
}

// screenBatch is how many travellers are screened together.
const screenBatch = 512

func runScreen(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "screen", "[--data DIR] < travellers.jsonl > decisions.jsonl")
	data := dataFlag(fs)
	deadline := fs.Duration("deadline", 50*time.Millisecond, "the most one screening may take before it answers REFER")
	explain := fs.Bool("explain", false, "include each hit's explanation")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return fmt.Errorf("screen: unexpected argument %q: %w", fs.Arg(0), errUsage)
	}
	db, err := store.Open(*data, &store.Options{Logger: quietLogger(e.stderr)})
	if err != nil {
		return err
	}
	defer db.Close()
	docs, err := db.OpenDocuments(ctx, nil)
	if err != nil {
		return err
	}
	defer docs.Close()
	engine := screening.New(db, screening.Options{Deadline: *deadline, CacheSize: -1, Logger: quietLogger(e.stderr), Documents: docs})
	if err := engine.Open(ctx); err != nil {
		return err
	}
	defer engine.Close()

	actor := cliActor()
	out := bufio.NewWriter(e.stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	sc := bufio.NewScanner(e.stdin)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	line, bad := 0, 0
	var batch []screenResult
	var ts []*screening.Traveller
	var idx []int
	flush := func() error {
		results := engine.ScreenMany(ctx, ts, nil)
		recs := make([]*screening.DecisionRecord, len(results))
		now := time.Now()
		for i, r := range results {
			d := r.Decision
			rec := &screening.DecisionRecord{ID: screening.NewDecisionID(now), Time: now.UTC(), KeyID: actor, Channel: "cli",
				InputDigest: d.Digest, Outcome: d.Outcome, Reasons: d.Reasons, Hits: d.Hits,
				WatchlistVersion: d.WatchlistVersion, AlgorithmVersion: d.AlgorithmVersion,
				ElapsedMicros: d.Elapsed.Microseconds(), Reference: batch[idx[i]].ID, Traveller: ts[i]}
			recs[i] = rec
			res := &batch[idx[i]]
			res.Decision, res.Reasons, res.DecisionID = d.Outcome, d.Reasons, rec.ID
			res.Hits = d.Hits
			if res.Hits == nil {
				res.Hits = []screening.Hit{}
			}
			if !*explain {
				res.Hits = make([]screening.Hit, len(d.Hits))
				for j, h := range d.Hits {
					h.Explanation = nil
					res.Hits[j] = h
				}
			}
			if r.Err != nil {
				res.Error = r.Err.Error()
				bad++
			}
		}
		if err := db.RecordDecisions(ctx, recs); err != nil {
			return err
		}
		for i := range batch {
			if err := enc.Encode(&batch[i]); err != nil {
				return err
			}
		}
		batch, ts, idx = batch[:0], ts[:0], idx[:0]
		return nil
	}
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var in screenLine
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&in); err != nil {
			bad++
			// Fail safe: what cannot be read is referred, never cleared.
			batch = append(batch, screenResult{ID: in.ID, Decision: screening.Refer, Hits: []screening.Hit{},
				Error: fmt.Sprintf("line %d: %v", line, err)})
		} else {
			t := in.Traveller
			t.Normalize()
			batch = append(batch, screenResult{ID: in.ID})
			ts = append(ts, &t)
			idx = append(idx, len(batch)-1)
		}
		if len(batch) >= screenBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("screen: after line %d: %w", line, err)
	}
	if err := flush(); err != nil {
		return err
	}
	if bad > 0 {
		return fmt.Errorf("screen: %d of the input's travellers could not be read (REFER, see their error)", bad)
	}
	return nil
}
