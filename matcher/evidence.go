package matcher

import (
	"fmt"
	"strings"
)

// Date is a date of birth that may be partial, with the meaning of
// screening.Date: an exact day (Year, Month, Day), a year and month, a year,
// or a range of years Year to ToYear (both included). The zero Date is
// unknown.
type Date struct {
	Year, Month, Day, ToYear int
}

// IsZero reports whether nothing of d is known.
func (d Date) IsZero() bool { return d == Date{} }

// String writes d as "1960-01-31", "1961-05", "1962" or "1960/1965", or
// "" when nothing is known.
func (d Date) String() string {
	switch {
	case d.IsZero():
		return ""
	case d.ToYear != 0:
		return fmt.Sprintf("%04d/%04d", d.Year, d.ToYear)
	case d.Day != 0:
		return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
	case d.Month != 0:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	}
	return fmt.Sprintf("%04d", d.Year)
}

// The effects of evidence on the score. They are small next to the name
// score: evidence confirms or weakens a name match, it does not make one
// (except that agreeing evidence wins back the commonness of a common
// name, see rarity.go). Dates of birth further apart count more against:
// a clear conflict (ten years or more) puts even an identical name under
// the referral threshold (1 - 0.20 + 0.03 < 0.85): namesakes that far
// apart in age are different people.
const (
	effDOBExact        = 0.05  // same day
	effDOBSwapped      = 0.03  // day and month swapped (03-04 for 04-03)
	effDOBMonth        = 0.03  // same year and month; listed month precision
	effDOBYear         = 0.02  // same year; listed year precision or within a narrow range
	effDOBRange        = 0.01  // within a listed range of years
	effDOBNearDay      = 0.01  // same day and month, year one or two apart (a typo)
	effDOBSameYear     = 0.0   // same year but another day: listed day precision
	effDOBOneYear      = -0.01 // one year apart
	effDOBFewYears     = -0.10 // two to four years apart
	effDOBSeveralYears = -0.15 // five to nine years apart
	effDOBConflict     = -0.20 // ten years or more apart: a clear conflict
	effNatMatch        = 0.02
	effNatMismatch     = -0.03
	effGenderMatch     = 0.01
	effGenderClash     = -0.08
)

// The information (bits) of dates of birth that agree, as far as their
// precision goes: a day in about sixty years of birth, a month, a year, a
// range. It wins back the commonness of a name (see rarity.go).
const (
	dobBitsDay   = 14
	dobBitsSwap  = 11
	dobBitsMonth = 9
	dobBitsYear  = 6
	dobBitsRange = 4
)

// dobBits returns the information of an agreement of dates of birth.
func (n dobNote) bits() float64 {
	switch n {
	case noteExact:
		return dobBitsDay
	case noteSwapped:
		return dobBitsSwap
	case noteSameYearMonth, noteNearDay:
		return dobBitsMonth
	case noteSameYear, noteWithinListedYears:
		return dobBitsYear
	case noteWithinListedRange, noteWithinQueryRange:
		return dobBitsRange
	}
	return 0
}

// maxDOBBits is the most information a query date of birth can carry.
func maxDOBBits(q Date) float64 {
	switch {
	case q.IsZero() || q.Year == 0:
		return 0
	case q.ToYear != 0:
		return dobBitsRange
	case q.Month == 0:
		return dobBitsYear
	case q.Day == 0:
		return dobBitsMonth
	}
	return dobBitsDay
}

// EvidenceKind names a kind of evidence beyond the name.
type EvidenceKind string

// The kinds of evidence.
const (
	EvidenceBirthDate   EvidenceKind = "birth_date"
	EvidenceNationality EvidenceKind = "nationality"
	EvidenceGender      EvidenceKind = "gender"
)

// Evidence is one piece of evidence beyond the name and its effect on the
// score.
type Evidence struct {
	Kind   EvidenceKind `json:"kind"`
	Query  string       `json:"query"`  // what the query says
	Listed string       `json:"listed"` // what the list says (the value that decided)
	// Effect is added to the name score: the effect of the evidence
	// itself, and for agreeing evidence the share of the name's
	// commonness it wins back (said in Note).
	Effect float64 `json:"effect"`
	Note   string  `json:"note"` // e.g. "exact", "day and month swapped", "10 or more years apart"
}

// String writes the evidence on one line.
func (e Evidence) String() string {
	return fmt.Sprintf("%s %s vs %s: %s (%+.2f)", e.Kind, e.Query, e.Listed, e.Note, e.Effect)
}

