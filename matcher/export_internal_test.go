package matcher

// BruteForce scores every record of the index against q, without the
// candidate stage, for the recall test. It is compiled into tests only.
func (ix *Index) BruteForce(p *Prepared, opts SearchOptions) []Match {
	opts = opts.withDefaults()
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	sc.bounded = false
	sc.begin(ix, p, opts)
	sc.exhaustive = true
	defer func() { sc.exhaustive = false }()
	for fi := range p.forms {
		sc.words, sc.fi, sc.hasInitial = p.forms[fi].words, fi, false
		sc.cache.reset()
		for i, w := range sc.words {
			sc.side[i] = sideOf(w, sc.rar.info(ix.logCountOf(p.kind, w)))
		}
		for r := range ix.recs {
			if ix.recs[r].live && ix.recs[r].kind == p.kind {
				ix.scoreRecord(uint32(r), ix.years[r], sc)
			}
		}
		sc.endForm()
	}
	var out []Match
	best := map[uint32]hit{}
	for _, h := range sc.hits {
		if b, ok := best[h.rec]; !ok || h.score > b.score {
			best[h.rec] = h
		}
	}
	for _, h := range best {
		out = append(out, ix.explain(p, h, sc))
	}
	return out
}

// SearchStats runs a search and returns how many postings entries it
// walked, how many records it read and how many names it scored.
func (ix *Index) SearchStats(p *Prepared, opts SearchOptions) (walked, touched, scored int) {
	opts = opts.withDefaults()
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	sc.bounded = false
	sc.begin(ix, p, opts)
	for fi := range p.forms {
		_ = ix.searchForm(p, fi, sc)
		sc.endForm()
	}
	return sc.nWalked, sc.nTouched, sc.nScored
}
