package gate

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"time"

	"github.com/bordersec/portcullis/screening"
)

// Direction says whether the traveller is entering or leaving.
type Direction string

// The directions.
const (
	Entry Direction = "entry"
	Exit  Direction = "exit"
)

// Event is what an e-gate or a kiosk reports about one traveller at one
// attempt: where and when, the document as read from the printed MRZ and
// the chip, and the results of the device's own checks. Its JSON form is the
// body of POST /v1/gate-events.
//
// Chip, Face and Liveness are optional: a kiosk may have no chip reader or
// camera. A check whose fields are missing is NotDone, never Passed; the
// gate's profile decides whether that alone refers the traveller.
type Event struct {
	// Gate is the gate's or kiosk's id as registered in the configuration.
	Gate string `json:"gate"`
	// Port is the code of the port the gate belongs to; it must match the
	// configuration.
	Port string `json:"port"`
	// Time is when the traveller presented, by the device's clock.
	Time      time.Time `json:"time"`
	Direction Direction `json:"direction"`
	// Reference is the device's own transaction id, kept with the event.
	Reference string `json:"reference,omitempty"`
	// Attempt is the attempt number at this gate for this traveller,
	// from 1; 0 means 1.
	Attempt  int      `json:"attempt,omitempty"`
	Document Document `json:"document"`
	Chip     *Chip    `json:"chip,omitempty"`
	Face     *Score   `json:"face,omitempty"`
	Liveness *Score   `json:"liveness,omitempty"`
	// MorphSuspected is the device's morphing-attack detection, when it
	// has one: true refers the traveller.
	MorphSuspected *bool `json:"morph_suspected,omitempty"`
}

// Document is the document as the device read it: the printed MRZ lines
// (optical) and the MRZ lines held in the chip's data group 1. At least one
// is required.
type Document struct {
	MRZ []string `json:"mrz,omitempty"`
	DG1 []string `json:"dg1,omitempty"`
}

// Chip holds the device's checks of the document's chip. An empty status
// is NotDone.
type Chip struct {
	// PassiveAuth is passive authentication: the chip's data is signed by
	// its issuer (passed, failed, not_done).
	PassiveAuth Status `json:"passive_authentication,omitempty"`
	// ChipAuth is active authentication or chip authentication: the chip
	// proves it holds the document's private key, which a copy cannot
	// (passed, failed, not_done, not_supported).
	ChipAuth Status `json:"chip_authentication,omitempty"`
	// DG1MatchesMRZ is the device's own comparison of DG1 with the printed
	// MRZ (passed, failed, not_done).
	DG1MatchesMRZ Status `json:"dg1_matches_mrz,omitempty"`
}

// Score is a biometric score in [0, 1] and the threshold the device used;
// a score under the threshold fails. A missing threshold means the
// profile's minimum; a device threshold under the profile's minimum is
// raised to it.
type Score struct {
	Score     *float64 `json:"score"`
	Threshold *float64 `json:"threshold,omitempty"`
}

// Limits on the sizes of an event's fields.
const (
	MaxIDLen        = 64  // gate and port ids
	MaxReferenceLen = 128 // the device's reference
	MaxMRZLines     = 3
	MaxMRZLineLen   = 64 // longer than any MRZ line, so that the parser names the problem
	MaxAttempt      = 99
)

// wireEvent is Event as it is decoded: the time as text, so that a bad time
// is reported with its field.
type wireEvent struct {
	Gate           string    `json:"gate"`
	Port           string    `json:"port"`
	Time           *string   `json:"time"`
	Direction      Direction `json:"direction"`
	Reference      string    `json:"reference"`
	Attempt        int       `json:"attempt"`
	Document       Document  `json:"document"`
	Chip           *Chip     `json:"chip"`
	Face           *Score    `json:"face"`
	Liveness       *Score    `json:"liveness"`
	MorphSuspected *bool     `json:"morph_suspected"`
}

// DecodeEvent reads one event from JSON strictly: unknown fields, values
// of the wrong type, a malformed time and anything after the object are
// errors. Every error is a *screening.ValidationError naming the field (a
// JSON path such as "face.score"), or "body" when the JSON itself is broken.
// DecodeEvent checks the form of the fields only; Config.ValidateEvent checks
// their values.
func DecodeEvent(data []byte) (*Event, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &screening.ValidationError{Field: "body", Err: errors.New("empty body: a JSON object is required")}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var w wireEvent
	if err := dec.Decode(&w); err != nil {
		return nil, jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, &screening.ValidationError{Field: "body", Err: errors.New("data after the JSON object")}
	}
	ev := &Event{
		Gate: w.Gate, Port: w.Port, Direction: w.Direction, Reference: w.Reference, Attempt: w.Attempt,
		Document: w.Document, Chip: w.Chip, Face: w.Face, Liveness: w.Liveness, MorphSuspected: w.MorphSuspected,
	}
	if w.Time == nil {
		return nil, &screening.ValidationError{Field: "time", Err: errors.New("required: an RFC 3339 time such as 2026-11-21T10:00:00Z")}
	}
	t, err := time.Parse(time.RFC3339Nano, *w.Time)
	if err != nil {
		return nil, &screening.ValidationError{Field: "time", Value: *w.Time, Err: errors.New("want an RFC 3339 time with a zone, such as 2026-11-21T10:00:00Z")}
	}
	ev.Time = t
	return ev, nil
}

// jsonError turns an encoding/json error into a ValidationError naming the
// field, or "body".
func jsonError(err error) error {
	ve := screening.JSONError(err)
	if ve.Field == "" {
		ve.Field = "body"
	}
	return ve
}
