package mrz

// Repair is one character that Suggest proposes to change.
type Repair struct {
	Line  int // 1-based
	Pos   int // 1-based
	Field Field
	From  byte
	To    byte
}

// OCR confusions between letters and digits, both ways.
var (
	toLetter = map[byte]byte{'0': 'O', '1': 'I', '2': 'Z', '5': 'S', '6': 'G', '8': 'B'}
	toDigit  = map[byte]byte{'O': '0', 'I': '1', 'Z': '2', 'S': '5', 'G': '6', 'B': '8'}
)

// span is a run of positions of one line that hold only letters (alpha)
// or only digits, with fillers allowed in both.
type span struct {
	line, start, end int // 0-based, end excluded
	alpha            bool
	field            Field
}

// Suggest proposes repairs of the usual OCR confusions (0/O, 1/I, 2/Z, 5/S,
// 6/G, 8/B) in the fields whose alphabet leaves no doubt: letters in the
// document code, state codes and names; digits in dates and check digits.
// Document numbers and optional data mix letters and digits, so they are
// never touched.
//
// Parse never repairs anything: Suggest is a separate, explicit step whose
// result is a proposal, to show an officer or to compare with a second
// read. A gate must still treat the original read as failed. Suggest
// returns the proposed lines (a new slice, equal to the input when there is
// nothing to repair) and each repair; the error is a *SyntaxError when the
// lines do not have the shape of an MRZ.
func Suggest(lines ...string) ([]string, []Repair, error) {
	f, err := layout(lines)
	if err != nil {
		return nil, nil, err
	}
	out := make([]string, len(lines))
	copy(out, lines)
	var repairs []Repair
	buf := [][]byte{}
	for _, l := range lines {
		buf = append(buf, []byte(l))
	}
	fix := func(s span) {
		for i := s.start; i < s.end; i++ {
			c := buf[s.line][i]
			var to byte
			var ok bool
			if s.alpha {
				to, ok = toLetter[c]
			} else {
				to, ok = toDigit[c]
			}
			if ok {
				buf[s.line][i] = to
				repairs = append(repairs, Repair{Line: s.line + 1, Pos: i + 1, Field: s.field, From: c, To: to})
			}
		}
	}
	// The document code first: its letter decides between the formats of
	// the same size.
	fix(span{0, 0, 2, true, FieldDocumentCode})
	if f != TD1 && buf[0][0] == 'V' {
		if f == TD2 {
			f = MRVB
		} else {
			f = MRVA
		}
	}
	for _, s := range spans(f, len(lines[0])) {
		fix(s)
	}
	for i := range out {
		out[i] = string(buf[i])
	}
	return out, repairs, nil
}

// spans lists the letter-only and digit-only runs of a format, apart from
// the document code.
func spans(f Format, w int) []span {
	if f == TD1 {
		return []span{
			{0, 2, 5, true, FieldIssuingState},
			{0, 14, 15, false, FieldDocumentNumber},
			{1, 0, 7, false, FieldBirthDate},
			{1, 8, 15, false, FieldExpiryDate},
			{1, 15, 18, true, FieldNationality},
			{1, 29, 30, false, FieldComposite},
			{2, 0, 30, true, FieldName},
		}
	}
	s := []span{
		{0, 2, 5, true, FieldIssuingState},
		{0, 5, w, true, FieldName},
		{1, 9, 10, false, FieldDocumentNumber},
		{1, 10, 13, true, FieldNationality},
		{1, 13, 20, false, FieldBirthDate},
		{1, 21, 28, false, FieldExpiryDate},
	}
	switch f {
	case TD3:
		s = append(s, span{1, 42, 43, false, FieldPersonalNumber}, span{1, 43, 44, false, FieldComposite})
	case TD2:
		s = append(s, span{1, 35, 36, false, FieldComposite})
	}
	return s
}
