package gate

import (
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/golang-lru/v2/simplelru"
)

// use is one use of a document, packed into 64 bits:
//
//	bits  0-31  time, seconds since memEpoch (until 2156)
//	bits 32-47  gate index + 1 (0: no use)
//	bits 48-59  port index + 1
//	bit  60     direction exit
//	bit  61     accepted
//	bit  62     a biometric check failed (face, liveness, morph)
type use uint64

// memEpoch is the zero of the memory's clock.
var memEpoch = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

const (
	useExit     use = 1 << 60
	useAccepted use = 1 << 61
	useFailed   use = 1 << 62
)

// memSeconds returns t on the memory's clock, clamped to its range.
func memSeconds(t time.Time) uint32 {
	s := t.Unix() - memEpoch.Unix()
	switch {
	case s < 0:
		return 0
	case s > 1<<32-1:
		return 1<<32 - 1
	}
	return uint32(s)
}

func packUse(secs uint32, gate, port int, exit, accepted, failed bool) use {
	u := use(secs) | use(gate+1)<<32 | use(port+1)<<48
	if exit {
		u |= useExit
	}
	if accepted {
		u |= useAccepted
	}
	if failed {
		u |= useFailed
	}
	return u
}

func (u use) empty() bool    { return u == 0 }
func (u use) secs() uint32   { return uint32(u) }
func (u use) gate() int      { return int(u>>32&0xffff) - 1 }
func (u use) port() int      { return int(u>>48&0xfff) - 1 }
func (u use) exit() bool     { return u&useExit != 0 }
func (u use) accepted() bool { return u&useAccepted != 0 }
func (u use) failed() bool   { return u&useFailed != 0 }

// recent is what the memory holds of one document.
type recent struct {
	// last is the latest use; other the latest use at a port other than
	// last's; acc the latest accepted use, which a later refused attempt
	// must not hide (a passed-back document tried again).
	last, other, acc use
	// failures are the latest uses at which a biometric check failed,
	// newest first.
	failures [maxFailureSlots]use
}

// slot is one document in a shard's table: 32 bytes.
type slot struct {
	key              uint64 // the document's hash; 0 for an empty slot
	last, other, acc use
}

// MemoryOptions configures the recent-use memory. The zero value means the
// defaults.
type MemoryOptions struct {
	// Documents is how many documents the memory holds at most; when more
	// were used within the horizon, the oldest uses are forgotten first.
	// Each document costs 32 bytes in a table kept at most 3/4 full:
	// about 54 MB per million. Default 1,000,000.
	Documents int
	// Failures is how many documents' recent failed attempts are kept
	// (least recently failed forgotten first), for probe detection. Each
	// costs about 130 bytes. Default Documents/10.
	Failures int
	// Shards is the number of independently locked parts, a power of two
	// from 1 to 256. Default 64.
	Shards int
}

// DefaultMemoryDocuments is the default of MemoryOptions.Documents.
const DefaultMemoryDocuments = 1_000_000

// Memory is the recent-use memory: for each document seen within the
// horizon (the longest time a use can matter: the longest minimum travel
// time between two ports, the reuse and probe windows), its latest use, its
// latest use at another port, and its latest failed attempts. Documents are
// identified by a 64-bit keyed hash of their issuing state, class and number
// (see Digester); a collision between two documents can only refer a
// traveller, never accept one.
//
// The documents live in open-addressing tables (linear probing), one per
// shard, each with its own lock, sized when the Memory is made: 32 bytes a
// document. Uses older than the horizon are dropped when a table is
// rebuilt; when a table holds more live documents than its share of
// Documents, the oldest are dropped. The failed attempts live in one
// golang-lru cache per shard, under the shard's lock.
//
// A Memory is safe for concurrent use.
type Memory struct {
	shards    []memShard
	shift     uint   // hash >> shift selects the shard
	horizon   uint32 // seconds
	documents int
}

