package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/bordersec/portcullis/screening"
)

func matchChange(f *screening.ChangeFilter, c *screening.Change) bool {
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
func (db *DB) Changes(ctx context.Context, f screening.ChangeFilter, fn func(*screening.Change) error) error {
	n := 0
	emit := func(c *screening.Change) error {
		if !matchChange(&f, c) {
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
	first, ok := firstAfter(f.AfterSeq)
	if !ok {
		return nil
	}
	err := db.bdb.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("a/"), PrefetchValues: true})
		defer it.Close()
		for it.Seek(auditKey(first)); it.Valid(); it.Next() {
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
			if err := emit(c); err != nil {
				return err
			}
			if rec.Gen == 0 || (c.Op != screening.OpImport && c.Op != screening.OpDeleteList) {
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
	for it.Rewind(); it.Valid(); it.Next() {
		if err := ctxErr(ctx); err != nil {
			return err
		}
		key := it.Item().Key()
		err := it.Item().Value(func(v []byte) error {
			chunk, err := unpackChunk(v)
			if err != nil {
				return fmt.Errorf("read audit record %q: %w", key, err)
			}
			for len(chunk) > 0 {
				line := chunk
				if i := bytes.IndexByte(chunk, '\n'); i >= 0 {
					line, chunk = chunk[:i], chunk[i+1:]
				} else {
					chunk = nil
				}
				c, err := stagedRecord(imp, line)
				if err != nil {
					return fmt.Errorf("read audit record %q: %w", key, err)
				}
				if err := emit(c); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// stagedRecord decodes one staged record of an import's chunk into the
// change it stands for.
func stagedRecord(imp *screening.Change, b []byte) (*screening.Change, error) {
	var s stagedChange
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, err
	}
	if s.Before != nil {
		s.Before.List = imp.List
	}
	var after *screening.Entry
	if len(s.After) > 0 {
		after = new(screening.Entry)
		if err := screening.DecodeEntryJSON(s.After, after); err != nil {
			return nil, err
		}
		after.List, after.Version = imp.List, imp.Version
	}
	return &screening.Change{Seq: imp.Seq, Version: imp.Version, Time: imp.Time, Actor: imp.Actor,
		Op: s.Op, List: imp.List, ID: s.ID, Reason: imp.Reason, Before: s.Before, After: after}, nil
}

// firstAfter returns the first audit sequence number after seq; ok is
// false when nothing can come after it.
func firstAfter(seq uint64) (first uint64, ok bool) {
	if seq == math.MaxUint64 {
		return 0, false
	}
	return seq + 1, true
}

// ChangesAfter calls fn with every change after the audit sequence number
// seq, oldest first: the engine's change feed.
func (db *DB) ChangesAfter(ctx context.Context, seq uint64, fn func(*screening.Change) error) error {
	return db.Changes(ctx, screening.ChangeFilter{AfterSeq: seq}, fn)
}
