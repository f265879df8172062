package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/bordersec/portcullis/bench/hist"
	"github.com/bordersec/portcullis/bench/internal/wire"
	"github.com/bordersec/portcullis/fixtures"
)

// load is one load run's settings.
type load struct {
	addr     string // host:port
	tls      bool
	path     string
	key      string
	rate     float64 // events per second
	conns    int
	warmup   time.Duration
	duration time.Duration
	timeout  time.Duration
	seed     uint64
	mix      fixtures.GateMix
	maxGap   time.Duration
}

// eventsPerEpisode is the mean number of events of an episode of mix m.
func eventsPerEpisode(m fixtures.GateMix) float64 {
	extra := m.FalseReject + m.Clone + 2*m.Probe
	return 1 + float64(extra)/1000
}

// pool is the prepared events of a run: their bodies, in the order and at
// the times they are sent.
type pool struct {
	events []fixtures.GateEvent
	bodies [][]byte
	start  time.Time // the time of the first event: when the run starts
	took   time.Duration
}

// preparePool generates the stream for the run, starting lead from now,
// and marshals every event. The events' times are their send times, so the
// stream's clones and probes keep their spacing on the wall clock and the
// server's clock-skew and age checks pass.
func preparePool(l *load, lead time.Duration) (*pool, error) {
	began := time.Now()
	start := began.Add(lead).Truncate(time.Millisecond)
	total := l.warmup + l.duration
	epRate := l.rate / eventsPerEpisode(l.mix)
	episodes := int(math.Ceil(total.Seconds()*epRate)) + 1
	evs, err := fixtures.NewGenerator(l.seed).GateEvents(episodes, fixtures.GateStreamOptions{
		Start: start, Rate: epRate, Ports: fixtures.DefaultGatePorts(), Mix: l.mix, MaxGap: l.maxGap})
	if err != nil {
		return nil, err
	}
	end := start.Add(total)
	n := sort.Search(len(evs), func(i int) bool { return !evs[i].Time.Before(end) })
	evs = evs[:n]
	p := &pool{events: evs, bodies: make([][]byte, len(evs)), start: start}
	for i := range evs {
		if p.bodies[i], err = json.Marshal(&evs[i]); err != nil {
			return nil, fmt.Errorf("event %d: %w", i, err)
		}
	}
	p.took = time.Since(began)
	return p, nil
}

// patternStats is what was seen of one pattern.
type patternStats struct {
	Events   int            `json:"events"`
	Expected int            `json:"expected"` // referred for the expected reason (attacks) or accepted (genuine)
	Accepted int            `json:"accepted"`
	Other    map[string]int `json:"other,omitempty"` // unexpected outcomes by reasons
}

// stats is what one worker saw.
type stats struct {
	latency  hist.Histogram // scheduled send to answer
	server   hist.Histogram // the server's elapsed_us, in ns
	lag      hist.Histogram // how late sends left
	sent     uint64
	ok       uint64
	done     uint64 // answered OK within the measured window
	errors   uint64
	status   map[int]uint64
	failures map[string]uint64
	patterns map[fixtures.GatePattern]*patternStats
}

func newStats() *stats {
	return &stats{status: map[int]uint64{}, failures: map[string]uint64{}, patterns: map[fixtures.GatePattern]*patternStats{}}
}

func (s *stats) merge(o *stats) {
	s.latency.Merge(&o.latency)
	s.server.Merge(&o.server)
	s.lag.Merge(&o.lag)
	s.sent += o.sent
	s.ok += o.ok
	s.done += o.done
	s.errors += o.errors
	for k, v := range o.status {
		s.status[k] += v
	}
	for k, v := range o.failures {
		s.failures[k] += v
	}
	for k, v := range o.patterns {
		p := s.pattern(k)
		p.Events += v.Events
		p.Expected += v.Expected
		p.Accepted += v.Accepted
		for r, n := range v.Other {
			p.Other[r] += n
		}
	}
}

func (s *stats) pattern(p fixtures.GatePattern) *patternStats {
	ps := s.patterns[p]
	if ps == nil {
		ps = &patternStats{Other: map[string]int{}}
		s.patterns[p] = ps
	}
	return ps
}

// early is how long before its time a send may leave: Go's timers wake
// up to about a millisecond late, so a worker sleeps until early before
// its time and then sends (as loadgen does); a send that leaves early
// counts its latency from when it left.
const early = time.Millisecond