type memShard struct {
	mu      sync.Mutex
	slots   []slot
	mask    uint64
	used    int // slots with a key, expired or not
	limit   int // used above this rebuilds
	cap     int // live documents above this evicts the oldest
	newest  uint32
	horizon uint32 // seconds
	fails   *simplelru.LRU[uint64, [maxFailureSlots]use]
	evicted atomic.Uint64
	rebuilt atomic.Uint64
	_       [64]byte // keep shards' locks on different cache lines
}

// NewMemory returns an empty memory that forgets uses older than horizon.
func NewMemory(opts MemoryOptions, horizon time.Duration) *Memory {
	if opts.Documents <= 0 {
		opts.Documents = DefaultMemoryDocuments
	}
	if opts.Failures <= 0 {
		opts.Failures = max(1024, opts.Documents/10)
	}
	if opts.Shards <= 0 || opts.Shards > 256 || opts.Shards&(opts.Shards-1) != 0 {
		opts.Shards = 64
	}
	bits := uint(0)
	for 1<<bits < opts.Shards {
		bits++
	}
	m := &Memory{shards: make([]memShard, opts.Shards), shift: 64 - bits, documents: opts.Documents}
	if bits == 0 {
		m.shift = 63 // hash >> 63 is 0 or 1; masked below
	}
	h := horizon / time.Second
	if h < 1 {
		h = 1
	}
	if h > 1<<31 {
		h = 1 << 31
	}
	m.horizon = uint32(h)
	perShard := max(8, (opts.Documents+opts.Shards-1)/opts.Shards)
	failPer := max(8, (opts.Failures+opts.Shards-1)/opts.Shards)
	n := 16
	for n*3/4 < perShard {
		n *= 2
	}
	for i := range m.shards {
		s := &m.shards[i]
		s.slots = make([]slot, n)
		s.mask = uint64(n - 1)
		s.limit = n * 3 / 4
		s.cap = perShard
		s.horizon = m.horizon
		s.fails, _ = simplelru.NewLRU[uint64, [maxFailureSlots]use](failPer, nil)
	}
	return m
}

func (m *Memory) shard(h uint64) *memShard {
	return &m.shards[(h>>m.shift)&uint64(len(m.shards)-1)]
}

// observe calls decide with what the memory holds of document h and records
// the use decide returns, all under the shard's lock: two events for the
// same document cannot both miss each other. decide must be quick and must
// not call the memory.
func (m *Memory) observe(h uint64, decide func(r *recent) use) {
	if h == 0 {
		h = 1
	}
	s := m.shard(h)
	s.mu.Lock()
	defer s.mu.Unlock()
	var r recent
	i, found := s.find(h)
	if found {
		r.last, r.other, r.acc = s.slots[i].last, s.slots[i].other, s.slots[i].acc
		if !s.expired(r.last) {
			if s.expired(r.other) {
				r.other = 0
			}
			if s.expired(r.acc) {
				r.acc = 0
			}
		} else {
			r.last, r.other, r.acc = 0, 0, 0
		}
	}
	if f, ok := s.fails.Peek(h); ok {
		r.failures = f
	}
	u := decide(&r)
	if u.empty() {
		return
	}
	s.record(h, i, found, u)
}

// replay records a past use, as read back from the event log.
func (m *Memory) replay(h uint64, u use) {
	m.observe(h, func(*recent) use { return u })
}

// expired reports whether u is empty or older than the horizon, by the
// newest time the shard has seen.
func (s *memShard) expired(u use) bool {
	return u.empty() || (s.newest > s.horizon && u.secs() < s.newest-s.horizon)
}

// find returns the slot of h, or when h is absent the first free slot on
// its probe path: empty, or holding a document whose latest use is older
// than the horizon.
func (s *memShard) find(h uint64) (int, bool) {
	free := -1
	for i := h & s.mask; ; i = (i + 1) & s.mask {
		sl := &s.slots[i]
		switch {
		case sl.key == h:
			return int(i), true
		case sl.key == 0:
			if free < 0 {
				free = int(i)
			}
			return free, false
		case free < 0 && s.expired(sl.last):
			free = int(i)
		}
	}
}

