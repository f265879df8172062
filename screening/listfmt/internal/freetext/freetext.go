// Package freetext reads the bits of free text that outside watchlists use
// where a field should be: dates written out in words ("14 Feb. 2023",
// "Nov. 1973"), expiry dates buried in notes ("expired on 7 Aug. 1996"),
// and document numbers wrapped in prose ("Russian foreign travel passport
// number 514448632"). It is shared by the list readers under listfmt.
//
// Every function here is forgiving in what it skips and strict in what it
// returns: it reports ok=false rather than guess.
package freetext

import (
	"strings"
	"unicode"

	"github.com/bordersec/portcullis/screening"
)

// months maps the lower-case spellings lists use to month numbers.
var months = map[string]int{
	"jan": 1, "january": 1, "janvier": 1, "enero": 1,
	"feb": 2, "february": 2, "fevrier": 2, "febrero": 2,
	"mar": 3, "march": 3, "mars": 3, "marzo": 3,
	"apr": 4, "april": 4, "avril": 4, "abril": 4,
	"may": 5, "mai": 5, "mayo": 5,
	"jun": 6, "june": 6, "juin": 6, "junio": 6,
	"jul": 7, "july": 7, "juillet": 7, "julio": 7,
	"aug": 8, "august": 8, "aout": 8, "agosto": 8,
	"sep": 9, "sept": 9, "september": 9, "septembre": 9, "septiembre": 9,
	"oct": 10, "october": 10, "octobre": 10, "octubre": 10,
	"nov": 11, "november": 11, "novembre": 11, "noviembre": 11,
	"dec": 12, "december": 12, "decembre": 12, "diciembre": 12,
}

// Month returns the number of a month name or abbreviation ("Sep",
// "Sept.", "September"), or 0.
func Month(s string) int {
	return months[strings.ToLower(strings.TrimSuffix(s, "."))]
}

