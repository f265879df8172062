// Command gateload drives a Portcullis server's gate endpoint with a
// realistic stream of e-gate and kiosk events and reports throughput,
// latency, and what the server decided of each pattern: genuine travellers,
// imposters, presentation attacks, morphs, clones, probes, altered and
// forged documents, expired, stolen and watchlisted.
//
//	go run ./bench/gateload -print-config > gates.json
//	portcullis serve --gate-config gates.json            # in another shell
//	go run ./bench/gateload -key pck_… -rate 5000 -duration 30s
//
// # What it sends
//
// POST /v1/gate-events with the events of fixtures' gate stream
// (Generator.GateEvents) over fixtures.DefaultGatePorts: twelve airports,
// 396 e-gates and 68 kiosks, which -print-config writes as the server's
// gate configuration. The stream is made before the run, with each event's
// time the time it is sent: the server's clock-skew and age checks pass,
// and a clone's second use or a probe's third attempt reaches the server
// the few seconds (-max-gap) after the first that the stream says.
//
// Stolen documents and watchlisted travellers are only caught when the
// server has them: with -operator-key the watchlist entries are put in a
// list named gateload before the run, and -stolen-out writes the stolen
// documents as JSON Lines for the document list. Without them those two
// patterns show as accepted.
//
// # How it measures
//
// Open loop: event k is sent at its time whatever happened before, and its
// latency counts from that time, so a server that stalls is charged for
// every event that waited behind the stall. Events scheduled during
// -warmup are sent but not counted. Latencies go into bench/hist's
// log-linear histogram (under 0.8% error).
//
// The gate key is -key, else $PORTCULLIS_KEY, else the gate (or admin) key
// in $PORTCULLIS_API_KEYS ("gate:pck_…,operator:pck_…").
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/bordersec/portcullis/fixtures"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := runMain(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case errors.Is(err, flag.ErrHelp):
		os.Exit(0)
	case errors.Is(err, errUsage):
		fmt.Fprintln(os.Stderr, "gateload:", err)
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "gateload:", err)
		os.Exit(1)
	}
}

// errUsage marks a mistake in the flags.
var errUsage = errors.New("usage")

// options are the parsed flags.
type options struct {
	load
	operatorKey string
	stolenOut   string
	printConfig bool
	asJSON      bool
	lead        time.Duration
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	fs := flag.NewFlagSet("gateload", flag.ContinueOnError)
	fs.SetOutput(stderr)
	rawURL := fs.String("url", "http://127.0.0.1:8080", "the server's base `URL`")
	key := fs.String("key", "", "the gate role's API `key`")
	operatorKey := fs.String("operator-key", "", "an operator `key`: put the stream's watchlist entries in a list before the run")
	stolenOut := fs.String("stolen-out", "", "write the stream's stolen documents as JSON Lines to `file` and exit")
	rate := fs.Float64("rate", 5000, "events per second")
	conns := fs.Int("c", 32, "connections (and events in flight)")
	duration := fs.Duration("duration", 30*time.Second, "how long to measure, after the warm-up")
	warmup := fs.Duration("warmup", 5*time.Second, "how long to send before measuring")
	timeout := fs.Duration("timeout", 2*time.Second, "per-request timeout")
	maxGap := fs.Duration("max-gap", 10*time.Second, "the longest time between the events of a clone or a probe")
	seed := fs.Uint64("seed", 1, "seed of the stream")
	printConfig := fs.Bool("print-config", false, "print the gate configuration of the stream's ports and exit")
	asJSON := fs.Bool("json", false, "write the report as JSON")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: gateload [flags]\n\nDrives a Portcullis server's POST /v1/gate-events with a generated stream of gate events.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, fmt.Errorf("%v: %w", err, errUsage)
	}
	if fs.NArg() != 0 {
		return nil, fmt.Errorf("unexpected argument %q: %w", fs.Arg(0), errUsage)
	}
	bad := func(format string, a ...any) error { return fmt.Errorf(format+": %w", append(a, errUsage)...) }
	switch {
	case !(*rate > 0 && *rate <= 200_000):
		return nil, bad("-rate %v: want more than 0, at most 200000", *rate)
	case *conns < 1 || *conns > 10_000:
		return nil, bad("-c %d: want 1 to 10000", *conns)
	case *duration <= 0 || *warmup < 0 || *timeout <= 0:
		return nil, bad("-duration and -timeout must be above 0, -warmup at least 0")
	case *maxGap < 3*time.Second:
		return nil, bad("-max-gap %v: want at least 3s", *maxGap)
	}
	o := &options{operatorKey: *operatorKey, stolenOut: *stolenOut, printConfig: *printConfig, asJSON: *asJSON,
		load: load{rate: *rate, conns: *conns, duration: *duration, warmup: *warmup, timeout: *timeout,
			seed: *seed, mix: fixtures.DefaultGateMix, maxGap: *maxGap}}
	u, err := url.Parse(*rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, bad("-url %q: want http://host:port", *rawURL)
	}
	o.addr, o.tls = u.Host, u.Scheme == "https"
	if u.Port() == "" {
		port := "80"
		if o.tls {
			port = "443"
		}
		o.addr = net.JoinHostPort(u.Hostname(), port)
	}
	o.path = strings.TrimSuffix(u.Path, "/") + "/v1/gate-events"
	o.key = keyFromEnv(*key, os.Getenv("PORTCULLIS_KEY"), os.Getenv("PORTCULLIS_API_KEYS"))
	if o.key == "" && !o.printConfig && o.stolenOut == "" {
		return nil, bad("no API key: give -key, $PORTCULLIS_KEY, or a gate key in $PORTCULLIS_API_KEYS")
	}
	return o, nil
}

