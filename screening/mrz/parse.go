package mrz

import (
	"strconv"
	"strings"
	"time"

	"github.com/bordersec/portcullis/screening"
)

// DefaultExpiryYearsAhead is the default of Parser.ExpiryYearsAhead.
const DefaultExpiryYearsAhead = 50

// Parser reads MRZs. The zero value is ready to use and reads dates
// relative to the current time.
type Parser struct {
	// Now is the reference time for the century of two-digit years; the
	// zero value means time.Now(). Tests set it to get fixed answers.
	Now time.Time
	// ExpiryYearsAhead bounds an expiry date: it is read as the year, among
	// those ending in its two digits, that falls in the 100 years ending
	// ExpiryYearsAhead years after Now. 0 means DefaultExpiryYearsAhead
	// (with Now in 2026, "76" is 2076 and "77" is 1977).
	ExpiryYearsAhead int
}

// Parse reads the lines of an MRZ with the default Parser: see
// [Parser.Parse].
func Parse(lines ...string) (*MRZ, error) { return Parser{}.Parse(lines...) }

// ParseText reads an MRZ given as one text with the default Parser: see
// [Parser.ParseText].
func ParseText(text string) (*MRZ, error) { return Parser{}.ParseText(text) }

// ParseText reads an MRZ given as one text, its lines separated by "\n" or
// "\r\n". Line breaks at the start and end are ignored; nothing else is
// trimmed. Line numbers in errors count from the first line of the MRZ.
func (p Parser) ParseText(text string) (*MRZ, error) {
	text = strings.Trim(text, "\r\n")
	if text == "" {
		return nil, &SyntaxError{Err: ErrFormat, Msg: "no lines"}
	}
	var buf [3]string
	n := 0
	for {
		line, rest, more := strings.Cut(text, "\n")
		if n == len(buf) {
			return nil, &SyntaxError{Err: ErrFormat, Msg: "more than 3 lines; an MRZ has 2 or 3"}
		}
		buf[n] = strings.TrimSuffix(line, "\r")
		n++
		if !more {
			break
		}
		text = rest
	}
	return p.Parse(buf[:n]...)
}

// Parse reads the lines of an MRZ: TD1 (3 lines of 30 characters), TD2 (2
// of 36), TD3 (2 of 44), MRV-A (2 of 44, document code V) or MRV-B (2 of
// 36, document code V).
//
// When the lines cannot be read as an MRZ at all, Parse returns a nil *MRZ
// and a *SyntaxError naming the line and position. Otherwise it returns the
// *MRZ with every field it could read, and the error of [MRZ.Err]: nil when
// every check digit verified and every field could be read, or a
// *CheckError naming the failed check digits and the unreadable fields. A
// caller that wants the fields of a failed MRZ (to show an officer, to
// screen the name anyway) has them; one that ignores the *MRZ when err is
// not nil accepts nothing that failed.
func (p Parser) Parse(lines ...string) (*MRZ, error) {
	f, err := shape(lines)
	if err != nil {
		return nil, err
	}
	r := reader{m: &MRZ{Format: f}}
	r.setClock(p)
	m := r.m
	n := copy(m.lines[:], lines)
	m.Raw = m.lines[:n:n]
	switch f {
	case TD1:
		r.td1(lines[0], lines[1], lines[2])
	default:
		r.twoLines(lines[0], lines[1])
	}
	m.Checks = m.checks[:r.nchecks:r.nchecks]
	if !m.Valid() {
		return m, m.Err()
	}
	return m, nil
}

// shape finds the format from the number and length of the lines, checks
// the characters and the first letter of the document code.
func shape(lines []string) (Format, error) {
	f, err := layout(lines)
	if err != nil {
		return 0, err
	}
	c := lines[0][0]
	switch f {
	case TD1:
		if c != 'A' && c != 'C' && c != 'I' {
			return 0, codeError(c, "A, C or I (TD1)")
		}
	case TD2:
		switch {
		case c == 'V':
			f = MRVB
		case strings.HasPrefix(lines[0], "IDFRA"):
			return 0, &SyntaxError{Line: 1, Pos: 1, Err: ErrNationalFormat, Msg: "2 lines of 36 beginning IDFRA: a French identity card issued before 2021"}
		case c != 'A' && c != 'C' && c != 'I':
			return 0, codeError(c, "A, C or I (TD2) or V (MRV-B)")
		}
	case TD3:
		switch c {
		case 'V':
			f = MRVA
		case 'P':
		default:
			return 0, codeError(c, "P (TD3) or V (MRV-A)")
		}
	}
	return f, nil
}

