package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/bordersec/portcullis/bench/hist"
	"github.com/bordersec/portcullis/bench/mix"
)

// Latency is a latency distribution in milliseconds.
type Latency struct {
	Count uint64  `json:"count"`
	P50   float64 `json:"p50"`
	P95   float64 `json:"p95"`
	P99   float64 `json:"p99"`
	P999  float64 `json:"p99_9"`
	Max   float64 `json:"max"`
	Mean  float64 `json:"mean"`
}

func latencyOf(h *hist.Histogram) Latency {
	ms := func(ns int64) float64 { return float64(ns) / 1e6 }
	return Latency{Count: h.Count(), P50: ms(h.Quantile(0.50)), P95: ms(h.Quantile(0.95)), P99: ms(h.Quantile(0.99)),
		P999: ms(h.Quantile(0.999)), Max: ms(h.Max()), Mean: h.Mean() / 1e6}
}

// Result is the outcome of one run.
type Result struct {
	Run int `json:"run"`
	// Requests were sent in the measured window, or at a fixed rate were
	// due in it; OK of them were answered 200, Errors not (the missed
	// included).
	Requests uint64 `json:"requests"`
	OK       uint64 `json:"ok"`
	Errors   uint64 `json:"errors"`
	// ErrorsBy counts errors by HTTP status ("401") or transport failure
	// ("timeout", "connection refused").
	ErrorsBy map[string]uint64 `json:"errors_by,omitempty"`
	// Completed answers arrived in the window; Throughput is Completed per
	// second of the window.
	Completed  uint64  `json:"completed"`
	Throughput float64 `json:"throughput_per_s"`
	// Travellers screened per second: Throughput times the passengers of
	// a manifest.
	Travellers float64 `json:"travellers_per_s"`
	// At a fixed rate: sends due in the window, and those missed: given
	// up because they could not leave within the timeout of their time
	// (all connections busy). A missed send counts in the latency with
	// how late it was (at least the timeout) and as an error.
	Scheduled uint64 `json:"scheduled,omitempty"`
	Missed    uint64 `json:"missed,omitempty"`
	// Decisions counts the outcomes by kind of traveller: clean, hit,
	// near; outcome CLEAR, REFER, DENY (or BOARD, NO_BOARD for manifests).
	Decisions map[string]map[string]uint64 `json:"decisions"`
	Latency   Latency                      `json:"latency_ms"`
	Server    Latency                      `json:"server_elapsed_ms"`
	// ServerByKind is the server's time by kind of traveller, for
	// /v1/screen: what clean travellers, hits and near misses cost.
	ServerByKind map[string]Latency `json:"server_elapsed_by_kind_ms,omitempty"`
	// SendLag is how late sends left against their schedule (fixed rate):
	// large values mean the generator, not only the server, fell behind.
	SendLag       *Latency `json:"send_lag_ms,omitempty"`
	LoadAvgBefore string   `json:"loadavg_before,omitempty"`
	LoadAvgAfter  string   `json:"loadavg_after,omitempty"`
}

func newResult(cfg *config, st *stats) *Result {
	secs := cfg.duration.Seconds()
	r := &Result{Requests: st.sent + st.missed, OK: st.ok, Errors: st.errors + st.missed, Missed: st.missed, Completed: st.done,
		Throughput: float64(st.done) / secs,
		Latency:    latencyOf(&st.latency), Server: latencyOf(&st.server),
		Decisions: map[string]map[string]uint64{}}
	r.Travellers = r.Throughput * float64(max(1, cfg.manifest))
	if len(st.status)+len(st.failures) > 0 || st.missed > 0 {
		r.ErrorsBy = map[string]uint64{}
		if st.missed > 0 {
			r.ErrorsBy["missed"] = st.missed
		}
		for code, n := range st.status {
			r.ErrorsBy[strconv.Itoa(code)] += n
		}
		for kind, n := range st.failures {
			r.ErrorsBy[kind] += n
		}
	}
	for _, k := range mix.Kinds {
		for o, n := range st.outcomes[k] {
			if n == 0 {
				continue
			}
			if r.Decisions[k.String()] == nil {
				r.Decisions[k.String()] = map[string]uint64{}
			}
			r.Decisions[k.String()][outcomeNames[o]] = n
		}
	}
	for _, k := range mix.Kinds {
		if st.byKind[k].Count() > 0 {
			if r.ServerByKind == nil {
				r.ServerByKind = map[string]Latency{}
			}
			r.ServerByKind[k.String()] = latencyOf(&st.byKind[k])
		}
	}
	if cfg.rate > 0 {
		l := latencyOf(&st.lag)
		r.SendLag = &l
	}
	return r
}

