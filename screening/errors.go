package screening

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ErrNotFound is returned when an entry, list or record does not exist.
var ErrNotFound = errors.New("not found")

// ErrInvalid is returned, wrapped in a *ValidationError, when a value breaks
// the entry model: a missing name, a malformed date, an unknown country.
var ErrInvalid = errors.New("invalid")

// ErrConflict is returned when a write would overwrite a newer version or
// create an entry that already exists.
var ErrConflict = errors.New("conflict")

// ValidationError reports the field of an entry (or request) that is wrong.
// Field is a JSON path such as "names[1].family" or "birth_dates[0]".
type ValidationError struct {
	Field string
	Value string
	Err   error
}

func (e *ValidationError) Error() string {
	msg := e.Field + ": "
	if e.Err != nil && !errors.Is(e.Err, ErrInvalid) {
		msg += e.Err.Error()
	} else {
		msg += "invalid"
	}
	if e.Value != "" {
		msg += " (got " + strconv.Quote(truncate(e.Value, 64)) + ")"
	}
	return msg
}

// Unwrap returns the cause; a ValidationError always matches ErrInvalid.
func (e *ValidationError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrInvalid}
	}
	return []error{ErrInvalid, e.Err}
}

// invalid builds a *ValidationError for field with a formatted reason.
func invalid(field, value, format string, args ...any) *ValidationError {
	return &ValidationError{Field: field, Value: value, Err: fmt.Errorf(format, args...)}
}

// prefixField returns err with its field put under prefix, for nested values.
func prefixField(prefix string, err error) error {
	var ve *ValidationError
	if errors.As(err, &ve) {
		field := prefix
		if ve.Field != "" {
			field += "." + ve.Field
		}
		return &ValidationError{Field: field, Value: ve.Value, Err: ve.Err}
	}
	return &ValidationError{Field: prefix, Err: err}
}

// RecordError reports a record of an outside list that cannot be used. Record
// is the 1-based line number for line formats and the 1-based record number
// for others; ID is the record's own identifier when it was read.
type RecordError struct {
	Record int
	ID     string
	Err    error
}

func (e *RecordError) Error() string {
	s := "record " + strconv.Itoa(e.Record)
	if e.ID != "" {
		s += " (" + e.ID + ")"
	}
	return s + ": " + e.Err.Error()
}

func (e *RecordError) Unwrap() error { return e.Err }

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// MaxReportedRecords is how many record errors an ImportError keeps.
const MaxReportedRecords = 100

// ImportError is returned when an import is refused because some records
// could not be used. Records holds the first MaxReportedRecords of them;
// Count says how many there were in all.
type ImportError struct {
	Records []*RecordError
	Count   int
}

func (e *ImportError) Error() string {
	if len(e.Records) == 0 {
		return "import refused"
	}
	s := fmt.Sprintf("import refused: %d record(s) cannot be used; first: %v", e.Count, e.Records[0])
	if e.Count > len(e.Records) {
		s += fmt.Sprintf(" (%d listed)", len(e.Records))
	}
	return s
}

// Unwrap returns ErrInvalid.
func (e *ImportError) Unwrap() error { return ErrInvalid }

// JSONError describes an encoding/json decoding error as a
// ValidationError naming the field, for an answer that tells a client what
// to fix: a value of the wrong type (the JSON type wanted), an unknown field
// (json.Decoder.DisallowUnknownFields), malformed or truncated JSON. Field
// is "" when the error is the body's as a whole.
func JSONError(err error) *ValidationError {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return &ValidationError{Field: te.Field, Err: fmt.Errorf("want %s, got JSON %s", jsonKind(te.Type), te.Value)}
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return &ValidationError{Err: fmt.Errorf("malformed JSON at byte %d: %v", se.Offset, se)}
	}
	if field, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		if unq, err := strconv.Unquote(field); err == nil && unq != "" {
			field = unq
		}
		return &ValidationError{Field: field, Err: errors.New("unknown field")}
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &ValidationError{Err: errors.New("truncated JSON")}
	}
	return &ValidationError{Err: fmt.Errorf("malformed JSON: %v", err)}
}

// jsonKind names the JSON a Go type is decoded from.
func jsonKind(t reflect.Type) string {
	if t == nil {
		return "a value"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	}
	return "an object"
}

// TrailingData reports whether b holds anything but JSON white space after
// the value dec has just decoded from it. json.Decoder.More is not enough:
// it takes a stray } or ] for the end of the input.
func TrailingData(b []byte, dec *json.Decoder) bool {
	rest := b[min(int(dec.InputOffset()), len(b)):]
	return len(bytes.TrimLeft(rest, " \t\r\n")) > 0
}
