package matcher

import "math"

// Rarity. How much two names agreeing says depends on how common their
// agreeing words are: two travellers called MUHAMMAD ALI agree with the
// many MUHAMMAD ALIs of a large list by chance, two called SERGEI SHOIGU do
// not. An index counts, per kind of name, the live records that hold each
// word of its vocabulary (and each name group, so that MOHAMMED counts the
// records of MUHAMMAD too). A word's share is its count smoothed towards a
// prior, as if the list held priorMass further names drawn from the
// priors:
//
//	share = (count + priorMass·prior) / (records + priorMass)
//
// where prior is priorCommon for the very common name words of the
// built-in table (commonWords) and priorOther for any other word. Its
// information is −log2(share) bits. Without a list (ScoreNames) the
// counts are zero and the prior alone decides.
//
// Information is used twice. A word weighs weightCommon (0.6) of its
// length weight when its share is 1% or more, its whole length weight at
// 0.1% or less, and in between linearly in bits; with the priors alone
// this gives the weights of the built-in table (0.6 for the common words,
// 1 for the rest). And the agreement of two names carries the information
// of its matched word pairs: the lesser of the two words' information,
// less fuzzBits for each unit of similarity under simFold (a fuzzy
// agreement happens by chance more often than an exact one). With n
// records, about n·2^−bits listed names agree that well by chance: the
// expected namesakes. When they exceed 2^−slackBits (one in 64), the name
// score loses penaltyPerBit per bit of the difference, at most maxPenalty:
// the commonness of the name. A date of birth, nationality and gender that
// agree carry information of their own (dobBits, natBits) and win back the
// commonness they explain, which is how a common name with the listed date
// of birth still reaches the referral threshold and the same name with
// another date of birth does not.
const (
	priorMass   = 1000.0
	priorCommon = 0.02
	priorOther  = 1e-4
	// infoInitial is the information of an initial: one letter in about
	// fifteen begins a name word.
	infoInitial = 3.9
	// infoCommon and infoRare bound the interpolation of word weights:
	// shares of 1% and 0.1%.
	infoCommon = 6.643856189774724 // log2(100)
	infoRare   = 9.965784284662087 // log2(1000)

	penaltyPerBit = 0.015
	slackBits     = 6
	maxPenalty    = 0.3
	fuzzBits      = 20
	// natBits is the information of an agreeing nationality. It is small:
	// a name already says much of where its bearer comes from.
	natBits = 1.0
)

// priorOf returns the prior share of a word.
func priorOf(text string, groups [2]uint16) float64 {
	if commonWords[text] || (groups[0] != 0 && commonWords[nameGroups[groups[0]-1][0]]) {
		return priorCommon
	}
	return priorOther
}

// logCount returns log2 of a word's smoothed count.
func logCount(count int32, prior float64) float64 {
	return math.Log2(float64(count) + priorMass*prior)
}

// rarity is what a score knows of a list: how many records of the kind it
// holds. logN is log2(n + priorMass), from which a word's information is
// logN − its logCount.
type rarity struct {
	n    int
	logN float64
	// logList is log2(n), or 0 without a list: the bits an agreement
	// needs before its expected namesakes fall under one.
	logList float64
}

func newRarity(n int) rarity {
	r := rarity{n: n, logN: math.Log2(float64(n) + priorMass)}
	if n > 0 {
		r.logList = math.Log2(float64(n))
	}
	return r
}

// noList is the rarity of ScoreNames: priors only, no commonness.
var noList = newRarity(0)

// info returns the information of a word from its logCount.
func (r *rarity) info(lc float64) float64 {
	return max(0, r.logN-lc)
}

// weightFactor scales a word's length weight by its information.
func weightFactor(info float64) float64 {
	switch {
	case info <= infoCommon:
		return weightCommon
	case info >= infoRare:
		return 1
	}
	return weightCommon + (1-weightCommon)*(info-infoCommon)/(infoRare-infoCommon)
}

// sideOf returns the features of a word for the score, given its
// information (ignored for initials).
func sideOf(wi *wordInfo, info float64) sideWord {
	if wi.initial {
		return sideWord{weight: weightInitial, cost: extraCost, info: infoInitial, initial: true}
	}
	c := extraCost
	if wi.patronymic {
		c = patronymicCost
	}
	return sideWord{weight: wi.base * weightFactor(info), cost: c, info: info}
}

// pairInfo is the information of two words agreeing with similarity s.
func pairInfo(a, b, s float64) float64 {
	x := min(a, b)
	if s < simFold {
		x -= (1 - s) * fuzzBits
	}
	return max(0, x)
}

// excessBits returns by how many bits an agreement carrying bits (and
// evidence carrying evBits) falls short of leaving fewer than 2^−slackBits
// namesakes in the list.
func (r *rarity) excessBits(bits, evBits float64) float64 {
	if r.n == 0 {
		return 0
	}
	return r.logList - bits - evBits + slackBits
}

// commonness is the score a name loses for an excess of bits.
func commonness(excess float64) float64 {
	if excess <= 0 {
		return 0
	}
	return min(maxPenalty, excess*penaltyPerBit)
}

// namesakes is the expected number of listed names that agree by chance
// as well as an agreement carrying bits.
func (r *rarity) namesakes(bits float64) float64 {
	if r.n == 0 {
		return 0
	}
	return math.Exp2(r.logList - bits)
}
