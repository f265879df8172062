package freetext

import (
	"slices"
	"strings"
	"unicode"

	"github.com/bordersec/portcullis/screening"
)

// demonyms maps the adjectives lists put before a document ("Afghan
// passport number ...") to the issuing state.
var demonyms = map[string]string{
	"afghan": "AFG", "algerian": "DZA", "american": "USA", "belarusian": "BLR", "belgian": "BEL",
	"british": "GBR", "canadian": "CAN", "chinese": "CHN", "congolese": "COD", "danish": "DNK",
	"dutch": "NLD", "egyptian": "EGY", "emirati": "ARE", "eritrean": "ERI", "french": "FRA",
	"german": "DEU", "indian": "IND", "indonesian": "IDN", "iranian": "IRN", "iraqi": "IRQ",
	"italian": "ITA", "jordanian": "JOR", "kenyan": "KEN", "kuwaiti": "KWT", "lebanese": "LBN",
	"libyan": "LBY", "malaysian": "MYS", "malian": "MLI", "moroccan": "MAR", "nigerian": "NGA",
	"omani": "OMN", "pakistani": "PAK", "palestinian": "PSE", "philippine": "PHL", "qatari": "QAT",
	"russian": "RUS", "saudi": "SAU", "somali": "SOM", "spanish": "ESP", "sudanese": "SDN",
	"swedish": "SWE", "swiss": "CHE", "syrian": "SYR", "tunisian": "TUN", "turkish": "TUR",
	"ugandan": "UGA", "ukrainian": "UKR", "yemeni": "YEM", "car": "CAF",
}

// Demonym returns the country of a nationality adjective ("Afghan",
// "Pakistani"), or "".
func Demonym(word string) string { return demonyms[strings.ToLower(word)] }

// Country returns the code of a country name or code, tolerating the
// punctuation and padding lists leave around it ("Iran.", " Russia ").
func Country(s string) (string, bool) {
	s = strings.Trim(Collapse(s), " .,;:")
	if s == "" {
		return "", false
	}
	return screening.CountryCode(s)
}

// LeadingCountry finds a country named by the first words of s ("Libya
// 428720", "Central African Republic number O00065772", "Afghan passport")
// and returns its code and the rest of s. It tries the longest run of up to
// six words first, and nationality adjectives after.
func LeadingCountry(s string) (code, rest string, ok bool) {
	words := strings.Fields(s)
	for n := min(6, len(words)); n >= 1; n-- {
		cand := strings.Trim(strings.Join(words[:n], " "), ",.:;()")
		// Names only: a short code at the start of a number ("SE 011252",
		// "DE 1234") is part of the number, not Sweden or Germany.
		if letterCount(cand) < 4 {
			continue
		}
		if c, ok := Country(cand); ok {
			return c, strings.Join(words[n:], " "), true
		}
	}
	if len(words) > 0 {
		if c := Demonym(strings.Trim(words[0], ",.:;()")); c != "" {
			return c, strings.Join(words[1:], " "), true
		}
	}
	return "", s, false
}

// issuedWords introduce the issuing state in a document's note.
var issuedWords = []string{"place of issue:", "issued in", "issued by", "country of issue:", "issuing country:"}

// IssuingCountry finds the issuing state in a document's note: named
// first ("Afghanistan diplomatic passport ...", "(Libyan)"), after "issued
// in" or "place of issue:" (the last part of "Kabul, Afghanistan"), or in
// brackets ("Expires 21 Aug 2005 (Iraq)").
func IssuingCountry(note string) (string, bool) {
	note = Collapse(note)
	trimmed := strings.TrimLeft(note, "( ")
	for _, article := range []string{"a ", "an ", "the "} {
		if len(trimmed) > len(article) && strings.EqualFold(trimmed[:len(article)], article) {
			trimmed = trimmed[len(article):]
		}
	}
	if c, _, ok := LeadingCountry(trimmed); ok {
		return c, true
	}
	lower := LowerASCII(note)
	for _, w := range issuedWords {
		i := strings.Index(lower, w)
		if i < 0 {
			continue
		}
		rest := note[i+len(w):]
		if j := strings.IndexAny(rest, ".;()"); j >= 0 {
			rest = rest[:j]
		}
		parts := strings.Split(rest, ",")
		for k := len(parts) - 1; k >= 0; k-- {
			if c, ok := Country(parts[k]); ok && letterCount(parts[k]) >= 4 {
				return c, true
			}
		}
	}
	for s := note; ; {
		open := strings.IndexByte(s, '(')
		if open < 0 {
			return "", false
		}
		end := strings.IndexByte(s[open:], ')')
		if end < 0 {
			return "", false
		}
		inner := strings.TrimSpace(s[open+1 : open+end])
		if letterCount(inner) >= 4 {
			if c, ok := Country(inner); ok {
				return c, true
			}
			if c := Demonym(inner); c != "" {
				return c, true
			}
		}
		s = s[open+end:]
	}
}

