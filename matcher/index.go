package matcher

import (
	"cmp"
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"sync"
)

// numClasses is the number of name-length classes postings are split by:
// names of 1, 2, 3, 4, 5 and 6 or more words.
const numClasses = 6

// numKinds is the number of kinds of name (Person, Organization).
const numKinds = 2

func classOf(nwords int) int { return min(nwords, numClasses) - 1 }

func slotOf(k Kind, class int) int { return int(k)*numClasses + class }

// Options configures an Index. The zero value gives the defaults.
type Options struct {
	// DenseFraction is ignored. It set when a posting list kept a bitset
	// over all records; postings now carry what a search needs to filter
	// them without one.
	//
	// Deprecated: it has no effect.
	DenseFraction int
}

// Index is an in-memory index of listed names for fuzzy search. It is safe
// for concurrent use: any number of Search calls run in parallel with each
// other and with Upsert and Remove. Writers change only the postings of the
// record they touch (no rebuild) and hold the write lock for microseconds;
// a search holds the read lock for its own duration only.
type Index struct {
	mu sync.RWMutex

	// Vocabulary: every distinct word of every listed name, by number.
	vocab map[vocabKey]uint32
	words []*wordInfo
	block []blockKey     // block of each word, for pair postings
	first []byte         // first letter of each word
	post  []wordPostings // postings of each word
	// count holds per kind and word the live records that hold the word;
	// logc the word's logCount, from its count or its name group's.
	count [numKinds][]int32
	logc  [numKinds][]float32
	// groupCount holds per kind and name group the live records holding a
	// word of the group; groupWords the vocabulary words of each group.
	groupCount [numKinds][]int32
	groupWords [][]uint32
	keys       keyTable // fuzzy lookup key → words

	// pairs holds, for two blocks and a slot, the records with a name of
	// that slot holding words of both blocks.
	pairs map[uint64]postList
	// pairFilter has the bit of every key pairs has held (see pairMay).
	pairFilter []uint64

	matches matchCache
	// gen counts the changes to records: what a search derives from the
	// counts and postings holds while it stays the same.
	gen uint64

	// Records. The names of record r are in the arena rdata from roff[r]:
	// the length of its data, the capacity of its block, then for each
	// form a header (number of words, weak flag, index of the name) and
	// the vocabulary numbers of its words. Searches read records in the
	// order of their numbers, so the arena is read forward; a record
	// replaced by a longer one leaves its block behind (wasted), and the
	// arena is compacted when that is half of it.
	recs   []record
	roff   []uint32
	rdata  []uint32
	wasted int
	years  []uint32 // per record: first and last year of birth (lo<<16 | hi), or 0
	evid   []recEvidence
	byKey  map[string]uint32
	free   []uint32
	live   [numKinds]int
}

type vocabKey struct {
	text       string
	unvowelled bool
	skel       string
}

// blockKey is what pair postings are kept by: the Double Metaphone code of
// a word (its skeleton when it has no vowels, its text when it has no
// code), which spellings of one name share.
type blockKey uint64

// pent is one posting: a record, its years of birth and a signature of
// the blocks of its words, so that a search weighs the date of birth of a
// record and which query words it may hold before it reads the record.
type pent struct {
	rec, years uint32
	sig        uint64
}

// blockSig returns the two bits of a block in a record's signature.
func blockSig(b blockKey) uint64 {
	h := uint64(b) * 0x9e3779b97f4a7c15
	return 1<<(h>>58) | 1<<((h>>52)&63)
}

// recordSig returns the signature of record id: the bits of the blocks of
// all its words.
func (ix *Index) recordSig(id uint32) uint64 {
	var sig uint64
	eachForm(ix.recData(id), func(words []uint32, _ bool, _ uint16, _ int) {
		for _, w := range words {
			sig |= blockSig(ix.block[w])
		}
	})
	return sig
}

