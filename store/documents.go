package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bits-and-blooms/bloom/v3"
	badger "github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"

	"github.com/bordersec/portcullis/screening"
)

// DocumentList is the name the lost, stolen and invalid documents list goes
// by in the audit trail and in hits.
const DocumentList = "documents"

// ErrDocumentsOpen is returned by OpenDocuments when the document list of
// the DB is already open.
var ErrDocumentsOpen = errors.New("the document list is already open")

// ErrDocumentsBroken is returned by every call of a document list whose
// Badger refused a write that the audit trail already holds: the list
// cannot say what it contains until it is reopened, which finishes the
// write. Screening treats it as any store error: REFER.
var ErrDocumentsBroken = errors.New("the document list failed a write; reopen the store")

// DocumentReader reads the documents of an outside list one at a time; see
// screening.EntryReader for the contract, with documents in place of
// entries. The document Read returns may be reused by the next Read.
//
// It is an alias of an unnamed interface so that packages that cannot
// import store (screening/httpapi) can name the same type.
type DocumentReader = interface {
	Read() (*screening.DocumentEntry, error)
}

// DocumentOptions configures the document list. The zero value means the
// defaults.
type DocumentOptions struct {
	// SortChunk is how many documents an import sorts in memory at a time;
	// larger imports are sorted in runs on disk and merged. Each document
	// takes about 80 bytes in a chunk, and two chunks are in memory at
	// once. Default 2,000,000.
	SortChunk int
	// SaveDelay is how long after the last single change the bloom filter
	// is saved to disk. Default 2 s.
	SaveDelay time.Duration
}

func (o *DocumentOptions) withDefaults() DocumentOptions {
	var v DocumentOptions
	if o != nil {
		v = *o
	}
	if v.SortChunk <= 0 {
		v.SortChunk = 2_000_000
	}
	if v.SaveDelay <= 0 {
		v.SaveDelay = 2 * time.Second
	}
	return v
}

// Documents is the lost, stolen and invalid travel documents list: one
// list per store, of any size (the design point is Interpol's 128 million
// records). Open it with DB.OpenDocuments.
//
// # Layout
//
// The documents live in a Badger of their own, one per generation, in
// DIR/documents/GEN beside the store's Badger in DIR; the store's Badger
// names the live generation (key m/documents), keeps the list's version
// and holds its audit records in the one audit trail. An import builds a
// new generation from sorted runs with Badger's stream writer (no
// compaction, no tombstones for the old list) and makes it live in one
// commit of the store; a crash before that commit leaves a generation that
// the next open deletes. Old generations are deleted as a directory.
//
// A bloom filter over the keys of the live generation (bits-and-blooms,
// 0.1% false positives) answers "not on the list" without touching Badger.
// It is saved as DIR/documents/GEN.bloom with a CRC-32C and the list
// version, after each import, a few seconds after single changes and on
// Close; an open loads it, and rebuilds it from Badger in the background
// when it is missing, stale or corrupt. Until it is ready every check reads
// Badger. The filter only says "maybe": Badger decides, so a removed
// document stops matching at once.
//
// # Single changes
//
// Put and Delete commit the audit record, the new version and the write
// itself (as the list's pending write) in one commit of the store, then
// apply the write to the documents' Badger. An open re-applies the pending
// write, so a crash between the two loses nothing that was acknowledged.
//
// Documents is safe for concurrent use.
type Documents struct {
	db   *DB
	opts DocumentOptions
	log  *slog.Logger
	dir  string // DIR/documents; "" when the store is in memory

	// wmu serialises writers (Put, Delete, Import) and the filter's saves
	// and rebuilds. meta is read and written under it.
	wmu  sync.Mutex
	meta docMeta

	cur atomic.Pointer[docGen]
	// snap is the metadata as of the last change, for readers: version,
	// count, the version of records stored with version 0
	// (ImportVersion), the (state, class) key prefixes in use (Pairs),
	// all from one change.
	snap   atomic.Pointer[docMeta]
	broken atomic.Bool
	fstate atomic.Pointer[string] // how the live filter came about

	dirty     chan struct{}
	done      chan struct{}
	wg        sync.WaitGroup
	closeMu   sync.Mutex
	closed    bool
	unsaved   bool // the filter's file is behind the list; under wmu
	rebuildOK chan struct{}
}

