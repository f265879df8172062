package store

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"time"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/bordersec/portcullis/screening"
)

// ImportOptions describe an import.
type ImportOptions struct {
	Actor  string
	Reason string
	// Format and Source are recorded with the list and in the audit trail:
	// the reader's format ("jsonl", "un-xml", …) and where the data came from.
	Format string
	Source string
	// SkipInvalid imports the records that can be used and lists the others
	// in the result; without it, one unusable record refuses the import.
	SkipInvalid bool
	// AllowEmpty lets an import with no usable record empty the list. Without
	// it such an import is refused: an empty or truncated file must not wipe
	// a watchlist by mistake.
	AllowEmpty bool
	// Digest, when set, is called once the reader is exhausted; its result
	// (e.g. the SHA-256 of the file) is recorded in the audit trail.
	Digest func() string
	// Progress, when set, is called every few thousand entries with the
	// number read so far.
	Progress func(read int)
}

// ImportResult is the outcome of an import that was made live.
type ImportResult struct {
	// Change is the import's audit record; Change.Import has the counts.
	Change *screening.Change
	// Skipped lists the records left out under SkipInvalid.
	Skipped  []*screening.RecordError
	Duration time.Duration
}

// recordNumberer is implemented by readers that know the line or record
// number of the entry they last returned.
type recordNumberer interface{ Record() int }

type oldEntry struct {
	hash    uint64
	version uint64
	seen    bool
}

// Import replaces the whole of list with the entries r reads, atomically: the
// new contents are written beside the old and made live in one commit once
// the reader is exhausted and every record could be used (or SkipInvalid is
// set). Until then screening sees the old list; a crash or an error leaves
// the old list as it was. The import's audit record, and one per entry it
// added, changed or removed, are written in the same commit.
//
// Writers of other lists wait while an import runs.
func (db *DB) Import(ctx context.Context, list string, r screening.EntryReader, o ImportOptions) (*ImportResult, error) {
	start := time.Now()
	if err := screening.ValidateListName(list); err != nil {
		return nil, &screening.ValidationError{Field: "list", Value: list, Err: err}
	}
	db.wmu.Lock()
	defer db.wmu.Unlock()

	rtx := db.bdb.NewTransaction(false)
	defer rtx.Discard()
	old, err := db.readMeta(rtx, list)
	if err != nil {
		return nil, err
	}
	seed := maphash.MakeSeed()
	olds := map[string]*oldEntry{}
	if old != nil {
		olds = make(map[string]*oldEntry, old.Entries)
		if err := scanBodies(ctx, rtx, old, func(id string, version uint64, body []byte) {
			olds[id] = &oldEntry{hash: maphash.Bytes(seed, body), version: version}
		}); err != nil {
			return nil, fmt.Errorf("import %q: read current list: %w", list, err)
		}
	}

	gen := db.gen + 1
	if err := db.bdb.Update(func(txn *badger.Txn) error {
		if err := txn.Set(keyGen, putU64(gen)); err != nil {
			return err
		}
		return txn.Set(pendingKey(gen), []byte(list))
	}); err != nil {
		return nil, fmt.Errorf("import %q: %w", list, err)
	}
	db.gen = gen
	imp := &importer{db: db, list: list, gen: gen, version: db.version + 1, rtx: rtx, old: old, olds: olds, seed: seed,
		wb: db.bdb.NewWriteBatch(), seen: make(map[string]int, max(len(olds), 1024))}
	res, err := imp.run(ctx, r, o)
	if err != nil {
		imp.wb.Cancel()
		if cerr := db.discardGen(list, gen); cerr != nil {
			db.log.Error("discard a failed import; the next start will finish it", "list", list, "err", cerr)
		}
		return nil, err
	}
	res.Duration = time.Since(start)
	db.kickCleaner()
	return res, nil
}

// discardGen deletes what a failed import wrote, then its pending marker.
func (db *DB) discardGen(list string, gen uint64) error {
	if err := db.deletePrefix(genPrefix(list, gen)); err != nil {
		return err
	}
	if err := db.deletePrefix(stagedPrefix(gen)); err != nil {
		return err
	}
	return db.bdb.Update(func(txn *badger.Txn) error { return txn.Delete(pendingKey(gen)) })
}

// scanBodies calls fn with the id, version and body of every entry of a
// list generation. body is only valid during the call.
func scanBodies(ctx context.Context, txn *badger.Txn, m *listMeta, fn func(id string, version uint64, body []byte)) error {
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
		item := it.Item()
		id := string(item.Key()[len(prefix):])
		if err := item.Value(func(v []byte) error {
			if len(v) < 9 || v[0] != entryFormat {
				return fmt.Errorf("corrupt entry %q", id)
			}
			fn(id, binary.BigEndian.Uint64(v[1:9]), v[9:])
			return nil
		}); err != nil {
			return err
		}
	}
	return nil
}

type importer struct {
	db      *DB
	list    string
	gen     uint64
	version uint64
	rtx     *badger.Txn
	old     *listMeta
	olds    map[string]*oldEntry
	seed    maphash.Seed
	wb      *badger.WriteBatch
	seen    map[string]int
	staged  int
	sum     screening.ImportSummary
}

