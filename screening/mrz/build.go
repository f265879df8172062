package mrz

import (
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/bordersec/portcullis/screening"
)

// Build returns the lines of an MRZ of m.Format holding m's fields, with
// every check digit computed. It reads Format, DocumentCode, IssuingState,
// Primary, Secondary, Number, Nationality, BirthDate, Sex, ExpiryDate,
// Optional and Optional2 (TD1 only); it ignores Raw, Checks, Problems and
// NameTruncated.
//
// Names go through [Transliterate] and are cut at the end of the name field
// when too long. A document number longer than nine characters is written
// the ICAO way in TD1 (up to 23 characters) and TD2 (up to 15): nine
// characters, a filler, the rest at the start of the optional data with its
// check digit and, when room is left, a filler before any optional data. A
// document number must not begin or end with a filler. An unknown date of
// birth is written as fillers
// and a partial one with '<<' for the unknown month and day; the expiry
// date must be a full date. GenderOther and GenderUnknown are written '<'.
// An empty TD3 personal number gets '<' as its check digit.
//
// Build checks characters and lengths, not that state codes are known, so
// that it can make invalid MRZs for tests. An error is a *FieldError.
func Build(m *MRZ) ([]string, error) {
	f := m.Format
	w := f.Width()
	if w == 0 {
		return nil, buildError(FieldDocumentCode, "", "unknown format "+strconv.Itoa(int(f)))
	}
	code, err := buildCode(f, m.DocumentCode)
	if err != nil {
		return nil, err
	}
	state, err := buildState(FieldIssuingState, m.IssuingState)
	if err != nil {
		return nil, err
	}
	nat, err := buildState(FieldNationality, m.Nationality)
	if err != nil {
		return nil, err
	}
	nameWidth := w - 5
	if f == TD1 {
		nameWidth = w
	}
	name, err := buildName(m.Primary, m.Secondary, nameWidth)
	if err != nil {
		return nil, err
	}
	birth, err := buildDate(FieldBirthDate, m.BirthDate)
	if err != nil {
		return nil, err
	}
	expiry, err := buildDate(FieldExpiryDate, m.ExpiryDate)
	if err != nil {
		return nil, err
	}
	sex, err := buildSex(m.Sex)
	if err != nil {
		return nil, err
	}
	if err := checkChars(FieldOptionalData, m.Optional); err != nil {
		return nil, err
	}
	if err := checkChars(FieldOptionalData2, m.Optional2); err != nil {
		return nil, err
	}
	if f != TD1 && m.Optional2 != "" {
		return nil, buildError(FieldOptionalData2, m.Optional2, "only TD1 has a second optional data field")
	}
	if err := checkNumber(m.Number); err != nil {
		return nil, err
	}

	// The document number, its check digit and the optional data that
	// shares its field with a long number's continuation.
	optWidth := map[Format]int{TD1: 15, TD2: 7, TD3: 14, MRVA: 16, MRVB: 8}[f]
	num9, numCheck, opt, err := buildNumber(f, m.Number, m.Optional, optWidth)
	if err != nil {
		return nil, err
	}

	var l1, l2 strings.Builder
	switch f {
	case TD1:
		l1.WriteString(code)
		l1.WriteString(state)
		l1.WriteString(num9)
		l1.WriteByte(numCheck)
		l1.WriteString(opt)
		l2.WriteString(birth)
		l2.WriteByte(checkDigit(birth))
		l2.WriteByte(sex)
		l2.WriteString(expiry)
		l2.WriteByte(checkDigit(expiry))
		l2.WriteString(nat)
		opt2, err := pad(FieldOptionalData2, m.Optional2, 11)
		if err != nil {
			return nil, err
		}
		l2.WriteString(opt2)
		line1, line2 := l1.String(), l2.String()
		var s summer
		s.add(line1[5:30])
		s.add(line2[0:7])
		s.add(line2[8:15])
		s.add(line2[18:29])
		return []string{line1, line2 + string(s.digit()), name}, nil
	}
	l1.WriteString(code)
	l1.WriteString(state)
	l1.WriteString(name)
	l2.WriteString(num9)
	l2.WriteByte(numCheck)
	l2.WriteString(nat)
	l2.WriteString(birth)
	l2.WriteByte(checkDigit(birth))
	l2.WriteByte(sex)
	l2.WriteString(expiry)
	l2.WriteByte(checkDigit(expiry))
	l2.WriteString(opt)
	if f == TD3 {
		if strings.Trim(opt, "<") == "" {
			l2.WriteByte('<')
		} else {
			l2.WriteByte(checkDigit(opt))
		}
	}
	line2 := l2.String()
	if !f.IsVisa() {
		var s summer
		s.add(line2[0:10])
		s.add(line2[13:20])
		s.add(line2[21:])
		line2 += string(s.digit())
	}
	return []string{l1.String(), line2}, nil
}

func buildError(f Field, value, reason string) *FieldError {
	return &FieldError{Field: f, Value: value, Reason: reason}
}