// docGen is one generation of the list: its Badger and its bloom filter.
type docGen struct {
	id  uint64
	bdb *badger.DB
	// mu is held shared by readers of bdb and filter, exclusively by
	// filter adds and by Close.
	mu     sync.RWMutex
	filter *bloom.BloomFilter // nil while it is being built
	fcap   uint64             // documents the filter was sized for
	closed bool
}

// docMeta is the stored form of the list's metadata (key m/documents).
type docMeta struct {
	Gen     uint64 `json:"gen"`
	LastGen uint64 `json:"last_gen"`
	Count   int64  `json:"count"`
	Version uint64 `json:"version"`
	// ImportVersion is the version of the import that made the generation:
	// the version of its records stored with version 0.
	ImportVersion uint64    `json:"import_version,omitempty"`
	Updated       time.Time `json:"updated,omitzero"`
	Source        string    `json:"source,omitempty"`
	Format        string    `json:"format,omitempty"`
	Pairs         []string  `json:"pairs,omitempty"`
	Pending       *docWrite `json:"pending,omitempty"`
}

// docWrite is the last single change's write to the documents' Badger.
type docWrite struct {
	Key   []byte `json:"key"`
	Value []byte `json:"value,omitempty"` // nil: delete the key
}

// docAuditRecord is the stored form of a document list's audit record
// (a/SEQ, beside the watchlists'). Documents marks it; Changes of the
// watchlists sees its Change and ignores the rest.
type docAuditRecord struct {
	*screening.Change
	Documents bool                     `json:"documents"`
	DocBefore *screening.DocumentEntry `json:"document_before,omitempty"`
	DocAfter  *screening.DocumentEntry `json:"document_after,omitempty"`
}

var keyDocMeta = []byte("m/documents")

// openDocs guards against two Documents over one DB.
var openDocs sync.Map

// OpenDocuments opens the document list of db, creating it empty if need
// be, finishing a single change a crash interrupted and deleting what an
// interrupted import left. It loads the bloom filter, or starts rebuilding
// it in the background. Close it before db.
func (db *DB) OpenDocuments(ctx context.Context, opts *DocumentOptions) (*Documents, error) {
	if _, loaded := openDocs.LoadOrStore(db, true); loaded {
		return nil, ErrDocumentsOpen
	}
	d, err := db.openDocuments(ctx, opts)
	if err != nil {
		openDocs.Delete(db)
		return nil, fmt.Errorf("open document list: %w", err)
	}
	return d, nil
}

func (db *DB) openDocuments(ctx context.Context, opts *DocumentOptions) (*Documents, error) {
	o := opts.withDefaults()
	d := &Documents{db: db, opts: o, log: db.log, dirty: make(chan struct{}, 1), done: make(chan struct{}),
		rebuildOK: make(chan struct{})}
	if !db.opts.InMemory {
		d.dir = filepath.Join(db.bdb.Opts().Dir, "documents")
		if err := os.MkdirAll(d.dir, 0o750); err != nil {
			return nil, err
		}
	}
	db.wmu.Lock()
	m, err := db.readDocMeta()
	if err == nil && m.Gen == 0 {
		// A new list: an empty first generation.
		m.Gen, m.LastGen = m.LastGen+1, m.LastGen+1
		err = db.bdb.Update(func(txn *badger.Txn) error { return setDocMeta(txn, &m) })
	}
	db.wmu.Unlock()
	if err != nil {
		return nil, err
	}
	if err := d.removeOtherGens(m.Gen); err != nil {
		return nil, err
	}
	g, err := d.openGen(m.Gen)
	if err != nil {
		return nil, err
	}
	if p := m.Pending; p != nil {
		// Idempotent: the last change is written again whether or not the
		// crash came before it reached this Badger.
		if err := g.apply(p.Key, p.Value, m.Version); err != nil {
			g.bdb.Close()
			return nil, fmt.Errorf("finish the last change: %w", err)
		}
	}
	d.meta = m
	d.publish(&m)
	d.cur.Store(g)

	f, fcap, err := d.loadFilter(g.id, m.Version, m.Count)
	switch {
	case err == nil:
		g.filter, g.fcap = f, fcap
		d.setFilterState("loaded")
		close(d.rebuildOK)
	case m.Count == 0:
		// An empty list has nothing to rebuild.
		g.filter, g.fcap = newDocFilter(0)
		d.setFilterState("rebuilt")
		d.unsaved = true
		close(d.rebuildOK)
	default:
		d.log.Warn("document list: rebuilding the bloom filter from the store", "reason", err.Error(), "documents", m.Count)
		d.setFilterState("building")
		d.wg.Add(1)
		go d.rebuildAtOpen()
	}
	d.wg.Add(1)
	go d.saver()
	return d, nil
}

