package matcher

import (
	"strings"
)

// Kind says whether a name is a person's or an organisation's; the two get
// different name structure (titles and particles; legal forms).
type Kind uint8

// The kinds of name.
const (
	Person Kind = iota
	Organization
)

// String returns "person" or "organization".
func (k Kind) String() string {
	if k == Organization {
		return "organization"
	}
	return "person"
}

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// titles are honorifics, ranks and religious titles that lists and
// travellers put before names. They are dropped from person names.
var titles = setOf(
	"MR", "MRS", "MS", "MISS", "MX", "DR", "DOCTOR", "PROF", "PROFESSOR", "SIR", "DAME",
	"LORD", "LADY", "REV", "REVEREND", "HON", "ENG", "ENGR", "ENGINEER",
	"HAJI", "HAJJI", "HADJI", "HAJJ", "HAJ", "ALHAJI", "ALHAJ", "ALHAJJ", "HAJIA", "HAJJA",
	"SHEIKH", "SHAIKH", "SHEIK", "SHAYKH", "SHEYKH", "SHEKH", "CHEIKH",
	"MULLAH", "MULLA", "MOLLA", "MAULANA", "MAULVI", "MAWLAWI", "MAULAVI", "MOULVI", "MAWLAVI",
	"QARI", "IMAM", "USTADH", "USTAZ", "USTAD", "SAYYED", "SAYYID",
	"GENERAL", "GEN", "LIEUTENANT", "LT", "COLONEL", "COL", "MAJOR", "MAJ", "CAPTAIN", "CAPT",
	"CPT", "COMMANDER", "CMDR", "CDR", "COMMANDANT", "BRIGADIER", "BRIG", "ADMIRAL", "ADM",
	"SERGEANT", "SGT", "CORPORAL", "CPL", "MARSHAL", "FIELD", "MAJ-GEN", "LTCOL",
	"SENATOR", "DEPUTY", "PRESIDENT", "MINISTER", "GOVERNOR", "AMBASSADOR",
	"SHRI", "SRI", "SMT", "SHRIMATI", "KUMARI", "CHIEF", "HAJIYA", "HAJIYAH", "ALHAJA", "ALHAJJI",
	"PASTOR", "BISHOP", "APOSTLE", "EVANGELIST", "MADAM", "MADAME",
	"MONSIEUR", "MME", "MLLE", "SENOR", "SENORA", "HERR", "FRAU",
)

// particles join the word after them: AL SABAH and ALSABAH are one word.
var particles = setOf(
	"AL", "EL", "UL", "BIN", "IBN", "BINT", "ABU", "ABOU", "ABOO", "UMM", "UM", "OUM",
	"ABO", "VAN", "VON", "DER", "DEN", "DE", "DA", "DAS", "DOS", "DI", "DU", "DEL", "DELLA",
	"DELLE", "DEI", "MC", "MAC",
)

// The article written with a hyphen and assimilated to a sun letter
// (AR-RAHMAN, AS-SAYYID) is AL.
var assimilatedAl = setOf("AD", "AR", "AS", "ASH", "AZ", "AT", "AN", "ADH", "ATH", "ATS", "ADZ")

// abdPrefixes are the forms of ʿABD ("servant of"), which join the name of
// God after them: ABD AL AZIZ, ABDUL AZIZ, ABDEL AZIZ and ABDULAZIZ are one
// word, ABDULAZIZ.
var abdPrefixes = setOf("ABD", "ABDU", "ABDUL", "ABDEL", "ABDAL", "ABDOL", "ABDIL",
	"ABDUR", "ABDER", "ABDAR", "ABDUS", "ABDES", "ABDAS", "ABDUN", "ABDUZ", "ABDUSH")

// coreParticles may be dropped from a word when comparing (ALBAGHDADI and
// BAGHDADI): articles and words of descent. LA only follows DE (DELACRUZ).
var coreParticles = setOf("AL", "EL", "UL", "BIN", "IBN", "BINT", "VAN", "VON", "DER",
	"DEN", "DE", "DA", "DAS", "DOS", "DI", "DU", "DEL", "DELLA", "DELLE", "DEI", "LA", "LE")

// legalForms are the company forms dropped from organisation names,
// including multi-word ones (written here with spaces) and the
// transliterations of Cyrillic ones (ООО is OOO).
var legalForms = map[string]bool{}
var legalFormPhrases [][]string

