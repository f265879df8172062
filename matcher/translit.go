package matcher

import (
	"strings"
	"unicode"
)

// This file holds the domain data that golang.org/x/text does not have:
// letter tables that carry Cyrillic, Greek and Arabic names into Latin
// capitals, each in the few spellings that passports and lists use.
//
// A table maps a lower-case letter to its Latin spelling. Iotated vowels
// (Е Ё Ю Я Є Ї and Й) are spelt differently at the start of a word and after
// a vowel or a soft or hard sign; the "initial" table holds those spellings.

// script is the writing system of a word, as far as matching cares.
type script uint8

const (
	scriptLatin script = iota
	scriptCyrillic
	scriptGreek
	scriptArabic
)

func scriptOf(r rune) script {
	switch {
	case r < 0x0370:
		return scriptLatin
	case unicode.Is(unicode.Cyrillic, r):
		return scriptCyrillic
	case unicode.Is(unicode.Greek, r):
		return scriptGreek
	case unicode.Is(unicode.Arabic, r):
		return scriptArabic
	}
	return scriptLatin
}

// cyrScheme is one way of writing Cyrillic letters in Latin.
type cyrScheme struct {
	name    string
	base    map[rune]string
	initial map[rune]string // at the start of a word or after a vowel, Ь or Ъ
	final   map[string]string
	// zgh writes ЗГ as ZGH (Ukrainian national system) to keep it apart from Ж.
	zgh bool
	// startOnly uses the initial spellings only at the start of a word,
	// not after a vowel (Ukrainian national system).
	startOnly bool
}

// Common letters of Russian, Ukrainian, Belarusian, Bulgarian and Serbian.
var cyrCommon = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e",
	'ж': "zh", 'з': "z", 'и': "i", 'й': "i", 'к': "k", 'л': "l", 'м': "m",
	'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u",
	'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch",
	'ъ': "ie", 'ы': "y", 'ь': "", 'э': "e", 'ю': "iu", 'я': "ia",
	// Ukrainian and Belarusian.
	'є': "ie", 'і': "i", 'ї': "i", 'ґ': "g", 'ў': "u",
	// Serbian and Macedonian.
	'ђ': "d", 'ј': "j", 'љ': "lj", 'њ': "nj", 'ћ': "c", 'џ': "dz",
	'ѓ': "g", 'ќ': "k", 'ѕ': "dz",
}

func withOverrides(base map[rune]string, over map[rune]string) map[rune]string {
	m := make(map[rune]string, len(base)+len(over))
	for k, v := range base {
		m[k] = v
	}
	for k, v := range over {
		m[k] = v
	}
	return m
}

// The Cyrillic schemes. ICAO 9303 (2015) is what current Russian and
// Ukrainian passports print; BGN/PCGN is what English-language lists mostly
// use; "simple" is the spelling of the press (Sergei, Yuri, Dmitri);
// the national Ukrainian system of 2010 writes Г as H and И as Y.
var (
	cyrICAO = &cyrScheme{name: "ICAO 9303", base: cyrCommon}

	cyrBGN = &cyrScheme{
		name: "BGN/PCGN",
		base: withOverrides(cyrCommon, map[rune]string{
			'ё': "yo", 'й': "y", 'ъ': "", 'ю': "yu", 'я': "ya", 'є': "ye", 'ї': "yi",
		}),
		initial: map[rune]string{'е': "ye", 'ё': "yo", 'ю': "yu", 'я': "ya", 'є': "ye", 'ї': "yi"},
	}

	cyrSimple = &cyrScheme{
		name: "common",
		base: withOverrides(cyrCommon, map[rune]string{
			'й': "i", 'ъ': "", 'ю': "yu", 'я': "ya", 'ё': "yo", 'є': "ye", 'ї': "yi", 'ы': "y",
		}),
		initial: map[rune]string{'ю': "yu", 'я': "ya", 'ё': "yo", 'є': "ye", 'й': "y"},
		final:   map[string]string{"ий": "i", "ый": "y", "ей": "ei", "ия": "ia"},
	}

	cyrUkrainian = &cyrScheme{
		name: "Ukrainian national",
		base: withOverrides(cyrCommon, map[rune]string{
			'г': "h", 'и': "y", 'ъ': "", 'ґ': "g",
		}),
		initial:   map[rune]string{'є': "ye", 'ї': "yi", 'й': "y", 'ю': "yu", 'я': "ya"},
		zgh:       true,
		startOnly: true,
	}

	cyrBelarusian = &cyrScheme{
		name: "Belarusian",
		base: withOverrides(cyrCommon, map[rune]string{
			'г': "h", 'ў': "w", 'й': "y", 'ъ': "", 'ю': "yu", 'я': "ya", 'ё': "yo",
		}),
		initial: map[rune]string{'е': "ye", 'ё': "yo", 'ю': "yu", 'я': "ya"},
	}

	cyrBulgarian = &cyrScheme{
		name: "Bulgarian",
		base: withOverrides(cyrCommon, map[rune]string{
			'х': "h", 'щ': "sht", 'ъ': "a", 'ь': "y", 'ю': "yu", 'я': "ya", 'й': "y",
		}),
		final: map[string]string{"ия": "ia"},
	}

	// Serbian Latin without its marks (as in the MRZ: DJOKOVIC) and with
	// English digraphs (DJOKOVICH).
	cyrSerbian = &cyrScheme{
		name: "Serbian",
		base: withOverrides(cyrCommon, map[rune]string{
			'ђ': "dj", 'ж': "z", 'х': "h", 'ц': "c", 'ч': "c", 'ћ': "c", 'џ': "dz", 'ш': "s",
		}),
	}
	cyrSerbianEnglish = &cyrScheme{
		name: "Serbian (English)",
		base: withOverrides(cyrCommon, map[rune]string{
			'ђ': "dj", 'х': "h", 'ц': "c", 'ћ': "ch", 'џ': "dzh",
		}),
	}
)