// run sends the pool's events at their times on l.conns connections and
// returns what it saw of those scheduled after the warm-up.
func run(ctx context.Context, l *load, p *pool) *Result {
	hc := &fasthttp.HostClient{
		Addr: l.addr, Name: "portcullis-gateload", IsTLS: l.tls, MaxConns: l.conns,
		MaxIdleConnDuration: time.Minute, ReadTimeout: l.timeout, WriteTimeout: l.timeout, MaxConnWaitTimeout: l.timeout,
	}
	defer hc.CloseIdleConnections()
	scheme := "http"
	if l.tls {
		scheme = "https"
	}
	uri := scheme + "://" + l.addr + l.path
	measureFrom := p.start.Add(l.warmup)
	measureEnd := measureFrom.Add(l.duration)
	var next atomic.Int64
	all := make([]*stats, l.conns)
	var wg sync.WaitGroup
	for w := range l.conns {
		st := newStats()
		all[w] = st
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := fasthttp.AcquireRequest()
			resp := fasthttp.AcquireResponse()
			defer fasthttp.ReleaseRequest(req)
			defer fasthttp.ReleaseResponse(resp)
			req.Header.SetMethod(fasthttp.MethodPost)
			req.SetRequestURI(uri)
			req.Header.SetContentType("application/json")
			req.Header.Set("Authorization", "Bearer "+l.key)
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= len(p.bodies) {
					return
				}
				ev := &p.events[i]
				sched := ev.Time
				now := time.Now()
				if d := sched.Sub(now); d > early {
					time.Sleep(d - early)
					now = time.Now()
				}
				from := sched
				if now.Before(sched) {
					from = now
				}
				measured := !sched.Before(measureFrom)
				if measured {
					st.lag.RecordDuration(max(0, now.Sub(sched)))
				}
				req.SetBodyRaw(p.bodies[i])
				err := hc.DoDeadline(req, resp, now.Add(l.timeout))
				done := time.Now()
				if !measured {
					continue
				}
				st.sent++
				st.latency.RecordDuration(done.Sub(from))
				ps := st.pattern(ev.Pattern)
				ps.Events++
				if err != nil {
					st.errors++
					st.failures[wire.FailureKind(err)]++
					ps.Other["error"]++
					continue
				}
				if code := resp.StatusCode(); code != fasthttp.StatusOK {
					st.errors++
					st.status[code]++
					ps.Other[fmt.Sprintf("HTTP %d", code)]++
					continue
				}
				st.ok++
				if !done.After(measureEnd) {
					st.done++
				}
				readAnswer(resp.Body(), ev, st, ps)
			}
		}()
	}
	wg.Wait()
	total := newStats()
	for _, st := range all {
		total.merge(st)
	}
	return newResult(l, p, total)
}

// readAnswer counts an answer against what the event was meant to be. It
// reads the decision, the reason codes and elapsed_us by scanning, not by
// decoding the whole answer: the load generator shares the server's cores.
func readAnswer(b []byte, ev *fixtures.GateEvent, st *stats, ps *patternStats) {
	decision, ok := stringAfter(b, `"decision":"`)
	if !ok {
		ps.Other["unreadable answer"]++
		return
	}
	if us, ok := wire.LastInt(b, `"elapsed_us":`); ok {
		st.server.Record(us * 1000)
	}
	var codes []string
	found := false
	for rest := b; ; {
		i := bytes.Index(rest, []byte(`"code":"`))
		if i < 0 {
			break
		}
		rest = rest[i:]
		code, _ := stringAfter(rest, `"code":"`)
		codes = append(codes, code)
		found = found || code == ev.Expect
		rest = rest[1:]
	}
	if decision == "ACCEPT" {
		ps.Accepted++
	}
	switch {
	case ev.Expect == "" && decision == "ACCEPT":
		ps.Expected++
	case ev.Expect != "" && found:
		ps.Expected++
	default:
		key := decision
		if len(codes) > 0 {
			key += " " + strings.Join(codes, "+")
		}
		ps.Other[key]++
	}
}

// stringAfter returns the JSON string (without escapes) after the first key.
func stringAfter(b []byte, key string) (string, bool) {
	i := bytes.Index(b, []byte(key))
	if i < 0 {
		return "", false
	}
	v := b[i+len(key):]
	j := bytes.IndexByte(v, '"')
	if j < 0 {
		return "", false
	}
	return string(v[:j]), true
}

