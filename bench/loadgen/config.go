package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/bordersec/portcullis/bench/mix"
)

// config is the parsed command line.
type config struct {
	target   *url.URL
	addr     string // host:port to dial
	path     string // the endpoint's path
	key      string
	rate     float64 // sends per second; 0 for flat out
	conns    int
	duration time.Duration
	warmup   time.Duration
	timeout  time.Duration
	runs     int
	weights  mix.Weights
	seed     uint64
	targets  string // "bundled" or a JSON Lines file
	sample   int
	list     string
	pool     int // bodies
	manifest int // passengers per manifest; 0 for /v1/screen
	json     bool
	out      string // a file to write the JSON report to, besides stdout
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	rawURL := fs.String("url", "http://127.0.0.1:8080", "the server's base `URL`")
	key := fs.String("key", "", "API `key` (default $PORTCULLIS_KEY, or the gate/carrier/admin key in $PORTCULLIS_API_KEYS)")
	rate := fs.Float64("rate", 20_000, "requests per second, open loop (latency from the scheduled send time); 0 sends flat out")
	conns := fs.Int("c", 64, "connections (and concurrent requests)")
	duration := fs.Duration("duration", 10*time.Second, "how long to measure, after the warm-up")
	warmup := fs.Duration("warmup", 2*time.Second, "how long to send before measuring")
	timeout := fs.Duration("timeout", 2*time.Second, "per-request timeout")
	runs := fs.Int("runs", 1, "measure this many times and report the medians")
	mixFlag := fs.String("mix", mix.DefaultWeights.String(), "proportions of clean travellers, true hits and near misses")
	seed := fs.Uint64("seed", 0, "seed of the travellers; 0 picks one from the clock, so that two invocations never send the same travellers (the server caches decisions)")
	targets := fs.String("targets", "bundled", "entries hits are derived from: `bundled` (the lists a server seeds) or a JSON Lines file")
	sample := fs.Int("sample", 20_000, "with a -targets file: how many of its entries to sample")
	list := fs.String("list", "synthetic", "with a -targets file: the list name of entries that name none")
	pool := fs.Int("pool", 0, "travellers to prepare and send round-robin (default 200000: more than the server's decision cache)")
	manifest := fs.Int("manifest", 0, "send manifests of this many passengers to /v1/manifests instead of single travellers")
	asJSON := fs.Bool("json", false, "write the report as JSON")
	out := fs.String("out", "", "also write the JSON report to this `file`")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: loadgen [flags]\n\nDrives a Portcullis server with a mix of travellers and reports throughput and latency.\n\nFlags:\n")
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
	cfg := &config{rate: *rate, conns: *conns, duration: *duration, warmup: *warmup, timeout: *timeout,
		runs: *runs, seed: *seed, targets: *targets, sample: *sample, list: *list, pool: *pool,
		manifest: *manifest, json: *asJSON, out: *out}
	bad := func(format string, a ...any) error { return fmt.Errorf(format+": %w", append(a, errUsage)...) }
	switch {
	case *rate < 0:
		return nil, bad("-rate %v: want 0 (flat out) or more", *rate)
	case *conns < 1 || *conns > 10_000:
		return nil, bad("-c %d: want 1 to 10000", *conns)
	case *duration <= 0:
		return nil, bad("-duration %v: want more than 0", *duration)
	case *warmup < 0:
		return nil, bad("-warmup %v: want 0 or more", *warmup)
	case *timeout <= 0:
		return nil, bad("-timeout %v: want more than 0", *timeout)
	case *runs < 1 || *runs > 100:
		return nil, bad("-runs %d: want 1 to 100", *runs)
	case *sample < 1:
		return nil, bad("-sample %d: want at least 1", *sample)
	case *pool < 0:
		return nil, bad("-pool %d: want 0 (default) or more", *pool)
	case *manifest < 0 || *manifest > 1000:
		return nil, bad("-manifest %d: want 0 (single travellers) to 1000 passengers", *manifest)
	}
	if cfg.seed == 0 {
		cfg.seed = uint64(time.Now().UnixNano())&(1<<53-1) | 1
	}
	w, err := mix.ParseWeights(*mixFlag)
	if err != nil {
		return nil, bad("-mix: %v", err)
	}
	cfg.weights = w
	if cfg.pool == 0 {
		cfg.pool = 200_000
		if cfg.manifest > 0 {
			cfg.pool = max(20, (200_000+cfg.manifest-1)/cfg.manifest)
		}
	}
	u, err := url.Parse(*rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, bad("-url %q: want http://host:port", *rawURL)
	}
	cfg.target, cfg.addr = u, u.Host
	if u.Port() == "" {
		port := "80"
		if u.Scheme == "https" {
			port = "443"
		}
		cfg.addr = net.JoinHostPort(u.Hostname(), port)
	}
	base := strings.TrimSuffix(u.Path, "/")
	cfg.path = base + "/v1/screen"
	if cfg.manifest > 0 {
		cfg.path = base + "/v1/manifests"
	}
	cfg.key = *key
	if cfg.key == "" {
		cfg.key = keyFromEnv(os.Getenv("PORTCULLIS_KEY"), os.Getenv("PORTCULLIS_API_KEYS"), cfg.manifest > 0)
	}
	if cfg.key == "" {
		return nil, bad("no API key: give -key, $PORTCULLIS_KEY, or a gate key in $PORTCULLIS_API_KEYS")
	}
	return cfg, nil
}

// keyFromEnv picks the key to use: key if set, else from a
// "role:key,role:key" list the gate key (carrier for manifests), else the
// admin key.
func keyFromEnv(key, list string, manifests bool) string {
	if key != "" {
		return key
	}
	want := "gate"
	if manifests {
		want = "carrier"
	}
	admin := ""
	for item := range strings.SplitSeq(list, ",") {
		role, k, ok := strings.Cut(strings.TrimSpace(item), ":")
		if !ok {
			continue
		}
		switch role {
		case want:
			return k
		case "admin":
			admin = k
		}
	}
	return admin
}

// String describes the load in one line.
func (c *config) String() string {
	load := fmt.Sprintf("fixed rate %.0f/s", c.rate)
	if c.rate == 0 {
		load = "flat out"
	}
	return fmt.Sprintf("POST %s://%s%s, %s, %d connections, %v measured after %v warm-up",
		c.target.Scheme, c.addr, c.path, load, c.conns, c.duration, c.warmup)
}