// postList is the postings of a word or pair of blocks in one slot. A
// short list is one slice sorted by record. A list that reaches
// bandMin postings is split by year of birth (see yearBands): a query
// with a date of birth then reads only the postings of the years that
// can still reach the threshold, not the 70 to 90% of a common name's
// postings that its years rule out.
type postList struct {
	ents  []pent     // sorted by record; when banded, the postings no band holds
	bands *yearBands // nil until the list is long
}

// yearBands holds the postings of a long list whose records have a first
// year of birth in [minBandYear, maxBandYear] and span at most
// maxBandSpan years, one slice per first year, each sorted by record.
type yearBands struct {
	first int      // the year of lists[0]
	lists [][]pent // by first year of birth
	span  int      // the most years a posting here spans (hi − lo)
	n     int      // postings in lists
}

// bandMin is the length at which a list is split by year of birth.
const bandMin = 512

// The years a band holds: records outside (no year, a year far from any
// birth, a range of many years) stay in the list's unbanded slice.
const (
	minBandYear = 1800
	maxBandYear = 2100
	maxBandSpan = 15
)

// bandYear returns the first year of birth of years (lo<<16 | hi) and
// whether a band may hold it.
func bandYear(years uint32) (int, bool) {
	lo, hi := int(years>>16), int(years&0xffff)
	return lo, years != 0 && lo >= minBandYear && lo <= maxBandYear && hi-lo <= maxBandSpan
}

// len returns the number of postings of the list.
func (pl postList) len() int {
	if pl.bands == nil {
		return len(pl.ents)
	}
	return len(pl.ents) + pl.bands.n
}

// id returns the address of one of the list's postings, which no other
// list shares, or nil when the list is empty.
func (pl postList) id() *pent {
	if len(pl.ents) > 0 {
		return &pl.ents[0]
	}
	if pl.bands != nil {
		for _, b := range pl.bands.lists {
			if len(b) > 0 {
				return &b[0]
			}
		}
	}
	return nil
}

// insert adds e, or replaces the posting of its record, and splits the
// list by year once it is long.
func (pl *postList) insert(e pent) {
	if pl.bands != nil {
		if y, ok := bandYear(e.years); ok {
			pl.bands.insert(y, e)
			return
		}
	}
	insertPosting(&pl.ents, e)
	if pl.bands == nil && len(pl.ents) >= bandMin {
		pl.band()
	}
}

// band moves the postings a band may hold into bands.
func (pl *postList) band() {
	b := &yearBands{}
	rest := pl.ents[:0]
	for _, e := range pl.ents {
		if y, ok := bandYear(e.years); ok {
			b.insert(y, e)
		} else {
			rest = append(rest, e)
		}
	}
	clear(pl.ents[len(rest):])
	pl.ents = slices.Clip(rest)
	pl.bands = b
}

// delete removes the posting of record id, whose years are years.
func (pl *postList) delete(id, years uint32) {
	if pl.bands != nil {
		if y, ok := bandYear(years); ok {
			if l := pl.bands.of(y); l != nil && deletePosting(l, id) {
				pl.bands.n--
			}
			return
		}
	}
	deletePosting(&pl.ents, id)
}

func (b *yearBands) insert(y int, e pent) {
	if len(b.lists) == 0 {
		b.first = y
	}
	if y < b.first {
		b.lists = slices.Insert(b.lists, 0, make([][]pent, b.first-y)...)
		b.first = y
	}
	if k := y - b.first; k >= len(b.lists) {
		b.lists = append(b.lists, make([][]pent, k+1-len(b.lists))...)
	}
	l := &b.lists[y-b.first]
	n := len(*l)
	insertPosting(l, e)
	b.n += len(*l) - n
	b.span = max(b.span, int(e.years&0xffff)-y)
}

// of returns the band of year y, or nil.
func (b *yearBands) of(y int) *[]pent {
	if k := y - b.first; k >= 0 && k < len(b.lists) {
		return &b.lists[k]
	}
	return nil
}

