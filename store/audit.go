package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/bordersec/portcullis/screening"
)

// ChangeFilter selects records of the watchlist audit trail. The zero value
// selects everything.
type ChangeFilter struct {
	// AfterSeq skips the records up to and including this sequence number.
	AfterSeq uint64
	// From and To bound the record's time (From included, To excluded);
	// zero means unbounded.
	From, To time.Time
	// List and ID, when set, keep only the changes to that list or entry.
	List string
	ID   string
	// Limit stops after this many records; 0 means no limit.
	Limit int
}

func (f *ChangeFilter) match(c *screening.Change) bool {
	if f.List != "" && c.List != f.List {
		return false
	}
	if f.ID != "" && c.ID != f.ID {
		return false
	}
	if !f.From.IsZero() && c.Time.Before(f.From) {
		return false
	}
	return true
}

var errStop = errors.New("stop")

// Changes calls fn with the records of the watchlist audit trail that f
// selects, oldest first. An import gives its own record (Op OpImport, with
// counts) followed by one record per entry it added, changed or removed,
// all with the import's sequence number, version, time and actor.
//
// The engine follows this feed to keep its in-memory index current: every
// record with After set is the entry's new state; one without, a removal.
func (db *DB) Changes(ctx context.Context, f ChangeFilter, fn func(*screening.Change) error) error {
	n := 0
	emit := func(c *screening.Change) error {
		if !f.match(c) {
			return nil
		}
		if err := fn(c); err != nil {
			return err
		}
		if n++; f.Limit > 0 && n >= f.Limit {
			return errStop
		}
		return nil
	}
	err := db.bdb.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("a/"), PrefetchValues: true})
		defer it.Close()
		for it.Seek(auditKey(f.AfterSeq + 1)); it.Valid(); it.Next() {
			if err := ctxErr(ctx); err != nil {
				return err
			}
			var rec auditRecord
			if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &rec) }); err != nil {
				return fmt.Errorf("read audit record %q: %w", it.Item().Key(), err)
			}
			c := rec.Change
			if c == nil {
				return fmt.Errorf("read audit record %q: empty", it.Item().Key())
			}
			if !f.To.IsZero() && !c.Time.Before(f.To) {
				return nil
			}
			if f.ID == "" || c.ID == f.ID {
				if err := emit(c); err != nil {
					return err
				}
			}
			if rec.Gen == 0 || c.Op != screening.OpImport {
				continue
			}
			if f.List != "" && c.List != f.List {
				continue
			}
			if err := stagedChanges(ctx, txn, c, rec.Gen, emit); err != nil {
				return err
			}
		}
		return nil
	})
	if errors.Is(err, errStop) {
		return nil
	}
	return err
}

func stagedChanges(ctx context.Context, txn *badger.Txn, imp *screening.Change, gen uint64, emit func(*screening.Change) error) error {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: stagedPrefix(gen), PrefetchValues: true})
	defer it.Close()
	n := 0
	for it.Rewind(); it.Valid(); it.Next() {
		if n++; n%4096 == 0 {
			if err := ctxErr(ctx); err != nil {
				return err
			}
		}
		var s stagedChange
		if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &s) }); err != nil {
			return fmt.Errorf("read audit record %q: %w", it.Item().Key(), err)
		}
		if s.Before != nil {
			s.Before.List = imp.List
		}
		if s.After != nil {
			s.After.List = imp.List
		}
		c := &screening.Change{Seq: imp.Seq, Version: imp.Version, Time: imp.Time, Actor: imp.Actor,
			Op: s.Op, List: imp.List, ID: s.ID, Reason: imp.Reason, Before: s.Before, After: s.After}
		if err := emit(c); err != nil {
			return err
		}
	}
	return nil
}
