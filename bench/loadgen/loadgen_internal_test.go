package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/valyala/fasthttp"

	"github.com/bordersec/portcullis/bench/mix"
	"github.com/bordersec/portcullis/screening/httpapi"
)

// runJSON runs loadgen with args and -json and returns its report.
func runJSON(t *testing.T, args ...string) (*Report, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), append(args, "-json"), &stdout, &stderr)
	if errors.Is(err, errUsage) {
		t.Fatalf("run(%q): %v\n%s", args, err, stderr.String())
	}
	var rep Report
	if jerr := json.Unmarshal(stdout.Bytes(), &rep); jerr != nil {
		t.Fatalf("run(%q): report %q: %v (run error %v; stderr %s)", args, stdout.String(), jerr, err, stderr.String())
	}
	return &rep, err
}

// checkServerErrors fails the test on a 4xx or a transport error: the
// bodies loadgen makes must be valid, and the server must answer. 5xx
// answers are the server's own failures (the engine's fail-safe answer
// to a crash is 503), logged but not loadgen's fault.
func checkServerErrors(t *testing.T, r *Result) {
	t.Helper()
	var sum uint64
	for k, n := range r.ErrorsBy {
		sum += n
		if strings.HasPrefix(k, "5") || k == "missed" {
			t.Logf("the server answered %s %d times", k, n)
			continue
		}
		t.Errorf("errors %s: %d", k, n)
	}
	if sum != r.Errors {
		t.Errorf("errors by kind add up to %d, want %d", sum, r.Errors)
	}
	if r.OK+r.Errors != r.Requests {
		t.Errorf("ok %d + errors %d != requests %d", r.OK, r.Errors, r.Requests)
	}
}

func TestSmokeFixedRate(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server")
	}
	ts := startServer(t, serverOpts{synthetic: 300})
	rep, err := runJSON(t, "-url", ts.url, "-key", ts.keys[httpapi.RoleGate], "-targets", ts.targets,
		"-rate", "400", "-c", "8", "-duration", "1s", "-warmup", "200ms", "-pool", "3000",
		"-mix", "clean=60,hit=30,near=10")
	if err != nil && !errors.Is(err, errFailures) {
		t.Fatal(err)
	}
	r := rep.Runs[0]
	checkServerErrors(t, r)
	// 400/s for 1 s; the machine is shared, so allow for a slow server.
	if r.Scheduled != 400 || r.Requests != r.Scheduled || r.Requests-r.Missed < 100 || r.ErrorsBy["missed"] != r.Missed {
		t.Errorf("scheduled %d, due %d, missed %d (errors %v); want 400 due, at least 100 sent", r.Scheduled, r.Requests, r.Missed, r.ErrorsBy)
	}
	if r.Latency.Count != r.Requests || r.Latency.P50 <= 0 || r.Latency.P99 < r.Latency.P50 || r.Latency.Max < r.Latency.P999 {
		t.Errorf("latency %+v for %d requests", r.Latency, r.Requests)
	}
	if r.Server.Count == 0 || r.Server.P50 > r.Latency.Max {
		t.Errorf("server time %+v, client latency %+v", r.Server, r.Latency)
	}
	if r.SendLag == nil {
		t.Error("no send lag at a fixed rate")
	}
	var byKind uint64
	for _, l := range r.ServerByKind {
		byKind += l.Count
	}
	if byKind != r.Server.Count {
		t.Errorf("server times by kind count %d, want %d", byKind, r.Server.Count)
	}
	hit, clean := r.Decisions["hit"], r.Decisions["clean"]
	if hit["REFER"]+hit["DENY"] < 2*hit["CLEAR"] || hit["REFER"]+hit["DENY"] == 0 {
		t.Errorf("hits decided %v, want mostly REFER or DENY", hit)
	}
	if clean["CLEAR"] < 2*(clean["REFER"]+clean["DENY"]) || clean["CLEAR"] == 0 {
		t.Errorf("clean travellers decided %v, want mostly CLEAR", clean)
	}
	if rep.Mode != "rate" || rep.TargetCount == 0 || rep.PoolKinds[mix.Hit] == 0 {
		t.Errorf("report header %+v", rep)
	}
}

func TestSmokeFlatOutAndRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server")
	}
	ts := startServer(t, serverOpts{synthetic: 100})
	rep, err := runJSON(t, "-url", ts.url, "-key", ts.keys[httpapi.RoleAdmin], "-targets", ts.targets,
		"-rate", "0", "-c", "2", "-duration", "300ms", "-warmup", "100ms", "-pool", "500", "-runs", "3")
	if err != nil && !errors.Is(err, errFailures) {
		t.Fatal(err)
	}
	if len(rep.Runs) != 3 || rep.Median == nil || rep.Median.Runs != 3 {
		t.Fatalf("%d runs, median %+v; want 3 runs and their median", len(rep.Runs), rep.Median)
	}
	for _, r := range rep.Runs {
		checkServerErrors(t, r)
		if r.Requests == 0 || r.Completed == 0 || r.Throughput <= 0 || r.SendLag != nil || r.Scheduled != 0 {
			t.Errorf("run %d: %+v", r.Run, r)
		}
	}
	lo, hi := rep.Runs[0].Throughput, rep.Runs[0].Throughput
	for _, r := range rep.Runs {
		lo, hi = min(lo, r.Throughput), max(hi, r.Throughput)
	}
	if m := rep.Median.Throughput; m < lo || m > hi {
		t.Errorf("median throughput %v outside the runs' %v to %v", m, lo, hi)
	}
}

func TestSmokeManifests(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server")
	}
	ts := startServer(t, serverOpts{synthetic: 100})
	rep, err := runJSON(t, "-url", ts.url, "-key", ts.keys[httpapi.RoleCarrier], "-targets", ts.targets,
		"-manifest", "20", "-rate", "20", "-c", "2", "-duration", "1s", "-warmup", "100ms", "-mix", "clean=50,hit=50")
	if err != nil && !errors.Is(err, errFailures) {
		t.Fatal(err)
	}
	r := rep.Runs[0]
	checkServerErrors(t, r)
	if r.OK == 0 {
		t.Fatalf("no manifest answered: %+v", r)
	}
	var passengers uint64
	for kind, d := range r.Decisions {
		for o, n := range d {
			if o != "BOARD" && o != "NO_BOARD" {
				t.Errorf("%s: outcome %s in a carrier's answer", kind, o)
			}
			passengers += n
		}
	}
	if want := r.OK * 20; passengers != want {
		t.Errorf("%d passengers counted, want %d", passengers, want)
	}
	if r.Decisions["hit"]["NO_BOARD"] == 0 {
		t.Errorf("no hit was refused boarding: %v", r.Decisions)
	}
	if r.Travellers != 20*r.Throughput {
		t.Errorf("travellers/s %v, want 20 × %v", r.Travellers, r.Throughput)
	}
}

func TestErrorsCounted(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server")
	}
	ts := startServer(t, serverOpts{synthetic: 50})
	tests := []struct {
		name, key, want string
	}{
		{"wrong key", "pck_00000000_" + strings.Repeat("x", 43), "401"},
		{"wrong role", ts.keys[httpapi.RoleOperator], "403"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := runJSON(t, "-url", ts.url, "-key", tt.key, "-targets", ts.targets, "-rate", "100",
				"-c", "2", "-duration", "300ms", "-warmup", "0s", "-pool", "100")
			if !errors.Is(err, errFailures) {
				t.Errorf("run error %v, want errFailures", err)
			}
			r := rep.Runs[0]
			if r.Errors == 0 || r.ErrorsBy[tt.want] != r.Errors || r.OK != 0 {
				t.Errorf("errors %d by %v, ok %d; want all %s", r.Errors, r.ErrorsBy, r.OK, tt.want)
			}
		})
	}
	t.Run("no server", func(t *testing.T) {
		rep, err := runJSON(t, "-url", "http://127.0.0.1:1", "-key", "k", "-mix", "clean=1", "-rate", "50",
			"-c", "1", "-duration", "200ms", "-warmup", "0s", "-pool", "10")
		if !errors.Is(err, errFailures) {
			t.Errorf("run error %v, want errFailures", err)
		}
		if r := rep.Runs[0]; r.Errors == 0 || r.ErrorsBy["connection refused"] != r.Errors {
			t.Errorf("errors %d by %v, want all connection refused", r.Errors, r.ErrorsBy)
		}
	})
}

