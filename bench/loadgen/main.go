// Command loadgen drives a running Portcullis server with a realistic mix of
// travellers and reports throughput, errors, decisions and latency.
//
//	go run ./bench/loadgen -url http://127.0.0.1:8080 -key pck_… -rate 20000 -duration 10s
//	go run ./bench/loadgen -rate 0 -c 64                    # flat out on 64 connections
//	go run ./bench/loadgen -manifest 400 -rate 20            # /v1/manifests of 400 passengers
//	go run ./bench/loadgen -targets synthetic.jsonl -rate 20000
//
// # What it sends
//
// POST /v1/screen with one traveller, or with -manifest N, POST
// /v1/manifests with N passengers. Travellers come from package bench/mix:
// clean travellers, true hits derived from the target entries (the lists
// bundled in fixtures by default, as a server seeds them; or a sample of a
// JSON Lines list given by -targets, such as gensynth's million entries),
// and near misses, in the proportions of -mix. The request bodies are made
// before the run (-pool of them) so that making them costs the run nothing,
// and are sent round-robin; the pool is larger than the server's decision
// cache (100,000 by default) so that, sent in a cycle, no request is
// answered from the cache. Each invocation draws its travellers with a new
// seed (reported; give -seed to repeat one), so that a second invocation
// against the same server does not meet the first one's decisions in the
// cache either.
//
// # How it measures
//
// With -rate R (the default, 20,000/s) it is an open-loop generator: send k
// is scheduled at start + k/R, whatever happened to the sends before it, and
// its latency counts from that scheduled time, so a server that stalls is
// charged for every request that waited behind the stall (no coordinated
// omission). Go's timers wake about a millisecond late on Linux, so a send
// may leave up to a millisecond before its time, and then counts from when
// it left. The -c connections are shared by the schedule; when all are busy
// the sends fall behind it, which shows as latency; a send that could not
// leave within -timeout of its time is given up as missed, counted as an
// error and in the latency as late as it was. With -rate 0 it is
// closed-loop: -c connections send back to back, flat out, and latency
// counts from each send.
//
// Requests scheduled (or, flat out, sent) during -warmup are not counted.
// Throughput is the responses completed in the measured window divided by
// its length. Latencies go into a log-linear histogram (package bench/hist,
// under 0.8% error) and are reported as p50, p95, p99, p99.9 and max, with
// the server's own elapsed_us beside them. Any answer but 200, and any
// transport error, counts as an error, by status; loadgen exits with status
// 1 when there was one. With -runs N the measurement is repeated N times
// against the same server and the medians are reported too.
//
// The API key is -key, else $PORTCULLIS_KEY, else the gate key (carrier for
// manifests, or admin) in $PORTCULLIS_API_KEYS as `portcullis serve` reads
// it ("gate:pck_…,carrier:pck_…").
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

// run parses the flags, builds the pool of requests, runs the measurement
// and writes the report to stdout; progress goes to stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	p, err := buildPool(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	results, err := runAll(ctx, cfg, p, stderr)
	if err != nil {
		return err
	}
	if err := report(stdout, cfg, p, results); err != nil {
		return err
	}
	var failed uint64
	for _, r := range results {
		failed += r.Errors
	}
	if failed > 0 {
		return fmt.Errorf("%d request(s) failed: %w", failed, errFailures)
	}
	return nil
}
