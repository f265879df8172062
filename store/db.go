package store

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	badger "github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"

	"github.com/bordersec/portcullis/screening"
)

// DefaultCommitInterval is Options.CommitInterval's default: at 5,000
// gate events a second it makes commits of about 6 events instead of 2,
// and saves a fifth of the CPU an event costs.
const DefaultCommitInterval = time.Millisecond

// CommitIntervalOf returns Options.CommitInterval for an interval given by
// a user, where 0 means none (Options' zero value means the default).
func CommitIntervalOf(d time.Duration) time.Duration {
	if d == 0 {
		return -1
	}
	return d
}

// Options configures a DB. The zero value means the defaults.
type Options struct {
	// Logger receives the store's own log lines and Badger's warnings and
	// errors. Default: slog.Default().
	Logger *slog.Logger

	// Now returns the time recorded in the audit trail. Default: time.Now.
	Now func() time.Time

	// InMemory keeps everything in memory and nothing on disk; for tests.
	InMemory bool

	// BlockCacheMB is Badger's block cache in MiB. Default 256.
	BlockCacheMB int

	// MemTableMB is the size of Badger's memtables in MiB. Default 64.
	// Each synced commit costs more as the memtable fills, and a full one
	// stalls commits while it is written out: at 5,000 gate events a second,
	// 16 MiB cut the gate's p99 from the load generator's side about
	// fourfold (BenchmarkGateServer, PORTCULLIS_BENCH_MEMTABLE_MB) but
	// slowed a 1M-entry import from 83k-104k to 57k-63k entries a second.
	MemTableMB int

	// CommitInterval is the least time between the starts of two synced
	// commits of decision records and gate events. A commit that would
	// start sooner waits out the rest of the interval and takes the records
	// that came in meanwhile: under load, fewer and larger commits, each
	// costing one sync and Badger's write path (about 240 µs of CPU in
	// BenchmarkGateServer, whatever it carries). A record waits at most
	// this long more; when commits are further apart than this, none
	// waits. Default DefaultCommitInterval; negative: no wait, a commit
	// starts as soon as the last one ends.
	CommitInterval time.Duration
}

func (o *Options) withDefaults() Options {
	var v Options
	if o != nil {
		v = *o
	}
	if v.Logger == nil {
		v.Logger = slog.Default()
	}
	if v.Now == nil {
		v.Now = time.Now
	}
	if v.BlockCacheMB <= 0 {
		v.BlockCacheMB = 256
	}
	if v.MemTableMB <= 0 {
		v.MemTableMB = 64
	}
	if v.CommitInterval == 0 {
		v.CommitInterval = DefaultCommitInterval
	}
	return v
}

// DB is the Portcullis store: watchlists, their versions and the audit trail,
// on Badger. Writes to watchlists are serialised and synced to disk before
// they return: what a call reports as done survives a crash.
//
// A DB is safe for concurrent use.
type DB struct {
	bdb  *badger.DB
	opts Options
	log  *slog.Logger

	// wmu serialises watchlist writers; the counters below are read under it
	// and written only inside a committed transaction.
	wmu sync.Mutex
	// broken holds the error of a failed sync: what was committed may or
	// may not be on disk, and the counters may lag what is stored, so the
	// store refuses every further watchlist write until it is reopened
	// (the way databases treat a failed fsync).
	broken  atomic.Pointer[error]
	version uint64 // last watchlist version
	seq     uint64 // last audit sequence number
	gen     uint64 // last generation number

	cleanup chan struct{}
	writes  chan *writeReq // group commits of decisions and gate events (commit)
	commits atomic.Uint64  // group commits written
	// queueMu guards stopping: set by Close before it stops the committer,
	// read by commit before it queues a request.
	queueMu  sync.RWMutex
	stopping bool
	done     chan struct{}
	wg       sync.WaitGroup
	closeMu  sync.Mutex
	closed   bool
	closing  atomic.Bool // set under wmu once Close has begun closing Badger
}

