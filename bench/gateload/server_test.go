package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/bordersec/portcullis/bench/hist"
	"github.com/bordersec/portcullis/fixtures"
	"github.com/bordersec/portcullis/internal/cputime"
	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/gate"
	"github.com/bordersec/portcullis/screening/httpapi"
	"github.com/bordersec/portcullis/screening/listfmt"
	"github.com/bordersec/portcullis/store"
)

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// docReader hands out documents for an import.
type docReader struct {
	docs []screening.DocumentEntry
	i    int
}

func (r *docReader) Read() (*screening.DocumentEntry, error) {
	if r.i >= len(r.docs) {
		return nil, io.EOF
	}
	r.i++
	return &r.docs[r.i-1], nil
}

// server is a Portcullis server with the gate endpoints on a loopback port.
type server struct {
	addr   string
	key    string
	stages *stages
	db     *store.DB
}

// stages times the two parts of a gate decision that wait: the engine's
// screening of the holder (each call) and the durable write of the event's
// record.
type stages struct {
	mu             sync.Mutex
	screen, record hist.Histogram
}

func (s *stages) add(h *hist.Histogram, d time.Duration) {
	s.mu.Lock()
	h.RecordDuration(d)
	s.mu.Unlock()
}

// p99 returns the 99th percentile of h in milliseconds.
func (s *stages) p99(h *hist.Histogram) float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return float64(h.QuantileDuration(0.99)) / float64(time.Millisecond)
}

type timedScreener struct {
	gate.Screener
	st *stages
}

func (t timedScreener) Screen(ctx context.Context, tr *screening.Traveller) (*screening.Decision, error) {
	start := time.Now()
	d, err := t.Screener.Screen(ctx, tr)
	t.st.add(&t.st.screen, time.Since(start))
	return d, err
}

type timedLog struct {
	gate.Log
	st *stages
}

func (t timedLog) Record(ctx context.Context, r *gate.Record) error {
	start := time.Now()
	err := t.Log.Record(ctx, r)
	t.st.add(&t.st.record, time.Since(start))
	return err
}

// startServer starts a server over a store in dir: the bundled lists (when
// bundled), the stream's watchlist entries, a document list of background
// documents and the stream's stolen ones, and the gate service over the
// stream's ports.
func startServer(tb testing.TB, dir string, p *pool, seed uint64, bundled bool, background int) *server {
	tb.Helper()
	ctx := context.Background()
	db, err := store.Open(dir, &store.Options{Logger: quiet(), CommitInterval: benchCommitInterval(tb), MemTableMB: benchMemTable()})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if bundled {
		for _, l := range fixtures.BundledLists() {
			r, err := listfmt.Open(l.Format, fixtures.Lists(), l.Path)
			if err != nil {
				tb.Fatal(err)
			}
			if _, err := db.Import(ctx, l.Name, r, screening.ImportOptions{Actor: "bench", SkipInvalid: true}); err != nil {
				tb.Fatal(err)
			}
			r.Close()
		}
	}
	// The stream's own seed: its genuine travellers carry documents that
	// this generator's Document never gives.
	gen := fixtures.NewGenerator(seed)
	docs := make([]screening.DocumentEntry, 0, background+100)
	for i := range background {
		docs = append(docs, gen.Document(i))
	}
	seen := map[string]bool{}
	for _, ev := range p.events {
		if ev.Entry != nil && !seen[ev.Entry.ID] {
			seen[ev.Entry.ID] = true
			e := *ev.Entry
			e.List = "gateload"
			if _, err := db.Put(ctx, &e, screening.WriteOptions{Actor: "bench"}); err != nil {
				tb.Fatal(err)
			}
		}
		if ev.Pattern == fixtures.PatternStolen {
			d := ev.Holder.Document
			docs = append(docs, screening.DocumentEntry{Type: d.Type, Number: d.Number, Country: d.Country, Status: screening.StatusStolen})
		}
	}
	dl, err := db.OpenDocuments(ctx, nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { dl.Close() })
	if _, err := dl.Import(ctx, &docReader{docs: docs}, screening.ImportOptions{Actor: "bench", SkipInvalid: true}); err != nil {
		tb.Fatal(err)
	}
	// The benchmark keeps the default deadlines (50 ms); a test checks
	// outcomes, which a screening cut short on a loaded machine would
	// change (screening_incomplete).
	var deadline time.Duration
	if _, isTest := tb.(*testing.T); isTest {
		deadline = time.Minute
	}
	engine := screening.New(db, screening.Options{Logger: quiet(), Documents: dl, Deadline: deadline})
	if err := engine.Open(ctx); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { engine.Close() })
	// Measure the steady state: not the matcher's start-up warm-up, which
	// runs in the background and competes for the cores.
	<-engine.Warmed()
	events, err := db.OpenEvents(ctx, nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { events.Close() })
	cfg, err := gate.LoadConfig(bytes.NewReader(fixtures.GateConfig(fixtures.DefaultGatePorts())))
	if err != nil {
		tb.Fatal(err)
	}
	dig, err := gate.NewDigester(events.DigestKey())
	if err != nil {
		tb.Fatal(err)
	}
	st := &stages{}
	svc, err := gate.New(gate.Options{Config: cfg, Screener: timedScreener{engine, st}, Log: timedLog{events, st}, Digester: dig, Logger: quiet(),
		Memory: gate.MemoryOptions{Documents: 1_000_000}})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := svc.Open(ctx); err != nil {
		tb.Fatal(err)
	}
	kr := httpapi.NewKeyring("")
	key, _, err := kr.Generate(httpapi.RoleGate, "bench", time.Now())
	if err != nil {
		tb.Fatal(err)
	}
	srv, err := httpapi.New(httpapi.Options{Engine: engine, Lists: db, Decisions: db, Keys: kr, Logger: quiet(),
		Gate: &httpapi.GateOptions{Service: svc, Events: events}})
	if err != nil {
		tb.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	go srv.Serve(ln)
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	})
	return &server{addr: ln.Addr().String(), key: key, stages: st, db: db}
}