// Summary is the medians of the runs.
type Summary struct {
	Runs       int     `json:"runs"`
	Throughput float64 `json:"throughput_per_s"`
	Travellers float64 `json:"travellers_per_s"`
	Errors     float64 `json:"errors"`
	Latency    Latency `json:"latency_ms"`
	Server     Latency `json:"server_elapsed_ms"`
}

func median(rs []*Result, f func(*Result) float64) float64 {
	xs := make([]float64, len(rs))
	for i, r := range rs {
		xs[i] = f(r)
	}
	slices.Sort(xs)
	if len(xs)%2 == 1 {
		return xs[len(xs)/2]
	}
	return (xs[len(xs)/2-1] + xs[len(xs)/2]) / 2
}

func medianLatency(rs []*Result, f func(*Result) Latency) Latency {
	return Latency{
		Count: uint64(median(rs, func(r *Result) float64 { return float64(f(r).Count) })),
		P50:   median(rs, func(r *Result) float64 { return f(r).P50 }),
		P95:   median(rs, func(r *Result) float64 { return f(r).P95 }),
		P99:   median(rs, func(r *Result) float64 { return f(r).P99 }),
		P999:  median(rs, func(r *Result) float64 { return f(r).P999 }),
		Max:   median(rs, func(r *Result) float64 { return f(r).Max }),
		Mean:  median(rs, func(r *Result) float64 { return f(r).Mean }),
	}
}

func summarize(rs []*Result) Summary {
	return Summary{Runs: len(rs),
		Throughput: median(rs, func(r *Result) float64 { return r.Throughput }),
		Travellers: median(rs, func(r *Result) float64 { return r.Travellers }),
		Errors:     median(rs, func(r *Result) float64 { return float64(r.Errors) }),
		Latency:    medianLatency(rs, func(r *Result) Latency { return r.Latency }),
		Server:     medianLatency(rs, func(r *Result) Latency { return r.Server }),
	}
}

// Report is the JSON report.
type Report struct {
	URL         string    `json:"url"`
	Mode        string    `json:"mode"`
	Rate        float64   `json:"rate_per_s,omitempty"`
	Connections int       `json:"connections"`
	DurationS   float64   `json:"duration_s"`
	WarmupS     float64   `json:"warmup_s"`
	Manifest    int       `json:"manifest_passengers,omitempty"`
	Mix         string    `json:"mix"`
	Targets     string    `json:"targets"`
	TargetCount int       `json:"target_persons"`
	Pool        int       `json:"pool"`
	PoolKinds   [3]int    `json:"pool_kinds"`
	Seed        uint64    `json:"seed"`
	Runs        []*Result `json:"runs"`
	Median      *Summary  `json:"median,omitempty"`
}

