package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/bordersec/portcullis/screening/listfmt/jsonl"
)

var formats = []string{"jsonl"}

func formatNames() string { return strings.Join(formats, ", ") }

// openSource opens path in the given list format.
func openSource(format, path string, stdin io.Reader) (*source, error) {
	s := &source{}
	switch format {
	case "jsonl":
		r, err := s.openFile(path, stdin)
		if err != nil {
			return nil, err
		}
		s.reader = jsonl.NewReader(r)
		return s, nil
	}
	return nil, fmt.Errorf("unknown format %q: want one of %s", format, formatNames())
}