func buildCode(f Format, code string) (string, error) {
	if code == "" || len(code) > 2 {
		return "", buildError(FieldDocumentCode, code, "want 1 or 2 letters")
	}
	var allowed string
	switch f {
	case TD1, TD2:
		allowed = "ACI"
	case TD3:
		allowed = "P"
	default:
		allowed = "V"
	}
	if !strings.Contains(allowed, code[:1]) {
		return "", buildError(FieldDocumentCode, code, "a "+f.String()+" document code begins with one of "+allowed)
	}
	if len(code) == 2 && code[1] != '<' && (code[1] < 'A' || code[1] > 'Z') {
		return "", buildError(FieldDocumentCode, code, "second character is not a letter")
	}
	return pad(FieldDocumentCode, code, 2)
}

func buildState(f Field, code string) (string, error) {
	if code == "" || len(code) > 3 || !letters(code) {
		return "", buildError(f, code, "want a state code of 1 to 3 letters")
	}
	return pad(f, code, 3)
}

func checkChars(f Field, s string) error {
	for i := 0; i < len(s); i++ {
		if charValue[s[i]] < 0 {
			return buildError(f, s, "character "+strconv.QuoteRune(rune(s[i]))+" is not A-Z, 0-9 or '<'")
		}
	}
	return nil
}

func checkNumber(n string) error {
	if n == "" {
		return buildError(FieldDocumentNumber, n, "empty")
	}
	if err := checkChars(FieldDocumentNumber, n); err != nil {
		return err
	}
	if n[len(n)-1] == '<' || n[0] == '<' {
		return buildError(FieldDocumentNumber, n, "begins or ends with a filler")
	}
	return nil
}

// buildNumber returns the nine characters of the number field, its check
// digit (or the filler of a long number) and the optional data field.
func buildNumber(f Format, num, opt string, optWidth int) (num9 string, check byte, optField string, err error) {
	if len(num) <= 9 {
		num9, err = pad(FieldDocumentNumber, num, 9)
		if err != nil {
			return "", 0, "", err
		}
		optField, err = pad(FieldOptionalData, opt, optWidth)
		return num9, checkDigit(num9), optField, err
	}
	if f != TD1 && f != TD2 {
		return "", 0, "", buildError(FieldDocumentNumber, num, "longer than 9 characters; only TD1 and TD2 can continue it")
	}
	rest := num[9:]
	if len(rest)+1 > optWidth {
		return "", 0, "", buildError(FieldDocumentNumber, num, "longer than "+strconv.Itoa(9+optWidth-1)+" characters")
	}
	if strings.IndexByte(rest, '<') >= 0 {
		return "", 0, "", buildError(FieldDocumentNumber, num, "a filler after the ninth character")
	}
	// The continuation, its check digit, and the filler that ends it when
	// there is room.
	cont := rest + string(checkDigit(num))
	if len(cont) < optWidth || opt != "" {
		cont += "<" + opt
	}
	optField, err = pad(FieldOptionalData, cont, optWidth)
	if err != nil {
		return "", 0, "", buildError(FieldOptionalData, opt, "too long to follow a document number of "+strconv.Itoa(len(num))+" characters")
	}
	return num[:9], '<', optField, nil
}

// pad fills s with '<' to width.
func pad(f Field, s string, width int) (string, error) {
	if len(s) > width {
		return "", buildError(f, s, "longer than "+strconv.Itoa(width)+" characters")
	}
	return s + strings.Repeat("<", width-len(s)), nil
}

func buildDate(f Field, d screening.Date) (string, error) {
	if err := d.Validate(); err != nil {
		return "", buildError(f, d.String(), err.Error())
	}
	p := d.Precision()
	switch {
	case p == screening.PrecisionNone && f == FieldBirthDate:
		return "<<<<<<", nil
	case p == screening.PrecisionRange, p == screening.PrecisionNone:
		return "", buildError(f, d.String(), "want a date")
	case f == FieldExpiryDate && p != screening.PrecisionDay:
		return "", buildError(f, d.String(), "want a full date")
	}
	b := []byte("<<<<<<")
	two := func(at, v int) { b[at], b[at+1] = byte('0'+v/10), byte('0'+v%10) }
	two(0, d.Year%100)
	if d.Month != 0 {
		two(2, d.Month)
	}
	if d.Day != 0 {
		two(4, d.Day)
	}
	return string(b), nil
}

func buildSex(g screening.Gender) (byte, error) {
	switch g {
	case screening.GenderMale:
		return 'M', nil
	case screening.GenderFemale:
		return 'F', nil
	case screening.GenderOther, screening.GenderUnknown:
		return '<', nil
	}
	return 0, buildError(FieldSex, string(g), "want M, F, X or empty")
}