func report(w io.Writer, cfg *config, p *pool, rs []*Result) error {
	mode := "rate"
	if cfg.rate == 0 {
		mode = "flat"
	}
	rep := Report{URL: cfg.target.Scheme + "://" + cfg.addr + cfg.path, Mode: mode, Rate: cfg.rate,
		Connections: cfg.conns, DurationS: cfg.duration.Seconds(), WarmupS: cfg.warmup.Seconds(),
		Manifest: cfg.manifest, Mix: cfg.weights.String(), Targets: cfg.targets, TargetCount: p.targets,
		Pool: len(p.bodies), PoolKinds: p.kinds, Seed: cfg.seed, Runs: rs}
	if len(rs) > 1 {
		s := summarize(rs)
		rep.Median = &s
	}
	if cfg.out != "" {
		b, err := json.MarshalIndent(rep, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(cfg.out, append(b, '\n'), 0o644); err != nil {
			return fmt.Errorf("-out: %w", err)
		}
	}
	if cfg.json {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return writeText(w, cfg, &rep)
}

func writeText(w io.Writer, cfg *config, rep *Report) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "loadgen: %s\n", cfg)
	fmt.Fprintf(tw, "travellers: mix %s, targets %s (%d persons), pool %d request bodies, seed %d\n",
		rep.Mix, rep.Targets, rep.TargetCount, rep.Pool, rep.Seed)
	lat := func(l Latency) string {
		return fmt.Sprintf("p50 %.3f  p95 %.3f  p99 %.3f  p99.9 %.3f  max %.3f  mean %.3f ms",
			l.P50, l.P95, l.P99, l.P999, l.Max, l.Mean)
	}
	for _, r := range rep.Runs {
		fmt.Fprintf(tw, "\nrun %d\tload average %s -> %s\n", r.Run, r.LoadAvgBefore, r.LoadAvgAfter)
		sent := fmt.Sprintf("%d sent, %d ok, %d errors", r.Requests, r.OK, r.Errors)
		if cfg.rate > 0 {
			sent = fmt.Sprintf("%d due, %d sent, %d missed; %d ok, %d errors", r.Requests, r.Requests-r.Missed, r.Missed, r.OK, r.Errors)
		}
		fmt.Fprintf(tw, "  requests\t%s\n", sent)
		thr := fmt.Sprintf("%.0f/s", r.Throughput)
		if cfg.manifest > 0 {
			thr += fmt.Sprintf(" manifests, %.0f travellers/s", r.Travellers)
		}
		fmt.Fprintf(tw, "  throughput\t%s\n", thr)
		if len(r.ErrorsBy) > 0 {
			fmt.Fprintf(tw, "  errors\t%s\n", countsText(r.ErrorsBy))
		}
		fmt.Fprintf(tw, "  latency\t%s\n", lat(r.Latency))
		fmt.Fprintf(tw, "  server time\t%s\n", lat(r.Server))
		if r.SendLag != nil {
			fmt.Fprintf(tw, "  send lag\tp50 %.3f  p99 %.3f  max %.3f ms\n", r.SendLag.P50, r.SendLag.P99, r.SendLag.Max)
		}
		for _, k := range mix.Kinds {
			d := r.Decisions[k.String()]
			if len(d) == 0 {
				continue
			}
			line := countsText(d)
			if l, ok := r.ServerByKind[k.String()]; ok {
				line += fmt.Sprintf("; server p50 %.3f p99 %.3f ms", l.P50, l.P99)
			}
			fmt.Fprintf(tw, "  %s\t%s\n", k, line)
		}
	}
	if m := rep.Median; m != nil {
		fmt.Fprintf(tw, "\nmedian of %d runs\n", m.Runs)
		thr := fmt.Sprintf("%.0f/s", m.Throughput)
		if cfg.manifest > 0 {
			thr += fmt.Sprintf(" manifests, %.0f travellers/s", m.Travellers)
		}
		fmt.Fprintf(tw, "  throughput\t%s\n", thr)
		fmt.Fprintf(tw, "  errors\t%.0f\n", m.Errors)
		fmt.Fprintf(tw, "  latency\t%s\n", lat(m.Latency))
		fmt.Fprintf(tw, "  server time\t%s\n", lat(m.Server))
	}
	return tw.Flush()
}

// countsText writes counts as "A 3, B 2", largest first.
func countsText(m map[string]uint64) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return m[keys[i]] > m[keys[j]] || (m[keys[i]] == m[keys[j]] && keys[i] < keys[j])
	})
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %d", k, m[k])
	}
	return b.String()
}

// loadAverage returns the 1, 5 and 15 minute load averages of the machine
// (Linux), or "" when they cannot be read.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}