func (imp *importer) run(ctx context.Context, r screening.EntryReader, o ImportOptions) (*ImportResult, error) {
	var (
		bad     []*screening.RecordError
		badN    int
		skipped []*screening.RecordError
		ordinal int
	)
	numberer, _ := r.(recordNumberer)
	for {
		if ordinal%1024 == 0 {
			if err := ctxErr(ctx); err != nil {
				return nil, err
			}
			if o.Progress != nil && ordinal > 0 {
				o.Progress(ordinal)
			}
		}
		e, err := r.Read()
		if err == io.EOF {
			break
		}
		ordinal++
		rec := ordinal
		if numberer != nil {
			rec = numberer.Record()
		}
		if err == nil {
			if first, dup := imp.seen[e.ID]; dup {
				err = &screening.RecordError{Record: rec, ID: e.ID,
					Err: fmt.Errorf("id: duplicate of record %d", first)}
			}
		}
		var re *screening.RecordError
		if errors.As(err, &re) {
			imp.sum.Read++
			if o.SkipInvalid {
				skipped = append(skipped, re)
				continue
			}
			if badN++; len(bad) < screening.MaxReportedRecords {
				bad = append(bad, re)
			}
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("import %q: after record %d: %w", imp.list, rec, err)
		}
		imp.sum.Read++
		imp.seen[e.ID] = rec
		if badN > 0 {
			continue // the import is refused; read on only to report every bad record
		}
		if err := imp.put(e); err != nil {
			return nil, fmt.Errorf("import %q: %w", imp.list, err)
		}
	}
	if badN > 0 {
		return nil, &screening.ImportError{Records: bad, Count: badN}
	}
	imported := len(imp.seen)
	if imported == 0 && !o.AllowEmpty {
		return nil, fmt.Errorf("import %q: no usable entry in the input; refusing to empty the list: %w", imp.list, screening.ErrInvalid)
	}
	for id, oe := range imp.olds {
		if oe.seen {
			continue
		}
		before, err := getEntry(imp.rtx, imp.old, id)
		if err != nil {
			return nil, fmt.Errorf("import %q: %w", imp.list, err)
		}
		if err := imp.stage(screening.OpDelete, id, before, nil); err != nil {
			return nil, err
		}
		imp.sum.Removed++
	}
	if err := imp.wb.Flush(); err != nil {
		return nil, fmt.Errorf("import %q: write: %w", imp.list, err)
	}
	if err := ctxErr(ctx); err != nil {
		return nil, err
	}

	imp.sum.Skipped = len(skipped)
	for i, s := range skipped {
		if i == screening.MaxReportedRecords {
			break
		}
		imp.sum.SkipNotes = append(imp.sum.SkipNotes, s.Error())
	}
	imp.sum.Format, imp.sum.Source = o.Format, o.Source
	if o.Digest != nil {
		imp.sum.SHA256 = o.Digest()
	}
	return imp.flip(o, skipped)
}

// put writes one entry of the new generation and stages its audit record.
func (imp *importer) put(e *screening.Entry) error {
	e.List = imp.list
	val, err := encodeEntry(e, imp.version)
	if err != nil {
		return err
	}
	h := maphash.Bytes(imp.seed, entryBody(val))
	oe := imp.olds[e.ID]
	switch {
	case oe == nil:
		imp.sum.Added++
		after := *e
		after.Version = imp.version
		if err := imp.stage(screening.OpCreate, e.ID, nil, &after); err != nil {
			return err
		}
	case oe.hash == h:
		oe.seen = true
		imp.sum.Unchanged++
		binary.BigEndian.PutUint64(val[1:9], oe.version)
	default:
		oe.seen = true
		imp.sum.Changed++
		before, err := getEntry(imp.rtx, imp.old, e.ID)
		if err != nil {
			return err
		}
		after := *e
		after.Version = imp.version
		if err := imp.stage(screening.OpUpdate, e.ID, before, &after); err != nil {
			return err
		}
	}
	return imp.wb.Set(entryKey(imp.list, imp.gen, e.ID), val)
}

// stagedChange is the stored form of one entry's change within an import.
// Seq, version, time and actor are the import's own.
type stagedChange struct {
	Op     screening.Op     `json:"op"`
	ID     string           `json:"id"`
	Before *screening.Entry `json:"before,omitempty"`
	After  *screening.Entry `json:"after,omitempty"`
}

func (imp *importer) stage(op screening.Op, id string, before, after *screening.Entry) error {
	b, err := json.Marshal(stagedChange{Op: op, ID: id, Before: before, After: after})
	if err != nil {
		return err
	}
	imp.staged++
	return imp.wb.Set(stagedKey(imp.gen, imp.staged), b)
}

// flip makes the new generation live in one commit: list metadata, counters,
// the import's audit record, the old generation marked for deletion and the
// pending marker gone.
func (imp *importer) flip(o ImportOptions, skipped []*screening.RecordError) (*ImportResult, error) {
	db := imp.db
	now := db.opts.Now().UTC()
	ch := &screening.Change{Seq: db.seq + 1, Version: imp.version, Time: now, Actor: o.Actor,
		Op: screening.OpImport, List: imp.list, Reason: o.Reason, Import: &imp.sum}
	m := &listMeta{Name: imp.list, Gen: imp.gen, Entries: len(imp.seen), Version: imp.version,
		Updated: now, Source: o.Source, Format: o.Format}
	err := db.bdb.Update(func(txn *badger.Txn) error {
		if err := db.commitMeta(txn, m, ch, imp.gen); err != nil {
			return err
		}
		if imp.old != nil {
			if err := txn.Set(obsoleteKey(imp.list, imp.old.Gen), nil); err != nil {
				return err
			}
		}
		return txn.Delete(pendingKey(imp.gen))
	})
	if err != nil {
		return nil, fmt.Errorf("import %q: commit: %w", imp.list, err)
	}
	db.advance(ch, imp.gen)
	return &ImportResult{Change: ch, Skipped: skipped}, nil
}
