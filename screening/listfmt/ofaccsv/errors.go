package ofaccsv

import "errors"

// ErrFormat is returned, wrapped with the detail, when the input is not an
// OFAC SDN CSV file: its first record does not have the twelve columns of
// sdn.csv with a numeric ent_num, or a side file has the wrong columns.
var ErrFormat = errors.New("not an OFAC SDN CSV file")
