package httpapi

import (
	"errors"
	"slices"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/mrz"
)

// mrzResult says what the engine made of an MRZ: its format and each check
// digit that failed, by field.
type mrzResult struct {
	Format       string   `json:"format"`
	FailedChecks []string `json:"failed_checks,omitempty"`
	Problems     []string `json:"problems,omitempty"`
}

// travellerFromMRZ reads the lines a gate read off a document. Lines that
// are not an MRZ are a 400 naming the line and position. An MRZ whose check
// digits fail, or whose fields cannot all be read, still gives a traveller
// to screen (with the unreadable fields left out) and the reasons that make
// the decision at least REFER.
func travellerFromMRZ(lines []string) (screening.Traveller, *mrzResult, []string, error) {
	if len(lines) == 0 {
		return screening.Traveller{}, nil, nil, badRequest("mrz", "give the two or three lines of the machine readable zone")
	}
	m, err := mrz.Parse(lines...)
	var se *mrz.SyntaxError
	if errors.As(err, &se) || m == nil {
		if err == nil {
			err = errors.New("not a machine readable zone")
		}
		return screening.Traveller{}, nil, nil, badRequest("mrz", "%v", err)
	}
	res := &mrzResult{Format: m.Format.String()}
	var reasons []string
	for _, c := range m.Failed() {
		res.FailedChecks = append(res.FailedChecks, string(c.Field))
		reasons = append(reasons, "MRZ check digit failed: "+c.Field.Label())
	}
	for _, p := range m.Problems {
		res.Problems = append(res.Problems, p.Error())
		reasons = append(reasons, "MRZ field cannot be read: "+p.Error())
	}
	// Leave out what cannot be screened rather than refuse the traveller:
	// the reasons above already make the answer REFER.
	t := m.ScreenableTraveller()
	return t, res, reasons, nil
}

// withReasons makes d at least REFER and adds reasons, without touching
// slices that d may share with the cache.
func withReasons(d *screening.Decision, reasons []string) {
	if len(reasons) == 0 {
		return
	}
	if d.Outcome == screening.Clear {
		d.Outcome = screening.Refer
	}
	d.Reasons = append(slices.Clip(d.Reasons), reasons...)
}