// Open opens (creating if need be) the store in dir, finishes or undoes any
// import a crash interrupted, and starts the background cleaner.
func Open(dir string, opts *Options) (*DB, error) {
	o := opts.withDefaults()
	// SyncWrites: Badger syncs its logs (the value log and the memtable's
	// write-ahead log) before a commit returns, so that a committed group
	// of decisions or gate events is on disk when it is acknowledged, and
	// no write sits unsynced in a memtable rotated out before an explicit
	// Sync (which covers only the active memtable).
	bo := badger.DefaultOptions(dir).
		WithLogger(badgerLogger{o.Logger}).
		WithSyncWrites(true).
		WithDetectConflicts(false).
		WithNumCompactors(2).
		WithNumGoroutines(4).
		WithCompression(options.Snappy).
		WithBlockCacheSize(int64(o.BlockCacheMB) << 20).
		WithMetricsEnabled(false).
		WithMemTableSize(int64(o.MemTableMB) << 20).
		// Values under the threshold live in the write-ahead log, which
		// SyncWrites syncs before a commit returns; larger ones go to the
		// value log, whose sync errors Badger only logs. Every value the
		// store writes (entries, decisions, gate events) is far smaller.
		WithValueThreshold(valueThreshold)
	if o.InMemory {
		bo = bo.WithInMemory(true).WithDir("").WithValueDir("")
	}
	bdb, err := badger.Open(bo)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", dir, err)
	}
	db := &DB{
		bdb:     bdb,
		opts:    o,
		log:     o.Logger,
		cleanup: make(chan struct{}, 1),
		writes:  make(chan *writeReq, 4*maxGroup),
		done:    make(chan struct{}),
	}
	if err := db.loadCounters(); err != nil {
		bdb.Close()
		return nil, err
	}
	if err := db.recover(); err != nil {
		bdb.Close()
		return nil, err
	}
	db.wg.Add(2)
	go db.cleaner()
	go db.committer()
	db.kickCleaner()
	return db, nil
}

// Close stops the background work and closes the store. It is safe to call
// more than once.
func (db *DB) Close() error {
	db.closeMu.Lock()
	defer db.closeMu.Unlock()
	if db.closed {
		return nil
	}
	db.closed = true
	db.queueMu.Lock()
	db.stopping = true
	db.queueMu.Unlock()
	close(db.done)
	db.wg.Wait()
	// Wait for a watchlist write under way (an import may take a while):
	// closing Badger under it would fail it half-way. Writers that come
	// after find the store closed.
	db.wmu.Lock()
	defer db.wmu.Unlock()
	db.closing.Store(true)
	return db.bdb.Close()
}

// Version returns the current watchlist version: it grows by one with every
// change to any list.
func (db *DB) Version() uint64 {
	db.wmu.Lock()
	defer db.wmu.Unlock()
	return db.version
}

// valueThreshold is Badger's value threshold, pinned (it is Badger's
// default): see Open.
const valueThreshold = 1 << 20

// Key layout. Every key is ASCII; numbers are 16 hex digits so that they sort.
//
//	m/version                  last watchlist version (uint64)
//	m/seq                      last audit sequence number
//	m/gen                      last generation number
//	l/LIST                     list metadata (JSON), naming the live generation
//	e/LIST/GEN/ID              entry: 0x01, version (uint64), entry JSON
//	a/SEQ                      audit record (JSON)
//	x/GEN/N                    audit records of the import that made GEN: chunks of
//	                           about 64 KiB of JSON lines, S2-compressed
//	p/GEN                      an import in progress into GEN (value: list name)
//	o/LIST/GEN                 a generation no longer live, to be deleted
var (
	keyVersion = []byte("m/version")
	keySeq     = []byte("m/seq")
	keyGen     = []byte("m/gen")
)

func hex16(n uint64) string {
	const digits = "0123456789abcdef"
	var b [16]byte
	for i := 15; i >= 0; i-- {
		b[i] = digits[n&0xf]
		n >>= 4
	}
	return string(b[:])
}

func parseHex16(s string) (uint64, error) { return strconv.ParseUint(s, 16, 64) }