// wordPostings holds a word's postings for each (kind, class) slot that
// has any, in slot order.
type wordPostings struct {
	mask  uint16
	lists []postList
}

func (wp *wordPostings) get(slot int) postList {
	if wp.mask&(1<<slot) == 0 {
		return postList{}
	}
	return wp.lists[bits.OnesCount16(wp.mask&(1<<slot-1))]
}

// at returns the list of slot, making it when missing.
func (wp *wordPostings) at(slot int) *postList {
	i := bits.OnesCount16(wp.mask & (1<<slot - 1))
	if wp.mask&(1<<slot) == 0 {
		wp.mask |= 1 << slot
		wp.lists = slices.Insert(wp.lists, i, postList{})
	}
	return &wp.lists[i]
}

// record is what an index keeps of a listed entry beside its names, which
// are in the arena.
type record struct {
	key    string
	dates  []Date
	nats   []string
	gender byte
	kind   Kind
	live   bool
}

const (
	formWeak      = 1 << 8
	formNameShift = 16
)

func formHeader(nwords int, weak bool, name uint16) uint32 {
	h := uint32(nwords) | uint32(name)<<formNameShift
	if weak {
		h |= formWeak
	}
	return h
}

// recData returns the forms of record id, as the arena keeps them.
func (ix *Index) recData(id uint32) []uint32 {
	off := ix.roff[id]
	return ix.rdata[off+2 : off+2+ix.rdata[off]]
}

// eachForm calls f for each form in data with its words, whether it is a
// weak alias, the index of its name and its position in data.
func eachForm(data []uint32, f func(words []uint32, weak bool, name uint16, at int)) {
	for at := 0; at < len(data); {
		h := data[at]
		n := int(h & 0xff)
		f(data[at+1:at+1+n], h&formWeak != 0, uint16(h>>formNameShift), at)
		at += 1 + n
	}
}

// noBlock marks a record number without a block in the arena.
const noBlock = ^uint32(0)

// storeData writes the forms of record id into the arena: into its old
// block when it is large enough, else into a new block at the end.
func (ix *Index) storeData(id uint32, data []uint32) {
	if off := ix.roff[id]; off != noBlock {
		if c := ix.rdata[off+1]; int(c) >= len(data) {
			ix.rdata[off] = uint32(len(data))
			copy(ix.rdata[off+2:], data)
			return
		}
		ix.wasted += 2 + int(ix.rdata[off+1])
	}
	ix.roff[id] = uint32(len(ix.rdata))
	ix.rdata = append(ix.rdata, uint32(len(data)), uint32(len(data)))
	ix.rdata = append(ix.rdata, data...)
	if ix.wasted > 1<<20 && ix.wasted > len(ix.rdata)/2 {
		ix.compact()
	}
}

// compact rewrites the arena without the blocks records left behind.
func (ix *Index) compact() {
	out := make([]uint32, 0, len(ix.rdata)-ix.wasted+len(ix.rdata)/8)
	for id, off := range ix.roff {
		if off == noBlock {
			continue
		}
		if !ix.recs[id].live {
			ix.roff[id] = noBlock
			continue
		}
		n := ix.rdata[off]
		ix.roff[id] = uint32(len(out))
		out = append(out, n, n)
		out = append(out, ix.rdata[off+2:off+2+n]...)
	}
	ix.rdata = out
	ix.wasted = 0
}

// NewIndex returns an empty index.
func NewIndex(opts Options) *Index {
	ix := &Index{
		vocab:      make(map[vocabKey]uint32),
		keys:       newKeyTable(),
		pairs:      make(map[uint64]postList),
		byKey:      make(map[string]uint32),
		groupWords: make([][]uint32, len(nameGroups)+1),
	}
	for k := range ix.groupCount {
		ix.groupCount[k] = make([]int32, len(nameGroups)+1)
	}
	return ix
}

