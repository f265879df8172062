package ukcsv

import "errors"

// ErrFormat is returned, wrapped with the detail, when the input is not the
// UK Sanctions List tables: a table is missing, or its header lacks a
// column the reader needs.
var ErrFormat = errors.New("not a UK Sanctions List table set")
