package store

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/bordersec/portcullis/screening"
)

// entryFormat is the first byte of a stored entry.
const entryFormat = 1

// encodeEntry returns the stored form of e: the format byte, the version at
// which it last changed, and its JSON without list and version (both are
// known from the key and the prefix).
func encodeEntry(e *screening.Entry, version uint64) ([]byte, error) {
	c := *e
	c.List, c.Version = "", 0
	b := make([]byte, 9, 640)
	b[0] = entryFormat
	binary.BigEndian.PutUint64(b[1:9], version)
	return c.AppendJSON(b), nil
}

// entryBody returns the part of a stored entry that says what it holds,
// without its version: two entries with equal bodies are the same entry.
func entryBody(v []byte) []byte {
	if len(v) < 9 {
		return nil
	}
	return v[9:]
}

func decodeEntry(list string, v []byte) (*screening.Entry, error) {
	if len(v) < 9 || v[0] != entryFormat {
		return nil, fmt.Errorf("corrupt entry in list %q: format %d, %d bytes", list, firstByte(v), len(v))
	}
	var e screening.Entry
	if err := screening.DecodeEntryJSON(v[9:], &e); err != nil {
		return nil, fmt.Errorf("corrupt entry in list %q: %w", list, err)
	}
	e.List = list
	e.Version = binary.BigEndian.Uint64(v[1:9])
	return &e, nil
}

func firstByte(b []byte) int {
	if len(b) == 0 {
		return -1
	}
	return int(b[0])
}

// Get returns the entry id of list, or an error matching
// screening.ErrNotFound.
func (db *DB) Get(ctx context.Context, list, id string) (*screening.Entry, error) {
	if err := ctxErr(ctx); err != nil {
		return nil, err
	}
	var e *screening.Entry
	err := db.bdb.View(func(txn *badger.Txn) error {
		m, err := db.readMeta(txn, list)
		if err != nil {
			return err
		}
		if m == nil {
			return fmt.Errorf("list %q: %w", list, screening.ErrNotFound)
		}
		e, err = getEntry(txn, m, id)
		return err
	})
	return e, err
}

func getEntry(txn *badger.Txn, m *listMeta, id string) (*screening.Entry, error) {
	item, err := txn.Get(entryKey(m.Name, m.Gen, id))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, fmt.Errorf("entry %q in list %q: %w", id, m.Name, screening.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read entry %q in list %q: %w", id, m.Name, err)
	}
	var e *screening.Entry
	err = item.Value(func(v []byte) error {
		var err error
		e, err = decodeEntry(m.Name, v)
		return err
	})
	return e, err
}

// Lists returns every list, sorted by name.
func (db *DB) Lists(ctx context.Context) ([]screening.ListInfo, error) {
	if err := ctxErr(ctx); err != nil {
		return nil, err
	}
	var out []screening.ListInfo
	err := db.bdb.View(func(txn *badger.Txn) error {
		metas, err := allMetas(txn)
		for _, m := range metas {
			out = append(out, m.info())
		}
		return err
	})
	return out, err
}

// List returns one list's metadata, or an error matching
// screening.ErrNotFound.
func (db *DB) List(ctx context.Context, name string) (screening.ListInfo, error) {
	if err := ctxErr(ctx); err != nil {
		return screening.ListInfo{}, err
	}
	var info screening.ListInfo
	err := db.bdb.View(func(txn *badger.Txn) error {
		m, err := db.readMeta(txn, name)
		if err != nil {
			return err
		}
		if m == nil {
			return fmt.Errorf("list %q: %w", name, screening.ErrNotFound)
		}
		info = m.info()
		return nil
	})
	return info, err
}

func (m *listMeta) info() screening.ListInfo {
	return screening.ListInfo{Name: m.Name, Entries: m.Entries, Version: m.Version,
		Updated: m.Updated, Source: m.Source, Format: m.Format}
}