// publish makes the metadata visible to readers, all of it at once.
func (d *Documents) publish(m *docMeta) {
	snap := *m
	snap.Pending = nil
	snap.Pairs = slices.Clone(m.Pairs)
	d.snap.Store(&snap)
}

func (d *Documents) setFilterState(s string) { d.fstate.Store(&s) }

func (db *DB) readDocMeta() (docMeta, error) {
	var m docMeta
	err := db.bdb.View(func(txn *badger.Txn) error { return getJSON(txn, keyDocMeta, &m) })
	if errors.Is(err, badger.ErrKeyNotFound) {
		return docMeta{}, nil
	}
	if err != nil {
		return m, fmt.Errorf("read %s: %w", keyDocMeta, err)
	}
	return m, nil
}

func setDocMeta(txn *badger.Txn, m *docMeta) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return txn.Set(keyDocMeta, b)
}

func genName(gen uint64) string { return hex16(gen) }

// removeOtherGens deletes every generation, filter and sort run in the
// documents directory but those of the live generation.
func (d *Documents) removeOtherGens(live uint64) error {
	if d.dir == "" {
		return nil
	}
	ents, err := os.ReadDir(d.dir)
	if err != nil {
		return err
	}
	keep := map[string]bool{genName(live): true, genName(live) + ".bloom": true}
	for _, e := range ents {
		if keep[e.Name()] {
			continue
		}
		d.log.Warn("document list: deleting what an interrupted import or a replaced generation left", "path", e.Name())
		if err := os.RemoveAll(filepath.Join(d.dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

// genDir returns the directory of a generation's Badger.
func (d *Documents) genDir(gen uint64) string {
	if d.dir == "" {
		return ""
	}
	return filepath.Join(d.dir, genName(gen))
}

func (d *Documents) genOptions(gen uint64) badger.Options {
	dir := d.genDir(gen)
	bo := badger.DefaultOptions(dir).
		WithLogger(badgerLogger{d.log}).
		WithSyncWrites(true).
		WithDetectConflicts(false).
		WithNumCompactors(2).
		WithNumGoroutines(2).
		// Uncompressed, blocks are read straight from the memory-mapped
		// tables: no decompression, no copy, no block cache. It costs about
		// twice the disk (47 against 30 bytes a document with Snappy) and
		// halves a listed document's read.
		WithCompression(options.None).
		WithBlockCacheSize(0).
		// The list's own bloom filter screens the keys that are absent;
		// Badger's per-table filters would only cost memory.
		WithBloomFalsePositive(0).
		WithMemTableSize(16 << 20).
		WithNumMemtables(2).
		WithNumLevelZeroTables(4).
		WithNumLevelZeroTablesStall(8).
		WithValueLogFileSize(64 << 20).
		WithMetricsEnabled(false)
	if dir == "" {
		bo = bo.WithInMemory(true).WithDir("").WithValueDir("")
	}
	return bo
}

func (d *Documents) openGen(gen uint64) (*docGen, error) {
	bdb, err := badger.OpenManaged(d.genOptions(gen))
	if err != nil {
		return nil, fmt.Errorf("open document generation %d: %w", gen, err)
	}
	return &docGen{id: gen, bdb: bdb}, nil
}

// apply writes value at key (deletes key when value is nil), durably, as
// the change of store version ts.
//
// A generation's Badger runs in managed mode: its timestamps are the
// store's versions (an import's keys have timestamp 1, below every later
// change), and reads, at the latest timestamp, skip the oracle's watermark
// goroutine, which costs a read tens of microseconds when the CPU is busy.
func (g *docGen) apply(key, value []byte, ts uint64) error {
	txn := g.bdb.NewTransactionAt(math.MaxUint64, true)
	defer txn.Discard()
	var err error
	if value == nil {
		err = txn.Delete(key)
	} else {
		err = txn.Set(key, value)
	}
	if err == nil {
		err = txn.CommitAt(ts, nil)
	}
	if err == nil {
		// Older versions and deleted keys may go at the next compaction.
		g.bdb.SetDiscardTs(ts)
	}
	return err
}

// close closes the generation's Badger once no reader holds it.
func (g *docGen) close() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return nil
	}
	g.closed = true
	return g.bdb.Close()
}

// Close saves the bloom filter if it has changed and closes the list. It is
// safe to call more than once.
func (d *Documents) Close() error {
	d.closeMu.Lock()
	defer d.closeMu.Unlock()
	if d.closed {
		return nil
	}
	d.closed = true
	close(d.done)
	d.wg.Wait()
	d.wmu.Lock()
	var first error
	if err := d.saveFilterLocked(); err != nil {
		first = err
	}
	d.wmu.Unlock()
	if g := d.cur.Load(); g != nil {
		if err := g.close(); err != nil && first == nil {
			first = err
		}
	}
	openDocs.Delete(d.db)
	return first
}

// DocumentVersion returns the list's version: the store version of its
// last change (0 before the first). It grows with every change.
func (d *Documents) DocumentVersion() uint64 { return d.snap.Load().Version }

// Len returns the number of documents on the list.
func (d *Documents) Len() int64 { return d.snap.Load().Count }

// FilterStats describes the bloom filter.
type FilterStats struct {
	// State says how the filter came about: "loaded" from its file,
	// "rebuilt" from Badger, "imported" (built by the last import), or
	// "building" while it is rebuilt and every check reads Badger, and
	// "unavailable" when the rebuild failed (every check reads Badger).
	State    string `json:"state"`
	Bytes    int64  `json:"bytes"`
	Capacity uint64 `json:"capacity"`
	K        uint   `json:"k"`
}

// DocumentStats describes the document list.
type DocumentStats struct {
	Documents  int64     `json:"documents"`
	Version    uint64    `json:"version"`
	Updated    time.Time `json:"updated,omitzero"`
	Source     string    `json:"source,omitempty"`
	Format     string    `json:"format,omitempty"`
	Generation uint64    `json:"generation"`
	Filter     FilterStats
}

// Stats describes the list and its bloom filter.
func (d *Documents) Stats() DocumentStats {
	m := d.snap.Load()
	s := DocumentStats{Documents: m.Count, Version: m.Version, Updated: m.Updated, Source: m.Source,
		Format: m.Format, Generation: m.Gen}
	if st := d.fstate.Load(); st != nil {
		s.Filter.State = *st
	}
	if g := d.cur.Load(); g != nil {
		g.mu.RLock()
		if g.filter != nil {
			s.Filter.Bytes = int64(len(g.filter.BitSet().Words())) * 8
			s.Filter.Capacity = g.fcap
			s.Filter.K = g.filter.K()
		}
		g.mu.RUnlock()
	}
	return s
}

// Info describes the list as a watchlist is described.
func (d *Documents) Info(ctx context.Context) (screening.ListInfo, error) {
	if err := ctxErr(ctx); err != nil {
		return screening.ListInfo{}, err
	}
	s := d.Stats()
	return screening.ListInfo{Name: DocumentList, Entries: int(s.Documents), Version: s.Version, Updated: s.Updated,
		Source: s.Source, Format: s.Format}, nil
}

// acquire returns the live generation, held for reading; release it with
// g.mu.RUnlock.
func (d *Documents) acquire() (*docGen, error) {
	for {
		if d.broken.Load() {
			return nil, ErrDocumentsBroken
		}
		g := d.cur.Load()
		g.mu.RLock()
		if !g.closed {
			return g, nil
		}
		g.mu.RUnlock()
		if d.cur.Load() == g {
			return nil, fmt.Errorf("document list: %w", errClosing)
		}
	}
}

// CheckDocument says whether a traveller's document is on the list for its
// issuing state and document class (screening.DocClass): Listed when its
// normalised number is, Near when only a number with the same look-alike
// key (O/0, I/1, S/5, B/8) is. The same number under another state or
// class is not a hit.
//
// A document without an issuing state or a type the list can class cannot
// be confirmed: every state and class in use that fits what is known is
// tried, and a number found there is a Near hit at most (REFER, never
// DENY).
func (d *Documents) CheckDocument(ctx context.Context, doc screening.Document) (screening.DocumentCheck, error) {
	var chk screening.DocumentCheck
	if err := ctxErr(ctx); err != nil {
		return chk, err
	}
	num := normalDocNumber(doc.Number)
	if num == "" || len(num) > 4*maxDocNumber {
		return chk, nil // no number, or longer than any listed one
	}
	look := screening.LookalikeKey(num)
	country := strings.TrimSpace(doc.Country)
	if country != "" {
		country, _ = docCountry(country)
	}
	class := screening.DocClass(strings.TrimSpace(doc.Type))
	g, err := d.acquire()
	if err != nil {
		return chk, err
	}
	defer g.mu.RUnlock()
	if country != "" && class != 0 {
		var kb [maxDocKey]byte
		key := appendDocKey(kb[:0], country, class, look)
		if g.filter != nil && !g.filter.Test(key) {
			return chk, nil
		}
		return d.lookup(g, key, num)
	}
	for _, p := range d.snap.Load().Pairs {
		if (country != "" && keyCountry([]byte(p)) != country) || (class != 0 && p[3] != class) {
			continue
		}
		var kb [maxDocKey]byte
		key := append(append(kb[:0], p...), look...)
		if g.filter != nil && !g.filter.Test(key) {
			continue
		}
		if err := ctxErr(ctx); err != nil {
			return chk, err
		}
		c, err := d.lookup(g, key, num)
		if err != nil {
			return chk, err
		}
		if c.Listed != nil {
			return screening.DocumentCheck{Near: c.Listed}, nil
		}
		if c.Near != nil {
			return screening.DocumentCheck{Near: c.Near}, nil
		}
	}
	return chk, nil
}

// lookup reads one key: Listed is the record of num, Near the first other.
func (d *Documents) lookup(g *docGen, key []byte, num string) (screening.DocumentCheck, error) {
	var chk screening.DocumentCheck
	k := slices.Clone(key) // the caller's key stays on its stack
	v, err := getValue(g.bdb, k)
	if err != nil || v == nil {
		return chk, err
	}
	country := keyCountry(k)
	err = eachDocRecord(v, k[docKeyPrefix:], func(r *docRecord) bool {
		switch {
		case string(r.number) == num:
			chk.Listed = r.entry(country)
		case chk.Near == nil:
			chk.Near = r.entry(country)
		}
		return true
	})
	if err != nil {
		// The key holds the document number: name its state and class only.
		return screening.DocumentCheck{}, fmt.Errorf("document list: a key of %q: %w", k[:min(len(k), docKeyPrefix)], err)
	}
	return chk, nil
}

// getValue returns a copy of the value of key, or nil when it is absent.
func getValue(bdb *badger.DB, key []byte) ([]byte, error) {
	txn := bdb.NewTransactionAt(math.MaxUint64, false)
	defer txn.Discard()
	item, err := txn.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("document list: read: %w", err)
	}
	return item.ValueCopy(nil)
}

// docRef is a document as the list keys it.
type docRef struct {
	country, typ, number string
	key                  []byte
}

// canonRef checks and canonicalises a reference to one document.
func canonRef(country, typ, number string) (docRef, error) {
	c, err := canonDocument(&screening.DocumentEntry{Country: country, Type: typ, Number: number, Status: screening.StatusLost})
	if err != nil {
		return docRef{}, err
	}
	return docRef{country: c.Country, typ: c.Type, number: c.Number, key: docKeyOf(&c)}, nil
}

// Get returns the listed document of an issuing state, type (by class) and
// number, and the version at which it last changed, or an error matching
// screening.ErrNotFound. Look-alike numbers are not returned.
func (d *Documents) Get(ctx context.Context, country, typ, number string) (*screening.DocumentEntry, uint64, error) {
	if err := ctxErr(ctx); err != nil {
		return nil, 0, err
	}
	ref, err := canonRef(country, typ, number)
	if err != nil {
		return nil, 0, err
	}
	g, err := d.acquire()
	if err != nil {
		return nil, 0, err
	}
	defer g.mu.RUnlock()
	v, err := getValue(g.bdb, ref.key)
	if err != nil {
		return nil, 0, err
	}
	e, version, err := d.find(v, ref)
	if err != nil {
		return nil, 0, err
	}
	if e == nil {
		return nil, 0, fmt.Errorf("document %s/%s/%s: %w", ref.country, ref.typ, ref.number, screening.ErrNotFound)
	}
	return e, version, nil
}

// find returns the record of ref's number in v, and its version.
func (d *Documents) find(v []byte, ref docRef) (*screening.DocumentEntry, uint64, error) {
	if v == nil {
		return nil, 0, nil
	}
	var e *screening.DocumentEntry
	var version uint64
	err := eachDocRecord(v, ref.key[docKeyPrefix:], func(r *docRecord) bool {
		if string(r.number) != ref.number {
			return true
		}
		e, version = r.entry(ref.country), r.version
		return false
	})
	if err != nil {
		return nil, 0, fmt.Errorf("document list: key %q: %w", ref.key, err)
	}
	if e != nil && version == 0 {
		version = d.snap.Load().ImportVersion
	}
	return e, version, nil
}

// Put lists a document, or changes how it is listed, and returns the audit
// record and the document as listed (canonical: state code, type in upper
// case, number normalised). w.Mode and w.IfVersion work as for watchlist
// entries. The change is on disk, and screened against, when Put returns.
func (d *Documents) Put(ctx context.Context, doc *screening.DocumentEntry, w screening.WriteOptions) (*screening.Change, *screening.DocumentEntry, error) {
	if err := ctxErr(ctx); err != nil {
		return nil, nil, err
	}
	c, err := canonDocument(doc)
	if err != nil {
		return nil, nil, err
	}
	ref := docRef{country: c.Country, typ: c.Type, number: c.Number, key: docKeyOf(&c)}
	ch, err := d.write(ref, &c, w)
	if err != nil {
		return nil, nil, err
	}
	after := c
	return ch.Change, &after, nil
}

// Delete removes a document from the list and returns the audit record and
// the document as it was listed, or an error matching screening.ErrNotFound.
// It stops matching when Delete returns.
func (d *Documents) Delete(ctx context.Context, country, typ, number string, w screening.WriteOptions) (*screening.Change, *screening.DocumentEntry, error) {
	if err := ctxErr(ctx); err != nil {
		return nil, nil, err
	}
	ref, err := canonRef(country, typ, number)
	if err != nil {
		return nil, nil, err
	}
	ch, err := d.write(ref, nil, w)
	if err != nil {
		return nil, nil, err
	}
	return ch.Change, ch.before, nil
}

// docChange is a committed single change with the documents it concerns.
type docChange struct {
	*screening.Change
	before, after *screening.DocumentEntry
}

// write puts (after != nil) or deletes the document ref.
func (d *Documents) write(ref docRef, after *screening.DocumentEntry, w screening.WriteOptions) (*docChange, error) {
	d.wmu.Lock()
	defer d.wmu.Unlock()
	if d.broken.Load() {
		return nil, ErrDocumentsBroken
	}
	g := d.cur.Load()
	old, err := getValue(g.bdb, ref.key)
	if err != nil {
		return nil, err
	}
	before, beforeVersion, err := d.find(old, ref)
	if err != nil {
		return nil, err
	}
	id := ref.country + "/" + ref.typ + "/" + ref.number
	switch {
	case after == nil && before == nil:
		return nil, fmt.Errorf("document %s: %w", id, screening.ErrNotFound)
	case after != nil && before != nil && w.Mode == screening.CreateOnly:
		return nil, fmt.Errorf("document %s is already listed: %w", id, screening.ErrConflict)
	case after != nil && before == nil && w.Mode == screening.UpdateOnly:
		return nil, fmt.Errorf("document %s: %w", id, screening.ErrNotFound)
	case w.IfVersion != 0 && (before == nil || beforeVersion != w.IfVersion):
		return nil, fmt.Errorf("document %s is not at version %d: %w", id, w.IfVersion, screening.ErrConflict)
	}

	db := d.db
	db.wmu.Lock()
	defer db.wmu.Unlock()
	version, seq := db.version+1, db.seq+1
	var rec []byte
	op := screening.OpDelete
	if after != nil {
		rec = appendDocRecord(nil, after, version, string(ref.key[docKeyPrefix:]))
		id = documentID(after)
		op = screening.OpUpdate
		if before == nil {
			op = screening.OpCreate
		}
	}
	val, _, err := replaceDocRecord(old, ref.key[docKeyPrefix:], ref.number, rec)
	if err != nil {
		return nil, fmt.Errorf("document list: a key of %q: %w", ref.key[:docKeyPrefix], err)
	}
	if after != nil {
		// Into the filter before the write is visible: a check between the
		// two may read Badger for nothing, never miss the document.
		g.mu.Lock()
		if g.filter != nil {
			g.filter.Add(ref.key)
		}
		g.mu.Unlock()
	}
	m := d.meta
	m.Version, m.Updated = version, db.opts.Now().UTC()
	switch {
	case before == nil:
		m.Count++
	case after == nil:
		m.Count--
	}
	if p := string(ref.key[:docKeyPrefix]); !slices.Contains(m.Pairs, p) {
		m.Pairs = append(slices.Clone(m.Pairs), p)
		slices.Sort(m.Pairs)
	}
	m.Pending = &docWrite{Key: ref.key, Value: val}
	ch := &docChange{Change: &screening.Change{Seq: seq, Version: version, Time: m.Updated, Actor: w.Actor, Op: op,
		List: DocumentList, ID: id, Reason: w.Reason}, before: before}
	if after != nil {
		a := *after
		ch.after = &a
	}
	// Synced before the change is acknowledged, as every list write is.
	err = db.update(func(txn *badger.Txn) error {
		if err := setDocMeta(txn, &m); err != nil {
			return err
		}
		return writeAuditRecord(txn, ch.Change, &docAuditRecord{Change: ch.Change, Documents: true, DocBefore: ch.before, DocAfter: ch.after})
	})
	if err != nil {
		return nil, fmt.Errorf("document %s: commit: %w", id, err)
	}
	db.advance(ch.Change, 0)
	d.meta = m
	if err := g.apply(ref.key, val, version); err != nil {
		// The audit trail holds the change; the next open applies it. Until
		// then the list cannot say what it holds.
		d.broken.Store(true)
		d.log.Error("document list: a committed change could not be applied; reopen the store", "id", id, "err", err)
		return ch, fmt.Errorf("document %s: %w: %w", id, ErrDocumentsBroken, err)
	}
	d.publish(&m)
	// A removal changes no bit, but the file must carry the new version.
	d.unsaved = true
	select {
	case d.dirty <- struct{}{}:
	default:
	}
	return ch, nil
}

// Changes calls fn with the document list's audit records that f selects
// (f.List is ignored), oldest first: the change, and the document before
// and after a single change (nil for an import, whose record has the
// counts in Change.Import).
func (d *Documents) Changes(ctx context.Context, f screening.ChangeFilter, fn func(c *screening.Change, before, after *screening.DocumentEntry) error) error {
	first, ok := firstAfter(f.AfterSeq)
	if !ok {
		return nil
	}
	f.List = "" // the document list's changes have none
	n := 0
	err := d.db.bdb.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("a/"), PrefetchValues: true})
		defer it.Close()
		for it.Seek(auditKey(first)); it.Valid(); it.Next() {
			if err := ctxErr(ctx); err != nil {
				return err
			}
			var rec docAuditRecord
			if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &rec) }); err != nil {
				return fmt.Errorf("read audit record %q: %w", it.Item().Key(), err)
			}
			if !rec.Documents || rec.Change == nil {
				continue
			}
			c := rec.Change
			if !f.To.IsZero() && !c.Time.Before(f.To) {
				return nil
			}
			if !matchChange(&f, c) {
				continue
			}
			if err := fn(c, rec.DocBefore, rec.DocAfter); err != nil {
				return err
			}
			if n++; f.Limit > 0 && n >= f.Limit {
				return errStop
			}
		}
		return nil
	})
	if errors.Is(err, errStop) {
		return nil
	}
	return err
}

