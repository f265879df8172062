package matcher

import (
	"fmt"
	"math"
	"strings"
	"sync"
)

// AlgorithmVersion names the scoring algorithm. It changes whenever a
// change to normalisation, tables, similarity, evidence or thresholds can
// change a score, so that stored decisions say which algorithm made them.
const AlgorithmVersion = "portcullis-matcher/1"

// Default thresholds on the final score (name score plus evidence). See
// the package documentation for how the accuracy harness chose them.
const (
	// DefaultReferThreshold is the score from which a hit is reported for
	// referral to an officer.
	DefaultReferThreshold = 0.85
	// DefaultStrongThreshold is the score from which a hit is a strong
	// match: the names agree word for word (up to spelling variants) and
	// no evidence contradicts them.
	DefaultStrongThreshold = 0.95
)

// weakPenalty is subtracted from the name score of a weak alias ("low
// quality" in UN terms).
const weakPenalty = 0.05

// RecordName is one name of a listed entry: Full, or Given and Family. Weak
// marks a weak ("low quality") alias.
type RecordName struct {
	Full, Given, Family string
	Weak                bool
}

func (n RecordName) text() string {
	if n.Full != "" {
		return n.Full
	}
	return strings.TrimSpace(n.Given + " " + n.Family)
}

// Record is one listed entry as the index sees it.
type Record struct {
	// Key is the caller's identifier of the entry, e.g. "un/QDi.001".
	Key           string
	Kind          Kind
	Names         []RecordName
	BirthDates    []Date
	Nationalities []string // ISO 3166 alpha-3 or ICAO codes
	Gender        byte     // 'M', 'F', 'X' or 0 for unknown
}

// Query is a name to screen, with the evidence that comes with it.
type Query struct {
	Kind Kind
	// Name is the full name in any order and script; or leave it empty and
	// give Given and Family (as the MRZ's secondary and primary
	// identifiers).
	Name          string
	Given, Family string
	BirthDate     Date
	Nationality   string // ISO 3166 alpha-3 or ICAO code, or ""
	Gender        byte   // 'M', 'F', 'X' or 0
}

func (q *Query) text() string {
	if q.Name != "" {
		return q.Name
	}
	return strings.TrimSpace(q.Given + " " + q.Family)
}

// WordPair is one word of the query name and the listed word it was
// aligned with. An unmatched word has the other side empty and score 0.
type WordPair struct {
	Query, Listed string
	Score         float64
	How           How
}

// Explanation says why a name matched: which spellings were compared, how
// their words were aligned and scored, and each piece of evidence.
type Explanation struct {
	QueryName  string // the query name as compared (normalised)
	ListedName string // the listed name as compared (normalised, transliterated)
	// NameIndex is the index in Record.Names of the listed name.
	NameIndex int
	Weak      bool // the listed name is a weak alias
	Words     []WordPair
	NameScore float64
	Evidence  []Evidence
	Score     float64
	Algorithm string
}

// String writes the explanation on one line.
func (e *Explanation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%q ~ %q name %.3f", e.QueryName, e.ListedName, e.NameScore)
	if e.Weak {
		b.WriteString(" (weak alias)")
	}
	b.WriteString(" [")
	for i, w := range e.Words {
		if i > 0 {
			b.WriteString(", ")
		}
		q, l := w.Query, w.Listed
		if q == "" {
			q = "-"
		}
		if l == "" {
			l = "-"
		}
		fmt.Fprintf(&b, "%s=%s %.2f %s", q, l, w.Score, w.How)
	}
	b.WriteString("]")
	for _, ev := range e.Evidence {
		b.WriteString("; ")
		b.WriteString(ev.String())
	}
	fmt.Fprintf(&b, "; score %.3f (%s)", e.Score, e.Algorithm)
	return b.String()
}

// Match is one hit of a search.
type Match struct {
	Key       string
	Score     float64 // final score in [0,1]: name score plus evidence
	NameScore float64 // name score in [0,1]
	Strong    bool    // Score reached the strong threshold
	// Explanation says which names met and why.
	Explanation Explanation
}

var alignPool = sync.Pool{New: func() any { return new(alignScratch) }}

// scoreForms returns the best pairing of two sets of spellings and which
// spellings gave it. The orientation of each comparison is fixed by the
// spellings' text so that the score does not depend on argument order.
func scoreForms(a, b []nameForm, sc *alignScratch) (best pairing, ai, bi int, swapped bool) {
	best.score = -1
	for i := range a {
		for j := range b {
			x, y, sw := a[i].words, b[j].words, false
			if a[i].text > b[j].text {
				x, y, sw = y, x, true
			}
			p := align(x, y, sc)
			if p.score > best.score {
				best, ai, bi, swapped = p, i, j, sw
			}
		}
	}
	if best.score < 0 {
		best.score = 0
	}
	return best, ai, bi, swapped
}

// wordPairs lists the aligned words of x (query side) and y.
func wordPairs(x, y []*wordInfo, p *pairing, swapped bool) []WordPair {
	out := make([]WordPair, 0, max(len(x), len(y)))
	usedY := uint32(0)
	for i, w := range x {
		j := p.pairs[i]
		if j < 0 {
			out = append(out, WordPair{Query: w.text})
			continue
		}
		usedY |= 1 << j
		out = append(out, WordPair{Query: w.text, Listed: y[j].text, Score: round3(p.sims[i]), How: p.hows[i]})
	}
	for j, w := range y {
		if usedY&(1<<j) == 0 {
			out = append(out, WordPair{Listed: w.text})
		}
	}
	if swapped {
		for i := range out {
			out[i].Query, out[i].Listed = out[i].Listed, out[i].Query
		}
	}
	return out
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// ScoreNames compares two names of the given kind and returns their name
// score in [0,1] with its explanation. It is what `portcullis score`
// prints: symmetric (ScoreNames(a, b) and ScoreNames(b, a) give the same
// score), independent of word order, and equal to the name score Search
// gives for the same pair. A name without a letter or digit scores 0.
func ScoreNames(a, b string, kind Kind) (float64, Explanation) {
	fa, fb := nameForms(a, kind), nameForms(b, kind)
	ex := Explanation{Algorithm: AlgorithmVersion}
	if len(fa) == 0 || len(fb) == 0 {
		return 0, ex
	}
	sc := alignPool.Get().(*alignScratch)
	p, ai, bi, swapped := scoreForms(fa, fb, sc)
	alignPool.Put(sc)
	x, y := fa[ai].words, fb[bi].words
	if swapped {
		x, y = y, x
	}
	ex.QueryName, ex.ListedName = fa[ai].text, fb[bi].text
	ex.Words = wordPairs(x, y, &p, swapped)
	ex.NameScore = round3(p.score)
	ex.Score = ex.NameScore
	return p.score, ex
}
