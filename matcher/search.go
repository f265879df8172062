package matcher

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// DefaultMaxHits is the number of hits Search returns when
// SearchOptions.MaxHits is 0.
const DefaultMaxHits = 10

// SearchOptions tunes a search. The zero value gives the defaults.
type SearchOptions struct {
	// Threshold is the lowest final score reported; 0 means
	// DefaultReferThreshold.
	Threshold float64
	// StrongThreshold marks hits as Strong; 0 means DefaultStrongThreshold.
	StrongThreshold float64
	// MaxHits caps the hits returned, best first; 0 means DefaultMaxHits
	// and a negative value means no cap.
	MaxHits int
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

// Prepared is a query normalised once: its spellings, words, phonetic codes
// and lookup keys. A manifest screened against several indexes, or screened
// again, prepares each traveller once. A Prepared is immutable and safe for
// concurrent use.
type Prepared struct {
	kind        Kind
	forms       []preparedForm
	dob         Date
	nat         string
	gender      byte
	maxEvidence float64
}

type preparedForm struct {
	nameForm
	keys  [][]uint64 // per word: lookup keys
	mkeys []string   // per word: its key in the match cache
}

// maxQueryBits is the number of query words whose presence the candidate
// stage tracks; further words are assumed present.
const maxQueryBits = 8

// Prepare normalises a query. It returns ErrNoName when the name has no
// word of two or more letters or digits that the matcher can read.
func Prepare(q Query) (*Prepared, error) {
	p := &Prepared{kind: q.Kind, dob: q.BirthDate, nat: strings.ToUpper(strings.TrimSpace(q.Nationality)), gender: q.Gender}
	for _, nf := range nameForms(q.text(), q.Kind) {
		usable := false
		for _, w := range nf.words {
			if len(w.text) > 1 {
				usable = true
			}
		}
		if !usable {
			continue
		}
		pf := preparedForm{nameForm: nf, keys: make([][]uint64, len(nf.words)), mkeys: make([]string, len(nf.words))}
		for i, w := range nf.words {
			if len(w.text) == 1 {
				continue
			}
			pf.mkeys[i] = matchKey(w)
			var ks []uint64
			forEachKey(w, func(h uint64) { ks = append(ks, h) })
			ks = append(ks, hashStr(keyText, w.text[:1]))
			pf.keys[i] = ks
		}
		p.forms = append(p.forms, pf)
	}
	if len(p.forms) == 0 {
		return nil, ErrNoName
	}
	if !q.BirthDate.IsZero() {
		p.maxEvidence += effDOBExact
	}
	if p.nat != "" {
		p.maxEvidence += effNatMatch
	}
	if q.Gender == 'M' || q.Gender == 'F' {
		p.maxEvidence += effGenderMatch
	}
	return p, nil
}

// matchKey identifies a query word for the match cache: everything its
// agreement depends on.
func matchKey(w *wordInfo) string {
	k := w.text + "|" + strings.Join(w.skels, ",")
	if w.unvowelled {
		k += "|u"
	}
	if w.core != nil {
		k += "|" + w.core.text + "|" + strings.Join(w.core.skels, ",")
	}
	return k
}

// Search returns the records whose names match q with a final score of at
// least the threshold, best first, each with its explanation. It returns
// ErrNoName when q has no usable name: the search has then decided nothing.
func (ix *Index) Search(q Query, opts SearchOptions) ([]Match, error) {
	p, err := Prepare(q)
	if err != nil {
		return nil, err
	}
	return ix.SearchPrepared(p, opts, nil), nil
}

// SearchPrepared is Search for a prepared query. It appends the hits to dst
// and returns it; with no hit and a dst of enough capacity (or nil) it does
// not allocate.
func (ix *Index) SearchPrepared(p *Prepared, opts SearchOptions, dst []Match) []Match {
	opts = opts.withDefaults()
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	sc.hits = sc.hits[:0]
	sc.nWalked, sc.nTouched, sc.nScored = 0, 0, 0
	for fi := range p.forms {
		ix.searchForm(p, fi, opts, sc)
	}
	if len(sc.hits) == 0 {
		return dst
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
		dst = append(dst, ix.explain(p, h, opts, sc))
	}
	return dst
}

// hit is a record that passed, before its explanation is written.
type hit struct {
	rec       uint32
	form      uint16 // index in the record's forms
	qform     uint16 // index in Prepared.forms
	score     float64
	nameScore float64
}

// scratch is the per-search working memory, reused through a pool.
type scratch struct {
	marks      []uint8  // per record: query words found so far
	scored     []uint64 // per record: already scored (bitset)
	touched    []uint32
	scoredList []uint32
	rowOf      []int32 // per vocabulary word: its row in rows, or -1
	rowWords   []uint32
	rows       []simRow
	qw         [maxWords]qword
	hits       []hit
	al         alignScratch
	viable     [1 << maxQueryBits]bool
	ub         [1 << maxQueryBits]float64
	mat        [maxWords][maxWords]float64
	hmat       [maxWords][maxWords]How
	lw         [maxWords]*wordInfo
	pr         pairing
	order      []int
	// exhaustive makes scoreForm compute every word similarity, for the
	// brute-force scan of the recall test and for explanations.
	exhaustive bool
	cache      formCache
	pairLists  [maxQueryBits][maxQueryBits][]*posting
	pairDone   [maxQueryBits][maxQueryBits]bool
	pairBlocks [maxQueryBits][maxQueryBits][]*blockPostings
	cursor     [maxQueryBits][]int
	// Counters of the last search, for tests and tuning.
	nWalked, nTouched, nScored int
}

// simRow holds the similarities of one vocabulary word to the query words.
type simRow struct {
	sims [maxWords]float64
	hows [maxWords]How
	done uint16 // query words computed
}

type qword struct {
	initial bool
	bit     int     // bit in the candidate mask, or -1
	best    float64 // best similarity to any vocabulary word
	wmax    float64 // the most a listed word agreeing with it can weigh
	blocks  []blockKey
	lists   [numClasses][]*posting
	cost    [numClasses]int
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

func (sc *scratch) resetRows() {
	for _, w := range sc.rowWords {
		sc.rowOf[w] = -1
	}
	sc.rowWords = sc.rowWords[:0]
	sc.rows = sc.rows[:0]
}

func (sc *scratch) row(w uint32) int {
	r := sc.rowOf[w]
	if r >= 0 {
		return int(r)
	}
	r = int32(len(sc.rows))
	sc.rowOf[w] = r
	sc.rowWords = append(sc.rowWords, w)
	sc.rows = append(sc.rows, simRow{})
	return int(r)
}

// ensure sizes the per-record and per-word arrays for the index.
func (sc *scratch) ensure(nrec, nwords int) {
	if len(sc.marks) < nrec {
		sc.marks = make([]uint8, nrec+nrec/4)
		sc.scored = make([]uint64, (len(sc.marks)+63)/64)
	}
	if len(sc.rowOf) < nwords {
		old := len(sc.rowOf)
		sc.rowOf = append(sc.rowOf, make([]int32, nwords+nwords/4-old)...)
		for i := old; i < len(sc.rowOf); i++ {
			sc.rowOf[i] = -1
		}
	}
}

// formCache remembers the name score of listed names already scored in
// this search, by their words: many records carry the same name.
type formCache struct {
	keys []uint64
	vals []float64
	gen  []uint32
	cur  uint32
	n    int
}

const formCacheSize = 1 << 12

func (c *formCache) reset() {
	if c.keys == nil {
		c.keys = make([]uint64, formCacheSize)
		c.vals = make([]float64, formCacheSize)
		c.gen = make([]uint32, formCacheSize)
	}
	c.cur++
	c.n = 0
	if c.cur == 0 { // wrapped: clear for real
		clear(c.gen)
		c.cur = 1
	}
}

func (c *formCache) get(k uint64) (float64, bool) {
	for i := k & (formCacheSize - 1); ; i = (i + 1) & (formCacheSize - 1) {
		if c.gen[i] != c.cur {
			return 0, false
		}
		if c.keys[i] == k {
			return c.vals[i], true
		}
	}
}

func (c *formCache) put(k uint64, v float64) {
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
func formKey(f *recForm) uint64 {
	h := uint64(fnvOffset)
	if f.weak {
		h ^= 1
	}
	for _, w := range f.words {
		h ^= uint64(w) + 0x9e3779b9
		h *= fnvPrime
		h ^= h >> 29
	}
	return h
}

// searchForm runs the search for one spelling of the query.
func (ix *Index) searchForm(p *Prepared, fi int, opts SearchOptions, sc *scratch) {
	pf := &p.forms[fi]
	sc.cache.reset()
	words := pf.words
	n := len(words)
	sc.ensure(len(ix.recs), len(ix.words))
	sc.resetRows()
	defer sc.resetRows()

	// Words: find the vocabulary words each query word agrees with, and
	// the postings of their blocks.
	nbits := 0
	for i, w := range words {
		q := &sc.qw[i]
		q.initial = len(w.text) == 1
		q.bit = -1
		q.wmax = 0
		q.blocks = q.blocks[:0]
		for c := range q.lists {
			q.lists[c] = q.lists[c][:0]
			q.cost[c] = 0
		}
		if q.initial {
			// An initial agrees with any listed word that begins with it.
			q.blocks = append(q.blocks, kindBlock(letterBlock(w.text[0]), p.kind))
			q.best, q.wmax = simInitial, 1
		} else {
			ix.matchWord(w, pf.keys[i], pf.mkeys[i], i, q, p.kind, sc)
		}
		for _, b := range q.blocks {
			bp := ix.blocks[b]
			if bp == nil {
				continue
			}
			for c := range bp {
				if len(bp[c].ids) > 0 {
					q.lists[c] = append(q.lists[c], &bp[c])
					q.cost[c] += len(bp[c].ids)
				}
			}
		}
	}
	for i := range words {
		if !sc.qw[i].initial {
			sc.qw[i].best = sc.bestSim(i)
		}
	}
	// The words tracked in the candidate mask: the rarest ones.
	order := sc.order[:0]
	for i := 0; i < n; i++ {
		order = append(order, i)
	}
	if len(order) == 0 {
		return
	}
	// Insertion sort by cost: few words, and no allocation.
	for x := 1; x < len(order); x++ {
		for y := x; y > 0 && sc.qw[order[y]].totalCost() < sc.qw[order[y-1]].totalCost(); y-- {
			order[y], order[y-1] = order[y-1], order[y]
		}
	}
	if len(order) > maxQueryBits {
		order = order[:maxQueryBits]
	}
	for bit, i := range order {
		sc.qw[i].bit = bit
	}
	nbits = len(order)
	full := 1<<nbits - 1

	for x := range sc.pairDone {
		for y := range sc.pairDone[x] {
			sc.pairDone[x][y] = false
		}
	}
	tName := opts.Threshold - p.maxEvidence
	defer func() {
		for _, r := range sc.scoredList {
			sc.scored[r/64] &^= 1 << (r % 64)
		}
		sc.scoredList = sc.scoredList[:0]
	}()
	for c := 0; c < numClasses; c++ {
		m := c + 1
		if !ix.viability(words, sc, nbits, m, tName) {
			continue
		}
		// Choose the words to enumerate: cheapest first, until every
		// viable set of words contains one of them (or all of them, when
		// initials and untracked words alone could make a hit).
		h := 0
		for h != full && sc.viable[full&^h] {
			best, bestCost := -1, 0
			for _, i := range order {
				q := &sc.qw[i]
				if h&(1<<q.bit) != 0 {
					continue
				}
				if best < 0 || q.cost[c] < bestCost {
					best, bestCost = i, q.cost[c]
				}
			}
			h |= 1 << sc.qw[best].bit
		}
		if c > 0 && !sc.viable[0] {
			ix.enumerateSets(words, fi, p, c, nbits, opts, sc)
			continue
		}
		ix.enumerate(words, pf, fi, p, c, h, opts, sc)
	}
}

// enumerateSets finds the candidates of class c (names of two words or
// more) set by set: for each minimal viable set of query words, it walks
// the postings of the pair of its words whose names are fewest (or of its
// one word, when the rest are initials) and tests the set's other words
// record by record.
func (ix *Index) enumerateSets(words []*wordInfo, fi int, p *Prepared, c, nbits int, opts SearchOptions, sc *scratch) {
	n := len(words)
	var bitWord [maxQueryBits]int
	full := 0
	for i := 0; i < n; i++ {
		if b := sc.qw[i].bit; b >= 0 {
			bitWord[b] = i
			full |= 1 << b
		}
	}
	sc.touched = sc.touched[:0]
	tEv := opts.Threshold
	for set := 1; set <= full; set++ {
		if !sc.viable[set] {
			continue
		}
		minimal := true
		for b := 0; b < nbits; b++ {
			if set&(1<<b) != 0 && sc.viable[set&^(1<<b)] {
				minimal = false
				break
			}
		}
		if !minimal {
			continue
		}
		// The cheapest pair of words that are not initials, or word.
		var lists []*posting
		walkMask, bestCost := 0, -1
		for bx := 0; bx < nbits; bx++ {
			if set&(1<<bx) == 0 || sc.qw[bitWord[bx]].initial {
				continue
			}
			for by := bx + 1; by < nbits; by++ {
				if set&(1<<by) == 0 || sc.qw[bitWord[by]].initial {
					continue
				}
				if small := min(sc.qw[bitWord[bx]].cost[c], sc.qw[bitWord[by]].cost[c]); small <= pairWorthIt {
					// One word is rare enough: walk it rather than look
					// up the pairs.
					w := bx
					if sc.qw[bitWord[by]].cost[c] < sc.qw[bitWord[bx]].cost[c] {
						w = by
					}
					if bestCost < 0 || small < bestCost {
						lists, walkMask, bestCost = sc.qw[bitWord[w]].lists[c], 1<<w, small
					}
					continue
				}
				ls := ix.pairPostings(sc, bx, by, bitWord[bx], bitWord[by], c)
				cost := 0
				for _, pl := range ls {
					cost += len(pl.ids)
				}
				if bestCost < 0 || cost < bestCost {
					lists, walkMask, bestCost = ls, 1<<bx|1<<by, cost
				}
			}
		}
		if bestCost < 0 {
			for bx := 0; bx < nbits; bx++ {
				q := &sc.qw[bitWord[bx]]
				if set&(1<<bx) == 0 || q.initial {
					continue
				}
				if bestCost < 0 || q.cost[c] < bestCost {
					lists, walkMask, bestCost = q.lists[c], 1<<bx, q.cost[c]
				}
			}
		}
		if bestCost < 0 {
			// Initials only: walk the cheapest of them.
			for bx := 0; bx < nbits; bx++ {
				q := &sc.qw[bitWord[bx]]
				if set&(1<<bx) != 0 && (bestCost < 0 || q.cost[c] < bestCost) {
					lists, walkMask, bestCost = q.lists[c], 1<<bx, q.cost[c]
				}
			}
		}
		rest := set &^ walkMask
		for _, pl := range lists {
			sc.nWalked += len(pl.ids)
			for b := 0; b < nbits; b++ {
				if rest&(1<<b) != 0 {
					sc.cursor[b] = sc.cursor[b][:0]
					for range sc.qw[bitWord[b]].lists[c] {
						sc.cursor[b] = append(sc.cursor[b], 0)
					}
				}
			}
			for _, r := range pl.ids {
				if sc.marks[r] != 0 || sc.scored[r/64]&(1<<(r%64)) != 0 {
					continue
				}
				ok := true
				for b := 0; b < nbits && ok; b++ {
					if rest&(1<<b) != 0 && !memberAfter(sc.qw[bitWord[b]].lists[c], sc.cursor[b], r) {
						ok = false
					}
				}
				if !ok {
					continue
				}
				sc.marks[r] = 1
				sc.touched = append(sc.touched, r)
				ev := ix.evidenceOf(p, r)
				if sc.ub[full]+ev < tEv {
					continue
				}
				mask := set
				for b := 0; b < nbits; b++ {
					if mask&(1<<b) == 0 && member(sc.qw[bitWord[b]].lists[c], r, false) {
						mask |= 1 << b
					}
				}
				if sc.ub[mask]+ev < tEv {
					continue
				}
				sc.scored[r/64] |= 1 << (r % 64)
				sc.scoredList = append(sc.scoredList, r)
				sc.nScored++
				ix.scoreRecord(r, words, fi, p, opts, sc)
			}
		}
	}
	sc.nTouched += len(sc.touched)
	for _, r := range sc.touched {
		sc.marks[r] = 0
	}
}

// memberAfter is member for records taken in increasing order: pos holds,
// per list, where the last search ended, and the search gallops on from
// there.
func memberAfter(lists []*posting, pos []int, r uint32) bool {
	found := false
	for k, pl := range lists {
		if pl.bits != nil {
			if int(r/64) < len(pl.bits) && pl.bits[r/64]&(1<<(r%64)) != 0 {
				found = true
			}
			continue
		}
		ids, p := pl.ids, pos[k]
		if p < len(ids) && ids[p] < r {
			step := 1
			for p+step < len(ids) && ids[p+step] < r {
				p += step
				step <<= 1
			}
			// ids[p] < r, and r <= ids[p+step] if that exists.
			lo, hi := p+1, min(p+step, len(ids))
			for lo < hi {
				mid := int(uint(lo+hi) >> 1)
				if ids[mid] < r {
					lo = mid + 1
				} else {
					hi = mid
				}
			}
			p = lo
			pos[k] = p
		}
		if p < len(ids) && ids[p] == r {
			found = true
		}
	}
	return found
}

// pairWorthIt is the size of postings below which walking a word is
// cheaper than looking up pairs.
const pairWorthIt = 512

// pairPostings returns the pair postings of class c for the query words
// of bits bx and by (words i and j). The postings of the block pairs are
// looked up once per query spelling, for all classes.
func (ix *Index) pairPostings(sc *scratch, bx, by, i, j, c int) []*posting {
	if !sc.pairDone[bx][by] {
		bps := sc.pairBlocks[bx][by][:0]
		for _, bi := range sc.qw[i].blocks {
			for _, bj := range sc.qw[j].blocks {
				if bp := ix.pairs[pairKey(bi, bj)]; bp != nil && !slices.Contains(bps, bp) {
					bps = append(bps, bp)
				}
			}
		}
		sc.pairBlocks[bx][by], sc.pairDone[bx][by] = bps, true
	}
	ls := sc.pairLists[bx][by][:0]
	for _, bp := range sc.pairBlocks[bx][by] {
		if pl := &bp[c]; len(pl.ids) > 0 {
			ls = append(ls, pl)
		}
	}
	sc.pairLists[bx][by] = ls
	return ls
}

func (q *qword) totalCost() int {
	t := 0
	for _, c := range q.cost {
		t += c
	}
	return t
}

// matchWord finds the vocabulary words that agree with query word i,
// records their similarities, and collects their blocks.
func (ix *Index) matchWord(w *wordInfo, keys []uint64, mkey string, i int, q *qword, kind Kind, sc *scratch) {
	if e := ix.matches.get(mkey, len(ix.words)); e != nil {
		for _, h := range e.hits {
			rw := &sc.rows[sc.row(h.v)]
			rw.sims[i], rw.hows[i] = h.s, h.how
			rw.done |= 1 << i
			ix.addMatch(h.v, q, kind)
		}
		return
	}
	var hits []matchHit
	for _, k := range keys {
		for _, v := range ix.keys[k] {
			rw := &sc.rows[sc.row(v)]
			if rw.done&(1<<i) != 0 {
				continue // already scored for this word
			}
			s, how := wordSim(w, ix.words[v])
			rw.sims[i], rw.hows[i] = s, how
			rw.done |= 1 << i
			if s < wordFloor {
				continue
			}
			hits = append(hits, matchHit{v: v, s: s, how: how})
			ix.addMatch(v, q, kind)
		}
	}
	ix.matches.put(mkey, &matchEntry{vocabLen: len(ix.words), hits: hits})
}

// addMatch records that query word q agrees with vocabulary word v.
func (ix *Index) addMatch(v uint32, q *qword, kind Kind) {
	if wl := ix.words[v].weight; wl > q.wmax {
		q.wmax = wl
	}
	b := kindBlock(ix.block[v], kind)
	if !slices.Contains(q.blocks, b) {
		q.blocks = append(q.blocks, b)
	}
}

// matchCache remembers, per query word, the vocabulary words it agrees
// with: travellers' names repeat (MUHAMMAD, SMITH), and finding them costs
// more than the rest of a search. An entry holds while the vocabulary has
// not grown (vocabulary words never change once added).
type matchCache struct {
	m sync.Map // string → *matchEntry
	n atomic.Int64
}

type matchEntry struct {
	vocabLen int
	hits     []matchHit
}

type matchHit struct {
	v   uint32
	s   float64
	how How
}

// maxMatchCache is the most words the cache holds before it starts afresh.
const maxMatchCache = 1 << 17

func (c *matchCache) get(k string, vocabLen int) *matchEntry {
	if v, ok := c.m.Load(k); ok {
		if e := v.(*matchEntry); e.vocabLen == vocabLen {
			return e
		}
	}
	return nil
}

func (c *matchCache) put(k string, e *matchEntry) {
	if c.n.Add(1) > maxMatchCache {
		c.m.Clear()
		c.n.Store(0)
	}
	c.m.Store(k, e)
}

// viability fills sc.viable: for each set of tracked query words, whether a
// name of m words containing (at least) those words could reach tName.
// It reports whether any set is viable.
func (ix *Index) viability(words []*wordInfo, sc *scratch, nbits, m int, tName float64) bool {
	n := len(words)
	full := 1 << nbits
	anyViable := false
	for mask := 0; mask < full; mask++ {
		ub := upperBound(words, sc, mask, m, n)
		for b := 0; b < nbits; b++ {
			if mask&(1<<b) != 0 && sc.ub[mask&^(1<<b)] > ub {
				ub = sc.ub[mask&^(1<<b)]
			}
		}
		v := ub >= tName
		sc.ub[mask] = ub
		sc.viable[mask] = v
		anyViable = anyViable || v
	}
	return anyViable
}

// minListedWeight is the least weight a listed word can have.
const minListedWeight = weightInitial

// upperBound bounds the name score of a listed name of m words that agrees
// with the query words in mask (and, optimistically, with initials and
// untracked words) and with no other: listed words weigh at most 1 when
// they agree and at least minListedWeight when they do not.
func upperBound(words []*wordInfo, sc *scratch, mask, m, n int) float64 {
	var num, den, ua, uaExtra float64
	matched := 0
	for i := 0; i < n; i++ {
		q := &sc.qw[i]
		w := words[i]
		in := q.bit < 0 || mask&(1<<q.bit) != 0
		if in && matched < m {
			s, wl := 1.0, 1.0
			if q.bit >= 0 {
				s, wl = q.best, q.wmax
			}
			num += s*w.weight + wl
			den += w.weight + wl
			matched++
			continue
		}
		ua += w.weight
		uaExtra += w.weight * extraCostOf(w)
	}
	if matched == 0 {
		return 0
	}
	ul := float64(m-matched) * minListedWeight
	switch {
	case ua > 0 && ul > 0:
		den += ua + ul
	case matched >= 2:
		den += uaExtra + ul*patronymicCost
	default:
		den += ua + ul
	}
	ub := num / den
	need := 2
	if n == 1 && m == 1 {
		need = 1
	}
	if matched < need && ub > lowMatchCap {
		ub = lowMatchCap
	}
	return ub
}

// bestSim returns the best similarity query word i has with any
// vocabulary word.
func (sc *scratch) bestSim(i int) float64 {
	best := 0.0
	for r := range sc.rows {
		if s := sc.rows[r].sims[i]; s > best {
			best = s
		}
	}
	return best
}

// enumerate walks the postings of class c of the words in h, completes each
// record's mask with membership tests, and scores the viable ones.
func (ix *Index) enumerate(words []*wordInfo, pf *preparedForm, fi int, p *Prepared, c, h int, opts SearchOptions, sc *scratch) {
	n := len(words)
	sc.touched = sc.touched[:0]
	for i := 0; i < n; i++ {
		q := &sc.qw[i]
		if q.bit < 0 || h&(1<<q.bit) == 0 {
			continue
		}
		bit := uint8(1) << q.bit
		for _, pl := range q.lists[c] {
			sc.nWalked += len(pl.ids)
			for _, r := range pl.ids {
				if sc.marks[r] == 0 {
					sc.touched = append(sc.touched, r)
				}
				sc.marks[r] |= bit
			}
		}
	}
	// The other words: walk their short postings over the touched records;
	// long ones are tested record by record (bitset or binary search).
	walked, resolved := 0, h
	for i := 0; i < n; i++ {
		q := &sc.qw[i]
		if q.bit < 0 || h&(1<<q.bit) != 0 {
			continue
		}
		sparse, dense := 0, false
		for _, pl := range q.lists[c] {
			if pl.bits == nil {
				sparse += len(pl.ids)
			} else {
				dense = true
			}
		}
		if sparse > 16*len(sc.touched) {
			continue
		}
		walked |= 1 << q.bit
		if !dense {
			resolved |= 1 << q.bit
		}
		bit := uint8(1) << q.bit
		for _, pl := range q.lists[c] {
			if pl.bits != nil {
				continue
			}
			for _, r := range pl.ids {
				if sc.marks[r] != 0 {
					sc.marks[r] |= bit
				}
			}
		}
	}
	tEv := opts.Threshold
	sc.nTouched += len(sc.touched)
	full := 0
	for i := 0; i < n; i++ {
		if b := sc.qw[i].bit; b >= 0 {
			full |= 1 << b
		}
	}
	untested := full &^ resolved
	for _, r := range sc.touched {
		mask := int(sc.marks[r])
		sc.marks[r] = 0
		if sc.scored[r/64]&(1<<(r%64)) != 0 {
			continue
		}
		// Evidence first: a record too far in age cannot reach the
		// threshold even if every untested word agrees.
		ev := ix.evidenceOf(p, r)
		if sc.ub[mask|untested]+ev < tEv {
			continue
		}
		for i := 0; i < n && !sc.viable[mask]; i++ {
			q := &sc.qw[i]
			if q.bit < 0 || mask&(1<<q.bit) != 0 {
				continue
			}
			if member(q.lists[c], r, walked&(1<<q.bit) != 0) {
				mask |= 1 << q.bit
			}
		}
		if !sc.viable[mask] || sc.ub[mask]+ev < tEv {
			continue
		}
		sc.scored[r/64] |= 1 << (r % 64)
		sc.scoredList = append(sc.scoredList, r)
		sc.nScored++
		ix.scoreRecord(r, words, fi, p, opts, sc)
	}
}

// evidenceOf returns the evidence effect of record r from the packed
// array, exactly unless the record has more than two dates or
// nationalities, in which case it returns evidenceBound.
func (ix *Index) evidenceOf(p *Prepared, r uint32) float64 {
	e := &ix.evid[r]
	if e.ndates == 255 || e.nnats == 255 {
		return ix.evidenceBound(p, r)
	}
	eff := 0.0
	if !p.dob.IsZero() && p.dob.Year != 0 && e.ndates > 0 {
		best := -1.0
		for i := 0; i < int(e.ndates); i++ {
			d := e.dates[i]
			if d.year == 0 {
				continue
			}
			x, _ := compareDOB(p.dob, Date{Year: int(d.year), Month: int(d.month), Day: int(d.day), ToYear: int(d.toYear)})
			best = max(best, x)
		}
		if best > -1 {
			eff += best
		}
	}
	if p.nat != "" && e.nnats > 0 {
		eff += effNatMismatch
		for i := 0; i < int(e.nnats); i++ {
			if natEqual(e.nats[i], p.nat) {
				eff += effNatMatch - effNatMismatch
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
	return eff
}

func natEqual(a [3]byte, b string) bool {
	n := 0
	for n < 3 && a[n] != 0 {
		n++
	}
	return n == len(b) && string(a[:n]) == b
}

// evidenceBound bounds the evidence of record r: from its years of birth
// alone (kept apart for this), plus the most nationality and gender could
// add.
func (ix *Index) evidenceBound(p *Prepared, r uint32) float64 {
	b := p.maxEvidence
	if p.dob.IsZero() {
		return b
	}
	b -= effDOBExact
	yr := ix.years[r]
	if yr == 0 {
		return b
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
		return b + effDOBExact
	case gap <= 2:
		return b + effDOBNearDay
	case gap < 10:
		return b + effDOBFewYears
	}
	return b + effDOBConflict
}

// member reports whether record r is in any of the lists; with
// sparseDone the sparse lists were already walked.
func member(lists []*posting, r uint32, sparseDone bool) bool {
	for _, pl := range lists {
		if pl.bits != nil {
			if int(r/64) < len(pl.bits) && pl.bits[r/64]&(1<<(r%64)) != 0 {
				return true
			}
			continue
		}
		if sparseDone {
			continue
		}
		if _, ok := slices.BinarySearch(pl.ids, r); ok {
			return true
		}
	}
	return false
}

// scoreRecord scores every name of record r against the query words and
// keeps the record as a hit when its best final score reaches the
// threshold.
func (ix *Index) scoreRecord(r uint32, words []*wordInfo, fi int, p *Prepared, opts SearchOptions, sc *scratch) {
	rec := &ix.recs[r]
	if !rec.live || rec.kind != p.kind {
		return
	}
	best, bestForm := -1.0, -1
	for f := range rec.forms {
		fm := &rec.forms[f]
		key := formKey(fm)
		s, ok := sc.cache.get(key)
		if !ok {
			s = ix.scoreForm(words, fm, sc, nil)
			sc.cache.put(key, s)
		}
		if s > best {
			best, bestForm = s, f
		}
	}
	if bestForm < 0 || best+p.maxEvidence < opts.Threshold {
		return
	}
	final := clamp01(best + evidenceEffect(p, rec))
	if final < opts.Threshold {
		return
	}
	sc.hits = append(sc.hits, hit{rec: r, form: uint16(bestForm), qform: uint16(fi), score: final, nameScore: best})
}

func clamp01(x float64) float64 {
	switch {
	case x < 0:
		return 0
	case x > 1:
		return 1
	}
	return x
}

// scoreForm scores the query words against one listed name. Word
// similarities come from the row table (computed by matchWord, or here on
// first use), so the name score is the one ScoreNames gives. With out
// non-nil it also returns the pairing, oriented as ScoreNames orients it.
func (ix *Index) scoreForm(words []*wordInfo, f *recForm, sc *scratch, out *formPairing) float64 {
	n, m := len(words), len(f.words)
	if n == 0 || m == 0 || n > maxWords || m > maxWords {
		return 0
	}
	lw := &sc.lw
	anyMatch := false
	for j, v := range f.words {
		lw[j] = ix.words[v]
		r := sc.row(v)
		rw := &sc.rows[r]
		for i, w := range words {
			if rw.done&(1<<i) == 0 {
				// A word the lookup did not link to query word i
				// disagrees with it, unless it is an initial or the
				// scan is exhaustive (the recall test).
				if sc.exhaustive || len(w.text) == 1 || len(lw[j].text) == 1 {
					rw.sims[i], rw.hows[i] = wordSim(w, lw[j])
				}
				rw.done |= 1 << i
			}
			s, how := rw.sims[i], rw.hows[i]
			if s < wordFloor {
				s, how = 0, HowNone
			} else {
				anyMatch = true
			}
			sc.mat[i][j], sc.hmat[i][j] = s, how
		}
	}
	if !anyMatch {
		return 0
	}
	// Orient as ScoreNames does, so that both give the same score.
	a, b := words, lw[:m]
	swapped := compareWords(words, lw[:m]) > 0
	if swapped {
		a, b = b, a
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
	assign(a, b, &sc.al, pr)
	s := scorePairs(a, b, pr)
	if f.weak {
		s = max(0, s-weakPenalty)
	}
	if out != nil {
		out.p, out.swapped = *pr, swapped
		out.a, out.b = slices.Clone(a), slices.Clone(b)
	}
	return s
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

// explain writes the match and explanation of a hit.
func (ix *Index) explain(p *Prepared, h hit, opts SearchOptions, sc *scratch) Match {
	sc.resetRows()
	defer sc.resetRows()
	ex := sc.exhaustive
	sc.exhaustive = true
	defer func() { sc.exhaustive = ex }()
	rec := &ix.recs[h.rec]
	f := &rec.forms[h.form]
	qf := &p.forms[h.qform]
	var fp formPairing
	ns := ix.scoreForm(qf.words, f, sc, &fp)
	listed := make([]string, len(f.words))
	for j, v := range f.words {
		listed[j] = ix.words[v].text
	}
	m := Match{
		Key:       rec.key,
		Score:     round3(h.score),
		NameScore: round3(ns),
		Strong:    h.score >= opts.StrongThreshold,
		Explanation: Explanation{
			QueryName:  qf.text,
			ListedName: strings.Join(listed, " "),
			NameIndex:  int(f.name),
			Weak:       f.weak,
			Words:      wordPairs(fp.a, fp.b, &fp.p, fp.swapped),
			NameScore:  round3(ns),
			Score:      round3(h.score),
			Algorithm:  AlgorithmVersion,
		},
	}
	if ev, ok := birthEvidence(p.dob, rec.dates); ok {
		m.Explanation.Evidence = append(m.Explanation.Evidence, ev)
	}
	if ev, ok := nationalityEvidence(p.nat, rec.nats); ok {
		m.Explanation.Evidence = append(m.Explanation.Evidence, ev)
	}
	if ev, ok := genderEvidence(p.gender, rec.gender); ok {
		m.Explanation.Evidence = append(m.Explanation.Evidence, ev)
	}
	return m
}