func allMetas(txn *badger.Txn) ([]*listMeta, error) {
	var out []*listMeta
	it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("l/"), PrefetchValues: true})
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		var m listMeta
		if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &m) }); err != nil {
			return nil, fmt.Errorf("read list metadata %q: %w", it.Item().Key(), err)
		}
		out = append(out, &m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Entries calls fn with every entry of list, in id order, from one
// consistent snapshot. fn may keep the entries it is given.
func (db *DB) Entries(ctx context.Context, list string, fn func(*screening.Entry) error) error {
	return db.bdb.View(func(txn *badger.Txn) error {
		m, err := db.readMeta(txn, list)
		if err != nil {
			return err
		}
		if m == nil {
			return fmt.Errorf("list %q: %w", list, screening.ErrNotFound)
		}
		return iterEntries(ctx, txn, m, fn)
	})
}

// Snapshot calls fn with every entry of every list from one consistent
// snapshot, and returns the audit sequence number and the watchlist version
// of that snapshot: the changes that follow it are those ChangesAfter(ctx,
// seq, …) gives.
func (db *DB) Snapshot(ctx context.Context, fn func(*screening.Entry) error) (seq, version uint64, err error) {
	err = db.bdb.View(func(txn *badger.Txn) error {
		for _, c := range []struct {
			key []byte
			dst *uint64
		}{{keySeq, &seq}, {keyVersion, &version}} {
			item, err := txn.Get(c.key)
			switch {
			case errors.Is(err, badger.ErrKeyNotFound):
			case err != nil:
				return err
			default:
				if err := item.Value(func(v []byte) error { *c.dst = binary.BigEndian.Uint64(v); return nil }); err != nil {
					return err
				}
			}
		}
		metas, err := allMetas(txn)
		if err != nil {
			return err
		}
		for _, m := range metas {
			if err := iterEntries(ctx, txn, m, fn); err != nil {
				return err
			}
		}
		return nil
	})
	return seq, version, err
}

func iterEntries(ctx context.Context, txn *badger.Txn, m *listMeta, fn func(*screening.Entry) error) error {
	prefix := genPrefix(m.Name, m.Gen)
	it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, PrefetchValues: true, PrefetchSize: 256})
	defer it.Close()
	n := 0
	for it.Rewind(); it.Valid(); it.Next() {
		if n++; n%4096 == 0 {
			if err := ctxErr(ctx); err != nil {
				return err
			}
		}
		var e *screening.Entry
		if err := it.Item().Value(func(v []byte) error {
			var err error
			e, err = decodeEntry(m.Name, v)
			return err
		}); err != nil {
			return err
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

// Put validates e and writes it into list e.List, creating the list if need
// be. It returns the audit record of the change, with the entry before (nil
// when created) and after. The change is on disk when Put returns.
func (db *DB) Put(ctx context.Context, e *screening.Entry, w screening.WriteOptions) (*screening.Change, error) {
	if err := ctxErr(ctx); err != nil {
		return nil, err
	}
	if err := validateWatchlistName(e.List); err != nil {
		return nil, &screening.ValidationError{Field: "list", Value: e.List, Err: err}
	}
	c := *e
	c.Names = append([]screening.Name(nil), e.Names...)
	c.Normalize()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	db.wmu.Lock()
	defer db.wmu.Unlock()

	var ch *screening.Change
	var newGen uint64
	err := db.update(func(txn *badger.Txn) error {
		m, err := db.readMeta(txn, c.List)
		if err != nil {
			return err
		}
		now := db.opts.Now().UTC()
		var before *screening.Entry
		if m == nil {
			newGen = db.gen + 1
			m = &listMeta{Name: c.List, Gen: newGen}
			if err := txn.Set(keyGen, putU64(m.Gen)); err != nil {
				return err
			}
		} else {
			before, err = getEntry(txn, m, c.ID)
			if err != nil && !errors.Is(err, screening.ErrNotFound) {
				return err
			}
		}
		switch {
		case before != nil && w.Mode == screening.CreateOnly:
			return fmt.Errorf("entry %q in list %q already exists: %w", c.ID, c.List, screening.ErrConflict)
		case before == nil && w.Mode == screening.UpdateOnly:
			return fmt.Errorf("entry %q in list %q: %w", c.ID, c.List, screening.ErrNotFound)
		case w.IfVersion != 0 && (before == nil || before.Version != w.IfVersion):
			return fmt.Errorf("entry %q in list %q is not at version %d: %w", c.ID, c.List, w.IfVersion, screening.ErrConflict)
		}
		version, seq := db.version+1, db.seq+1
		val, err := encodeEntry(&c, version)
		if err != nil {
			return err
		}
		if err := txn.Set(entryKey(c.List, m.Gen, c.ID), val); err != nil {
			return err
		}
		if before == nil {
			m.Entries++
		}
		m.Version, m.Updated = version, now
		after := c
		after.Version = version
		op := screening.OpUpdate
		if before == nil {
			op = screening.OpCreate
		}
		ch = &screening.Change{Seq: seq, Version: version, Time: now, Actor: w.Actor, Op: op,
			List: c.List, ID: c.ID, Reason: w.Reason, Before: before, After: &after}
		return db.commitMeta(txn, m, ch, 0)
	})
	if err != nil {
		return nil, err
	}
	db.advance(ch, newGen)
	return ch, nil
}

// Delete removes the entry id from list and records its last state in the
// audit trail.
func (db *DB) Delete(ctx context.Context, list, id string, w screening.WriteOptions) (*screening.Change, error) {
	if err := ctxErr(ctx); err != nil {
		return nil, err
	}
	db.wmu.Lock()
	defer db.wmu.Unlock()
	var ch *screening.Change
	err := db.update(func(txn *badger.Txn) error {
		m, err := db.readMeta(txn, list)
		if err != nil {
			return err
		}
		if m == nil {
			return fmt.Errorf("list %q: %w", list, screening.ErrNotFound)
		}
		before, err := getEntry(txn, m, id)
		if err != nil {
			return err
		}
		if w.IfVersion != 0 && before.Version != w.IfVersion {
			return fmt.Errorf("entry %q in list %q is not at version %d: %w", id, list, w.IfVersion, screening.ErrConflict)
		}
		if err := txn.Delete(entryKey(list, m.Gen, id)); err != nil {
			return err
		}
		now := db.opts.Now().UTC()
		version, seq := db.version+1, db.seq+1
		m.Entries--
		m.Version, m.Updated = version, now
		ch = &screening.Change{Seq: seq, Version: version, Time: now, Actor: w.Actor,
			Op: screening.OpDelete, List: list, ID: id, Reason: w.Reason, Before: before}
		return db.commitMeta(txn, m, ch, 0)
	})
	if err != nil {
		return nil, err
	}
	db.advance(ch, 0)
	return ch, nil
}

// DeleteList removes a whole list. Its entries are deleted in the
// background; the audit trail keeps the change.
func (db *DB) DeleteList(ctx context.Context, list string, w screening.WriteOptions) (*screening.Change, error) {
	if err := ctxErr(ctx); err != nil {
		return nil, err
	}
	db.wmu.Lock()
	defer db.wmu.Unlock()
	if err := db.writable(); err != nil {
		return nil, err
	}
	rtx := db.bdb.NewTransaction(false)
	defer rtx.Discard()
	m, err := db.readMeta(rtx, list)
	if err != nil {
		return nil, err
	}
	if m == nil {
		return nil, fmt.Errorf("list %q: %w", list, screening.ErrNotFound)
	}
	if w.IfVersion != 0 && m.Version != w.IfVersion {
		return nil, fmt.Errorf("list %q is at version %d, not %d: %w", list, m.Version, w.IfVersion, screening.ErrConflict)
	}

	// Stage one delete record per entry, with the entry as it was, as an
	// import does for the entries it removes: the audit trail shows each
	// entry leaving, after the list's generation is gone. A crash before
	// the commit leaves a pending marker that the next open cleans up.
	gen, err := db.beginGen(list)
	if err != nil {
		return nil, fmt.Errorf("delete list %q: %w", list, err)
	}
	imp := &importer{db: db, list: list, gen: gen, wb: db.bdb.NewWriteBatch()}
	var stageErr error
	err = scanBodies(ctx, rtx, m, func(id string, version uint64, body []byte) {
		if stageErr != nil {
			return
		}
		var e screening.Entry
		if stageErr = screening.DecodeEntryJSON(body, &e); stageErr != nil {
			stageErr = fmt.Errorf("entry %q: %w", id, stageErr)
			return
		}
		e.ID, e.List, e.Version = id, list, version
		stageErr = imp.stage(screening.OpDelete, id, &e, nil)
	})
	if err == nil {
		err = stageErr
	}
	if err == nil {
		err = imp.flushStaged()
	}
	if err == nil {
		err = imp.wb.Flush()
	}
	if err != nil {
		imp.wb.Cancel()
		if cerr := db.discardGen(list, gen); cerr != nil {
			db.log.Error("discard a failed list delete; the next start will finish it", "list", list, "err", cerr)
		}
		return nil, fmt.Errorf("delete list %q: %w", list, err)
	}

	now := db.opts.Now().UTC()
	ch := &screening.Change{Seq: db.seq + 1, Version: db.version + 1, Time: now, Actor: w.Actor,
		Op: screening.OpDeleteList, List: list, Reason: w.Reason,
		Import: &screening.ImportSummary{Removed: m.Entries}}
	err = db.update(func(txn *badger.Txn) error {
		if err := txn.Delete(listKey(list)); err != nil {
			return err
		}
		if err := txn.Set(obsoleteKey(list, m.Gen), nil); err != nil {
			return err
		}
		if err := txn.Delete(pendingKey(gen)); err != nil {
			return err
		}
		return db.writeAudit(txn, ch, gen)
	})
	if err != nil {
		if !errors.Is(err, ErrBroken) {
			if cerr := db.discardGen(list, gen); cerr != nil {
				db.log.Error("discard a failed list delete; the next start will finish it", "list", list, "err", cerr)
			}
		}
		return nil, err
	}
	db.advance(ch, gen)
	db.kickCleaner()
	return ch, nil
}

// commitMeta writes the list metadata, the counters and the audit record of
// ch into txn.
func (db *DB) commitMeta(txn *badger.Txn, m *listMeta, ch *screening.Change, gen uint64) error {
	mb, err := json.Marshal(m)
	if err != nil {
		return err
	}
	if err := txn.Set(listKey(m.Name), mb); err != nil {
		return err
	}
	return db.writeAudit(txn, ch, gen)
}

func (db *DB) writeAudit(txn *badger.Txn, ch *screening.Change, gen uint64) error {
	return writeAuditRecord(txn, ch, auditRecord{Change: ch, Gen: gen})
}

// writeAuditRecord writes the stored form rec of the change ch under its
// sequence number and moves the version and sequence counters to ch's.
func writeAuditRecord(txn *badger.Txn, ch *screening.Change, rec any) error {
	b, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	if err := txn.Set(auditKey(ch.Seq), b); err != nil {
		return err
	}
	if err := txn.Set(keyVersion, putU64(ch.Version)); err != nil {
		return err
	}
	return txn.Set(keySeq, putU64(ch.Seq))
}

// advance moves the in-memory counters past a committed change. Callers
// hold wmu.
func (db *DB) advance(ch *screening.Change, gen uint64) {
	db.version, db.seq = ch.Version, ch.Seq
	if gen > db.gen {
		db.gen = gen
	}
}

// auditRecord is the stored form of an audit record. Gen names the
// generation whose staged records (x/GEN/…) belong to an import.
type auditRecord struct {
	*screening.Change
	Gen uint64 `json:"gen,omitempty"`
}

// validateWatchlistName checks a watchlist's name; "documents" is the lost
// and stolen documents list's, which has its own store and audit records.
func validateWatchlistName(list string) error {
	if err := screening.ValidateListName(list); err != nil {
		return err
	}
	if list == DocumentList {
		return fmt.Errorf("list name %q is reserved for the lost and stolen documents list", list)
	}
	return nil
}
