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

// CSVReader reads documents-csv. It implements Reader.
type CSVReader struct {
	lines
	f    fields
	cols []int // the document column of each CSV column
	doc  screening.DocumentEntry
	vals [numCols][]byte
	raw  [][]byte
	qbuf []byte
	err  error // a header error: nothing more can be read
}

// NewCSVReader returns a reader of documents-csv from r.
func NewCSVReader(r io.Reader) *CSVReader { return &CSVReader{lines: newLines(r)} }

// Record returns the line number of the last record read.
func (r *CSVReader) Record() int { return r.line }

var bom = []byte("\xef\xbb\xbf")

// Read returns the next document; see Reader. The document is reused by
// the next call.
func (r *CSVReader) Read() (*screening.DocumentEntry, error) {
	if r.err != nil {
		return nil, r.err
	}
	for {
		line, err := r.next()
		if err != nil {
			return nil, err
		}
		if r.line == 1 {
			line = bytes.TrimPrefix(line, bom)
		}
		if t := bytes.TrimSpace(line); len(t) == 0 || t[0] == '#' {
			continue
		}
		if r.cols == nil {
			if err := r.header(line); err != nil {
				r.err = err
				return nil, err
			}
			continue
		}
		if err := r.split(line); err != nil {
			return nil, recordErr(r.line, err)
		}
		if len(r.raw) != len(r.cols) {
			return nil, recordErr(r.line, fmt.Errorf("%d fields, want %d as the header has", len(r.raw), len(r.cols)))
		}
		r.vals = [numCols][]byte{}
		for i, c := range r.cols {
			r.vals[c] = r.raw[i]
		}
		if err := r.f.fill(&r.doc, &r.vals); err != nil {
			return nil, recordErr(r.line, err)
		}
		return &r.doc, nil
	}
}

func (r *CSVReader) header(line []byte) error {
	if err := r.split(line); err != nil {
		return fmt.Errorf("line %d: %w: %v", r.line, ErrHeader, err)
	}
	seen := [numCols]bool{}
	cols := make([]int, len(r.raw))
	for i, b := range r.raw {
		name := strings.ToLower(string(bytes.TrimSpace(b)))
		c := -1
		for k, n := range colNames {
			if n == name {
				c = k
			}
		}
		switch {
		case c < 0:
			return fmt.Errorf("line %d: %w: unknown column %q (want %s)", r.line, ErrHeader, name, strings.Join(colNames[:], ", "))
		case seen[c]:
			return fmt.Errorf("line %d: %w: column %q twice", r.line, ErrHeader, name)
		}
		seen[c] = true
		cols[i] = c
	}
	for _, c := range []int{colCountry, colType, colNumber, colStatus} {
		if !seen[c] {
			return fmt.Errorf("line %d: %w: no %q column (the header must name country, type, number and status)", r.line, ErrHeader, colNames[c])
		}
	}
	r.cols = cols
	return nil
}

// split cuts a line into its fields, in r.raw; quoted fields are unquoted
// into r.qbuf.
func (r *CSVReader) split(line []byte) error {
	r.raw = r.raw[:0]
	if bytes.IndexByte(line, '"') < 0 {
		for {
			i := bytes.IndexByte(line, ',')
			if i < 0 {
				r.raw = append(r.raw, line)
				return nil
			}
			r.raw = append(r.raw, line[:i])
			line = line[i+1:]
		}
	}
	if cap(r.qbuf) < len(line) {
		r.qbuf = make([]byte, 0, len(line))
	}
	q := r.qbuf[:0]
	for field := 1; ; field++ {
		i := 0
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if i < len(line) && line[i] == '"' {
			start := len(q)
			i++
			closed := false
			for i < len(line) {
				c := line[i]
				i++
				if c != '"' {
					q = append(q, c)
					continue
				}
				if i < len(line) && line[i] == '"' {
					q = append(q, '"')
					i++
					continue
				}
				closed = true
				break
			}
			if !closed {
				return fmt.Errorf("field %d: quoted field not closed on its line (fields may not span lines)", field)
			}
			r.raw = append(r.raw, q[start:len(q):len(q)])
			for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
				i++
			}
			if i == len(line) {
				return nil
			}
			if line[i] != ',' {
				return fmt.Errorf("field %d: text after the closing quote", field)
			}
			line = line[i+1:]
			continue
		}
		j := bytes.IndexByte(line, ',')
		f := line
		if j >= 0 {
			f = line[:j]
		}
		if bytes.IndexByte(f, '"') >= 0 {
			return fmt.Errorf("field %d: a quote inside an unquoted field (quote the whole field and double the quote)", field)
		}
		r.raw = append(r.raw, f)
		if j < 0 {
			return nil
		}
		line = line[j+1:]
	}
}

// CSVWriter writes documents-csv: a header with all six columns, then one
// line per document.
type CSVWriter struct {
	bw     *bufio.Writer
	header bool
}

// NewCSVWriter returns a writer to w. Call Flush when done.
func NewCSVWriter(w io.Writer) *CSVWriter { return &CSVWriter{bw: bufio.NewWriterSize(w, 64<<10)} }

// ErrNotWritable is returned by CSVWriter.Write for a document with a line
// break in a field, which documents-csv cannot hold.
var ErrNotWritable = errors.New("a field holds a line break")

// Write writes one document.
func (w *CSVWriter) Write(d *screening.DocumentEntry) error {
	vals := [numCols]string{d.Country, d.Type, d.Number, string(d.Status), d.Reported.String(), d.Source}
	for i, v := range vals {
		if strings.ContainsAny(v, "\r\n") {
			return fmt.Errorf("%s: %w", colNames[i], ErrNotWritable)
		}
	}
	if !w.header {
		w.bw.WriteString(strings.Join(colNames[:], ",") + "\n")
		w.header = true
	}
	for i, v := range vals {
		if i > 0 {
			w.bw.WriteByte(',')
		}
		if v != "" && (strings.ContainsAny(v, ",\"") || v[0] == '#' || strings.TrimSpace(v) != v) {
			w.bw.WriteByte('"')
			w.bw.WriteString(strings.ReplaceAll(v, `"`, `""`))
			w.bw.WriteByte('"')
			continue
		}
		w.bw.WriteString(v)
	}
	return w.bw.WriteByte('\n')
}

// Flush writes any buffered data to the underlying writer.
func (w *CSVWriter) Flush() error { return w.bw.Flush() }

var _ Reader = (*CSVReader)(nil)
