// Package mix makes the travellers that Portcullis's load generator sends:
// clean travellers, true hits derived from watchlist entries, and near
// misses, in given proportions, deterministically from a seed.
//
//   - A clean traveller is fixtures' CleanTraveller: a realistic name not
//     derived from any entry (it may still share a common name with one, as
//     real travellers do).
//   - A hit is fixtures' HitTraveller of a target entry: one of its names
//     with the changes real data shows (typos, swapped order, dropped
//     middle names, initials, transliteration, particles), its nationality,
//     a date of birth within its own, and sometimes its listed document.
//   - A near miss starts as a hit and is pushed to the edge: two or three
//     letters of the name are wrong, or the first given name is another
//     person's, and the date of birth and the document are a clean
//     traveller's. Near misses are the borderline cases that cost a matcher
//     the most work; about half score above the refer threshold.
//
// Sample(i) depends only on the seed, the weights, the targets and i, so
// a pool of bodies can be built in parallel and a run repeated exactly.
package mix

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/bordersec/portcullis/fixtures"
	"github.com/bordersec/portcullis/screening"
)

// Kind is what a sample is meant to be.
type Kind uint8

// The kinds of sample.
const (
	Clean Kind = iota // not on any list
	Hit               // derived from a target entry: should be referred or denied
	Near              // a target entry's name pushed to the edge of matching
)

// Kinds lists the kinds in order.
var Kinds = [...]Kind{Clean, Hit, Near}

