package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/gate"
)

// Gate events live under their own prefix, g/:
//
//	g/key                 the key of the document digests (32 random bytes)
//	g/e/ID                an event's record (JSON); ids sort by event time
//	g/d/DIGEST/ID         index: the events of one document (empty value)
//	g/g/GATE/ID           index: the events of one gate (empty value)
//
// The record and its index keys are written in one commit and expire
// together: Badger's TTL drops them once the retention period after the
// event's time has passed, and compaction reclaims their space.
const (
	eventPrefix    = "g/e/"
	eventDocPrefix = "g/d/"
	eventGatePfx   = "g/g/"
)

var keyEventDigest = []byte("g/key")

// DefaultEventRetention is how long gate events are kept by default.
const DefaultEventRetention = 30 * 24 * time.Hour

// ErrEventsOpen is returned by OpenEvents when the event log of the DB is
// already open.
var ErrEventsOpen = errors.New("the gate event log is already open")

// ErrEventsClosed is returned by Record once the event log or its DB is
// closing.
var ErrEventsClosed = errors.New("the gate event log is closed")

// EventOptions configures the gate event log. The zero value means the
// defaults.
type EventOptions struct {
	// Retention is how long an event is kept after its time. Default 30
	// days. It applies to the events written from then on: each record
	// carries its own expiry.
	Retention time.Duration
}

// Events is the durable log of gate and kiosk events and their decisions,
// in the store's Badger under the prefix g/. Record is group-committed as
// decision records are: concurrent records share one synced commit, and
// Record returns once its record is on disk. Queries by document, by gate
// and by time range read key ranges in event-time order.
//
// Events implements gate.Log. Open it with DB.OpenEvents and close it
// before the DB. It is safe for concurrent use.
type Events struct {
	db        *DB
	retention time.Duration
	key       []byte
	closed    atomic.Bool
}

var _ gate.Log = (*Events)(nil)

// openEvents guards against two Events over one DB.
var openEvents sync.Map

// OpenEvents opens the gate event log of db, making its digest key on first
// use. Its records join the DB's group commits, with the decisions'.
func (db *DB) OpenEvents(ctx context.Context, opts *EventOptions) (*Events, error) {
	var o EventOptions
	if opts != nil {
		o = *opts
	}
	if o.Retention == 0 {
		o.Retention = DefaultEventRetention
	}
	if o.Retention < time.Hour {
		return nil, fmt.Errorf("open gate event log: retention %v: want at least an hour", o.Retention)
	}
	if err := ctxErr(ctx); err != nil {
		return nil, err
	}
	if _, loaded := openEvents.LoadOrStore(db, true); loaded {
		return nil, ErrEventsOpen
	}
	key, err := db.eventDigestKey()
	if err != nil {
		openEvents.Delete(db)
		return nil, fmt.Errorf("open gate event log: %w", err)
	}
	return &Events{db: db, retention: o.Retention, key: key}, nil
}

// eventDigestKey reads the digest key, making it on first use.
func (db *DB) eventDigestKey() ([]byte, error) {
	var key []byte
	err := db.bdb.View(func(txn *badger.Txn) error {
		item, err := txn.Get(keyEventDigest)
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		key, err = item.ValueCopy(nil)
		return err
	})
	if err != nil || key != nil {
		if err == nil && len(key) < gate.MinDigestKey {
			err = fmt.Errorf("corrupt digest key (%d bytes)", len(key))
		}
		return key, err
	}
	key = make([]byte, 32)
	rand.Read(key)
	// Two processes cannot open one store, and OpenEvents is guarded:
	// nobody else writes the key between the read and this write.
	if err := db.update(func(txn *badger.Txn) error { return txn.Set(keyEventDigest, key) }); err != nil {
		return nil, err
	}
	return key, nil
}

// DigestKey returns the key of the document digests under which the log
// indexes documents (see gate.Digester). It is made at random the first
// time the log is opened and kept in the store: the index and the
// recent-use memory rebuilt after a restart depend on it.
func (ev *Events) DigestKey() []byte { return append([]byte(nil), ev.key...) }

// Retention returns how long events are kept.
func (ev *Events) Retention() time.Duration { return ev.retention }

// Close closes the log: Record refuses new events, and another Events may
// be opened over the DB. Events already recording are written by the DB's
// group commit, which Close of the DB drains. Close it before the DB; it
// is safe to call more than once.
func (ev *Events) Close() error {
	if ev.closed.CompareAndSwap(false, true) {
		openEvents.Delete(ev.db)
	}
	return nil
}

func eventKey(id string) []byte { return []byte(eventPrefix + id) }

