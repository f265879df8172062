// Package listfmt opens watchlists in the formats Portcullis imports, by
// name, so that the command line and the HTTP import share one registry:
//
//	jsonl      Portcullis's canonical JSON Lines (package jsonl)
//	un-xml     the UN Security Council Consolidated List XML (package unxml)
//	ofac-csv   OFAC's sdn.csv, with alt.csv, add.csv and sdn_comments.csv
//	           beside it when present (package ofaccsv)
//	uk-csv     the UK Sanctions List as five CSV tables (package ukcsv)
//
// Open reads a list from an fs.FS, which may be a directory (os.DirFS), a
// zip archive (zip.Reader) or an embedded file system; OpenFile does the
// same from a path; NewReader reads the single-file formats from a stream.
// Every reader returns entries normalised and validated, and a record it
// cannot use as a *screening.RecordError (see screening.EntryReader).
package listfmt

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/listfmt/jsonl"
	"github.com/bordersec/portcullis/screening/listfmt/ofaccsv"
	"github.com/bordersec/portcullis/screening/listfmt/ukcsv"
	"github.com/bordersec/portcullis/screening/listfmt/unxml"
)

// The names of the formats.
const (
	JSONL   = "jsonl"
	UNXML   = "un-xml"
	OFACCSV = "ofac-csv"
	UKCSV   = "uk-csv"
)

// Format describes one list format.
type Format struct {
	Name        string // as given to Open: "un-xml"
	Description string // one line for help texts
	// Dir is true when the input is a directory of files rather than one
	// file; such a format cannot be read by NewReader.
	Dir bool
}

var formats = []Format{
	{Name: JSONL, Description: "Portcullis JSON Lines, one entry per line"},
	{Name: UNXML, Description: "UN Security Council Consolidated List (XML)"},
	{Name: OFACCSV, Description: "OFAC SDN list (sdn.csv, with alt.csv, add.csv, sdn_comments.csv beside it if present)"},
	{Name: UKCSV, Description: "UK Sanctions List tables (a directory or zip with subjects.csv and four subject_*.csv)", Dir: true},
}

// Formats returns the names of the formats, in a fixed order.
func Formats() []string {
	out := make([]string, len(formats))
	for i, f := range formats {
		out[i] = f.Name
	}
	return out
}

// Lookup returns the description of a format, or an error wrapping
// ErrUnknownFormat.
func Lookup(name string) (Format, error) {
	for _, f := range formats {
		if f.Name == name {
			return f, nil
		}
	}
	return Format{}, fmt.Errorf("%w %q: want one of %s", ErrUnknownFormat, name, strings.Join(Formats(), ", "))
}

// Reader is a list being read: entries one at a time, and Close to release
// the files behind it.
type Reader interface {
	screening.EntryReader
	io.Closer
}

// Open opens the list name in fsys, in the given format. For uk-csv, name
// is the directory that holds the five tables ("." for the root of fsys,
// as when fsys is a zip archive); a directory whose only content is one
// folder holding them will do too. For the other formats name is a file.
// Close the Reader when done.
func Open(format string, fsys fs.FS, name string) (Reader, error) {
	f, err := Lookup(format)
	if err != nil {
		return nil, err
	}
	switch f.Name {
	case UKCSV:
		dir, err := ukDir(fsys, name)
		if err != nil {
			return nil, err
		}
		sub, err := fs.Sub(fsys, dir)
		if err != nil {
			return nil, fmt.Errorf("open %s list %q: %w", format, name, err)
		}
		r, err := ukcsv.Open(sub)
		if err != nil {
			return nil, fmt.Errorf("open %s list %q: %w", format, name, err)
		}
		return r, nil
	case OFACCSV:
		r, err := ofaccsv.Open(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("open %s list %q: %w", format, name, err)
		}
		return r, nil
	}
	file, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("open %s list: %w", format, err)
	}
	r, err := NewReader(format, file)
	if err != nil {
		file.Close()
		return nil, err
	}
	return readCloser{r, file}, nil
}

