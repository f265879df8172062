package screening

import (
	"fmt"
	"io"
)

// EntryReader reads the entries of an outside list one at a time.
//
// Read returns the next entry, normalised and validated, or io.EOF after the
// last one. A record that cannot be used is returned as a *RecordError and
// reading may go on with the next record; any other error ends the reading.
type EntryReader interface {
	Read() (*Entry, error)
}

// CheckRecord normalises and validates e, the record numbered rec of an
// outside list, and returns it, or a *RecordError saying why it cannot be
// used. Readers call it on every entry they return.
func CheckRecord(rec int, e *Entry) (*Entry, error) {
	e.Normalize()
	if err := e.Validate(); err != nil {
		return nil, &RecordError{Record: rec, ID: e.ID, Err: err}
	}
	return e, nil
}

// ReadAll reads r to the end. With skipInvalid it collects the record errors
// and goes on; without, the first record error ends it.
func ReadAll(r EntryReader, skipInvalid bool) (entries []*Entry, skipped []*RecordError, err error) {
	for {
		e, err := r.Read()
		if err == io.EOF {
			return entries, skipped, nil
		}
		if err != nil {
			if re, ok := err.(*RecordError); ok && skipInvalid {
				skipped = append(skipped, re)
				continue
			}
			return nil, skipped, err
		}
		entries = append(entries, e)
	}
}

// ValidateListName checks the name of a list: 1 to 64 bytes of lower-case
// letters, digits, '-', '_' and '.', starting with a letter or digit.
func ValidateListName(name string) error {
	if name == "" || len(name) > 64 {
		return fmt.Errorf("list name %q: want 1 to 64 bytes", name)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case (c == '-' || c == '_' || c == '.') && i > 0:
		default:
			return fmt.Errorf("list name %q: character %q not allowed (want a-z, 0-9, '-', '_', '.')", name, c)
		}
	}
	return nil
}
