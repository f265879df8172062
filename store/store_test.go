package store_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/store"
)

func openTemp(t testing.TB) (*store.DB, string) {
	t.Helper()
	dir := t.TempDir()
	db, err := store.Open(dir, &store.Options{Logger: discardLogger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, dir
}

func person(list, id, name string) *screening.Entry {
	return &screening.Entry{
		ID: id, List: list, Kind: screening.KindPerson,
		Names:         []screening.Name{{Full: name}, {Given: "Alias", Family: id, Strength: screening.StrengthWeak}},
		BirthDates:    []screening.Date{{Year: 1970, Month: 5, Day: 17}, {Year: 1971}},
		Nationalities: []string{"RUS"},
		Gender:        screening.GenderMale,
		Documents:     []screening.Document{{Type: "P", Number: "12345" + id, Country: "RUS"}},
		Action:        screening.ActionRefer,
		Reason:        "test",
	}
}

// sliceReader is a screening.EntryReader over a slice; an error in errs at
// index i is returned in place of entry i.
type sliceReader struct {
	entries []*screening.Entry
	errs    map[int]error
	i       int
}

func (r *sliceReader) Read() (*screening.Entry, error) {
	if r.i >= len(r.entries) {
		return nil, io.EOF
	}
	i := r.i
	r.i++
	if err := r.errs[i]; err != nil {
		return nil, err
	}
	c := *r.entries[i]
	return screening.CheckRecord(i+1, &c)
}

func TestPutGetDelete(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	w := screening.WriteOptions{Actor: "alice", Reason: "new intelligence"}

	ch, err := db.Put(ctx, person("ops", "p1", "Ivan Petrov"), w)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Op != screening.OpCreate || ch.Version != 1 || ch.Seq != 1 || ch.Before != nil || ch.After == nil {
		t.Fatalf("create change = %+v", ch)
	}
	got, err := db.Get(ctx, "ops", "p1")
	if err != nil {
		t.Fatal(err)
	}
	want := person("ops", "p1", "Ivan Petrov")
	want.Version = 1
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Get = %+v\nwant %+v", got, want)
	}

	upd := person("ops", "p1", "Ivan Petrov")
	upd.Action = screening.ActionDeny
	ch, err = db.Put(ctx, upd, w)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Op != screening.OpUpdate || ch.Version != 2 || ch.Before == nil || ch.Before.Action != screening.ActionRefer || ch.After.Action != screening.ActionDeny {
		t.Fatalf("update change = %+v", ch)
	}

	info, err := db.List(ctx, "ops")
	if err != nil {
		t.Fatal(err)
	}
	if info.Entries != 1 || info.Version != 2 {
		t.Fatalf("list info = %+v, want 1 entry at version 2", info)
	}

	ch, err = db.Delete(ctx, "ops", "p1", w)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Op != screening.OpDelete || ch.Before == nil || ch.Before.Action != screening.ActionDeny {
		t.Fatalf("delete change = %+v", ch)
	}
	if _, err := db.Get(ctx, "ops", "p1"); !errors.Is(err, screening.ErrNotFound) {
		t.Fatalf("Get after delete: err = %v, want ErrNotFound", err)
	}
	if _, err := db.Delete(ctx, "ops", "p1", w); !errors.Is(err, screening.ErrNotFound) {
		t.Fatalf("second delete: err = %v, want ErrNotFound", err)
	}
	if db.Version() != 3 {
		t.Fatalf("Version = %d, want 3", db.Version())
	}

	var ops []screening.Op
	if err := db.Changes(ctx, screening.ChangeFilter{ID: "p1"}, func(c *screening.Change) error {
		if c.Actor != "alice" || c.Reason != "new intelligence" {
			t.Errorf("change %d: actor %q reason %q", c.Seq, c.Actor, c.Reason)
		}
		ops = append(ops, c.Op)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if want := []screening.Op{screening.OpCreate, screening.OpUpdate, screening.OpDelete}; !reflect.DeepEqual(ops, want) {
		t.Fatalf("audit ops = %v, want %v (deleting keeps the audit)", ops, want)
	}
}

func TestPutModes(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	if _, err := db.Put(ctx, person("ops", "p1", "A B"), screening.WriteOptions{Mode: screening.UpdateOnly}); !errors.Is(err, screening.ErrNotFound) {
		t.Fatalf("UpdateOnly of a missing entry: err = %v, want ErrNotFound", err)
	}
	if _, err := db.Put(ctx, person("ops", "p1", "A B"), screening.WriteOptions{Mode: screening.CreateOnly}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Put(ctx, person("ops", "p1", "A B"), screening.WriteOptions{Mode: screening.CreateOnly}); !errors.Is(err, screening.ErrConflict) {
		t.Fatalf("CreateOnly of an existing entry: err = %v, want ErrConflict", err)
	}
	if _, err := db.Put(ctx, person("ops", "p1", "A C"), screening.WriteOptions{IfVersion: 7}); !errors.Is(err, screening.ErrConflict) {
		t.Fatalf("IfVersion 7 at version 1: err = %v, want ErrConflict", err)
	}
	if _, err := db.Put(ctx, person("ops", "p1", "A C"), screening.WriteOptions{IfVersion: 1}); err != nil {
		t.Fatalf("IfVersion 1 at version 1: %v", err)
	}
}

func TestPutInvalid(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	tests := []struct {
		name  string
		edit  func(*screening.Entry)
		field string
	}{
		{"no name", func(e *screening.Entry) { e.Names = nil }, "names"},
		{"bad nationality", func(e *screening.Entry) { e.Nationalities = []string{"QQQ"} }, "nationalities[0]"},
		{"bad date", func(e *screening.Entry) { e.BirthDates = []screening.Date{{Year: 1970, Month: 2, Day: 30}} }, "birth_dates[0]"},
		{"bad list", func(e *screening.Entry) { e.List = "Bad List" }, "list"},
		{"slash in id", func(e *screening.Entry) { e.ID = "a/b" }, "id"},
		{"bad action", func(e *screening.Entry) { e.Action = "shoot" }, "action"},
		{"empty doc number", func(e *screening.Entry) { e.Documents[0].Number = " " }, "documents[0].number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := person("ops", "p1", "A B")
			tt.edit(e)
			_, err := db.Put(ctx, e, screening.WriteOptions{})
			var ve *screening.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v, want a *ValidationError", err)
			}
			if ve.Field != tt.field {
				t.Fatalf("field = %q, want %q (err %v)", ve.Field, tt.field, err)
			}
		})
	}
	if v := db.Version(); v != 0 {
		t.Fatalf("Version after refused writes = %d, want 0", v)
	}
}

func entries(list string, n int, tag string) []*screening.Entry {
	out := make([]*screening.Entry, n)
	for i := range out {
		e := person(list, fmt.Sprintf("e%05d", i), fmt.Sprintf("Person %d", i))
		e.Reason = tag
		out[i] = e
	}
	return out
}

func listIDs(t *testing.T, db *store.DB, list string) map[string]*screening.Entry {
	t.Helper()
	out := map[string]*screening.Entry{}
	if err := db.Entries(context.Background(), list, func(e *screening.Entry) error {
		out[e.ID] = e
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestImportReplacesAtomically(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	first := entries("bulk", 100, "v1")
	res, err := db.Import(ctx, "bulk", &sliceReader{entries: first}, screening.ImportOptions{Actor: "op", Format: "jsonl"})
	if err != nil {
		t.Fatal(err)
	}
	if s := res.Change.Import; s.Added != 100 || s.Read != 100 || s.Removed != 0 {
		t.Fatalf("first import summary = %+v", s)
	}

	// Second import: entries 0-9 changed, 10-89 unchanged, 90-99 removed, 100-104 added.
	second := entries("bulk", 105, "v1")[:90]
	for _, e := range second[:10] {
		e.Reason = "v2"
	}
	second = append(second, entries("bulk", 105, "v2")[100:]...)
	res, err = db.Import(ctx, "bulk", &sliceReader{entries: second}, screening.ImportOptions{Actor: "op"})
	if err != nil {
		t.Fatal(err)
	}
	s := res.Change.Import
	if s.Changed != 10 || s.Unchanged != 80 || s.Removed != 10 || s.Added != 5 {
		t.Fatalf("second import summary = %+v, want 10 changed, 80 unchanged, 10 removed, 5 added", s)
	}
	got := listIDs(t, db, "bulk")
	if len(got) != 95 {
		t.Fatalf("entries after second import = %d, want 95", len(got))
	}
	if got["e00000"].Reason != "v2" || got["e00000"].Version != res.Change.Version {
		t.Errorf("changed entry = %+v", got["e00000"])
	}
	if got["e00050"].Version != 1 {
		t.Errorf("unchanged entry version = %d, want 1 (the version at which it last changed)", got["e00050"].Version)
	}
	if _, ok := got["e00095"]; ok {
		t.Errorf("removed entry still listed")
	}

	// A failing reader leaves the list as it was.
	third := entries("bulk", 50, "v3")
	_, err = db.Import(ctx, "bulk", &sliceReader{entries: third, errs: map[int]error{40: errors.New("disk on fire")}}, screening.ImportOptions{})
	if err == nil {
		t.Fatal("import with a failing reader succeeded")
	}
	// So does an unusable record, and every bad record is reported.
	bad := &sliceReader{entries: third, errs: map[int]error{
		3:  &screening.RecordError{Record: 4, Err: errors.New("no name")},
		17: &screening.RecordError{Record: 18, Err: errors.New("broken date")},
	}}
	_, err = db.Import(ctx, "bulk", bad, screening.ImportOptions{})
	var ie *screening.ImportError
	if !errors.As(err, &ie) || ie.Count != 2 || ie.Records[0].Record != 4 || ie.Records[1].Record != 18 {
		t.Fatalf("import with bad records: err = %v, want an ImportError for records 4 and 18", err)
	}
	if after := listIDs(t, db, "bulk"); !reflect.DeepEqual(after, got) {
		t.Fatalf("failed imports changed the list")
	}
	info, _ := db.List(ctx, "bulk")
	if info.Entries != 95 || info.Version != res.Change.Version {
		t.Fatalf("list info after failed imports = %+v", info)
	}

	// With SkipInvalid the good records go in and the bad are listed.
	bad.i = 0
	res, err = db.Import(ctx, "bulk", bad, screening.ImportOptions{SkipInvalid: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Skipped) != 2 || res.Change.Import.Skipped != 2 || len(listIDs(t, db, "bulk")) != 48 {
		t.Fatalf("skip-invalid import: skipped %d, summary %+v", len(res.Skipped), res.Change.Import)
	}
}

func TestImportRefusesEmptyAndDuplicates(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	if _, err := db.Import(ctx, "x", &sliceReader{}, screening.ImportOptions{}); !errors.Is(err, screening.ErrInvalid) {
		t.Fatalf("empty import: err = %v, want ErrInvalid", err)
	}
	if _, err := db.Import(ctx, "x", &sliceReader{}, screening.ImportOptions{AllowEmpty: true}); err != nil {
		t.Fatalf("empty import with AllowEmpty: %v", err)
	}
	dup := entries("x", 3, "")
	dup[2].ID = dup[0].ID
	_, err := db.Import(ctx, "x", &sliceReader{entries: dup}, screening.ImportOptions{})
	var ie *screening.ImportError
	if !errors.As(err, &ie) || ie.Records[0].Record != 3 {
		t.Fatalf("duplicate ids: err = %v, want an ImportError at record 3", err)
	}
}

func TestChangesFeedFollowsImport(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	if _, err := db.Put(ctx, person("ops", "solo", "Solo Person"), screening.WriteOptions{Actor: "a"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Import(ctx, "bulk", &sliceReader{entries: entries("bulk", 5, "v1")}, screening.ImportOptions{Actor: "b"}); err != nil {
		t.Fatal(err)
	}
	next := entries("bulk", 5, "v1")[1:]
	next[0].Reason = "v2"
	if _, err := db.Import(ctx, "bulk", &sliceReader{entries: next}, screening.ImportOptions{Actor: "c"}); err != nil {
		t.Fatal(err)
	}
	var got []string
	if err := db.Changes(ctx, screening.ChangeFilter{AfterSeq: 1}, func(c *screening.Change) error {
		got = append(got, fmt.Sprintf("%d %s %s %s", c.Seq, c.Actor, c.Op, c.ID))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"2 b import ", "2 b create e00000", "2 b create e00001", "2 b create e00002", "2 b create e00003", "2 b create e00004",
		"3 c import ", "3 c update e00001", "3 c delete e00000",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("changes =\n%q\nwant\n%q", got, want)
	}
}

// TestChangesFeedOfLargeImport follows imports whose staged records fill
// several chunks: every entry's change comes back once, in order, with its
// state before and after, and a limit may end the feed inside a chunk.
func TestChangesFeedOfLargeImport(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	const n = 3000
	first := entries("bulk", n, "v1")
	if _, err := db.Import(ctx, "bulk", &sliceReader{entries: first}, screening.ImportOptions{Actor: "b"}); err != nil {
		t.Fatal(err)
	}
	// Keep the even entries, change every fourth, drop the odd ones.
	var next []*screening.Entry
	for i, e := range entries("bulk", n, "v1") {
		if i%2 == 1 {
			continue
		}
		if i%4 == 0 {
			e.Reason = "v2"
		}
		next = append(next, e)
	}
	if _, err := db.Import(ctx, "bulk", &sliceReader{entries: next}, screening.ImportOptions{Actor: "c"}); err != nil {
		t.Fatal(err)
	}
	ops := map[string]int{}
	creates := 0
	if err := db.Changes(ctx, screening.ChangeFilter{}, func(c *screening.Change) error {
		ops[fmt.Sprint(c.Seq, " ", c.Op)]++
		switch c.Op {
		case screening.OpCreate:
			want := fmt.Sprintf("e%05d", creates)
			if c.ID != want || c.After == nil || c.After.ID != want || c.After.Reason != "v1" || c.After.List != "bulk" || c.Before != nil {
				t.Fatalf("create %d = %+v, want %s", creates, c, want)
			}
			creates++
		case screening.OpUpdate:
			if c.Before == nil || c.Before.Reason != "v1" || c.After == nil || c.After.Reason != "v2" || c.Before.ID != c.ID {
				t.Fatalf("update = %+v", c)
			}
		case screening.OpDelete:
			if c.Before == nil || c.Before.ID != c.ID || c.After != nil {
				t.Fatalf("delete = %+v", c)
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"1 import": 1, "1 create": n, "2 import": 1, "2 update": n / 4, "2 delete": n / 2}
	if !reflect.DeepEqual(ops, want) {
		t.Fatalf("changes by op = %v, want %v", ops, want)
	}
	if err := db.Changes(ctx, screening.ChangeFilter{AfterSeq: math.MaxUint64}, func(c *screening.Change) error {
		return fmt.Errorf("change %d after the last sequence number", c.Seq)
	}); err != nil {
		t.Fatal(err)
	}
	got := 0
	if err := db.Changes(ctx, screening.ChangeFilter{Limit: 1234}, func(*screening.Change) error { got++; return nil }); err != nil || got != 1234 {
		t.Fatalf("limited feed: %d changes, %v; want 1234", got, err)
	}
}

func TestReopenKeepsEverything(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(dir, &store.Options{Logger: discardLogger()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Import(ctx, "bulk", &sliceReader{entries: entries("bulk", 50, "")}, screening.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Put(ctx, person("ops", "p", "P Q"), screening.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = store.Open(dir, &store.Options{Logger: discardLogger()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.Version() != 2 {
		t.Fatalf("Version after reopen = %d, want 2", db.Version())
	}
	lists, err := db.Lists(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(lists) != 2 || lists[0].Name != "bulk" || lists[0].Entries != 50 || lists[1].Name != "ops" || lists[1].Entries != 1 {
		t.Fatalf("lists after reopen = %+v", lists)
	}
	// A write after reopen continues the counters.
	ch, err := db.Put(ctx, person("ops", "q", "Q R"), screening.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if ch.Version != 3 || ch.Seq != 3 {
		t.Fatalf("change after reopen: version %d seq %d, want 3 and 3", ch.Version, ch.Seq)
	}
}

func TestDeleteList(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	if _, err := db.Import(ctx, "bulk", &sliceReader{entries: entries("bulk", 20, "")}, screening.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.DeleteList(ctx, "bulk", screening.WriteOptions{Actor: "op"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.List(ctx, "bulk"); !errors.Is(err, screening.ErrNotFound) {
		t.Fatalf("List after DeleteList: %v", err)
	}
	if _, err := db.Get(ctx, "bulk", "e00001"); !errors.Is(err, screening.ErrNotFound) {
		t.Fatalf("Get after DeleteList: %v", err)
	}
	// A new list of the same name starts empty.
	if _, err := db.Put(ctx, person("bulk", "n", "N M"), screening.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := listIDs(t, db, "bulk"); len(got) != 1 {
		t.Fatalf("recreated list has %d entries, want 1", len(got))
	}
}

func TestSnapshotSeq(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	for i := range 3 {
		if _, err := db.Put(ctx, person("ops", fmt.Sprint(i), "A B"), screening.WriteOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	n := 0
	seq, version, err := db.Snapshot(ctx, func(*screening.Entry) error { n++; return nil })
	if err != nil || seq != 3 || version != 3 || n != 3 {
		t.Fatalf("Snapshot = seq %d, version %d, %d entries, err %v; want 3, 3, 3", seq, version, n, err)
	}
	ctx2, cancel := context.WithTimeout(ctx, time.Nanosecond)
	defer cancel()
	time.Sleep(time.Millisecond)
	if _, err := db.Get(ctx2, "ops", "0"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Get with an expired context: %v", err)
	}
}