// layout finds the format (TD1, TD2 or TD3, by size) from the number and
// length of the lines and checks their characters.
func layout(lines []string) (Format, error) {
	n := len(lines)
	if n == 0 {
		return 0, &SyntaxError{Err: ErrFormat, Msg: "no lines"}
	}
	w := len(lines[0])
	var f Format
	switch {
	case n == 3 && w == 30:
		f = TD1
	case n == 2 && w == 36:
		f = TD2
	case n == 2 && w == 44:
		f = TD3
	case n == 3 && w == 9 && len(lines[1]) == 30 && len(lines[2]) == 30:
		return 0, &SyntaxError{Err: ErrNationalFormat, Msg: "3 lines of 9, 30 and 30 characters: a Swiss driving licence"}
	case n == 2:
		return 0, &SyntaxError{Line: 1, Err: ErrFormat, Msg: "has " + strconv.Itoa(w) + " characters, want 36 (TD2, MRV-B) or 44 (TD3, MRV-A)"}
	case n == 3:
		return 0, &SyntaxError{Line: 1, Err: ErrFormat, Msg: "has " + strconv.Itoa(w) + " characters, want 30 (TD1)"}
	case n == 1:
		return 0, &SyntaxError{Err: ErrFormat, Msg: "1 line of " + strconv.Itoa(w) + " characters; an MRZ has 2 (TD2, TD3, visas) or 3 (TD1)"}
	default:
		return 0, &SyntaxError{Err: ErrFormat, Msg: strconv.Itoa(n) + " lines; an MRZ has 2 (TD2, TD3, visas) or 3 (TD1)"}
	}
	for i := 1; i < n; i++ {
		if len(lines[i]) != w {
			return 0, &SyntaxError{Line: i + 1, Err: ErrFormat,
				Msg: "has " + strconv.Itoa(len(lines[i])) + " characters, want " + strconv.Itoa(w) + " like line 1"}
		}
	}
	for i, l := range lines {
		for j := 0; j < len(l); j++ {
			if charValue[l[j]] < 0 {
				return 0, &SyntaxError{Line: i + 1, Pos: j + 1, Err: ErrCharacter, Msg: describeByte(l[j])}
			}
		}
	}
	return f, nil
}

// describeByte quotes an ASCII character, or gives the value of a byte of
// a multi-byte or binary sequence.
func describeByte(c byte) string {
	if c >= 0x80 {
		return "byte 0x" + strings.ToUpper(strconv.FormatUint(uint64(c), 16)) + " (not ASCII)"
	}
	return strconv.QuoteRune(rune(c))
}

func codeError(c byte, want string) error {
	return &SyntaxError{Line: 1, Pos: 1, Err: ErrDocumentCode, Msg: strconv.QuoteRune(rune(c)) + " is not " + want}
}

// reader holds the state of one Parse.
type reader struct {
	m       *MRZ
	nchecks int
	// the reference date and expiry window
	year, month, day int
	ahead            int
}

func (r *reader) setClock(p Parser) {
	now := p.Now
	if now.IsZero() {
		now = time.Now()
	}
	y, mo, d := now.Date()
	r.year, r.month, r.day = y, int(mo), d
	r.ahead = p.ExpiryYearsAhead
	if r.ahead <= 0 {
		r.ahead = DefaultExpiryYearsAhead
	}
}

func (r *reader) problem(f Field, line, pos int, value, reason string) {
	r.m.Problems = append(r.m.Problems, FieldError{Field: f, Line: line, Pos: pos, Value: value, Reason: reason})
}

func (r *reader) addCheck(c Check) {
	c.OK = c.OK || c.Got == c.Want
	r.m.checks[r.nchecks] = c
	r.nchecks++
}

// td1 reads the three lines of a TD1.
func (r *reader) td1(l1, l2, l3 string) {
	m := r.m
	r.documentCode(l1[0:2])
	m.IssuingState = r.stateCode(FieldIssuingState, l1[2:5], 1, 3)
	m.Optional = r.number(l1[5:14], l1[14], 1, 15, l1[15:30], 1, 16, true)
	m.BirthDate = r.date(FieldBirthDate, l2[0:6], l2[6], 2, 1)
	m.Sex = r.sex(l2[7], 2, 8)
	m.ExpiryDate = r.date(FieldExpiryDate, l2[8:14], l2[14], 2, 9)
	m.Nationality = r.stateCode(FieldNationality, l2[15:18], 2, 16)
	m.Optional2 = strings.TrimRight(l2[18:29], "<")
	var s summer
	s.add(l1[5:30])
	s.add(l2[0:7])
	s.add(l2[8:15])
	s.add(l2[18:29])
	r.addCheck(Check{Field: FieldComposite, Line: 2, Pos: 30, Got: l2[29], Want: s.digit()})
	r.name(l3, 3, 1)
}

