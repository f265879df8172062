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

// ErrBadKind is returned (wrapped) by Upsert and Prepare for a kind of name
// that is neither Person nor Organization.
var ErrBadKind = errors.New("matcher: unknown kind of name")

// ErrDeadline is returned (wrapped, with the context's error when a
// context ended the search) by Search, SearchContext and
// SearchPreparedContext when the search could not finish before its
// deadline. The search has decided nothing: the caller must treat the
// query as not screened (REFER), never as clear.
var ErrDeadline = errors.New("matcher: search deadline reached")