func init() {
	for _, f := range []string{
		"LTD", "LIMITED", "LLC", "LLP", "LP", "INC", "INCORPORATED", "CORP", "CORPORATION",
		"CO", "COMPANY", "GMBH", "AG", "KG", "KGAA", "OHG", "UG", "SA", "SAS", "SARL", "SRL",
		"SPA", "SAPI", "BV", "NV", "PLC", "PJSC", "OJSC", "CJSC", "JSC", "PSC", "OAO", "ZAO",
		"PAO", "AO", "OOO", "TOO", "TOV", "PAT", "PRAT", "FZE", "FZCO", "FZC", "FZ", "FZLLC",
		"DMCC", "PTE", "PVT", "PTY", "BHD", "SDN", "KK", "AB", "AS", "ASA", "OY", "OYJ", "SE",
		"EOOD", "OOD", "EAD", "DOO", "DD", "KFT", "ZRT", "NYRT", "SRO", "SPZOO", "ZOO", "LTDA",
		"CIA", "SCS", "SNC", "SCA", "EIRL", "EURL", "SCRL", "SPRL", "BVBA", "CV", "SL", "SLU",
		"SAU", "SAC", "SAA", "SACV", "SADECV", "SRLDECV", "WLL", "LLC-FZ", "PLLC", "GP",
		"ULC", "AD", "OU", "UAB", "SIA", "IK", "EK", "EV", "ANSTALT", "STIFTUNG",
		"LIMITED LIABILITY COMPANY", "LIMITED LIABILITY PARTNERSHIP", "JOINT STOCK COMPANY",
		"CLOSED JOINT STOCK COMPANY", "OPEN JOINT STOCK COMPANY", "PUBLIC JOINT STOCK COMPANY",
		"PRIVATE JOINT STOCK COMPANY", "JOINT-STOCK COMPANY", "PUBLIC LIMITED COMPANY",
		"PRIVATE LIMITED COMPANY", "SOCIETE ANONYME", "SOCIEDAD ANONIMA", "SOCIETA PER AZIONI",
		"SOCIEDADE ANONIMA", "SOCIEDAD LIMITADA", "S DE RL", "SA DE CV", "SP Z OO",
		"CO LTD", "PTE LTD", "PVT LTD", "PTY LTD", "SDN BHD", "GMBH CO KG", "S A", "S L",
		"L L C", "B V", "N V", "A G", "S P A", "S R L", "J S C",
	} {
		words := strings.Fields(strings.ReplaceAll(f, "-", " "))
		if len(words) == 1 {
			legalForms[words[0]] = true
		} else {
			legalFormPhrases = append(legalFormPhrases, words)
		}
	}
}

// orgStopWords carry no identity in organisation names.
var orgStopWords = setOf("THE", "OF", "AND", "FOR", "ET", "UND", "Y", "I")

// word is one word of a name after normalisation and name structure.
type word struct {
	text       string // Latin capitals and digits
	core       string // text without leading particles, or ""
	unvowelled bool   // from Arabic script: compare by skeleton
	skel       string // for unvowelled words: the skeleton of the source letters
	coreSkel   string // the same for the core
}

// stok is a token during name structure: its text and, for words from
// Arabic script, the raw skeleton of its letters.
type stok struct {
	text string
	unv  bool
	skel string // raw skeleton (see rawSkeleton); "" for vowelled words
}

// rawSkelOf returns the raw skeleton of a token: from its source letters
// when it has no vowels, else from its text.
func (t stok) rawSkelOf() string {
	if t.unv {
		return t.skel
	}
	return rawSkeleton(t.text)
}

// structure applies name structure to the Latin tokens of one spelling.
func structure(toks []token, kind Kind) []word {
	ts := make([]stok, 0, len(toks))
	for i, t := range toks {
		w := t.text
		if kind == Person && t.hyphen && assimilatedAl[w] && i+1 < len(toks) {
			w = "AL"
		}
		ts = append(ts, stok{text: w, unv: t.unvowelled, skel: t.skel})
	}
	if kind == Organization {
		ts = dropLegalForms(ts)
	} else {
		ts = dropTitles(ts)
	}
	return joinParticles(ts)
}

func dropTitles(ts []stok) []stok {
	n := 0
	for _, t := range ts {
		if !titles[t.text] {
			n++
		}
	}
	if n == 0 || n == len(ts) {
		return ts
	}
	out := make([]stok, 0, n)
	for _, t := range ts {
		if !titles[t.text] {
			out = append(out, t)
		}
	}
	return out
}

