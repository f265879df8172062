package store_test

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"

	"github.com/bordersec/portcullis/fixtures"
	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/store"
)

// benchEntries is the size of the import benchmark: PORTCULLIS_BENCH_ENTRIES,
// or 10,000 so that CI's -benchtime=1x run stays quick. The README's figure
// is for 1,000,000.
func benchEntries(b *testing.B) int {
	if s := os.Getenv("PORTCULLIS_BENCH_ENTRIES"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			b.Fatalf("PORTCULLIS_BENCH_ENTRIES=%q", s)
		}
		return n
	}
	return 10000
}

// BenchmarkImport imports synthetic person entries from the fixtures
// generator into an empty store on disk, and reports entries/s and the disk
// size per entry after compaction. Each entry is normalised and validated as
// a reader would, so the figure is what an import of a parsed file costs.
//
//	PORTCULLIS_BENCH_ENTRIES=1000000 go test ./store -run '^$' -bench Import -benchtime 1x -count 5
func BenchmarkImport(b *testing.B) {
	n := benchEntries(b)
	gen := fixtures.NewGenerator(1)
	entries := gen.Persons(n)
	b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
		b.ReportAllocs()
		var disk int64
		for b.Loop() {
			b.StopTimer()
			dir := b.TempDir()
			db, err := store.Open(dir, &store.Options{Logger: discardLogger()})
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			res, err := db.Import(context.Background(), "synthetic", &cloneReader{entries: entries}, screening.ImportOptions{})
			if err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			if got := res.Change.Import.Added; got != n {
				b.Fatalf("imported %d, want %d", got, n)
			}
			if err := db.Compact(); err != nil {
				b.Fatal(err)
			}
			db.Close()
			disk = dirSize(b, dir)
			b.StartTimer()
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
		b.ReportMetric(float64(disk)/float64(n), "disk-B/entry")
		b.ReportMetric(float64(disk)/(1<<20), "disk-MiB")
	})
}

// cloneReader hands out copies of entries, normalised and validated.
type cloneReader struct {
	entries []*screening.Entry
	i       int
}

func (r *cloneReader) Read() (*screening.Entry, error) {
	if r.i >= len(r.entries) {
		return nil, io.EOF
	}
	e := *r.entries[r.i]
	r.i++
	return screening.CheckRecord(r.i, &e)
}

// dirSize returns the disk blocks in use under dir: Badger preallocates
// its logs as sparse files, so their apparent size overstates the disk.
func dirSize(b *testing.B, dir string) int64 {
	var total int64
	err := filepath.WalkDir(dir, func(_ string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		info, err := e.Info()
		if err != nil {
			return err
		}
		if st, ok := info.Sys().(*syscall.Stat_t); ok {
			total += st.Blocks * 512
		} else {
			total += info.Size()
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return total
}

// BenchmarkSnapshot reads every entry back, as the engine does at start.
func BenchmarkSnapshot(b *testing.B) {
	n := benchEntries(b)
	db, err := store.Open(b.TempDir(), &store.Options{Logger: discardLogger()})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	entries := fixtures.NewGenerator(1).Persons(n)
	if _, err := db.Import(context.Background(), "synthetic", &cloneReader{entries: entries}, screening.ImportOptions{}); err != nil {
		b.Fatal(err)
	}
	b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			got := 0
			if _, _, err := db.Snapshot(context.Background(), func(*screening.Entry) error { got++; return nil }); err != nil {
				b.Fatal(err)
			}
			if got != n {
				b.Fatalf("read %d, want %d", got, n)
			}
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
	})
}