// ukDir finds the directory of the UK tables: name, or the one folder in it.
func ukDir(fsys fs.FS, name string) (string, error) {
	if _, err := fs.Stat(fsys, path.Join(name, ukcsv.SubjectsFile)); err == nil {
		return name, nil
	}
	entries, err := fs.ReadDir(fsys, name)
	if err != nil {
		return "", fmt.Errorf("open %s list %q: %w", UKCSV, name, err)
	}
	var dirs []string
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") && !strings.HasPrefix(e.Name(), "__") {
			dirs = append(dirs, path.Join(name, e.Name()))
		}
	}
	if len(dirs) == 1 {
		if _, err := fs.Stat(fsys, path.Join(dirs[0], ukcsv.SubjectsFile)); err == nil {
			return dirs[0], nil
		}
	}
	return "", fmt.Errorf("open %s list %q: %w: no %s in it", UKCSV, name, ukcsv.ErrFormat, ukcsv.SubjectsFile)
}

// OpenFile opens the list at a path of the local file system: a file, or
// for uk-csv a directory. Close the Reader when done.
func OpenFile(format, name string) (Reader, error) {
	f, err := Lookup(format)
	if err != nil {
		return nil, err
	}
	if f.Dir {
		return Open(format, os.DirFS(name), ".")
	}
	return Open(format, os.DirFS(filepath.Dir(name)), filepath.Base(name))
}

// NewReader reads a list in a single-file format from r: jsonl, un-xml, or
// ofac-csv (sdn.csv alone; use Open to have alt.csv and add.csv read too).
// For uk-csv it returns an error wrapping ErrNeedsDirectory.
func NewReader(format string, r io.Reader) (screening.EntryReader, error) {
	f, err := Lookup(format)
	if err != nil {
		return nil, err
	}
	switch f.Name {
	case JSONL:
		return jsonl.NewReader(r), nil
	case UNXML:
		return unxml.NewReader(r), nil
	case OFACCSV:
		return ofaccsv.NewReader(r), nil
	}
	return nil, fmt.Errorf("read %s list from a stream: %w", format, ErrNeedsDirectory)
}

// Detect tells the format of the list name in fsys from its contents: a
// directory with subjects.csv is uk-csv, XML whose root is
// CONSOLIDATED_LIST is un-xml, a JSON object per line is jsonl, and a CSV
// line that starts with a number is ofac-csv.
func Detect(fsys fs.FS, name string) (string, error) {
	info, err := fs.Stat(fsys, name)
	if err != nil {
		return "", fmt.Errorf("detect list format: %w", err)
	}
	if info.IsDir() {
		if _, err := ukDir(fsys, name); err == nil {
			return UKCSV, nil
		}
		return "", fmt.Errorf("detect list format of directory %q: %w", name, ErrUnknownFormat)
	}
	f, err := fsys.Open(name)
	if err != nil {
		return "", fmt.Errorf("detect list format: %w", err)
	}
	defer f.Close()
	head := make([]byte, 4096)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("detect list format: %w", err)
	}
	if format := sniff(head[:n]); format != "" {
		return format, nil
	}
	return "", fmt.Errorf("detect list format of %q: %w", name, ErrUnknownFormat)
}

// sniff tells a format from the first bytes of a file, or returns "".
func sniff(head []byte) string {
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimLeft(head, " \t\r\n")
	switch {
	case bytes.HasPrefix(trimmed, []byte("<")):
		if bytes.Contains(head, []byte("<"+unxml.Root)) {
			return UNXML
		}
	case bytes.HasPrefix(trimmed, []byte("{")):
		return JSONL
	default:
		i := 0
		for i < len(trimmed) && trimmed[i] >= '0' && trimmed[i] <= '9' {
			i++
		}
		if i > 0 && i < len(trimmed) && trimmed[i] == ',' {
			return OFACCSV
		}
		if bytes.HasPrefix(bytes.ToLower(trimmed), []byte("ent_num,")) {
			return OFACCSV
		}
	}
	return ""
}

// readCloser joins a reader with the file behind it.
type readCloser struct {
	screening.EntryReader
	io.Closer
}
