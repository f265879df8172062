package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/store"
)

func decision(t time.Time, i int) *screening.DecisionRecord {
	return &screening.DecisionRecord{
		ID: screening.NewDecisionID(t), Time: t, KeyID: "gate-1", Channel: "screen",
		InputDigest: fmt.Sprintf("digest-%d", i), Outcome: screening.Refer,
		Hits:             []screening.Hit{{Kind: screening.HitName, List: "un", EntryID: "QDi.001", Score: 0.93, Action: screening.ActionRefer}},
		WatchlistVersion: 7, AlgorithmVersion: "test",
		Traveller: &screening.Traveller{Name: fmt.Sprintf("Traveller %d", i), Nationality: "GBR"},
	}
}

func TestRecordDecisionsConcurrently(t *testing.T) {
	ctx := context.Background()
	db, dir := openTemp(t)
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	const n = 200
	recs := make([]*screening.DecisionRecord, n)
	for i := range n {
		recs[i] = decision(base.Add(time.Duration(i)*time.Minute), i)
	}
	recordAll(t, db, recs)
	db.Close()
	db, err := store.Open(dir, &store.Options{Logger: discardLogger()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.Decision(ctx, recs[17].ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Traveller == nil || got.Traveller.Name != "Traveller 17" || got.Outcome != screening.Refer || len(got.Hits) != 1 {
		t.Fatalf("decision 17 = %+v", got)
	}
	if _, err := db.Decision(ctx, "0000000000000000deadbeef"); !errors.Is(err, screening.ErrNotFound) {
		t.Fatalf("missing decision: %v", err)
	}
	if _, err := db.Decision(ctx, "../etc"); !errors.Is(err, screening.ErrNotFound) {
		t.Fatalf("malformed id: %v", err)
	}
	// A time range is a key range, oldest first.
	var ids []string
	if err := db.Decisions(ctx, base.Add(10*time.Minute), base.Add(20*time.Minute), 0, func(r *screening.DecisionRecord) error {
		ids = append(ids, r.ID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(ids) != 10 || ids[0] != recs[10].ID || ids[9] != recs[19].ID {
		t.Fatalf("range [10,20) gave %d records", len(ids))
	}
	n2 := 0
	db.Decisions(ctx, time.Time{}, time.Time{}, 5, func(*screening.DecisionRecord) error { n2++; return nil })
	if n2 != 5 {
		t.Fatalf("limit 5 gave %d", n2)
	}
}

// TestCommitInterval: a record that comes within the interval of the last
// commit waits out the rest of it, and the records that come meanwhile
// share its commit.
func TestCommitInterval(t *testing.T) {
	ctx := context.Background()
	const interval = 400 * time.Millisecond
	db, err := store.Open(t.TempDir(), &store.Options{Logger: discardLogger(), CommitInterval: interval})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	t0 := time.Now()
	if err := db.RecordDecision(ctx, decision(base, 0)); err != nil {
		t.Fatal(err)
	}
	commits := db.Commits()
	const n = 40
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 1; i <= n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- db.RecordDecision(ctx, decision(base.Add(time.Duration(i)*time.Second), i))
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if took := time.Since(t0); took < interval {
		t.Errorf("records within the interval were committed after %v, before the interval of %v", took, interval)
	}
	// All 40 came within the interval: one commit, or two or three should
	// the last goroutines start after it ended on a loaded machine.
	if c := db.Commits() - commits; c > 3 {
		t.Errorf("%d records within the interval took %d commits", n, c)
	}
	got := 0
	db.Decisions(ctx, time.Time{}, time.Time{}, 0, func(*screening.DecisionRecord) error { got++; return nil })
	if got != n+1 {
		t.Errorf("%d records stored, want %d", got, n+1)
	}
}

func TestCommitIntervalOf(t *testing.T) {
	if d := store.CommitIntervalOf(0); d >= 0 {
		t.Errorf("CommitIntervalOf(0) = %v: a user's 0 must mean no interval, not the default", d)
	}
	if d := store.CommitIntervalOf(3 * time.Millisecond); d != 3*time.Millisecond {
		t.Errorf("CommitIntervalOf(3ms) = %v", d)
	}
}

// TestCloseWritesWhatWaits: records waiting out the commit interval when
// the store closes are written, and their callers are told so.
func TestCloseWritesWhatWaits(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(dir, &store.Options{Logger: discardLogger(), CommitInterval: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := db.RecordDecision(ctx, decision(base, 0)); err != nil {
		t.Fatal(err)
	}
	const n = 6
	errs := make(chan error, n)
	for i := 1; i <= n; i++ {
		go func() { errs <- db.RecordDecision(ctx, decision(base.Add(time.Duration(i)*time.Second), i)) }()
	}
	time.Sleep(300 * time.Millisecond) // let them queue
	db.Close()
	acked := 0
	for range n {
		if err := <-errs; err == nil {
			acked++
		} else if !strings.Contains(err.Error(), "clos") {
			t.Errorf("a record refused at Close: %v", err)
		}
	}
	db, err = store.Open(dir, &store.Options{Logger: discardLogger()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stored := 0
	db.Decisions(ctx, time.Time{}, time.Time{}, 0, func(*screening.DecisionRecord) error { stored++; return nil })
	// Each acknowledged record is stored; one that queued is acknowledged.
	if acked == 0 || stored != 1+acked {
		t.Errorf("%d of %d records acknowledged, %d stored beside the first", acked, n, stored-1)
	}
}

// TestRecordDecisionsLargerThanATransaction records a manifest whose
// records do not fit in one Badger transaction, with smaller ones
// recorded beside it: every record is written.
func TestRecordDecisionsLargerThanATransaction(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	big := make([]*screening.DecisionRecord, 24)
	for i := range big {
		big[i] = decision(base.Add(time.Duration(i)*time.Second), i)
		big[i].Reasons = []string{strings.Repeat("r", 600<<10)} // 24 × 600 KiB: more than a transaction holds
	}
	var wg sync.WaitGroup
	small := make([]*screening.DecisionRecord, 50)
	for i := range small {
		small[i] = decision(base.Add(time.Hour+time.Duration(i)*time.Second), 100+i)
	}
	wg.Add(len(small))
	for _, r := range small {
		go func() {
			defer wg.Done()
			if err := db.RecordDecision(ctx, r); err != nil {
				t.Error(err)
			}
		}()
	}
	if err := db.RecordDecisions(ctx, big); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	for _, r := range append(big, small...) {
		got, err := db.Decision(ctx, r.ID)
		if err != nil || got.InputDigest != r.InputDigest {
			t.Fatalf("decision %s: %v", r.ID, err)
		}
	}
}

func TestRedactDecisions(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var recs []*screening.DecisionRecord
	for i := range 2500 {
		recs = append(recs, decision(base.Add(time.Duration(i)*time.Second), i))
	}
	recordAll(t, db, recs)
	cutoff := base.Add(2000 * time.Second)
	n, err := db.RedactDecisions(ctx, cutoff)
	if err != nil || n != 2000 {
		t.Fatalf("RedactDecisions = %d, %v; want 2000", n, err)
	}
	old, _ := db.Decision(ctx, recs[5].ID)
	if !old.Redacted || old.Traveller != nil || old.InputDigest != "" || old.Outcome != screening.Refer || old.Hits[0].EntryID != "QDi.001" {
		t.Fatalf("redacted record = %+v", old)
	}
	recent, _ := db.Decision(ctx, recs[2100].ID)
	if recent.Redacted || recent.Traveller == nil {
		t.Fatalf("a recent record was redacted: %+v", recent)
	}
	// A second pass only reads what became due since.
	if n, err := db.RedactDecisions(ctx, cutoff); err != nil || n != 0 {
		t.Fatalf("second pass = %d, %v; want 0", n, err)
	}
	if n, err := db.RedactDecisions(ctx, base.Add(2200*time.Second)); err != nil || n != 200 {
		t.Fatalf("third pass = %d, %v; want 200", n, err)
	}
}

// recordAll records recs from many goroutines at once, as a busy server
// would, so that they are group-committed.
func recordAll(t *testing.T, db *store.DB, recs []*screening.DecisionRecord) {
	t.Helper()
	var wg sync.WaitGroup
	sem := make(chan struct{}, 128)
	for _, r := range recs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := db.RecordDecision(context.Background(), r); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
}
