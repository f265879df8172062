package gate_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/hashicorp/golang-lru/v2/simplelru"

	"github.com/bordersec/portcullis/fixtures"
	"github.com/bordersec/portcullis/screening/gate"
)

// benchDocs is the size of the memory benchmark: PORTCULLIS_BENCH_DOCS, or
// 1,000,000 so that CI's -benchtime=1x run stays quick. The README's figure
// is for 10,000,000.
func benchDocs(b *testing.B) int {
	if s := os.Getenv("PORTCULLIS_BENCH_DOCS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			b.Fatalf("PORTCULLIS_BENCH_DOCS=%q", s)
		}
		return n
	}
	return 1_000_000
}

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// BenchmarkMemoryFootprint fills the recent-use memory with as many
// documents as it is sized for, each used at one of 5,000 gates of 400
// ports over the last day, a tenth of them with a failed attempt, and
// reports the heap it takes: MiB and bytes per document, and the time to
// record one use.
//
//	PORTCULLIS_BENCH_DOCS=10000000 go test ./screening/gate -run '^$' -bench MemoryFootprint -benchtime 1x -count 5
func BenchmarkMemoryFootprint(b *testing.B) {
	n := benchDocs(b)
	b.Run("docs="+strconv.Itoa(n), func(b *testing.B) {
		var perDoc, mib float64
		for b.Loop() {
			b.StopTimer()
			before := heapInUse()
			b.StartTimer()
			m := gate.NewMemory(gate.MemoryOptions{Documents: n}, 24*time.Hour)
			rng := rand.New(rand.NewPCG(1, 2))
			for i := range n {
				m.Record(rng.Uint64(), uint32(86400*5+i*86400/n), rng.IntN(5000), rng.IntN(400), i%10 == 0)
			}
			b.StopTimer()
			used := heapInUse() - before
			runtime.KeepAlive(m)
			perDoc, mib = float64(used)/float64(n), float64(used)/(1<<20)
			if st := m.Stats(); st.Documents < n*9/10 {
				b.Fatalf("only %d of %d documents held", st.Documents, n)
			}
			b.StartTimer()
		}
		b.ReportMetric(perDoc, "B/doc")
		b.ReportMetric(mib, "MiB")
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n*b.N), "ns/use")
	})
}

// BenchmarkLRUFootprint measures what the memory would take with one
// golang-lru entry per document instead of its open-addressing tables: 64
// shards of simplelru.LRU[uint64, [2]uint64], the same two packed uses per
// document. It is the reason the memory keeps golang-lru for failure
// histories only: about 115 bytes a document, 1.1 GiB for 10 million.
//
//	PORTCULLIS_BENCH_DOCS=10000000 go test ./screening/gate -run '^$' -bench LRUFootprint -benchtime 1x
func BenchmarkLRUFootprint(b *testing.B) {
	n := benchDocs(b)
	b.Run("docs="+strconv.Itoa(n), func(b *testing.B) {
		var perDoc, mib float64
		for b.Loop() {
			b.StopTimer()
			before := heapInUse()
			b.StartTimer()
			shards := make([]*simplelru.LRU[uint64, [2]uint64], 64)
			for i := range shards {
				shards[i], _ = simplelru.NewLRU[uint64, [2]uint64](n/64+1, nil)
			}
			rng := rand.New(rand.NewPCG(1, 2))
			for range n {
				k := rng.Uint64()
				shards[k>>58].Add(k, [2]uint64{k, k})
			}
			b.StopTimer()
			used := heapInUse() - before
			runtime.KeepAlive(shards)
			perDoc, mib = float64(used)/float64(n), float64(used)/(1<<20)
			b.StartTimer()
		}
		b.ReportMetric(perDoc, "B/doc")
		b.ReportMetric(mib, "MiB")
	})
}

// BenchmarkMemoryObserve records uses from all cores into a memory of a
// million documents: the sharded locks let them proceed in parallel.
func BenchmarkMemoryObserve(b *testing.B) {
	const n = 1_000_000
	m := gate.NewMemory(gate.MemoryOptions{Documents: n}, 24*time.Hour)
	rng := rand.New(rand.NewPCG(3, 4))
	keys := make([]uint64, n)
	for i := range keys {
		keys[i] = rng.Uint64()
		m.Record(keys[i], 86400, i%5000, i%400, false)
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		r := rand.New(rand.NewPCG(rand.Uint64(), 5))
		i := 0
		for pb.Next() {
			m.Record(keys[r.IntN(n)], uint32(86400+i), i%5000, i%400, false)
			i++
		}
	})
}

// BenchmarkDecide decides generated gate events with a screener that costs
// nothing and a log that keeps nothing: the gate's own cost per event
// (validation, both MRZs, the checks, the digest and the memory), without
// the watchlist screening or the durable write.
func BenchmarkDecide(b *testing.B) {
	gen := fixtures.NewGenerator(5)
	evs, err := gen.GateEvents(20_000, fixtures.GateStreamOptions{Rate: 1000, MaxGap: 10 * time.Second})
	if err != nil {
		b.Fatal(err)
	}
	bodies := make([][]byte, len(evs))
	for i := range evs {
		bodies[i], _ = json.Marshal(&evs[i])
	}
	w := newBenchService(b, &screener{})
	b.ReportAllocs()
	b.ResetTimer()
	lat := make([]time.Duration, 0, b.N)
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		k := i % len(bodies)
		ev, err := gate.DecodeEvent(bodies[k])
		if err != nil {
			b.Fatal(err)
		}
		// Move the stream forward by its length on every pass, so that
		// repeated passes are not clones of the first.
		ev.Time = ev.Time.Add(time.Duration(i/len(bodies)) * 48 * time.Hour)
		w.now = ev.Time.Add(time.Second)
		if _, err := w.svc.Decide(context.Background(), ev, "bench"); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds())/1000, "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds())/1000, "p99-µs")
}

type benchService struct {
	svc *gate.Service
	now time.Time
}

func newBenchService(b *testing.B, sc gate.Screener) *benchService {
	cfg, err := gate.LoadConfig(bytes.NewReader(fixtures.GateConfig(fixtures.DefaultGatePorts())))
	if err != nil {
		b.Fatal(err)
	}
	dig, _ := gate.NewDigester(testKey)
	w := &benchService{}
	w.svc, err = gate.New(gate.Options{Config: cfg, Screener: sc, Log: discardLog{}, Digester: dig, Logger: quiet(),
		Memory: gate.MemoryOptions{Documents: 1_000_000}, Now: func() time.Time { return w.now }})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := w.svc.Open(context.Background()); err != nil {
		b.Fatal(err)
	}
	return w
}