// record stores u as the latest use of h (at slot i, found or free).
func (s *memShard) record(h uint64, i int, found bool, u use) {
	if u.secs() > s.newest {
		s.newest = u.secs()
	}
	if u.failed() {
		f, _ := s.fails.Peek(h)
		copy(f[1:], f[:len(f)-1])
		f[0] = u
		s.fails.Add(h, f)
	}
	if found {
		sl := &s.slots[i]
		if s.expired(sl.last) {
			sl.last, sl.other, sl.acc = 0, 0, 0
		}
		if u.accepted() && (sl.acc.empty() || u.secs() >= sl.acc.secs()) {
			sl.acc = u
		}
		switch {
		case sl.last.empty():
			sl.last = u
		case sl.last.port() == u.port():
			if u.secs() >= sl.last.secs() {
				sl.last = u
			}
		case u.secs() >= sl.last.secs():
			sl.other, sl.last = sl.last, u
		case sl.other.empty() || u.secs() >= sl.other.secs():
			sl.other = u
		}
		return
	}
	if s.slots[i].key == 0 {
		s.used++
	} else {
		s.evicted.Add(1) // an expired document's slot, reused
	}
	s.slots[i] = slot{key: h, last: u}
	if u.accepted() {
		s.slots[i].acc = u
	}
	if s.used > s.limit {
		s.rebuild()
	}
}

// rebuild copies the live documents into a fresh table, dropping those
// whose latest use is older than the horizon and, when more than cap are
// left, the oldest until 7/8 of cap are.
func (s *memShard) rebuild() {
	s.rebuilt.Add(1)
	var cutoff uint32
	if s.newest > s.horizon {
		cutoff = s.newest - s.horizon
	}
	live := 0
	for i := range s.slots {
		if k := s.slots[i].key; k != 0 && s.slots[i].last.secs() >= cutoff {
			live++
		}
	}
	if live > s.cap {
		times := make([]uint32, 0, live)
		for i := range s.slots {
			if k := s.slots[i].key; k != 0 && s.slots[i].last.secs() >= cutoff {
				times = append(times, s.slots[i].last.secs())
			}
		}
		slices.Sort(times)
		keep := s.cap * 7 / 8
		cutoff = times[len(times)-keep]
		if cutoff == times[0] {
			// All the same second: forget the ones of that second too,
			// rather than keep the table full.
			cutoff++
		}
	}
	old := s.slots
	s.slots = make([]slot, len(old))
	s.used = 0
	dropped := 0
	for _, sl := range old {
		if sl.key == 0 {
			continue
		}
		if sl.last.secs() < cutoff {
			dropped++
			continue
		}
		if sl.other.secs() < cutoff {
			sl.other = 0
		}
		if sl.acc.secs() < cutoff {
			sl.acc = 0
		}
		j, _ := s.find(sl.key)
		s.slots[j] = sl
		s.used++
	}
	s.evicted.Add(uint64(dropped))
}

// MemoryStats describes the memory's use.
type MemoryStats struct {
	// Documents is the number of documents held (some may be older than
	// the horizon and not yet dropped).
	Documents int
	// Capacity is the most documents held.
	Capacity int
	// Failures is the number of documents with recent failed attempts.
	Failures int
	// Forgotten counts the documents dropped by rebuilds, old or evicted.
	Forgotten uint64
	// Rebuilds counts the rebuilds of shards' tables.
	Rebuilds uint64
	// TableBytes is the size of the tables.
	TableBytes int64
}

// Stats returns the memory's figures.
func (m *Memory) Stats() MemoryStats {
	st := MemoryStats{Capacity: m.documents}
	for i := range m.shards {
		s := &m.shards[i]
		s.mu.Lock()
		st.Documents += s.used
		st.Failures += s.fails.Len()
		st.TableBytes += int64(len(s.slots)) * 24
		s.mu.Unlock()
		st.Forgotten += s.evicted.Load()
		st.Rebuilds += s.rebuilt.Load()
	}
	return st
}
