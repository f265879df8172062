package docfmt

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/bordersec/portcullis/screening"
)

// The names of the formats.
const (
	CSV   = "documents-csv"
	JSONL = "documents-jsonl"
)

// Formats returns the names of the formats.
func Formats() []string { return []string{CSV, JSONL} }

// IsFormat reports whether name is one of Formats.
func IsFormat(name string) bool { return name == CSV || name == JSONL }

// MaxLineBytes is the longest line a Reader accepts.
const MaxLineBytes = 64 << 10

// Reader reads documents one at a time. Read returns the next document or
// io.EOF after the last; a record it cannot use is a *screening.RecordError
// and reading may go on. Record is the line number of the last record read.
type Reader interface {
	Read() (*screening.DocumentEntry, error)
	Record() int
}

// NewReader returns a Reader of r in the given format.
func NewReader(format string, r io.Reader) (Reader, error) {
	switch format {
	case CSV:
		return NewCSVReader(r), nil
	case JSONL:
		return NewJSONLReader(r), nil
	}
	return nil, fmt.Errorf("%w %q: want %s", ErrUnknownFormat, format, strings.Join(Formats(), " or "))
}

// lines reads lines, counting them.
type lines struct {
	br   *bufio.Reader
	line int
	long []byte
}

func newLines(r io.Reader) lines { return lines{br: bufio.NewReaderSize(r, 256<<10)} }

// next returns the next line without its end (LF or CRLF), valid until the
// next call, or io.EOF. A line longer than MaxLineBytes is a record error.
func (l *lines) next() ([]byte, error) {
	b, err := l.br.ReadSlice('\n')
	if err == nil || (err == io.EOF && len(b) > 0) {
		l.line++
		if b = trimEOL(b); len(b) > MaxLineBytes {
			return nil, &screening.RecordError{Record: l.line, Err: fmt.Errorf("line longer than %d bytes", MaxLineBytes)}
		}
		return b, nil
	}
	if err == io.EOF {
		return nil, io.EOF
	}
	if !errors.Is(err, bufio.ErrBufferFull) {
		return nil, err
	}
	l.long = append(l.long[:0], b...)
	for {
		b, err = l.br.ReadSlice('\n')
		if len(l.long)+len(b) <= MaxLineBytes+2 {
			l.long = append(l.long, b...)
		} else {
			l.long = l.long[:MaxLineBytes+1]
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil && err != io.EOF {
			return nil, err
		}
		break
	}
	l.line++
	line := trimEOL(l.long)
	if len(line) > MaxLineBytes {
		return nil, &screening.RecordError{Record: l.line, Err: fmt.Errorf("line longer than %d bytes", MaxLineBytes)}
	}
	return line, nil
}

func trimEOL(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
		if n := len(b); n > 0 && b[n-1] == '\r' {
			b = b[:n-1]
		}
	}
	return b
}

// fields turns the raw text of a document's fields into the document:
// trimmed, the status canonical and the date parsed.
type fields struct {
	intern map[string]string
	dates  map[string]screening.Date
}

const maxInterned = 4096

// str returns b as a string, shared with earlier equal ones for the fields
// that repeat (state, type, source).
func (f *fields) str(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return ""
	}
	if s, ok := f.intern[string(b)]; ok {
		return s
	}
	s := string(b)
	if f.intern == nil {
		f.intern = make(map[string]string)
	}
	if len(f.intern) < maxInterned {
		f.intern[s] = s
	}
	return s
}

func status(b []byte) (screening.DocumentStatus, error) {
	b = bytes.TrimSpace(b)
	switch string(b) {
	case "lost":
		return screening.StatusLost, nil
	case "stolen":
		return screening.StatusStolen, nil
	case "revoked":
		return screening.StatusRevoked, nil
	case "invalid":
		return screening.StatusInvalid, nil
	case "stolen_blank":
		return screening.StatusStolenBlank, nil
	}
	s, err := screening.ParseDocumentStatus(string(b))
	if err != nil {
		return "", &screening.ValidationError{Field: "status", Value: string(b), Err: err}
	}
	return s, nil
}

func (f *fields) date(b []byte) (screening.Date, error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return screening.Date{}, nil
	}
	if d, ok := f.dates[string(b)]; ok {
		return d, nil
	}
	d, err := screening.ParseDate(string(b))
	if err != nil {
		return screening.Date{}, &screening.ValidationError{Field: "reported", Value: string(b), Err: err}
	}
	if f.dates == nil {
		f.dates = make(map[string]screening.Date)
	}
	if len(f.dates) < maxInterned*4 {
		f.dates[string(b)] = d
	}
	return d, nil
}

// The columns of a document.
const (
	colCountry = iota
	colType
	colNumber
	colStatus
	colReported
	colSource
	numCols
)

var colNames = [numCols]string{"country", "type", "number", "status", "reported", "source"}

// fill sets d from the raw values of its columns (nil: absent).
func (f *fields) fill(d *screening.DocumentEntry, v *[numCols][]byte) error {
	var err error
	d.Country = f.str(v[colCountry])
	d.Type = f.str(v[colType])
	d.Number = string(bytes.TrimSpace(v[colNumber]))
	d.Source = f.str(v[colSource])
	if d.Reported, err = f.date(v[colReported]); err != nil {
		return err
	}
	if len(bytes.TrimSpace(v[colStatus])) == 0 {
		return &screening.ValidationError{Field: "status", Err: errors.New("required")}
	}
	d.Status, err = status(v[colStatus])
	return err
}

func recordErr(line int, err error) *screening.RecordError {
	return &screening.RecordError{Record: line, Err: err}
}
