package edifact

import (
	"errors"
	"strconv"
	"strings"
)

// ErrNotEDIFACT is returned when the input does not begin, after white
// space, with a UNA service string advice or a UNB interchange header.
var ErrNotEDIFACT = errors.New("not an EDIFACT interchange")

// ErrServiceString is returned when the UNA service string advice is short,
// uses a letter, a digit or a space as a separator, or uses one character for
// two purposes.
var ErrServiceString = errors.New("invalid service string advice")

// ErrSyntax is returned when a segment cannot be split: a tag that is not
// three letters or digits, an empty segment, a release character at the end
// of the input, a control character inside a segment, or a segment that
// never ends.
var ErrSyntax = errors.New("syntax error")

// ErrCharset is returned when the UNB names a character set this package
// does not read, or when a value holds a byte that is not in it.
var ErrCharset = errors.New("character set")

// ErrEnvelope is returned when the envelope is broken: no UNB, UNZ, UNH or
// UNT where one must be, a segment outside a message, a group that is not
// closed, or data after the UNZ.
var ErrEnvelope = errors.New("broken envelope")

// ErrCount is returned when a trailer (UNT, UNE, UNZ) counts a number of
// segments, messages or groups that is not the number read.
var ErrCount = errors.New("control count mismatch")

// ErrReference is returned when a trailer (UNT, UNE, UNZ) does not repeat the
// reference of its header (UNH, UNG, UNB).
var ErrReference = errors.New("control reference mismatch")

// ErrLimit is returned when the input is larger than the limits of the
// Options allow: bytes, segments, data elements or components.
var ErrLimit = errors.New("limit exceeded")

// Error is an error at a place in an interchange. Segment is the 1-based
// number of the segment in the interchange (the UNA is not counted, the UNB
// is segment 1; 0 when the error is about the input as a whole), Tag its tag
// when it was read, Element the 1-based position of the data element after
// the tag and Component the 1-based position of the component inside it (0
// when the error is about the whole segment or element). Offset is the byte
// offset in the input. Err is one of the sentinel errors of this package (or
// of a package built on it) and Msg says what is wrong.
type Error struct {
	Segment   int
	Tag       string
	Element   int
	Component int
	Offset    int
	Msg       string
	Err       error
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Segment > 0 {
		b.WriteString("segment ")
		b.WriteString(strconv.Itoa(e.Segment))
		if e.Tag != "" {
			b.WriteString(" (")
			b.WriteString(e.Tag)
			b.WriteString(")")
		}
	} else {
		if e.Tag != "" {
			b.WriteString(e.Tag)
			b.WriteString(" at ")
		}
		b.WriteString("byte ")
		b.WriteString(strconv.Itoa(e.Offset))
	}
	if e.Element > 0 {
		b.WriteString(", element ")
		b.WriteString(strconv.Itoa(e.Element))
		if e.Component > 0 {
			b.WriteString(", component ")
			b.WriteString(strconv.Itoa(e.Component))
		}
	}
	b.WriteString(": ")
	switch {
	case e.Msg != "" && e.Err != nil:
		b.WriteString(e.Msg)
		b.WriteString(" (")
		b.WriteString(e.Err.Error())
		b.WriteString(")")
	case e.Msg != "":
		b.WriteString(e.Msg)
	case e.Err != nil:
		b.WriteString(e.Err.Error())
	default:
		b.WriteString("error")
	}
	return b.String()
}

// Unwrap returns the sentinel error.
func (e *Error) Unwrap() error { return e.Err }