// Result is a run's report.
type Result struct {
	Target       string                                 `json:"target"`
	Rate         float64                                `json:"rate"`
	Connections  int                                    `json:"connections"`
	Seconds      float64                                `json:"seconds"`
	Sent         uint64                                 `json:"sent"`
	OK           uint64                                 `json:"ok"`
	Errors       uint64                                 `json:"errors"`
	Status       map[int]uint64                         `json:"status,omitempty"`
	Failures     map[string]uint64                      `json:"failures,omitempty"`
	Throughput   float64                                `json:"throughput"` // answered OK within the measured window, a second
	LatencyMS    map[string]float64                     `json:"latency_ms"`
	ServerMS     map[string]float64                     `json:"server_ms"`
	LagMS        map[string]float64                     `json:"send_lag_ms"`
	Patterns     map[fixtures.GatePattern]*patternStats `json:"patterns"`
	GenuineRefer float64                                `json:"genuine_refer_rate"`
	PrepSeconds  float64                                `json:"prep_seconds"`
}

func quantiles(h *hist.Histogram) map[string]float64 {
	q := func(x float64) float64 { return float64(h.Quantile(x)) / 1e6 }
	return map[string]float64{"p50": q(0.5), "p90": q(0.9), "p99": q(0.99), "p99.9": q(0.999), "max": float64(h.Max()) / 1e6}
}

func newResult(l *load, p *pool, st *stats) *Result {
	r := &Result{
		Target: l.addr + l.path, Rate: l.rate, Connections: l.conns, Seconds: l.duration.Seconds(),
		Sent: st.sent, OK: st.ok, Errors: st.errors, Status: st.status, Failures: st.failures,
		Throughput: float64(st.done) / l.duration.Seconds(),
		LatencyMS:  quantiles(&st.latency), ServerMS: quantiles(&st.server), LagMS: quantiles(&st.lag),
		Patterns: st.patterns, PrepSeconds: p.took.Seconds(),
	}
	genuine, referred := 0, 0
	for pat, ps := range st.patterns {
		if isGenuine(pat) {
			genuine += ps.Events
			referred += ps.Events - ps.Accepted
		}
	}
	if genuine > 0 {
		r.GenuineRefer = float64(referred) / float64(genuine)
	}
	return r
}

func isGenuine(p fixtures.GatePattern) bool {
	switch p {
	case fixtures.PatternGenuine, fixtures.PatternRetry, fixtures.PatternKiosk, fixtures.PatternCloneOriginal:
		return true
	}
	return false
}

// write prints the report for people.
func (r *Result) write(w io.Writer) {
	fmt.Fprintf(w, "gateload: POST %s at %.0f events/s on %d connections for %.0f s\n", r.Target, r.Rate, r.Connections, r.Seconds)
	fmt.Fprintf(w, "  sent %d, ok %d, errors %d, throughput %.0f/s\n", r.Sent, r.OK, r.Errors, r.Throughput)
	if len(r.Status) > 0 || len(r.Failures) > 0 {
		fmt.Fprintf(w, "  failures: status %v, transport %v\n", r.Status, r.Failures)
	}
	line := func(name string, q map[string]float64) {
		fmt.Fprintf(w, "  %-22s p50 %7.3f  p90 %7.3f  p99 %7.3f  p99.9 %7.3f  max %8.3f ms\n", name, q["p50"], q["p90"], q["p99"], q["p99.9"], q["max"])
	}
	line("latency (from schedule)", r.LatencyMS)
	line("server elapsed", r.ServerMS)
	line("send lag", r.LagMS)
	var names []string
	for p := range r.Patterns {
		names = append(names, string(p))
	}
	sort.Strings(names)
	fmt.Fprintf(w, "  %-22s %7s %9s %9s  %s\n", "pattern", "events", "expected", "accepted", "other outcomes")
	for _, n := range names {
		ps := r.Patterns[fixtures.GatePattern(n)]
		fmt.Fprintf(w, "  %-22s %7d %8.1f%% %8.1f%%  %v\n", n, ps.Events, pct(ps.Expected, ps.Events), pct(ps.Accepted, ps.Events), ps.Other)
	}
	fmt.Fprintf(w, "  genuine travellers referred: %.2f%%\n", 100*r.GenuineRefer)
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

func (r *Result) json(w io.Writer) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}
