package matcher

import (
	"cmp"
	"context"
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultMaxHits is the number of hits Search returns when
// SearchOptions.MaxHits is 0.
const DefaultMaxHits = 10

// SearchOptions tunes a search. The zero value gives the defaults.
type SearchOptions struct {
	// Threshold is the lowest final score reported; 0 means
	// DefaultReferThreshold.
	Threshold float64
	// StrongThreshold is the name score from which a hit is Strong; 0
	// means DefaultStrongThreshold.
	StrongThreshold float64
	// MaxHits caps the hits returned, best first; 0 means DefaultMaxHits
	// and a negative value means no cap.
	MaxHits int
	// Deadline, when not zero, bounds the search: once it has passed,
	// Search, SearchContext and SearchPreparedContext stop and return
	// ErrDeadline, never a partial result. SearchPrepared, which has no
	// error to return, ignores it.
	Deadline time.Time
}

func (o SearchOptions) withDefaults() SearchOptions {
	if o.Threshold <= 0 {
		o.Threshold = DefaultReferThreshold
	}
	if o.StrongThreshold <= 0 {
		o.StrongThreshold = DefaultStrongThreshold
	}
	if o.MaxHits == 0 {
		o.MaxHits = DefaultMaxHits
	}
	return o
}

// Prepared is a query normalised once: its spellings, words and phonetic
// codes. A manifest screened against several indexes, or screened again,
// prepares each traveller once. A Prepared is immutable and safe for
// concurrent use.
type Prepared struct {
	kind   Kind
	forms  []nameForm
	dob    Date
	nat    string
	gender byte
	// maxEvidence is the most the evidence can add to a name score,
	// maxEvBits the most information agreeing evidence can carry.
	maxEvidence float64
	maxEvBits   float64
}

// maxQueryBits is the number of query words whose agreement the candidate
// stage tracks; further words are assumed to agree.
const maxQueryBits = 8

// Prepare normalises a query. It returns ErrNoName when the name has no
// word of two or more letters or digits that the matcher can read, and
// ErrBadKind when its kind is neither Person nor Organization.
func Prepare(q Query) (*Prepared, error) {
	if q.Kind != Person && q.Kind != Organization {
		return nil, fmt.Errorf("query kind %d: %w", q.Kind, ErrBadKind)
	}
	p := &Prepared{kind: q.Kind, dob: q.BirthDate, nat: strings.ToUpper(strings.TrimSpace(q.Nationality)), gender: q.Gender}
	for _, nf := range queryForms(q) {
		usable := false
		for _, w := range nf.words {
			if !w.initial {
				usable = true
			}
		}
		if usable {
			p.forms = append(p.forms, nf)
		}
	}
	if len(p.forms) == 0 {
		return nil, ErrNoName
	}
	if !q.BirthDate.IsZero() && q.BirthDate.Year != 0 {
		p.maxEvidence += effDOBExact
		p.maxEvBits += maxDOBBits(q.BirthDate)
	}
	if p.nat != "" {
		p.maxEvidence += effNatMatch
		p.maxEvBits += natBits
	}
	if q.Gender == 'M' || q.Gender == 'F' {
		p.maxEvidence += effGenderMatch
	}
	return p, nil
}

// Search returns the records whose names match q with a final score of at
// least the threshold, best first, each with its explanation. It returns
// ErrNoName when q has no usable name and ErrDeadline when opts.Deadline
// passes first: the search has then decided nothing.
func (ix *Index) Search(q Query, opts SearchOptions) ([]Match, error) {
	return ix.SearchContext(context.Background(), q, opts)
}

// SearchContext is Search bounded by ctx as well as opts.Deadline: when
// ctx is done or the deadline passes before the search ends, it returns an
// error matching ErrDeadline (and, for ctx, ctx.Err()).
func (ix *Index) SearchContext(ctx context.Context, q Query, opts SearchOptions) ([]Match, error) {
	p, err := Prepare(q)
	if err != nil {
		return nil, err
	}
	return ix.SearchPreparedContext(ctx, p, opts, nil)
}

// SearchPreparedContext is SearchContext for a prepared query. It appends
// the hits to dst; on error it returns dst unchanged. With no hit and a dst
// of enough capacity (or nil) it does not allocate.
func (ix *Index) SearchPreparedContext(ctx context.Context, p *Prepared, opts SearchOptions, dst []Match) ([]Match, error) {
	return ix.search(ctx, p, opts, dst, true)
}

// SearchPrepared is Search for a prepared query, without a bound: it
// ignores opts.Deadline (use SearchPreparedContext to bound a search). It
// appends the hits to dst and returns it; with no hit and a dst of enough
// capacity (or nil) it does not allocate.
func (ix *Index) SearchPrepared(p *Prepared, opts SearchOptions, dst []Match) []Match {
	out, _ := ix.search(context.Background(), p, opts, dst, false)
	return out
}

// checkEvery is how many units of work (postings read, records scored) a
// bounded search does between looks at the clock.
const checkEvery = 256

func (ix *Index) search(ctx context.Context, p *Prepared, opts SearchOptions, dst []Match, bounded bool) ([]Match, error) {
	opts = opts.withDefaults()
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	sc.ctx, sc.deadline, sc.bounded = nil, time.Time{}, bounded
	if bounded {
		sc.ctx, sc.deadline = ctx, opts.Deadline
		if err := sc.expired(); err != nil {
			return dst, err
		}
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	sc.begin(ix, p, opts)
	for fi := range p.forms {
		if err := ix.searchForm(p, fi, sc); err != nil {
			sc.endForm()
			return dst, err
		}
		sc.endForm()
	}
	if len(sc.hits) == 0 {
		return dst, nil
	}
	hits := sc.hits
	if len(p.forms) > 1 {
		// The same record may be hit through several spellings: keep the best.
		slices.SortFunc(hits, func(a, b hit) int {
			if c := cmp.Compare(a.rec, b.rec); c != 0 {
				return c
			}
			return cmp.Compare(b.score, a.score)
		})
		hits = slices.CompactFunc(hits, func(a, b hit) bool { return a.rec == b.rec })
	}
	slices.SortFunc(hits, func(a, b hit) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return strings.Compare(ix.recs[a.rec].key, ix.recs[b.rec].key)
	})
	if opts.MaxHits > 0 && len(hits) > opts.MaxHits {
		hits = hits[:opts.MaxHits]
	}
	for _, h := range hits {
		dst = append(dst, ix.explain(p, h, sc))
	}
	return dst, nil
}

// hit is a record that passed, before its explanation is written.
type hit struct {
	rec       uint32
	at        uint32 // the position of its form in the record's data
	qform     uint16 // index in Prepared.forms
	score     float64
	nameScore float64
}

// scratch is the per-search working memory, reused through a pool.
type scratch struct {
	walk listWalk // the walk of the class being walked (walkList)
	p    *Prepared
	opts SearchOptions
	rar  rarity

	// Per vocabulary word: its row of similarities to the query words, or
	// -1; and a stamp that marks the words already compared when the
	// agreeing words of a query word are looked up.
	rowOf    []int32
	rowWords []uint32
	rows     []simRow
	stamp    []uint32
	stampCur uint32
	// Per record: scored in this spelling of the query.
	visited     []uint64
	visitedList []uint32

	words      []*wordInfo // the query words of the current spelling
	fi         int         // its index in Prepared.forms
	qw         [maxWords]qword
	side       [maxWords]sideWord
	letterBits [256]uint16 // per first letter: the tracked query initials it agrees with
	nbits      int
	hasInitial bool

	// The bounds of the candidate stage: loose ones, valid for any name,
	// and tight ones, valid for names without a one-letter word equal to a
	// query initial (see walkClass).
	loose, tight bounds

	keybuf []uint64
	// Per tracked bit: the signature bits of the blocks of the words the
	// query word agrees with (qsigN of them), or qsigN -1 when there are
	// too many to test; sigAlways the bits assumed present.
	qsig      [maxQueryBits][maxSigBlocks]uint64
	qsigN     [maxQueryBits]int
	sigAlways int
	batch     []pent
	sink      uint32
	bcs       [maxQueryBits][]blockCount // per tracked bit (see blockCountsOf)
	bcDone    uint16
	pairs     [maxQueryBits][maxQueryBits]pairMemo
	hits      []hit
	al        alignScratch
	lw        [maxWords]*wordInfo
	mat       [maxWords][maxWords]float64
	hmat      [maxWords][maxWords]How
	pr        pairing
	cache     formCache
	lists     []postList
	wlists    []postList // the lists of a word, for walkWord
	pairKeys  []uint64   // the pair keys pairLists looks up
	walked    listSet    // the lists walked in this class

	// exhaustive makes scoreForm compute every word similarity, for the
	// brute-force scan of the recall test and for explanations.
	exhaustive bool

	// The bound of the search.
	ctx      context.Context
	deadline time.Time
	bounded  bool
	work     int

	// Counters of the last search, for tests and tuning.
	nWalked, nTouched, nScored int
}

// bounds holds, per class and set of tracked query words, the most the
// name score of a listed name agreeing with those words can be before
// commonness (ub) and whether the set can reach the threshold at all
// (viable); and per set, the most information its agreement can carry
// (ibits).
type bounds struct {
	ub     [numClasses][1 << maxQueryBits]float64
	viable [numClasses][1 << maxQueryBits]bool
	ibits  [1 << maxQueryBits]float64
}

// simRow holds the similarities of one vocabulary word to the query words.
type simRow struct {
	bits uint16 // tracked query words it agrees with
	done uint16 // query words whose similarity is known
	sims [maxWords]float64
	hows [maxWords]How
}

type qword struct {
	w       *wordInfo
	initial bool
	bit     int        // bit in the candidate mask, or -1
	best    float64    // best similarity to any vocabulary word
	wmax    float64    // the most a listed word agreeing with it can weigh
	imax    float64    // the most information its agreement can carry
	hits    []matchHit // the vocabulary words it agrees with
	st      *wordStats // what the search derives from them
	cost    [numClasses]int
	initVoc int64 // for an initial: the vocabulary number of the same initial, or -1
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// expired reports whether a bounded search must stop.
func (sc *scratch) expired() error {
	if !sc.bounded {
		return nil
	}
	if sc.ctx != nil {
		if err := sc.ctx.Err(); err != nil {
			return fmt.Errorf("%w: %w", ErrDeadline, err)
		}
	}
	if !sc.deadline.IsZero() && !time.Now().Before(sc.deadline) {
		return ErrDeadline
	}
	return nil
}

// tick counts n units of work and checks the bound every checkEvery.
func (sc *scratch) tick(n int) error {
	if !sc.bounded {
		return nil
	}
	sc.work += n
	if sc.work < checkEvery {
		return nil
	}
	sc.work = 0
	return sc.expired()
}

// begin readies the scratch for a search of p in ix.
func (sc *scratch) begin(ix *Index, p *Prepared, opts SearchOptions) {
	sc.p, sc.opts = p, opts
	sc.rar = newRarity(ix.live[p.kind])
	sc.hits = sc.hits[:0]
	sc.nWalked, sc.nTouched, sc.nScored = 0, 0, 0
	sc.work = 0
	sc.fit(ix)
}

// fit sizes the scratch's per-word and per-record tables for ix.
func (sc *scratch) fit(ix *Index) {
	if n := len(ix.words); len(sc.rowOf) < n {
		old := len(sc.rowOf)
		sc.rowOf = append(sc.rowOf, make([]int32, n+n/4-old)...)
		for i := old; i < len(sc.rowOf); i++ {
			sc.rowOf[i] = -1
		}
		sc.stamp = append(sc.stamp, make([]uint32, len(sc.rowOf)-len(sc.stamp))...)
	}
	if n := (len(ix.recs) + 63) / 64; len(sc.visited) < n {
		sc.visited = append(sc.visited, make([]uint64, n+n/4-len(sc.visited))...)
	}
}

// endForm clears what one spelling of the query left in the scratch.
func (sc *scratch) endForm() {
	sc.resetRows()
	sc.walked.release()
	for _, r := range sc.visitedList {
		sc.visited[r/64] = 0
	}
	sc.visitedList = sc.visitedList[:0]
}

func (sc *scratch) resetRows() {
	for _, w := range sc.rowWords {
		sc.rowOf[w] = -1
	}
	sc.rowWords = sc.rowWords[:0]
	sc.rows = sc.rows[:0]
}

func (sc *scratch) row(w uint32) *simRow {
	r := sc.rowOf[w]
	if r < 0 {
		r = int32(len(sc.rows))
		sc.rowOf[w] = r
		sc.rowWords = append(sc.rowWords, w)
		if len(sc.rows) < cap(sc.rows) {
			sc.rows = sc.rows[:len(sc.rows)+1]
			sc.rows[r] = simRow{}
		} else {
			sc.rows = append(sc.rows, simRow{})
		}
	}
	return &sc.rows[r]
}

// formCache remembers the score of listed names already scored in this
// spelling of the query, by their words: many records carry the same name.
type formCache struct {
	keys []uint64
	vals [][2]float64
	gen  []uint32
	cur  uint32
	n    int
}

const formCacheSize = 1 << 12

func (c *formCache) reset() {
	if c.keys == nil {
		c.keys = make([]uint64, formCacheSize)
		c.vals = make([][2]float64, formCacheSize)
		c.gen = make([]uint32, formCacheSize)
	}
	c.cur++
	c.n = 0
	if c.cur == 0 { // wrapped: clear for real
		clear(c.gen)
		c.cur = 1
	}
}

func (c *formCache) get(k uint64) ([2]float64, bool) {
	for i := k & (formCacheSize - 1); ; i = (i + 1) & (formCacheSize - 1) {
		if c.gen[i] != c.cur {
			return [2]float64{}, false
		}
		if c.keys[i] == k {
			return c.vals[i], true
		}
	}
}

func (c *formCache) put(k uint64, v [2]float64) {
	if c.n >= formCacheSize/2 {
		return // full enough: stop remembering
	}
	i := k & (formCacheSize - 1)
	for c.gen[i] == c.cur {
		i = (i + 1) & (formCacheSize - 1)
	}
	c.keys[i], c.vals[i], c.gen[i] = k, v, c.cur
	c.n++
}

// formKey hashes a listed name's words and weakness.
func formKey(words []uint32, weak bool) uint64 {
	h := uint64(fnvOffset)
	if weak {
		h ^= 1
	}
	for _, w := range words {
		h ^= uint64(w) + 0x9e3779b9
		h *= fnvPrime
		h ^= h >> 29
	}
	return h
}

// searchForm runs the search for one spelling of the query.
func (ix *Index) searchForm(p *Prepared, fi int, sc *scratch) error {
	words := p.forms[fi].words
	sc.words = words
	sc.cache.reset()
	sc.fi = fi
	n := len(words)
	kind := p.kind

	// Words: the vocabulary words each query word agrees with, its
	// weight, and the most its agreement can weigh and say.
	sc.hasInitial = false
	for i, w := range words {
		q := &sc.qw[i]
		*q = qword{w: w, initial: w.initial, bit: -1, initVoc: -1}
		if w.initial {
			sc.side[i] = sideOf(w, sc.rar.info(ix.logCountOf(kind, w)))
			// An initial agrees with a listed word it begins (and with
			// the same initial): anything up to a whole word.
			sc.hasInitial = true
			q.best, q.wmax, q.imax = 1, 1, infoInitial
			if v, ok := ix.vocab[w.vkey]; ok {
				q.initVoc = int64(v)
				for c := range q.cost {
					q.cost[c] = ix.post[v].get(slotOf(kind, c)).len()
				}
			}
			continue
		}
		e, err := ix.matchWord(w, sc)
		if err != nil {
			return err
		}
		st := e.stats[kind].Load()
		if st == nil || st.gen != ix.gen {
			st = ix.wordStatsOf(w, kind, e.hits, &sc.rar)
			e.stats[kind].Store(st)
		}
		sc.side[i] = st.side
		q.hits, q.st = e.hits, st
		q.wmax, q.imax, q.best, q.cost = st.wmax, st.imax, st.best, st.cost
		for _, h := range e.hits {
			rw := sc.row(h.v)
			rw.sims[i], rw.hows[i] = h.s, h.how
			rw.done |= 1 << i
		}
	}
	// The tracked words: the cheapest ones.
	var order [maxWords]int
	for i := 0; i < n; i++ {
		order[i] = i
	}
	total := func(i int) int {
		t := 0
		for _, c := range sc.qw[i].cost {
			t += c
		}
		return t
	}
	for x := 1; x < n; x++ {
		for y := x; y > 0 && total(order[y]) < total(order[y-1]); y-- {
			order[y], order[y-1] = order[y-1], order[y]
		}
	}
	sc.nbits = min(n, maxQueryBits)
	for bit, i := range order[:sc.nbits] {
		sc.qw[i].bit = bit
	}
	for i := range sc.letterBits {
		sc.letterBits[i] = 0
	}
	for i := 0; i < n; i++ {
		q := &sc.qw[i]
		if q.bit < 0 {
			continue
		}
		if q.initial {
			sc.letterBits[q.w.text[0]] |= 1 << q.bit
			continue
		}
		for _, h := range q.hits {
			sc.rows[sc.rowOf[h.v]].bits |= 1 << q.bit
		}
	}
	full := 1<<sc.nbits - 1
	sc.setSigs()
	sc.setBits(n, &sc.loose, false)

	// Viability, then the walk, class by class. The tight bounds of a
	// class serve only its walk.
	anyViable := false
	for c := 0; c < numClasses; c++ {
		if sc.viability(n, c, &sc.loose, false) {
			anyViable = true
		}
	}
	if !anyViable {
		return nil
	}
	tightBits := false
	for c := 0; c < numClasses; c++ {
		if !sc.loose.viable[c][full] {
			continue
		}
		if !tightBits {
			sc.setBits(n, &sc.tight, true)
			tightBits = true
		}
		sc.viability(n, c, &sc.tight, true)
		sc.walked.reset()
		sc.walk.set(c, sc)
		if err := ix.walkClass(c, sc); err != nil {
			return err
		}
	}
	return nil
}

// wordStats is what a search derives from the matches of a query word
// that is not an initial, for one kind, from the index's counts and
// postings: the word's side, the most a listed word agreeing with it can
// weigh and the most their agreement can say, its best similarity, and
// the postings of the words agreeing with it per class. A search in the
// same state of the index (gen) reads it from the word's match entry.
type wordStats struct {
	gen              uint64
	side             sideWord
	wmax, imax, best float64
	cost             [numClasses]int
	// sigs holds the signature bits of the blocks of the agreeing words
	// that have postings, once each, or is nil when there are more than
	// maxSigBlocks: a record's signature is then not tested for the word.
	sigs []uint64
}

func (ix *Index) wordStatsOf(w *wordInfo, kind Kind, hits []matchHit, rar *rarity) *wordStats {
	st := &wordStats{gen: ix.gen, side: sideOf(w, rar.info(ix.logCountOf(kind, w)))}
	for _, h := range hits {
		info := rar.info(float64(ix.logc[kind][h.v]))
		if wl := sideOf(ix.words[h.v], info).weight; wl > st.wmax {
			st.wmax = wl
		}
		if pi := pairInfo(st.side.info, info, h.s); pi > st.imax {
			st.imax = pi
		}
		st.best = max(st.best, h.s)
		wp := &ix.post[h.v]
		if wp.mask == 0 {
			continue
		}
		for c := range st.cost {
			st.cost[c] += wp.get(slotOf(kind, c)).len()
		}
	}
	var sigs [maxSigBlocks]uint64
	n := 0
	for _, h := range hits {
		if ix.post[h.v].mask == 0 {
			continue
		}
		bs := blockSig(ix.block[h.v])
		if slices.Contains(sigs[:n], bs) {
			continue
		}
		if n == maxSigBlocks {
			return st
		}
		sigs[n] = bs
		n++
	}
	st.sigs = append(make([]uint64, 0, n), sigs[:n]...)
	return st
}

// initialTightInfo is the most information a query initial carries when
// it stands for a listed word (not for the same initial).
const initialTightInfo = infoInitial - (1-simInitial)*fuzzBits

// imaxOf returns the most information the agreement of query word i can
// carry, tightly or loosely (see bounds).
func (sc *scratch) imaxOf(i int, tight bool) float64 {
	q := &sc.qw[i]
	if q.initial && tight {
		return initialTightInfo
	}
	return q.imax
}

// setBits fills b.ibits: for each set of tracked words, the most
// information their agreement (and that of the untracked words) carries.
func (sc *scratch) setBits(n int, b *bounds, tight bool) {
	untracked := 0.0
	for i := 0; i < n; i++ {
		if sc.qw[i].bit < 0 {
			untracked += sc.imaxOf(i, tight)
		}
	}
	b.ibits[0] = untracked
	for mask := 1; mask < 1<<sc.nbits; mask++ {
		low := bits.TrailingZeros(uint(mask))
		var im float64
		for i := 0; i < n; i++ {
			if sc.qw[i].bit == low {
				im = sc.imaxOf(i, tight)
				break
			}
		}
		b.ibits[mask] = b.ibits[mask&(mask-1)] + im
	}
}

// viability fills b.ub[c] and b.viable[c]: for each set of tracked query
// words, the most the name score of a listed name of class c agreeing
// with those words (and the untracked ones) can be before commonness, and
// whether with the best evidence it could reach the threshold. It reports
// whether any set is viable.
func (sc *scratch) viability(n, c int, b *bounds, tight bool) bool {
	m := c + 1
	full := 1 << sc.nbits
	anyViable := false
	thr := sc.opts.Threshold
	for mask := 0; mask < full; mask++ {
		ub := sc.upperBound(n, mask, m, tight)
		for rest := mask; rest != 0; rest &= rest - 1 {
			if sub := mask &^ (rest & -rest); b.ub[c][sub] > ub {
				ub = b.ub[c][sub]
			}
		}
		b.ub[c][mask] = ub
		pen := commonness(sc.rar.excessBits(b.ibits[mask], sc.p.maxEvBits))
		v := ub-pen+sc.p.maxEvidence >= thr
		b.viable[c][mask] = v
		anyViable = anyViable || v
	}
	return anyViable
}

// minListedWeight is the least weight a listed word can have.
const minListedWeight = weightInitial

// upperBound bounds the name score before commonness of a listed name of
// m words that agrees with the query words in mask (and, optimistically,
// with the untracked words) and with no other. An agreeing pair adds
// s·(wq + wl) to the numerator and wq + wl to the denominator, where s is
// at most the query word's best similarity and the listed word's weight wl
// lies between minListedWeight and the query word's wmax; the bound takes
// for each pair the weight that raises the ratio most (the high one when
// s exceeds the ratio, Dinkelbach's method). Listed words that do not
// agree weigh at least minListedWeight. A query initial agrees with a word
// it begins (0.86) or with the same initial (1); tightly, only with a word
// it begins, and a name agreeing only in such initials is capped.
func (sc *scratch) upperBound(n, mask, m int, tight bool) float64 {
	var ua, uaExtra float64
	var ps [maxWords]struct{ s, wq, hi float64 }
	np, full := 0, 0
	for i := 0; i < n; i++ {
		q := &sc.qw[i]
		sw := &sc.side[i]
		in := q.bit < 0 || mask&(1<<q.bit) != 0
		if in && np < m {
			s, wl := 1.0, 1.0
			switch {
			case q.initial && tight:
				s = simInitial
			case q.initial:
				full++
			case q.bit >= 0:
				s, wl = q.best, max(q.wmax, minListedWeight)
				full++
			default:
				full++
			}
			ps[np] = struct{ s, wq, hi float64 }{s, sw.weight, wl}
			np++
			continue
		}
		ua += sw.weight
		uaExtra += sw.weight * sw.cost
	}
	if np == 0 {
		return 0
	}
	ul := float64(m-np) * minListedWeight
	var base float64
	switch {
	case ua > 0 && ul > 0:
		base = ua + ul
	case np >= 2:
		base = uaExtra + ul*patronymicCost
	default:
		base = ua + ul
	}
	r := -1.0
	for iter := 0; iter <= np; iter++ {
		num, den := 0.0, base
		for _, x := range ps[:np] {
			wl := x.hi
			if x.s < r {
				wl = minListedWeight
			}
			num += x.s * (x.wq + wl)
			den += x.wq + wl
		}
		nr := num / den
		if nr <= r {
			break
		}
		r = nr
	}
	need := 2
	if n == 1 && m == 1 {
		need = 1
	}
	if (np < need || full == 0) && r > lowMatchCap {
		r = lowMatchCap
	}
	return r
}

// pairWorthIt is the number of postings above which a search weighs
// looking up the pair postings of two query words instead of walking them.
const pairWorthIt = 64

// walkClass finds and scores the candidates of class c: it walks the
// postings of query words chosen so that every viable set of words
// contains one of them (the cheapest first), or, when that is cheaper, for
// each minimal viable set the pair postings of two of its words.
func (ix *Index) walkClass(c int, sc *scratch) error {
	n := len(sc.words)
	full := 1<<sc.nbits - 1
	h := 0
	var walk [maxWords]int
	nw := 0
	cost := 0
	tv := &sc.tight.viable[c]
	for h != full && tv[full&^h] {
		best, bestCost := -1, 0
		for i := 0; i < n; i++ {
			q := &sc.qw[i]
			if q.bit < 0 || q.initial || h&(1<<q.bit) != 0 {
				continue
			}
			if best < 0 || q.cost[c] < bestCost {
				best, bestCost = i, q.cost[c]
			}
		}
		if best < 0 {
			break
		}
		h |= 1 << sc.qw[best].bit
		walk[nw] = best
		nw++
		cost += bestCost
	}
	rest := full &^ h
	scan, special := false, false
	if tv[rest] {
		special = true
		// Sets of initials and untracked words can reach the threshold:
		// walk the untracked words and the listed initials, or, when an
		// initial standing for a word could make a hit, every record.
		for i := 0; i < n; i++ {
			q := &sc.qw[i]
			switch {
			case q.initial && (q.bit < 0 || rest&(1<<q.bit) != 0):
				walk[nw] = i
				nw++
			case !q.initial && q.bit < 0:
				walk[nw] = i
				nw++
			}
		}
		scan = lowMatchCap+sc.p.maxEvidence >= sc.opts.Threshold
	}
	if scan {
		return ix.scanClass(c, sc)
	}
	if cost > pairWorthIt && !special && nw > 0 {
		if done, err := ix.walkPairs(c, cost, sc); done || err != nil {
			return err
		}
	}
	slot := slotOf(sc.p.kind, c)
	for _, i := range walk[:nw] {
		q := &sc.qw[i]
		if q.initial {
			continue // walked below
		}
		if err := ix.walkWord(q, slot, c, sc); err != nil {
			return err
		}
	}
	if !sc.hasInitial {
		return nil
	}
	// Names that the tight bounds leave out can reach the threshold only
	// through a one-letter word equal to a query initial: walk those.
	listedInitials := special
	for mask := 0; mask <= full && !listedInitials; mask++ {
		listedInitials = sc.loose.viable[c][mask] && !tv[mask]
	}
	if !listedInitials {
		return nil
	}
	for i := 0; i < n; i++ {
		if q := &sc.qw[i]; q.initial && q.initVoc >= 0 {
			if err := ix.walkList(ix.post[q.initVoc].get(slot), sc); err != nil {
				return err
			}
		}
	}
	return nil
}

// walkPairs walks, for each minimal viable set of class c, the cheapest of
// its words' postings and its pairs of words' pair postings, when the sum
// is cheaper than wordCost. It reports whether it did.
func (ix *Index) walkPairs(c, wordCost int, sc *scratch) (bool, error) {
	n := len(sc.words)
	full := 1<<sc.nbits - 1
	bitWord := [maxQueryBits]int{}
	for i := 0; i < n; i++ {
		if b := sc.qw[i].bit; b >= 0 {
			bitWord[b] = i
		}
	}
	slot := slotOf(sc.p.kind, c)
	sc.lists = sc.lists[:0]
	sc.bcDone = 0
	sc.pairs = [maxQueryBits][maxQueryBits]pairMemo{}
	type choice struct {
		word  int // a word to walk, or -1
		lists []postList
	}
	var choices [64]choice
	nc := 0
	total := 0
	tv := &sc.tight.viable[c]
	for set := 1; set <= full; set++ {
		if !tv[set] {
			continue
		}
		minimal := true
		for b := set; b != 0; b &= b - 1 {
			if tv[set&^(b&-b)] {
				minimal = false
				break
			}
		}
		if !minimal {
			continue
		}
		if nc == len(choices) {
			return false, nil
		}
		best := choice{word: -1}
		bestCost := -1
		for bx := 0; bx < sc.nbits; bx++ {
			qx := &sc.qw[bitWord[bx]]
			if set&(1<<bx) == 0 || qx.initial {
				continue
			}
			if bestCost < 0 || qx.cost[c] < bestCost {
				best, bestCost = choice{word: bitWord[bx]}, qx.cost[c]
			}
		}
		if bestCost < 0 {
			return false, nil // initials only: not for pairs
		}
		if bestCost > pairWorthIt {
			for bx := 0; bx < sc.nbits; bx++ {
				for by := bx + 1; by < sc.nbits; by++ {
					qx, qy := &sc.qw[bitWord[bx]], &sc.qw[bitWord[by]]
					if set&(1<<bx) == 0 || set&(1<<by) == 0 || qx.initial || qy.initial {
						continue
					}
					if lists, pc, ok := ix.pairLists(qx, qy, bx, by, slot, bestCost, sc); ok {
						best, bestCost = choice{word: -1, lists: lists}, pc
					}
				}
			}
		}
		choices[nc] = best
		nc++
		total += bestCost
		if total >= wordCost {
			return false, nil
		}
	}
	for _, ch := range choices[:nc] {
		if ch.word >= 0 {
			if err := ix.walkWord(&sc.qw[ch.word], slot, c, sc); err != nil {
				return true, err
			}
			continue
		}
		if err := ix.walkLists(ch.lists, c, sc); err != nil {
			return true, err
		}
	}
	return true, nil
}

// walkWord walks the lists of slot of the words agreeing with q.
func (ix *Index) walkWord(q *qword, slot, c int, sc *scratch) error {
	sc.wlists = sc.wlists[:0]
	for _, hh := range q.hits {
		if pl := ix.post[hh.v].get(slot); pl.len() > 0 {
			sc.wlists = append(sc.wlists, pl)
		}
	}
	return ix.walkLists(sc.wlists, c, sc)
}

// listsAhead is how many lists walkLists fetches together: a walk reads
// hundreds of short lists, each somewhere else in memory, and the first
// read of each, one after the other, cost more than reading them.
const listsAhead = 16

// walkLists walks lists, reading the first posting of listsAhead of them
// at once so that their cache misses overlap.
func (ix *Index) walkLists(lists []postList, c int, sc *scratch) error {
	for len(lists) > 0 {
		grp := lists[:min(len(lists), listsAhead)]
		lists = lists[len(grp):]
		var x uint32
		for i := range grp {
			if p := grp[i].id(); p != nil {
				x += p.rec
			}
		}
		sc.sink += x
		for _, pl := range grp {
			if err := ix.walkList(pl, sc); err != nil {
				return err
			}
		}
	}
	return nil
}

// The cost model of a walk, in postings read: looking up a pair posting
// (a cache miss in a large map) costs pairLookupCost; the words of a block
// with at most smallBlock postings are walked rather than paired.
const (
	pairLookupCost = 8
	smallBlock     = 32
)

type blockCount struct {
	b blockKey
	n int
}

// blockCounts returns the blocks of the words agreeing with q that have
// names in slot, with their numbers of postings.
func blockCounts(dst []blockCount, ix *Index, q *qword, slot int) []blockCount {
	for _, h := range q.hits {
		pl := ix.post[h.v].get(slot)
		n := pl.len()
		if n == 0 {
			continue
		}
		b := ix.block[h.v]
		found := false
		for i := range dst {
			if dst[i].b == b {
				dst[i].n += n
				found = true
				break
			}
		}
		if !found {
			dst = append(dst, blockCount{b, n})
		}
	}
	return dst
}

// pairMemo remembers, within one walk of pair postings, what pairLists
// found for two tracked query words: minimal sets of query words share
// pairs of words, and each pair costs map lookups.
type pairMemo struct {
	state uint8 // 0: nothing yet; 1: est known; 2: lists and cost known
	est   int   // the cost of the lookups and of the small blocks' postings
	cost  int
	lists []postList
}

// blockCountsOf returns blockCounts of the query word of tracked bit b
// for slot, computed once per walk of pair postings.
func (sc *scratch) blockCountsOf(ix *Index, q *qword, b, slot int) []blockCount {
	if sc.bcDone&(1<<b) == 0 {
		sc.bcs[b] = blockCounts(sc.bcs[b][:0], ix, q, slot)
		sc.bcDone |= 1 << b
	}
	return sc.bcs[b]
}

// pairLists returns lists that together hold every record with a name of
// slot with words agreeing with both qx and qy (the query words of
// tracked bits bx and by): the postings of the words in blocks with few
// names, and the pair postings of the other blocks, with the cost of
// reading them. It gives up (ok false) when the cost reaches limit. It
// looks the pair postings up at most once per walk of pair postings
// (sc.pairs), and only once their estimated cost is under a limit. The
// lists are in a buffer of the scratch that later calls append to.
func (ix *Index) pairLists(qx, qy *qword, bx, by, slot, limit int, sc *scratch) (lists []postList, cost int, ok bool) {
	m := &sc.pairs[bx][by]
	bcA := sc.blockCountsOf(ix, qx, bx, slot)
	bcB := sc.blockCountsOf(ix, qy, by, slot)
	if m.state == 0 {
		nbigA, nbigB := 0, 0
		for _, x := range bcA {
			if x.n > smallBlock {
				nbigA++
			} else {
				m.est += x.n
			}
		}
		for _, y := range bcB {
			if y.n > smallBlock {
				nbigB++
			} else {
				m.est += y.n
			}
		}
		m.est += nbigA * nbigB * pairLookupCost
		m.state = 1
	}
	if m.state == 1 {
		if m.est >= limit {
			return nil, 0, false
		}
		start := len(sc.lists)
		small := func(q *qword, bc []blockCount) {
			for _, h := range q.hits {
				b := ix.block[h.v]
				for _, x := range bc {
					if x.b == b && x.n <= smallBlock {
						if pl := ix.post[h.v].get(slot); pl.len() > 0 {
							sc.lists = append(sc.lists, pl)
						}
						break
					}
				}
			}
		}
		small(qx, bcA)
		small(qy, bcB)
		cost := m.est
		var seen [64]uint64
		ns := 0
		sc.pairKeys = sc.pairKeys[:0]
		for _, a := range bcA {
			if a.n <= smallBlock {
				continue
			}
			for _, b := range bcB {
				if b.n <= smallBlock {
					continue
				}
				k := pairKey(a.b, b.b, slot)
				if slices.Contains(seen[:ns], k) {
					continue
				}
				if ns < len(seen) {
					seen[ns] = k
					ns++
				}
				if ix.pairMay(k) {
					sc.pairKeys = append(sc.pairKeys, k)
				}
			}
		}
		// The filter's answers first, then the map lookups: the
		// filter's cache misses overlap when nothing waits on them.
		for _, k := range sc.pairKeys {
			if pl := ix.pairs[k]; pl.len() > 0 {
				sc.lists = append(sc.lists, pl)
				cost += pl.len()
			}
		}
		m.cost, m.lists = cost, sc.lists[start:len(sc.lists):len(sc.lists)]
		m.state = 2
	}
	if m.cost >= limit {
		return nil, 0, false
	}
	return m.lists, m.cost, true
}

// listSet is a set of posting lists, by identity: a list that several
// query words or pairs of words lead to is walked once per class, since
// walking it again finds nothing new (every record in it is scored or
// left out by the same bounds).
type listSet struct {
	lists []*pent
	gen   []uint32
	cur   uint32
	n     int
	dirty bool // lists holds pointers to drop when the search ends
}

const listSetSize = 1 << 10

func (s *listSet) reset() {
	if s.lists == nil {
		s.lists = make([]*pent, listSetSize)
		s.gen = make([]uint32, listSetSize)
	}
	s.cur++
	s.n = 0
	if s.cur == 0 { // wrapped: clear for real
		clear(s.gen)
		s.cur = 1
	}
}

// release drops the pointers to lists, so that a pooled scratch does not
// keep lists the index has since replaced alive.
func (s *listSet) release() {
	if s.dirty {
		clear(s.lists)
		s.dirty = false
	}
}

// add adds a non-empty list and reports whether it was not in the set.
// When the set is full it reports true: the list is walked again.
func (s *listSet) add(pl *postList) bool {
	if s.lists == nil {
		return true
	}
	p := pl.id()
	h := (uint64(p.rec)*0x9e3779b97f4a7c15 ^ uint64(pl.len())*0xff51afd7ed558ccd) >> 54
	for i := h; ; i = (i + 1) & (listSetSize - 1) {
		if s.gen[i] != s.cur {
			if s.n >= listSetSize/2 {
				return true
			}
			s.lists[i], s.gen[i] = p, s.cur
			s.n++
			s.dirty = true
			return true
		}
		if s.lists[i] == p {
			return false
		}
	}
}

// walkList reads a posting list of class c: each record not yet scored
// whose years of birth leave it a chance is scored. Of a list split by
// year of birth it reads only the years that can leave a chance.
func (ix *Index) walkList(pl postList, sc *scratch) error {
	if pl.len() == 0 || !sc.walked.add(&pl) {
		return nil
	}
	w := &sc.walk // set for class c by searchForm
	p := sc.p
	if err := ix.walkEnts(pl.ents, w, sc); err != nil {
		return err
	}
	if b := pl.bands; b != nil {
		lo, hi := p.bandWindow(&w.pass, b.span)
		lo, hi = max(lo-b.first, 0), min(hi-b.first+1, len(b.lists))
		if lo >= hi {
			return ix.scoreBatch(sc)
		}
		// Each band is elsewhere in memory: fetch their starts at once.
		var x uint32
		for _, l := range b.lists[lo:hi] {
			if len(l) > 0 {
				x += l[0].rec
			}
		}
		sc.sink += x
		for _, l := range b.lists[lo:hi] {
			if err := ix.walkEnts(l, w, sc); err != nil {
				return err
			}
		}
	}
	return ix.scoreBatch(sc)
}

// listWalk is what walkList weighs once per list: the evidence bound of
// each class of years and whether a record of the class can pass.
type listWalk struct {
	c, full  int
	evs, ebs [numYearsClasses]float64
	pass     [numYearsClasses]bool
}

// set makes w the walk of class c's lists for the form being searched:
// what it holds depends on the class, the query and the loose bounds, not
// on the list, so it is made once per class.
func (w *listWalk) set(c int, sc *scratch) {
	w.c, w.full = c, 1<<sc.nbits-1
	ubFull := sc.loose.ub[c][w.full]
	ibFull := sc.loose.ibits[w.full]
	// The bound of a record's evidence depends only on the class of its
	// years: weigh each class once.
	for k := range w.pass {
		w.evs[k], w.ebs[k] = sc.p.yearsClassBound(k)
		w.pass[k] = !(ubFull-commonness(sc.rar.excessBits(ibFull, w.ebs[k]))+w.evs[k] < sc.opts.Threshold)
	}
}

// walkEnts reads postings for walkList.
func (ix *Index) walkEnts(ents []pent, w *listWalk, sc *scratch) error {
	sc.nWalked += len(ents)
	p, c, full := sc.p, w.c, w.full
	thr := sc.opts.Threshold
	for k, e := range ents {
		if k&(checkEvery-1) == checkEvery-1 {
			if err := sc.tick(checkEvery); err != nil {
				return err
			}
		}
		r := e.rec
		if sc.visited[r/64]&(1<<(r%64)) != 0 {
			continue
		}
		yc := p.yearsClass(e.years)
		if !w.pass[yc] {
			continue
		}
		ev, eb := w.evs[yc], w.ebs[yc]
		if m := sc.sigMask(e.sig); m != full &&
			sc.loose.ub[c][m]-commonness(sc.rar.excessBits(sc.loose.ibits[m], eb))+ev < thr {
			continue
		}
		if sc.visited[r/64] == 0 {
			sc.visitedList = append(sc.visitedList, r)
		}
		sc.visited[r/64] |= 1 << (r % 64)
		sc.batch = append(sc.batch, e)
		if len(sc.batch) == batchSize {
			if err := ix.scoreBatch(sc); err != nil {
				return err
			}
		}
	}
	return sc.tick(len(ents) & (checkEvery - 1))
}

// bandWindow returns the first years of birth of the bands of a list
// (whose postings span at most span years) that walkList must read: those
// with a record whose class of years passes. A band of year y holds
// records of years y to y+span, so its nearest record is at least
// y−qhi or qlo−(y+span) years from the query's years qlo to qhi.
func (p *Prepared) bandWindow(pass *[numYearsClasses]bool, span int) (lo, hi int) {
	if p.dob.IsZero() || p.dob.Year == 0 || pass[yearsConflict] {
		return minBandYear, maxBandYear
	}
	// The widest gap of years of a class that passes.
	gap := -1
	for c, g := range [...]int{yearsSame: 0, yearsNear: 2, yearsFew: 4, yearsSeveral: 9} {
		if c >= yearsSame && pass[c] {
			gap = g
		}
	}
	if gap < 0 {
		return 1, 0
	}
	qlo, qhi := p.dob.Year, max(p.dob.Year, p.dob.ToYear)
	return qlo - span - gap, qhi + gap
}

// maxSigBlocks is the most blocks a query word's agreeing words may span
// for the record signatures to be tested for it. Common name words agree
// with words of 10 to 20 blocks (MUHAMMAD, KHALID, SALEM); at 8 the test
// was off for them, which left the slowest queries (three or four common
// Arabic name words) to read every record their postings reached.
const maxSigBlocks = 24

// setSigs fills the signature tests of the tracked query words.
func (sc *scratch) setSigs() {
	sc.sigAlways = 0
	for i := range sc.words {
		q := &sc.qw[i]
		if q.bit < 0 {
			continue
		}
		if q.initial {
			sc.sigAlways |= 1 << q.bit
			continue
		}
		if q.st.sigs == nil {
			sc.qsigN[q.bit] = -1
			sc.sigAlways |= 1 << q.bit
			continue
		}
		sc.qsigN[q.bit] = copy(sc.qsig[q.bit][:], q.st.sigs)
	}
}

// sigMask returns the tracked query words a record with signature sig may
// agree with.
func (sc *scratch) sigMask(sig uint64) int {
	m := sc.sigAlways
	for b := 0; b < sc.nbits; b++ {
		if m&(1<<b) != 0 {
			continue
		}
		for _, bs := range sc.qsig[b][:sc.qsigN[b]] {
			if sig&bs == bs {
				m |= 1 << b
				break
			}
		}
	}
	return m
}

// batchSize is the number of records scored together: their data is
// fetched from memory at once, a few dozen cache misses in flight instead
// of one after the other.
const batchSize = 32

// scoreBatch scores the records gathered in sc.batch.
func (ix *Index) scoreBatch(sc *scratch) error {
	b := sc.batch
	if len(b) == 0 {
		return nil
	}
	sc.batch = sc.batch[:0]
	if err := sc.tick(8 * len(b)); err != nil {
		return err
	}
	var offs [batchSize]uint32
	for i, e := range b {
		offs[i] = ix.roff[e.rec]
	}
	// The length of each record's data, then its last word: a record's
	// names often span two cache lines.
	var x uint32
	for i := range b {
		offs[i] += 1 + ix.rdata[offs[i]]
	}
	for i := range b {
		x += ix.rdata[offs[i]]
	}
	sc.sink += x
	for _, e := range b {
		ix.scoreRecord(e.rec, e.years, sc)
	}
	return nil
}

// scanClass scores every record of the kind: for thresholds so low that
// an initial standing for a word could make a hit.
func (ix *Index) scanClass(c int, sc *scratch) error {
	for r := range ix.recs {
		if err := sc.tick(1); err != nil {
			return err
		}
		rec := &ix.recs[r]
		if !rec.live || rec.kind != sc.p.kind || sc.visited[r/64]&(1<<(r%64)) != 0 {
			continue
		}
		if sc.visited[r/64] == 0 {
			sc.visitedList = append(sc.visitedList, uint32(r))
		}
		sc.visited[r/64] |= 1 << (r % 64)
		ix.scoreRecord(uint32(r), ix.years[r], sc)
	}
	return nil
}

// yearsBound bounds the evidence of a record from its years of birth
// alone, plus the most nationality and gender could add: the effect and
// the information.
func (p *Prepared) yearsBound(yr uint32) (eff, bits float64) {
	return p.yearsClassBound(p.yearsClass(yr))
}

// The classes of a record's years of birth against the query's date, by
// what they leave the evidence: the bound depends on the class alone, so
// that a walk weighs each class once and then only classifies postings.
const (
	yearsNoQuery  = iota // the query gives no year
	yearsNone            // the record gives none
	yearsSame            // a listed year or range holds the query's
	yearsNear            // one or two years apart
	yearsFew             // three or four
	yearsSeveral         // five to nine
	yearsConflict        // ten or more
	numYearsClasses
)

// yearsClass returns the class of the years of birth yr (lo<<16 | hi, or
// 0) against the query's date.
func (p *Prepared) yearsClass(yr uint32) int {
	if p.dob.IsZero() || p.dob.Year == 0 {
		return yearsNoQuery
	}
	if yr == 0 {
		return yearsNone
	}
	lo, hi := int(yr>>16), int(yr&0xffff)
	qlo, qhi := p.dob.Year, max(p.dob.Year, p.dob.ToYear)
	gap := 0
	switch {
	case qhi < lo:
		gap = lo - qhi
	case qlo > hi:
		gap = qlo - hi
	}
	switch {
	case gap == 0:
		return yearsSame
	case gap <= 2:
		return yearsNear
	case gap < 5:
		return yearsFew
	case gap < 10:
		return yearsSeveral
	}
	return yearsConflict
}

// yearsClassBound is yearsBound for a class of years.
func (p *Prepared) yearsClassBound(class int) (eff, bits float64) {
	eff, bits = p.maxEvidence, p.maxEvBits
	if class == yearsNoQuery {
		return eff, bits
	}
	dobBits := maxDOBBits(p.dob)
	eff -= effDOBExact
	bits -= dobBits
	switch class {
	case yearsSame:
		return eff + effDOBExact, bits + dobBits
	case yearsNear:
		return eff + effDOBNearDay, bits + min(dobBits, dobBitsMonth)
	case yearsFew:
		return eff + effDOBFewYears, bits
	case yearsSeveral:
		return eff + effDOBSeveralYears, bits
	case yearsConflict:
		return eff + effDOBConflict, bits
	}
	return eff, bits
}

// evidenceOf returns the evidence of record r, its effect and
// information, from the packed array when it holds all of it.
func (ix *Index) evidenceOf(p *Prepared, r uint32) (eff, bits float64) {
	e := &ix.evid[r]
	if e.ndates == 255 || e.nnats == 255 {
		return evidenceEffect(p, &ix.recs[r])
	}
	if !p.dob.IsZero() && p.dob.Year != 0 && e.ndates > 0 {
		var ds [2]Date
		for i := 0; i < int(e.ndates); i++ {
			d := e.dates[i]
			ds[i] = Date{Year: int(d.year), Month: int(d.month), Day: int(d.day), ToYear: int(d.toYear)}
		}
		if x, note, _, _, ok := bestDOB(p.dob, ds[:e.ndates]); ok {
			eff += x
			if x > 0 {
				bits += note.bits()
			}
		}
	}
	if p.nat != "" && e.nnats > 0 {
		eff += effNatMismatch
		for i := 0; i < int(e.nnats); i++ {
			if natEqual(e.nats[i], p.nat) {
				eff += effNatMatch - effNatMismatch
				bits += natBits
				break
			}
		}
	}
	if (p.gender == 'M' || p.gender == 'F') && (e.gender == 'M' || e.gender == 'F') {
		if p.gender == e.gender {
			eff += effGenderMatch
		} else {
			eff += effGenderClash
		}
	}
	return eff, bits
}

func natEqual(a [3]byte, b string) bool {
	n := 0
	for n < 3 && a[n] != 0 {
		n++
	}
	return n == len(b) && string(a[:n]) == b
}

// scoreRecord scores the names of record r (whose years of birth are
// years) against the query words and keeps the record as a hit when its
// best final score reaches the threshold. Names whose agreeing words
// cannot reach it are not scored; the record's evidence is read only for
// names that can.
func (ix *Index) scoreRecord(r, years uint32, sc *scratch) {
	sc.nTouched++
	p := sc.p
	thr := sc.opts.Threshold
	evb, ebb := p.yearsBound(years)
	var ee, eb float64
	exact := false
	best := hit{score: -1}
	data := ix.recData(r)
	for at := 0; at < len(data); {
		hdr := data[at]
		nw := int(hdr & 0xff)
		words := data[at+1 : at+1+nw]
		weak := hdr&formWeak != 0
		pos := at
		at += 1 + nw
		if !sc.exhaustive {
			mask := 0
			for _, v := range words {
				if ro := sc.rowOf[v]; ro >= 0 {
					mask |= int(sc.rows[ro].bits)
				}
				if sc.hasInitial {
					mask |= int(sc.letterBits[ix.first[v]])
				}
			}
			c := classOf(nw)
			ub, ib := sc.loose.ub[c][mask], sc.loose.ibits[mask]
			if ub-commonness(sc.rar.excessBits(ib, ebb))+evb < thr {
				continue
			}
			if !exact {
				ee, eb = ix.evidenceOf(p, r)
				exact = true
			}
			if ub-commonness(sc.rar.excessBits(ib, eb))+ee < thr {
				continue
			}
		} else if !exact {
			ee, eb = ix.evidenceOf(p, r)
			exact = true
		}
		key := formKey(words, weak)
		v, ok := sc.cache.get(key)
		if !ok {
			sc.nScored++
			v[0], v[1] = ix.scoreForm(words, weak, sc, nil)
			sc.cache.put(key, v)
		}
		cov, bits := v[0], v[1]
		final := cov - commonness(sc.rar.excessBits(bits, eb)) + ee
		if final > best.score {
			best = hit{rec: r, at: uint32(pos), score: final,
				nameScore: clamp01(cov - commonness(sc.rar.excessBits(bits, 0)))}
		}
	}
	if best.score < thr {
		return
	}
	best.score = clamp01(best.score)
	best.qform = uint16(sc.fi)
	sc.hits = append(sc.hits, best)
}

// scoreForm scores the query words against one listed name: its name
// score before commonness (the weak penalty included) and the information
// of the agreement. Word similarities come from the rows (computed by
// matchWord), or are computed here for initials and, in an exhaustive
// scan, for every pair, so the score is the one ScoreNames gives. With
// out non-nil it also returns the pairing, oriented as ScoreNames orients
// it.
func (ix *Index) scoreForm(fwords []uint32, weak bool, sc *scratch, out *formPairing) (float64, float64) {
	words := sc.words
	n, m := len(words), len(fwords)
	if n == 0 || m == 0 || n > maxWords || m > maxWords {
		return 0, 0
	}
	kind := sc.p.kind
	lw := &sc.lw
	anyMatch := false
	for j, v := range fwords {
		lw[j] = ix.words[v]
		ro := sc.rowOf[v]
		for i, w := range words {
			var s float64
			h := HowNone
			switch {
			case ro >= 0 && sc.rows[ro].done&(1<<i) != 0:
				s, h = sc.rows[ro].sims[i], sc.rows[ro].hows[i]
			case sc.exhaustive:
				// Every pair, for the recall test's scan and for
				// explanations; remembered for the other names.
				s, h = wordSim(w, lw[j])
				rw := sc.row(v)
				ro = sc.rowOf[v]
				rw.sims[i], rw.hows[i] = s, h
				rw.done |= 1 << i
			case w.initial || lw[j].initial:
				// A word the lookup did not link to query word i
				// disagrees with it, unless one is an initial.
				s, h = wordSim(w, lw[j])
			}
			if s < wordFloor {
				s, h = 0, HowNone
			} else {
				anyMatch = true
			}
			sc.mat[i][j], sc.hmat[i][j] = s, h
		}
	}
	if !anyMatch {
		return 0, 0
	}
	// Orient as ScoreNames does, so that both give the same score.
	a, b := words, lw[:m]
	var fa, fb [maxWords]sideWord
	copy(fa[:n], sc.side[:n])
	for j, v := range fwords {
		fb[j] = sideOf(lw[j], sc.rar.info(float64(ix.logc[kind][v])))
	}
	swapped := compareWords(words, lw[:m]) > 0
	if swapped {
		a, b = b, a
		fa, fb = fb, fa
		for i := 0; i < n; i++ {
			for j := 0; j < m; j++ {
				sc.al.sim[j][i], sc.al.how[j][i] = sc.mat[i][j], sc.hmat[i][j]
			}
		}
	} else {
		for i := 0; i < n; i++ {
			copy(sc.al.sim[i][:m], sc.mat[i][:m])
			copy(sc.al.how[i][:m], sc.hmat[i][:m])
		}
	}
	pr := &sc.pr
	*pr = pairing{}
	for i := range pr.pairs {
		pr.pairs[i] = -1
	}
	assign(fa[:len(a)], fb[:len(b)], &sc.al, pr)
	scorePairs(fa[:len(a)], fb[:len(b)], pr)
	s := pr.score
	if weak {
		s = max(0, s-weakPenalty)
	}
	if out != nil {
		out.p, out.swapped = *pr, swapped
		out.a, out.b = slices.Clone(a), slices.Clone(b)
	}
	return s, pr.bits
}

type formPairing struct {
	p       pairing
	swapped bool
	a, b    []*wordInfo
}

// compareWords compares two names as their words joined by single spaces
// compare, without joining them.
func compareWords(a, b []*wordInfo) int {
	ra, rb := joinedReader{ws: a}, joinedReader{ws: b}
	for {
		ca, oka := ra.next()
		cb, okb := rb.next()
		switch {
		case !oka && !okb:
			return 0
		case !oka:
			return -1
		case !okb:
			return 1
		case ca != cb:
			return cmp.Compare(ca, cb)
		}
	}
}

// joinedReader reads the bytes of words joined by single spaces.
type joinedReader struct {
	ws   []*wordInfo
	i, p int
}

func (r *joinedReader) next() (byte, bool) {
	if r.i >= len(r.ws) {
		return 0, false
	}
	if t := r.ws[r.i].text; r.p < len(t) {
		r.p++
		return t[r.p-1], true
	}
	r.i, r.p = r.i+1, 0
	if r.i < len(r.ws) {
		return ' ', true
	}
	return 0, false
}

// matchWord returns the match entry of query word w: the vocabulary words
// that agree with it and their similarities, from the match cache or by
// looking up its keys.
func (ix *Index) matchWord(w *wordInfo, sc *scratch) (*matchEntry, error) {
	e := ix.matches.get(w)
	if e != nil && e.vocabLen == len(ix.words) {
		return e, nil
	}
	// Look up the words added since the cached entry was made (all of
	// them when there is none).
	from := uint32(0)
	var hits []matchHit
	if e != nil {
		from = uint32(e.vocabLen)
		hits = slices.Clip(e.hits)
	}
	sc.stampCur++
	if sc.stampCur == 0 {
		clear(sc.stamp)
		sc.stampCur = 1
	}
	sc.keybuf = sc.keybuf[:0]
	forEachKey(w, func(h uint64) { sc.keybuf = append(sc.keybuf, h) })
	sc.keybuf = append(sc.keybuf, hashStr(keyText, w.text[:1])) // listed initials
	kt := &ix.keys
	for _, k := range sc.keybuf {
		if err := sc.tick(4); err != nil {
			return nil, err
		}
		for en := kt.head[k]; en != 0; en = kt.ents[en-1].next {
			v := kt.ents[en-1].word
			if v < from || sc.stamp[v] == sc.stampCur {
				continue
			}
			sc.stamp[v] = sc.stampCur
			s, how := wordSim(w, ix.words[v])
			if s >= wordFloor {
				hits = append(hits, matchHit{v: v, s: s, how: how})
			}
		}
	}
	e = &matchEntry{key: w.mkey, vocabLen: len(ix.words), hits: hits}
	ix.matches.put(w, e)
	return e, nil
}

// matchCache remembers, per query word, the vocabulary words it agrees
// with: travellers' names repeat (MUHAMMAD, SMITH), and finding them costs
// more than the rest of a search. Vocabulary words never change once
// added, so an entry made when the vocabulary was smaller is completed
// with the words added since, not made again.
//
// It is split in shards, each a map under its own lock, by a hash of the
// word's key made once per word (wordInfo.mhash): a lookup, made for
// every query word of every search, costs a map probe.
//
// Each shard keeps two generations: words are filed in the current one;
// when it is full it becomes the old one and the old one is dropped; a
// word found in the old one moves back to the current one. Words that
// keep coming (the warmed vocabulary that travellers' names use) stay;
// words seen once leave after two generations. The cache never empties
// at once, so a border point's common words never all turn cold together.
type matchCache struct {
	shards [matchShards]matchShard
}

const matchShards = 32

type matchShard struct {
	mu  sync.RWMutex
	cur map[uint64]*matchEntry
	old map[uint64]*matchEntry
	_   [64 - 40]byte // a cache line of its own for the lock's counts
}

type matchEntry struct {
	key      string // the word's mkey
	vocabLen int
	hits     []matchHit
	// stats holds per kind what the last search derived from hits (see
	// wordStats); searches that find it stale replace it.
	stats [numKinds]atomic.Pointer[wordStats]
}

type matchHit struct {
	v   uint32
	s   float64
	how How
}

// maxMatchCache is the most words the cache holds: each shard's two
// generations of at most shardGeneration words.
const maxMatchCache = 1 << 17

const shardGeneration = maxMatchCache / matchShards / 2

func (c *matchCache) get(w *wordInfo) *matchEntry {
	sh := &c.shards[w.mhash%matchShards]
	sh.mu.RLock()
	e, cur := sh.cur[w.mhash], true
	if e == nil {
		e, cur = sh.old[w.mhash], false
	}
	sh.mu.RUnlock()
	if e == nil || e.key != w.mkey {
		return nil // none, or another word's under the same hash
	}
	if !cur {
		sh.mu.Lock()
		if sh.old[w.mhash] == e {
			delete(sh.old, w.mhash)
			sh.file(w.mhash, e)
		}
		sh.mu.Unlock()
	}
	return e
}

// put files e, the entry of w (e.key is w.mkey).
func (c *matchCache) put(w *wordInfo, e *matchEntry) {
	sh := &c.shards[w.mhash%matchShards]
	sh.mu.Lock()
	delete(sh.old, w.mhash)
	sh.file(w.mhash, e)
	sh.mu.Unlock()
}

// file puts e in the current generation, first starting a new one when it
// is full. The caller holds sh.mu.
func (sh *matchShard) file(h uint64, e *matchEntry) {
	if _, ok := sh.cur[h]; !ok && len(sh.cur) >= shardGeneration {
		sh.old, sh.cur = sh.cur, make(map[uint64]*matchEntry, shardGeneration)
	}
	if sh.cur == nil {
		sh.cur = make(map[uint64]*matchEntry)
	}
	sh.cur[h] = e
}

// explain writes the match and explanation of a hit.
func (ix *Index) explain(p *Prepared, h hit, sc *scratch) Match {
	ex := sc.exhaustive
	sc.exhaustive = true
	sc.resetRows()
	defer func() {
		sc.exhaustive = ex
		sc.resetRows()
	}()
	rec := &ix.recs[h.rec]
	data := ix.recData(h.rec)
	hdr := data[h.at]
	nw := int(hdr & 0xff)
	fwords := data[h.at+1 : int(h.at)+1+nw]
	weak := hdr&formWeak != 0
	qf := &p.forms[h.qform]
	// The query words' features, as the search had them.
	sc.words = qf.words
	for i, w := range qf.words {
		sc.side[i] = sideOf(w, sc.rar.info(ix.logCountOf(p.kind, w)))
	}
	var fp formPairing
	cov, bitsName := ix.scoreForm(fwords, weak, sc, &fp)
	listed := make([]string, nw)
	for j, v := range fwords {
		listed[j] = ix.words[v].text
	}
	common := commonness(sc.rar.excessBits(bitsName, 0))
	nameScore := clamp01(cov - common)
	ee, eb := ix.evidenceOf(p, h.rec)
	regained := common - commonness(sc.rar.excessBits(bitsName, eb))
	final := clamp01(cov - common + regained + ee)
	m := Match{
		Key:       rec.key,
		Score:     round3(h.score),
		NameScore: round3(h.nameScore),
		Explanation: Explanation{
			QueryName:  qf.text,
			ListedName: strings.Join(listed, " "),
			NameIndex:  int(hdr >> formNameShift),
			Weak:       weak,
			Words:      wordPairs(fp.a, fp.b, &fp.p, fp.swapped),
			NameScore:  round3(nameScore),
			Score:      round3(final),
			Algorithm:  AlgorithmVersion,
		},
	}
	if common > 0 {
		m.Explanation.Namesakes = roundSig(sc.rar.namesakes(bitsName))
		m.Explanation.Commonness = round3(common)
	}
	// Agreeing evidence wins back commonness in proportion to its
	// information.
	share := func(ev *Evidence, b float64) {
		if regained <= 0 || b <= 0 || eb <= 0 {
			return
		}
		g := regained * b / eb
		ev.Effect += g
		ev.Note += fmt.Sprintf("; confirms a common name (+%.2f)", g)
	}
	contradicted := false
	if ev, b, ok := birthEvidence(p.dob, rec.dates); ok {
		share(&ev, b)
		m.Explanation.Evidence = append(m.Explanation.Evidence, ev)
		contradicted = contradicted || ev.Effect < 0
	}
	if ev, b, ok := nationalityEvidence(p.nat, rec.nats); ok {
		share(&ev, b)
		m.Explanation.Evidence = append(m.Explanation.Evidence, ev)
		contradicted = contradicted || ev.Effect < 0
	}
	if ev, ok := genderEvidence(p.gender, rec.gender); ok {
		m.Explanation.Evidence = append(m.Explanation.Evidence, ev)
		contradicted = contradicted || ev.Effect < 0
	}
	for i := range m.Explanation.Evidence {
		m.Explanation.Evidence[i].Effect = round3(m.Explanation.Evidence[i].Effect)
	}
	m.Strong = h.nameScore >= sc.opts.StrongThreshold && !contradicted
	return m
}

// ScoreNames is the package's ScoreNames scored against the index's list:
// word rarity comes from the index's counts for the kind, and the name
// score includes commonness. Search gives a query and a listed name this
// name score (less the penalty of a weak alias). An unknown kind scores 0.
func (ix *Index) ScoreNames(a, b string, kind Kind) (float64, Explanation) {
	if kind != Person && kind != Organization {
		return 0, Explanation{Algorithm: AlgorithmVersion}
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	rar := newRarity(ix.live[kind])
	return scoreNames(a, b, kind, &rar, func(w *wordInfo) float64 { return ix.logCountOf(kind, w) })
}
