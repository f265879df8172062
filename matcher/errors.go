package matcher

import "errors"

// ErrNoKey is returned by Upsert for a record without a key.
var ErrNoKey = errors.New("matcher: record has no key")

// ErrNoName is returned (wrapped) by Upsert when no name of a record, and by
// Prepare and Search when the query name, has a word the matcher can read:
// empty names, names of punctuation only, names in a script it does not
// transliterate, or a query of initials only. A search that returns it has
// decided nothing: the caller must not treat it as a clear result.
var ErrNoName = errors.New("matcher: no name to match")

// ErrFull is returned by Upsert when the index holds MaxRecords records.
var ErrFull = errors.New("matcher: index full")
