package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/gate"
	"github.com/bordersec/portcullis/store"
)

// gateRecord returns a gate event record at t for document doc (0 to 15)
// at gate g.
func gateRecord(t time.Time, doc int, g string) *gate.Record {
	return &gate.Record{
		ID: screening.NewDecisionID(t), Time: t.UTC(), Received: t.UTC(), Gate: g, Port: g[:3], Class: gate.ClassEGate,
		Profile: "egate", Direction: gate.Entry, Attempt: 1,
		Document: gate.DocumentRef{Digest: fmt.Sprintf("%032x", doc), Type: "P", Country: "GBR"},
		Decision: gate.Accept, WatchlistVersion: 1,
	}
}

func openEvents(t *testing.T, db *store.DB) *store.Events {
	t.Helper()
	ev, err := db.OpenEvents(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ev.Close() })
	return ev
}

func collect(t *testing.T, ev *store.Events, q gate.Query) []string {
	t.Helper()
	ids := []string{}
	if err := ev.Events(context.Background(), q, func(r *gate.Record) error {
		ids = append(ids, r.ID)
		return nil
	}); err != nil {
		t.Fatalf("Events(%+v): %v", q, err)
	}
	return ids
}

func TestEventsRecordAndQuery(t *testing.T) {
	ctx := context.Background()
	db, dir := openTemp(t)
	ev := openEvents(t, db)
	key := ev.DigestKey()
	if len(key) < gate.MinDigestKey {
		t.Fatalf("digest key of %d bytes", len(key))
	}
	base := time.Now().Add(-time.Hour).Truncate(time.Second)
	gates := []string{"LHR-E01", "LHR-E02", "JFK-E01"}
	const n = 120
	recs := make([]*gate.Record, n)
	for i := range recs {
		recs[i] = gateRecord(base.Add(time.Duration(i)*time.Second), i%16, gates[i%3])
	}
	var wg sync.WaitGroup
	for _, r := range recs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := ev.Record(ctx, r); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()

	// Everything survives a restart, and the digest key stays the same.
	ev.Close()
	db.Close()
	db, err := store.Open(dir, &store.Options{Logger: discardLogger()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ev = openEvents(t, db)
	if !bytes.Equal(ev.DigestKey(), key) {
		t.Fatal("the digest key changed across a restart")
	}

	idsOf := func(keep func(i int) bool) []string {
		out := []string{}
		for i, r := range recs {
			if keep(i) {
				out = append(out, r.ID)
			}
		}
		return out
	}
	tests := []struct {
		name string
		q    gate.Query
		want []string
	}{
		{"all", gate.Query{}, idsOf(func(int) bool { return true })},
		{"time range", gate.Query{From: base.Add(10 * time.Second), To: base.Add(20 * time.Second)}, idsOf(func(i int) bool { return i >= 10 && i < 20 })},
		{"gate", gate.Query{Gate: "LHR-E02"}, idsOf(func(i int) bool { return i%3 == 1 })},
		{"gate and time", gate.Query{Gate: "JFK-E01", From: base.Add(60 * time.Second)}, idsOf(func(i int) bool { return i%3 == 2 && i >= 60 })},
		{"document", gate.Query{Digest: fmt.Sprintf("%032x", 5)}, idsOf(func(i int) bool { return i%16 == 5 })},
		{"document at a gate", gate.Query{Digest: fmt.Sprintf("%032x", 5), Gate: "LHR-E01"}, idsOf(func(i int) bool { return i%16 == 5 && i%3 == 0 })},
		{"limit", gate.Query{Limit: 7}, idsOf(func(i int) bool { return i < 7 })},
		{"after", gate.Query{After: recs[99].ID, Limit: 5}, idsOf(func(i int) bool { return i >= 100 && i < 105 })},
		{"unknown gate", gate.Query{Gate: "XXX-E01"}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := collect(t, ev, tt.q)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got %d events %v\nwant %d %v", len(got), got, len(tt.want), tt.want)
			}
		})
	}

	got, err := ev.Event(ctx, recs[17].ID)
	if err != nil || got.Gate != recs[17].Gate || got.Document.Digest != recs[17].Document.Digest || !got.Time.Equal(recs[17].Time) {
		t.Fatalf("Event = %+v, %v", got, err)
	}
	for _, id := range []string{"0000000000000000deadbeef", "../../etc", ""} {
		if _, err := ev.Event(ctx, id); !errors.Is(err, screening.ErrNotFound) {
			t.Errorf("Event(%q) = %v, want ErrNotFound", id, err)
		}
	}
	for _, q := range []gate.Query{{Digest: "nothex"}, {Gate: "a/b"}, {After: "x"}} {
		if err := ev.Events(ctx, q, func(*gate.Record) error { return nil }); !errors.Is(err, screening.ErrInvalid) {
			t.Errorf("Events(%+v) = %v, want ErrInvalid", q, err)
		}
	}
}

func TestEventsRetention(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	ev := openEvents(t, db)
	old := gateRecord(time.Now().Add(-31*24*time.Hour), 1, "LHR-E01")
	kept := gateRecord(time.Now().Add(-29*24*time.Hour), 1, "LHR-E01")
	for _, r := range []*gate.Record{old, kept} {
		if err := ev.Record(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []gate.Query{{}, {Gate: "LHR-E01"}, {Digest: old.Document.Digest}} {
		if got := collect(t, ev, q); fmt.Sprint(got) != fmt.Sprint([]string{kept.ID}) {
			t.Errorf("Events(%+v) = %v, want only the event within 30 days", q, got)
		}
	}
	if _, err := ev.Event(ctx, old.ID); !errors.Is(err, screening.ErrNotFound) {
		t.Errorf("an event past retention: %v, want ErrNotFound", err)
	}
}

func TestEventsLifecycle(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	ev := openEvents(t, db)
	if _, err := db.OpenEvents(ctx, nil); !errors.Is(err, store.ErrEventsOpen) {
		t.Errorf("second OpenEvents = %v, want ErrEventsOpen", err)
	}
	if _, err := db.OpenEvents(ctx, &store.EventOptions{Retention: time.Minute}); err == nil {
		t.Error("a retention of a minute was accepted")
	}
	bad := gateRecord(time.Now(), 1, "LHR-E01")
	bad.Document.Digest = "12"
	if err := ev.Record(ctx, bad); err == nil {
		t.Error("a record without a digest was written")
	}
	ev.Close()
	if err := ev.Record(ctx, gateRecord(time.Now(), 1, "LHR-E01")); !errors.Is(err, store.ErrEventsClosed) {
		t.Errorf("Record after Close = %v, want ErrEventsClosed", err)
	}
	ev2, err := db.OpenEvents(ctx, nil)
	if err != nil {
		t.Fatalf("OpenEvents after Close: %v", err)
	}
	ev2.Close()
}

// TestEventsDBClosedUnderLog closes the DB while the log is open: Record
// must fail, not hang.
func TestEventsDBClosedUnderLog(t *testing.T) {
	db, err := store.Open(t.TempDir(), &store.Options{Logger: discardLogger()})
	if err != nil {
		t.Fatal(err)
	}
	ev, err := db.OpenEvents(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	for range 20 {
		if err := ev.Record(context.Background(), gateRecord(time.Now(), 1, "LHR-E01")); err == nil {
			t.Fatal("Record succeeded on a closed DB")
		}
	}
	ev.Close()
}
