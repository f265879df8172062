// Command gensynth writes synthetic watchlist person entries, made by the
// fixtures generator, as Portcullis JSON Lines, for loading a large list
// into a store:
//
//	go run ./bench/gensynth -n 1000000 -out synthetic.jsonl
//	portcullis import --list synthetic --format jsonl synthetic.jsonl
//
// Entry i is fixtures.NewGenerator(seed).Person(i), so the same seed and
// count give the same file on every machine, and the load generator can
// derive hits from it (loadgen -targets synthetic.jsonl). Entries are made
// on all cores and written in order.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"sync"
	"syscall"
	"time"

	"github.com/bordersec/portcullis/fixtures"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		fmt.Fprintln(os.Stderr, "gensynth:", err)
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "gensynth:", err)
		os.Exit(1)
	}
}

// chunk is how many entries a worker makes at a time.
const chunk = 2048

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("gensynth", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 1_000_000, "number of entries to write")
	start := fs.Int("start", 0, "index of the first entry (entries start..start+n-1)")
	seed := fs.Uint64("seed", 1, "generator seed")
	list := fs.String("list", "", "list name written into each entry (default none: the import names the list)")
	out := fs.String("out", "-", "output `file`, - for standard output")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "entries are made on this many goroutines")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: gensynth [flags]\n\nWrites synthetic person entries as Portcullis JSON Lines.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%v: %w", err, errUsage)
	}
	if fs.NArg() != 0 {
		return fmt.Errorf("unexpected argument %q: %w", fs.Arg(0), errUsage)
	}
	if *n < 0 || *start < 0 || *workers < 1 {
		return fmt.Errorf("-n and -start must be at least 0 and -workers at least 1: %w", errUsage)
	}
	w := stdout
	var f *os.File
	if *out != "-" {
		var err error
		if f, err = os.Create(*out); err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	began := time.Now()
	if err := write(ctx, w, fixtures.NewGenerator(*seed), *start, *n, *list, *workers); err != nil {
		return err
	}
	if f != nil {
		if err := f.Close(); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "gensynth: %d entries to %s in %.1f s\n", *n, *out, time.Since(began).Seconds())
	}
	return nil
}

// write writes entries start..start+n-1 of g to w in order, making them on
// workers goroutines, a chunk at a time.
func write(ctx context.Context, w io.Writer, g *fixtures.Generator, start, n int, list string, workers int) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	chunks := (n + chunk - 1) / chunk
	// Each chunk's lines go through its own channel, so that the writer
	// takes them in order while workers run ahead by a bounded amount.
	type job struct {
		k   int
		out chan []byte
	}
	jobs := make(chan job)
	pending := make(chan chan []byte, 2*workers)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	var genErr error
	var errOnce sync.Once
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				b, err := makeChunk(g, start+j.k*chunk, min(chunk, n-j.k*chunk), list)
				if err != nil {
					errOnce.Do(func() { genErr = err })
					cancel()
				}
				j.out <- b
			}
		}()
	}
	go func() {
		defer close(jobs)
		defer close(pending)
		for k := range chunks {
			// A chunk goes to the writer's queue only once a worker has
			// taken it, so the writer never waits for a chunk nobody makes.
			out := make(chan []byte, 1)
			select {
			case jobs <- job{k, out}:
			case <-ctx.Done():
				return
			}
			pending <- out
		}
	}()
	var werr error
	for out := range pending {
		b := <-out
		if werr == nil && ctx.Err() == nil {
			if _, err := bw.Write(b); err != nil {
				werr = err
				cancel()
			}
		}
	}
	wg.Wait()
	switch {
	case genErr != nil:
		return genErr
	case werr != nil:
		return werr
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return bw.Flush()
}

// makeChunk returns count entries from index from as JSON Lines.
func makeChunk(g *fixtures.Generator, from, count int, list string) ([]byte, error) {
	var buf []byte
	for i := from; i < from+count; i++ {
		e := g.Person(i)
		e.List = list
		b, err := json.Marshal(e)
		if err != nil {
			return nil, fmt.Errorf("entry %d: %w", i, err)
		}
		buf = append(append(buf, b...), '\n')
	}
	return buf, nil
}