// String returns "clean", "hit" or "near".
func (k Kind) String() string {
	switch k {
	case Clean:
		return "clean"
	case Hit:
		return "hit"
	case Near:
		return "near"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Weights are the proportions of the kinds. Only their ratios matter:
// {90, 5, 5} and {18, 1, 1} are the same mix.
type Weights struct {
	Clean, Hit, Near int
}

// DefaultWeights is a gate's day with a heavy list: 90% clean, 5% hits,
// 5% near misses.
var DefaultWeights = Weights{Clean: 90, Hit: 5, Near: 5}

// ParseWeights reads weights written as "clean=90,hit=5,near=5". A kind left
// out weighs 0.
func ParseWeights(s string) (Weights, error) {
	var w Weights
	seen := map[string]bool{}
	for item := range strings.SplitSeq(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		name, val, ok := strings.Cut(item, "=")
		name = strings.TrimSpace(name)
		if !ok {
			return Weights{}, fmt.Errorf("%w: %q: want kind=weight", ErrWeights, item)
		}
		n, err := strconv.Atoi(strings.TrimSpace(val))
		if err != nil || n < 0 || n > 1_000_000 {
			return Weights{}, fmt.Errorf("%w: %q: the weight must be a whole number from 0 to 1000000", ErrWeights, item)
		}
		if seen[name] {
			return Weights{}, fmt.Errorf("%w: %q given twice", ErrWeights, name)
		}
		seen[name] = true
		switch name {
		case "clean":
			w.Clean = n
		case "hit":
			w.Hit = n
		case "near":
			w.Near = n
		default:
			return Weights{}, fmt.Errorf("%w: unknown kind %q: want clean, hit or near", ErrWeights, name)
		}
	}
	if err := w.validate(); err != nil {
		return Weights{}, err
	}
	return w, nil
}

func (w Weights) validate() error {
	if w.Clean < 0 || w.Hit < 0 || w.Near < 0 {
		return fmt.Errorf("%w: negative weight", ErrWeights)
	}
	if w.Clean+w.Hit+w.Near == 0 {
		return fmt.Errorf("%w: all weights are 0", ErrWeights)
	}
	return nil
}

// String writes the weights as ParseWeights reads them.
func (w Weights) String() string {
	return fmt.Sprintf("clean=%d,hit=%d,near=%d", w.Clean, w.Hit, w.Near)
}

// Fraction returns the share of kind k in the mix.
func (w Weights) Fraction(k Kind) float64 {
	total := w.Clean + w.Hit + w.Near
	if total == 0 {
		return 0
	}
	switch k {
	case Clean:
		return float64(w.Clean) / float64(total)
	case Hit:
		return float64(w.Hit) / float64(total)
	case Near:
		return float64(w.Near) / float64(total)
	}
	return 0
}

// Sample is one traveller of the mix.
type Sample struct {
	Kind      Kind
	Traveller screening.Traveller
	// Entry is "list/id" of the entry a hit or near miss was derived from;
	// "" for a clean traveller.
	Entry string
	// Labels say how the traveller was derived: fixtures' Label constants
	// for hits, and for near misses one of the Near* labels after them.
	Labels []string
}

// The labels of the change that makes a near miss of a hit. The changes
// were chosen so that near misses score around the matcher's refer
// threshold (0.85): with the matcher of 2026-11, letters wrong give a median
// name score of about 0.87 to 0.91 and a first name replaced about 0.6,
// against 0.97 for hits.
const (
	// NearLetters: two letters of the longest word are wrong.
	NearLetters = "near:letters"
	// NearTypos: three letters are wrong, two of them in the longest word
	// and one in another word.
	NearTypos = "near:typos"
	// NearOtherFirst: the first given name is a clean traveller's; the
	// other names are the entry's.
	NearOtherFirst = "near:other_first"
	// NearOtherFamily: the family name is a clean traveller's, when the
	// name has no word long enough to misspell.
	NearOtherFamily = "near:other_family"
)

// Mix draws samples. It is immutable after New and safe for concurrent use.
type Mix struct {
	seed    uint64
	w       Weights
	gen     *fixtures.Generator
	targets []*screening.Entry
	cut     [2]int // kind thresholds on a draw in [0, total)
	total   int
}

// New returns a Mix of the given weights whose hits and near misses are
// derived from targets (see Targets). Targets may be empty only when the
// hit and near weights are 0.
func New(seed uint64, w Weights, targets []*screening.Entry) (*Mix, error) {
	if err := w.validate(); err != nil {
		return nil, err
	}
	if (w.Hit > 0 || w.Near > 0) && len(targets) == 0 {
		return nil, ErrNoTargets
	}
	m := &Mix{seed: seed, w: w, gen: fixtures.NewGenerator(seed), targets: targets}
	m.cut = [2]int{w.Clean, w.Clean + w.Hit}
	m.total = w.Clean + w.Hit + w.Near
	return m, nil
}

// Weights returns the mix's weights.
func (m *Mix) Weights() Weights { return m.w }

// Targets returns the number of entries hits are derived from.
func (m *Mix) Targets() int { return len(m.targets) }

// maxTries bounds the search for a target whose derived traveller the
// server accepts.
const maxTries = 16

// Sample returns sample number i. Its kind is drawn with the mix's weights;
// the traveller is normalised and passes screening.ValidateTraveller, so a
// server answers it with a decision, never a 400.
func (m *Mix) Sample(i int) Sample {
	r := rand.New(rand.NewPCG(m.seed^0x6d69785f6b696e64, uint64(i)))
	kind := Clean
	switch d := r.IntN(m.total); {
	case d >= m.cut[1]:
		kind = Near
	case d >= m.cut[0]:
		kind = Hit
	}
	if kind != Clean {
		for try := range maxTries {
			e := m.targets[r.IntN(len(m.targets))]
			var t screening.Traveller
			var labels []string
			if kind == Hit {
				t, labels = m.gen.HitTraveller(e, i*maxTries+try)
			} else {
				t, labels = m.near(r, e, i, try)
			}
			if ok := usable(&t); ok {
				return Sample{Kind: kind, Traveller: t, Entry: e.List + "/" + e.ID, Labels: labels}
			}
		}
		// No usable traveller from these targets (they may be all
		// organisations, or names the screening API refuses): send a clean
		// traveller rather than a request that fails.
	}
	t := m.gen.CleanTraveller(i)
	usable(&t)
	return Sample{Kind: Clean, Traveller: t}
}

// usable normalises t and reports whether the screening API accepts it. A
// document the API refuses is dropped rather than the traveller.
func usable(t *screening.Traveller) bool {
	t.Normalize()
	if t.FullName() == "" {
		return false
	}
	if err := screening.ValidateTraveller(t); err != nil && t.Document != nil {
		t.Document = nil
		return screening.ValidateTraveller(t) == nil
	} else if err != nil {
		return false
	}
	return true
}

// near makes a near miss of entry e: a hit pushed to the edge, with a
// clean traveller's date of birth and document, so that only the name can
// make it a hit.
func (m *Mix) near(r *rand.Rand, e *screening.Entry, i, try int) (screening.Traveller, []string) {
	t, labels := m.gen.HitTraveller(e, i*maxTries+try)
	// A clean traveller from a range of indexes no clean sample uses.
	c := m.gen.CleanTraveller(1<<40 + i*maxTries + try)
	t.BirthDate = c.BirthDate
	t.Document = c.Document
	given, family := splitTraveller(&t)
	cGiven, cFamily := splitTraveller(&c)
	how := ""
	switch d := r.IntN(5); {
	case d < 2:
		if misspellLongest(r, given, family, false) {
			how = NearLetters
		}
	case d < 4:
		if misspellLongest(r, given, family, true) {
			how = NearTypos
		}
	default:
		if len(given) > 0 && len(cGiven) > 0 && given[0] != cGiven[0] {
			given[0] = cGiven[0]
			how = NearOtherFirst
		}
	}
	if how == "" {
		// Nothing to misspell or no first name to change: another family.
		family, how = cFamily, NearOtherFamily
	}
	setName(&t, given, family)
	return t, append(labels, how)
}

// splitTraveller returns the given names and the family name of t: its
// fields, or its full name read as given names then the last word.
func splitTraveller(t *screening.Traveller) (given, family []string) {
	if t.Name == "" {
		return strings.Fields(t.GivenNames), strings.Fields(t.Surname)
	}
	w := strings.Fields(t.Name)
	if len(w) <= 1 {
		return nil, w
	}
	return w[: len(w)-1 : len(w)-1], w[len(w)-1:]
}

// setName writes the name back in the form t had.
func setName(t *screening.Traveller, given, family []string) {
	if t.Name != "" {
		t.Name = strings.Join(append(append([]string(nil), given...), family...), " ")
		return
	}
	t.GivenNames, t.Surname = strings.Join(given, " "), strings.Join(family, " ")
}

// misspellLongest gets two letters of the longest word of four letters or
// more wrong (never its first) and, with another, one letter of another
// such word when there is one. It reports false when there is no such word.
func misspellLongest(r *rand.Rand, given, family []string, another bool) bool {
	type pos struct {
		list []string
		k    int
	}
	var words []pos
	for _, l := range [][]string{given, family} {
		for k, w := range l {
			if len(w) >= 4 && isUpperASCII(w) {
				words = append(words, pos{l, k})
			}
		}
	}
	if len(words) == 0 {
		return false
	}
	longest := 0
	for n, p := range words {
		if len(p.list[p.k]) > len(words[longest].list[words[longest].k]) {
			longest = n
		}
	}
	p := words[longest]
	p.list[p.k] = misspell(r, p.list[p.k], 2)
	if another && len(words) > 1 {
		other := r.IntN(len(words) - 1)
		if other >= longest {
			other++
		}
		q := words[other]
		q.list[q.k] = misspell(r, q.list[q.k], 1)
	}
	return true
}

// misspell replaces n letters of w, at distinct positions after the
// first, by other letters.
func misspell(r *rand.Rand, w string, n int) string {
	b := []byte(w)
	done := map[int]bool{}
	for len(done) < n && len(done) < len(b)-1 {
		at := 1 + r.IntN(len(b)-1)
		if done[at] {
			continue
		}
		done[at] = true
		c := byte('A' + r.IntN(25))
		if c >= b[at] {
			c++ // any letter but the one there
		}
		b[at] = c
	}
	return string(b)
}

func isUpperASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}
