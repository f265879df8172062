package store

import (
	"context"
	"errors"
	"time"

	badger "github.com/dgraph-io/badger/v4"
)

// maxGroup is the most requests one group commit writes.
const maxGroup = 512

// writeReq is one request for the group commit: the entries of one or
// more records (a decision, a manifest's decisions, a gate event and its
// index keys), written together or not at all.
type writeReq struct {
	entries []*badger.Entry
	done    chan error
}

// commit queues entries for the next group commit and returns once they
// are on disk. Concurrent callers share one synced commit, so recording
// costs one sync a group, not one a record. Once queued the entries are
// written even past ctx's end or a Close, and commit reports how that
// went: a record that is written is never reported as lost. errClosing
// when the DB was closing before they were queued.
func (db *DB) commit(ctx context.Context, entries []*badger.Entry) error {
	req := &writeReq{entries: entries, done: make(chan error, 1)}
	// Close waits for queueing under way, so that what is queued is
	// written (committer, drainWrites) before the committer stops.
	db.queueMu.RLock()
	if db.stopping {
		db.queueMu.RUnlock()
		return errClosing
	}
	select {
	case db.writes <- req:
	case <-ctx.Done():
		db.queueMu.RUnlock()
		return ctx.Err()
	}
	db.queueMu.RUnlock()
	return <-req.done
}

// committer writes queued requests in groups, one synced commit a group,
// starting commits at most once per CommitInterval.
func (db *DB) committer() {
	defer db.wg.Done()
	group := make([]*writeReq, 0, maxGroup)
	interval := db.opts.CommitInterval
	var last time.Time // when the last commit started
	var timer *time.Timer
	for {
		select {
		case <-db.done:
			db.drainWrites()
			return
		case r := <-db.writes:
			group = append(group[:0], r)
		}
		group = db.gather(group)
		if wait := interval - time.Since(last); interval > 0 && wait > 0 && len(group) < maxGroup {
			if timer == nil {
				timer = time.NewTimer(wait)
			} else {
				timer.Reset(wait)
			}
		linger:
			for len(group) < maxGroup {
				select {
				case r := <-db.writes:
					group = append(group, r)
				case <-timer.C:
					break linger
				case <-db.done:
					break linger // drainWrites follows; write this group first
				}
			}
			timer.Stop()
		}
		last = time.Now()
		db.commits.Add(1)
		err := db.writeGroup(group)
		for _, r := range group {
			r.done <- err
		}
	}
}

// Commits returns the number of group commits of decision records and gate
// events since Open: with the number of records, how well they share syncs.
func (db *DB) Commits() uint64 { return db.commits.Load() }

// gather adds to group what is queued now, up to maxGroup requests.
func (db *DB) gather(group []*writeReq) []*writeReq {
	for len(group) < maxGroup {
		select {
		case r := <-db.writes:
			group = append(group, r)
		default:
			return group
		}
	}
	return group
}

// drainWrites writes what was queued before Close.
func (db *DB) drainWrites() {
	for {
		select {
		case r := <-db.writes:
			r.done <- db.writeGroup([]*writeReq{r})
		default:
			return
		}
	}
}

// writeGroup commits a group of requests: in one transaction, synced
// before Commit returns (SyncWrites, see Open), or, when they do not fit
// in one, in as many as they need, splitting a request only when it does
// not fit in a transaction alone (a very large manifest).
func (db *DB) writeGroup(group []*writeReq) error {
	txn := db.bdb.NewTransaction(true)
	defer txn.Discard()
	for i, r := range group {
		for k, e := range r.entries {
			err := txn.SetEntry(e)
			if err == nil {
				continue
			}
			if !errors.Is(err, badger.ErrTxnTooBig) {
				return err
			}
			if k == 0 && i == 0 {
				return err // one entry alone does not fit
			}
			if i > 0 {
				txn.Discard()
				if err := db.writeGroup(group[:i]); err != nil {
					return err
				}
				return db.writeGroup(group[i:])
			}
			// The first request alone is too big: commit what fits, then
			// the rest of it, then the rest of the group.
			if err := txn.Commit(); err != nil {
				return err
			}
			rest := append([]*writeReq{{entries: r.entries[k:]}}, group[1:]...)
			return db.writeGroup(rest)
		}
	}
	return txn.Commit()
}