// TestGateLoadSmall runs a short, slow load against an in-process server
// and checks every pattern's outcome end to end: over HTTP, through the
// engine with a watchlist and a document list, and the durable event log.
func TestGateLoadSmall(t *testing.T) {
	l := &load{path: "/v1/gate-events", rate: 400, conns: 8, warmup: 0, duration: 6 * time.Second,
		timeout: 5 * time.Second, seed: 3, mix: fixtures.DefaultGateMix, maxGap: 3 * time.Second}
	p, _ := startedPool(t, l, false, 1000)
	res := run(context.Background(), l, p)
	if res.Errors > 0 {
		t.Fatalf("%d errors: %v %v", res.Errors, res.Status, res.Failures)
	}
	if res.Sent != uint64(len(p.events)) {
		t.Fatalf("sent %d of %d events", res.Sent, len(p.events))
	}
	for pat, ps := range res.Patterns {
		// Genuine travellers may meet a generated name by chance; nothing
		// else may go other than expected.
		if ps.Expected != ps.Events && !(isGenuine(pat) && onlyNameHits(ps.Other)) {
			t.Errorf("%s: %d of %d as expected; others %v", pat, ps.Expected, ps.Events, ps.Other)
		}
	}
	for _, want := range []fixtures.GatePattern{fixtures.PatternImposter, fixtures.PatternClone, fixtures.PatternProbe, fixtures.PatternStolen, fixtures.PatternAltered} {
		if res.Patterns[want] == nil {
			t.Errorf("no %s events in the run", want)
		}
	}
}

// startedPool starts a server for l's stream (its watchlist entries and
// stolen documents) and returns the stream, timed to start once it is
// made: the server is up before the stream's first event is due.
func startedPool(tb testing.TB, l *load, bundled bool, background int) (*pool, *server) {
	tb.Helper()
	early, err := preparePool(l, 0)
	if err != nil {
		tb.Fatal(err)
	}
	dir := tb.TempDir()
	if d := os.Getenv("PORTCULLIS_BENCH_DIR"); d != "" {
		if dir, err = os.MkdirTemp(d, "gateload-"); err != nil {
			tb.Fatal(err)
		}
		// Registered before the server's cleanups, so run after them:
		// the store is closed before its directory goes.
		tb.Cleanup(func() { os.RemoveAll(dir) })
	}
	s := startServer(tb, dir, early, l.seed, bundled, background)
	l.addr, l.key = s.addr, s.key
	p, err := preparePool(l, time.Second+2*early.took)
	if err != nil {
		tb.Fatal(err)
	}
	if time.Now().After(p.start) {
		tb.Fatal("making the stream took longer than its lead")
	}
	return p, s
}

func onlyNameHits(other map[string]int) bool {
	for k := range other {
		if k != "REFER watchlist_hit" && k != "REFER watchlist_hit+watchlist_hit" {
			return false
		}
	}
	return true
}

