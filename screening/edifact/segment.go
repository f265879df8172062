package edifact

// Element is one data element: its components, in order. A simple data
// element has one component. Release characters are removed and the text is
// UTF-8.
type Element []string

// Value returns component i (0-based) of e, or "" when e has fewer.
func (e Element) Value(i int) string {
	if i < 0 || i >= len(e) {
		return ""
	}
	return e[i]
}

// IsEmpty reports whether every component of e is empty.
func (e Element) IsEmpty() bool {
	for _, c := range e {
		if c != "" {
			return false
		}
	}
	return true
}

// Segment is one segment of an interchange.
//
// Elements[0] is the first data element after the tag, which this package
// and its errors call element 1, as the EDIFACT directories number them.
type Segment struct {
	Tag      string
	Elements []Element
	Pos      int // 1-based number of the segment in the interchange (UNB is 1)
	Offset   int // byte offset of the segment in the input
}

// Element returns data element n, counted from 1 after the tag as the
// directories do, or nil when the segment has fewer.
func (s *Segment) Element(n int) Element {
	if n < 1 || n > len(s.Elements) {
		return nil
	}
	return s.Elements[n-1]
}

// Value returns component c of data element n, both counted from 1, or ""
// when the segment does not have them.
func (s *Segment) Value(n, c int) string {
	return s.Element(n).Value(c - 1)
}

// ErrorAt returns an *Error at data element n and component c of s (0 when
// not specific), wrapping the sentinel err.
func (s *Segment) ErrorAt(n, c int, err error, msg string) *Error {
	return &Error{Segment: s.Pos, Tag: s.Tag, Element: n, Component: c, Offset: s.Offset, Msg: msg, Err: err}
}
