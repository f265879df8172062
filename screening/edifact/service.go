package edifact

import "fmt"

// ServiceChars are the characters that structure an interchange, as a UNA
// service string advice gives them.
//
// Release is 0 when the interchange has no release character (a space in
// the UNA). Repetition is the repetition separator of syntax version 4 (a
// space in earlier versions, which call the position "reserved"); this
// package records it and escapes it when writing, but does not split data
// elements on it: PAXLST and CUSRES have no repeating data elements.
type ServiceChars struct {
	Component  byte
	Element    byte
	Decimal    byte
	Release    byte
	Repetition byte
	Terminator byte
}

// DefaultServiceChars are the service characters of an interchange without
// a UNA (syntax level A): ':' '+' '.' '?' ' ' and '\”.
var DefaultServiceChars = ServiceChars{
	Component:  ':',
	Element:    '+',
	Decimal:    '.',
	Release:    '?',
	Repetition: ' ',
	Terminator: '\'',
}

// levelBServiceChars are the defaults of ISO 9735 for character
// repertoires other than level A when no UNA is given: the information
// separators IS1, IS3 and IS4, and no release character. They are used only
// when the UNB is followed by IS3.
var levelBServiceChars = ServiceChars{
	Component:  0x1f,
	Element:    0x1d,
	Decimal:    '.',
	Release:    0,
	Repetition: ' ',
	Terminator: 0x1c,
}

// UNA returns the service string advice for sc: "UNA" and six characters.
func (sc ServiceChars) UNA() string {
	rel := sc.Release
	if rel == 0 {
		rel = ' '
	}
	rep := sc.Repetition
	if rep == 0 {
		rep = ' '
	}
	return string([]byte{'U', 'N', 'A', sc.Component, sc.Element, sc.Decimal, rel, rep, sc.Terminator})
}

// Validate checks that the separators, the release character and the
// repetition separator are distinct and that none of them is a letter, a
// digit or a space (the release character and the repetition separator may
// be absent). The decimal mark must be '.' or ','.
func (sc ServiceChars) Validate() error {
	if msg := sc.check(); msg != "" {
		return fmt.Errorf("%s: %w", msg, ErrServiceString)
	}
	return nil
}

// check returns what is wrong with sc, or "".
func (sc ServiceChars) check() string {
	named := []struct {
		name string
		c    byte
		opt  bool
	}{
		{"component separator", sc.Component, false},
		{"data element separator", sc.Element, false},
		{"release character", sc.Release, true},
		{"repetition separator", sc.Repetition, true},
		{"segment terminator", sc.Terminator, false},
	}
	for i, n := range named {
		if n.opt && (n.c == 0 || n.c == ' ') {
			continue
		}
		if n.c == 0 || n.c == ' ' || isAlnum(n.c) || n.c >= 0x80 {
			return fmt.Sprintf("%s %q cannot be a separator", n.name, n.c)
		}
		for _, m := range named[:i] {
			if m.c == n.c {
				return fmt.Sprintf("%s and %s are both %q", m.name, n.name, n.c)
			}
		}
	}
	if sc.Decimal != '.' && sc.Decimal != ',' {
		return fmt.Sprintf("decimal mark %q is not '.' or ','", sc.Decimal)
	}
	return ""
}

// isService reports whether c must be released inside a value.
func (sc *ServiceChars) isService(c byte) bool {
	return c == sc.Component || c == sc.Element || c == sc.Terminator ||
		(sc.Release != 0 && c == sc.Release) ||
		(sc.Repetition != ' ' && sc.Repetition != 0 && c == sc.Repetition)
}

// parseUNA reads the six service characters after "UNA".
func parseUNA(b []byte) (ServiceChars, string) {
	if len(b) < 9 {
		return ServiceChars{}, fmt.Sprintf("UNA has %d characters, want 9", len(b))
	}
	sc := ServiceChars{
		Component:  b[3],
		Element:    b[4],
		Decimal:    b[5],
		Release:    b[6],
		Repetition: b[7],
		Terminator: b[8],
	}
	if sc.Release == ' ' {
		sc.Release = 0
	}
	if msg := sc.check(); msg != "" {
		return ServiceChars{}, msg
	}
	return sc, ""
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
}
