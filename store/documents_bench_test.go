package store_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/bordersec/portcullis/fixtures"
	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/listfmt/docfmt"
	"github.com/bordersec/portcullis/store"
)

// The document benchmarks' size is PORTCULLIS_BENCH_DOCS, or 20,000 so
// that CI's -benchtime=1x run stays quick; the README's figures are for
// 100,000,000. PORTCULLIS_BENCH_DOCS_DIR, when set, keeps the store of the
// check and restart benchmarks there, so that a large list is imported
// once and reused by later runs; PORTCULLIS_BENCH_DOCS_CSV, when set, is
// where the import benchmark writes its CSV file (once) and reads it from.
//
//	PORTCULLIS_BENCH_DOCS=100000000 PORTCULLIS_BENCH_DOCS_DIR=/tmp/docs100m \
//	  go test ./store -run '^$' -bench 'Document' -benchtime 1x -timeout 4h
func benchDocs(b *testing.B) int {
	if s := os.Getenv("PORTCULLIS_BENCH_DOCS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 || n > fixtures.MaxDocuments {
			b.Fatalf("PORTCULLIS_BENCH_DOCS=%q", s)
		}
		return n
	}
	return 20000
}

// genDocs reads n synthetic documents from the fixtures generator.
type genDocs struct {
	g    *fixtures.Generator
	i, n int
	cur  screening.DocumentEntry
}

func (r *genDocs) Read() (*screening.DocumentEntry, error) {
	if r.i >= r.n {
		return nil, io.EOF
	}
	r.cur = r.g.Document(r.i)
	r.i++
	return &r.cur, nil
}

const benchSeed = 11

// BenchmarkDocumentImport imports synthetic documents into an empty list:
// "generated" straight from the fixtures generator (the store's own cost,
// plus the generator's), "csv" through the documents-csv reader from a
// file or memory (what `portcullis import` does).
func BenchmarkDocumentImport(b *testing.B) {
	n := benchDocs(b)
	b.Run(fmt.Sprintf("generated/docs=%d", n), func(b *testing.B) {
		benchImport(b, n, func() store.DocumentReader { return &genDocs{g: fixtures.NewGenerator(benchSeed), n: n} })
	})
	b.Run(fmt.Sprintf("csv/docs=%d", n), func(b *testing.B) {
		b.StopTimer()
		open := csvSource(b, n)
		b.StartTimer()
		benchImport(b, n, func() store.DocumentReader { return docfmt.NewCSVReader(open()) })
	})
}

// csvSource returns a function that opens n synthetic documents as
// documents-csv: a file at PORTCULLIS_BENCH_DOCS_CSV (written once), or a
// buffer.
func csvSource(b *testing.B, n int) func() io.Reader {
	write := func(w io.Writer) {
		g := fixtures.NewGenerator(benchSeed)
		cw := docfmt.NewCSVWriter(w)
		for i := range n {
			d := g.Document(i)
			if err := cw.Write(&d); err != nil {
				b.Fatal(err)
			}
		}
		if err := cw.Flush(); err != nil {
			b.Fatal(err)
		}
	}
	path := os.Getenv("PORTCULLIS_BENCH_DOCS_CSV")
	if path == "" {
		var buf bytes.Buffer
		write(&buf)
		data := buf.Bytes()
		return func() io.Reader { return bytes.NewReader(data) }
	}
	if _, err := os.Stat(path); err != nil {
		f, err := os.Create(path + ".tmp")
		if err != nil {
			b.Fatal(err)
		}
		bw := bufio.NewWriterSize(f, 1<<20)
		write(bw)
		bw.Flush()
		f.Close()
		if err := os.Rename(path+".tmp", path); err != nil {
			b.Fatal(err)
		}
	}
	var files []*os.File
	b.Cleanup(func() {
		for _, f := range files {
			f.Close()
		}
	})
	return func() io.Reader {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, f)
		return f
	}
}