func listKey(list string) []byte { return []byte("l/" + list) }
func genPrefix(list string, gen uint64) []byte {
	return []byte("e/" + list + "/" + hex16(gen) + "/")
}
func entryKey(list string, gen uint64, id string) []byte {
	return append(genPrefix(list, gen), id...)
}
func auditKey(seq uint64) []byte { return []byte("a/" + hex16(seq)) }
func stagedPrefix(gen uint64) []byte {
	return []byte("x/" + hex16(gen) + "/")
}
func stagedKey(gen uint64, n int) []byte {
	return append(stagedPrefix(gen), hex16(uint64(n))...)
}
func pendingKey(gen uint64) []byte { return []byte("p/" + hex16(gen)) }
func obsoleteKey(list string, gen uint64) []byte {
	return []byte("o/" + list + "/" + hex16(gen))
}

func putU64(n uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, n)
	return b
}

func (db *DB) loadCounters() error {
	return db.bdb.View(func(txn *badger.Txn) error {
		for _, c := range []struct {
			key []byte
			dst *uint64
		}{{keyVersion, &db.version}, {keySeq, &db.seq}, {keyGen, &db.gen}} {
			item, err := txn.Get(c.key)
			if errors.Is(err, badger.ErrKeyNotFound) {
				continue
			}
			if err != nil {
				return fmt.Errorf("read %s: %w", c.key, err)
			}
			if err := item.Value(func(v []byte) error {
				if len(v) != 8 {
					return fmt.Errorf("read %s: corrupt counter (%d bytes)", c.key, len(v))
				}
				*c.dst = binary.BigEndian.Uint64(v)
				return nil
			}); err != nil {
				return err
			}
		}
		return nil
	})
}

// listMeta is the stored form of a list's metadata.
type listMeta struct {
	Name    string    `json:"name"`
	Gen     uint64    `json:"gen"`
	Entries int       `json:"entries"`
	Version uint64    `json:"version"`
	Updated time.Time `json:"updated"`
	Source  string    `json:"source,omitempty"`
	Format  string    `json:"format,omitempty"`
}

func getJSON(txn *badger.Txn, key []byte, v any) error {
	item, err := txn.Get(key)
	if err != nil {
		return err
	}
	return item.Value(func(b []byte) error { return json.Unmarshal(b, v) })
}

func (db *DB) readMeta(txn *badger.Txn, list string) (*listMeta, error) {
	var m listMeta
	err := getJSON(txn, listKey(list), &m)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read list %q: %w", list, err)
	}
	return &m, nil
}

// recover undoes imports that a crash interrupted: their generations were
// never made live, so their entries and staged audit records go.
func (db *DB) recover() error {
	type pending struct {
		gen  uint64
		list string
	}
	var ps []pending
	err := db.bdb.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("p/")})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			gen, err := parseHex16(string(it.Item().Key()[2:]))
			if err != nil {
				return fmt.Errorf("corrupt pending key %q", it.Item().Key())
			}
			v, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			ps = append(ps, pending{gen, string(v)})
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("recover: %w", err)
	}
	for _, p := range ps {
		db.log.Warn("undoing an import interrupted by a crash", "list", p.list, "generation", p.gen)
		if err := db.deletePrefix(genPrefix(p.list, p.gen)); err != nil {
			return fmt.Errorf("recover: %w", err)
		}
		if err := db.deletePrefix(stagedPrefix(p.gen)); err != nil {
			return fmt.Errorf("recover: %w", err)
		}
		if err := db.bdb.Update(func(txn *badger.Txn) error { return txn.Delete(pendingKey(p.gen)) }); err != nil {
			return fmt.Errorf("recover: %w", err)
		}
	}
	return nil
}

// deletePrefix deletes every key under prefix, in batches, without stopping
// other writers.
func (db *DB) deletePrefix(prefix []byte) error {
	for {
		var keys [][]byte
		err := db.bdb.View(func(txn *badger.Txn) error {
			it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
			defer it.Close()
			for it.Rewind(); it.Valid() && len(keys) < 10000; it.Next() {
				keys = append(keys, it.Item().KeyCopy(nil))
			}
			return nil
		})
		if err != nil || len(keys) == 0 {
			return err
		}
		wb := db.bdb.NewWriteBatch()
		for _, k := range keys {
			if err := wb.Delete(k); err != nil {
				wb.Cancel()
				return err
			}
		}
		if err := wb.Flush(); err != nil {
			return err
		}
		select {
		case <-db.done:
			return errClosing
		default:
		}
	}
}

var errClosing = errors.New("store closing")

