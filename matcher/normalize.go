package matcher

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// MaxNameBytes is the longest name text the matcher reads; the rest of a
// longer name is ignored.
const MaxNameBytes = 1024

// maxWords is the number of words of a name the matcher keeps.
const maxWords = 16

// latinPool holds the x/text transformers of latinize. They keep state, so
// each goroutine takes its own.
var latinPool = sync.Pool{New: func() any {
	return &latinizer{
		strip: transform.Chain(norm.NFKD, runes.Remove(runes.In(unicode.Mn))),
		fold:  cases.Fold(),
	}
}}

type latinizer struct {
	strip transform.Transformer
	fold  cases.Caser
}

// latinLetters are Latin letters that Unicode does not decompose into a
// base letter and a mark, written as ICAO 9303 writes them in the MRZ.
var latinLetters = map[rune]string{
	'æ': "ae", 'ø': "o", 'œ': "oe", 'þ': "th", 'ð': "d", 'đ': "d", 'ł': "l",
	'ħ': "h", 'ı': "i", 'ĸ': "k", 'ŋ': "n", 'ŧ': "t", 'ƒ': "f", 'ə': "a",
	'ɛ': "e", 'ɔ': "o", 'ʒ': "z", 'ǥ': "g", 'ƀ': "b", 'ɨ': "i", 'ʉ': "u",
	'ß': "ss", 'ſ': "s", 'ĳ': "ij", 'ŀ': "l",
}

// latinize returns the letters and digits of s as ASCII capitals: Unicode
// compatibility decomposition, marks removed, case folded, and the few
// letters without a decomposition spelt out. Everything else is dropped.
func latinize(s string) string {
	if isUpperASCIIWord(s) {
		return s
	}
	if !isASCII(s) {
		l := latinPool.Get().(*latinizer)
		if t, _, err := transform.String(l.strip, s); err == nil {
			s = t
		}
		s = l.fold.String(s)
		latinPool.Put(l)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteByte(byte(r) - 'a' + 'A')
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteByte(byte(r))
		case r >= utf8.RuneSelf:
			if v, ok := latinLetters[unicode.ToLower(r)]; ok {
				b.WriteString(strings.ToUpper(v))
			}
		}
	}
	return b.String()
}

func isUpperASCIIWord(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// rawWord is one word of a name as written, before transliteration.
type rawWord struct {
	text   []rune
	script script
	hyphen bool // joined to the next word by a hyphen
}

// isApostrophe reports whether r is one of the apostrophes and ayn/hamza
// signs that names carry inside words (O'BRIEN, SHA'BAN, ʿABD). They are
// dropped without splitting the word.
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '`', '´', '‘', '’', 'ʼ', 'ʻ', 'ʽ', 'ʾ', 'ʿ', 'ˈ', '′':
		return true
	}
	return false
}

// splitWords splits a name into words. Letters, digits and marks make
// words; apostrophes and invisible format characters are dropped; anything
// else separates words.
func splitWords(s string) []rawWord {
	if len(s) > MaxNameBytes {
		s = s[:MaxNameBytes]
	}
	if !isASCII(s) {
		s = norm.NFC.String(s)
	}
	var words []rawWord
	var cur []rune
	sc := scriptLatin
	flush := func(sep rune) {
		if len(cur) > 0 {
			words = append(words, rawWord{text: cur, script: sc, hyphen: isHyphen(sep)})
			cur = nil
			sc = scriptLatin
		}
	}
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			flush(' ')
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			if r == '\u0640' { // Arabic tatweel only stretches a word
				continue
			}
			if sc == scriptLatin {
				if s2 := scriptOf(r); s2 != scriptLatin {
					sc = s2
				}
			}
			cur = append(cur, r)
		case isApostrophe(r) || unicode.Is(unicode.Cf, r):
		default:
			flush(r)
		}
	}
	flush(' ')
	return words
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func isHyphen(r rune) bool {
	switch r {
	case '-', '‐', '‑', '‒', '–', '—', '−':
		return true
	}
	return false
}

// token is one Latin word of a name before name structure is applied.
type token struct {
	text       string
	unvowelled bool   // from Arabic script: short vowels unknown
	skel       string // raw skeleton of the source letters, when unvowelled
	hyphen     bool
}

