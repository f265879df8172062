package matcher_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"

	"github.com/bordersec/portcullis/matcher"
)

// TestWarmKeepsScores searches the same queries on a cold index and after
// Warm: the same hits with the same scores and explanations.
func TestWarmKeepsScores(t *testing.T) {
	rs := syntheticRecords(3000)
	cold := matcher.NewIndex(matcher.Options{})
	warm := matcher.NewIndex(matcher.Options{})
	for _, ix := range []*matcher.Index{cold, warm} {
		if err := ix.UpsertAll(rs, 2); err != nil {
			t.Fatal(err)
		}
	}
	n, err := warm.Warm(context.Background(), matcher.DefaultWarmWords)
	if err != nil || n == 0 {
		t.Fatalf("Warm = %d, %v; want some words", n, err)
	}
	if again, err := warm.Warm(context.Background(), matcher.DefaultWarmWords); err != nil || again != 0 {
		t.Fatalf("a second Warm looked up %d words (%v), want none", again, err)
	}
	for i, q := range benchQueries(3000, 400) {
		a, errA := cold.Search(q, matcher.SearchOptions{Threshold: 0.7})
		b, errB := warm.Search(q, matcher.SearchOptions{Threshold: 0.7})
		if !errors.Is(errA, errB) || !reflect.DeepEqual(a, b) {
			t.Fatalf("query %d %+v:\ncold %+v (%v)\nwarm %+v (%v)", i, q, a, errA, b, errB)
		}
	}
}

// TestWarmDuringUpdates warms while records are added and searched (run
// with -race), and stops when its context ends.
func TestWarmDuringUpdates(t *testing.T) {
	ix := matcher.NewIndex(matcher.Options{})
	if err := ix.UpsertAll(syntheticRecords(2000), 2); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for i := range 300 {
			if err := ix.Upsert(person(fmt.Sprint("new/", i), fmt.Sprintf("Warmington Updatovich %d", i))); err != nil {
				t.Error(err)
			}
		}
	}()
	go func() {
		defer wg.Done()
		for _, q := range benchQueries(2000, 300) {
			if _, err := ix.Search(q, matcher.SearchOptions{}); err != nil && !errors.Is(err, matcher.ErrNoName) {
				t.Error(err)
			}
		}
	}()
	if _, err := ix.Warm(context.Background(), matcher.DefaultWarmWords); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := matcher.NewIndex(matcher.Options{}).Warm(ctx, 10); err != nil {
		t.Fatalf("Warm of an empty index: %v", err)
	}
	big := matcher.NewIndex(matcher.Options{})
	if err := big.UpsertAll(syntheticRecords(500), 2); err != nil {
		t.Fatal(err)
	}
	if n, err := big.Warm(context.Background(), -1); n != 0 || err != nil {
		t.Fatalf("Warm of -1 words: %d, %v; want none", n, err)
	}
	if _, err := big.Warm(ctx, matcher.DefaultWarmWords); !errors.Is(err, context.Canceled) {
		t.Fatalf("Warm with an ended context: %v, want context.Canceled", err)
	}
}
