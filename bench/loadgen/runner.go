package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/bordersec/portcullis/bench/hist"
	"github.com/bordersec/portcullis/bench/internal/wire"
	"github.com/bordersec/portcullis/bench/mix"
)

// outcome is what the server answered about one traveller.
type outcome uint8

// The outcomes counted: the decisions of /v1/screen, board or no board
// for a carrier's manifest, and an answer loadgen could not read.
const (
	outClear outcome = iota
	outRefer
	outDeny
	outBoard
	outNoBoard
	outUnread
	numOutcomes
)

var outcomeNames = [numOutcomes]string{"CLEAR", "REFER", "DENY", "BOARD", "NO_BOARD", "UNREAD"}

// stats is what one worker saw; the workers' stats are merged at the end.
type stats struct {
	latency  hist.Histogram    // from the scheduled (or actual) send to the answer
	server   hist.Histogram    // the server's elapsed_us, in ns
	byKind   [3]hist.Histogram // the same, by kind of traveller (/v1/screen only)
	lag      hist.Histogram    // how late sends left against the schedule
	sent     uint64            // requests sent in the window
	missed   uint64            // sends due in the window given up: later than the timeout
	done     uint64            // answers completed in the window
	ok       uint64            // 200 answers of requests sent in the window
	errors   uint64
	status   map[int]uint64    // non-200 answers by status
	failures map[string]uint64 // transport errors by kind
	outcomes [3][numOutcomes]uint64
}

func newStats() *stats {
	return &stats{status: map[int]uint64{}, failures: map[string]uint64{}}
}

func (s *stats) merge(o *stats) {
	s.latency.Merge(&o.latency)
	s.server.Merge(&o.server)
	for k := range s.byKind {
		s.byKind[k].Merge(&o.byKind[k])
	}
	s.lag.Merge(&o.lag)
	s.sent += o.sent
	s.missed += o.missed
	s.done += o.done
	s.ok += o.ok
	s.errors += o.errors
	for k, v := range o.status {
		s.status[k] += v
	}
	for k, v := range o.failures {
		s.failures[k] += v
	}
	for k := range s.outcomes {
		for j := range s.outcomes[k] {
			s.outcomes[k][j] += o.outcomes[k][j]
		}
	}
}

// runner sends the pool's requests to the server.
type runner struct {
	cfg  *config
	pool *pool
	hc   *fasthttp.HostClient
	// next numbers the requests across runs, so that the pool is sent in
	// one long cycle and a later run never meets its bodies still in the
	// server's cache.
	next atomic.Uint64
	// limit, when not 0, ends a flat-out run after that many requests
	// (benchmarks use it to send b.N).
	limit uint64
}

func newRunner(cfg *config, p *pool) *runner {
	return &runner{cfg: cfg, pool: p, hc: &fasthttp.HostClient{
		Addr:                cfg.addr,
		Name:                "portcullis-loadgen",
		IsTLS:               cfg.target.Scheme == "https",
		MaxConns:            cfg.conns,
		MaxIdleConnDuration: time.Minute,
		ReadTimeout:         cfg.timeout,
		WriteTimeout:        cfg.timeout,
		MaxConnWaitTimeout:  cfg.timeout,
	}}
}

