package matcher

import (
	"fmt"
	"math/bits"
	"strings"
	"sync"
	"sync/atomic"
)

// The constants of the score. Changing any of them changes scores: bump
// AlgorithmVersion and rerun the accuracy harness (see doc.go).
const (
	// wordFloor is the lowest word similarity that counts as agreement;
	// pairs below it are treated as two different words.
	wordFloor = 0.80

	simFold    = 0.98 // ICAO variants (MUELLER, MULLER)
	simGroup   = 0.93 // hypocoristic or listed spelling (BOB, ROBERT)
	simInitial = 0.86 // an initial and a word starting with it
	simSkel    = 0.90 // same consonant skeleton, one word unvowelled
	simSkelOne = 0.82 // skeletons one edit apart, both of 4 or more
	coreFactor = 0.96 // agreement found only after dropping a particle
	// patronymicFactor scales the similarity of a patronymic and a word
	// that is not one (SERGEYEVNA, SERGEI): the father's name is not the
	// person's.
	patronymicFactor = 0.8

	// Word weights: an initial carries little, short words less than long
	// ones, and words very common in names less than rare ones.
	weightInitial = 0.35
	weightShort2  = 0.6
	weightShort3  = 0.8
	weightCommon  = 0.6

	// extraCost is the share of its weight an unmatched word costs when
	// the other name has no unmatched word of its own (a middle name or
	// patronymic missing on one side) and at least two words agree.
	extraCost = 0.3
	// patronymicCost replaces extraCost for patronymics (Russian -OVICH,
	// -EVNA; Arabic BIN X), which lists and passports give or leave out.
	patronymicCost = 0.15
	// lowMatchCap caps the score when fewer words agree than needed: two,
	// or one when either name has only one word.
	lowMatchCap = 0.5
)

// commonWords are name words so frequent that agreeing on them says little.
var commonWords = setOf(
	"MUHAMMAD", "MOHAMMED", "MOHAMMAD", "MOHAMED", "MOHAMAD", "ALI", "AHMAD", "AHMED", "KHAN",
	"HASAN", "HASSAN", "HUSAYN", "HUSSEIN", "HUSSAIN", "ABDULLAH", "ABU", "BIN", "IBN",
	"ABDUL", "SHAH", "SYED", "SAYED", "MAHMUD", "MAHMOUD", "IBRAHIM", "YUSUF", "UMAR", "OMAR",
	"MUSA", "ISA", "SALEH", "SALIH", "SAID", "SAEED", "RAHMAN", "ULLAH", "UDDIN", "ALDIN",
	"WANG", "LI", "ZHANG", "LIU", "CHEN", "YANG", "HUANG", "ZHAO", "WU", "ZHOU", "KIM",
	"LEE", "PARK", "CHOI", "NGUYEN", "TRAN", "LE", "PHAM", "SINGH", "KUMAR", "DEVI",
	"JOHN", "JAMES", "DAVID", "MARIA", "JOSE", "JUAN", "CARLOS", "LUIS", "SMITH", "JONES",
	"GARCIA", "RODRIGUEZ", "MARTINEZ", "LOPEZ", "GONZALEZ", "HERNANDEZ", "PEREZ", "SANCHEZ",
	"IVANOV", "SMIRNOV", "KUZNETSOV", "POPOV", "ALEKSANDR", "SERGEY", "VLADIMIR", "ANDREY",
)

// wordInfo is a word with everything the similarity needs, computed once
// and shared: it never changes after it is made.
type wordInfo struct {
	text       string
	fold       string   // icaoFold(text)
	skel       string   // consonant skeleton
	skels      []string // its variants, for words from Arabic script
	dm1, dm2   uint64
	nysiis     uint64
	groups     [2]uint16
	base       float64 // length weight: an initial, two or three letters, longer
	prior      float64 // share of the word in names before any list is seen
	unvowelled bool
	initial    bool      // one letter
	patronymic bool      // a patronymic: cheap to leave out
	prefixes   uint8     // the namePrefixes it begins with (see sharedPrefix), a bit each
	core       *wordInfo // the word without its leading particles, or nil
	mkey       string    // everything its agreement depends on: the match cache key
	mhash      uint64    // a hash of mkey
	vkey       vocabKey  // its key in an index's vocabulary
}

