package gate_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bordersec/portcullis/screening/gate"
)

// step is one event of a scenario: a holder at a gate, some minutes after
// the scenario's start, and what the decision must be.
type step struct {
	h        holder
	gate     string
	minutes  float64
	dir      gate.Direction
	face     float64 // 0: genuine score
	decision gate.Outcome
	codes    []string
}

func runSteps(t *testing.T, e *env, start time.Time, steps []step) {
	t.Helper()
	for i, s := range steps {
		at := start.Add(time.Duration(s.minutes * float64(time.Minute)))
		e.now = at.Add(time.Second)
		ev := genuine(t, s.h, s.gate, at)
		if s.dir != "" {
			ev.Direction = s.dir
		}
		if s.face != 0 {
			ev.Face.Score = f64(s.face)
		}
		res := e.decide(t, ev)
		if got := codes(res.Reasons); res.Decision != s.decision || !slices.Equal(got, s.codes) {
			t.Fatalf("step %d (%s at %s +%.0fm): %s %v, want %s %v\n%+v", i, s.h.surname, s.gate, s.minutes, res.Decision, got, s.decision, s.codes, res.Reasons)
		}
	}
}

func TestRecentUse(t *testing.T) {
	start := time.Date(2026, 11, 21, 6, 0, 0, 0, time.UTC)
	accept := []string{}
	tests := []struct {
		name  string
		steps []step
	}{
		{"clone at a far port", []step{
			{h: anna, gate: "LHR-T5-E01", decision: gate.Accept, codes: accept},
			{h: anna, gate: "JFK-T4-E07", minutes: 120, decision: gate.Refer, codes: []string{"clone_suspected"}},
			// The genuine holder is referred too: the document is known
			// to be in two places.
			{h: anna, gate: "LHR-T5-E03", minutes: 150, dir: gate.Exit, decision: gate.Refer, codes: []string{"clone_suspected"}},
		}},
		{"long-haul travel is possible", []step{
			{h: anna, gate: "LHR-T5-E01", dir: gate.Exit, decision: gate.Accept, codes: accept},
			{h: anna, gate: "JFK-T4-E07", minutes: 8 * 60, decision: gate.Accept, codes: accept},
		}},
		{"nearby ports: explicit minimum travel time", []step{
			{h: anna, gate: "LHR-T5-E01", dir: gate.Exit, decision: gate.Accept, codes: accept},
			{h: anna, gate: "LGW-S-E02", minutes: 60, decision: gate.Refer, codes: []string{"clone_suspected"}},
			{h: bob, gate: "LHR-T5-E01", dir: gate.Exit, decision: gate.Accept, codes: accept},
			{h: bob, gate: "LGW-S-E02", minutes: 100, decision: gate.Accept, codes: accept},
		}},
		{"clone seen against the use at the other port", []step{
			{h: anna, gate: "LHR-T5-E01", decision: gate.Accept, codes: accept},
			{h: anna, gate: "CDG-2E-E01", minutes: 30, decision: gate.Refer, codes: []string{"clone_suspected"}},
			// The clone tries another gate at CDG: still two places.
			{h: anna, gate: "CDG-2E-E02", minutes: 35, decision: gate.Refer, codes: []string{"clone_suspected"}},
		}},
		{"passed back at the same port", []step{
			{h: anna, gate: "LHR-T5-E01", decision: gate.Accept, codes: accept},
			{h: anna, gate: "LHR-T5-E05", minutes: 6, decision: gate.Refer, codes: []string{"clone_suspected"}},
		}},
		{"retry after a refer is not a reuse", []step{
			{h: anna, gate: "LHR-T5-E01", face: 0.4, decision: gate.Refer, codes: []string{"face_mismatch"}},
			{h: anna, gate: "LHR-T5-E02", minutes: 1, decision: gate.Accept, codes: accept},
		}},
		{"entry then exit at the same port", []step{
			{h: anna, gate: "LHR-T5-E01", decision: gate.Accept, codes: accept},
			{h: anna, gate: "LHR-T5-E02", minutes: 50, dir: gate.Exit, decision: gate.Accept, codes: accept},
		}},
		{"reuse after the window", []step{
			{h: anna, gate: "LHR-T5-E01", decision: gate.Accept, codes: accept},
			{h: anna, gate: "LHR-T5-E02", minutes: 121, decision: gate.Accept, codes: accept},
		}},
		{"probing gate after gate", []step{
			{h: anna, gate: "LHR-T5-E01", face: 0.45, decision: gate.Refer, codes: []string{"face_mismatch"}},
			{h: anna, gate: "LHR-T5-E02", minutes: 2, face: 0.52, decision: gate.Refer, codes: []string{"face_mismatch"}},
			// The look-alike finally beats the threshold: still referred.
			{h: anna, gate: "LHR-T5-E03", minutes: 4, face: 0.63, decision: gate.Refer, codes: []string{"probing_suspected"}},
		}},
		{"hammering one gate", []step{
			{h: anna, gate: "LHR-T5-E01", face: 0.45, decision: gate.Refer, codes: []string{"face_mismatch"}},
			{h: anna, gate: "LHR-T5-E01", minutes: 1, face: 0.45, decision: gate.Refer, codes: []string{"face_mismatch"}},
			{h: anna, gate: "LHR-T5-E01", minutes: 2, face: 0.45, decision: gate.Refer, codes: []string{"face_mismatch"}},
			{h: anna, gate: "LHR-T5-E01", minutes: 3, decision: gate.Refer, codes: []string{"probing_suspected"}},
		}},
		{"one false reject is forgiven", []step{
			{h: anna, gate: "LHR-T5-E01", face: 0.55, decision: gate.Refer, codes: []string{"face_mismatch"}},
			{h: anna, gate: "LHR-T5-E04", minutes: 1, decision: gate.Accept, codes: accept},
		}},
		{"failures outside the probe window", []step{
			{h: anna, gate: "LHR-T5-E01", face: 0.45, decision: gate.Refer, codes: []string{"face_mismatch"}},
			{h: anna, gate: "LHR-T5-E02", minutes: 2, face: 0.45, decision: gate.Refer, codes: []string{"face_mismatch"}},
			{h: anna, gate: "LHR-T5-E02", minutes: 40, dir: gate.Exit, decision: gate.Accept, codes: accept},
		}},
		{"other documents are not confused", []step{
			{h: anna, gate: "LHR-T5-E01", decision: gate.Accept, codes: accept},
			{h: bob, gate: "JFK-T4-E01", minutes: 10, decision: gate.Accept, codes: accept},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runSteps(t, newEnv(t, nil), start, tt.steps)
		})
	}
}

