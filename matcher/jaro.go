package matcher

import "math/bits"

// jaroWinkler returns the same score as matchr.JaroWinkler(a, b, false),
// bit for bit, without allocating for strings of up to 64 bytes. The
// property test TestJaroWinklerEqualsMatchr holds it to that.
//
// matchr's variant has quirks that are kept on purpose: the match window is
// half the longer length minus one; the Winkler prefix (at most four
// characters) stops at a digit; the prefix bonus applies only above 0.7.
func jaroWinkler(a, b string) float64 {
	la, lb := len(a), len(b)
	if la == 0 || lb == 0 {
		return 0
	}
	if la > 64 || lb > 64 || !isASCII(a) || !isASCII(b) {
		return jaroWinklerRunes([]rune(a), []rune(b))
	}
	maxLen := max(la, lb)
	rng := maxLen/2 - 1
	if rng < 0 {
		rng = 0
	}
	var fa, fb uint64
	common := 0
	for i := 0; i < la; i++ {
		lo := 0
		if i >= rng {
			lo = i - rng
		}
		hi := i + rng
		if hi > lb-1 {
			hi = lb - 1
		}
		c := a[i]
		for j := lo; j <= hi; j++ {
			if fb&(1<<uint(j)) == 0 && b[j] == c {
				fb |= 1 << uint(j)
				fa |= 1 << uint(i)
				common++
				break
			}
		}
	}
	if common == 0 {
		return 0
	}
	trans := 0
	for fa != 0 {
		i, j := bits.TrailingZeros64(fa), bits.TrailingZeros64(fb)
		if a[i] != b[j] {
			trans++
		}
		fa &= fa - 1
		fb &= fb - 1
	}
	trans /= 2
	d := jaroOf(common, trans, la, lb)
	if d <= 0.7 {
		return d
	}
	p := 0
	for lim := min(maxLen, 4, la, lb); p < lim && a[p] == b[p] && !isDigit(a[p]); p++ {
	}
	return winkler(d, p)
}

func isDigit[T byte | rune](c T) bool { return c >= '0' && c <= '9' }

func jaroOf(common, trans, la, lb int) float64 {
	d := float64(common)/float64(la) +
		float64(common)/float64(lb) +
		(float64(common-trans))/float64(common)
	d /= 3.0
	return d
}

// winkler adds matchr's prefix bonus for a common prefix of p characters
// to the Jaro score d (above 0.7).
func winkler(d float64, p int) float64 {
	if p > 0 {
		d += float64(p) * 0.1 * (1.0 - d)
	}
	return d
}

// jaroWinklerRunes is jaroWinkler for long or non-ASCII strings.
func jaroWinklerRunes(r1, r2 []rune) float64 {
	l1, l2 := len(r1), len(r2)
	if l1 == 0 || l2 == 0 {
		return 0
	}
	maxLen := max(l1, l2)
	rng := maxLen/2 - 1
	if rng < 0 {
		rng = 0
	}
	f1 := make([]bool, l1)
	f2 := make([]bool, l2)
	common := 0
	for i := 0; i < l1; i++ {
		lo := 0
		if i >= rng {
			lo = i - rng
		}
		hi := i + rng
		if hi > l2-1 {
			hi = l2 - 1
		}
		for j := lo; j <= hi; j++ {
			if !f2[j] && r2[j] == r1[i] {
				f2[j], f1[i] = true, true
				common++
				break
			}
		}
	}
	if common == 0 {
		return 0
	}
	trans, k := 0, 0
	for i := 0; i < l1; i++ {
		if !f1[i] {
			continue
		}
		j := k
		for ; j < l2; j++ {
			if f2[j] {
				k = j + 1
				break
			}
		}
		if r1[i] != r2[j] {
			trans++
		}
	}
	trans /= 2
	d := jaroOf(common, trans, l1, l2)
	if d <= 0.7 {
		return d
	}
	p := 0
	for lim := min(maxLen, 4, l1, l2); p < lim && r1[p] == r2[p] && !isDigit(r1[p]); p++ {
	}
	return winkler(d, p)
}

// editDistance returns the optimal string alignment distance (Levenshtein
// with adjacent transpositions) between two short ASCII words, or limit+1
// when it exceeds limit. Words longer than 31 bytes always exceed it.
//
// It runs the distance table a column at a time, each column a few
// operations on bit vectors over a's positions (Hyyrö's bit-parallel
// form of the table, with transpositions): a bit of vp (vn) says the
// table goes up (down) by one from the position above it.
func editDistance(a, b string, limit int) int {
	la, lb := len(a), len(b)
	if d := la - lb; d > limit || -d > limit {
		return limit + 1
	}
	if la > 31 || lb > 31 {
		return limit + 1
	}
	if la == 0 {
		return lb // at most limit
	}
	// peq[c-'@'] has the bit of each position of a holding c, for the
	// bytes '@' to '_' (the capitals); other bytes are looked for in a.
	var peq [32]uint32
	for i := 0; i < la; i++ {
		if c := a[i] - '@'; c < 32 {
			peq[c] |= 1 << i
		}
	}
	vp, vn := uint32(1)<<la-1, uint32(0)
	var d0, pmPrev uint32
	last := uint32(1) << (la - 1)
	dist := la
	for j := 0; j < lb; j++ {
		var pm uint32
		if c := b[j] - '@'; c < 32 {
			pm = peq[c]
		} else {
			for i := 0; i < la; i++ {
				if a[i] == b[j] {
					pm |= 1 << i
				}
			}
		}
		tr := ((^d0 & pm) << 1) & pmPrev
		d0 = (((pm & vp) + vp) ^ vp) | pm | vn | tr
		hp := vn | ^(d0 | vp)
		hn := d0 & vp
		switch {
		case hp&last != 0:
			dist++
		case hn&last != 0:
			dist--
		}
		// Each column left lowers the distance by one at the most.
		if dist-(lb-1-j) > limit {
			return limit + 1
		}
		x := hp<<1 | 1
		vn = x & d0
		vp = hn<<1 | ^(x | d0)
		pmPrev = pm
	}
	return min(dist, limit+1)
}