// buildName writes "PRIMARY<<SECONDARY" with '<' between parts, cut or
// padded to width.
func buildName(primary, secondary string, width int) (string, error) {
	p, err := Transliterate(primary)
	if err != nil {
		return "", err
	}
	s, err := Transliterate(secondary)
	if err != nil {
		return "", err
	}
	if p == "" && s == "" {
		return "", buildError(FieldName, "", "no name")
	}
	name := strings.ReplaceAll(p, " ", "<")
	if s != "" {
		name += "<<" + strings.ReplaceAll(s, " ", "<")
	}
	if len(name) > width {
		name = name[:width]
	}
	return name + strings.Repeat("<", width-len(name)), nil
}

// transliterations are the ICAO 9303 part 3 spellings of Latin letters that
// are not a plain letter with marks.
var transliterations = map[rune]string{
	'Ä': "AE", 'Å': "AA", 'Æ': "AE", 'Ö': "OE", 'Ø': "OE", 'Œ': "OE",
	'Ü': "UE", 'ß': "SS", 'ẞ': "SS", 'Þ': "TH", 'Ð': "D", 'Đ': "D",
	'Ĳ': "IJ", 'Ł': "L", 'Ŀ': "L", 'Ħ': "H", 'ı': "I", 'Ŋ': "N", 'Ŧ': "T",
}

// Transliterate writes a name in the characters of an MRZ: upper-case A to
// Z, its words separated by single spaces. Letters are upper-cased; Ä, Ö,
// Ü become AE, OE, UE, Å AA, Æ AE, Ø and Œ OE, ß SS, Þ TH, Ĳ IJ, Ł L, Đ and
// Ð D (ICAO 9303 part 3); other letters lose their accents (É E, Ñ N, Ç C).
// Spaces, hyphens, commas, full stops and '<' separate words; apostrophes
// are dropped. Any other character (a digit, a letter outside the Latin
// script) is an error.
func Transliterate(name string) (string, error) {
	var b strings.Builder
	b.Grow(len(name))
	space := false
	word := func(s string) {
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteString(s)
	}
	for _, r := range name {
		switch {
		case r >= 'A' && r <= 'Z':
			word(string(r))
		case r >= 'a' && r <= 'z':
			word(string(r - 'a' + 'A'))
		case r == ' ' || r == '-' || r == ',' || r == '.' || r == '<' || r == '\t' || r == '‐':
			space = true
		case r == '\'' || r == '’' || r == '`' || r == 'ʼ':
		default:
			up := unicode.ToUpper(r)
			if up >= 'A' && up <= 'Z' {
				word(string(up))
				continue
			}
			if t, ok := transliterations[up]; ok {
				word(t)
				continue
			}
			if t, ok := transliterations[r]; ok {
				word(t)
				continue
			}
			base, ok := stripMarks(up)
			if !ok {
				return "", buildError(FieldName, name, "cannot write "+strconv.QuoteRune(r)+" in an MRZ")
			}
			word(string(base))
		}
	}
	return b.String(), nil
}

// stripMarks returns the A-Z letter under a letter with combining marks.
func stripMarks(r rune) (rune, bool) {
	d := []rune(norm.NFD.String(string(r)))
	if len(d) < 2 || d[0] < 'A' || d[0] > 'Z' {
		return 0, false
	}
	for _, m := range d[1:] {
		if !unicode.Is(unicode.Mn, m) {
			return 0, false
		}
	}
	return d[0], true
}

// FromTraveller returns an MRZ of format f for the document t carries, to
// give to Build. The document code is t.Document.Type, or P, I or V by
// format when it is empty; the issuing state and nationality are codes or
// English names (DEU is written D, as Germany does); names are transliterated;
// the number is upper-cased without spaces and hyphens. A traveller with only
// a full Name gets it as the primary identifier.
func FromTraveller(f Format, t *screening.Traveller) (*MRZ, error) {
	if t.Document == nil {
		return nil, buildError(FieldDocumentNumber, "", "the traveller has no document")
	}
	d := t.Document
	code := strings.ToUpper(strings.TrimSpace(d.Type))
	if code == "" {
		switch f {
		case TD3:
			code = "P"
		case MRVA, MRVB:
			code = "V"
		default:
			code = "I"
		}
	}
	surname, given := t.Surname, t.GivenNames
	if surname == "" && given == "" {
		surname = t.Name
	}
	primary, err := Transliterate(surname)
	if err != nil {
		return nil, err
	}
	secondary, err := Transliterate(given)
	if err != nil {
		return nil, err
	}
	number := strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(d.Number))
	return &MRZ{
		Format:       f,
		DocumentCode: code,
		IssuingState: mrzState(d.Country),
		Primary:      primary,
		Secondary:    secondary,
		Number:       number,
		Nationality:  mrzState(t.Nationality),
		BirthDate:    t.BirthDate,
		Sex:          t.Gender,
		ExpiryDate:   d.Expiry,
	}, nil
}

// mrzState returns the MRZ code of a country given as a code or a name.
func mrzState(s string) string {
	c, ok := screening.CountryCode(s)
	if !ok {
		return strings.ToUpper(strings.TrimSpace(s))
	}
	if c == "DEU" {
		return "D"
	}
	return c
}