// Len returns the number of records in the index.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.live[Person] + ix.live[Organization]
}

// MaxRecords is the most records an index holds.
const MaxRecords = 1 << 31

// preparedRecord is a record normalised outside the lock.
type preparedRecord struct {
	r     Record
	forms [][]word // per form: the words
	infos [][]*wordInfo
	names []uint16
	weak  []bool
}

func prepareRecord(r Record) (*preparedRecord, error) {
	if strings.TrimSpace(r.Key) == "" {
		return nil, ErrNoKey
	}
	if r.Kind != Person && r.Kind != Organization {
		return nil, fmt.Errorf("record %q: kind %d: %w", r.Key, r.Kind, ErrBadKind)
	}
	pr := &preparedRecord{r: r}
	for i, n := range r.Names {
		if i > 0xffff {
			break
		}
		for _, sp := range spellings(n.text()) {
			ws := structure(sp, r.Kind)
			if len(ws) == 0 {
				continue
			}
			dup := false
			for _, f := range pr.forms {
				if sameWords(f, ws) {
					dup = true
					break
				}
			}
			if dup {
				continue
			}
			infos := make([]*wordInfo, len(ws))
			for k, w := range ws {
				infos[k] = newWordInfo(w)
			}
			pr.forms = append(pr.forms, ws)
			pr.infos = append(pr.infos, infos)
			pr.names = append(pr.names, uint16(i))
			pr.weak = append(pr.weak, n.Weak)
		}
	}
	if len(pr.forms) == 0 {
		return nil, fmt.Errorf("record %q: %w", r.Key, ErrNoName)
	}
	return pr, nil
}

func sameWords(a, b []word) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].text != b[i].text || a[i].unvowelled != b[i].unvowelled || a[i].skel != b[i].skel {
			return false
		}
	}
	return true
}

// Upsert adds r to the index or replaces the record with the same key. It
// costs time in proportion to the names of r (and of the record it
// replaces), never to the size of the index. It returns ErrNoKey for a
// record without a key, ErrBadKind for a kind that is neither Person nor
// Organization, and ErrNoName (wrapped) when none of its names has a
// letter or digit the matcher can read; the index is then unchanged.
func (ix *Index) Upsert(r Record) error {
	pr, err := prepareRecord(r)
	if err != nil {
		return err
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.upsertLocked(pr)
}

// UpsertAll adds or replaces many records, normalising their names on all
// cores before taking the write lock in batches. It stops at the first
// record that Upsert would refuse and returns its error; the records before
// it are in the index.
func (ix *Index) UpsertAll(rs []Record, workers int) error {
	if workers <= 0 {
		workers = 1
	}
	const batch = 1024
	prs := make([]*preparedRecord, len(rs))
	errs := make([]error, len(rs))
	for start := 0; start < len(rs); start += batch * workers {
		end := min(len(rs), start+batch*workers)
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for i := start + w; i < end; i += workers {
					prs[i], errs[i] = prepareRecord(rs[i])
				}
			}(w)
		}
		wg.Wait()
		for i := start; i < end; {
			ix.mu.Lock()
			stop := min(end, i+batch)
			for ; i < stop; i++ {
				if errs[i] != nil {
					ix.mu.Unlock()
					return errs[i]
				}
				if err := ix.upsertLocked(prs[i]); err != nil {
					ix.mu.Unlock()
					return err
				}
				prs[i] = nil
			}
			ix.mu.Unlock()
		}
	}
	return nil
}

