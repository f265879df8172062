package store

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/bordersec/portcullis/screening"
)

// TestFailedSyncBreaksTheStore: after a sync fails, what was committed may
// or may not be on disk and the counters may lag it, so the store refuses
// every further watchlist write, imports included, until it is reopened;
// reopened, it goes on from what is on disk without reusing a version.
func TestFailedSyncBreaksTheStore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	open := func() *DB {
		db, err := Open(dir, &Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		return db
	}
	person := func(id string) *screening.Entry {
		return &screening.Entry{ID: id, List: "l", Kind: screening.KindPerson, Names: []screening.Name{{Full: "John " + id}}, Action: screening.ActionRefer}
	}
	w := screening.WriteOptions{Actor: "test"}
	db := open()
	if _, err := db.Put(ctx, person("a"), w); err != nil {
		t.Fatal(err)
	}
	syncFault = func() error { return errors.New("EIO") }
	_, err := db.Put(ctx, person("b"), w)
	syncFault = nil
	if !errors.Is(err, ErrBroken) {
		t.Fatalf("a put whose sync failed: %v, want ErrBroken", err)
	}
	if _, err := db.Put(ctx, person("c"), w); !errors.Is(err, ErrBroken) {
		t.Fatalf("a put after a failed sync: %v, want ErrBroken", err)
	}
	if _, err := db.Import(ctx, "l", &sliceReader{es: []*screening.Entry{person("d")}}, screening.ImportOptions{Actor: "test"}); !errors.Is(err, ErrBroken) {
		t.Fatalf("an import after a failed sync: %v, want ErrBroken", err)
	}
	db.Close()

	db = open()
	defer db.Close()
	ch, err := db.Put(ctx, person("c"), w)
	if err != nil {
		t.Fatalf("a put after reopening: %v", err)
	}
	versions := map[uint64]string{}
	if err := db.ChangesAfter(ctx, 0, func(c *screening.Change) error {
		if prev, dup := versions[c.Version]; dup {
			t.Errorf("version %d used by %s and %s", c.Version, prev, c.ID)
		}
		versions[c.Version] = c.ID
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if versions[ch.Version] != "c" || len(versions) != 3 {
		t.Errorf("audit trail after reopening: %v, want a, b and c at distinct versions", versions)
	}
}

type sliceReader struct {
	es []*screening.Entry
	i  int
}

func (r *sliceReader) Read() (*screening.Entry, error) {
	if r.i >= len(r.es) {
		return nil, io.EOF
	}
	r.i++
	return r.es[r.i-1], nil
}

// TestDeleteListIfMatch: deleting a whole list honours If-Match like
// single-entry writes do.
func TestDeleteListIfMatch(t *testing.T) {
	ctx := context.Background()
	db, err := Open(t.TempDir(), &Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	w := screening.WriteOptions{Actor: "test"}
	for _, id := range []string{"a", "b"} {
		if _, err := db.Put(ctx, &screening.Entry{ID: id, List: "l", Kind: screening.KindPerson, Names: []screening.Name{{Full: "John " + id}}, Action: screening.ActionRefer}, w); err != nil {
			t.Fatal(err)
		}
	}
	stale := w
	stale.IfVersion = 1
	if _, err := db.DeleteList(ctx, "l", stale); !errors.Is(err, screening.ErrConflict) {
		t.Fatalf("delete of a list at version 2 with If-Match 1: %v, want a conflict", err)
	}
	current := w
	current.IfVersion = 2
	if _, err := db.DeleteList(ctx, "l", current); err != nil {
		t.Fatalf("delete with the list's version: %v", err)
	}
}

// TestCommitsAreSynced pins what the group commits of decisions and gate
// events rely on for durability: Badger syncs its logs in every commit.
func TestCommitsAreSynced(t *testing.T) {
	db, err := Open(t.TempDir(), &Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if !db.bdb.Opts().SyncWrites {
		t.Fatal("Badger runs without SyncWrites: a committed group of decisions or events is not on disk when acknowledged")
	}
	if got := db.bdb.Opts().ValueThreshold; got != valueThreshold {
		t.Fatalf("value threshold %d, want %d", got, valueThreshold)
	}
	// A record that would go to the value log, whose sync errors Badger
	// only logs, is refused rather than acknowledged.
	big := &screening.DecisionRecord{ID: screening.NewDecisionID(time.Now()), Reasons: []string{strings.Repeat("x", valueThreshold)}}
	if err := db.RecordDecision(context.Background(), big); err == nil {
		t.Fatal("a decision record over the value threshold was written")
	}
}
