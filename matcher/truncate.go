package matcher

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// queryForms returns the spellings of q's name to search: the name as
// given and, when its last word may have been cut short (Query.Truncated),
// the name with that word cut as cutLastWord does. A record keeps its best
// score over the forms, so the cut form can only add hits.
func queryForms(q Query) []nameForm {
	forms := nameForms(q.text(), q.Kind)
	cut, ok := q.cutText()
	if !ok {
		return forms
	}
next:
	for _, nf := range nameForms(cut, q.Kind) {
		for _, f := range forms {
			if f.text == nf.text {
				continue next
			}
		}
		forms = append(forms, nf)
	}
	return forms
}

// cutText returns q's name with its last word cut (see cutLastWord): the
// last given name, or the surname's last word when there are no given
// names, or Name's last word. ok is false when q is not marked as cut,
// when the cut changes nothing, or when it would leave no word but
// particles and initials.
func (q *Query) cutText() (cut string, ok bool) {
	if !q.Truncated {
		return "", false
	}
	c := *q
	switch {
	case c.Name != "":
		c.Name = cutLastWord(c.Name)
	case strings.TrimSpace(c.Given) != "":
		c.Given = cutLastWord(c.Given)
	default:
		c.Family = cutLastWord(c.Family)
	}
	cut = c.text()
	if !hasWord(cut) || cut == q.text() {
		return "", false
	}
	return cut, true
}

// cutLastWord rewrites a name whose last word may have been cut short, as
// ICAO 9303 cuts names too long for an MRZ's name field. A cut word
// compared whole scores worse than a missing one (OLEKSANDR against
// OLEKSANDROVYCH), so only what is certain of it is kept: its first
// letter, an initial, which agrees with every word it begins. After a
// particle the initial would join the particle (BIN A as BINA) and stand
// for nothing, so the cut word goes with the particles before it (BIN AH,
// ABD AL HA, DE LA CONCEPC). A word that does not begin with a Latin letter
// is left whole: its initial would be transliterated into letters that do
// not stand for an initial (Щ as SHCH). An MRZ is always in Latin letters.
func cutLastWord(name string) string {
	end := trimSeparators(name, len(name))
	start := wordStart(name, end)
	last := name[start:end]
	i := strings.IndexFunc(last, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) })
	if i < 0 {
		return name
	}
	first, n := utf8.DecodeRuneInString(last[i:])
	if !unicode.Is(unicode.Latin, first) && !unicode.IsDigit(first) {
		return name
	}
	// Drop the particles before the cut word, and the cut word with them.
	rest, dropped := trimSeparators(name, start), false
	for rest > 0 {
		ps := wordStart(name, rest)
		if !isParticleWord(name[ps:rest]) {
			break
		}
		rest, dropped = trimSeparators(name, ps), true
	}
	if dropped {
		return name[:rest]
	}
	if i+n == len(last) {
		return name // already an initial
	}
	return name[:start] + string(first)
}

// isParticleWord reports whether w is a particle, an article or a form of
// ABD, which join the word after them.
func isParticleWord(w string) bool {
	w = strings.ToUpper(w)
	return particles[w] || coreParticles[w] || abdPrefixes[w]
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

// isWordRune reports whether r belongs to a word as the matcher splits
// names (splitWords): letters, digits and marks, and the apostrophes and
// format characters it drops from inside a word (O'BRIEN is one word).
// Spaces, hyphens and MRZ fillers separate words.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) ||
		isApostrophe(r) || unicode.Is(unicode.Cf, r)
}

// hasWord reports whether name has a word of two letters or more that is
// not a particle.
func hasWord(name string) bool {
	for end := trimSeparators(name, len(name)); end > 0; {
		start := wordStart(name, end)
		w := name[start:end]
		if utf8.RuneCountInString(w) >= 2 && !isParticleWord(w) {
			return true
		}
		end = trimSeparators(name, start)
	}
	return false
}