// saver saves the filter some time after single changes.
func (d *Documents) saver() {
	defer d.wg.Done()
	for {
		select {
		case <-d.done:
			return
		case <-d.dirty:
		}
		// Wait for the changes to settle.
		t := time.NewTimer(d.opts.SaveDelay)
	settle:
		for {
			select {
			case <-d.done:
				t.Stop()
				return
			case <-d.dirty:
			case <-t.C:
				break settle
			}
		}
		d.wmu.Lock()
		if err := d.saveFilterLocked(); err != nil {
			d.log.Error("document list: save the bloom filter", "err", err)
		}
		d.wmu.Unlock()
	}
}

// saveFilterLocked saves the live filter if it has adds its file lacks, or
// rebuilds it when the list has outgrown it. Callers hold wmu.
func (d *Documents) saveFilterLocked() error {
	if !d.unsaved || d.broken.Load() {
		return nil
	}
	g := d.cur.Load()
	g.mu.RLock()
	f, fcap := g.filter, g.fcap
	g.mu.RUnlock()
	if f == nil {
		return nil
	}
	if uint64(d.meta.Count) > fcap {
		if err := d.rebuildLocked(context.Background(), g); err != nil {
			return err
		}
		d.setFilterState("rebuilt")
		d.unsaved = false
		return nil
	}
	g.mu.RLock()
	err := d.saveFilter(g, d.meta.Version, d.meta.Count)
	g.mu.RUnlock()
	if err == nil {
		d.unsaved = false
	}
	return err
}