// wordCache shares the features of words between names, queries and
// indexes: names repeat their words, and the phonetic codes cost more
// than the rest of a name's normalisation. It starts afresh when it holds
// maxWordCache words. Every word of every query is looked up in it: it
// is split in shards by a hash of the key, each a map under its own lock.
var (
	wordCache  [wordShards]wordShard
	wordCached atomic.Int64
)

const (
	maxWordCache = 1 << 18
	wordShards   = 32
)

type wordShard struct {
	mu sync.RWMutex
	m  map[string]*wordInfo
	_  [64 - 32]byte // a cache line of its own for the lock's counts
}

func wordShardOf(key string) *wordShard {
	return &wordCache[hashStr(keyText, key)%wordShards]
}

// cachedWord returns the features of the word of key, or nil.
func cachedWord(key string) *wordInfo {
	sh := wordShardOf(key)
	sh.mu.RLock()
	wi := sh.m[key]
	sh.mu.RUnlock()
	return wi
}

// cacheWord files wi under key, unless a word is already there, and
// returns the word filed.
func cacheWord(key string, wi *wordInfo) *wordInfo {
	if wordCached.Add(1) > maxWordCache {
		for i := range wordCache {
			sh := &wordCache[i]
			sh.mu.Lock()
			clear(sh.m)
			sh.mu.Unlock()
		}
		wordCached.Store(0)
	}
	sh := wordShardOf(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if old := sh.m[key]; old != nil {
		return old
	}
	if sh.m == nil {
		sh.m = make(map[string]*wordInfo)
	}
	sh.m[key] = wi
	return wi
}

func newWordInfo(w word) *wordInfo {
	key := w.text
	if w.core != "" || w.unvowelled || w.skel != "" || w.coreSkel != "" {
		u := "0"
		if w.unvowelled {
			u = "1"
		}
		key = w.text + "\x00" + w.core + "\x00" + w.skel + "\x00" + w.coreSkel + "\x00" + u
	}
	if wi := cachedWord(key); wi != nil {
		return wi
	}
	wi := featuresOf(w.text, w.unvowelled, w.skel)
	if w.core != "" && w.core != w.text {
		wi.core = featuresOf(w.core, w.unvowelled, w.coreSkel)
		if strings.HasPrefix(w.text, "BIN") || strings.HasPrefix(w.text, "IBN") {
			wi.patronymic = true
		}
	}
	wi.mkey = matchKey(wi)
	wi.mhash = hashStr(keyText, wi.mkey)
	wi.vkey = vocabKey{w.text, w.unvowelled, w.skel}
	return cacheWord(key, wi)
}

// matchKey identifies a word for the match cache: everything its
// agreement with another word depends on.
func matchKey(w *wordInfo) string {
	k := w.text + "|" + strings.Join(w.skels, ",")
	if w.unvowelled {
		k += "|u"
	}
	if w.patronymic {
		k += "|p"
	}
	if w.core != nil {
		k += "|" + w.core.text + "|" + strings.Join(w.core.skels, ",")
	}
	return k
}

// patronymicSuffixes end Russian, Ukrainian and Belarusian patronymics.
var patronymicSuffixes = []string{"OVICH", "EVICH", "OVYCH", "EVYCH", "OWICH", "EWICH", "OVITCH", "EVITCH",
	"OVNA", "EVNA", "IVNA", "ICHNA", "YICH", "ILYICH"}

func isPatronymic(w string) bool {
	if len(w) < 7 {
		return false
	}
	for _, s := range patronymicSuffixes {
		if strings.HasSuffix(w, s) {
			return true
		}
	}
	return false
}

func featuresOf(text string, unvowelled bool, skel string) *wordInfo {
	if skel == "" {
		skel = skeleton(text)
	}
	skels := strings.Split(skel, "|")
	wi := &wordInfo{text: text, fold: icaoFold(text), skel: skels[0], skels: skels, unvowelled: unvowelled,
		patronymic: isPatronymic(text), initial: len(text) == 1, prefixes: prefixesOf(text)}
	if !unvowelled {
		wi.dm1, wi.dm2, wi.nysiis = phoneticCodes(text)
	}
	wi.groups = groupIndex[text]
	switch n := len(text); {
	case n == 1:
		wi.base = weightInitial
	case n == 2:
		wi.base = weightShort2
	case n == 3:
		wi.base = weightShort3
	default:
		wi.base = 1
	}
	wi.prior = priorOf(text, wi.groups)
	return wi
}

// How says why two words agree.
type How uint8

// The ways two words can agree.
const (
	HowNone     How = iota // they do not agree
	HowExact               // same letters
	HowFold                // same after ICAO 9303 variants (Ü = UE = U)
	HowGroup               // hypocoristic or a listed spelling (BOB, ROBERT)
	HowInitial             // an initial and a word beginning with it
	HowSkeleton            // consonant skeleton of a word written without vowels
	HowPhonetic            // Jaro-Winkler raised by Double Metaphone or NYSIIS agreement
	HowSimilar             // Jaro-Winkler, or edit distance for short words
)

var howNames = [...]string{"none", "exact", "icao-variant", "name-variant", "initial", "skeleton", "phonetic", "similar"}

// String names the way two words agree, as explanations print it.
func (h How) String() string {
	if int(h) < len(howNames) {
		return howNames[h]
	}
	return "unknown"
}

// MarshalText writes the name of h ("exact", "phonetic" ...), so that
// explanations serialise it as text.
func (h How) MarshalText() ([]byte, error) {
	if int(h) >= len(howNames) {
		return nil, fmt.Errorf("matcher: unknown How %d", uint8(h))
	}
	return []byte(howNames[h]), nil
}

// UnmarshalText reads a name MarshalText writes.
func (h *How) UnmarshalText(b []byte) error {
	for i, n := range howNames {
		if string(b) == n {
			*h = How(i)
			return nil
		}
	}
	return fmt.Errorf("matcher: unknown How %q", b)
}

// wordSim scores two words in [0,1]. It is symmetric. Two words that do
// not agree (a score under wordFloor) may get any score under wordFloor:
// callers treat all of them as 0, and baseSim saves the work of the
// exact figure.
func wordSim(x, y *wordInfo) (float64, How) {
	if x.text == y.text {
		return 1, HowExact
	}
	if len(x.text) == 1 || len(y.text) == 1 {
		if x.text[0] == y.text[0] {
			return simInitial, HowInitial
		}
		return 0, HowNone
	}
	s, h := wordSimOnce(x, y)
	if x.patronymic != y.patronymic && absInt(len(x.text)-len(y.text)) >= 2 {
		// A patronymic and a shorter name (SERGEYEVNA, SERGEI); words of
		// about one length are the same word, one of them misspelt
		// (IGOREIVCH) or with its particle joined (BENSALAH, BINSALAH).
		s *= patronymicFactor
	}
	if x.core != nil || y.core != nil {
		cx, cy := x, y
		if x.core != nil {
			cx = x.core
		}
		if y.core != nil {
			cy = y.core
		}
		if cs, ch := wordSimOnce(cx, cy); cs*coreFactor > s {
			if ch == HowExact {
				ch = HowSimilar
			}
			s, h = cs*coreFactor, ch
		}
	}
	return s, h
}

func wordSimOnce(x, y *wordInfo) (float64, How) {
	if x.text == y.text {
		return 1, HowExact
	}
	if x.unvowelled || y.unvowelled {
		best, how := 0.0, HowNone
		for _, a := range x.skels {
			for _, b := range y.skels {
				if s, h := skelSim(a, b); s > best {
					best, how = s, h
				}
			}
		}
		return best, how
	}
	if x.fold == y.fold {
		return simFold, HowFold
	}
	s, h := baseSim(x, y)
	if s < simGroup && sameGroup(x.groups, y.groups) {
		return simGroup, HowGroup
	}
	return s, h
}

func skelSim(a, b string) (float64, How) {
	if a == "" || b == "" {
		return 0, HowNone
	}
	if a == b {
		return simSkel, HowSkeleton
	}
	if len(a) >= 4 && len(b) >= 4 && editDistance(a, b, 1) <= 1 {
		return simSkelOne, HowSkeleton
	}
	return 0, HowNone
}

func phoneticAgree(x, y *wordInfo) bool {
	if x.dm1 == 0 || y.dm1 == 0 {
		return false
	}
	return x.dm1 == y.dm1 || x.dm1 == y.dm2 || (x.dm2 != 0 && (x.dm2 == y.dm1 || x.dm2 == y.dm2)) ||
		(x.nysiis != 0 && x.nysiis == y.nysiis)
}

// baseSim scores two different vowelled words of two letters or more. A
// score under wordFloor may come back as 0 instead of its exact figure
// (see wordSim).
func baseSim(x, y *wordInfo) (float64, How) {
	a, b := x.text, y.text
	if a > b {
		a, b = b, a
	}
	if p := sharedPrefix(x, y); p > 0 {
		// ABDULMALIK and ABDULKHALIQ share only "servant of": compare what
		// follows, so that the shared prefix does not lift the score.
		ra, rb := a[p:], b[p:]
		if ra > rb {
			ra, rb = rb, ra
		}
		j := jaroWinkler(ra, rb)
		if min(len(ra), len(rb)) <= 4 {
			if d := editDistance(ra, rb, 1); d == 1 {
				j = max(j, 0.84)
			}
		}
		return j, HowSimilar
	}
	phon := phoneticAgree(x, y)
	if min(len(a), len(b)) <= 4 {
		// Jaro-Winkler is loose on short words: use edit distance, with
		// one edit worth more in four letters than in three.
		d := editDistance(a, b, 2)
		long := max(len(a), len(b)) >= 4
		if d > 0 && romanFoldEqual(a, b) {
			// Korean and Chinese romanisations: CHO and JO, KIM and GIM.
			return 0.88, HowPhonetic
		}
		var e float64
		switch {
		case d == 1 && phon && long:
			e = 0.9
		case d == 1 && phon:
			e = 0.82
		case d == 1 && long:
			e = 0.84
		case d == 1:
			e = 0.75
		case d == 2 && phon:
			e = 0.8
		default:
			return 0, HowNone // min(jaroWinkler(a, b), 0.6) at the most
		}
		if phon {
			return e, HowPhonetic
		}
		return e, HowSimilar
	}
	// Jaro-Winkler alone is generous to words that share a prefix
	// (SARINA, SAINT; KOVAL, KOVALENKO): beyond phonetic agreement, two
	// words count as similar only within a few edits.
	maxLen := max(len(a), len(b))
	limit := 1
	switch {
	case maxLen >= 11:
		limit = 3
	case maxLen >= 6:
		limit = 2
	}
	if phon {
		limit += max(1, maxLen/4)
	}
	if d := editDistance(a, b, limit); d > limit {
		return 0, HowNone // min(jaroWinkler(a, b), wordFloor-0.01) at the most
	}
	j := jaroWinkler(a, b)
	if phon && j >= 0.6 {
		return j + (1-j)*0.5, HowPhonetic
	}
	return j, HowSimilar
}

// namePrefixes are joined prefixes that many different names share.
var namePrefixes = []string{"ABDUL", "ABU", "BINT", "BIN", "IBN", "UMM", "AL", "EL"}

// sharedPrefix returns the length of the first of namePrefixes both words
// start with, when both have at least three letters after it, or 0.
func sharedPrefix(x, y *wordInfo) int {
	if m := x.prefixes & y.prefixes; m != 0 {
		return len(namePrefixes[bits.TrailingZeros8(m)])
	}
	return 0
}

// prefixesOf returns the namePrefixes w starts with that leave at least
// three letters after them, a bit each in the order of namePrefixes.
func prefixesOf(w string) uint8 {
	var m uint8
	for i, p := range namePrefixes {
		if strings.HasPrefix(w, p) && len(w) >= len(p)+3 {
			m |= 1 << i
		}
	}
	return m
}

// romanFold folds the consonants that romanisations of Korean (McCune-
// Reischauer, Revised, and their mixtures) write differently at the start
// of a syllable: CH and J, K and G, P and B, T and D; and EO, U and OO.
func romanFoldEqual(a, b string) bool {
	var x, y [16]byte
	nx, ny := romanFold(a, &x), romanFold(b, &y)
	return nx == ny && x == y
}

func romanFold(w string, b *[16]byte) int {
	n := 0
	for i := 0; i < len(w) && n < len(b); i++ {
		c := w[i]
		switch {
		case i == 0 && c == 'C' && i+1 < len(w) && w[i+1] == 'H':
			c = 'J'
			i++
		case i == 0 && c == 'K':
			c = 'G'
		case i == 0 && c == 'P':
			c = 'B'
		case i == 0 && c == 'T':
			c = 'D'
		case c == 'E' && i+1 < len(w) && w[i+1] == 'O':
			continue
		case c == 'O' && i+1 < len(w) && w[i+1] == 'O':
			c = 'U'
			i++
		}
		b[n] = c
		n++
	}
	return n
}

// nameForm is one spelling of a name, ready to compare.
type nameForm struct {
	words []*wordInfo
	text  string // the words joined by spaces
}

func (n *nameForm) String() string { return n.text }

// nameForms returns the spellings of s as compared: one per
// transliteration scheme that gives a different result.
func nameForms(s string, kind Kind) []nameForm {
	sps := spellings(s)
	out := make([]nameForm, 0, len(sps))
	for _, sp := range sps {
		ws := structure(sp, kind)
		if len(ws) == 0 {
			continue
		}
		nf := nameForm{words: make([]*wordInfo, len(ws))}
		parts := make([]string, len(ws))
		for i, w := range ws {
			nf.words[i] = newWordInfo(w)
			parts[i] = w.text
		}
		nf.text = strings.Join(parts, " ")
		dup := false
		for _, o := range out {
			if o.text == nf.text {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, nf)
		}
	}
	return out
}

// sideWord is one word of a name as the name score sees it.
type sideWord struct {
	weight  float64 // its weight: length and rarity
	cost    float64 // the share of its weight it costs when only its name has unmatched words
	info    float64 // its information in bits
	initial bool
}

// pairing is the outcome of aligning two names' words.
type pairing struct {
	// score is the name score before commonness: the agreement of the
	// matched words over the weight of all words.
	score float64
	// bits is the information of the agreement: the sum of the pair
	// information of the matched words.
	bits    float64
	matched int
	// pairs[i] is the index of the b word matched to a word i, or -1.
	pairs [maxWords]int8
	sims  [maxWords]float64
	hows  [maxWords]How
}

// alignScratch holds the buffers of align so that it does not allocate.
type alignScratch struct {
	sim  [maxWords][maxWords]float64
	how  [maxWords][maxWords]How
	dp   [1 << 8]float64
	dp2  [1 << 8]float64
	from [maxWords][1 << 8]int8
	sa   [maxWords]sideWord
	sb   [maxWords]sideWord
}

// align scores two names of words a and b whose features are sa and sb:
// it fills the similarity matrix with wordSim and solves the alignment.
// The result is symmetric: align(b, a) gives the same score and bits.
func align(a, b []*wordInfo, sa, sb []sideWord, sc *alignScratch) pairing {
	var p pairing
	for i := range p.pairs {
		p.pairs[i] = -1
	}
	n, m := len(a), len(b)
	if n == 0 || m == 0 {
		return p
	}
	any := false
	for i := 0; i < n; i++ {
		for j := 0; j < m; j++ {
			s, h := wordSim(a[i], b[j])
			if s < wordFloor {
				s, h = 0, HowNone
			} else {
				any = true
			}
			sc.sim[i][j], sc.how[i][j] = s, h
		}
	}
	if !any {
		return p
	}
	assign(sa, sb, sc, &p)
	scorePairs(sa, sb, &p)
	return p
}

// assign fills p.pairs with a maximum-weight matching of sc.sim. Names of
// up to eight words on the shorter side are solved exactly by dynamic
// programming over subsets; longer ones greedily.
func assign(a, b []sideWord, sc *alignScratch, p *pairing) {
	n, m := len(a), len(b)
	// The value of a pair is its gain in num - λ·den (Dinkelbach's
	// method for a ratio) at the typical score of a hit: the agreement it
	// brings, less its weight in the denominator, plus the cost of the two
	// words left unmatched that it saves.
	const lambda = 0.9
	val := func(i, j int) float64 {
		s := sc.sim[i][j]
		if s <= 0 {
			return 0
		}
		wa, wb := a[i].weight, b[j].weight
		return (s-lambda)*(wa+wb) + lambda*(a[i].cost*wa+b[j].cost*wb)
	}
	if n > 8 && m > 8 {
		usedB := uint32(0)
		for {
			bi, bj, bv := -1, -1, 0.0
			for i := 0; i < n; i++ {
				if p.pairs[i] >= 0 {
					continue
				}
				for j := 0; j < m; j++ {
					if usedB&(1<<j) == 0 && val(i, j) > bv {
						bi, bj, bv = i, j, val(i, j)
					}
				}
			}
			if bi < 0 {
				break
			}
			p.pairs[bi] = int8(bj)
			usedB |= 1 << bj
		}
		fillPairSims(sc, p, n)
		return
	}
	// Subsets of the smaller side; iterate over the larger side.
	small, large := n, m
	transposed := false
	if n > 8 {
		small, large = m, n
		transposed = true
	}
	get := func(s, l int) float64 {
		if transposed {
			return val(l, s)
		}
		return val(s, l)
	}
	full := 1 << small
	dp := sc.dp[:full]
	for k := range dp {
		dp[k] = -1
	}
	dp[0] = 0
	for l := 0; l < large; l++ {
		nd := sc.dp2[:full]
		copy(nd, dp)
		from := &sc.from[l]
		for k := 0; k < full; k++ {
			from[k] = -1
		}
		for mask := 0; mask < full; mask++ {
			if dp[mask] < 0 {
				continue
			}
			for s := 0; s < small; s++ {
				if mask&(1<<s) != 0 {
					continue
				}
				v := get(s, l)
				if v <= 0 {
					continue
				}
				nm := mask | 1<<s
				if cand := dp[mask] + v; cand > nd[nm] {
					nd[nm] = cand
					from[nm] = int8(s)
				}
			}
		}
		copy(dp, nd)
	}
	best := 0
	for mask := 1; mask < full; mask++ {
		if dp[mask] > dp[best] {
			best = mask
		}
	}
	// Walk back: for each l from the last, see whether it added a small index.
	mask := best
	for l := large - 1; l >= 0 && mask != 0; l-- {
		s := sc.from[l][mask]
		if s < 0 {
			continue
		}
		// from[l][mask] records the last update of nd[mask] at step l; it is
		// valid only if the value came from that step.
		if transposed {
			p.pairs[l] = int8(s)
		} else {
			p.pairs[s] = int8(l)
		}
		mask &^= 1 << s
	}
	fillPairSims(sc, p, n)
}

func fillPairSims(sc *alignScratch, p *pairing, n int) {
	for i := 0; i < n; i++ {
		if j := p.pairs[i]; j >= 0 {
			p.sims[i], p.hows[i] = sc.sim[i][j], sc.how[i][j]
		}
	}
}

// scorePairs turns a word assignment into the name score before
// commonness and the information of the agreement: the agreement of
// matched words weighted by their weights, over the weight of all words,
// where an unmatched word costs its cost share of its weight when only one
// side has unmatched words and its full weight when both do. Fewer than two
// agreeing words (one when both names have one word), or agreement only of
// initials with the words they begin (J R for JOHN ROBERT), caps the score
// at lowMatchCap.
func scorePairs(a, b []sideWord, p *pairing) {
	var num, den, ua, ub, extra, bits float64
	usedB := uint32(0)
	na, nb, full := 0, 0, 0
	p.matched = 0
	for i := range a {
		j := p.pairs[i]
		if j < 0 {
			ua += a[i].weight
			extra += a[i].weight * a[i].cost
			na++
			continue
		}
		usedB |= 1 << j
		w := a[i].weight + b[j].weight
		num += p.sims[i] * w
		den += w
		bits += pairInfo(a[i].info, b[j].info, p.sims[i])
		p.matched++
		if a[i].initial == b[j].initial {
			full++ // not an initial standing for a word
		}
	}
	for j := range b {
		if usedB&(1<<j) == 0 {
			ub += b[j].weight
			extra += b[j].weight * b[j].cost
			nb++
		}
	}
	need := 2
	if len(a) == 1 && len(b) == 1 {
		need = 1
	}
	switch {
	case na > 0 && nb > 0:
		den += ua + ub
	case p.matched >= 2:
		den += extra
	default:
		den += ua + ub
	}
	p.bits = bits
	if den == 0 {
		p.score = 0
		return
	}
	s := num / den
	if (p.matched < need || full == 0) && s > lowMatchCap {
		s = lowMatchCap
	}
	p.score = s
}