func letterCount(s string) int {
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters
}

// numberWords are the words after which prose gives a document number.
var numberWords = []string{"number:", "number", "no.:", "no.", "no:", "n°", "nº", "num.", "#"}

// Number is a document number pulled out of prose, with what the prose said
// around it.
type Number struct {
	Value   string // the number itself, "" when none was found
	Country string // the issuing state the prose names, as a code, or ""
	Note    string // the rest of the prose, for a document's note
}

// DocumentNumber reads the value a list gives as a document number. Most
// are plain ("OB 0243318", "96 03 464086") and come back unchanged but for
// white space; some are prose:
//
//	"Russian foreign travel passport number 514448632"
//	"Libya 428720"   "R00012098, South Sudan"
//	"381110042 (Expired 25 Jan. 2016)"   "Diplomatic Passport: Z30321794"
//
// from which it keeps the number and moves the rest to Note, with the
// country it names, if any, in Country.
func DocumentNumber(s string) Number {
	s = Collapse(StripControl(strings.ToValidUTF8(s, "\uFFFD")))
	s = strings.TrimLeft(s, "'")
	if s == "" {
		return Number{}
	}
	var notes []string
	var n Number
	// A trailing parenthesis is a note: "(Expired 25 Jan. 2016)", "(US)".
	for strings.HasSuffix(s, ")") {
		open := strings.LastIndexByte(s, '(')
		if open <= 0 || letterCount(s[open:]) < 2 {
			break
		}
		inner := strings.TrimSpace(s[open+1 : len(s)-1])
		s = strings.TrimSpace(s[:open])
		if c, ok := Country(inner); ok && n.Country == "" {
			n.Country = c
			continue
		}
		notes = append(notes, inner)
	}
	// "number 514448632", "No.: 28642163".
	lower := LowerASCII(s)
	for _, w := range numberWords {
		i := indexWord(lower, w)
		if i < 0 {
			continue
		}
		if rest := strings.TrimLeft(s[i+len(w):], " :."); rest != "" && hasDigit(rest) {
			value, tail := NumberRun(rest)
			if value == "" {
				continue
			}
			n.Value = value
			if prefix := strings.TrimSpace(s[:i]); prefix != "" {
				notes = append([]string{prefix}, notes...)
			}
			if tail = strings.Trim(tail, " ,;"); tail != "" {
				notes = append(notes, tail)
			}
			break
		}
	}
	if n.Value == "" {
		if head, tail, ok := strings.Cut(s, ": "); ok && hasDigit(tail) && !hasDigit(head) {
			// "Diplomatic Passport: Z30321794".
			n.Value = tail
			notes = append([]string{head}, notes...)
		}
	}
	if n.Value == "" {
		n.Value = s
	}
	// "R00012098, South Sudan".
	if i := strings.LastIndex(n.Value, ", "); i > 0 {
		if c, ok := Country(n.Value[i+2:]); ok {
			n.Country = c
			n.Value = strings.TrimSpace(n.Value[:i])
		}
	}
	// "Libya 428720", "Indonesia, number ...".
	if c, rest, ok := LeadingCountry(n.Value); ok && hasDigit(rest) {
		n.Value = strings.TrimLeft(rest, ", ")
		if n.Country == "" {
			n.Country = c
		}
	}
	// Prose still left before the number: keep the trailing run of tokens
	// that look like parts of a number ("travel document A 0139243").
	if isProse(n.Value) {
		words := strings.Fields(n.Value)
		k := len(words)
		for k > 0 && numberPart(words[k-1]) {
			k--
		}
		// "issued on 18 Jun. 1999": a year that ends a date is no number.
		if k == len(words)-1 && k > 0 && Month(words[k-1]) != 0 && isYear(words[k]) {
			k = len(words)
		}
		if k < len(words) && hasDigit(strings.Join(words[k:], "")) {
			notes = append([]string{strings.Join(words[:k], " ")}, notes...)
			n.Value = strings.Join(words[k:], " ")
		}
	}
	n.Value = strings.Trim(n.Value, " ,;.")
	if n.Country == "" {
		for _, note := range notes {
			if c, _, ok := LeadingCountry(note); ok {
				n.Country = c
				break
			}
		}
	}
	n.Note = strings.Join(nonEmpty(notes), "; ")
	if !hasDigit(n.Value) && !isCode(n.Value) {
		// No number at all: keep the text as a note only.
		n.Note = strings.Join(nonEmpty([]string{n.Value, n.Note}), "; ")
		n.Value = ""
	}
	return n
}

