package matcher

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"sync"
)

// AlgorithmVersion names the scoring algorithm. It changes whenever a
// change to normalisation, tables, similarity, evidence or thresholds can
// change a score, so that stored decisions say which algorithm made them.
//
// portcullis-matcher/3 scores as /2 except names cut by an MRZ
// (Query.Truncated).
const AlgorithmVersion = "portcullis-matcher/3"

// Default thresholds on the final score (name score plus evidence). See
// the package documentation for how the accuracy harness chose them.
const (
	// DefaultReferThreshold is the score from which a hit is reported for
	// referral to an officer.
	DefaultReferThreshold = 0.85
	// DefaultStrongThreshold is the name score from which a hit is a
	// strong match, when no evidence contradicts it: the names agree word
	// for word (up to spelling variants) and are not common.
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
	// Truncated says that the last word of the name may be cut short: the
	// name comes from an MRZ whose name field is full to its last
	// character. The name is then also searched with the last word of
	// Given (of Family when Given is empty, of Name when Name is given:
	// give Name in the MRZ's order) cut to its initial, or left out after
	// a particle; a record keeps its better score of the two.
	Truncated bool
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
	Query  string  `json:"query"`
	Listed string  `json:"listed"`
	Score  float64 `json:"score"`
	How    How     `json:"how"`
}

// Explanation says why a name matched: which spellings were compared, how
// their words were aligned and scored, how common the agreeing words are,
// and each piece of evidence.
type Explanation struct {
	// QueryName is the query name as compared (normalised).
	QueryName string `json:"query_name"`
	// ListedName is the listed name as compared (normalised,
	// transliterated).
	ListedName string `json:"listed_name"`
	// NameIndex is the index in Record.Names of the listed name.
	NameIndex int        `json:"name_index"`
	Weak      bool       `json:"weak"` // the listed name is a weak alias
	Words     []WordPair `json:"words"`
	// Namesakes is the number of listed names expected to agree with the
	// query as well as this one by chance alone, from how common the
	// agreeing words are in the index (0 when no list is involved).
	Namesakes float64 `json:"namesakes"`
	// Commonness is what the name score lost because of those namesakes
	// (see the package documentation); evidence that agrees wins some of
	// it back, as its effect shows.
	Commonness float64    `json:"commonness"`
	NameScore  float64    `json:"name_score"`
	Evidence   []Evidence `json:"evidence"`
	Score      float64    `json:"score"`
	Algorithm  string     `json:"algorithm"`
}

// MarshalJSON writes an explanation with its evidence as a list, empty
// rather than null when there is none, for clients that iterate it.
func (e Explanation) MarshalJSON() ([]byte, error) {
	type plain Explanation
	if e.Evidence == nil {
		e.Evidence = []Evidence{}
	}
	return json.Marshal(plain(e))
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
	if e.Commonness > 0 {
		fmt.Fprintf(&b, " common: %.3g namesakes (-%.2f)", e.Namesakes, e.Commonness)
	}
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
	NameScore float64 // name score in [0,1], commonness included
	// Strong reports a match a decision may rest on alone: the name score
	// itself reaches the strong threshold and no evidence contradicts it
	// (none has a negative effect). Evidence lifting a weaker name over
	// the line does not make a match strong.
	Strong bool
	// Explanation says which names met and why.
	Explanation Explanation
}

var alignPool = sync.Pool{New: func() any { return new(alignScratch) }}

// wordRarity gives the logCount of a word: from an index's counts, or
// from the word's prior alone.
type wordRarity func(w *wordInfo) float64

func priorLogCount(w *wordInfo) float64 { return logCount(0, w.prior) }

// formScore is the outcome of scoring two sets of spellings.
type formScore struct {
	p         pairing
	ai, bi    int
	swapped   bool
	nameScore float64
	common    float64
}

// scoreForms returns the best pairing of two sets of spellings, by name
// score after commonness, and which spellings gave it. The orientation of
// each comparison is fixed by the spellings' text so that the score does
// not depend on argument order.
func scoreForms(a, b []nameForm, rar *rarity, lc wordRarity, sc *alignScratch) formScore {
	best := formScore{nameScore: -1}
	for i := range a {
		for j := range b {
			x, y, sw := a[i].words, b[j].words, false
			if a[i].text > b[j].text {
				x, y, sw = y, x, true
			}
			sa, sb := sc.sa[:len(x)], sc.sb[:len(y)]
			for k, w := range x {
				sa[k] = sideOf(w, rar.info(lc(w)))
			}
			for k, w := range y {
				sb[k] = sideOf(w, rar.info(lc(w)))
			}
			p := align(x, y, sa, sb, sc)
			c := commonness(rar.excessBits(p.bits, 0))
			ns := clamp01(p.score - c)
			if ns > best.nameScore {
				best = formScore{p: p, ai: i, bi: j, swapped: sw, nameScore: ns, common: c}
			}
		}
	}
	if best.nameScore < 0 {
		best.nameScore = 0
	}
	return best
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
// score), independent of word order, and made without a list: word
// rarity comes from the built-in table of very common name words, and
// there is no commonness (Index.ScoreNames scores against a list). A name
// without a letter or digit scores 0.
func ScoreNames(a, b string, kind Kind) (float64, Explanation) {
	return scoreNames(a, b, kind, &noList, priorLogCount)
}

func scoreNames(a, b string, kind Kind, rar *rarity, lc wordRarity) (float64, Explanation) {
	fa, fb := nameForms(a, kind), nameForms(b, kind)
	ex := Explanation{Algorithm: AlgorithmVersion}
	if len(fa) == 0 || len(fb) == 0 {
		return 0, ex
	}
	sc := alignPool.Get().(*alignScratch)
	fs := scoreForms(fa, fb, rar, lc, sc)
	alignPool.Put(sc)
	x, y := fa[fs.ai].words, fb[fs.bi].words
	if fs.swapped {
		x, y = y, x
	}
	ex.QueryName, ex.ListedName = fa[fs.ai].text, fb[fs.bi].text
	ex.Words = wordPairs(x, y, &fs.p, fs.swapped)
	if fs.common > 0 {
		ex.Namesakes = roundSig(rar.namesakes(fs.p.bits))
		ex.Commonness = round3(fs.common)
	}
	ex.NameScore = round3(fs.nameScore)
	ex.Score = ex.NameScore
	return fs.nameScore, ex
}

// roundSig rounds x to three significant digits, for explanations.
func roundSig(x float64) float64 {
	if x == 0 || math.IsInf(x, 0) || math.IsNaN(x) {
		return x
	}
	e := math.Pow(10, 2-math.Floor(math.Log10(math.Abs(x))))
	return math.Round(x*e) / e
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