func absInt(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// yearGap returns how many years apart the query year y is from the listed
// date l (0 when inside a range).
func yearGap(y int, l Date) int {
	if l.ToYear != 0 {
		switch {
		case y < l.Year:
			return l.Year - y
		case y > l.ToYear:
			return y - l.ToYear
		}
		return 0
	}
	return absInt(y - l.Year)
}

// dobNote names how two dates of birth compare.
type dobNote uint8

const (
	noteSameYear dobNote = iota
	noteConflict
	noteYearsApart
	noteOneYear
	noteWithinListedYears
	noteWithinListedRange
	noteWithinQueryRange
	noteNearDay
	noteSameYearMonth
	noteSameYearOtherMonth
	noteExact
	noteSwapped
	noteSameMonthOtherDay
	noteSameYearOtherDay
)

var dobNotes = [...]string{
	noteSameYear:           "same year",
	noteConflict:           "10 or more years apart",
	noteOneYear:            "one year apart",
	noteWithinListedYears:  "within listed years",
	noteWithinListedRange:  "within listed range",
	noteWithinQueryRange:   "within query range",
	noteNearDay:            "same day and month, year differs",
	noteSameYearMonth:      "same year and month",
	noteSameYearOtherMonth: "same year, other month",
	noteExact:              "exact",
	noteSwapped:            "day and month swapped",
	noteSameMonthOtherDay:  "same year and month, other day",
	noteSameYearOtherDay:   "same year, other day",
}

func (n dobNote) text(gap int) string {
	if n == noteYearsApart {
		return fmt.Sprintf("%d years apart", gap)
	}
	return dobNotes[n]
}

func gapEffect(gap int) (float64, dobNote) {
	switch {
	case gap >= 10:
		return effDOBConflict, noteConflict
	case gap >= 5:
		return effDOBSeveralYears, noteYearsApart
	case gap >= 2:
		return effDOBFewYears, noteYearsApart
	case gap == 1:
		return effDOBOneYear, noteOneYear
	}
	return 0, noteSameYear
}

// compareDOB rates query date q against one listed date l.
func compareDOB(q, l Date) (float64, dobNote) {
	if l.ToYear != 0 {
		if g := yearGap(q.Year, l); g > 0 {
			return gapEffect(g)
		}
		if l.ToYear-l.Year <= 2 {
			return effDOBYear, noteWithinListedYears
		}
		return effDOBRange, noteWithinListedRange
	}
	if q.ToYear != 0 { // a query range: only years count
		g := 0
		switch {
		case l.Year < q.Year:
			g = q.Year - l.Year
		case l.Year > q.ToYear:
			g = l.Year - q.ToYear
		}
		if g > 0 {
			return gapEffect(g)
		}
		return effDOBRange, noteWithinQueryRange
	}
	if q.Year != l.Year {
		if q.Month != 0 && q.Day != 0 && q.Month == l.Month && q.Day == l.Day && absInt(q.Year-l.Year) <= 2 {
			return effDOBNearDay, noteNearDay
		}
		return gapEffect(absInt(q.Year - l.Year))
	}
	// Same year.
	switch {
	case l.Month == 0 || q.Month == 0:
		return effDOBYear, noteSameYear
	case l.Day == 0 || q.Day == 0:
		if q.Month == l.Month {
			return effDOBMonth, noteSameYearMonth
		}
		return effDOBSameYear, noteSameYearOtherMonth
	case q.Month == l.Month && q.Day == l.Day:
		return effDOBExact, noteExact
	case q.Month == l.Day && q.Day == l.Month:
		return effDOBSwapped, noteSwapped
	case q.Month == l.Month:
		return effDOBSameYear, noteSameMonthOtherDay
	}
	return effDOBSameYear, noteSameYearOtherDay
}

// bestDOB finds the listed date that agrees best with q (the closest on a
// tie). ok is false when there is nothing to compare.
func bestDOB(q Date, listed []Date) (eff float64, note dobNote, which, gap int, ok bool) {
	if q.IsZero() || q.Year == 0 {
		return 0, 0, 0, 0, false
	}
	eff, which = -1, -1
	for i, l := range listed {
		if l.IsZero() || l.Year == 0 {
			continue
		}
		e, n := compareDOB(q, l)
		g := yearGap(q.Year, l)
		if e > eff || (e == eff && g < gap) {
			eff, note, which, gap = e, n, i, g
		}
	}
	return eff, note, which, gap, which >= 0
}

// birthEvidence rates the query date of birth against the listed ones and
// keeps the best (lists give several when their sources disagree). It also
// returns the information of the agreement.
func birthEvidence(q Date, listed []Date) (Evidence, float64, bool) {
	eff, note, which, gap, ok := bestDOB(q, listed)
	if !ok {
		return Evidence{}, 0, false
	}
	ev := Evidence{Kind: EvidenceBirthDate, Query: q.String(), Listed: listed[which].String(), Effect: eff, Note: note.text(gap)}
	bits := 0.0
	if eff > 0 {
		bits = note.bits()
	}
	return ev, bits, true
}

// evidenceEffect is the sum of the effects of all evidence and the
// information of the evidence that agrees, without writing them out.
func evidenceEffect(p *Prepared, rec *record) (eff, bits float64) {
	if e, note, _, _, ok := bestDOB(p.dob, rec.dates); ok {
		eff += e
		if e > 0 {
			bits += note.bits()
		}
	}
	if p.nat != "" && len(rec.nats) > 0 {
		eff += effNatMismatch
		for _, n := range rec.nats {
			if n == p.nat {
				eff += effNatMatch - effNatMismatch
				bits += natBits
				break
			}
		}
	}
	if (p.gender == 'M' || p.gender == 'F') && (rec.gender == 'M' || rec.gender == 'F') {
		if p.gender == rec.gender {
			eff += effGenderMatch
		} else {
			eff += effGenderClash
		}
	}
	return eff, bits
}

func nationalityEvidence(q string, listed []string) (Evidence, float64, bool) {
	q = strings.ToUpper(strings.TrimSpace(q))
	if q == "" || len(listed) == 0 {
		return Evidence{}, 0, false
	}
	for _, l := range listed {
		if strings.EqualFold(l, q) {
			return Evidence{Kind: EvidenceNationality, Query: q, Listed: l, Effect: effNatMatch, Note: "same"}, natBits, true
		}
	}
	return Evidence{Kind: EvidenceNationality, Query: q, Listed: strings.Join(listed, ","),
		Effect: effNatMismatch, Note: "different"}, 0, true
}

func genderEvidence(q, l byte) (Evidence, bool) {
	if (q != 'M' && q != 'F') || (l != 'M' && l != 'F') {
		return Evidence{}, false
	}
	if q == l {
		return Evidence{Kind: EvidenceGender, Query: string(q), Listed: string(l), Effect: effGenderMatch, Note: "same"}, true
	}
	return Evidence{Kind: EvidenceGender, Query: string(q), Listed: string(l), Effect: effGenderClash, Note: "different"}, true
}
