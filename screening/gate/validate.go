package gate

import (
	"errors"
	"fmt"
	"time"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/mrz"
)

// prepared is a validated event: its gate, and its MRZs read.
type prepared struct {
	ev   *Event
	gate *gateInfo
	// printed and chip are the printed MRZ and the chip's DG1, nil when
	// not given. A read MRZ whose check digits or fields failed says so
	// itself (MRZ.Failed, MRZ.Problems).
	printed, chip *mrz.MRZ
}

func invalidField(field, value string, err error) error {
	return &screening.ValidationError{Field: field, Value: value, Err: err}
}

func invalidf(field, value, format string, args ...any) error {
	return invalidField(field, value, fmt.Errorf(format, args...))
}

// ValidateEvent checks an event against the configuration at the time now: a
// registered gate at its port, a time neither in the future beyond the
// clock skew nor older than the maximum age, a direction, scores and
// thresholds in [0, 1], known check statuses, and at least one MRZ that
// can be read as one (a failed check digit is not an error here: it refers
// the traveller). Errors are *screening.ValidationError naming the field.
func (c *Config) ValidateEvent(ev *Event, now time.Time) error {
	cc, err := compile(c)
	if err != nil {
		return err
	}
	_, err = cc.prepare(ev, now)
	return err
}

// prepare validates ev and reads its MRZs.
func (c *compiled) prepare(ev *Event, now time.Time) (*prepared, error) {
	if ev == nil {
		return nil, invalidf("body", "", "no event")
	}
	switch {
	case ev.Gate == "":
		return nil, invalidf("gate", "", "required")
	case !validID(ev.Gate, MaxIDLen):
		return nil, invalidf("gate", ev.Gate, "want 1 to %d letters, digits, '.', '_' or '-'", MaxIDLen)
	}
	g := c.byID[ev.Gate]
	if g == nil {
		return nil, invalidField("gate", ev.Gate, ErrUnknownGate)
	}
	switch {
	case ev.Port == "":
		return nil, invalidf("port", "", "required")
	case ev.Port != g.port:
		return nil, invalidField("port", ev.Port, fmt.Errorf("%w: gate %s is at %s", ErrWrongPort, g.id, g.port))
	}
	switch {
	case ev.Time.IsZero():
		return nil, invalidf("time", "", "required")
	case ev.Time.After(now.Add(c.clockSkew)):
		return nil, invalidField("time", ev.Time.UTC().Format(time.RFC3339), fmt.Errorf("%w (%s)", ErrFuture, c.clockSkew))
	case ev.Time.Before(now.Add(-c.maxAge)):
		return nil, invalidField("time", ev.Time.UTC().Format(time.RFC3339), fmt.Errorf("%w (%s)", ErrStale, c.maxAge))
	}
	switch ev.Direction {
	case Entry, Exit:
	case "":
		return nil, invalidf("direction", "", "required: entry or exit")
	default:
		return nil, invalidf("direction", string(ev.Direction), "want entry or exit")
	}
	if len(ev.Reference) > MaxReferenceLen {
		return nil, invalidf("reference", "", "longer than %d bytes", MaxReferenceLen)
	}
	for i := 0; i < len(ev.Reference); i++ {
		if c := ev.Reference[i]; c < 0x20 || c > 0x7e {
			return nil, invalidf("reference", "", "want printable ASCII")
		}
	}
	if ev.Attempt < 0 || ev.Attempt > MaxAttempt {
		return nil, invalidf("attempt", fmt.Sprint(ev.Attempt), "want 1 to %d (0 means 1)", MaxAttempt)
	}
	if ch := ev.Chip; ch != nil {
		if err := checkStatus("chip.passive_authentication", ch.PassiveAuth, false); err != nil {
			return nil, err
		}
		if err := checkStatus("chip.chip_authentication", ch.ChipAuth, true); err != nil {
			return nil, err
		}
		if err := checkStatus("chip.dg1_matches_mrz", ch.DG1MatchesMRZ, false); err != nil {
			return nil, err
		}
	}
	if err := checkScore("face", ev.Face); err != nil {
		return nil, err
	}
	if err := checkScore("liveness", ev.Liveness); err != nil {
		return nil, err
	}
	p := &prepared{ev: ev, gate: g}
	if len(ev.Document.MRZ) == 0 && len(ev.Document.DG1) == 0 {
		return nil, invalidf("document", "", "give the printed MRZ (mrz), the chip's DG1 (dg1), or both")
	}
	var err error
	if p.printed, err = readMRZ("document.mrz", ev.Document.MRZ, ev.Time); err != nil {
		return nil, err
	}
	if p.chip, err = readMRZ("document.dg1", ev.Document.DG1, ev.Time); err != nil {
		return nil, err
	}
	return p, nil
}

func checkStatus(field string, s Status, notSupported bool) error {
	switch s {
	case "", Passed, Failed, NotDone:
		return nil
	case NotSupported:
		if notSupported {
			return nil
		}
		return invalidf(field, string(s), "want passed, failed or not_done")
	}
	if notSupported {
		return invalidf(field, string(s), "want passed, failed, not_done or not_supported")
	}
	return invalidf(field, string(s), "want passed, failed or not_done")
}

func checkScore(field string, s *Score) error {
	if s == nil {
		return nil
	}
	if s.Score == nil {
		return invalidf(field+".score", "", "required when %s is given (leave %s out when the check was not done)", field, field)
	}
	if v := *s.Score; !(v >= 0 && v <= 1) {
		return invalidField(field+".score", fmt.Sprint(v), ErrScore)
	}
	if s.Threshold != nil {
		if v := *s.Threshold; !(v >= 0 && v <= 1) {
			return invalidField(field+".threshold", fmt.Sprint(v), ErrScore)
		}
	}
	return nil
}

// readMRZ reads MRZ lines, with two-digit years placed around the event's
// time. Lines that cannot be read as an MRZ at all are a ValidationError
// (the device sent garbage); an MRZ that reads but fails its check digits
// is returned, and its failures refer the traveller.
func readMRZ(field string, lines []string, at time.Time) (*mrz.MRZ, error) {
	if len(lines) == 0 {
		return nil, nil
	}
	if len(lines) > MaxMRZLines {
		return nil, invalidf(field, "", "%d lines; an MRZ has 2 or 3", len(lines))
	}
	for i, l := range lines {
		if len(l) > MaxMRZLineLen {
			return nil, invalidf(fmt.Sprintf("%s[%d]", field, i), "", "%d characters; an MRZ line has at most 44", len(l))
		}
	}
	m, err := mrz.Parser{Now: at}.Parse(lines...)
	var se *mrz.SyntaxError
	if errors.As(err, &se) || m == nil {
		if err == nil {
			err = errors.New("not a machine readable zone")
		}
		return nil, invalidField(field, "", err)
	}
	return m, nil
}