func (ix *Index) upsertLocked(pr *preparedRecord) error {
	ix.gen++
	if id, ok := ix.byKey[pr.r.Key]; ok {
		ix.removeLocked(id)
	}
	var id uint32
	if n := len(ix.free); n > 0 {
		id = ix.free[n-1]
		ix.free = ix.free[:n-1]
	} else {
		if len(ix.recs) >= MaxRecords {
			return ErrFull
		}
		id = uint32(len(ix.recs))
		ix.recs = append(ix.recs, record{})
		ix.roff = append(ix.roff, noBlock)
		ix.years = append(ix.years, 0)
		ix.evid = append(ix.evid, recEvidence{})
	}
	rec := record{
		key:    strings.Clone(pr.r.Key),
		kind:   pr.r.Kind,
		gender: pr.r.Gender,
		live:   true,
	}
	for _, d := range pr.r.BirthDates {
		if !d.IsZero() {
			rec.dates = append(rec.dates, d)
		}
	}
	for _, n := range pr.r.Nationalities {
		if n = strings.ToUpper(strings.TrimSpace(n)); n != "" {
			rec.nats = append(rec.nats, n)
		}
	}
	var buf [64]uint32
	data := buf[:0]
	for fi, ws := range pr.forms {
		data = append(data, formHeader(len(ws), pr.weak[fi], pr.names[fi]))
		for _, wi := range pr.infos[fi][:len(ws)] {
			data = append(data, ix.wordID(wi))
		}
	}
	ix.recs[id] = rec
	ix.storeData(id, data)
	ix.years[id] = packYears(rec.dates)
	ix.evid[id] = packEvidence(&rec)
	ix.byKey[rec.key] = id
	ix.live[rec.kind]++
	ix.countWords(id, 1)
	e := pent{rec: id, years: ix.years[id], sig: ix.recordSig(id)}
	ix.forEachPosting(id, func(pl *postList) { pl.insert(e) })
	return nil
}

// Remove deletes the record with this key and reports whether there was one.
func (ix *Index) Remove(key string) bool {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	id, ok := ix.byKey[key]
	if !ok {
		return false
	}
	ix.removeLocked(id)
	return true
}

func (ix *Index) removeLocked(id uint32) {
	ix.gen++
	rec := &ix.recs[id]
	years := ix.years[id]
	ix.forEachPosting(id, func(pl *postList) { pl.delete(id, years) })
	ix.countWords(id, -1)
	ix.live[rec.kind]--
	delete(ix.byKey, rec.key)
	*rec = record{}
	ix.years[id] = 0
	ix.evid[id] = recEvidence{}
	ix.free = append(ix.free, id)
}

// distinctWords returns the distinct words of forms data, in buf.
func distinctWords(data []uint32, buf []uint32) []uint32 {
	buf = buf[:0]
	eachForm(data, func(words []uint32, _ bool, _ uint16, _ int) {
		for _, w := range words {
			if !slices.Contains(buf, w) {
				buf = append(buf, w)
			}
		}
	})
	return buf
}

// countWords adds d to the counts of the words and name groups of a record
// and refreshes their logCounts.
func (ix *Index) countWords(id uint32, d int32) {
	var buf [32]uint32
	ws := distinctWords(ix.recData(id), buf[:0])
	k := ix.recs[id].kind
	var groups [16]uint16
	ng := 0
	for _, w := range ws {
		ix.count[k][w] += d
		for _, g := range ix.words[w].groups {
			if g != 0 && !slices.Contains(groups[:ng], g) && ng < len(groups) {
				groups[ng] = g
				ng++
			}
		}
	}
	for _, g := range groups[:ng] {
		ix.groupCount[k][g] += d
		for _, w := range ix.groupWords[g] {
			ix.refreshLogCount(k, w)
		}
	}
	for _, w := range ws {
		ix.refreshLogCount(k, w)
	}
}

func (ix *Index) refreshLogCount(k Kind, w uint32) {
	wi := ix.words[w]
	c := ix.count[k][w]
	for _, g := range wi.groups {
		if g != 0 && ix.groupCount[k][g] > c {
			c = ix.groupCount[k][g]
		}
	}
	ix.logc[k][w] = float32(logCount(c, wi.prior))
}

