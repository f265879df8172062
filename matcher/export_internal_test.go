package matcher

// BruteForce scores every record of the index against q, without the
// candidate stage, for the recall test. It is compiled into tests only.
func (ix *Index) BruteForce(p *Prepared, opts SearchOptions) []Match {
	opts = opts.withDefaults()
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	sc.hits = sc.hits[:0]
	sc.exhaustive = true
	defer func() { sc.exhaustive = false }()
	sc.ensure(len(ix.recs), len(ix.words))
	for fi := range p.forms {
		sc.resetRows()
		for r := range ix.recs {
			if ix.recs[r].live && ix.recs[r].kind == p.kind {
				ix.scoreRecord(uint32(r), p.forms[fi].words, fi, p, opts, sc)
			}
		}
		sc.resetRows()
	}
	var out []Match
	best := map[uint32]hit{}
	for _, h := range sc.hits {
		if b, ok := best[h.rec]; !ok || h.score > b.score {
			best[h.rec] = h
		}
	}
	for _, h := range best {
		out = append(out, ix.explain(p, h, opts, sc))
	}
	return out
}

// SearchStats runs a search and returns how many postings entries it
// walked, how many records it touched and how many it scored.
func (ix *Index) SearchStats(p *Prepared, opts SearchOptions) (walked, touched, scored int) {
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	opts = opts.withDefaults()
	sc.hits = sc.hits[:0]
	sc.nWalked, sc.nTouched, sc.nScored = 0, 0, 0
	for fi := range p.forms {
		ix.searchForm(p, fi, opts, sc)
	}
	return sc.nWalked, sc.nTouched, sc.nScored
}