func dropLegalForms(ts []stok) []stok {
	drop := make([]bool, len(ts))
	for _, p := range legalFormPhrases {
		for i := 0; i+len(p) <= len(ts); i++ {
			match := true
			for j := range p {
				if ts[i+j].text != p[j] {
					match = false
					break
				}
			}
			if match {
				for j := range p {
					drop[i+j] = true
				}
			}
		}
	}
	for i, t := range ts {
		if legalForms[t.text] || orgStopWords[t.text] {
			drop[i] = true
		}
	}
	n := 0
	for _, d := range drop {
		if !d {
			n++
		}
	}
	if n == 0 {
		return ts
	}
	out := make([]stok, 0, n)
	for i, t := range ts {
		if !drop[i] {
			out = append(out, t)
		}
	}
	return out
}

// joinParticles joins particles to the word that follows them and records
// the word without them as its core; it joins the second halves of
// compound Arabic names to the word before them.
func joinParticles(ts []stok) []word {
	out := make([]word, 0, len(ts))
	var pend []stok // particles waiting for their word
	for i, t := range ts {
		w := t.text
		isLast := i == len(ts)-1
		// A word rendered from Arabic script without vowels is never a
		// particle (عابد renders as ABD); BEN is one only after a first word.
		isParticle := !t.unv && (particles[w] || abdPrefixes[w] ||
			(w == "LA" && len(pend) > 0) || (w == "LE" && len(pend) > 0) ||
			(w == "BEN" && i > 0))
		if isParticle && !isLast {
			switch w {
			case "EL", "UL":
				t.text = "AL"
			case "BEN":
				t.text = "BIN"
			}
			pend = append(pend, t)
			continue
		}
		nw := makeWord(pend, t)
		pend = pend[:0]
		if k := len(out); k > 0 && isCompoundSuffix(nw.text) && len(out[k-1].text) >= 2 {
			// KHAYR ALLAH, SALAH AL-DIN: the name of God or of the faith
			// after a word belongs to it (KHAYRALLAH, SALAHUDDIN).
			prev := out[k-1]
			joined := word{text: canonSuffix(prev.text + nw.text), unvowelled: prev.unvowelled || nw.unvowelled}
			if joined.unvowelled {
				joined.skel = joinSkeletons([]string{rawSkelOfWord(prev), rawSkelOfWord(nw)})
			}
			if !joined.unvowelled {
				joined.core = compoundStem(joined.text)
			}
			out[k-1] = joined
			continue
		}
		nw.text = canonSuffix(nw.text)
		if nw.core == "" && !nw.unvowelled {
			nw.core = compoundStem(nw.text)
		}
		out = append(out, nw)
	}
	if len(out) > maxWords {
		out = out[:maxWords]
	}
	return out
}

// rawSkelOfWord returns the skeleton of a finished word before its last
// step, for joining.
func rawSkelOfWord(w word) string {
	if w.unvowelled {
		return w.skel
	}
	return rawSkeleton(w.text)
}

// compoundStem returns the first half of a compound name (SIRAJ of
// SIRAJUDDIN, SHAFIQ of SHAFIQULLAH), which lists also give alone, or "".
func compoundStem(w string) string {
	for _, cs := range compoundSuffixes {
		if strings.HasSuffix(w, cs.canon) {
			stem := w[:len(w)-len(cs.canon)]
			if len(stem) >= 4 && !strings.HasPrefix(stem, "ABD") {
				return stem
			}
		}
	}
	return ""
}

// makeWord builds one word from the particles before it and its token.
func makeWord(pend []stok, t stok) word {
	unv := t.unv
	for _, p := range pend {
		unv = unv || p.unv
	}
	skel := func(parts []stok) string {
		if !unv {
			return ""
		}
		raws := make([]string, len(parts))
		for i, p := range parts {
			raws[i] = p.rawSkelOf()
		}
		return joinSkeletons(raws)
	}
	if len(pend) == 0 {
		text := canonAbd(t.text)
		return word{text: text, core: joinedArticleCore(text), unvowelled: unv, skel: skel([]stok{t})}
	}
	// The core keeps ABD and the article that belongs to it (BIN ABD AL
	// AZIZ has core ABDULAZIZ), and drops the particles before.
	cut := 0
	for j, p := range pend {
		if coreParticles[p.text] && !(p.text == "AL" && j > 0 && abdPrefixes[pend[j-1].text]) {
			cut = j + 1
		}
	}
	var b strings.Builder
	for _, p := range pend {
		b.WriteString(p.text)
	}
	text := canonAbd(b.String() + t.text)
	core, coreSkel := "", ""
	all := append(append([]stok(nil), pend...), t)
	if cut > 0 {
		b.Reset()
		for _, p := range pend[cut:] {
			b.WriteString(p.text)
		}
		core = canonAbd(b.String() + t.text)
		coreSkel = skel(all[cut:])
	}
	return word{text: text, core: core, unvowelled: unv, skel: skel(all), coreSkel: coreSkel}
}