func (db *DB) kickCleaner() {
	select {
	case db.cleanup <- struct{}{}:
	default:
	}
}

// cleaner deletes generations that are no longer live, in the background.
func (db *DB) cleaner() {
	defer db.wg.Done()
	for {
		select {
		case <-db.done:
			return
		case <-db.cleanup:
		}
		if err := db.cleanObsolete(); err != nil && !errors.Is(err, errClosing) {
			db.log.Error("delete old list generations", "err", err)
		}
	}
}

func (db *DB) cleanObsolete() error {
	var keys []string
	err := db.bdb.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("o/")})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			keys = append(keys, string(it.Item().Key()))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range keys {
		// o/LIST/GEN
		rest := k[2:]
		i := len(rest) - 17
		if i < 1 || rest[i] != '/' {
			return fmt.Errorf("corrupt obsolete key %q", k)
		}
		gen, err := parseHex16(rest[i+1:])
		if err != nil {
			return fmt.Errorf("corrupt obsolete key %q", k)
		}
		if err := db.deletePrefix(genPrefix(rest[:i], gen)); err != nil {
			return err
		}
		if err := db.bdb.Update(func(txn *badger.Txn) error { return txn.Delete([]byte(k)) }); err != nil {
			return err
		}
	}
	return nil
}

// update runs fn in a read-write transaction and commits it; with
// SyncWrites on (see Open) Badger has synced its logs when the commit
// returns, so what update reports as done survives a crash. A commit that
// fails after fn succeeded (its sync, say) may have applied the write in
// memory, so the counters cannot be trusted: the store is broken (see
// ErrBroken).
func (db *DB) update(fn func(txn *badger.Txn) error) error {
	if err := db.writable(); err != nil {
		return err
	}
	var fnErr error
	err := db.bdb.Update(func(txn *badger.Txn) error {
		fnErr = fn(txn)
		return fnErr
	})
	if fnErr != nil {
		return err // nothing was written
	}
	if err == nil && syncFault != nil {
		err = syncFault()
	}
	if err != nil {
		db.broken.Store(&err)
		db.log.Error("store: a commit failed; watchlist writes are refused until the store is reopened", "err", err)
		return fmt.Errorf("%w: %v", ErrBroken, err)
	}
	return nil
}

// syncFault, when set by a test, makes the commits of update fail as a
// failed sync would, after the write.
var syncFault func() error

// ErrBroken is returned (wrapped) by every watchlist write once a sync of
// the store has failed: reopen the store (restart the server), which
// reads back what is on disk.
var ErrBroken = errors.New("store: a sync failed; reopen the store")

// writable returns ErrBroken after a failed sync.
func (db *DB) writable() error {
	if db.closing.Load() {
		return errClosing
	}
	if e := db.broken.Load(); e != nil {
		return fmt.Errorf("%w (%v)", ErrBroken, *e)
	}
	return nil
}

// DiskSize returns the bytes the store's LSM tree and value log take on disk.
func (db *DB) DiskSize() int64 {
	lsm, vlog := db.bdb.Size()
	return lsm + vlog
}

// Compact flattens the LSM tree; for benchmarks that report disk size.
func (db *DB) Compact() error { return db.bdb.Flatten(2) }

// badgerLogger sends Badger's warnings and errors to slog and drops its
// chatter.
type badgerLogger struct{ l *slog.Logger }

func (b badgerLogger) Errorf(f string, a ...any) {
	b.l.Error("badger: " + trimNL(fmt.Sprintf(f, a...)))
}
func (b badgerLogger) Warningf(f string, a ...any) {
	b.l.Warn("badger: " + trimNL(fmt.Sprintf(f, a...)))
}
func (b badgerLogger) Infof(string, ...any)  {}
func (b badgerLogger) Debugf(string, ...any) {}

func trimNL(s string) string {
	for len(s) > 0 && s[len(s)-1] == '\n' {
		s = s[:len(s)-1]
	}
	return s
}

func ctxErr(ctx context.Context) error {
	if ctx == nil {
		return nil
	}
	return ctx.Err()
}

var (
	_ io.Closer             = (*DB)(nil)
	_ screening.Source      = (*DB)(nil)
	_ screening.Watchlists  = (*DB)(nil)
	_ screening.DecisionLog = (*DB)(nil)
)
