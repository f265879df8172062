package docfmt

import "errors"

// ErrHeader is returned, with the line number, when a documents-csv header
// is missing, names an unknown column, names one twice or lacks a required
// one. Nothing after it can be read.
var ErrHeader = errors.New("bad header")

// ErrUnknownFormat is returned by NewReader for a format that is not one of
// Formats.
var ErrUnknownFormat = errors.New("unknown document list format")
