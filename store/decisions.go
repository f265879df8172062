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

// Decision records live under d/ID. IDs start with the time in hex, so that
// the keys sort by time and a time range is a key range.
const decisionPrefix = "d/"

var keyRedacted = []byte("m/redacted-until")

// jsonAppender is a record that writes itself as json.Marshal would:
// screening.DecisionRecord and gate.Record.
type jsonAppender interface {
	AppendJSON(b []byte) ([]byte, error)
}

// marshalRecord encodes a decision or gate event record, refusing one too
// large to be written durably (see valueThreshold).
func marshalRecord(rec jsonAppender) ([]byte, error) {
	val, err := rec.AppendJSON(make([]byte, 0, 1024))
	if err != nil {
		return nil, err
	}
	if len(val) >= valueThreshold {
		return nil, fmt.Errorf("record of %d bytes: records must be under %d bytes", len(val), valueThreshold)
	}
	return val, nil
}

// RecordDecision writes a decision's audit record and returns once it is on
// disk. Concurrent calls are written together in one synced commit (group
// commit), so recording costs one fsync per group, not per decision.
func (db *DB) RecordDecision(ctx context.Context, rec *screening.DecisionRecord) error {
	return db.RecordDecisions(ctx, []*screening.DecisionRecord{rec})
}

// RecordDecisions writes several decisions' records (a manifest's), all or
// none, and returns once they are on disk. They join the same group
// commits as RecordDecision's and the gate events'.
func (db *DB) RecordDecisions(ctx context.Context, recs []*screening.DecisionRecord) error {
	entries := make([]*badger.Entry, len(recs))
	for i, rec := range recs {
		if err := screening.ValidateDecisionID(rec.ID); err != nil {
			return fmt.Errorf("record decision: %w", err)
		}
		val, err := marshalRecord(rec)
		if err != nil {
			return fmt.Errorf("record decision %s: %w", rec.ID, err)
		}
		entries[i] = badger.NewEntry([]byte(decisionPrefix+rec.ID), val)
	}
	if err := db.commit(ctx, entries); err != nil {
		if len(recs) == 1 {
			return fmt.Errorf("record decision %s: %w", recs[0].ID, err)
		}
		return fmt.Errorf("record decisions: %w", err)
	}
	return nil
}

// Decision returns the audit record of one decision, or an error matching
// screening.ErrNotFound.
func (db *DB) Decision(ctx context.Context, id string) (*screening.DecisionRecord, error) {
	if err := ctxErr(ctx); err != nil {
		return nil, err
	}
	if screening.ValidateDecisionID(id) != nil {
		return nil, fmt.Errorf("decision %q: %w", id, screening.ErrNotFound)
	}
	var rec screening.DecisionRecord
	err := db.bdb.View(func(txn *badger.Txn) error { return getJSON(txn, []byte(decisionPrefix+id), &rec) })
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, fmt.Errorf("decision %q: %w", id, screening.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read decision %q: %w", id, err)
	}
	return &rec, nil
}

// Decisions calls fn with the decision records from from (included) to to
// (excluded), oldest first, at most limit of them (0: no limit).
func (db *DB) Decisions(ctx context.Context, from, to time.Time, limit int, fn func(*screening.DecisionRecord) error) error {
	start := []byte(decisionPrefix + screening.DecisionIDPrefix(from))
	var end []byte
	if !to.IsZero() {
		end = []byte(decisionPrefix + screening.DecisionIDPrefix(to))
	}
	n := 0
	return db.bdb.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(decisionPrefix), PrefetchValues: true})
		defer it.Close()
		for it.Seek(start); it.Valid(); it.Next() {
			if end != nil && string(it.Item().Key()) >= string(end) {
				return nil
			}
			if err := ctxErr(ctx); err != nil {
				return err
			}
			var rec screening.DecisionRecord
			if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &rec) }); err != nil {
				return fmt.Errorf("read decision %q: %w", it.Item().Key(), err)
			}
			if err := fn(&rec); err != nil {
				return err
			}
			if n++; limit > 0 && n >= limit {
				return nil
			}
		}
		return nil
	})
}

// RedactDecisions removes the traveller data from the decision records made
// before cutoff, keeping the outcome, the hits' lists, entries and scores,
// and the versions. It remembers how far it got, so each call only reads the
// records that became due since the last. It returns how many it redacted.
func (db *DB) RedactDecisions(ctx context.Context, cutoff time.Time) (int, error) {
	var from []byte
	err := db.bdb.View(func(txn *badger.Txn) error {
		item, err := txn.Get(keyRedacted)
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		from, err = item.ValueCopy(nil)
		return err
	})
	if err != nil {
		return 0, err
	}
	if from == nil {
		from = []byte(decisionPrefix)
	}
	end := []byte(decisionPrefix + screening.DecisionIDPrefix(cutoff))
	total := 0
	for {
		if err := ctxErr(ctx); err != nil {
			return total, err
		}
		type kv struct{ k, v []byte }
		var batch []kv
		var last []byte
		err := db.bdb.View(func(txn *badger.Txn) error {
			it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(decisionPrefix), PrefetchValues: true})
			defer it.Close()
			for it.Seek(from); it.Valid() && len(batch) < 1000; it.Next() {
				k := it.Item().KeyCopy(nil)
				if string(k) >= string(end) {
					break
				}
				last = k
				var rec screening.DecisionRecord
				if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &rec) }); err != nil {
					return fmt.Errorf("read decision %q: %w", k, err)
				}
				if rec.Redacted {
					continue
				}
				rec.Redact()
				v, err := json.Marshal(&rec)
				if err != nil {
					return err
				}
				batch = append(batch, kv{k, v})
			}
			return nil
		})
		if err != nil {
			return total, err
		}
		if last == nil {
			// Nothing due is left: remember the cutoff.
			return total, db.bdb.Update(func(txn *badger.Txn) error { return txn.Set(keyRedacted, end) })
		}
		from = append(last, 0)
		err = db.bdb.Update(func(txn *badger.Txn) error {
			for _, e := range batch {
				if err := txn.Set(e.k, e.v); err != nil {
					return err
				}
			}
			return txn.Set(keyRedacted, from)
		})
		if err != nil {
			return total, err
		}
		total += len(batch)
	}
}
