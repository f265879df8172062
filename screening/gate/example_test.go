package gate_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/gate"
)

// clearScreener is a Screener for the example: every holder is clear and
// the lost and stolen list (version 1) does not hold the document.
type clearScreener struct{}

func (clearScreener) Screen(context.Context, *screening.Traveller) (*screening.Decision, error) {
	return &screening.Decision{Outcome: screening.Clear, DocumentVersion: 1}, nil
}

func ExampleService_Decide() {
	cfg, err := gate.LoadConfig(strings.NewReader(`{"ports": [
		{"code": "LHR", "lat": 51.47, "lon": -0.4543, "gates": [{"prefix": "LHR-E", "count": 10, "class": "egate"}]},
		{"code": "JFK", "lat": 40.64, "lon": -73.78, "gates": [{"prefix": "JFK-E", "count": 10, "class": "egate"}]}]}`))
	if err != nil {
		panic(err)
	}
	dig, _ := gate.NewDigester([]byte("an example key, 32 bytes long..."))
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	svc, err := gate.New(gate.Options{Config: cfg, Screener: clearScreener{}, Log: discardLog{}, Digester: dig,
		Memory: gate.MemoryOptions{Documents: 1000}, Now: func() time.Time { return now }})
	if err != nil {
		panic(err)
	}
	if _, err := svc.Open(context.Background()); err != nil {
		panic(err)
	}
	mrz := []string{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F3104150<<<<<<<<<<<<<<<4"}
	score := func(v float64) *gate.Score { return &gate.Score{Score: &v} }
	event := func(g, port string, at time.Time, face float64) *gate.Event {
		return &gate.Event{Gate: g, Port: port, Time: at, Direction: gate.Entry,
			Document: gate.Document{MRZ: mrz, DG1: mrz},
			Chip:     &gate.Chip{PassiveAuth: gate.Passed, ChipAuth: gate.Passed, DG1MatchesMRZ: gate.Passed},
			Face:     score(face), Liveness: score(0.97)}
	}
	for _, ev := range []*gate.Event{
		event("LHR-E01", "LHR", now.Add(-10*time.Minute), 0.92), // the holder
		event("JFK-E04", "JFK", now.Add(-5*time.Minute), 0.41),  // a look-alike with a clone, 5 minutes later
	} {
		res, err := svc.Decide(context.Background(), ev, "example")
		if err != nil {
			panic(err)
		}
		fmt.Println(ev.Gate, res.Decision)
		for _, r := range res.Reasons {
			fmt.Println(" ", r.Code)
		}
	}
	// Output:
	// LHR-E01 ACCEPT
	// JFK-E04 REFER
	//   face_mismatch
	//   clone_suspected
}
