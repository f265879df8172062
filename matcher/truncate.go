package matcher

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// cutLastWord rewrites a name whose last word may have been cut short, as
// ICAO 9303 cuts names too long for an MRZ's name field. A cut word
// compared whole scores worse than a missing one (OLEKSANDR against
// OLEKSANDROVYCH), so only what is certain of it is kept: its first
// letter, an initial, which agrees with every word it begins. After a
// particle the initial would join the particle (BIN A as BINA) and stand
// for nothing, so the cut word goes with the particles before it (BIN AH,
// ABD AL HA). Nothing goes that would leave the name empty.
func cutLastWord(name string) string {
	end := trimSeparators(name, len(name))
	start := wordStart(name, end)
	last := name[start:end]
	if last == "" {
		return name
	}
	// Drop the particles before the cut word, keeping at least one word.
	rest := trimSeparators(name, start)
	dropped := false
	for rest > 0 {
		ps := wordStart(name, rest)
		prev := strings.ToUpper(name[ps:rest])
		before := trimSeparators(name, ps)
		if !(particles[prev] || abdPrefixes[prev]) || before == 0 {
			break
		}
		rest, dropped = before, true
	}
	if dropped {
		return name[:rest]
	}
	first, n := utf8.DecodeRuneInString(last)
	if n == len(last) {
		return name // already an initial
	}
	return name[:start] + string(first)
}

// trimSeparators returns where s[:end] ends without the separators at its
// end.
func trimSeparators(s string, end int) int {
	for end > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:end])
		if isWordRune(r) {
			break
		}
		end -= n
	}
	return end
}

// wordStart returns where the word ending at end of s begins.
func wordStart(s string, end int) int {
	for end > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:end])
		if !isWordRune(r) {
			break
		}
		end -= n
	}
	return end
}

// isWordRune reports whether r is part of a word: a letter, a mark or a
// digit. Spaces, hyphens, apostrophes and MRZ fillers separate words.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r)
}

// hasWord reports whether name has a word of two letters or more.
func hasWord(name string) bool {
	n := 0
	for _, r := range name {
		if !isWordRune(r) {
			n = 0
		} else if n++; n == 2 {
			return true
		}
	}
	return false
}