// cyrillicSchemes picks the schemes to try for a name from the letters it
// uses: letters found only in Serbian, Ukrainian, Belarusian or Bulgarian
// decide the language; otherwise the name is read as Russian and, in case it
// is Ukrainian, in the Ukrainian national system too.
func cyrillicSchemes(name []rune) []*cyrScheme {
	var sr, uk, be, bg bool
	for i, r := range name {
		switch unicode.ToLower(r) {
		case 'ђ', 'ј', 'љ', 'њ', 'ћ', 'џ', 'ѓ', 'ќ', 'ѕ':
			sr = true
		case 'є', 'і', 'ї', 'ґ':
			uk = true
		case 'ў':
			be = true
		case 'щ':
			bg = true
		case 'ъ':
			// A hard sign inside a word between consonants is the Bulgarian vowel.
			if i+1 < len(name) && isCyrLetter(name[i+1]) && !isCyrVowel(name[i+1]) {
				bg = true
			}
		}
	}
	switch {
	case sr:
		return []*cyrScheme{cyrSerbian, cyrSerbianEnglish}
	case be:
		return []*cyrScheme{cyrBelarusian, cyrICAO}
	case uk:
		return []*cyrScheme{cyrUkrainian, cyrICAO}
	case bg:
		return []*cyrScheme{cyrICAO, cyrBGN, cyrBulgarian}
	}
	return []*cyrScheme{cyrICAO, cyrBGN, cyrSimple, cyrUkrainian}
}

func isCyrLetter(r rune) bool { return unicode.Is(unicode.Cyrillic, r) && unicode.IsLetter(r) }

func isCyrVowel(r rune) bool {
	switch unicode.ToLower(r) {
	case 'а', 'е', 'ё', 'и', 'о', 'у', 'ы', 'э', 'ю', 'я', 'є', 'і', 'ї':
		return true
	}
	return false
}

// translit writes the Latin spelling of one Cyrillic word (other letters
// pass through unchanged).
func (s *cyrScheme) translit(b *strings.Builder, word []rune) {
	n := len(word)
	for i := 0; i < n; i++ {
		r := unicode.ToLower(word[i])
		if scriptOf(r) != scriptCyrillic {
			b.WriteRune(word[i])
			continue
		}
		if s.final != nil && i == n-2 {
			if v, ok := s.final[string([]rune{r, unicode.ToLower(word[i+1])})]; ok {
				b.WriteString(v)
				i++
				continue
			}
		}
		if s.zgh && r == 'з' && i+1 < n && unicode.ToLower(word[i+1]) == 'г' {
			b.WriteString("zgh")
			i++
			continue
		}
		if s.initial != nil {
			prev := rune(0)
			if i > 0 {
				prev = unicode.ToLower(word[i-1])
			}
			if i == 0 || (!s.startOnly && (isCyrVowel(prev) || prev == 'ь' || prev == 'ъ')) {
				if v, ok := s.initial[r]; ok {
					b.WriteString(v)
					continue
				}
			}
		}
		if v, ok := s.base[r]; ok {
			b.WriteString(v)
			continue
		}
		b.WriteRune(r)
	}
}