// spellings returns the Latin spellings of a name: one for a name in Latin
// script, one per transliteration scheme for a name in Cyrillic or Greek
// (deduplicated), and the rendering of Arabic-script words.
func spellings(s string) [][]token {
	if len(s) <= MaxNameBytes && isASCII(s) {
		if toks := asciiTokens(s); len(toks) > 0 {
			return [][]token{toks}
		}
		return nil
	}
	words := splitWords(s)
	if len(words) == 0 {
		return nil
	}
	var cyr []rune
	nvar := 1
	hasGreek := false
	for _, w := range words {
		switch w.script {
		case scriptCyrillic:
			cyr = append(cyr, w.text...)
			cyr = append(cyr, ' ')
		case scriptGreek:
			hasGreek = true
		}
	}
	var cyrSchemes []*cyrScheme
	if cyr != nil {
		cyrSchemes = cyrillicSchemes(cyr)
		nvar = max(nvar, len(cyrSchemes))
	}
	if hasGreek {
		nvar = max(nvar, len(greekSchemes))
	}
	var out [][]token
	var b strings.Builder
	for v := 0; v < nvar; v++ {
		var toks []token
		for _, w := range words {
			switch w.script {
			case scriptArabic:
				for _, t := range arabicWord(w.text) {
					toks = append(toks, token{text: t.text, unvowelled: t.unvowelled, skel: t.skel, hyphen: w.hyphen})
				}
				continue
			case scriptCyrillic:
				b.Reset()
				cyrSchemes[min(v, len(cyrSchemes)-1)].translit(&b, w.text)
				toks = appendToken(toks, latinize(b.String()), w.hyphen)
			case scriptGreek:
				b.Reset()
				greekSchemes[min(v, len(greekSchemes)-1)].translit(&b, greekLower(w.text))
				toks = appendToken(toks, latinize(b.String()), w.hyphen)
			default:
				toks = appendToken(toks, latinize(string(w.text)), w.hyphen)
			}
		}
		if len(toks) == 0 || containsSpelling(out, toks) {
			continue
		}
		out = append(out, toks)
	}
	return out
}

// asciiTokens is splitWords and latinize for ASCII text, which most names
// are: letters and digits make words (upper-cased), apostrophes and
// control characters are dropped, anything else separates.
func asciiTokens(s string) []token {
	var toks []token
	var b []byte
	flush := func(sep byte) {
		if len(b) > 0 {
			toks = append(toks, token{text: string(b), hyphen: sep == '-'})
			b = b[:0]
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z':
			b = append(b, c-'a'+'A')
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
			b = append(b, c)
		case c == '\'' || c == '`' || c < 0x20 || c == 0x7f:
		default:
			flush(c)
		}
	}
	flush(' ')
	return toks
}

func appendToken(toks []token, text string, hyphen bool) []token {
	if text == "" {
		return toks
	}
	return append(toks, token{text: text, hyphen: hyphen})
}

func containsSpelling(list [][]token, toks []token) bool {
outer:
	for _, l := range list {
		if len(l) != len(toks) {
			continue
		}
		for i := range l {
			if l[i] != toks[i] {
				continue outer
			}
		}
		return true
	}
	return false
}

// greekLower lower-cases a Greek word and removes its stress marks while
// keeping the dialytika (ϊ, ϋ), which stops two vowels forming a digraph.
func greekLower(w []rune) []rune {
	d := []rune(norm.NFD.String(strings.ToLower(string(w))))
	out := make([]rune, 0, len(d))
	for _, r := range d {
		switch r {
		case '\u0308': // dialytika
			if n := len(out); n > 0 {
				switch out[n-1] {
				case 'ι':
					out[n-1] = 'ϊ'
				case 'υ':
					out[n-1] = 'ϋ'
				}
			}
			continue
		}
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		out = append(out, r)
	}
	return out
}

// Normalize returns s as the matcher reads it: words of Latin capital
// letters and digits separated by single spaces. It applies Unicode
// compatibility decomposition, removes marks, folds case, spells out letters
// such as Æ, Ø, ß and Þ as ICAO 9303 does, drops apostrophes and
// punctuation, and transliterates Cyrillic, Greek and Arabic script (the
// first of its schemes; see the package documentation). Normalize is
// idempotent and never fails; it returns "" when s has no letter or digit
// it can read.
//
// Normalize works on text only; name structure (titles, particles, legal
// forms) is applied when names are compared.
func Normalize(s string) string {
	sp := spellings(s)
	if len(sp) == 0 {
		return ""
	}
	var b strings.Builder
	for i, t := range sp[0] {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.text)
	}
	return b.String()
}