// runAll runs cfg.runs measurements one after the other and returns their
// results.
func runAll(ctx context.Context, cfg *config, p *pool, stderr io.Writer) ([]*Result, error) {
	r := newRunner(cfg, p)
	defer r.hc.CloseIdleConnections()
	var out []*Result
	for i := range cfg.runs {
		fmt.Fprintf(stderr, "loadgen: run %d of %d\n", i+1, cfg.runs)
		res := r.once(ctx)
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		res.Run = i + 1
		out = append(out, res)
		if i+1 < cfg.runs {
			// Let the server settle (its audit writes, the collector)
			// before the next run's warm-up.
			select {
			case <-time.After(time.Second):
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
	}
	return out, nil
}

// once runs one measurement: warm-up, then the measured window.
func (r *runner) once(ctx context.Context) *Result {
	cfg := r.cfg
	loadBefore := loadAverage()
	start := time.Now()
	warmEnd := start.Add(cfg.warmup)
	end := warmEnd.Add(cfg.duration)
	first := r.next.Load()
	var interval float64 // ns between scheduled sends
	if cfg.rate > 0 {
		interval = 1e9 / cfg.rate
	}
	// Past end + timeout a worker stops taking scheduled sends; those left
	// are counted as missed.
	stopBy := end.Add(cfg.timeout)
	all := make([]*stats, cfg.conns)
	var wg sync.WaitGroup
	for w := range cfg.conns {
		st := newStats()
		all[w] = st
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.worker(ctx, st, first, interval, start, warmEnd, end, stopBy)
		}()
	}
	wg.Wait()
	total := newStats()
	for _, st := range all {
		total.merge(st)
	}
	var scheduled uint64
	if cfg.rate > 0 {
		// The sends due in the window: k from ceil(warm-up/interval) to
		// ceil((warm-up+duration)/interval)-1.
		last := uint64(math.Ceil(float64(end.Sub(start)) / interval))
		scheduled = last - uint64(math.Ceil(float64(warmEnd.Sub(start))/interval))
		// Those never taken were missed too, and waited at least the
		// timeout; they count in the latency as such.
		if taken := total.sent + total.missed; scheduled > taken {
			for range scheduled - taken {
				total.latency.RecordDuration(cfg.timeout)
			}
			total.missed += scheduled - taken
		}
		// Leave the counter past every slot of this run.
		r.next.Store(first + last)
	}
	res := newResult(cfg, total)
	res.Scheduled = scheduled
	res.LoadAvgBefore, res.LoadAvgAfter = loadBefore, loadAverage()
	return res
}

// early is how long before its scheduled time a send may leave. Go's
// timers on Linux wake up to about a millisecond late (the poller waits in
// whole milliseconds), so a worker sleeps until early before its time and
// then sends at once: within about a millisecond of the schedule either
// way, without spinning on the cores the server needs. A send that leaves
// early counts its latency from when it left, never from the later
// scheduled time, so the latency is never flattered.
const early = time.Millisecond

func (r *runner) worker(ctx context.Context, st *stats, first uint64, interval float64, start, warmEnd, end, stopBy time.Time) {
	req := fasthttp.AcquireRequest()
	resp := fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.Header.SetMethod(fasthttp.MethodPost)
	req.SetRequestURI(r.cfg.target.Scheme + "://" + r.cfg.addr + r.cfg.path)
	req.Header.SetContentType("application/json")
	req.Header.Set("Authorization", "Bearer "+r.cfg.key)
	bodies := r.pool.bodies
	for ctx.Err() == nil {
		var k uint64
		var from time.Time // the time latency counts from
		var measured bool  // due (or, flat out, sent) in the measured window
		now := time.Now()
		if interval > 0 {
			k = r.next.Add(1) - 1
			sched := start.Add(time.Duration(float64(k-first) * interval))
			if !sched.Before(end) || now.After(stopBy) {
				return
			}
			if late := now.Sub(sched); late > r.cfg.timeout {
				// A client would have given up by now: missed, and as
				// late as it is.
				if !sched.Before(warmEnd) {
					st.missed++
					st.latency.RecordDuration(late)
				}
				continue
			}
			if d := sched.Sub(now); d > early {
				time.Sleep(d - early)
				now = time.Now()
			}
			// Latency counts from the scheduled time, or from the send
			// when it left early.
			from = sched
			if now.Before(sched) {
				from = now
			}
			measured = !sched.Before(warmEnd)
			if measured {
				st.lag.RecordDuration(now.Sub(sched))
			}
		} else {
			if !now.Before(end) {
				return
			}
			k = r.next.Add(1) - 1
			if r.limit > 0 && k >= r.limit {
				return
			}
			from = now
			measured = !now.Before(warmEnd)
		}
		b := &bodies[k%uint64(len(bodies))]
		req.SetBodyRaw(b.json)
		err := r.hc.DoDeadline(req, resp, now.Add(r.cfg.timeout))
		done := time.Now()
		if !done.Before(warmEnd) && !done.After(end) {
			st.done++
		}
		if !measured {
			continue
		}
		st.sent++
		st.latency.RecordDuration(done.Sub(from))
		if err != nil {
			st.errors++
			st.failures[wire.FailureKind(err)]++
			continue
		}
		if code := resp.StatusCode(); code != fasthttp.StatusOK {
			st.errors++
			st.status[code]++
			continue
		}
		st.ok++
		readAnswer(resp.Body(), b.kinds, st)
	}
}

// readAnswer counts the outcomes in a 200 answer without decoding all of
// it: a /v1/screen answer's "decision", or each passenger's "code" (0Z,
// 1Z) in a manifest's answer, in the order of the passengers.
func readAnswer(b []byte, kinds []mix.Kind, st *stats) {
	us, timed := wire.LastInt(b, `"elapsed_us":`)
	if timed {
		st.server.Record(us * 1000)
	}
	if len(kinds) == 1 && bytes.HasPrefix(b, []byte(`{"decision":`)) {
		if timed {
			st.byKind[kinds[0]].Record(us * 1000)
		}
		st.outcomes[kinds[0]][decisionOf(b)]++
		return
	}
	key := []byte(`"code":"`)
	rest := b
	for i, k := range kinds {
		j := bytes.Index(rest, key)
		if j < 0 {
			for _, k := range kinds[i:] {
				st.outcomes[k][outUnread]++
			}
			return
		}
		rest = rest[j+len(key):]
		switch {
		case bytes.HasPrefix(rest, []byte(`0Z"`)):
			st.outcomes[k][outBoard]++
		case bytes.HasPrefix(rest, []byte(`1Z"`)):
			st.outcomes[k][outNoBoard]++
		default:
			st.outcomes[k][outUnread]++
		}
	}
}

func decisionOf(b []byte) outcome {
	key := []byte(`"decision":"`)
	i := bytes.Index(b, key)
	if i < 0 {
		return outUnread
	}
	v := b[i+len(key):]
	switch {
	case bytes.HasPrefix(v, []byte(`CLEAR"`)):
		return outClear
	case bytes.HasPrefix(v, []byte(`REFER"`)):
		return outRefer
	case bytes.HasPrefix(v, []byte(`DENY"`)):
		return outDeny
	}
	return outUnread
}
