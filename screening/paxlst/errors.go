package paxlst

import "errors"

// ErrNotPAXLST is returned when an interchange holds no PAXLST message, or
// holds a message of another type.
var ErrNotPAXLST = errors.New("not a PAXLST interchange")

// ErrControlTotal is returned, unless the decoder is lenient, when a CNT
// control total cannot be read or does not match the passengers (CNT 42) or
// crew members (CNT 41) of its message.
var ErrControlTotal = errors.New("control total mismatch")

// ErrAnswers is returned by WriteResponse when the answers do not match
// the persons of the manifest: another number of them, or an answer that
// boards a person and gives a data-quality code.
var ErrAnswers = errors.New("answers do not match the persons")
