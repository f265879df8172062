package gate

import (
	"context"
	"time"

	"github.com/bordersec/portcullis/screening"
)

// Record is the durable record of one event and its decision, as the event
// log keeps it. It holds no traveller data in plain text: the document is
// given by its keyed digest, issuing state and type; hits keep their list,
// entry, score and action but not the explanation (which quotes the name)
// nor the detail (which quotes the number).
type Record struct {
	// ID is the event's id: its time in nanoseconds as 16 hex digits, then
	// 8 random hex digits (screening.NewDecisionID of the event's time).
	// Ids sort by event time.
	ID string `json:"id"`
	// Time is the event's time by the device's clock; Received the
	// server's time when it was decided.
	Time      time.Time `json:"time"`
	Received  time.Time `json:"received"`
	KeyID     string    `json:"key_id,omitempty"`
	Gate      string    `json:"gate"`
	Port      string    `json:"port"`
	Class     Class     `json:"class"`
	Profile   string    `json:"profile"`
	Direction Direction `json:"direction"`
	Attempt   int       `json:"attempt"`
	Reference string    `json:"reference,omitempty"`
	// Document identifies the document (by DG1 when the chip was read,
	// else by the printed MRZ).
	Document DocumentRef `json:"document"`
	Checks   Checks      `json:"checks"`
	Scores   Scores      `json:"scores"`
	Decision Outcome     `json:"decision"`
	Reasons  []Reason    `json:"reasons,omitempty"`
	// Hits are the watchlist and document hits, without explanation or
	// detail.
	Hits             []screening.Hit `json:"hits,omitempty"`
	WatchlistVersion uint64          `json:"watchlist_version"`
	DocumentVersion  uint64          `json:"document_version,omitempty"`
	AlgorithmVersion string          `json:"algorithm_version,omitempty"`
	ElapsedMicros    int64           `json:"elapsed_us"`
}

// DocumentRef identifies a document without its number.
type DocumentRef struct {
	// Digest is the document's keyed digest (Digester), hex.
	Digest  string `json:"digest"`
	Type    string `json:"type,omitempty"`
	Country string `json:"country,omitempty"`
}

// Scores are the device's biometric scores and the thresholds applied:
// the higher of the device's and the profile's minimum. Nil when not done.
type Scores struct {
	Face              *float64 `json:"face,omitempty"`
	FaceThreshold     *float64 `json:"face_threshold,omitempty"`
	Liveness          *float64 `json:"liveness,omitempty"`
	LivenessThreshold *float64 `json:"liveness_threshold,omitempty"`
}

// Query selects events from the log. The zero value selects every event.
type Query struct {
	// Digest keeps the events of one document (hex, see Digester).
	Digest string
	// Gate keeps the events of one gate.
	Gate string
	// From and To bound the event time: From included, To excluded; zero
	// means unbounded.
	From, To time.Time
	// After resumes a listing after the event with this id.
	After string
	// Limit stops after this many events; 0 means no limit.
	Limit int
}

// Log is the durable event log. store.Events implements it.
type Log interface {
	// Record writes an event's record and returns once it is durable.
	Record(ctx context.Context, r *Record) error
	// Events calls fn with the events Query selects, oldest first.
	Events(ctx context.Context, q Query, fn func(*Record) error) error
	// Event returns one event's record, or an error matching
	// screening.ErrNotFound.
	Event(ctx context.Context, id string) (*Record, error)
}
