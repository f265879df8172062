package matcher

import (
	"fmt"
	"slices"
	"strings"
	"sync"
)

// numClasses is the number of name-length classes postings are split by:
// names of 1, 2, 3, 4, 5 and 6 or more words.
const numClasses = 6

func classOf(nwords int) int { return min(nwords, numClasses) - 1 }

// Options configures an Index. The zero value gives the defaults.
type Options struct {
	// DenseFraction sets when a posting list also keeps a bitset over all
	// records, for constant-time membership tests: when it holds more than
	// one record in DenseFraction (default 128) and at least 1024.
	DenseFraction int
}

func (o Options) withDefaults() Options {
	if o.DenseFraction <= 0 {
		o.DenseFraction = 128
	}
	return o
}

// Index is an in-memory index of listed names for fuzzy search. It is safe
// for concurrent use: any number of Search calls run in parallel with each
// other and with Upsert and Remove. Writers change only the postings of the
// record they touch (no rebuild) and hold the write lock for microseconds;
// a search holds the read lock for its own duration only.
type Index struct {
	opts Options

	mu sync.RWMutex

	// Vocabulary: every distinct word of every listed name.
	vocab map[vocabKey]uint32
	words []*wordInfo
	block []blockKey // block of each word
	// wordPostings caches, per word, the person postings of its block and
	// of its first letter.
	wordPostings [][2]*blockPostings
	keys         map[uint64][]uint32 // fuzzy lookup key → words

	// Postings: for each block and name-length class, the sorted records
	// with a name of that class containing a word of that block.
	blocks map[blockKey]*blockPostings
	// pairs holds, for two blocks and a class, the records with a name of
	// that class holding words of both blocks.
	pairs map[uint64]*blockPostings

	matches matchCache

	recs  []record
	years []uint32 // per record: first and last year of birth (lo<<16 | hi), or 0
	evid  []recEvidence
	byKey map[string]uint32
	free  []uint32
	live  int
}

type vocabKey struct {
	text       string
	unvowelled bool
	skel       string
}

// blockKey is what postings are kept by: the Double Metaphone code of a
// word (its skeleton when it has no vowels, its text when it has no code),
// tagged with the kind of name.
type blockKey uint64

type blockPostings [numClasses]posting

// posting is a sorted list of record numbers, with a bitset over all
// records when it is long.
type posting struct {
	ids  []uint32
	bits []uint64
}

type record struct {
	key    string
	forms  []recForm
	dates  []Date
	nats   []string
	gender byte
	kind   Kind
	live   bool
}

type recForm struct {
	words []uint32 // vocabulary numbers
	name  uint16   // index in Record.Names
	weak  bool
}

// NewIndex returns an empty index.
func NewIndex(opts Options) *Index {
	return &Index{
		opts:   opts.withDefaults(),
		vocab:  make(map[vocabKey]uint32),
		keys:   make(map[uint64][]uint32),
		blocks: make(map[blockKey]*blockPostings),
		pairs:  make(map[uint64]*blockPostings),
		byKey:  make(map[string]uint32),
	}
}

// Len returns the number of records in the index.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.live
}

// MaxRecords is the most records an index holds.
const MaxRecords = 1 << 31

// preparedRecord is a record normalised outside the lock.
type preparedRecord struct {
	r     Record
	forms [][]word // per form: the words
	names []uint16
	weak  []bool
}

