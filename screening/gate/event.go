package gate

import (
	"bytes"
	"errors"
	"time"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/internal/jsonwire"
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

// eventFields are the JSON names of Event's fields, in the order
// decodeEvent's cases take them.
var eventFields = []string{"gate", "port", "time", "direction", "reference", "attempt",
	"document", "chip", "face", "liveness", "morph_suspected"}

var (
	documentFields = []string{"mrz", "dg1"}
	chipFields     = []string{"passive_authentication", "chip_authentication", "dg1_matches_mrz"}
	scoreFields    = []string{"score", "threshold"}
)

// DecodeEvent reads one event from JSON strictly: unknown fields, values
// of the wrong type, a malformed time and anything after the object are
// errors. Every error is a *screening.ValidationError naming the field (a
// JSON path such as "face.score"), or "body" when the JSON itself is broken.
// DecodeEvent checks the form of the fields only; Config.ValidateEvent checks
// their values.
//
// It reads without reflection, accepting and refusing what a
// json.Decoder with DisallowUnknownFields would, with the same errors
// (TestDecodeEventMatchesEncodingJSON and FuzzDecodeEventMatchesEncodingJSON
// hold the two equal): field names match without regard to case, a
// repeated key replaces the value before it, and null leaves a field as it
// is or, for a pointer or a list, empties it.
func DecodeEvent(data []byte) (*Event, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &screening.ValidationError{Field: "body", Err: errors.New("empty body: a JSON object is required")}
	}
	r := jsonwire.NewReader(data)
	ev := new(Event)
	var tm *string
	decodeEvent(r, ev, &tm)
	if e := r.Err(); e != nil {
		field := e.Field
		if field == "" {
			field = "body"
		}
		return nil, &screening.ValidationError{Field: field, Err: errors.New(e.Msg)}
	}
	if len(r.Rest()) > 0 {
		return nil, &screening.ValidationError{Field: "body", Err: errors.New("data after the JSON object")}
	}
	if tm == nil {
		return nil, &screening.ValidationError{Field: "time", Err: errors.New("required: an RFC 3339 time such as 2026-11-21T10:00:00Z")}
	}
	t, err := time.Parse(time.RFC3339Nano, *tm)
	if err != nil {
		return nil, &screening.ValidationError{Field: "time", Value: *tm, Err: errors.New("want an RFC 3339 time with a zone, such as 2026-11-21T10:00:00Z")}
	}
	ev.Time = t
	return ev, nil
}

// decodeEvent reads an event's object into ev, its time as text into *tm
// so that a bad time is reported with its field.
func decodeEvent(r *jsonwire.Reader, ev *Event, tm **string) {
	for more := r.Object(); more; more = r.Next() {
		switch r.Field(eventFields) {
		case 0:
			jsonwire.String(r, &ev.Gate)
		case 1:
			jsonwire.String(r, &ev.Port)
		case 2:
			r.StringPtr(tm)
		case 3:
			jsonwire.String(r, &ev.Direction)
		case 4:
			jsonwire.String(r, &ev.Reference)
		case 5:
			r.Int(&ev.Attempt)
		case 6:
			for more := r.Object(); more; more = r.Next() {
				switch r.Field(documentFields) {
				case 0:
					r.Strings(&ev.Document.MRZ)
				case 1:
					r.Strings(&ev.Document.DG1)
				}
			}
		case 7:
			if c := jsonwire.Pointer(r, &ev.Chip); c != nil {
				decodeChip(r, c)
			}
		case 8:
			if s := jsonwire.Pointer(r, &ev.Face); s != nil {
				decodeScore(r, s)
			}
		case 9:
			if s := jsonwire.Pointer(r, &ev.Liveness); s != nil {
				decodeScore(r, s)
			}
		case 10:
			r.BoolPtr(&ev.MorphSuspected)
		}
	}
}

func decodeChip(r *jsonwire.Reader, c *Chip) {
	for more := r.Object(); more; more = r.Next() {
		switch r.Field(chipFields) {
		case 0:
			jsonwire.String(r, &c.PassiveAuth)
		case 1:
			jsonwire.String(r, &c.ChipAuth)
		case 2:
			jsonwire.String(r, &c.DG1MatchesMRZ)
		}
	}
}

func decodeScore(r *jsonwire.Reader, s *Score) {
	for more := r.Object(); more; more = r.Next() {
		switch r.Field(scoreFields) {
		case 0:
			r.Float(&s.Score)
		case 1:
			r.Float(&s.Threshold)
		}
	}
}
