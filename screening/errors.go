package screening

import (
	"errors"
	"fmt"
	"strconv"
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
