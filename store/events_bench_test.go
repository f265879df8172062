package store_test

import (
	"context"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/bordersec/portcullis/store"
)

// BenchmarkEventRecord records gate events from 64 goroutines, as a busy
// server does, and reports the time until each record is durable (p50,
// p99) and records per second. Each commit is synced, so the figures are
// the disk's: set PORTCULLIS_BENCH_DIR to a directory on the disk to
// measure (the default is the test's temporary directory).
//
//	go test ./store -run '^$' -bench EventRecord -benchtime 20000x -count 5
func BenchmarkEventRecord(b *testing.B) {
	dir := b.TempDir()
	if d := os.Getenv("PORTCULLIS_BENCH_DIR"); d != "" {
		var err error
		if dir, err = os.MkdirTemp(d, "events-bench-"); err != nil {
			b.Fatal(err)
		}
		defer os.RemoveAll(dir)
	}
	db, err := store.Open(dir, &store.Options{Logger: discardLogger()})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ev, err := db.OpenEvents(context.Background(), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer ev.Close()
	gates := []string{"LHR-E01", "LHR-E02", "JFK-E01", "CDG-E07"}
	const workers = 64
	lat := make([][]time.Duration, workers)
	b.ReportAllocs()
	b.ResetTimer()
	var wg sync.WaitGroup
	var mu sync.Mutex
	next := 0
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= b.N {
					return
				}
				r := gateRecord(time.Now(), i%1000, gates[i%len(gates)])
				start := time.Now()
				if err := ev.Record(context.Background(), r); err != nil {
					b.Error(err)
					return
				}
				lat[w] = append(lat[w], time.Since(start))
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	slices.Sort(all)
	if len(all) > 0 {
		b.ReportMetric(float64(all[len(all)/2].Microseconds()), "p50-µs")
		b.ReportMetric(float64(all[len(all)*99/100].Microseconds()), "p99-µs")
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
