package matcher

import (
	"context"
	"slices"
)

// DefaultWarmWords is how many words the engine warms after a start: half
// the cache, the most frequent listed words.
const DefaultWarmWords = maxMatchCache / 2

// warmBatch is how many words Warm looks up under one hold of the read
// lock, so that a writer never waits long.
const warmBatch = 64

// Warm fills the cache of word matches (which listed words agree with a
// word, and how well) for the listed words that most names are made of,
// the most frequent first, up to limit words and at most half the cache. A
// query word whose matches are not cached costs a search tens of
// microseconds to look up; after a start every word is uncached, so the
// first queries are the slowest. Warm takes the read lock a few words at a
// time: searches and updates go on meanwhile. It returns how many words it
// looked up, and ctx's error if ctx ended first. Scores are the same warm
// or not.
func (ix *Index) Warm(ctx context.Context, limit int) (int, error) {
	limit = max(0, min(limit, maxMatchCache/2))
	ix.mu.RLock()
	type wc struct {
		v uint32
		c int32
	}
	order := make([]wc, 0, len(ix.words))
	for v := range ix.words {
		if c := ix.count[Person][v] + ix.count[Organization][v]; c > 0 {
			order = append(order, wc{uint32(v), c})
		}
	}
	ix.mu.RUnlock()
	slices.SortFunc(order, func(a, b wc) int { return int(b.c - a.c) })
	order = order[:min(len(order), limit)]

	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	sc.ctx, sc.bounded = nil, false
	done := 0
	for i := 0; i < len(order); i += warmBatch {
		if err := ctx.Err(); err != nil {
			return done, err
		}
		ix.mu.RLock()
		sc.fit(ix)
		for _, o := range order[i:min(i+warmBatch, len(order))] {
			w := ix.words[o.v]
			if e := ix.matches.get(w); e != nil && e.vocabLen == len(ix.words) {
				continue
			}
			if _, err := ix.matchWord(w, sc); err != nil {
				ix.mu.RUnlock()
				return done, err
			}
			done++
		}
		ix.mu.RUnlock()
	}
	return done, nil
}