func benchImport(b *testing.B, n int, reader func() store.DocumentReader) {
	b.ReportAllocs()
	var disk int64
	var peak uint64
	for b.Loop() {
		b.StopTimer()
		dir := b.TempDir()
		log := discardLogger()
		if testing.Verbose() {
			log = slog.New(slog.NewTextHandler(os.Stderr, nil))
		}
		db, err := store.Open(dir, &store.Options{Logger: log})
		if err != nil {
			b.Fatal(err)
		}
		docs, err := db.OpenDocuments(context.Background(), nil)
		if err != nil {
			b.Fatal(err)
		}
		r := reader()
		stopPeak := docHeapPeak(&peak)
		b.StartTimer()
		res, err := docs.Import(context.Background(), r, screening.ImportOptions{})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		stopPeak()
		if got := res.Change.Import.Added; got != n {
			b.Fatalf("imported %d, want %d", got, n)
		}
		docs.Close()
		db.Close()
		disk = dirSize(b, filepath.Join(dir, "documents"))
		b.StartTimer()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	b.ReportMetric(float64(disk)/float64(n), "disk-B/doc")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}

// docHeapPeak samples the heap in use until the returned function is called,
// and leaves the largest figure in peak.
func docHeapPeak(peak *uint64) func() {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			*peak = max(*peak, m.HeapInuse)
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// benchStore returns the directory of a store holding the first n
// synthetic documents: PORTCULLIS_BENCH_DOCS_DIR when set (imported there
// once), or a temporary one made once per run.
var benchStores sync.Map

func benchStore(b *testing.B, n int) string {
	if v, ok := benchStores.Load(n); ok {
		return v.(string)
	}
	dir := os.Getenv("PORTCULLIS_BENCH_DOCS_DIR")
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "portcullis-bench-docs"); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() {
			benchStores.Delete(n)
			os.RemoveAll(dir)
		})
	}
	db, err := store.Open(dir, &store.Options{Logger: discardLogger()})
	if err != nil {
		b.Fatal(err)
	}
	docs, err := db.OpenDocuments(context.Background(), nil)
	if err != nil {
		b.Fatal(err)
	}
	if docs.Len() != int64(n) {
		start := time.Now()
		if _, err := docs.Import(context.Background(), &genDocs{g: fixtures.NewGenerator(benchSeed), n: n}, screening.ImportOptions{}); err != nil {
			b.Fatal(err)
		}
		b.Logf("imported %d documents in %v", n, time.Since(start))
	}
	docs.Close()
	db.Close()
	benchStores.Store(n, dir)
	return dir
}

// BenchmarkDocumentCheck measures CheckDocument on a list of n documents:
// documents that are not on it (the common case: the bloom filter answers)
// and documents that are (Badger answers), drawn at random from the whole
// list. It reports the latency's p50 and p99 and the filter's size.
func BenchmarkDocumentCheck(b *testing.B) {
	n := benchDocs(b)
	dir := benchStore(b, n)
	db, err := store.Open(dir, &store.Options{Logger: discardLogger()})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	docs, err := db.OpenDocuments(context.Background(), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer docs.Close()
	if err := docs.WaitFilter(context.Background()); err != nil {
		b.Fatal(err)
	}
	g := fixtures.NewGenerator(benchSeed)
	const pool = 1 << 16
	rng := rand.New(rand.NewPCG(3, 4))
	absent := make([]screening.Document, pool)
	listed := make([]screening.Document, pool)
	for i := range pool {
		absent[i] = g.AbsentDocument(rng.IntN(fixtures.MaxDocuments))
		d := g.Document(rng.IntN(n))
		listed[i] = screening.Document{Country: d.Country, Type: d.Type, Number: d.Number}
	}
	ctx := context.Background()
	run := func(b *testing.B, set []screening.Document, wantListed bool) {
		b.ReportAllocs()
		var lat []time.Duration
		i := 0
		for b.Loop() {
			d := set[i%pool]
			i++
			t0 := time.Now()
			c, err := docs.CheckDocument(ctx, d)
			el := time.Since(t0)
			if err != nil || (c.Listed != nil) != wantListed {
				b.Fatalf("%+v: listed %v, want %v (%v)", d, c.Listed != nil, wantListed, err)
			}
			if len(lat) < 1<<22 {
				lat = append(lat, el)
			}
		}
		reportDocLatency(b, lat)
		// On each sub-benchmark: a parent with sub-benchmarks reports
		// nothing of its own.
		b.ReportMetric(float64(docs.Stats().Filter.Bytes)/1e6, "filter-MB")
	}
	b.Run(fmt.Sprintf("absent/docs=%d", n), func(b *testing.B) { run(b, absent, false) })
	b.Run(fmt.Sprintf("listed/docs=%d", n), func(b *testing.B) { run(b, listed, true) })
}

func reportDocLatency(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Nanoseconds()) }
	b.ReportMetric(q(0.5), "p50-ns")
	b.ReportMetric(q(0.9), "p90-ns")
	b.ReportMetric(q(0.99), "p99-ns")
	b.ReportMetric(q(0.999), "p99.9-ns")
}

// BenchmarkDocumentOpen measures a restart with a list of n documents:
// opening the store and its document list with the bloom filter loaded
// from disk, ready to screen.
func BenchmarkDocumentOpen(b *testing.B) {
	n := benchDocs(b)
	dir := benchStore(b, n)
	b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) {
		var state string
		var filterMB float64
		for b.Loop() {
			db, err := store.Open(dir, &store.Options{Logger: discardLogger()})
			if err != nil {
				b.Fatal(err)
			}
			docs, err := db.OpenDocuments(context.Background(), nil)
			if err != nil {
				b.Fatal(err)
			}
			if err := docs.WaitFilter(context.Background()); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			st := docs.Stats()
			state, filterMB = st.Filter.State, float64(st.Filter.Bytes)/1e6
			docs.Close()
			db.Close()
			b.StartTimer()
		}
		if state != "loaded" {
			b.Fatalf("the filter was %s, not loaded", state)
		}
		b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/restart")
		b.ReportMetric(filterMB, "filter-MB")
	})
}
