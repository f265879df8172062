package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/bordersec/portcullis/fixtures"
	"github.com/bordersec/portcullis/screening/listfmt/jsonl"
)

func TestWritesReadableEntriesInOrder(t *testing.T) {
	const n = chunk*2 + 17 // more than one chunk, and a partial one
	var one, three bytes.Buffer
	if err := run(context.Background(), []string{"-n", "4113", "-seed", "5", "-workers", "1"}, &one, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), []string{"-n", "4113", "-seed", "5", "-workers", "3"}, &three, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(one.Bytes(), three.Bytes()) {
		t.Fatal("1 and 3 workers wrote different files")
	}
	r := jsonl.NewReader(&one)
	g := fixtures.NewGenerator(5)
	for i := range n {
		e, err := r.Read()
		if err != nil {
			t.Fatalf("entry %d: %v", i, err)
		}
		want := g.Person(i)
		want.Normalize()
		gb, _ := json.Marshal(e)
		wb, _ := json.Marshal(want)
		if !bytes.Equal(gb, wb) {
			t.Fatalf("entry %d = %s, want %s", i, gb, wb)
		}
	}
	if _, err := r.Read(); err != io.EOF {
		t.Errorf("after %d entries: %v, want io.EOF", n, err)
	}
}

func TestStartListAndFile(t *testing.T) {
	out := filepath.Join(t.TempDir(), "s.jsonl")
	var stderr bytes.Buffer
	if err := run(context.Background(), []string{"-n", "3", "-start", "10", "-list", "synthetic", "-out", out}, io.Discard, &stderr); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := jsonl.NewReader(f)
	for _, want := range []string{"SYN-0000011", "SYN-0000012", "SYN-0000013"} {
		e, err := r.Read()
		if err != nil {
			t.Fatal(err)
		}
		if e.ID != want || e.List != "synthetic" {
			t.Errorf("entry %s of list %q, want %s of list synthetic", e.ID, e.List, want)
		}
	}
	if stderr.Len() == 0 {
		t.Error("nothing said on stderr after writing a file")
	}
}

func TestUsageErrors(t *testing.T) {
	tests := [][]string{{"-n", "-1"}, {"-workers", "0"}, {"extra"}, {"-bogus"}}
	for _, args := range tests {
		if err := run(context.Background(), args, io.Discard, io.Discard); !errors.Is(err, errUsage) {
			t.Errorf("run(%q) = %v, want a usage error", args, err)
		}
	}
	if err := run(context.Background(), []string{"-h"}, io.Discard, io.Discard); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("run(-h) = %v, want flag.ErrHelp", err)
	}
	if err := run(context.Background(), []string{"-out", filepath.Join(t.TempDir(), "no", "such", "dir")}, io.Discard, io.Discard); err == nil {
		t.Error("writing into a missing directory: no error")
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := run(ctx, []string{"-n", "100000"}, io.Discard, io.Discard); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled run = %v, want context.Canceled", err)
	}
}

func BenchmarkChunk(b *testing.B) {
	g := fixtures.NewGenerator(1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := makeChunk(g, 0, chunk, ""); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*chunk), "ns/entry")
}
