package screening_test

import (
	"context"
	"errors"
	"io"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/bordersec/portcullis/fixtures"
	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/listfmt"
)

// sliceSource serves a fixed set of entries as a snapshot.
type sliceSource struct{ entries []*screening.Entry }

func (s *sliceSource) Snapshot(ctx context.Context, fn func(*screening.Entry) error) (uint64, uint64, error) {
	for _, e := range s.entries {
		if err := fn(e); err != nil {
			return 0, 0, err
		}
	}
	return 1, 1, nil
}

func (s *sliceSource) ChangesAfter(context.Context, uint64, func(*screening.Change) error) error {
	return nil
}

var (
	bundledOnce    sync.Once
	bundledEntries []*screening.Entry
)

// bundled returns the entries of the bundled UN, OFAC and UK lists.
func bundled(tb testing.TB) []*screening.Entry {
	bundledOnce.Do(func() {
		for _, l := range fixtures.BundledLists() {
			r, err := listfmt.Open(l.Format, fixtures.Lists(), l.Path)
			if err != nil {
				tb.Fatal(err)
			}
			for {
				e, err := r.Read()
				if err == io.EOF {
					break
				}
				var re *screening.RecordError
				if errors.As(err, &re) {
					continue
				}
				if err != nil {
					tb.Fatal(err)
				}
				e.List = l.Name
				bundledEntries = append(bundledEntries, e)
			}
			r.Close()
		}
	})
	return bundledEntries
}

// synthetic returns n synthetic persons, in list "synthetic".
func synthetic(n int) []*screening.Entry {
	g := fixtures.NewGenerator(7)
	out := make([]*screening.Entry, n)
	for i := range out {
		out[i] = g.Person(i)
		out[i].List = "synthetic"
	}
	return out
}

// benchSize is PORTCULLIS_BENCH_ENTRIES, or 0 for the bundled lists only.
func benchSize(b *testing.B) int {
	s := os.Getenv("PORTCULLIS_BENCH_ENTRIES")
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		b.Fatalf("PORTCULLIS_BENCH_ENTRIES=%q", s)
	}
	return n
}

func benchEngine(b *testing.B) (*screening.Engine, []*screening.Entry) {
	b.Helper()
	entries := bundled(b)
	if n := benchSize(b); n > 0 {
		entries = append(synthetic(n), entries...)
	}
	e := screening.New(&sliceSource{entries}, screening.Options{Logger: discard(), CacheSize: -1, Deadline: time.Second})
	if err := e.Open(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { e.Close() })
	return e, entries
}

// travellers returns a realistic mix: nine clean travellers for each one
// derived from a listed entry.
func travellers(entries []*screening.Entry, n int) []screening.Traveller {
	g := fixtures.NewGenerator(11)
	out := make([]screening.Traveller, n)
	for i := range out {
		if i%10 == 0 {
			e := entries[(i*7919)%len(entries)]
			if e.Kind == screening.KindPerson {
				out[i], _ = g.HitTraveller(e, i)
				continue
			}
		}
		out[i] = g.CleanTraveller(i)
	}
	return out
}

func reportPercentiles(b *testing.B, d []time.Duration) {
	if len(d) == 0 {
		return
	}
	slices.Sort(d)
	at := func(q float64) float64 { return float64(d[min(len(d)-1, int(q*float64(len(d))))].Microseconds()) }
	b.ReportMetric(at(0.50), "p50-µs")
	b.ReportMetric(at(0.99), "p99-µs")
}

// BenchmarkScreen screens one traveller at a time against the bundled UN,
// OFAC and UK lists (plus PORTCULLIS_BENCH_ENTRIES synthetic persons), with
// evidence and explanations, no cache: the engine's share of /v1/screen.
//
//	PORTCULLIS_BENCH_ENTRIES=1000000 go test ./screening -run '^$' -bench 'Screen$' -benchtime 20000x
func BenchmarkScreen(b *testing.B) {
	e, entries := benchEngine(b)
	ts := travellers(entries, 4096)
	ctx := context.Background()
	durs := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		t := ts[i%len(ts)]
		start := time.Now()
		if _, err := e.Screen(ctx, &t); err != nil {
			b.Fatal(err)
		}
		durs = append(durs, time.Since(start))
	}
	reportPercentiles(b, durs)
}

// BenchmarkManifest screens a 400-passenger manifest with ScreenMany.
func BenchmarkManifest(b *testing.B) {
	e, entries := benchEngine(b)
	all := travellers(entries, 4000)
	ctx := context.Background()
	var durs []time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		ps := make([]*screening.Traveller, 400)
		for j := range ps {
			t := all[(i*400+j)%len(all)]
			ps[j] = &t
		}
		start := time.Now()
		e.ScreenMany(ctx, ps, nil)
		durs = append(durs, time.Since(start))
	}
	reportPercentiles(b, durs)
}