func TestCloneReasonText(t *testing.T) {
	e := newEnv(t, nil)
	start := now.Add(-5 * time.Minute)
	e.decide(t, genuine(t, anna, "LHR-T5-E01", start))
	res := e.decide(t, genuine(t, anna, "SIN-T3-E02", start.Add(3*time.Minute)))
	if len(res.Reasons) != 1 {
		t.Fatalf("reasons %+v", res.Reasons)
	}
	for _, want := range []string{"LHR", "LHR-T5-E01", "SIN", "3m apart", "in less than 11h"} {
		if !strings.Contains(res.Reasons[0].Text, want) {
			t.Errorf("clone reason %q does not say %q", res.Reasons[0].Text, want)
		}
	}
}

// TestRebuildAfterRestart checks that a clone is still seen when the first
// use was decided before a restart: the memory is rebuilt from the log.
func TestRebuildAfterRestart(t *testing.T) {
	log := &memLog{}
	e := newEnv(t, log)
	start := now.Add(-10 * time.Minute)
	e.decide(t, genuine(t, anna, "LHR-T5-E01", start))
	for i := range 3 {
		ev := genuine(t, bob, "LHR-T5-E02", start.Add(time.Duration(i)*time.Minute))
		ev.Face.Score = f64(0.3)
		e.decide(t, ev)
	}

	restarted := newEnv(t, log)
	res := restarted.decide(t, genuine(t, anna, "JFK-T4-E01", start.Add(5*time.Minute)))
	if got := codes(res.Reasons); !slices.Equal(got, []string{"clone_suspected"}) {
		t.Errorf("clone after restart: %v, want clone_suspected", got)
	}
	res = restarted.decide(t, genuine(t, bob, "LHR-T5-E03", start.Add(5*time.Minute)))
	if got := codes(res.Reasons); !slices.Equal(got, []string{"probing_suspected"}) {
		t.Errorf("probe after restart: %v, want probing_suspected", got)
	}
	if st := restarted.svc.Memory(); st.Documents != 2 || st.Failures != 1 {
		t.Errorf("memory after rebuild: %+v, want 2 documents, 1 with failures", st)
	}
}