// logCountOf returns the logCount of a word that need not be in the
// vocabulary (a query word), for kind k. Callers hold the lock.
func (ix *Index) logCountOf(k Kind, wi *wordInfo) float64 {
	if v, ok := ix.vocab[wi.vkey]; ok {
		return float64(ix.logc[k][v])
	}
	c := int32(0)
	for _, g := range wi.groups {
		if g != 0 && ix.groupCount[k][g] > c {
			c = ix.groupCount[k][g]
		}
	}
	return logCount(c, wi.prior)
}

// maxPairWords is the number of words of a name whose pairs are indexed.
const maxPairWords = 8

// pairKey is the key of the postings of names of a slot holding words of
// blocks a and b (in either order).
func pairKey(a, b blockKey, slot int) uint64 {
	if a > b {
		a, b = b, a
	}
	h := hashU64(keyPair, uint64(a))
	h ^= uint64(b) * 0x9e3779b97f4a7c15
	h *= fnvPrime
	h ^= uint64(slot+1) * 0xff51afd7ed558ccd
	h *= fnvPrime
	return h
}

// forEachPosting calls f once for each posting list that holds the
// record: the list of each of its words for the slot of each form holding
// the word, and for every form of two words or more, the pair list of
// every two of its words' blocks.
func (ix *Index) forEachPosting(id uint32, f func(*postList)) {
	kind := ix.recs[id].kind
	type ws struct {
		w    uint32
		slot int
	}
	var seenBuf [64]ws
	seen := seenBuf[:0]
	var pairBuf [64]uint64
	pairs := pairBuf[:0]
	eachForm(ix.recData(id), func(words []uint32, _ bool, _ uint16, _ int) {
		slot := slotOf(kind, classOf(len(words)))
		for _, w := range words {
			k := ws{w, slot}
			if !slices.Contains(seen, k) {
				seen = append(seen, k)
			}
		}
		if len(words) < 2 {
			return
		}
		pw := words[:min(len(words), maxPairWords)]
		for x := 0; x < len(pw); x++ {
			for y := x + 1; y < len(pw); y++ {
				k := pairKey(ix.block[pw[x]], ix.block[pw[y]], slot)
				if !slices.Contains(pairs, k) {
					pairs = append(pairs, k)
				}
			}
		}
	})
	for _, k := range seen {
		f(ix.post[k.w].at(k.slot))
	}
	for _, k := range pairs {
		pl := ix.pairs[k]
		f(&pl)
		if pl.len() == 0 {
			delete(ix.pairs, k)
		} else {
			ix.pairs[k] = pl
			ix.setPairFilter(k)
		}
	}
}

// pairFilterBits is log2 of the number of bits of the pair filter: 2 MiB,
// about twenty bits a key for the 750,000 keys of a million names.
const pairFilterBits = 24

// setPairFilter marks pair key k in the filter. Bits are never cleared: a
// key deleted since only costs its lookup.
func (ix *Index) setPairFilter(k uint64) {
	if ix.pairFilter == nil {
		ix.pairFilter = make([]uint64, 1<<pairFilterBits/64)
	}
	b := k >> (64 - pairFilterBits)
	ix.pairFilter[b/64] |= 1 << (b % 64)
}

// pairMay reports whether pairs may hold key k: half the pair keys a
// search looks up are not there, and the filter answers for most of them
// in one read instead of a map lookup's several.
func (ix *Index) pairMay(k uint64) bool {
	if ix.pairFilter == nil {
		return false
	}
	b := k >> (64 - pairFilterBits)
	return ix.pairFilter[b/64]&(1<<(b%64)) != 0
}

func insertPosting(pl *[]pent, e pent) {
	l := *pl
	if n := len(l); n == 0 || l[n-1].rec < e.rec {
		*pl = append(l, e)
		return
	}
	i, found := slices.BinarySearchFunc(l, e.rec, func(x pent, r uint32) int { return cmp.Compare(x.rec, r) })
	if found {
		l[i] = e
		return
	}
	*pl = slices.Insert(l, i, e)
}

