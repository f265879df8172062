package matcher

// Fuzzy lookup keys. Every vocabulary word is filed under several keys;
// a query word looks up the same kinds of key and scores the words it
// finds. Two words that agree well enough to count (wordFloor) nearly
// always share a key: the same text or ICAO fold, one deletion each from a
// common string (edit distance one, or a swap of neighbours), a Double
// Metaphone or NYSIIS code, a consonant skeleton, a name group, or the same
// after dropping a particle. The recall test measures what is missed.

// Tags keep the kinds of key apart.
const (
	keyText byte = iota + 1
	keyDelete
	keyDM
	keyNYSIIS
	keySkel
	keyFold
	keyGroup
	keyBlockDM
	keyBlockSkel
	keyBlockText
	keyBlockLetter
	keyPair
)

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func hashStr(tag byte, s string) uint64 {
	h := uint64(fnvOffset)
	h ^= uint64(tag)
	h *= fnvPrime
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

// hashDel hashes s without its byte k.
func hashDel(s string, k int) uint64 {
	h := uint64(fnvOffset)
	h ^= uint64(keyDelete)
	h *= fnvPrime
	for i := 0; i < len(s); i++ {
		if i == k {
			continue
		}
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

func hashU64(tag byte, v uint64) uint64 {
	h := uint64(fnvOffset)
	h ^= uint64(tag)
	h *= fnvPrime
	for i := 0; i < 8; i++ {
		h ^= v & 0xff
		h *= fnvPrime
		v >>= 8
	}
	return h
}

// maxDeleteLen is the longest word whose deletion keys are made;
// minDelete2Len the shortest whose two-letter deletions are (words of
// six letters or more agree within two edits).
const (
	maxDeleteLen  = 24
	minDelete2Len = 6
)

// hashDel2 hashes s without its bytes k and l; it equals hashDel of the
// same string when one of them is out of range.
func hashDel2(s string, k, l int) uint64 {
	h := uint64(fnvOffset)
	h ^= uint64(keyDelete)
	h *= fnvPrime
	for i := 0; i < len(s); i++ {
		if i == k || i == l {
			continue
		}
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

// forEachKey calls f with each lookup key of a word (and of its core).
func forEachKey(wi *wordInfo, f func(uint64)) {
	forEachOwnKey(wi, f)
	if wi.core != nil {
		forEachOwnKey(wi.core, f)
	}
}

func forEachOwnKey(wi *wordInfo, f func(uint64)) {
	t := wi.text
	f(hashStr(keyText, t))
	if len(t) == 1 {
		return
	}
	if len(t) <= maxDeleteLen {
		for k := 0; k < len(t); k++ {
			if k > 0 && t[k] == t[k-1] {
				continue // same string as the previous deletion
			}
			f(hashDel(t, k))
		}
	}
	f(hashDel(t, -1))
	if len(t) >= minDelete2Len && len(t) <= maxDeleteLen {
		for k := 0; k < len(t); k++ {
			for l := k + 1; l < len(t); l++ {
				f(hashDel2(t, k, l))
			}
		}
	}
	if wi.fold != t {
		f(hashStr(keyFold, wi.fold))
	}
	if wi.dm1 != 0 {
		f(hashU64(keyDM, wi.dm1))
	}
	if wi.dm2 != 0 {
		f(hashU64(keyDM, wi.dm2))
	}
	if wi.nysiis != 0 {
		f(hashU64(keyNYSIIS, wi.nysiis))
	}
	for _, sk := range wi.skels {
		if len(sk) >= 2 {
			f(hashStr(keySkel, sk))
		}
	}
	for _, g := range wi.groups {
		if g != 0 {
			f(hashU64(keyGroup, uint64(g)))
		}
	}
}

// keyTable files vocabulary words under lookup keys: for each key, a chain
// of entries from the newest word to the oldest, in one flat array. It
// holds tens of millions of entries for a vocabulary of a million names,
// so it keeps no slice per key. An entry holds its word and the next one
// side by side: a lookup follows chains all over the array, one cache
// miss an entry.
type keyTable struct {
	head map[uint64]uint32 // key → 1 + index of its newest entry
	ents []keyEnt
}

type keyEnt struct {
	word uint32
	next uint32 // 1 + index of the next older entry, or 0
}

func newKeyTable() keyTable {
	return keyTable{head: make(map[uint64]uint32)}
}

// add files word v under key k, once.
func (t *keyTable) add(k uint64, v uint32) {
	h := t.head[k]
	if h != 0 && t.ents[h-1].word == v {
		return // a word's keys are added together: a repeat is the newest
	}
	t.ents = append(t.ents, keyEnt{word: v, next: h})
	t.head[k] = uint32(len(t.ents))
}