// TestConcurrentClone sends one document to two far ports at once, many
// times: exactly one of each pair may be accepted, never both.
func TestConcurrentClone(t *testing.T) {
	e := newEnv(t, nil)
	for i := range 50 {
		h := anna
		h.number = "X" + string(rune('A'+i%26)) + strings.Repeat("1", 5) + string(rune('0'+i/26))
		at := now.Add(-time.Minute)
		results := make(chan *gate.Result, 2)
		for _, g := range []string{"LHR-T5-E01", "JFK-T4-E01"} {
			ev := genuine(t, h, g, at)
			go func() {
				res, err := e.svc.Decide(context.Background(), ev, "")
				if err != nil {
					t.Error(err)
				}
				results <- res
			}()
		}
		a, b := <-results, <-results
		if a == nil || b == nil {
			t.FailNow()
		}
		if a.Decision == gate.Accept && b.Decision == gate.Accept {
			t.Fatalf("document %d accepted at LHR and JFK at the same time", i)
		}
	}
}

// TestPassedBackTriedAgain: a document passed back after an accepted
// entry is referred, and stays referred when it is tried again at another
// gate of the port: the refused attempt must not hide the accepted use.
func TestPassedBackTriedAgain(t *testing.T) {
	start := now.Add(-10 * time.Minute)
	t.Run("again", func(t *testing.T) {
		runSteps(t, newEnv(t, nil), start, []step{
			{h: anna, gate: "LHR-T5-E01", decision: gate.Accept, codes: []string{}},
			{h: anna, gate: "LHR-T5-E05", minutes: 2, decision: gate.Refer, codes: []string{"clone_suspected"}},
			{h: anna, gate: "LHR-T5-E06", minutes: 3, decision: gate.Refer, codes: []string{"clone_suspected"}},
		})
	})
	t.Run("after a face mismatch", func(t *testing.T) {
		runSteps(t, newEnv(t, nil), start, []step{
			{h: anna, gate: "LHR-T5-E01", decision: gate.Accept, codes: []string{}},
			{h: anna, gate: "LHR-T5-E05", minutes: 2, face: 0.5, decision: gate.Refer, codes: []string{"face_mismatch", "clone_suspected"}},
			{h: anna, gate: "LHR-T5-E06", minutes: 3, decision: gate.Refer, codes: []string{"clone_suspected"}},
		})
	})
}

// TestLateEventMeetsEarlierUse: the memory forgets uses by the newest
// event time it has seen, which runs ahead of a late event by up to the
// oldest event accepted plus the clock skew; a late event must still meet
// a use inside its reuse window.
func TestLateEventMeetsEarlierUse(t *testing.T) {
	const onePort = `{"ports":[{"code":"LHR","lat":51.47,"lon":-0.45,"gates":[{"prefix":"LHR-T5-E","count":12,"class":"egate"}]}]}`
	cfg, err := gate.LoadConfig(strings.NewReader(onePort))
	if err != nil {
		t.Fatal(err)
	}
	dig, err := gate.NewDigester(testKey)
	if err != nil {
		t.Fatal(err)
	}
	clock := now
	svc, err := gate.New(gate.Options{Config: cfg, Screener: &screener{}, Log: &memLog{}, Digester: dig,
		Memory: gate.MemoryOptions{Documents: 10_000, Shards: 1}, Now: func() time.Time { return clock }, Logger: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	t0 := now
	if res, err := svc.Decide(context.Background(), genuine(t, anna, "LHR-T5-E01", t0), ""); err != nil || res.Decision != gate.Accept {
		t.Fatalf("first entry: %v %v", res, err)
	}
	// Another document, from a device whose clock is 2 minutes fast, moves
	// the memory's newest time 2h14m past the first entry.
	clock = t0.Add(2*time.Hour + 12*time.Minute)
	if _, err := svc.Decide(context.Background(), genuine(t, bob, "LHR-T5-E02", clock.Add(2*time.Minute)), ""); err != nil {
		t.Fatal(err)
	}
	// Anna's document again, an event 13 minutes old: 1h59m after the first
	// entry, inside the 2h reuse window.
	res, err := svc.Decide(context.Background(), genuine(t, anna, "LHR-T5-E03", t0.Add(119*time.Minute)), "")
	if err != nil {
		t.Fatal(err)
	}
	if res.Decision == gate.Accept {
		t.Errorf("a second entry 1h59m after an accepted one at the same port was accepted (reuse window 2h): %+v", res.Checks)
	}
}