// NumberRun splits s into the number at its start and the rest. The number
// is the first word and the words after it that look like parts of a number
// (with a digit, or a short run of capitals), up to the first that ends in a
// comma or semicolon: "L723315, issued on 5 May 1998" gives "L723315" and
// "issued on 5 May 1998"; "OR801168 and Kuwaiti National ID" gives
// "OR801168". value is "" when it holds no digit.
func NumberRun(s string) (value, rest string) {
	words := strings.Fields(s)
	k := 0
	for k < len(words) {
		w := words[k]
		bare := strings.TrimRight(w, ",;")
		if !numberPart(bare) && !(k == 0 && bare != "") {
			break
		}
		k++
		if bare != w {
			break
		}
	}
	value = strings.TrimRight(strings.Join(words[:k], " "), ",;. ")
	if !hasDigit(value) {
		return "", s
	}
	return value, strings.Join(words[k:], " ")
}

// indexWord finds w in s at a word start.
func indexWord(s, w string) int {
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], w)
		if i < 0 {
			return -1
		}
		i += off
		if i == 0 || s[i-1] == ' ' || s[i-1] == '(' || (w == "#" || w == "n°" || w == "nº") {
			return i
		}
		off = i + len(w)
	}
	return -1
}

func hasDigit(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return r >= '0' && r <= '9' }) >= 0
}

// isProse reports whether s holds a word of three or more letters with a
// lower-case one: a number never does.
func isProse(s string) bool {
	for _, w := range strings.Fields(s) {
		letters, lower := 0, false
		for _, r := range w {
			if unicode.IsLetter(r) {
				letters++
				lower = lower || unicode.IsLower(r)
			}
		}
		if letters >= 3 && lower && !hasDigit(w) {
			return true
		}
	}
	return false
}

// isYear reports whether w is a year of the last two centuries, with a
// full stop or comma after it or not.
func isYear(w string) bool {
	w = strings.TrimRight(w, ".,;")
	n, ok := number(w)
	return ok && len(w) == 4 && n >= 1900 && n <= 2100
}

// LooksLikeNumber reports whether s, found in prose, is likely a document
// number: no words, at least three digits, and not a year alone.
func LooksLikeNumber(s string) bool {
	digits := 0
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			digits++
		}
	}
	return digits >= 3 && !isProse(s) && !isYear(s)
}

// numberPart reports whether a word can be part of a document number: it
// holds a digit, or it is a short run of capitals ("A", "SE", "OR").
func numberPart(w string) bool {
	if hasDigit(w) {
		return true
	}
	if len(w) > 3 {
		return false
	}
	for _, r := range w {
		if !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// isCode reports whether s looks like an identifier without digits: letters
// in capitals only, at least five of them ("ABCDEF").
func isCode(s string) bool {
	if len(s) < 5 {
		return false
	}
	for _, r := range s {
		if !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

func nonEmpty(ss []string) []string {
	out := ss[:0:0]
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// MergeDocuments drops repeated documents: two with the same number, type
// and issuing state are one, and the first keeps what the later ones add
// (an expiry, a note, a type or state it lacked).
func MergeDocuments(docs []screening.Document) []screening.Document {
	if len(docs) < 2 {
		return docs
	}
	out := docs[:0]
	for _, d := range docs {
		i := slices.IndexFunc(out, func(o screening.Document) bool {
			return o.Number == d.Number && (o.Type == d.Type || o.Type == "" || d.Type == "") &&
				(o.Country == d.Country || o.Country == "" || d.Country == "")
		})
		if i < 0 {
			out = append(out, d)
			continue
		}
		o := &out[i]
		if o.Type == "" {
			o.Type = d.Type
		}
		if o.Country == "" {
			o.Country = d.Country
		}
		if o.Expiry.IsZero() {
			o.Expiry = d.Expiry
		}
		if d.Note != "" && !strings.Contains(o.Note, d.Note) {
			o.Note = strings.TrimPrefix(o.Note+"; "+d.Note, "; ")
		}
	}
	return out
}
