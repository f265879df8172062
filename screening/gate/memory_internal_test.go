package gate

import (
	"math/rand/v2"
	"testing"
	"time"
)

func TestUsePacking(t *testing.T) {
	tests := []struct {
		secs                   uint32
		gate, port             int
		exit, accepted, failed bool
	}{
		{0, 0, 0, false, false, false},
		{1<<32 - 1, MaxGates - 1, MaxPorts - 1, true, true, true},
		{123456789, 40, 7, true, false, true},
		{987654321, 65000, 4000, false, true, false},
	}
	for _, tt := range tests {
		u := packUse(tt.secs, tt.gate, tt.port, tt.exit, tt.accepted, tt.failed)
		if u.empty() || u.secs() != tt.secs || u.gate() != tt.gate || u.port() != tt.port ||
			u.exit() != tt.exit || u.accepted() != tt.accepted || u.failed() != tt.failed {
			t.Errorf("packUse%+v round trip: secs %d gate %d port %d exit %v accepted %v failed %v",
				tt, u.secs(), u.gate(), u.port(), u.exit(), u.accepted(), u.failed())
		}
	}
	if got := memSeconds(memEpoch.Add(-time.Hour)); got != 0 {
		t.Errorf("memSeconds before the epoch = %d, want 0", got)
	}
}

func lookup(m *Memory, h uint64) recent {
	var r recent
	m.observe(h, func(got *recent) use { r = *got; return 0 })
	return r
}

func TestMemoryLastAndOther(t *testing.T) {
	m := NewMemory(MemoryOptions{Documents: 100, Shards: 1}, time.Hour)
	at := func(s uint32, port int) use { return packUse(s, port*10, port, false, true, false) }
	steps := []struct {
		u           use
		last, other use
	}{
		{at(100, 1), at(100, 1), 0},
		{at(110, 1), at(110, 1), 0},          // same port: last moves on
		{at(120, 2), at(120, 2), at(110, 1)}, // another port: last becomes other
		{at(130, 2), at(130, 2), at(110, 1)}, // same port as last: other kept
		{at(140, 3), at(140, 3), at(130, 2)},
		{at(135, 1), at(140, 3), at(135, 1)}, // late arrival: older than last
	}
	for i, s := range steps {
		m.replay(42, s.u)
		r := lookup(m, 42)
		if r.last != s.last || r.other != s.other {
			t.Fatalf("step %d: last %x other %x, want %x %x", i, r.last, r.other, s.last, s.other)
		}
	}
}

func TestMemoryHorizon(t *testing.T) {
	m := NewMemory(MemoryOptions{Documents: 100, Shards: 1}, time.Hour)
	m.replay(1, packUse(1000, 0, 0, false, true, false))
	m.replay(2, packUse(1000+3599, 0, 0, false, true, false))
	if r := lookup(m, 1); r.last.empty() {
		t.Fatal("use within the horizon forgotten")
	}
	m.replay(2, packUse(1000+3601, 0, 0, false, true, false))
	if r := lookup(m, 1); !r.last.empty() {
		t.Fatalf("use older than the horizon still given: %x", r.last)
	}
}

func TestMemoryFailures(t *testing.T) {
	m := NewMemory(MemoryOptions{Documents: 100, Shards: 1}, time.Hour)
	for i := range 6 {
		m.replay(7, packUse(uint32(100+i), i, 0, false, false, true))
	}
	m.replay(7, packUse(200, 9, 0, false, true, false)) // a success adds no failure
	r := lookup(m, 7)
	for i, f := range r.failures {
		if want := 5 - i; f.gate() != want {
			t.Errorf("failures[%d] at gate %d, want %d (newest first)", i, f.gate(), want)
		}
	}
}

// TestMemoryBounded fills a memory with ten times its capacity, all within
// the horizon: the newest documents must be kept, the table must not grow,
// and lookups must end.
func TestMemoryBounded(t *testing.T) {
	const capacity = 4096
	m := NewMemory(MemoryOptions{Documents: capacity, Shards: 4}, 24*time.Hour)
	before := m.Stats().TableBytes
	rng := rand.New(rand.NewPCG(1, 2))
	keys := make([]uint64, 10*capacity)
	for i := range keys {
		keys[i] = rng.Uint64() | 1
		m.replay(keys[i], packUse(uint32(1000+i), 0, 0, false, true, false))
	}
	st := m.Stats()
	if st.TableBytes != before {
		t.Errorf("table grew from %d to %d bytes", before, st.TableBytes)
	}
	if st.Documents > capacity*5/4 {
		t.Errorf("%d documents held, capacity %d", st.Documents, capacity)
	}
	if st.Forgotten == 0 || st.Rebuilds == 0 {
		t.Errorf("nothing forgotten: %+v", st)
	}
	// The newest half of a capacity's worth is all there.
	for _, k := range keys[len(keys)-capacity/2:] {
		if r := lookup(m, k); r.last.empty() {
			t.Fatalf("recent document %x forgotten", k)
		}
	}
	// The oldest are gone.
	missing := 0
	for _, k := range keys[:capacity] {
		if r := lookup(m, k); r.last.empty() {
			missing++
		}
	}
	if missing != capacity {
		t.Errorf("%d of the %d oldest documents forgotten, want all", missing, capacity)
	}
}

// TestMemoryExpiredSlotsReused keeps inserting documents whose uses expire:
// the table reuses their slots and never fills.
func TestMemoryExpiredSlotsReused(t *testing.T) {
	m := NewMemory(MemoryOptions{Documents: 64, Shards: 1}, time.Minute)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 100_000 {
		m.replay(rng.Uint64()|1, packUse(uint32(i), 0, 0, false, true, false))
	}
	if st := m.Stats(); st.Documents > 96 {
		t.Errorf("%d documents held, want at most the table's limit", st.Documents)
	}
}
