package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"runtime"
	"sync"
	"time"

	badger "github.com/dgraph-io/badger/v4"
	"github.com/klauspost/compress/s2"

	"github.com/bordersec/portcullis/screening"
)

// recordNumberer is implemented by readers that know the line or record
// number of the entry they last returned.
type recordNumberer interface{ Record() int }

type oldEntry struct {
	hash    uint64
	version uint64
}

// Import replaces the whole of list with the entries r reads, atomically: the
// new contents are written beside the old and made live in one commit once
// the reader is exhausted and every record could be used (or SkipInvalid is
// set). Until then screening sees the old list; a crash or an error leaves
// the old list as it was. The import's audit record, and one per entry it
// added, changed or removed, are written in the same commit.
//
// Writers of other lists wait while an import runs.
func (db *DB) Import(ctx context.Context, list string, r screening.EntryReader, o screening.ImportOptions) (*screening.ImportResult, error) {
	start := time.Now()
	if err := validateWatchlistName(list); err != nil {
		return nil, &screening.ValidationError{Field: "list", Value: list, Err: err}
	}
	db.wmu.Lock()
	defer db.wmu.Unlock()
	if err := db.writable(); err != nil {
		return nil, err
	}

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

	gen, err := db.beginGen(list)
	if err != nil {
		return nil, fmt.Errorf("import %q: %w", list, err)
	}
	imp := &importer{db: db, list: list, gen: gen, version: db.version + 1, rtx: rtx, old: old, olds: olds, seed: seed,
		wb: db.bdb.NewWriteBatch(), seen: make(map[string]int, max(len(olds), 1024))}
	res, err := imp.run(ctx, r, o)
	if err != nil {
		imp.wb.Cancel()
		if errors.Is(err, ErrBroken) {
			// The flip may be committed: the generation may be live. The
			// next open decides from what is on disk.
			return nil, err
		}
		if cerr := db.discardGen(list, gen); cerr != nil {
			db.log.Error("discard a failed import; the next start will finish it", "list", list, "err", cerr)
		}
		return nil, err
	}
	res.Duration = time.Since(start)
	db.kickCleaner()
	return res, nil
}

// skipNotes returns what an import's summary says of the records it
// skipped: the first MaxReportedRecords of them.
func skipNotes(skipped []*screening.RecordError) []string {
	var notes []string
	for _, s := range skipped[:min(len(skipped), screening.MaxReportedRecords)] {
		notes = append(notes, s.Error())
	}
	return notes
}

// beginGen starts a new generation of list: the next generation number
// and a pending marker, which the next open cleans up if the generation
// never goes live. Callers hold wmu.
func (db *DB) beginGen(list string) (uint64, error) {
	gen := db.gen + 1
	if err := db.update(func(txn *badger.Txn) error {
		if err := txn.Set(keyGen, putU64(gen)); err != nil {
			return err
		}
		return txn.Set(pendingKey(gen), []byte(list))
	}); err != nil {
		return 0, err
	}
	db.gen = gen
	return gen, nil
}

// discardGen deletes what a failed import wrote, then its pending marker.
func (db *DB) discardGen(list string, gen uint64) error {
	if err := db.deletePrefix(genPrefix(list, gen)); err != nil {
		return err
	}
	if err := db.deletePrefix(stagedPrefix(gen)); err != nil {
		return err
	}
	return db.update(func(txn *badger.Txn) error { return txn.Delete(pendingKey(gen)) })
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
	staged  int    // chunks of staged records written
	chunk   []byte // staged records not yet written
	zbuf    []byte // packChunk's work space
	sum     screening.ImportSummary
}