// compoundSuffixes are the second halves of compound Arabic names,
// written as separate words or joined.
var compoundSuffixes = []struct {
	forms []string
	canon string
}{
	{[]string{"ALLAH", "ULLAH", "ELLAH", "ILLAH", "ALLA", "ULLA"}, "ULLAH"},
	{[]string{"ALDIN", "ALDINE", "ALDEEN", "ELDIN", "ELDINE", "ELDEEN", "ULDIN", "UDDIN", "UDDINE", "UDDEEN",
		"OUDDINE", "OUDDIN", "EDDIN", "EDDINE", "EDDEEN", "ADDIN", "ADDINE", "ODDIN", "UDIN", "EDINE"}, "UDDIN"},
}

func isCompoundSuffix(w string) bool {
	for _, cs := range compoundSuffixes {
		for _, f := range cs.forms {
			if w == f {
				return true
			}
		}
	}
	return false
}

// canonSuffix spells the compound suffix of a word one way: KHAIRALLAH and
// KHAIRULLAH become KHAIRULLAH, SALAHEDDINE and SALAHALDIN SALAHUDDIN.
func canonSuffix(w string) string {
	best, canon := "", ""
	for _, cs := range compoundSuffixes {
		for _, f := range cs.forms {
			if len(f) > len(best) && len(w) >= len(f)+2 && strings.HasSuffix(w, f) {
				best, canon = f, cs.canon
			}
		}
	}
	if best == "" {
		return w
	}
	return w[:len(w)-len(best)] + canon
}

// joinedArticleCore returns the word after an article written joined to it
// (ALBAGHDADI → BAGHDADI), when what remains is long enough to be a name.
func joinedArticleCore(w string) string {
	if len(w) >= 7 && (strings.HasPrefix(w, "AL") || strings.HasPrefix(w, "EL")) {
		return w[2:]
	}
	return ""
}

func isSunLetter(c byte) bool {
	switch c {
	case 'T', 'D', 'R', 'Z', 'S', 'N':
		return true
	}
	return false
}

// canonAbd spells the ʿABD AL- prefix one way: ABDEL, ABDAL, ABDOL and the
// assimilated ABDUR-R, ABDUS-S become ABDUL.
func canonAbd(w string) string {
	if len(w) < 6 || !strings.HasPrefix(w, "ABD") {
		return w
	}
	rest := w[3:]
	if strings.ContainsRune("AEIOU", rune(rest[0])) {
		rest = rest[1:]
	}
	switch {
	case len(rest) >= 3 && rest[0] == 'L':
		return "ABDUL" + rest[1:]
	case len(rest) >= 4 && rest[0] == rest[1] && isSunLetter(rest[0]):
		return "ABDUL" + rest[1:]
	case len(rest) >= 5 && strings.HasPrefix(rest, "SHSH"):
		return "ABDUL" + rest[2:]
	}
	return w
}

// ParseMRZName splits the name field of a machine readable zone
// ("SURNAME<<GIVEN<NAMES<<<<") into the words of the primary identifier
// (surname) and of the secondary identifier (given names). Filler '<'
// separates words. Characters other than A-Z, 0-9 and '<' are read as
// Normalize reads them. A field without "<<" is all primary identifier.
func ParseMRZName(s string) (primary, secondary []string) {
	s = strings.TrimRight(strings.TrimSpace(s), "<")
	p, sec, _ := strings.Cut(s, "<<")
	split := func(part string) []string {
		var out []string
		for _, f := range strings.FieldsFunc(part, func(r rune) bool { return r == '<' }) {
			if w := Normalize(f); w != "" {
				out = append(out, strings.Fields(w)...)
			}
		}
		return out
	}
	return split(p), split(sec)
}
