package httpapi

import (
	"bytes"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/internal/jsonwire"
)

// screenFields are the JSON names of screenRequest's fields, the
// traveller's first, in the order readScreenRequest's cases take them.
var screenFields = []string{"name", "surname", "given_names", "birth_date", "nationality", "gender",
	"document", "name_truncated", "reference", "mrz"}

// documentFields are the JSON names of screening.Document's fields.
var documentFields = []string{"type", "number", "country", "expiry", "note"}

// decodeScreenRequest reads the body of POST /v1/screen into req strictly,
// as decodeJSON would, without reflection: the same values, and the same
// 400s naming the same fields with the same details
// (TestDecodeScreenRequestMatchesDecodeJSON and
// FuzzDecodeScreenRequestMatchesDecodeJSON hold the two equal).
func decodeScreenRequest(body []byte, req *screenRequest) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return errEmptyBody()
	}
	var r jsonwire.Reader
	r.Reset(body)
	readScreenRequest(&r, req)
	if e := r.Err(); e != nil {
		return fieldError(e.Field, e.Msg)
	}
	if len(r.Rest()) > 0 {
		return decodeError(errTrailing)
	}
	return nil
}

func readScreenRequest(r *jsonwire.Reader, req *screenRequest) {
	t := &req.Traveller
	for more := r.Object(); more; more = r.Next() {
		switch r.Field(screenFields) {
		case 0:
			jsonwire.String(r, &t.Name)
		case 1:
			jsonwire.String(r, &t.Surname)
		case 2:
			jsonwire.String(r, &t.GivenNames)
		case 3:
			r.Text(&t.BirthDate, "an object")
		case 4:
			jsonwire.String(r, &t.Nationality)
		case 5:
			jsonwire.String(r, &t.Gender)
		case 6:
			if d := jsonwire.Pointer(r, &t.Document); d != nil {
				readDocument(r, d)
			}
		case 7:
			r.Bool(&t.NameTruncated)
		case 8:
			jsonwire.String(r, &req.Reference)
		case 9:
			r.Strings(&req.MRZ)
		}
	}
}

func readDocument(r *jsonwire.Reader, d *screening.Document) {
	for more := r.Object(); more; more = r.Next() {
		switch r.Field(documentFields) {
		case 0:
			jsonwire.String(r, &d.Type)
		case 1:
			jsonwire.String(r, &d.Number)
		case 2:
			jsonwire.String(r, &d.Country)
		case 3:
			r.Text(&d.Expiry, "an object")
		case 4:
			jsonwire.String(r, &d.Note)
		}
	}
}
