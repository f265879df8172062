package docfmt

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/bordersec/portcullis/screening"
)

// JSONLReader reads documents-jsonl. It implements Reader.
type JSONLReader struct {
	lines
	f    fields
	doc  screening.DocumentEntry
	vals [numCols][]byte
}

// NewJSONLReader returns a reader of documents-jsonl from r.
func NewJSONLReader(r io.Reader) *JSONLReader { return &JSONLReader{lines: newLines(r)} }

// Record returns the line number of the last record read.
func (r *JSONLReader) Record() int { return r.line }

// Read returns the next document; see Reader. The document is reused by
// the next call.
func (r *JSONLReader) Read() (*screening.DocumentEntry, error) {
	for {
		line, err := r.next()
		if err != nil {
			return nil, err
		}
		if r.line == 1 {
			line = bytes.TrimPrefix(line, bom)
		}
		line = trimJSONSpace(line)
		if len(line) == 0 {
			continue
		}
		r.vals = [numCols][]byte{}
		if !parseFlat(line, &r.vals) {
			r.vals = [numCols][]byte{}
			if err := parseJSON(line, &r.vals); err != nil {
				return nil, recordErr(r.line, err)
			}
		}
		if err := r.f.fill(&r.doc, &r.vals); err != nil {
			return nil, recordErr(r.line, err)
		}
		return &r.doc, nil
	}
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func trimJSONSpace(b []byte) []byte {
	for len(b) > 0 && isJSONSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isJSONSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// parseFlat reads the common line, an object of the six fields with plain
// string (or null) values, without allocating. It returns false for
// anything else (escapes, other fields, other spellings, other types,
// invalid UTF-8, bad syntax), which parseJSON then reads or refuses: every
// line parseFlat accepts, parseJSON reads the same.
func parseFlat(b []byte, v *[numCols][]byte) bool {
	i := 0
	ws := func() {
		for i < len(b) && isJSONSpace(b[i]) {
			i++
		}
	}
	str := func() ([]byte, bool) {
		if i >= len(b) || b[i] != '"' {
			return nil, false
		}
		start := i + 1
		for j := start; j < len(b); j++ {
			switch c := b[j]; {
			case c == '"':
				i = j + 1
				s := b[start:j:j]
				return s, utf8.Valid(s)
			case c == '\\' || c < 0x20:
				return nil, false
			}
		}
		return nil, false
	}
	ws()
	if i >= len(b) || b[i] != '{' {
		return false
	}
	i++
	ws()
	if i < len(b) && b[i] == '}' {
		i++
		ws()
		return i == len(b)
	}
	for {
		ws()
		k, ok := str()
		if !ok {
			return false
		}
		col := -1
		for c, n := range colNames {
			if string(k) == n {
				col = c
			}
		}
		if col < 0 {
			return false
		}
		ws()
		if i >= len(b) || b[i] != ':' {
			return false
		}
		i++
		ws()
		if bytes.HasPrefix(b[i:], []byte("null")) {
			i += 4 // as encoding/json: null leaves the field as it was
		} else {
			s, ok := str()
			if !ok {
				return false
			}
			v[col] = s
		}
		ws()
		if i >= len(b) {
			return false
		}
		switch b[i] {
		case ',':
			i++
		case '}':
			i++
			ws()
			return i == len(b)
		default:
			return false
		}
	}
}

// jsonDoc is a documents-jsonl line as encoding/json reads it.
type jsonDoc struct {
	Country  string `json:"country"`
	Type     string `json:"type"`
	Number   string `json:"number"`
	Status   string `json:"status"`
	Reported string `json:"reported"`
	Source   string `json:"source"`
}

// parseJSON reads any line, strictly: one object, no unknown field, string
// values.
func parseJSON(b []byte, v *[numCols][]byte) error {
	var d jsonDoc
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		var te *json.UnmarshalTypeError
		var se *json.SyntaxError
		switch {
		case errors.As(err, &te):
			return &screening.ValidationError{Field: te.Field, Err: fmt.Errorf("want a string, got JSON %s", te.Value)}
		case errors.As(err, &se):
			return fmt.Errorf("malformed JSON at byte %d: %v", se.Offset, err)
		case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
			return errors.New("malformed JSON: the line ends inside the object")
		}
		return err
	}
	if screening.TrailingData(b, dec) {
		return errors.New("more than one JSON value on the line")
	}
	for c, s := range []string{d.Country, d.Type, d.Number, d.Status, d.Reported, d.Source} {
		v[c] = []byte(s)
	}
	return nil
}

var _ Reader = (*JSONLReader)(nil)
