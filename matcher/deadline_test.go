package matcher_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/bordersec/portcullis/matcher"
)

// TestSearchDeadline: a search whose context is done or whose deadline has
// passed returns ErrDeadline and no hits, never a partial answer.
func TestSearchDeadline(t *testing.T) {
	ix := matcher.NewIndex(matcher.Options{})
	if err := ix.Upsert(matcher.Record{Key: "a", Kind: matcher.Person, Names: []matcher.RecordName{{Full: "Sergei Kuzhugetovich Shoigu"}}}); err != nil {
		t.Fatal(err)
	}
	q := matcher.Query{Kind: matcher.Person, Name: "Sergei Shoigu"}
	if ms, err := ix.Search(q, matcher.SearchOptions{}); err != nil || len(ms) != 1 {
		t.Fatalf("unbounded search: %d hits, %v", len(ms), err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ms, err := ix.SearchContext(ctx, q, matcher.SearchOptions{})
	if !errors.Is(err, matcher.ErrDeadline) || !errors.Is(err, context.Canceled) || len(ms) != 0 {
		t.Fatalf("cancelled context: %d hits, %v; want ErrDeadline wrapping context.Canceled", len(ms), err)
	}
	ms, err = ix.Search(q, matcher.SearchOptions{Deadline: time.Now().Add(-time.Millisecond)})
	if !errors.Is(err, matcher.ErrDeadline) || len(ms) != 0 {
		t.Fatalf("passed deadline: %d hits, %v; want ErrDeadline", len(ms), err)
	}
}