// twoLines reads TD2, TD3, MRV-A and MRV-B, which share their layout up to
// the optional data.
func (r *reader) twoLines(l1, l2 string) {
	m := r.m
	f := m.Format
	w := len(l2)
	r.documentCode(l1[0:2])
	m.IssuingState = r.stateCode(FieldIssuingState, l1[2:5], 1, 3)
	r.name(l1[5:], 1, 6)

	optEnd := w // visas: optional data to the end of the line
	switch f {
	case TD2:
		optEnd = w - 1
	case TD3:
		optEnd = w - 2
	}
	opt := l2[28:optEnd]
	m.Optional = r.number(l2[0:9], l2[9], 2, 10, opt, 2, 29, f == TD2)
	m.Nationality = r.stateCode(FieldNationality, l2[10:13], 2, 11)
	m.BirthDate = r.date(FieldBirthDate, l2[13:19], l2[19], 2, 14)
	m.Sex = r.sex(l2[20], 2, 21)
	m.ExpiryDate = r.date(FieldExpiryDate, l2[21:27], l2[27], 2, 22)
	if f == TD3 {
		c := Check{Field: FieldPersonalNumber, Line: 2, Pos: w - 1, Got: l2[w-2], Want: checkDigit(opt)}
		if strings.TrimLeft(opt, "<") == "" && (c.Got == '<' || c.Got == '0') {
			c.OK = true
			if c.Got != c.Want {
				c.Note = NoteEmptyPersonalNumber
			}
		}
		r.addCheck(c)
	}
	if f.IsVisa() {
		return
	}
	var s summer
	s.add(l2[0:10])
	s.add(l2[13:20])
	s.add(l2[21 : w-1])
	r.addCheck(Check{Field: FieldComposite, Line: 2, Pos: w, Got: l2[w-1], Want: s.digit()})
}

// documentCode reads the two characters of the document code; the first
// was checked by shape.
func (r *reader) documentCode(raw string) {
	r.m.DocumentCode = strings.TrimRight(raw, "<")
	if c := raw[1]; c != '<' && (c < 'A' || c > 'Z') {
		r.problem(FieldDocumentCode, 1, 2, raw, "second character is not a letter or '<'")
	}
}

// stateCode reads an issuing state or nationality: a known ISO 3166
// alpha-3 code or ICAO code, "D" for Germany.
func (r *reader) stateCode(f Field, raw string, line, pos int) string {
	c := strings.TrimRight(raw, "<")
	switch {
	case c == "":
		r.problem(f, line, pos, raw, "no state code")
		return ""
	case !letters(c) || (len(c) < 3 && c != "D"):
		r.problem(f, line, pos, raw, "not a state code")
	case !screening.IsCountryCode(c):
		r.problem(f, line, pos, raw, "unknown state code")
	}
	return c
}

func letters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// number reads the document number and its check digit, and returns the
// optional data that follows. With long set (TD1, TD2), a filler in place
// of the check digit means the number continues in the optional data,
// followed by its check digit and a filler.
func (r *reader) number(num string, ck byte, ckLine, ckPos int, opt string, optLine, optPos int, long bool) string {
	m := r.m
	if !long || ck != '<' {
		m.Number = strings.TrimRight(num, "<")
		r.checkNumber(num, ckLine, ckPos-9)
		r.addCheck(Check{Field: FieldDocumentNumber, Line: ckLine, Pos: ckPos, Got: ck, Want: checkDigit(num)})
		return strings.TrimRight(opt, "<")
	}
	j := strings.IndexByte(opt, '<')
	if j < 0 {
		j = len(opt)
	}
	if j == 0 {
		// A filler for the check digit with nothing to continue: the check
		// digit is missing.
		m.Number = strings.TrimRight(num, "<")
		r.checkNumber(num, ckLine, ckPos-9)
		r.addCheck(Check{Field: FieldDocumentNumber, Line: ckLine, Pos: ckPos, Got: ck, Want: checkDigit(num)})
		return strings.TrimRight(opt, "<")
	}
	rest, got := opt[:j-1], opt[j-1]
	if rest == "" {
		m.Number = strings.TrimRight(num, "<")
	} else {
		m.Number = num + rest
	}
	r.checkNumber(num, ckLine, ckPos-9)
	var s summer
	s.add(num)
	s.add(rest)
	c := Check{Field: FieldDocumentNumber, Line: optLine, Pos: optPos + j - 1, Got: got, Want: s.digit()}
	if got != c.Want {
		var alt summer
		alt.add(num)
		alt.add("<")
		alt.add(rest)
		if got == alt.digit() {
			c.OK = true
			c.Note = NoteLongNumberFiller
		}
	}
	r.addCheck(c)
	if j+1 >= len(opt) {
		return ""
	}
	return strings.TrimRight(opt[j+1:], "<")
}

