package screening

import "time"

// Op names a change to a watchlist.
type Op string

// The changes an operator can make.
const (
	OpCreate     Op = "create"
	OpUpdate     Op = "update"
	OpDelete     Op = "delete"
	OpImport     Op = "import"
	OpDeleteList Op = "delete_list"
)

// Change is one record of the watchlist audit trail: who changed what, when,
// why, and the entry before and after. An import is one Change with Op
// OpImport and an ImportSummary; the entries it added, changed or removed
// follow it as Changes of their own with the same Version and Seq order.
type Change struct {
	Seq     uint64         `json:"seq"`
	Version uint64         `json:"version"`
	Time    time.Time      `json:"time"`
	Actor   string         `json:"actor"`
	Op      Op             `json:"op"`
	List    string         `json:"list"`
	ID      string         `json:"id,omitempty"`
	Reason  string         `json:"reason,omitempty"`
	Before  *Entry         `json:"before,omitempty"`
	After   *Entry         `json:"after,omitempty"`
	Import  *ImportSummary `json:"import,omitempty"`
}

// ImportSummary describes one import of a whole list.
type ImportSummary struct {
	Format    string   `json:"format,omitempty"`
	Source    string   `json:"source,omitempty"`
	SHA256    string   `json:"sha256,omitempty"`
	Read      int      `json:"read"`
	Added     int      `json:"added"`
	Changed   int      `json:"changed"`
	Unchanged int      `json:"unchanged"`
	Removed   int      `json:"removed"`
	Skipped   int      `json:"skipped"`
	SkipNotes []string `json:"skip_notes,omitempty"`
}

// ListInfo describes one watchlist.
type ListInfo struct {
	Name    string    `json:"name"`
	Entries int       `json:"entries"`
	Version uint64    `json:"version"`
	Updated time.Time `json:"updated"`
	Source  string    `json:"source,omitempty"`
	Format  string    `json:"format,omitempty"`
}
