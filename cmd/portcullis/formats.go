package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/bordersec/portcullis/screening/listfmt"
	"github.com/bordersec/portcullis/screening/listfmt/docfmt"
)

func formatNames() string { return strings.Join(append(listfmt.Formats(), docfmt.Formats()...), ", ") }

// openSource opens path ("-" for stdin) in the given list format; an empty
// format is detected from the contents. Single files are hashed and counted
// as they are read, for the audit trail and the progress bar.
func openSource(format, path string, stdin io.Reader) (*source, string, error) {
	s := &source{}
	if format == "" {
		if path == "-" {
			return nil, "", fmt.Errorf("give --format when reading standard input")
		}
		info, err := os.Stat(path)
		if err != nil {
			return nil, "", err
		}
		if info.IsDir() {
			format, err = listfmt.Detect(os.DirFS(path), ".")
		} else {
			format, err = listfmt.Detect(os.DirFS(filepath.Dir(path)), filepath.Base(path))
		}
		if err != nil {
			return nil, "", fmt.Errorf("%w; give --format (%s)", err, formatNames())
		}
	}
	f, err := listfmt.Lookup(format)
	if err != nil {
		return nil, "", err
	}
	if path == "-" || (!f.Dir && !hasSidecars(format, path)) {
		r, err := s.openFile(path, stdin)
		if err != nil {
			return nil, "", err
		}
		er, err := listfmt.NewReader(format, r)
		if err != nil {
			s.Close()
			return nil, "", err
		}
		s.reader = er
		return s, format, nil
	}
	lr, err := listfmt.OpenFile(format, path)
	if err != nil {
		return nil, "", err
	}
	s.reader = lr
	s.closers = append(s.closers, lr)
	return s, format, nil
}

// hasSidecars reports whether an OFAC sdn.csv has its alt.csv or add.csv
// beside it, which only listfmt.OpenFile reads.
func hasSidecars(format, path string) bool {
	if format != listfmt.OFACCSV {
		return false
	}
	for _, name := range []string{"alt.csv", "add.csv"} {
		if _, err := os.Stat(filepath.Join(filepath.Dir(path), name)); err == nil {
			return true
		}
	}
	return false
}