func TestTextReport(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server")
	}
	ts := startServer(t, serverOpts{synthetic: 50})
	var stdout bytes.Buffer
	out := filepath.Join(t.TempDir(), "report.json")
	err := run(context.Background(), []string{"-url", ts.url, "-key", ts.keys[httpapi.RoleGate], "-targets", ts.targets,
		"-rate", "100", "-c", "2", "-duration", "300ms", "-warmup", "0s", "-pool", "100", "-runs", "2", "-out", out}, &stdout, io.Discard)
	if err != nil && !errors.Is(err, errFailures) {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var rep Report
	if err := json.Unmarshal(b, &rep); err != nil || len(rep.Runs) != 2 || rep.Median == nil {
		t.Errorf("-out file: %d runs, median %v, %v", len(rep.Runs), rep.Median, err)
	}
	for _, want := range []string{"fixed rate 100/s", "run 1", "run 2", "throughput", "p99.9", "server time", "send lag", "clean", "median of 2 runs"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, stdout.String())
		}
	}
}

func TestParseFlags(t *testing.T) {
	t.Setenv("PORTCULLIS_KEY", "")
	t.Setenv("PORTCULLIS_API_KEYS", "")
	bad := [][]string{
		{"-key", "k", "-rate", "-1"}, {"-key", "k", "-c", "0"}, {"-key", "k", "-duration", "0s"},
		{"-key", "k", "-warmup", "-1s"}, {"-key", "k", "-runs", "0"}, {"-key", "k", "-manifest", "1001"},
		{"-key", "k", "-mix", "clean=1,bogus=2"}, {"-key", "k", "-url", "ftp://x"}, {"-key", "k", "-url", "http://"},
		{"-key", "k", "extra"}, {"-nope"}, {}, {"-key", "k", "-sample", "0"}, {"-key", "k", "-pool", "-1"},
		{"-key", "k", "-timeout", "0s"},
	}
	for _, args := range bad {
		if _, err := parseFlags(args, io.Discard); !errors.Is(err, errUsage) {
			t.Errorf("parseFlags(%q) = %v, want a usage error", args, err)
		}
	}
	if _, err := parseFlags([]string{"-h"}, io.Discard); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("parseFlags(-h) = %v, want flag.ErrHelp", err)
	}
	tests := []struct {
		args           []string
		addr, path     string
		pool, manifest int
	}{
		{[]string{"-key", "k"}, "127.0.0.1:8080", "/v1/screen", 200_000, 0},
		{[]string{"-key", "k", "-url", "http://example.org/api/", "-manifest", "400"}, "example.org:80", "/api/v1/manifests", 500, 400},
		{[]string{"-key", "k", "-url", "https://example.org", "-pool", "7"}, "example.org:443", "/v1/screen", 7, 0},
	}
	for _, tt := range tests {
		cfg, err := parseFlags(tt.args, io.Discard)
		if err != nil {
			t.Errorf("parseFlags(%q): %v", tt.args, err)
			continue
		}
		if cfg.addr != tt.addr || cfg.path != tt.path || cfg.pool != tt.pool || cfg.manifest != tt.manifest {
			t.Errorf("parseFlags(%q) = addr %s path %s pool %d manifest %d, want %s %s %d %d",
				tt.args, cfg.addr, cfg.path, cfg.pool, cfg.manifest, tt.addr, tt.path, tt.pool, tt.manifest)
		}
	}
}

func TestKeyFromEnv(t *testing.T) {
	list := "operator:o, gate:g ,admin:a,carrier:c"
	tests := []struct {
		key, list string
		manifests bool
		want      string
	}{
		{"k", list, false, "k"},
		{"", list, false, "g"},
		{"", list, true, "c"},
		{"", "operator:o,admin:a", false, "a"},
		{"", "operator:o,junk", true, ""},
		{"", "", false, ""},
	}
	for _, tt := range tests {
		if got := keyFromEnv(tt.key, tt.list, tt.manifests); got != tt.want {
			t.Errorf("keyFromEnv(%q, %q, %v) = %q, want %q", tt.key, tt.list, tt.manifests, got, tt.want)
		}
	}
}

