package matcher_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/bordersec/portcullis/fixtures"
	"github.com/bordersec/portcullis/internal/cputime"
	"github.com/bordersec/portcullis/matcher"
	"github.com/bordersec/portcullis/screening"
)

// The benchmarks index synthetic person entries from the fixtures
// generator (names and dates of birth) and screen synthetic travellers
// against them: nine clean travellers to one derived from an entry, with
// its typos, swapped names, dropped middle names and other spellings.
//
// The number of entries comes from -matcher.n or PORTCULLIS_BENCH_N
// (default 20000, quick enough for CI with -benchtime=1x). At 1M:
//
//	PORTCULLIS_BENCH_N=1000000 go test ./matcher -run '^$' -bench . -benchtime=2000x -timeout 30m
var benchN = flag.Int("matcher.n", 0, "number of synthetic entries the benchmarks index (default 20000, or PORTCULLIS_BENCH_N)")

func benchSize() int {
	if *benchN > 0 {
		return *benchN
	}
	if v, err := strconv.Atoi(os.Getenv("PORTCULLIS_BENCH_N")); err == nil && v > 0 {
		return v
	}
	return 20000
}

const benchSeed = 20260521

// syntheticRecords returns n synthetic person records, made on all cores.
func syntheticRecords(n int) []matcher.Record {
	g := fixtures.NewGenerator(benchSeed)
	out := make([]matcher.Record, n)
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < n; i += workers {
				out[i] = recordOf("syn", g.Person(i))
			}
		}(w)
	}
	wg.Wait()
	return out
}

var benchIndexes sync.Map // size → *benchIndex

type benchIndex struct {
	once sync.Once
	ix   *matcher.Index
}

// syntheticIndex returns an index of n synthetic entries, built once per
// size and process.
func syntheticIndex(b *testing.B, n int) *matcher.Index {
	v, _ := benchIndexes.LoadOrStore(n, &benchIndex{})
	bi := v.(*benchIndex)
	bi.once.Do(func() {
		rs := syntheticRecords(n)
		bi.ix = matcher.NewIndex(matcher.Options{})
		if err := bi.ix.UpsertAll(rs, runtime.GOMAXPROCS(0)); err != nil {
			b.Fatal(err)
		}
		// As the engine does after a start (BenchmarkBuild times it).
		if _, err := bi.ix.Warm(context.Background(), warmWords); err != nil {
			b.Fatal(err)
		}
	})
	// Measure the steady state, not the collection of the build's garbage.
	runtime.GC()
	return bi.ix
}

func travellerQuery(t screening.Traveller) matcher.Query {
	q := matcher.Query{Name: t.Name, Given: t.GivenNames, Family: t.Surname, Nationality: t.Nationality,
		BirthDate: matcher.Date{Year: t.BirthDate.Year, Month: t.BirthDate.Month, Day: t.BirthDate.Day, ToYear: t.BirthDate.ToYear}}
	if t.Gender != "" {
		q.Gender = t.Gender[0]
	}
	return q
}

// benchQueries returns k traveller queries: every tenth derived from one of
// the n indexed entries, the others clean.
func benchQueries(n, k int) []matcher.Query {
	g := fixtures.NewGenerator(benchSeed)
	qs := make([]matcher.Query, k)
	for i := range qs {
		if i%10 == 9 {
			tr, _ := g.HitTraveller(g.Person((i*7919)%n), i)
			qs[i] = travellerQuery(tr)
		} else {
			qs[i] = travellerQuery(g.CleanTraveller(i))
		}
	}
	return qs
}

func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(p * float64(len(s)-1))
	return s[i]
}

func reportLatency(b *testing.B, ds []time.Duration, unit string, scale time.Duration) {
	b.ReportMetric(float64(percentile(ds, 0.5))/float64(scale), "p50-"+unit)
	b.ReportMetric(float64(percentile(ds, 0.99))/float64(scale), "p99-"+unit)
}

// reportCPU reports the process CPU time per operation since cpu0.
func reportCPU(b *testing.B, cpu0 time.Duration, scale time.Duration, unit string) {
	b.ReportMetric(float64(cputime.Process()-cpu0)/float64(b.N)/float64(scale), "cpu-"+unit+"/op")
}

// heapInUse returns the live heap after a full collection.
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// warmWords is how many words the benchmarks' indexes are warmed with, as
// the engine's are.
const warmWords = matcher.DefaultWarmWords