// Greek: ELOT 743 (the system of Greek passports and of ICAO) and a
// phonetic English spelling (Η, Υ, ΟΙ and ΕΙ as I, Χ as H, ΜΠ as B).
type greekScheme struct {
	name     string
	phonetic bool
}

var (
	greekELOT     = &greekScheme{name: "ELOT 743"}
	greekPhonetic = &greekScheme{name: "phonetic", phonetic: true}
	greekSchemes  = []*greekScheme{greekELOT, greekPhonetic}
)

var greekBase = map[rune]string{
	'α': "a", 'β': "v", 'γ': "g", 'δ': "d", 'ε': "e", 'ζ': "z", 'η': "i",
	'θ': "th", 'ι': "i", 'κ': "k", 'λ': "l", 'μ': "m", 'ν': "n", 'ξ': "x",
	'ο': "o", 'π': "p", 'ρ': "r", 'σ': "s", 'ς': "s", 'τ': "t", 'υ': "y",
	'φ': "f", 'χ': "ch", 'ψ': "ps", 'ω': "o", 'ϊ': "i", 'ϋ': "y",
}

func isGreekVoiceless(r rune) bool {
	switch r {
	case 'θ', 'κ', 'ξ', 'π', 'σ', 'ς', 'τ', 'φ', 'χ', 'ψ':
		return true
	}
	return false
}

// translit writes one Greek word in Latin. The word must be lower case
// with tonos removed (dialytika kept as ϊ and ϋ, which block digraphs).
func (s *greekScheme) translit(b *strings.Builder, w []rune) {
	n := len(w)
	at := func(i int) rune {
		if i < n && i >= 0 {
			return w[i]
		}
		return 0
	}
	for i := 0; i < n; i++ {
		r, next := w[i], at(i+1)
		if scriptOf(r) != scriptGreek {
			b.WriteRune(r)
			continue
		}
		switch {
		case (r == 'α' || r == 'ε' || r == 'η') && next == 'υ':
			// ΑΥ, ΕΥ, ΗΥ: V before a vowel or voiced consonant, F before a voiceless one.
			v := map[rune]string{'α': "a", 'ε': "e", 'η': "i"}[r]
			if isGreekVoiceless(at(i+2)) || at(i+2) == 0 {
				b.WriteString(v + "f")
			} else {
				b.WriteString(v + "v")
			}
			i++
			continue
		case r == 'ο' && next == 'υ':
			if s.phonetic && i+2 < n {
				b.WriteString("u")
			} else {
				b.WriteString("ou")
			}
			i++
			continue
		case r == 'μ' && next == 'π':
			if i == 0 || i+2 == n || s.phonetic {
				b.WriteString("b")
			} else {
				b.WriteString("mp")
			}
			i++
			continue
		case r == 'ν' && next == 'τ':
			if i == 0 {
				b.WriteString("d")
			} else if s.phonetic {
				b.WriteString("nd")
			} else {
				b.WriteString("nt")
			}
			i++
			continue
		case r == 'γ' && (next == 'γ' || next == 'κ' || next == 'ξ' || next == 'χ'):
			switch {
			case next == 'γ':
				b.WriteString("ng")
			case next == 'κ' && i == 0:
				b.WriteString("g")
			case next == 'κ' && s.phonetic:
				b.WriteString("ng")
			case next == 'κ':
				b.WriteString("gk")
			case next == 'ξ':
				b.WriteString("nx")
			case s.phonetic:
				b.WriteString("nh")
			default:
				b.WriteString("nch")
			}
			i++
			continue
		}
		if s.phonetic {
			switch {
			case r == 'α' && next == 'ι':
				b.WriteString("e")
				i++
				continue
			case (r == 'ε' || r == 'ο') && next == 'ι':
				b.WriteString("i")
				i++
				continue
			case r == 'υ' || r == 'ϋ':
				b.WriteString("i")
				continue
			case r == 'χ':
				b.WriteString("h")
				continue
			}
		}
		if v, ok := greekBase[r]; ok {
			b.WriteString(v)
			continue
		}
		b.WriteRune(r)
	}
}
