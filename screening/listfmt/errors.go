package listfmt

import "errors"

// ErrUnknownFormat is returned when a format name is not one of Formats, or
// when Detect cannot tell the format of a list.
var ErrUnknownFormat = errors.New("unknown list format")

// ErrNeedsDirectory is returned by NewReader for a format whose input is a
// set of files (uk-csv): open it with Open from a directory or a zip
// archive instead.
var ErrNeedsDirectory = errors.New("format needs a directory of files")
