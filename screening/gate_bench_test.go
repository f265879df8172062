package screening_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/bordersec/portcullis/fixtures"
	"github.com/bordersec/portcullis/internal/cputime"
	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/gate"
)

// gateStream is what the gate benchmark screens: the watchlist entries of
// the gate stream's listed holders (list "gateload", as bench/gateload
// puts them) and the travellers the gate service hands the engine for the
// stream's events, in the stream's order.
type gateStream struct {
	entries    []*screening.Entry
	travellers []screening.Traveller
}

// capture is a gate.Screener that keeps the travellers it is asked about
// and clears them all.
type capture struct {
	mu sync.Mutex
	ts []screening.Traveller
}

func (c *capture) Screen(ctx context.Context, t *screening.Traveller) (*screening.Decision, error) {
	if err := screening.ValidateTraveller(t); err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.ts = append(c.ts, *t)
	c.mu.Unlock()
	return &screening.Decision{Outcome: screening.Clear, Hits: []screening.Hit{}, WatchlistVersion: 1,
		DocumentVersion: 1, AlgorithmVersion: "capture"}, nil
}

// nopLog is a gate.Log that keeps nothing.
type nopLog struct{}

func (nopLog) Record(context.Context, *gate.Record) error { return nil }
func (nopLog) Events(context.Context, gate.Query, func(*gate.Record) error) error {
	return nil
}
func (nopLog) Event(context.Context, string) (*gate.Record, error) {
	return nil, screening.ErrNotFound
}

// newGateStream runs episodes of the gate stream of bench/gateload (seed
// 1, 5,000 events a second, the default mix and ports) through a gate
// service and returns what the engine would screen.
func newGateStream(tb testing.TB, episodes int) *gateStream {
	tb.Helper()
	const rate = 5000.0
	evs, err := fixtures.NewGenerator(1).GateEvents(episodes, fixtures.GateStreamOptions{
		Start: time.Date(2026, 6, 1, 6, 0, 0, 0, time.UTC), Rate: rate, MaxGap: 5 * time.Second})
	if err != nil {
		tb.Fatal(err)
	}
	cfg, err := gate.LoadConfig(bytes.NewReader(fixtures.GateConfig(fixtures.DefaultGatePorts())))
	if err != nil {
		tb.Fatal(err)
	}
	dig, err := gate.NewDigester([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		tb.Fatal(err)
	}
	c := &capture{}
	var now time.Time
	svc, err := gate.New(gate.Options{Config: cfg, Screener: c, Log: nopLog{}, Digester: dig, Logger: discard(),
		Memory: gate.MemoryOptions{Documents: 100_000}, Now: func() time.Time { return now }})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := svc.Open(context.Background()); err != nil {
		tb.Fatal(err)
	}
	s := &gateStream{}
	seen := map[string]bool{}
	for i := range evs {
		fe := &evs[i]
		if fe.Entry != nil && !seen[fe.Entry.ID] {
			seen[fe.Entry.ID] = true
			e := *fe.Entry
			e.List = "gateload"
			s.entries = append(s.entries, &e)
		}
		body, err := json.Marshal(fe)
		if err != nil {
			tb.Fatal(err)
		}
		ev, err := gate.DecodeEvent(body)
		if err != nil {
			tb.Fatal(err)
		}
		now = ev.Time.Add(time.Second)
		if _, err := svc.Decide(context.Background(), ev, "bench"); err != nil {
			tb.Fatal(err)
		}
	}
	s.travellers = c.ts
	return s
}

var (
	gateOnce   sync.Once
	gateShared *gateStream
)

// gateEpisodes is the number of episodes the gate benchmark screens: about
// 21,000 screenings, enough for -benchtime 20000x without repeating one.
const gateEpisodes = 20_000

func sharedGateStream(tb testing.TB) *gateStream {
	gateOnce.Do(func() { gateShared = newGateStream(tb, gateEpisodes) })
	return gateShared
}

// warmedLogger is a logger that closes warmed once the engine says its
// matcher is warm, so that a benchmark does not time the warm-up's work.
type warmedLogger struct {
	once   sync.Once
	warmed chan struct{}
}

func (w *warmedLogger) Enabled(context.Context, slog.Level) bool { return true }
func (w *warmedLogger) Handle(_ context.Context, r slog.Record) error {
	if r.Message == "matcher warmed" {
		w.once.Do(func() { close(w.warmed) })
	}
	return nil
}
func (w *warmedLogger) WithAttrs([]slog.Attr) slog.Handler { return w }
func (w *warmedLogger) WithGroup(string) slog.Handler      { return w }

// gateEngine returns an engine over the bundled lists and the gate
// stream's entries, as the gate server has them (the decision cache on,
// no document list), once its matcher is warm.
func gateEngine(b *testing.B, s *gateStream) *screening.Engine {
	b.Helper()
	entries := append(append([]*screening.Entry(nil), bundled(b)...), s.entries...)
	wl := &warmedLogger{warmed: make(chan struct{})}
	e := screening.New(&sliceSource{entries}, screening.Options{Logger: slog.New(wl)})
	if err := e.Open(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { e.Close() })
	<-wl.warmed
	return e
}

// BenchmarkGateScreen screens the travellers the gate service hands the
// engine for the events of bench/gateload's stream, one after the other in
// the stream's order, against the bundled lists and the stream's listed
// holders: the engine's share of POST /v1/gate-events. It reports the CPU
// time per screening beside the wall time, and the latency percentiles.
//
//	go test ./screening -run '^$' -bench GateScreen -benchtime 20000x -count 6
func BenchmarkGateScreen(b *testing.B) {
	s := sharedGateStream(b)
	e := gateEngine(b, s)
	ctx := context.Background()
	durs := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cputime.Process()
	for i := 0; b.Loop(); i++ {
		t := s.travellers[i%len(s.travellers)]
		start := time.Now()
		if _, err := e.Screen(ctx, &t); err != nil {
			b.Fatal(err)
		}
		durs = append(durs, time.Since(start))
	}
	b.ReportMetric(float64(cputime.Process()-cpu0)/float64(b.N)/float64(time.Microsecond), "cpu-µs/op")
	reportPercentiles(b, durs)
}
