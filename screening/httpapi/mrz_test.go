package httpapi_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/bordersec/portcullis/screening/httpapi"
)

func TestScreenMRZ(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	good := `["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<","L898902C36UTO7408122F1204159ZE184226B<<<<<10"]`
	badCheck := `["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<","L898902C36UTO7408123F1204159ZE184226B<<<<<10"]`
	var r struct {
		Decision string   `json:"decision"`
		Reasons  []string `json:"reasons"`
		MRZ      struct {
			Format       string   `json:"format"`
			FailedChecks []string `json:"failed_checks"`
		} `json:"mrz"`
	}
	resp := h.do("POST", "/v1/screen", httpapi.RoleGate, `{"mrz":`+good+`}`)
	if resp.status != 200 {
		t.Fatalf("good MRZ: %d %s", resp.status, resp.body)
	}
	resp.json(t, &r)
	if r.Decision != "CLEAR" || r.MRZ.Format != "TD3" || len(r.MRZ.FailedChecks) != 0 {
		t.Fatalf("good MRZ: %+v", r)
	}

	r.MRZ.FailedChecks = nil
	h.do("POST", "/v1/screen", httpapi.RoleGate, `{"mrz":`+badCheck+`}`).json(t, &r)
	if r.Decision != "REFER" || strings.Join(r.MRZ.FailedChecks, ",") != "birth_date,composite" || len(r.Reasons) < 2 {
		t.Fatalf("failed check digit: %+v, want REFER naming birth_date and composite", r)
	}

	// The holder of a valid MRZ who is listed is found by the MRZ's name.
	entry := `{"names":[{"given":"Anna Maria","family":"Eriksson"}],"birth_dates":["1974-08-12"],"action":"refer"}`
	if p := h.do("PUT", "/v1/lists/ops/entries/E-1", httpapi.RoleOperator, entry); p.status != 201 {
		t.Fatalf("put: %d", p.status)
	}
	h.do("POST", "/v1/screen", httpapi.RoleGate, `{"mrz":`+good+`}`).json(t, &r)
	if r.Decision != "REFER" {
		t.Fatalf("listed MRZ holder: %s", r.Decision)
	}

	for name, body := range map[string]string{
		"not an MRZ":       `{"mrz":["HELLO","WORLD"]}`,
		"empty":            `{"mrz":[]}`,
		"lower case":       `{"mrz":["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<","L898902C36UTO7408122F1204159ZE184226B<<<<<1o"]}`,
		"mrz and a name":   `{"name":"Anna","mrz":` + good + `}`,
		"mrz not an array": `{"mrz":"P<UTO"}`,
	} {
		resp := h.do("POST", "/v1/screen", httpapi.RoleGate, body)
		var p httpapi.Problem
		json.Unmarshal(resp.body, &p)
		if resp.status != 400 || p.Field != "mrz" {
			t.Errorf("%s: %d field %q (%s)", name, resp.status, p.Field, p.Detail)
		}
	}
}