// rebuildAtOpen rebuilds the filter of the live generation, holding the
// writers off meanwhile; checks read Badger until it is done.
func (d *Documents) rebuildAtOpen() {
	defer d.wg.Done()
	defer close(d.rebuildOK)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-d.done:
			cancel()
		case <-ctx.Done():
		}
	}()
	d.wmu.Lock()
	defer d.wmu.Unlock()
	start := time.Now()
	g := d.cur.Load()
	if err := d.rebuildLocked(ctx, g); err != nil {
		if ctx.Err() == nil {
			d.log.Error("document list: rebuild the bloom filter; every check reads the store", "err", err)
		}
		d.setFilterState("unavailable")
		return
	}
	d.setFilterState("rebuilt")
	d.log.Info("document list: bloom filter rebuilt", "documents", d.meta.Count, "seconds", time.Since(start).Seconds())
}

// WaitFilter waits until the bloom filter is loaded or rebuilt, or ctx
// ends. Checks are correct meanwhile, only slower.
func (d *Documents) WaitFilter(ctx context.Context) error {
	select {
	case <-d.rebuildOK:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// rebuildLocked builds a filter from the keys of g, installs it and saves
// it. Callers hold wmu, so that no document is added meanwhile.
func (d *Documents) rebuildLocked(ctx context.Context, g *docGen) error {
	f, fcap := newDocFilter(uint64(max(d.meta.Count, 0)))
	err := g.bdb.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{PrefetchValues: false})
		defer it.Close()
		n := 0
		for it.Rewind(); it.Valid(); it.Next() {
			if n++; n%65536 == 0 {
				if err := ctxErr(ctx); err != nil {
					return err
				}
			}
			f.Add(it.Item().Key())
		}
		return nil
	})
	if err != nil {
		return err
	}
	g.mu.Lock()
	g.filter, g.fcap = f, fcap
	g.mu.Unlock()
	g.mu.RLock()
	defer g.mu.RUnlock()
	return d.saveFilter(g, d.meta.Version, d.meta.Count)
}

var _ screening.DocumentChecker = (*Documents)(nil)
