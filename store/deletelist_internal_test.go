package store

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/bordersec/portcullis/screening"
)

// TestDeleteListAuditsEachEntry: deleting a list leaves, in the audit
// trail and the change feed, a delete of each entry with the entry as it
// was, like an import that removes entries, so that an entry's history
// ends with its removal even after the list's generation is cleaned up.
func TestDeleteListAuditsEachEntry(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(dir, &Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	w := screening.WriteOptions{Actor: "test"}
	for _, id := range []string{"a", "b"} {
		if _, err := db.Put(ctx, &screening.Entry{ID: id, List: "l", Kind: screening.KindPerson, Names: []screening.Name{{Full: "John " + id}}, Action: screening.ActionRefer}, w); err != nil {
			t.Fatal(err)
		}
	}
	del, err := db.DeleteList(ctx, "l", w)
	if err != nil {
		t.Fatal(err)
	}
	db.Close() // and reopen: the cleaner may drop the generation
	db, err = Open(dir, &Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var got []string
	if err := db.ChangesAfter(ctx, del.Seq-1, func(c *screening.Change) error {
		s := string(c.Op) + " " + c.ID
		if c.Before != nil {
			s += " before " + c.Before.Names[0].Full
		}
		got = append(got, s)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := []string{"delete_list ", "delete a before John a", "delete b before John b"}
	if len(got) != len(want) {
		t.Fatalf("changes of the list delete: %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("changes of the list delete: %q, want %q", got, want)
		}
	}
	if l, _ := db.Lists(ctx); len(l) != 0 {
		t.Fatalf("lists after the delete: %v", l)
	}
}