// token is one word of a date: a run of digits, a run of letters, or one
// other character.
type token struct {
	s     string
	start int
	end   int
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// nextToken returns the token at s[i:], skipping spaces; ok is false at the
// end of s.
func nextToken(s string, i int) (token, bool) {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	if i >= len(s) {
		return token{}, false
	}
	j := i + 1
	switch {
	case isDigit(s[i]):
		for j < len(s) && isDigit(s[j]) {
			j++
		}
	case isASCIILetter(s[i]):
		for j < len(s) && isASCIILetter(s[j]) {
			j++
		}
	}
	return token{s: s[i:j], start: i, end: j}, true
}

func number(s string) (int, bool) {
	if s == "" || len(s) > 4 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// year accepts a four-digit year in the range a Date allows.
func year(t token) (int, bool) {
	if len(t.s) != 4 {
		return 0, false
	}
	y, ok := number(t.s)
	return y, ok && y >= 1000
}

// Leading reads a date at the start of s, after any spaces, and returns it
// with the number of bytes it took. It understands
//
//	2006-01-02   02/01/2006 (day first)   2 Jan 2006   2 Jan. 2006
//	2 January 2006   Jan 2006   January, 2006   January 2, 2006   2006
//
// A trailing full stop after a month abbreviation is taken with it. The
// result always passes screening.Date.Validate; ok is false when s does not
// start with a date.
func Leading(s string) (d screening.Date, n int, ok bool) {
	t1, ok := nextToken(s, 0)
	if !ok {
		return screening.Date{}, 0, false
	}
	var end int
	switch {
	case len(t1.s) == 4 && isDigit(t1.s[0]):
		// 2006 or 2006-01-02.
		y, ok := year(t1)
		if !ok {
			return screening.Date{}, 0, false
		}
		d, end = screening.Date{Year: y}, t1.end
		if m, dd, e, ok := isoTail(s, t1.end); ok {
			d.Month, d.Day, end = m, dd, e
		}
	case isDigit(t1.s[0]) && len(t1.s) <= 2:
		// 2 Jan 2006, 02/01/2006, 02.01.2006.
		day, _ := number(t1.s)
		t2, ok := nextToken(s, t1.end)
		if !ok {
			return screening.Date{}, 0, false
		}
		if (t2.s == "/" || t2.s == "." || t2.s == "-") && t2.start == t1.end {
			sep := t2.s
			tm, ok1 := nextToken(s, t2.end)
			ts, ok2 := nextToken(s, tm.end)
			ty, ok3 := nextToken(s, ts.end)
			if !ok1 || !ok2 || !ok3 || ts.s != sep || tm.start != t2.end || ty.start != ts.end || len(tm.s) > 2 {
				return screening.Date{}, 0, false
			}
			m, okm := number(tm.s)
			y, oky := year(ty)
			if !okm || !oky {
				return screening.Date{}, 0, false
			}
			d, end = screening.Date{Year: y, Month: m, Day: day}, ty.end
			break
		}
		m := Month(t2.s)
		if m == 0 {
			return screening.Date{}, 0, false
		}
		end = skipDot(s, t2.end)
		ty, ok := nextToken(s, end)
		if !ok {
			return screening.Date{}, 0, false
		}
		y, ok := year(ty)
		if !ok {
			return screening.Date{}, 0, false
		}
		d, end = screening.Date{Year: y, Month: m, Day: day}, ty.end
	default:
		// Jan 2006, January 2, 2006, January, 2006.
		m := Month(t1.s)
		if m == 0 {
			return screening.Date{}, 0, false
		}
		end = skipDot(s, t1.end)
		t2, ok := nextToken(s, end)
		if ok && t2.s == "," {
			t2, ok = nextToken(s, t2.end)
		}
		if !ok || !isDigit(t2.s[0]) {
			return screening.Date{}, 0, false
		}
		if y, ok := year(t2); ok {
			d, end = screening.Date{Year: y, Month: m}, t2.end
			break
		}
		day, okd := number(t2.s)
		if !okd || len(t2.s) > 2 {
			return screening.Date{}, 0, false
		}
		t3, ok := nextToken(s, t2.end)
		if ok && t3.s == "," {
			t3, ok = nextToken(s, t3.end)
		}
		if !ok {
			return screening.Date{}, 0, false
		}
		y, ok := year(t3)
		if !ok {
			return screening.Date{}, 0, false
		}
		d, end = screening.Date{Year: y, Month: m, Day: day}, t3.end
	}
	// A date glued to more digits or letters ("19601", "2006abc") is not one.
	if end < len(s) && (isDigit(s[end]) || isASCIILetter(s[end])) {
		return screening.Date{}, 0, false
	}
	if d.Validate() != nil {
		return screening.Date{}, 0, false
	}
	return d, end, true
}

// isoTail reads "-01-02" at s[i:].
func isoTail(s string, i int) (month, day, end int, ok bool) {
	if len(s) < i+6 || s[i] != '-' || s[i+3] != '-' {
		return 0, 0, 0, false
	}
	m, ok1 := number(s[i+1 : i+3])
	d, ok2 := number(s[i+4 : i+6])
	if !ok1 || !ok2 || len(s[i+1:i+3]) != 2 {
		return 0, 0, 0, false
	}
	return m, d, i + 6, true
}

func skipDot(s string, i int) int {
	if i < len(s) && s[i] == '.' {
		return i + 1
	}
	return i
}

// Date reads s as one date and nothing else but spaces and closing
// punctuation; see Leading for the forms it knows.
func Date(s string) (screening.Date, bool) {
	d, n, ok := Leading(s)
	if !ok || strings.Trim(s[n:], " \t\r\n.,;)") != "" {
		return screening.Date{}, false
	}
	return d, true
}

// expiryWords are the words after which lists write an expiry date.
var expiryWords = []string{"expiration date", "expiry date", "date of expiration", "date of expiry",
	"expiring", "expires", "expired", "expiry", "expiration", "valid until", "valid till", "valid to", "expire date"}

// Expiry finds the expiry date in a note such as "Expires on 11 Jun.
// 2017", "expiration date: 2026-12-11" or "issued 1 May 2002 expires 30
// Apr 2007". ok is false when no expiry word is followed by a date.
func Expiry(note string) (screening.Date, bool) {
	lower := LowerASCII(note)
	for i := 0; i < len(lower); {
		best, bestLen := -1, 0
		for _, w := range expiryWords {
			if j := strings.Index(lower[i:], w); j >= 0 && (best < 0 || i+j < best || (i+j == best && len(w) > bestLen)) {
				best, bestLen = i+j, len(w)
			}
		}
		if best < 0 {
			return screening.Date{}, false
		}
		rest := note[best+bestLen:]
		rest = strings.TrimLeft(rest, " :-–")
		for _, filler := range []string{"on ", "in ", "date ", "date: ", ": "} {
			rest = strings.TrimPrefix(rest, filler)
		}
		if d, _, ok := Leading(rest); ok {
			return d, true
		}
		i = best + bestLen
	}
	return screening.Date{}, false
}

// Widen turns an approximate date ("circa 1960", UN "APPROXIMATELY") into
// the range of years from one before to one after it, so that a traveller
// born close to the date still meets it. A range is widened at both ends.
func Widen(d screening.Date) screening.Date {
	if d.IsZero() {
		return d
	}
	to := d.Year
	if d.ToYear != 0 {
		to = d.ToYear
	}
	w := screening.Date{Year: d.Year - 1, ToYear: to + 1}
	if w.Year < 1000 {
		w.Year = 1000
	}
	if w.ToYear > 9999 {
		w.ToYear = 9999
	}
	return w
}

// Span returns the date that covers both a and b: the one date when they
// are equal, their year when they share it, else the range of their years.
// It reads "01 Jan 1961 to 31 Dec 1962" as 1961/1962.
func Span(a, b screening.Date) screening.Date {
	if a == b {
		return a
	}
	from, to := a.Year, b.Year
	if b.ToYear != 0 {
		to = b.ToYear
	}
	if to < from {
		from, to = to, from
	}
	if from == to {
		return screening.Date{Year: from}
	}
	return screening.Date{Year: from, ToYear: to}
}

// Collapse trims s and turns every run of white space, line breaks
// included, into one space.
func Collapse(s string) string {
	if !needsCollapse(s) {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

func needsCollapse(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return true
	}
	prevSpace := false
	for _, r := range s {
		sp := unicode.IsSpace(r)
		if sp && (r != ' ' || prevSpace) {
			return true
		}
		prevSpace = sp
	}
	return false
}

// StripControl removes control characters other than white space, which a
// name or number must not hold.
func StripControl(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) && !unicode.IsSpace(r) }) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && !unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// LowerASCII lower-cases the ASCII letters of s and leaves every other byte
// alone, so that an index into the result is an index into s (which
// strings.ToLower does not promise: it rewrites invalid UTF-8 and some
// letters change length).
func LowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= 'A' && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// HasWord reports whether text holds a word that starts with prefix, in any
// case: "residen" is in "Residential card", "ration" is not in "Expiration
// date". prefix may hold spaces ("social security").
func HasWord(text, prefix string) bool {
	text, prefix = LowerASCII(text), LowerASCII(prefix)
	for off := 0; off < len(text); {
		i := strings.Index(text[off:], prefix)
		if i < 0 {
			return false
		}
		i += off
		if i == 0 || !isASCIILetter(text[i-1]) && !isDigit(text[i-1]) {
			return true
		}
		off = i + 1
	}
	return false
}