// Record writes an event's record and its index keys and returns once they
// are on disk. Concurrent calls are written together in one synced commit.
// The record expires Retention after the event's time.
func (ev *Events) Record(ctx context.Context, r *gate.Record) error {
	if err := screening.ValidateDecisionID(r.ID); err != nil {
		return fmt.Errorf("record gate event: %w", err)
	}
	if _, err := gate.ParseDigest(r.Document.Digest); err != nil {
		return fmt.Errorf("record gate event %s: document digest: %w", r.ID, err)
	}
	if r.Gate == "" || bytes.IndexByte([]byte(r.Gate), '/') >= 0 {
		return fmt.Errorf("record gate event %s: gate %q", r.ID, r.Gate)
	}
	val, err := marshalRecord(r)
	if err != nil {
		return fmt.Errorf("record gate event %s: %w", r.ID, err)
	}
	expires := uint64(max(1, r.Time.Add(ev.retention).Unix()))
	entry := func(k, v []byte) *badger.Entry {
		e := badger.NewEntry(k, v)
		e.ExpiresAt = expires
		return e
	}
	if ev.closed.Load() {
		return fmt.Errorf("record gate event %s: %w", r.ID, ErrEventsClosed)
	}
	err = ev.db.commit(ctx, []*badger.Entry{
		entry(eventKey(r.ID), val),
		entry([]byte(eventDocPrefix+r.Document.Digest+"/"+r.ID), nil),
		entry([]byte(eventGatePfx+r.Gate+"/"+r.ID), nil),
	})
	if errors.Is(err, errClosing) {
		err = ErrEventsClosed
	}
	if err != nil {
		return fmt.Errorf("record gate event %s: %w", r.ID, err)
	}
	return nil
}

// Event returns one event's record, or an error matching
// screening.ErrNotFound.
func (ev *Events) Event(ctx context.Context, id string) (*gate.Record, error) {
	if err := ctxErr(ctx); err != nil {
		return nil, err
	}
	if screening.ValidateDecisionID(id) != nil {
		return nil, fmt.Errorf("gate event %q: %w", id, screening.ErrNotFound)
	}
	var r gate.Record
	err := ev.db.bdb.View(func(txn *badger.Txn) error { return getJSON(txn, eventKey(id), &r) })
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, fmt.Errorf("gate event %q: %w", id, screening.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read gate event %q: %w", id, err)
	}
	return &r, nil
}

// Events calls fn with the events q selects, in event-time order: by
// document (q.Digest) or gate (q.Gate) through their index, else all, each
// within q.From and q.To and after q.After, at most q.Limit of them.
func (ev *Events) Events(ctx context.Context, q gate.Query, fn func(*gate.Record) error) error {
	prefix := eventPrefix
	switch {
	case q.Digest != "":
		if _, err := gate.ParseDigest(q.Digest); err != nil {
			return fmt.Errorf("query gate events: digest: %w: %w", err, screening.ErrInvalid)
		}
		prefix = eventDocPrefix + q.Digest + "/"
	case q.Gate != "":
		if bytes.IndexByte([]byte(q.Gate), '/') >= 0 {
			return fmt.Errorf("query gate events: gate %q: %w", q.Gate, screening.ErrInvalid)
		}
		prefix = eventGatePfx + q.Gate + "/"
	}
	if q.After != "" && screening.ValidateDecisionID(q.After) != nil {
		return fmt.Errorf("query gate events: after %q: %w", q.After, screening.ErrInvalid)
	}
	start := []byte(prefix + screening.DecisionIDPrefix(q.From))
	if q.After != "" {
		if a := []byte(prefix + q.After + "\x00"); bytes.Compare(a, start) > 0 {
			start = a
		}
	}
	var end []byte
	if !q.To.IsZero() {
		end = []byte(prefix + screening.DecisionIDPrefix(q.To))
	}
	index := prefix != eventPrefix
	n := 0
	return ev.db.bdb.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(prefix), PrefetchValues: !index, PrefetchSize: 64})
		defer it.Close()
		for it.Seek(start); it.Valid(); it.Next() {
			item := it.Item()
			key := item.Key()
			if end != nil && bytes.Compare(key, end) >= 0 {
				return nil
			}
			if err := ctxErr(ctx); err != nil {
				return err
			}
			var r gate.Record
			var err error
			if index {
				id := string(key[len(prefix):])
				err = getJSON(txn, eventKey(id), &r)
				if errors.Is(err, badger.ErrKeyNotFound) {
					continue // expired between the index key and the record
				}
			} else {
				err = item.Value(func(v []byte) error { return json.Unmarshal(v, &r) })
			}
			if err != nil {
				return fmt.Errorf("read gate event %q: %w", key, err)
			}
			if q.Gate != "" && r.Gate != q.Gate {
				continue
			}
			if err := fn(&r); err != nil {
				return err
			}
			if n++; q.Limit > 0 && n >= q.Limit {
				return nil
			}
		}
		return nil
	})
}