// deletePosting removes the posting of record id from pl and reports
// whether there was one.
func deletePosting(pl *[]pent, id uint32) bool {
	l := *pl
	i, found := slices.BinarySearchFunc(l, id, func(x pent, r uint32) int { return cmp.Compare(x.rec, r) })
	if found {
		*pl = slices.Delete(l, i, i+1)
	}
	return found
}

// wordID returns the vocabulary number of wi, adding it when new.
func (ix *Index) wordID(wi *wordInfo) uint32 {
	k := wi.vkey
	if id, ok := ix.vocab[k]; ok {
		return id
	}
	k.text = strings.Clone(k.text)
	id := uint32(len(ix.words))
	ix.words = append(ix.words, wi)
	ix.block = append(ix.block, blockOf(wi))
	ix.first = append(ix.first, wi.text[0])
	ix.post = append(ix.post, wordPostings{})
	for kind := range ix.count {
		ix.count[kind] = append(ix.count[kind], 0)
		ix.logc[kind] = append(ix.logc[kind], float32(logCount(0, wi.prior)))
	}
	for _, g := range wi.groups {
		if g != 0 {
			ix.groupWords[g] = append(ix.groupWords[g], id)
		}
	}
	ix.vocab[k] = id
	for kind := range ix.count {
		ix.refreshLogCount(Kind(kind), id)
	}
	forEachKey(wi, func(h uint64) { ix.keys.add(h, id) })
	return id
}

// recEvidence is the evidence of a record packed next to all others, so
// that a search can weigh it before it reads the record. Records with
// more than two dates or nationalities are marked and weighed exactly
// only when read.
type recEvidence struct {
	dates  [2]shortDate
	nats   [2][3]byte
	ndates uint8 // number of dates, or 255 when there are more than two
	nnats  uint8 // number of nationalities, or 255 when more than two
	gender byte
}

type shortDate struct {
	year, toYear uint16
	month, day   uint8
}

func packEvidence(rec *record) recEvidence {
	e := recEvidence{gender: rec.gender}
	switch {
	case len(rec.dates) > 2:
		e.ndates = 255
	default:
		e.ndates = uint8(len(rec.dates))
		for i, d := range rec.dates {
			if d.Year < 0 || d.Year > 0xffff || d.ToYear < 0 || d.ToYear > 0xffff || d.Month < 0 || d.Month > 255 || d.Day < 0 || d.Day > 255 {
				e.ndates = 255
				break
			}
			e.dates[i] = shortDate{year: uint16(d.Year), toYear: uint16(d.ToYear), month: uint8(d.Month), day: uint8(d.Day)}
		}
	}
	switch {
	case len(rec.nats) > 2:
		e.nnats = 255
	default:
		e.nnats = uint8(len(rec.nats))
		for i, n := range rec.nats {
			if len(n) > 3 {
				e.nnats = 255
				break
			}
			copy(e.nats[i][:], n)
		}
	}
	return e
}

// packYears keeps the first and last years of a record's dates of birth.
func packYears(ds []Date) uint32 {
	lo, hi := 0, 0
	for _, d := range ds {
		if d.Year <= 0 || d.Year > 0xffff {
			continue
		}
		l, h := d.Year, max(d.Year, min(d.ToYear, 0xffff))
		if lo == 0 || l < lo {
			lo = l
		}
		if h > hi {
			hi = h
		}
	}
	return uint32(lo)<<16 | uint32(hi)
}

func blockOf(wi *wordInfo) blockKey {
	switch {
	case wi.unvowelled:
		return blockKey(hashStr(keyBlockSkel, wi.skel))
	case len(wi.text) == 1 || wi.dm1 == 0:
		return blockKey(hashStr(keyBlockText, wi.text))
	}
	return blockKey(hashU64(keyBlockDM, wi.dm1))
}
