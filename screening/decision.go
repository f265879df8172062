package screening

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"
)

// Outcome is the engine's answer about a traveller.
type Outcome string

// The outcomes. A gate turns CLEAR into ACCEPT and anything else into REFER;
// a carrier gets board (0Z) for CLEAR and no board (1Z) otherwise.
const (
	Clear Outcome = "CLEAR"
	Refer Outcome = "REFER"
	Deny  Outcome = "DENY"
)

// HitKind says what matched.
type HitKind string

// The kinds of hit.
const (
	HitName           HitKind = "name"            // the traveller's name met a listed name
	HitDocument       HitKind = "document"        // the traveller's document is on a person entry
	HitListedDocument HitKind = "listed_document" // the document is on the lost/stolen list
	HitNearDocument   HitKind = "near_document"   // the number matches after look-alike swaps
)

// DecisionRecord is the audit record of one decision: who asked, when, a
// digest of what was asked, and what the engine answered on which versions.
// Traveller holds the traveller data until the retention period ends; then it
// is removed and Redacted is set, leaving the outcome.
type DecisionRecord struct {
	ID               string     `json:"id"`
	Time             time.Time  `json:"time"`
	KeyID            string     `json:"key_id"`
	Channel          string     `json:"channel"`
	InputDigest      string     `json:"input_digest"`
	Outcome          Outcome    `json:"decision"`
	Reasons          []string   `json:"reasons,omitempty"`
	Hits             []Hit      `json:"hits,omitempty"`
	WatchlistVersion uint64     `json:"watchlist_version"`
	DocumentVersion  uint64     `json:"document_version,omitempty"`
	AlgorithmVersion string     `json:"algorithm_version"`
	ElapsedMicros    int64      `json:"elapsed_us"`
	Reference        string     `json:"reference,omitempty"`
	Traveller        *Traveller `json:"traveller,omitempty"`
	Redacted         bool       `json:"redacted,omitempty"`
}

// NewDecisionID returns a new decision id: the time t in nanoseconds as 16
// hex digits, then 8 random hex digits. Ids sort by time.
func NewDecisionID(t time.Time) string {
	var r [4]byte
	rand.Read(r[:])
	return DecisionIDPrefix(t) + hex.EncodeToString(r[:])
}

// DecisionIDPrefix returns the part of a decision id that t determines;
// all ids made at or after t sort at or after it.
func DecisionIDPrefix(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return fmt.Sprintf("%016x", uint64(t.UnixNano()))
}

// ValidateDecisionID checks that id has the form NewDecisionID gives.
func ValidateDecisionID(id string) error {
	if len(id) != 24 {
		return fmt.Errorf("decision id %q: want 24 hex digits", id)
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return fmt.Errorf("decision id %q: want 24 lower-case hex digits", id)
		}
	}
	return nil
}

// Redact removes the traveller's data from the record, keeping the outcome,
// what was hit (list, entry, score, action; for a listed document only the
// list and status, since its entry is the traveller's document number) and
// the versions: what is left once the retention period is over. Reasons go
// too: a data-quality or MRZ reason may quote the traveller's data.
func (r *DecisionRecord) Redact() {
	r.Traveller = nil
	r.InputDigest = ""
	r.Reference = ""
	r.Reasons = nil
	for i := range r.Hits {
		r.Hits[i].Redact()
	}
	r.Redacted = true
}
