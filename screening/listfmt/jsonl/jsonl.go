// Package jsonl reads and writes watchlist entries in Portcullis's canonical
// JSON Lines format: one JSON object per line, the fields of
// screening.Entry. Blank lines are skipped; an unknown field is an error, so
// that a misspelt field is never silently dropped.
package jsonl

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/bordersec/portcullis/screening"
)

// MaxLineBytes is the longest line the Reader accepts.
const MaxLineBytes = 1 << 20

// Reader reads entries from JSON Lines. It implements screening.EntryReader.
type Reader struct {
	br   *bufio.Reader
	line int
	// List, when set, is the list every entry is read into: an entry that
	// names another list is a record error.
	List string
}

// NewReader returns a Reader of r.
func NewReader(r io.Reader) *Reader {
	return &Reader{br: bufio.NewReaderSize(r, 64<<10)}
}

// Record returns the line number of the last entry read.
func (r *Reader) Record() int { return r.line }

// Read returns the next entry; see screening.EntryReader.
func (r *Reader) Read() (*screening.Entry, error) {
	for {
		b, err := r.readLine()
		if err != nil {
			return nil, err
		}
		b = bytes.TrimSpace(b)
		if len(b) == 0 {
			continue
		}
		var e screening.Entry
		if err := decodeEntry(b, &e); err != nil {
			return nil, &screening.RecordError{Record: r.line, Err: err}
		}
		if r.List != "" && e.List != "" && e.List != r.List {
			return nil, &screening.RecordError{Record: r.line, ID: e.ID,
				Err: fmt.Errorf("list: the entry names list %q, the import is into %q", e.List, r.List)}
		}
		e.Version = 0
		return screening.CheckRecord(r.line, &e)
	}
}

// readLine returns the next line without its end, or io.EOF.
func (r *Reader) readLine() ([]byte, error) {
	var buf []byte
	for {
		chunk, err := r.br.ReadSlice('\n')
		if len(buf)+len(chunk) > MaxLineBytes {
			r.line++
			// Skip the rest of the line so that reading can go on.
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = r.br.ReadSlice('\n')
			}
			return nil, &screening.RecordError{Record: r.line, Err: fmt.Errorf("line longer than %d bytes", MaxLineBytes)}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			buf = append(buf, chunk...)
			continue
		}
		if err == io.EOF && len(buf)+len(chunk) == 0 {
			return nil, io.EOF
		}
		if err != nil && err != io.EOF {
			return nil, err
		}
		r.line++
		if buf != nil {
			return append(buf, chunk...), nil
		}
		return chunk, nil
	}
}

// decodeEntry decodes an entry strictly; the fast decoder reads the
// canonical shape, anything else goes through decodeStrict for its errors.
func decodeEntry(b []byte, e *screening.Entry) error {
	if err := screening.DecodeEntryJSONStrict(b, e); err != nil {
		*e = screening.Entry{}
		return decodeStrict(b, e)
	}
	return nil
}

// decodeStrict decodes one JSON object into v, refusing unknown fields and
// anything after the object, and names the field of a type error.
func decodeStrict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return describe(err)
	}
	if screening.TrailingData(b, dec) {
		return errors.New("more than one JSON value on the line")
	}
	return nil
}

func describe(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return &screening.ValidationError{Field: te.Field, Err: fmt.Errorf("want %s, got JSON %s", te.Type, te.Value)}
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("malformed JSON at byte %d: %v", se.Offset, err)
	}
	return err
}

// Writer writes entries as JSON Lines.
type Writer struct {
	bw  *bufio.Writer
	enc *json.Encoder
}

// NewWriter returns a Writer to w. Call Flush when done.
func NewWriter(w io.Writer) *Writer {
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	return &Writer{bw: bw, enc: enc}
}

// Write writes one entry on one line.
func (w *Writer) Write(e *screening.Entry) error { return w.enc.Encode(e) }

// Flush writes any buffered data to the underlying writer.
func (w *Writer) Flush() error { return w.bw.Flush() }

var _ screening.EntryReader = (*Reader)(nil)
