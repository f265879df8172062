package screening

import (
	"context"
	"time"
)

// PutMode says whether Put may create, replace, or both.
type PutMode uint8

// The modes of Put.
const (
	Upsert     PutMode = iota // create or replace
	CreateOnly                // fail with ErrConflict if the entry exists
	UpdateOnly                // fail with ErrNotFound if it does not
)

// WriteOptions describe who makes a change and why.
type WriteOptions struct {
	Actor  string
	Reason string
	Mode   PutMode
	// IfVersion, when not zero, makes the write fail with ErrConflict unless
	// the entry's current version is IfVersion (optimistic concurrency).
	IfVersion uint64
}

// ImportOptions describe an import.
type ImportOptions struct {
	Actor  string
	Reason string
	// Format and Source are recorded with the list and in the audit trail:
	// the reader's format ("jsonl", "un-xml", …) and where the data came from.
	Format string
	Source string
	// SkipInvalid imports the records that can be used and lists the others
	// in the result; without it, one unusable record refuses the import.
	SkipInvalid bool
	// AllowEmpty lets an import with no usable record empty the list. Without
	// it such an import is refused: an empty or truncated file must not wipe
	// a watchlist by mistake.
	AllowEmpty bool
	// Digest, when set, is called once the reader is exhausted; its result
	// (e.g. the SHA-256 of the file) is recorded in the audit trail.
	Digest func() string
	// Progress, when set, is called every few thousand entries with the
	// number read so far.
	Progress func(read int)
}

// ImportResult is the outcome of an import that was made live.
type ImportResult struct {
	// Change is the import's audit record; Change.Import has the counts.
	Change *Change
	// Skipped lists the records left out under SkipInvalid.
	Skipped  []*RecordError
	Duration time.Duration
}

// ChangeFilter selects records of the watchlist audit trail. The zero value
// selects everything.
type ChangeFilter struct {
	// AfterSeq skips the records up to and including this sequence number.
	AfterSeq uint64
	// From and To bound the record's time (From included, To excluded);
	// zero means unbounded.
	From, To time.Time
	// List and ID, when set, keep only the changes to that list or entry.
	List string
	ID   string
	// Limit stops after this many records; 0 means no limit.
	Limit int
}

// Watchlists is what operators and the engine's owner need of the store:
// reading and changing lists, atomically importing whole lists, and the
// audit trail of changes. store.DB implements it.
type Watchlists interface {
	Lists(ctx context.Context) ([]ListInfo, error)
	List(ctx context.Context, name string) (ListInfo, error)
	Get(ctx context.Context, list, id string) (*Entry, error)
	Entries(ctx context.Context, list string, fn func(*Entry) error) error
	Put(ctx context.Context, e *Entry, w WriteOptions) (*Change, error)
	Delete(ctx context.Context, list, id string, w WriteOptions) (*Change, error)
	DeleteList(ctx context.Context, list string, w WriteOptions) (*Change, error)
	Import(ctx context.Context, list string, r EntryReader, o ImportOptions) (*ImportResult, error)
	Changes(ctx context.Context, f ChangeFilter, fn func(*Change) error) error
}

// DecisionLog keeps the audit records of decisions. store.DB implements it.
type DecisionLog interface {
	// RecordDecision returns once the record is durable.
	RecordDecision(ctx context.Context, rec *DecisionRecord) error
	// RecordDecisions records several (a manifest's) and returns once all
	// are durable.
	RecordDecisions(ctx context.Context, recs []*DecisionRecord) error
	Decision(ctx context.Context, id string) (*DecisionRecord, error)
	Decisions(ctx context.Context, from, to time.Time, limit int, fn func(*DecisionRecord) error) error
}