func (imp *importer) run(ctx context.Context, r screening.EntryReader, o screening.ImportOptions) (*screening.ImportResult, error) {
	var (
		bad     []*screening.RecordError
		badN    int
		skipped []*screening.RecordError
		ordinal int
	)
	numberer, _ := r.(recordNumberer)
	p := imp.startPipeline()
	batch := make([]*screening.Entry, 0, importBatch)
	for {
		if ordinal%1024 == 0 {
			if err := ctxErr(ctx); err != nil {
				p.abort()
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
			p.abort()
			return nil, fmt.Errorf("import %q: after record %d: %w", imp.list, rec, err)
		}
		imp.sum.Read++
		imp.seen[e.ID] = rec
		if badN > 0 {
			continue // the import is refused; read on only to report every bad record
		}
		if batch = append(batch, e); len(batch) == importBatch {
			if !p.send(batch) {
				break
			}
			batch = make([]*screening.Entry, 0, importBatch)
		}
	}
	if len(batch) > 0 && badN == 0 {
		p.send(batch)
	}
	if err := p.finish(); err != nil {
		return nil, fmt.Errorf("import %q: %w", imp.list, err)
	}
	if badN > 0 {
		return nil, &screening.ImportError{Records: bad, Count: badN}
	}
	imported := len(imp.seen)
	if imported == 0 && !o.AllowEmpty {
		return nil, fmt.Errorf("import %q: no usable entry in the input; refusing to empty the list: %w", imp.list, screening.ErrInvalid)
	}
	for id := range imp.olds {
		if _, ok := imp.seen[id]; ok {
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
	if err := imp.flushStaged(); err != nil {
		return nil, fmt.Errorf("import %q: write: %w", imp.list, err)
	}
	// Every batch is synced as it commits (SyncWrites): once Flush returns
	// the new generation is on disk, before the flip that makes it live.
	if err := imp.wb.Flush(); err != nil {
		return nil, fmt.Errorf("import %q: write: %w", imp.list, err)
	}
	if err := ctxErr(ctx); err != nil {
		return nil, err
	}

	imp.sum.Skipped = len(skipped)
	imp.sum.SkipNotes = skipNotes(skipped)
	imp.sum.Format, imp.sum.Source = o.Format, o.Source
	if o.Digest != nil {
		imp.sum.SHA256 = o.Digest()
	}
	return imp.flip(o, skipped)
}

// encoded is one entry ready to write: its key, its stored value (with the
// import's version) and the hash of its body.
type encoded struct {
	id   string
	key  []byte
	val  []byte
	hash uint64
}

// encodeBatch encodes a batch of entries; it runs on several goroutines.
func (imp *importer) encodeBatch(es []*screening.Entry) ([]encoded, error) {
	out := make([]encoded, len(es))
	for i, e := range es {
		e.List = imp.list
		val, err := encodeEntry(e, imp.version)
		if err != nil {
			return nil, err
		}
		out[i] = encoded{id: e.ID, key: entryKey(imp.list, imp.gen, e.ID), val: val, hash: maphash.Bytes(imp.seed, entryBody(val))}
	}
	return out, nil
}

// write puts one encoded entry into the new generation and stages its audit
// record: created, changed (with the entry before), or nothing when it is
// unchanged, in which case it keeps the version at which it last changed.
func (imp *importer) write(en *encoded) error {
	oe := imp.olds[en.id]
	switch {
	case oe == nil:
		imp.sum.Added++
		if err := imp.stage(screening.OpCreate, en.id, nil, entryBody(en.val)); err != nil {
			return err
		}
	case oe.hash == en.hash:
		imp.sum.Unchanged++
		binary.BigEndian.PutUint64(en.val[1:9], oe.version)
	default:
		imp.sum.Changed++
		before, err := getEntry(imp.rtx, imp.old, en.id)
		if err != nil {
			return err
		}
		if err := imp.stage(screening.OpUpdate, en.id, before, entryBody(en.val)); err != nil {
			return err
		}
	}
	return imp.wb.Set(en.key, en.val)
}

// stagedChange is the stored form of one entry's change within an import.
// Seq, version, time and actor are the import's own. After is the entry's
// stored JSON as written into the generation, so that an import encodes
// each entry once.
type stagedChange struct {
	Op     screening.Op     `json:"op"`
	ID     string           `json:"id"`
	Before *screening.Entry `json:"before,omitempty"`
	After  json.RawMessage  `json:"after,omitempty"`
}

func (imp *importer) stage(op screening.Op, id string, before *screening.Entry, after []byte) error {
	start := len(imp.chunk)
	if start > 0 {
		imp.chunk = append(imp.chunk, '\n')
	}
	if before == nil {
		// The common case, an added entry: write the record directly
		// rather than have encoding/json re-validate the entry's JSON.
		idq, err := json.Marshal(id)
		if err != nil {
			imp.chunk = imp.chunk[:start]
			return err
		}
		imp.chunk = append(imp.chunk, `{"op":"`...)
		imp.chunk = append(imp.chunk, op...)
		imp.chunk = append(imp.chunk, `","id":`...)
		imp.chunk = append(imp.chunk, idq...)
		imp.chunk = append(imp.chunk, `,"after":`...)
		imp.chunk = append(imp.chunk, bytes.TrimRight(after, "\n")...)
		imp.chunk = append(imp.chunk, '}')
	} else {
		b, err := json.Marshal(stagedChange{Op: op, ID: id, Before: before, After: after})
		if err != nil {
			imp.chunk = imp.chunk[:start]
			return err
		}
		imp.chunk = append(imp.chunk, b...)
	}
	if len(imp.chunk) >= stagedChunkBytes {
		return imp.flushStaged()
	}
	return nil
}

// stagedChunkBytes is about how many bytes of staged records go under one
// key. Records are JSON without raw newlines, joined by '\n'; a key holding
// one record, as stores before chunking wrote, reads the same way.
const stagedChunkBytes = 64 << 10

// flushStaged writes the staged records not yet written as one chunk,
// compressed (see packChunk).
func (imp *importer) flushStaged() error {
	if len(imp.chunk) == 0 {
		return nil
	}
	imp.staged++
	var packed []byte
	packed, imp.zbuf = packChunk(imp.chunk, imp.zbuf)
	imp.chunk = imp.chunk[:0]
	return imp.wb.Set(stagedKey(imp.gen, imp.staged), packed)
}

// chunkS2 begins a chunk of staged records compressed with S2. A chunk
// without it holds the JSON records as they are (it begins with '{').
const chunkS2 = 0x01

// packChunk compresses a chunk of staged records into a new slice, using
// buf (returned, perhaps grown) for the work. An import's added entries are
// written twice, in the generation and in their audit records; S2 makes the
// second copy about a third of the size, which Badger's log and tables
// then carry.
func packChunk(records, buf []byte) (packed, scratch []byte) {
	if n := s2.MaxEncodedLen(len(records)); cap(buf) < n {
		buf = make([]byte, n)
	}
	enc := s2.Encode(buf[:cap(buf)], records)
	packed = make([]byte, 1+len(enc))
	packed[0] = chunkS2
	copy(packed[1:], enc)
	return packed, buf
}

// unpackChunk returns the JSON records of a stored chunk.
func unpackChunk(v []byte) ([]byte, error) {
	if len(v) == 0 || v[0] != chunkS2 {
		return v, nil
	}
	return s2.Decode(nil, v[1:])
}

// flip makes the new generation live in one commit: list metadata, counters,
// the import's audit record, the old generation marked for deletion and the
// pending marker gone.
func (imp *importer) flip(o screening.ImportOptions, skipped []*screening.RecordError) (*screening.ImportResult, error) {
	db := imp.db
	now := db.opts.Now().UTC()
	ch := &screening.Change{Seq: db.seq + 1, Version: imp.version, Time: now, Actor: o.Actor,
		Op: screening.OpImport, List: imp.list, Reason: o.Reason, Import: &imp.sum}
	m := &listMeta{Name: imp.list, Gen: imp.gen, Entries: len(imp.seen), Version: imp.version,
		Updated: now, Source: o.Source, Format: o.Format}
	err := db.update(func(txn *badger.Txn) error {
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
	return &screening.ImportResult{Change: ch, Skipped: skipped}, nil
}

// importBatch is how many entries go through the pipeline together.
const importBatch = 256

// pipeline encodes batches of entries on several goroutines and writes them,
// in order, on one: reading, encoding and Badger's work overlap.
type pipeline struct {
	imp     *importer
	batches chan *pending
	order   chan *pending
	done    chan error
	failed  chan struct{}
}

type pending struct {
	entries []*screening.Entry
	out     []encoded
	err     error
	ready   chan struct{}
}

func (imp *importer) startPipeline() *pipeline {
	p := &pipeline{imp: imp, batches: make(chan *pending, 8), order: make(chan *pending, 16),
		done: make(chan error, 1), failed: make(chan struct{})}
	workers := max(1, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range p.batches {
				b.out, b.err = imp.encodeBatch(b.entries)
				close(b.ready)
			}
		}()
	}
	go func() {
		var first error
		for b := range p.order {
			<-b.ready
			if first != nil {
				continue
			}
			if b.err != nil {
				first = b.err
			}
			for i := range b.out {
				if first != nil {
					break
				}
				first = imp.write(&b.out[i])
			}
			if first != nil {
				close(p.failed)
			}
		}
		wg.Wait()
		p.done <- first
	}()
	return p
}

// send queues a batch; it returns false once the writer has failed.
func (p *pipeline) send(es []*screening.Entry) bool {
	b := &pending{entries: es, ready: make(chan struct{})}
	select {
	case p.order <- b:
	case <-p.failed:
		return false
	}
	p.batches <- b
	return true
}

// finish waits for everything queued to be written and returns the first
// error.
func (p *pipeline) finish() error {
	close(p.order)
	close(p.batches)
	return <-p.done
}

// abort stops the pipeline, discarding what is queued.
func (p *pipeline) abort() { p.finish() }
