package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/bordersec/portcullis/bench/mix"
	"github.com/bordersec/portcullis/screening"
)

// body is one prepared request: its JSON and the kind of each traveller in
// it, in order (one for /v1/screen, one per passenger for a manifest).
type body struct {
	json  []byte
	kinds []mix.Kind
}

// pool is the prepared requests and what they were made from.
type pool struct {
	bodies  []body
	targets int           // person entries hits are derived from
	kinds   [3]int        // travellers of each kind in the pool
	took    time.Duration // to load the targets and make the bodies
}

// passenger is a manifest's passenger as the API reads it.
type passenger struct {
	screening.Traveller
	Reference string `json:"reference"`
}

type port struct {
	Code string    `json:"port"`
	Time time.Time `json:"time,omitzero"`
}

type manifest struct {
	Carrier    string      `json:"carrier"`
	Number     string      `json:"number"`
	Departure  port        `json:"departure"`
	Arrival    port        `json:"arrival"`
	Passengers []passenger `json:"passengers"`
}

// loadTargets returns the entries hits are derived from.
func loadTargets(cfg *config) ([]*screening.Entry, error) {
	if cfg.weights.Hit == 0 && cfg.weights.Near == 0 {
		return nil, nil
	}
	if cfg.targets == "bundled" {
		return mix.BundledTargets()
	}
	f, err := os.Open(cfg.targets)
	if err != nil {
		return nil, fmt.Errorf("-targets: %w", err)
	}
	defer f.Close()
	ts, err := mix.ReadTargets(f, cfg.list, cfg.sample, cfg.seed)
	if err != nil {
		return nil, fmt.Errorf("-targets %s: %w", cfg.targets, err)
	}
	return ts, nil
}

// buildPool makes cfg.pool request bodies on all cores.
func buildPool(ctx context.Context, cfg *config, stderr io.Writer) (*pool, error) {
	start := time.Now()
	targets, err := loadTargets(cfg)
	if err != nil {
		return nil, err
	}
	m, err := mix.New(cfg.seed, cfg.weights, targets)
	if err != nil {
		return nil, err
	}
	p := &pool{bodies: make([]body, cfg.pool), targets: len(targets)}
	per := max(1, cfg.manifest)
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(p.bodies); i += workers {
				if i%1024 == 0 && ctx.Err() != nil {
					errs[w] = ctx.Err()
					return
				}
				b, err := makeBody(m, i, per, cfg.manifest > 0)
				if err != nil {
					errs[w] = err
					return
				}
				p.bodies[i] = b
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	for _, b := range p.bodies {
		for _, k := range b.kinds {
			p.kinds[k]++
		}
	}
	p.took = time.Since(start)
	fmt.Fprintf(stderr, "loadgen: %d request bodies (%d travellers, %d target persons) in %.1f s\n",
		len(p.bodies), len(p.bodies)*per, p.targets, p.took.Seconds())
	return p, nil
}

// makeBody makes request i: traveller i, or for a manifest passengers
// i*per to i*per+per-1.
func makeBody(m *mix.Mix, i, per int, asManifest bool) (body, error) {
	if !asManifest {
		s := m.Sample(i)
		b, err := json.Marshal(&s.Traveller)
		if err != nil {
			return body{}, fmt.Errorf("traveller %d: %w", i, err)
		}
		return body{json: b, kinds: []mix.Kind{s.Kind}}, nil
	}
	dep := time.Date(2026, 6, 1, 6, 0, 0, 0, time.UTC).Add(time.Duration(i%1000) * 10 * time.Minute)
	mf := manifest{
		Carrier: "LG", Number: strconv.Itoa(1000 + i%9000),
		Departure: port{Code: "LHR", Time: dep}, Arrival: port{Code: "JFK", Time: dep.Add(8 * time.Hour)},
		Passengers: make([]passenger, per),
	}
	kinds := make([]mix.Kind, per)
	for j := range per {
		s := m.Sample(i*per + j)
		mf.Passengers[j] = passenger{Traveller: s.Traveller, Reference: "P" + strconv.Itoa(j+1)}
		kinds[j] = s.Kind
	}
	b, err := json.Marshal(&mf)
	if err != nil {
		return body{}, fmt.Errorf("manifest %d: %w", i, err)
	}
	return body{json: b, kinds: kinds}, nil
}
