package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net/url"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/bordersec/portcullis/bench/mix"
	"github.com/bordersec/portcullis/internal/cputime"
	"github.com/bordersec/portcullis/screening/httpapi"
	"github.com/bordersec/portcullis/screening/paxlst"
)

// benchSynthetic adds a case to BenchmarkServer: the bundled lists plus
// that many synthetic persons (-synthetic 200000; a million takes minutes
// to import and load).
var benchSynthetic = flag.Int("synthetic", 0, "BenchmarkServer: also measure with this many synthetic entries")

// BenchmarkServer sends b.N requests flat out to a server in the same
// process, the target setting of issue 4 (server and load generator
// sharing the machine): single screenings over 64 connections and
// 400-passenger manifests over 4, against the bundled lists; and single
// screenings against an empty store, which costs the matcher next to
// nothing and so shows what HTTP, JSON and the durable audit record cost
// alone. Run with -cpuprofile to see where the server spends its time:
//
//	go test -run '^$' -bench Server/bundled/screen -benchtime 40000x -cpuprofile cpu.out ./bench/loadgen
func BenchmarkServer(b *testing.B) {
	type listsCase struct {
		name string
		opts serverOpts
	}
	cases := []listsCase{{"bundled", serverOpts{bundled: true}}, {"empty", serverOpts{}}}
	if *benchSynthetic > 0 {
		cases = append(cases, listsCase{fmt.Sprintf("synthetic%d", *benchSynthetic), serverOpts{bundled: true, synthetic: *benchSynthetic}})
	}
	for _, lists := range cases {
		b.Run(lists.name, func(b *testing.B) {
			ts := startServer(b, lists.opts)
			for _, bc := range []struct {
				name     string
				manifest int
				role     httpapi.Role
			}{{"screen", 0, httpapi.RoleGate}, {"manifest400", 400, httpapi.RoleCarrier}} {
				if lists.name != "bundled" && bc.manifest > 0 {
					continue
				}
				b.Run(bc.name, func(b *testing.B) { benchLoad(b, ts, bc.manifest, bc.role) })
			}
		})
	}
}

// benchSeeds gives each load its own travellers: a load that met the
// travellers of an earlier one (-count, or the probe run before the
// measured one) would be answered from the server's decision cache.
var benchSeeds atomic.Uint64

func benchLoad(b *testing.B, ts *testServer, manifest int, role httpapi.Role) {
	u, _ := url.Parse(ts.url)
	cfg := &config{target: u, addr: u.Host, path: "/v1/screen", key: ts.keys[role], conns: 64,
		duration: time.Hour, timeout: 10 * time.Second, runs: 1, weights: mix.DefaultWeights, seed: benchSeeds.Add(1),
		targets: "bundled", pool: 200_000, manifest: manifest}
	if ts.targets != "" {
		cfg.targets, cfg.sample, cfg.list = ts.targets, 20_000, "synthetic"
	}
	if manifest > 0 {
		cfg.path, cfg.conns, cfg.pool = "/v1/manifests", 4, 100
	}
	p, err := buildPool(context.Background(), cfg, io.Discard)
	if err != nil {
		b.Fatal(err)
	}
	r := newRunner(cfg, p)
	r.limit = uint64(b.N)
	defer r.hc.CloseIdleConnections()
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cputime.Process()
	res := r.once(context.Background())
	cpu := cputime.Process() - cpu0
	b.StopTimer()
	if res.Errors > 0 {
		// A rate of failed requests is no throughput.
		b.Fatalf("%d errors: %v", res.Errors, res.ErrorsBy)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
	// Server and load generator together: what a request costs the cores.
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/req")
	b.ReportMetric(res.Latency.P50*1e6, "p50-ns")
	b.ReportMetric(res.Latency.P99*1e6, "p99-ns")
	b.ReportMetric(res.Server.P50*1e6, "server-p50-ns")
}

// BenchmarkPAXLST posts 400-passenger PAXLST messages, one at a time, to a
// server in the same process with the bundled lists, and reports the p50
// and p99 time from sending the message to reading its CUSRES answer:
// EDIFACT decoding, screening every passenger, the durable decision
// records and the answer. Each message has other passengers, so that none
// is answered from the decision cache.
//
//	go test -run '^$' -bench PAXLST -benchtime 200x -count 5 ./bench/loadgen
func BenchmarkPAXLST(b *testing.B) {
	ts := startServer(b, serverOpts{bundled: true})
	const pool = 64
	msgs := make([][]byte, pool)
	for i := range msgs {
		m, err := paxlst.Generate(uint64(1000+i), 400, &paxlst.GenerateOptions{BadEvery: 50, Date: time.Now().UTC()})
		if err != nil {
			b.Fatal(err)
		}
		msgs[i] = m
	}
	hc := &fasthttp.Client{ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second}
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	lat := make([]time.Duration, 0, b.N)
	i := 0
	b.ResetTimer()
	for b.Loop() {
		req.Reset()
		req.Header.SetMethod("POST")
		req.SetRequestURI(ts.url + "/v1/carriers/paxlst")
		req.Header.Set("Authorization", "Bearer "+ts.keys[httpapi.RoleCarrier])
		req.SetBody(msgs[i%pool])
		i++
		start := time.Now()
		if err := hc.Do(req, resp); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
		if resp.StatusCode() != fasthttp.StatusOK || !bytes.Contains(resp.Body(), []byte("CUSRES")) {
			b.Fatalf("status %d: %.300s", resp.StatusCode(), resp.Body())
		}
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[min(len(lat)-1, len(lat)*99/100)].Microseconds())/1000, "p99-ms")
}