// BenchmarkBuild builds the index of n entries from records already made,
// and reports the build time and the heap the index holds.
func BenchmarkBuild(b *testing.B) {
	n := benchSize()
	b.Run(fmt.Sprint("n=", n), func(b *testing.B) {
		var heap uint64
		var cpu, warm time.Duration
		words := 0
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			rs := syntheticRecords(n)
			before := heapInUse()
			b.StartTimer()
			c0 := cputime.Process()
			ix := matcher.NewIndex(matcher.Options{})
			if err := ix.UpsertAll(rs, runtime.GOMAXPROCS(0)); err != nil {
				b.Fatal(err)
			}
			cpu += cputime.Process() - c0
			b.StopTimer()
			rs = nil
			after := heapInUse()
			if after > before {
				heap = after
			}
			// The warm-up the engine runs in the background after a start,
			// timed apart from the build.
			w0 := time.Now()
			nw, err := ix.Warm(context.Background(), warmWords)
			if err != nil {
				b.Fatal(err)
			}
			warm += time.Since(w0)
			words = nw
			runtime.KeepAlive(ix)
			b.StartTimer()
		}
		b.ReportMetric(float64(heap)/(1<<20), "heap-MiB")
		b.ReportMetric(float64(b.Elapsed().Seconds())/float64(b.N), "s/build")
		b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/build")
		b.ReportMetric(warm.Seconds()/float64(b.N), "warm-s")
		b.ReportMetric(float64(words), "warm-words")
	})
}

// BenchmarkSearch screens one traveller per operation, from the name as
// given to the hits with their evidence and explanations.
func BenchmarkSearch(b *testing.B) {
	n := benchSize()
	b.Run(fmt.Sprint("n=", n), func(b *testing.B) {
		ix := syntheticIndex(b, n)
		qs := benchQueries(n, max(4000, min(b.N, 100000)))
		ds := make([]time.Duration, 0, b.N)
		hits := 0
		b.ReportAllocs()
		b.ResetTimer()
		cpu0 := cputime.Process()
		for i := 0; i < b.N; i++ {
			t0 := time.Now()
			ms, err := ix.Search(qs[i%len(qs)], matcher.SearchOptions{})
			ds = append(ds, time.Since(t0))
			if err != nil {
				b.Fatal(err)
			}
			hits += len(ms)
		}
		b.StopTimer()
		reportCPU(b, cpu0, time.Microsecond, "µs")
		reportLatency(b, ds, "µs", time.Microsecond)
		b.ReportMetric(float64(hits)/float64(b.N), "hits/query")
		// The work behind the times, which a loaded machine does not change.
		var walked, touched, scored int
		k := min(len(qs), 500)
		for _, q := range qs[:k] {
			p, err := matcher.Prepare(q)
			if err != nil {
				b.Fatal(err)
			}
			w, t, s := ix.SearchStats(p, matcher.SearchOptions{})
			walked += w
			touched += t
			scored += s
		}
		b.ReportMetric(float64(walked)/float64(k), "walked/query")
		b.ReportMetric(float64(touched)/float64(k), "touched/query")
		b.ReportMetric(float64(scored)/float64(k), "scored/query")
	})
}

// listQueries returns k traveller queries for the bundled lists: every
// tenth derived from a listed entry, the others clean.
func listQueries(b *testing.B, k int) []matcher.Query {
	es := loadLists(b)
	g := fixtures.NewGenerator(benchSeed)
	qs := make([]matcher.Query, k)
	for i := range qs {
		if i%10 == 9 {
			le := es[(i*7919)%len(es)]
			tr, _ := g.HitTraveller(le.e, i)
			qs[i] = travellerQuery(tr)
			qs[i].Kind = kindOf(le.e)
		} else {
			qs[i] = travellerQuery(g.CleanTraveller(i))
		}
	}
	return qs
}

// BenchmarkSearchLists screens one traveller per operation against the
// bundled UN, OFAC and UK lists (22,000 entries), each traveller a new one
// (up to 100,000), as a border point sees them.
func BenchmarkSearchLists(b *testing.B) {
	ix, err := realIndex()
	if err != nil {
		b.Fatal(err)
	}
	qs := listQueries(b, max(1000, min(b.N, 100000)))
	ds := make([]time.Duration, 0, b.N)
	hits := 0
	runtime.GC()
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cputime.Process()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		ms, err := ix.Search(qs[i%len(qs)], matcher.SearchOptions{})
		ds = append(ds, time.Since(t0))
		if err != nil && !errors.Is(err, matcher.ErrNoName) {
			b.Fatal(err)
		}
		hits += len(ms)
	}
	b.StopTimer()
	reportCPU(b, cpu0, time.Microsecond, "µs")
	reportLatency(b, ds, "µs", time.Microsecond)
	b.ReportMetric(float64(hits)/float64(b.N), "hits/query")
}