func TestReadAnswer(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		kinds  []mix.Kind
		want   map[mix.Kind]outcome
		server int64 // ns
	}{
		{"clear", `{"decision":"CLEAR","hits":[],"decision_id":"x","elapsed_us":412}`, []mix.Kind{mix.Clean},
			map[mix.Kind]outcome{mix.Clean: outClear}, 412_000},
		{"refer with hits", `{"decision":"REFER","hits":[{"explanation":{"decision":"CLEAR"}}],"elapsed_us":9}`, []mix.Kind{mix.Hit},
			map[mix.Kind]outcome{mix.Hit: outRefer}, 9_000},
		{"deny", `{"decision":"DENY","elapsed_us":1}`, []mix.Kind{mix.Near}, map[mix.Kind]outcome{mix.Near: outDeny}, 1000},
		{"unknown decision", `{"decision":"MAYBE"}`, []mix.Kind{mix.Near}, map[mix.Kind]outcome{mix.Near: outUnread}, -1},
		{"manifest", `{"carrier":"LG","passengers":[{"reference":"P1","board":true,"code":"0Z"},{"reference":"P2","board":false,"code":"1Z"}],"elapsed_us":7}`,
			[]mix.Kind{mix.Clean, mix.Hit}, map[mix.Kind]outcome{mix.Clean: outBoard, mix.Hit: outNoBoard}, 7000},
		{"manifest cut short", `{"passengers":[{"code":"0Z"}]}`, []mix.Kind{mix.Clean, mix.Hit},
			map[mix.Kind]outcome{mix.Clean: outBoard, mix.Hit: outUnread}, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newStats()
			readAnswer([]byte(tt.body), tt.kinds, st)
			for k, o := range tt.want {
				if st.outcomes[k][o] != 1 {
					t.Errorf("%s: outcomes %v, want one %s", k, st.outcomes[k], outcomeNames[o])
				}
			}
			switch {
			case tt.server < 0 && st.server.Count() != 0:
				t.Errorf("server time recorded from %s", tt.body)
			case tt.server >= 0 && st.server.Max() != tt.server:
				t.Errorf("server time %d ns, want %d", st.server.Max(), tt.server)
			}
			if len(tt.kinds) == 1 && tt.server >= 0 && st.byKind[tt.kinds[0]].Max() != tt.server {
				t.Errorf("server time of %s: %d ns, want %d", tt.kinds[0], st.byKind[tt.kinds[0]].Max(), tt.server)
			}
		})
	}
}

func TestMedian(t *testing.T) {
	rs := func(xs ...float64) []*Result {
		var out []*Result
		for _, x := range xs {
			out = append(out, &Result{Throughput: x, Latency: Latency{P99: x / 10}})
		}
		return out
	}
	tests := []struct {
		in   []*Result
		want float64
	}{{rs(3), 3}, {rs(5, 1, 3), 3}, {rs(4, 1, 3, 2), 2.5}}
	for _, tt := range tests {
		s := summarize(tt.in)
		if s.Throughput != tt.want || s.Latency.P99 != tt.want/10 {
			t.Errorf("summarize: throughput %v p99 %v, want %v and %v", s.Throughput, s.Latency.P99, tt.want, tt.want/10)
		}
	}
}

// fakeServer answers every request at once with a fixed screening answer,
// so that the generator's own accounting can be checked exactly.
func fakeServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &fasthttp.Server{Handler: func(ctx *fasthttp.RequestCtx) {
		ctx.SetContentType("application/json")
		ctx.SetBodyString(`{"decision":"CLEAR","hits":[],"decision_id":"x","elapsed_us":3}`)
	}}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Shutdown() })
	return "http://" + ln.Addr().String()
}

// TestScheduleAccounting checks that at a rate a server keeps up with,
// every send due in the window is sent and counted once: none missed, none
// lost at the edges of the warm-up and of the window.
func TestScheduleAccounting(t *testing.T) {
	u := fakeServer(t)
	tests := []struct {
		rate, duration, warmup, runs string
		want                         uint64
	}{
		{"1000", "500ms", "200ms", "2", 500},
		{"333", "300ms", "150ms", "1", 100},
		{"2000", "250ms", "0s", "1", 500},
	}
	for _, tt := range tests {
		rep, err := runJSON(t, "-url", u, "-key", "k", "-mix", "clean=1", "-rate", tt.rate, "-c", "4",
			"-duration", tt.duration, "-warmup", tt.warmup, "-pool", "50", "-runs", tt.runs)
		if err != nil {
			t.Fatalf("rate %s: %v", tt.rate, err)
		}
		for _, r := range rep.Runs {
			if r.Scheduled != tt.want || r.Requests != tt.want || r.OK != tt.want || r.Missed != 0 || r.Latency.Count != tt.want {
				t.Errorf("rate %s run %d: due %d, requests %d, ok %d, missed %d, latencies %d; want %d, none missed",
					tt.rate, r.Run, r.Scheduled, r.Requests, r.OK, r.Missed, r.Latency.Count, tt.want)
			}
			if got := r.Decisions["clean"]["CLEAR"]; got != tt.want {
				t.Errorf("rate %s run %d: %d CLEAR, want %d", tt.rate, r.Run, got, tt.want)
			}
			if r.Server.Max != 0.003 {
				t.Errorf("server time max %v ms, want 0.003", r.Server.Max)
			}
		}
	}
}