// benchCommitInterval is the store's CommitInterval for a benchmark:
// PORTCULLIS_BENCH_COMMIT_INTERVAL (a Go duration; 0 for none, as
// serve --commit-interval 0), else the store's default.
func benchCommitInterval(tb testing.TB) time.Duration {
	s := os.Getenv("PORTCULLIS_BENCH_COMMIT_INTERVAL")
	if s == "" {
		return 0
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		tb.Fatalf("PORTCULLIS_BENCH_COMMIT_INTERVAL=%q", s)
	}
	return store.CommitIntervalOf(d)
}

// benchMemTable is the store's MemTableMB for the benchmark:
// PORTCULLIS_BENCH_MEMTABLE_MB, else the default.
func benchMemTable() int {
	n, _ := strconv.Atoi(os.Getenv("PORTCULLIS_BENCH_MEMTABLE_MB"))
	return n
}

// BenchmarkGateServer sends the gate stream to an in-process server at a
// fixed rate (PORTCULLIS_BENCH_RATE, default 5,000 events/s) on
// PORTCULLIS_BENCH_CONNS connections (default 64) for b.N events
// after a second of warm-up, the load generator and the server sharing the
// machine's cores, and reports the latency from each event's scheduled
// time to its answer (p50, p99, p99.9), the server's own p99, the p99 of
// its two waits (a screening call, the durable write of an event's record),
// the throughput and the share of genuine travellers referred. The server screens against the bundled UN,
// OFAC and UK lists (PORTCULLIS_BENCH_LISTS=none leaves them out, to
// measure the gate's own path) and a document list of 100,000 lost and
// stolen documents, and records every event durably in a store in
// PORTCULLIS_BENCH_DIR (default the test's temporary directory: set it to
// a directory on the disk to measure, or /dev/shm to leave out the disk's
// fsync). PORTCULLIS_BENCH_COMMIT_INTERVAL and PORTCULLIS_BENCH_MEMTABLE_MB
// change the store's CommitInterval and MemTableMB (serve's
// --commit-interval and --memtable-mb). It also reports the process's CPU
// per event (server and load generator) and the events per group commit.
//
//	go test ./bench/gateload -run '^$' -bench GateServer -benchtime 150000x -count 3
func BenchmarkGateServer(b *testing.B) {
	rate := 5000.0
	if s := os.Getenv("PORTCULLIS_BENCH_RATE"); s != "" {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v <= 0 {
			b.Fatalf("PORTCULLIS_BENCH_RATE=%q", s)
		}
		rate = v
	}
	conns := 64
	if s := os.Getenv("PORTCULLIS_BENCH_CONNS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			b.Fatalf("PORTCULLIS_BENCH_CONNS=%q", s)
		}
		conns = v
	}
	bundled := os.Getenv("PORTCULLIS_BENCH_LISTS") != "none"
	duration := time.Duration(float64(b.N) / rate * float64(time.Second))
	duration = max(duration, time.Second)
	l := &load{path: "/v1/gate-events", rate: rate, conns: conns, warmup: time.Second, duration: duration,
		timeout: 2 * time.Second, seed: 1, mix: fixtures.DefaultGateMix, maxGap: 5 * time.Second}
	p, srv := startedPool(b, l, bundled, 100_000)
	b.ResetTimer()
	cpu0, commits0 := cputime.Process(), srv.db.Commits()
	res := run(context.Background(), l, p)
	cpu, commits := cputime.Process()-cpu0, srv.db.Commits()-commits0
	b.StopTimer()
	if res.Errors > 0 {
		b.Errorf("%d errors: %v %v", res.Errors, res.Status, res.Failures)
	}
	b.ReportMetric(res.LatencyMS["p50"], "p50-ms")
	b.ReportMetric(res.LatencyMS["p99"], "p99-ms")
	b.ReportMetric(res.LatencyMS["p99.9"], "p99.9-ms")
	b.ReportMetric(res.ServerMS["p99"], "server-p99-ms")
	// Where the server's time goes (warm-up included).
	b.ReportMetric(srv.stages.p99(&srv.stages.screen), "screen-p99-ms")
	b.ReportMetric(srv.stages.p99(&srv.stages.record), "record-p99-ms")
	b.ReportMetric(res.Throughput, "events/s")
	// Server and load generator together (warm-up second included): what
	// an event costs the cores.
	b.ReportMetric(float64(cpu.Microseconds())/float64(res.Sent), "cpu-µs/event")
	b.ReportMetric(float64(res.Sent)/float64(max(commits, 1)), "events/commit")
	b.ReportMetric(100*res.GenuineRefer, "genuine-refer-%")
	if testing.Verbose() {
		res.write(os.Stderr)
	}
}