func prepareRecord(r Record) (*preparedRecord, error) {
	if strings.TrimSpace(r.Key) == "" {
		return nil, ErrNoKey
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
			pr.forms = append(pr.forms, ws)
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
// record without a key and ErrNoName (wrapped) when none of its names has a
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
	rec.forms = make([]recForm, len(pr.forms))
	for fi, ws := range pr.forms {
		ids := make([]uint32, len(ws))
		for k, w := range ws {
			ids[k] = ix.wordID(w)
		}
		rec.forms[fi] = recForm{words: ids, name: pr.names[fi], weak: pr.weak[fi]}
	}
	ix.recs[id] = rec
	ix.years[id] = packYears(rec.dates)
	ix.evid[id] = packEvidence(&rec)
	ix.byKey[rec.key] = id
	ix.live++
	ix.forEachPosting(id, &rec, func(p *posting) { ix.insertID(p, id) })
	ix.forEachPairPosting(&rec, func(p *posting) { ix.insertID(p, id) })
	return nil
}

// forEachPosting calls f once for each posting that holds record id.
func (ix *Index) forEachPosting(id uint32, rec *record, f func(*posting)) {
	type bc struct {
		b blockKey
		c int
	}
	var seen [64]bc
	n := 0
	var more map[bc]bool
	for _, fm := range rec.forms {
		c := classOf(len(fm.words))
		for _, w := range fm.words {
			// Each word is filed under its block and under its first
			// letter (for queries that give only an initial).
			for _, b := range [2]blockKey{ix.block[w], letterBlock(ix.words[w].text[0])} {
				k := bc{kindBlock(b, rec.kind), c}
				dup := false
				for i := 0; i < n; i++ {
					if seen[i] == k {
						dup = true
						break
					}
				}
				if !dup && more != nil && more[k] {
					dup = true
				}
				if dup {
					continue
				}
				if n < len(seen) {
					seen[n] = k
					n++
				} else {
					if more == nil {
						more = make(map[bc]bool)
					}
					more[k] = true
				}
				f(&ix.postings(w, b, k.b, rec.kind == Person, b != ix.block[w])[k.c])
			}
		}
	}
}

// postings returns the postings of block kb (block b of word w, salted
// for the kind), remembering it on the word for persons, where it is
// looked up once per word rather than once per name.
func (ix *Index) postings(w uint32, b, kb blockKey, person, letter bool) *blockPostings {
	slot := 0
	if letter {
		slot = 1
	}
	if person {
		if bp := ix.wordPostings[w][slot]; bp != nil {
			return bp
		}
	}
	bp := ix.blocks[kb]
	if bp == nil {
		bp = new(blockPostings)
		ix.blocks[kb] = bp
	}
	if person {
		ix.wordPostings[w][slot] = bp
	}
	return bp
}

// maxPairWords is the number of words of a name whose pairs are indexed.
const maxPairWords = 8

// pairKey is the key of the postings of names holding words of blocks a
// and b (in either order); the postings are split by class.
func pairKey(a, b blockKey) uint64 {
	if a > b {
		a, b = b, a
	}
	h := hashU64(keyPair, uint64(a))
	h ^= uint64(b) * 0x9e3779b97f4a7c15
	h *= fnvPrime
	return h
}

// forEachPairPosting calls f once for each pair posting that holds the
// record: for every name of two words or more, every pair of its words'
// blocks.
func (ix *Index) forEachPairPosting(rec *record, f func(*posting)) {
	type kc struct {
		k uint64
		c int
	}
	var keys []kc
	for _, fm := range rec.forms {
		if len(fm.words) < 2 {
			continue
		}
		c := classOf(len(fm.words))
		ws := fm.words[:min(len(fm.words), maxPairWords)]
		for x := 0; x < len(ws); x++ {
			for y := x + 1; y < len(ws); y++ {
				k := kc{pairKey(kindBlock(ix.block[ws[x]], rec.kind), kindBlock(ix.block[ws[y]], rec.kind)), c}
				if !slices.Contains(keys, k) {
					keys = append(keys, k)
				}
			}
		}
	}
	for _, k := range keys {
		p := ix.pairs[k.k]
		if p == nil {
			p = new(blockPostings)
			ix.pairs[k.k] = p
		}
		f(&p[k.c])
	}
}

// letterBlock is the block of all words beginning with letter c.
func letterBlock(c byte) blockKey {
	return blockKey(hashU64(keyBlockLetter, uint64(c)))
}

func (ix *Index) denseMin() int {
	return max(1024, len(ix.recs)/ix.opts.DenseFraction)
}

func (ix *Index) insertID(p *posting, id uint32) {
	if n := len(p.ids); n == 0 || p.ids[n-1] < id {
		p.ids = append(p.ids, id)
	} else {
		i, found := slices.BinarySearch(p.ids, id)
		if found {
			return
		}
		p.ids = slices.Insert(p.ids, i, id)
	}
	switch {
	case p.bits != nil:
		need := int(id)/64 + 1
		if need > len(p.bits) {
			p.bits = append(p.bits, make([]uint64, need-len(p.bits))...)
		}
		p.bits[id/64] |= 1 << (id % 64)
	case len(p.ids) >= ix.denseMin():
		p.bits = make([]uint64, (len(ix.recs)+63)/64)
		for _, x := range p.ids {
			p.bits[x/64] |= 1 << (x % 64)
		}
	}
}

func (ix *Index) deleteID(p *posting, id uint32) {
	i, found := slices.BinarySearch(p.ids, id)
	if !found {
		return
	}
	p.ids = slices.Delete(p.ids, i, i+1)
	if p.bits != nil {
		p.bits[id/64] &^= 1 << (id % 64)
		if len(p.ids) < ix.denseMin()/2 {
			p.bits = nil
		}
	}
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
	rec := &ix.recs[id]
	ix.forEachPosting(id, rec, func(p *posting) { ix.deleteID(p, id) })
	ix.forEachPairPosting(rec, func(p *posting) { ix.deleteID(p, id) })
	delete(ix.byKey, rec.key)
	*rec = record{}
	ix.years[id] = 0
	ix.evid[id] = recEvidence{}
	ix.free = append(ix.free, id)
	ix.live--
}

// wordID returns the vocabulary number of w, adding it when new.
func (ix *Index) wordID(w word) uint32 {
	k := vocabKey{w.text, w.unvowelled, w.skel}
	if id, ok := ix.vocab[k]; ok {
		return id
	}
	k.text = strings.Clone(k.text)
	w.text = k.text
	wi := newWordInfo(w)
	id := uint32(len(ix.words))
	ix.words = append(ix.words, wi)
	ix.block = append(ix.block, blockOf(wi))
	ix.wordPostings = append(ix.wordPostings, [2]*blockPostings{})
	ix.vocab[k] = id
	forEachKey(wi, func(h uint64) {
		l := ix.keys[h]
		if n := len(l); n == 0 || l[n-1] != id {
			ix.keys[h] = append(l, id)
		}
	})
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

// kindBlock keeps the postings of persons and organisations apart.
func kindBlock(b blockKey, k Kind) blockKey {
	if k == Organization {
		return b ^ 0x9e3779b97f4a7c15
	}
	return b
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
