package mrz

import (
	"errors"
	"strconv"
	"strings"
)

// ErrFormat is returned, in a *SyntaxError, when the lines do not have the
// shape of any MRZ format: a wrong number of lines or a line of the wrong
// length.
var ErrFormat = errors.New("not a machine readable zone of a known format")

// ErrCharacter is returned, in a *SyntaxError, when a line holds a character
// other than A-Z, 0-9 and the filler '<'. Lower case is not upper-cased.
var ErrCharacter = errors.New("character outside A-Z, 0-9 and '<'")

// ErrDocumentCode is returned, in a *SyntaxError, when the first character of
// the document code is not one the format allows (P for TD3, V for visas, A,
// C or I for TD1 and TD2), so that the fields cannot be placed.
var ErrDocumentCode = errors.New("document code not valid for the format")

// ErrNationalFormat is returned, in a *SyntaxError, when the lines are a
// known national format that is not ICAO 9303 (the French identity card
// issued before 2021, the Swiss driving licence). Reading them as ICAO
// would give wrong fields.
var ErrNationalFormat = errors.New("national format, not ICAO 9303")

// ErrCheckDigit is matched by a *CheckError when at least one check digit
// does not verify.
var ErrCheckDigit = errors.New("check digit does not verify")

// ErrField is matched by a *FieldError, and by a *CheckError holding one,
// when a field cannot be read (a date that does not exist, an unknown state
// code, a digit in a name) or, in Build, cannot be written.
var ErrField = errors.New("field cannot be read")

// SyntaxError reports lines that cannot be read as an MRZ at all. Line and
// Pos are 1-based; Pos is 0 when the error is about a whole line and Line is
// 0 when it is about the whole input. Err is ErrFormat, ErrCharacter,
// ErrDocumentCode or ErrNationalFormat.
type SyntaxError struct {
	Line int
	Pos  int
	Err  error
	Msg  string // the detail, e.g. "has 43 characters, want 44 (TD3)"
}

func (e *SyntaxError) Error() string {
	var b strings.Builder
	b.WriteString("mrz: ")
	if e.Line > 0 {
		b.WriteString("line ")
		b.WriteString(strconv.Itoa(e.Line))
		if e.Pos > 0 {
			b.WriteString(", position ")
			b.WriteString(strconv.Itoa(e.Pos))
		}
		b.WriteString(": ")
	}
	b.WriteString(e.Err.Error())
	if e.Msg != "" {
		b.WriteString(": ")
		b.WriteString(e.Msg)
	}
	return b.String()
}

// Unwrap returns the sentinel error.
func (e *SyntaxError) Unwrap() error { return e.Err }

// FieldError reports a field that cannot be read, or in Build cannot be
// written. Line and Pos (1-based) give its first character; both are 0 in
// errors of Build.
type FieldError struct {
	Field  Field
	Line   int
	Pos    int
	Value  string // the characters of the field as printed (or as given to Build)
	Reason string
}

func (e *FieldError) Error() string {
	var b strings.Builder
	b.WriteString("mrz: ")
	b.WriteString(e.Field.Label())
	if e.Line > 0 {
		b.WriteString(" (line ")
		b.WriteString(strconv.Itoa(e.Line))
		b.WriteString(", position ")
		b.WriteString(strconv.Itoa(e.Pos))
		b.WriteByte(')')
	}
	b.WriteString(": ")
	b.WriteString(e.Reason)
	if e.Value != "" {
		b.WriteString(" (got ")
		b.WriteString(strconv.Quote(e.Value))
		b.WriteByte(')')
	}
	return b.String()
}

// Unwrap returns ErrField.
func (e *FieldError) Unwrap() error { return ErrField }

// CheckError reports an MRZ whose structure was read but whose content
// cannot be trusted: the check digits that failed and the fields that could
// not be read. It matches ErrCheckDigit when Failed is not empty and ErrField
// when Problems is not empty.
type CheckError struct {
	Failed   []Check
	Problems []FieldError
}

func (e *CheckError) Error() string {
	var b strings.Builder
	b.WriteString("mrz: ")
	for i, c := range e.Failed {
		if i == 0 {
			b.WriteString("check digit failed: ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(c.Field.Label())
		b.WriteString(" (line ")
		b.WriteString(strconv.Itoa(c.Line))
		b.WriteString(", position ")
		b.WriteString(strconv.Itoa(c.Pos))
		b.WriteString(": got ")
		b.WriteString(strconv.QuoteRune(rune(c.Got)))
		b.WriteString(", want ")
		b.WriteString(strconv.QuoteRune(rune(c.Want)))
		b.WriteByte(')')
	}
	for i := range e.Problems {
		if i > 0 || len(e.Failed) > 0 {
			b.WriteString("; ")
		}
		p := &e.Problems[i]
		b.WriteString(p.Field.Label())
		b.WriteString(" (line ")
		b.WriteString(strconv.Itoa(p.Line))
		b.WriteString(", position ")
		b.WriteString(strconv.Itoa(p.Pos))
		b.WriteString("): ")
		b.WriteString(p.Reason)
		if p.Value != "" {
			b.WriteString(" (got ")
			b.WriteString(strconv.Quote(p.Value))
			b.WriteByte(')')
		}
	}
	return b.String()
}

// Unwrap returns ErrCheckDigit and ErrField as they apply.
func (e *CheckError) Unwrap() []error {
	var errs []error
	if len(e.Failed) > 0 {
		errs = append(errs, ErrCheckDigit)
	}
	if len(e.Problems) > 0 {
		errs = append(errs, ErrField)
	}
	return errs
}

// Fields returns the fields named by the error, failed check digits first,
// each once.
func (e *CheckError) Fields() []Field {
	var out []Field
	seen := func(f Field) bool {
		for _, g := range out {
			if g == f {
				return true
			}
		}
		return false
	}
	for _, c := range e.Failed {
		if !seen(c.Field) {
			out = append(out, c.Field)
		}
	}
	for _, p := range e.Problems {
		if !seen(p.Field) {
			out = append(out, p.Field)
		}
	}
	return out
}