// BenchmarkSearchClear is the common path: a prepared query that hits
// nothing, with a reused result slice.
func BenchmarkSearchClear(b *testing.B) {
	n := benchSize()
	b.Run(fmt.Sprint("n=", n), func(b *testing.B) {
		ix := syntheticIndex(b, n)
		var ps []*matcher.Prepared
		for _, q := range benchQueries(n, 2000) {
			p, err := matcher.Prepare(q)
			if err != nil {
				b.Fatal(err)
			}
			if len(ix.SearchPrepared(p, matcher.SearchOptions{}, nil)) == 0 {
				ps = append(ps, p)
			}
		}
		dst := make([]matcher.Match, 0, 16)
		ds := make([]time.Duration, 0, b.N)
		b.ReportAllocs()
		b.ResetTimer()
		cpu0 := cputime.Process()
		for i := 0; i < b.N; i++ {
			t0 := time.Now()
			ix.SearchPrepared(ps[i%len(ps)], matcher.SearchOptions{}, dst[:0])
			ds = append(ds, time.Since(t0))
		}
		b.StopTimer()
		reportCPU(b, cpu0, time.Microsecond, "µs")
		reportLatency(b, ds, "µs", time.Microsecond)
	})
}

// BenchmarkManifest screens a manifest of 400 travellers per operation on
// all cores, preparation included.
func BenchmarkManifest(b *testing.B) {
	n := benchSize()
	b.Run(fmt.Sprint("n=", n, "/400"), func(b *testing.B) {
		ix := syntheticIndex(b, n)
		all := benchQueries(n, 4000)
		workers := runtime.GOMAXPROCS(0)
		ds := make([]time.Duration, 0, b.N)
		b.ReportAllocs()
		b.ResetTimer()
		cpu0 := cputime.Process()
		for i := 0; i < b.N; i++ {
			start := (i * 400) % (len(all) - 400)
			qs := all[start : start+400]
			t0 := time.Now()
			var wg sync.WaitGroup
			for w := 0; w < workers; w++ {
				wg.Add(1)
				go func(w int) {
					defer wg.Done()
					var dst []matcher.Match
					for k := w; k < len(qs); k += workers {
						p, err := matcher.Prepare(qs[k])
						if err != nil {
							continue
						}
						dst = ix.SearchPrepared(p, matcher.SearchOptions{}, dst[:0])
					}
				}(w)
			}
			wg.Wait()
			ds = append(ds, time.Since(t0))
		}
		b.StopTimer()
		reportCPU(b, cpu0, time.Millisecond, "ms")
		reportLatency(b, ds, "ms", time.Millisecond)
	})
}

// BenchmarkSearchDuringUpserts measures search latency while another
// goroutine replaces entries as fast as it can.
func BenchmarkSearchDuringUpserts(b *testing.B) {
	n := benchSize()
	b.Run(fmt.Sprint("n=", n), func(b *testing.B) {
		ix := syntheticIndex(b, n)
		qs := benchQueries(n, 4000)
		g := fixtures.NewGenerator(benchSeed + 1)
		stop := make(chan struct{})
		var upserts int
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				r := recordOf("syn", g.Person(i))
				r.Key = fmt.Sprintf("syn/SYN-%07d", (i*7919)%n+1) // replace an existing entry
				if err := ix.Upsert(r); err != nil {
					b.Error(err)
					return
				}
				upserts++
			}
		}()
		ds := make([]time.Duration, 0, b.N)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			t0 := time.Now()
			if _, err := ix.Search(qs[i%len(qs)], matcher.SearchOptions{}); err != nil {
				b.Fatal(err)
			}
			ds = append(ds, time.Since(t0))
		}
		b.StopTimer()
		close(stop)
		wg.Wait()
		reportLatency(b, ds, "µs", time.Microsecond)
		b.ReportMetric(float64(upserts)/b.Elapsed().Seconds(), "upserts/s")
	})
}