// keyFromEnv picks the gate key: flag, else $PORTCULLIS_KEY, else the gate
// or admin key of a "role:key,…" list.
func keyFromEnv(flagKey, key, list string) string {
	if flagKey != "" {
		return flagKey
	}
	if key != "" {
		return key
	}
	admin := ""
	for item := range strings.SplitSeq(list, ",") {
		role, k, ok := strings.Cut(strings.TrimSpace(item), ":")
		switch {
		case !ok:
		case role == "gate":
			return k
		case role == "admin":
			admin = k
		}
	}
	return admin
}

func runMain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	if o.printConfig {
		_, err := stdout.Write(append(fixtures.GateConfig(fixtures.DefaultGatePorts()), '\n'))
		return err
	}
	// Estimate how long making the stream takes, to start it then.
	lead := 2*time.Second + time.Duration(float64(o.rate)*(o.warmup+o.duration).Seconds()*20)*time.Microsecond
	p, err := preparePool(&o.load, lead)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "gateload: %d events prepared in %.1f s\n", len(p.events), p.took.Seconds())
	if o.stolenOut != "" {
		return writeStolen(o.stolenOut, p)
	}
	if o.operatorKey != "" {
		n, err := putWatchlist(ctx, &o.load, o.operatorKey, p)
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "gateload: %d watchlist entries put in list gateload\n", n)
	}
	if late := time.Since(p.start); late > 0 {
		// Preparing took longer than the lead: start over later, so that no
		// event's time is in the past when it is sent.
		o.lead = lead + 2*late
		if p, err = preparePool(&o.load, o.lead); err != nil {
			return err
		}
	}
	fmt.Fprintf(stderr, "gateload: sending %.0f events/s to %s for %v after %v of warm-up\n", o.rate, o.addr, o.duration, o.warmup)
	res := run(ctx, &o.load, p)
	if err := ctx.Err(); err != nil {
		return err
	}
	if o.asJSON {
		return res.json(stdout)
	}
	res.write(stdout)
	return nil
}

// writeStolen writes the stream's stolen documents as JSON Lines.
func writeStolen(path string, p *pool) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	for _, ev := range p.events {
		if ev.Pattern != fixtures.PatternStolen {
			continue
		}
		d := ev.Holder.Document
		if err := enc.Encode(map[string]string{"type": d.Type, "number": d.Number, "country": d.Country, "status": "stolen"}); err != nil {
			return err
		}
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// putWatchlist puts the stream's watchlist entries in the list gateload.
func putWatchlist(ctx context.Context, l *load, key string, p *pool) (int, error) {
	hc := &fasthttp.HostClient{Addr: l.addr, IsTLS: l.tls}
	scheme := "http"
	if l.tls {
		scheme = "https"
	}
	base := strings.TrimSuffix(l.path, "/v1/gate-events")
	seen := map[string]bool{}
	n := 0
	for _, ev := range p.events {
		if ev.Entry == nil || seen[ev.Entry.ID] {
			continue
		}
		seen[ev.Entry.ID] = true
		b, err := json.Marshal(ev.Entry)
		if err != nil {
			return n, err
		}
		req := fasthttp.AcquireRequest()
		resp := fasthttp.AcquireResponse()
		req.Header.SetMethod("PUT")
		req.SetRequestURI(scheme + "://" + l.addr + base + "/v1/lists/gateload/entries/" + url.PathEscape(ev.Entry.ID))
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("X-Reason", "gateload: watchlisted travellers of the generated stream")
		req.SetBody(b)
		err = hc.DoTimeout(req, resp, 10*time.Second)
		code := resp.StatusCode()
		fasthttp.ReleaseRequest(req)
		fasthttp.ReleaseResponse(resp)
		if err != nil {
			return n, fmt.Errorf("put watchlist entry %s: %w", ev.Entry.ID, err)
		}
		if code != 200 && code != 201 {
			return n, fmt.Errorf("put watchlist entry %s: HTTP %d", ev.Entry.ID, code)
		}
		n++
		if ctx.Err() != nil {
			return n, ctx.Err()
		}
	}
	return n, nil
}