// checkNumber reports a document number field that is empty or does not
// begin with its first character.
func (r *reader) checkNumber(num string, line, pos int) {
	switch {
	case strings.TrimLeft(num, "<") == "":
		r.problem(FieldDocumentNumber, line, pos, num, "no document number")
	case num[0] == '<':
		r.problem(FieldDocumentNumber, line, pos, num, "begins with a filler")
	}
}

// date reads a YYMMDD date and its check digit.
func (r *reader) date(f Field, raw string, ck byte, line, pos int) screening.Date {
	r.addCheck(Check{Field: f, Line: line, Pos: pos + 6, Got: ck, Want: checkDigit(raw)})
	birth := f == FieldBirthDate
	if raw == "<<<<<<" {
		if !birth {
			r.problem(f, line, pos, raw, "no date")
		}
		return screening.Date{}
	}
	yy, ok := twoDigits(raw[0:2])
	if !ok {
		r.problem(f, line, pos, raw, "not a date (YYMMDD)")
		return screening.Date{}
	}
	mm, mok, munknown := dayOrMonth(raw[2:4])
	dd, dok, dunknown := dayOrMonth(raw[4:6])
	switch {
	case !mok || !dok:
		r.problem(f, line, pos, raw, "not a date (YYMMDD)")
		return screening.Date{}
	case !birth && (munknown || dunknown):
		r.problem(f, line, pos, raw, "not a full date")
		return screening.Date{}
	case munknown && !dunknown:
		r.problem(f, line, pos, raw, "a day without a month")
		return screening.Date{}
	case mm > 12:
		r.problem(f, line, pos, raw, "no month "+raw[2:4])
		return screening.Date{}
	}
	var y int
	if birth {
		y = r.birthYear(yy, mm, dd)
	} else {
		y = r.expiryYear(yy)
	}
	d := screening.Date{Year: y, Month: mm, Day: dd}
	if d.Validate() != nil {
		r.problem(f, line, pos, raw, "no such day in "+strconv.Itoa(y))
		return screening.Date{}
	}
	return d
}

func twoDigits(s string) (int, bool) {
	a, b := s[0], s[1]
	if a < '0' || a > '9' || b < '0' || b > '9' {
		return 0, false
	}
	return int(a-'0')*10 + int(b-'0'), true
}

// dayOrMonth reads two digits of a date, or "<<" and "00" as unknown.
func dayOrMonth(s string) (v int, ok, unknown bool) {
	if s == "<<" {
		return 0, true, true
	}
	v, ok = twoDigits(s)
	return v, ok, ok && v == 0
}

// birthYear puts a two-digit year of birth in the latest century that does
// not put the date after today. A month or day of 0 is unknown, and
// compares as the earliest.
func (r *reader) birthYear(yy, mm, dd int) int {
	y := r.year - r.year%100 + yy
	if y > r.year || y == r.year && (mm > r.month || mm == r.month && dd > r.day) {
		y -= 100
	}
	return y
}

// expiryYear puts a two-digit expiry year in the 100 years ending
// r.ahead years after this one.
func (r *reader) expiryYear(yy int) int {
	hi := r.year + r.ahead
	y := r.year - r.year%100 + yy
	for y > hi {
		y -= 100
	}
	for y <= hi-100 {
		y += 100
	}
	return y
}

// sex reads M, F, and '<' or X (unspecified).
func (r *reader) sex(c byte, line, pos int) screening.Gender {
	switch c {
	case 'M':
		return screening.GenderMale
	case 'F':
		return screening.GenderFemale
	case '<', 'X':
		return screening.GenderOther
	}
	r.problem(FieldSex, line, pos, string(c), "not M, F, X or '<'")
	return screening.GenderUnknown
}

// name reads a name field: the primary identifier, "<<", the secondary
// identifier, parts separated by '<'.
func (r *reader) name(field string, line, pos int) {
	m := r.m
	t := strings.TrimRight(field, "<")
	m.NameTruncated = field[len(field)-1] != '<'
	if t == "" {
		r.problem(FieldName, line, pos, field, "no name")
		return
	}
	for i := 0; i < len(t); i++ {
		if c := t[i]; c >= '0' && c <= '9' {
			r.problem(FieldName, line, pos+i, t, "a digit in a name")
			break
		}
	}
	primary, secondary, _ := strings.Cut(t, "<<")
	m.Primary = words(primary)
	m.Secondary = words(secondary)
}

// words returns the parts of s separated by '<', joined by single spaces.
func words(s string) string {
	s = strings.Trim(s, "<")
	if strings.IndexByte(s, '<') < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); i++ {
		if s[i] == '<' {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
