package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/valyala/fasthttp"

	"github.com/bordersec/portcullis/screening"
)

// Problem is an RFC 9457 problem detail. Field names the request field that
// is wrong, when one is.
type Problem struct {
	Type     string   `json:"type"`
	Title    string   `json:"title"`
	Status   int      `json:"status"`
	Detail   string   `json:"detail,omitempty"`
	Instance string   `json:"instance,omitempty"`
	Field    string   `json:"field,omitempty"`
	Errors   []string `json:"errors,omitempty"`
}

const problemBase = "https://portcullis.invalid/problems/"

// httpError is an error that carries its HTTP status and problem type.
type httpError struct {
	status int
	typ    string
	title  string
	detail string
	field  string
	errs   []string
	cause  error
}

func (e *httpError) Error() string {
	if e.cause != nil {
		return e.detail + ": " + e.cause.Error()
	}
	return e.detail
}

func (e *httpError) Unwrap() error { return e.cause }

func badRequest(field, format string, args ...any) error {
	return &httpError{status: fasthttp.StatusBadRequest, typ: "invalid-request", title: "Invalid request",
		detail: fmt.Sprintf(format, args...), field: field}
}

func notFound(format string, args ...any) error {
	return &httpError{status: fasthttp.StatusNotFound, typ: "not-found", title: "Not found", detail: fmt.Sprintf(format, args...)}
}

var (
	errUnauthorized = &httpError{status: fasthttp.StatusUnauthorized, typ: "unauthorized", title: "Unauthorized",
		detail: "a valid API key is required: Authorization: Bearer <key>"}
	errForbidden = &httpError{status: fasthttp.StatusForbidden, typ: "forbidden", title: "Forbidden",
		detail: "this key's role may not use this endpoint"}
	errMethod = &httpError{status: fasthttp.StatusMethodNotAllowed, typ: "method-not-allowed", title: "Method not allowed",
		detail: "this endpoint does not take that method"}
	errNoRoute = &httpError{status: fasthttp.StatusNotFound, typ: "not-found", title: "Not found", detail: "no such endpoint"}
)

func tooLarge(limit int64) error {
	return &httpError{status: fasthttp.StatusRequestEntityTooLarge, typ: "too-large", title: "Request body too large",
		detail: fmt.Sprintf("the body may be at most %d bytes", limit)}
}

// problemOf maps an error to the problem the client sees. Errors that are
// not the client's fault are 503 (the engine could not serve now) with a
// generic detail; their cause goes to the log, not to the client.
func problemOf(err error) (Problem, bool) {
	var he *httpError
	if errors.As(err, &he) {
		return Problem{Type: problemBase + he.typ, Title: he.title, Status: he.status, Detail: he.detail, Field: he.field, Errors: he.errs}, false
	}
	var ie *screening.ImportError
	if errors.As(err, &ie) {
		p := Problem{Type: problemBase + "import-refused", Title: "Import refused", Status: fasthttp.StatusUnprocessableEntity,
			Detail: fmt.Sprintf("%d record(s) cannot be used; nothing was changed (skip_invalid=true imports the rest)", ie.Count)}
		for _, r := range ie.Records {
			p.Errors = append(p.Errors, r.Error())
		}
		return p, false
	}
	var ve *screening.ValidationError
	if errors.As(err, &ve) {
		return Problem{Type: problemBase + "invalid-request", Title: "Invalid request", Status: fasthttp.StatusBadRequest,
			Detail: ve.Error(), Field: ve.Field}, false
	}
	switch {
	case errors.Is(err, screening.ErrNotFound):
		return Problem{Type: problemBase + "not-found", Title: "Not found", Status: fasthttp.StatusNotFound, Detail: err.Error()}, false
	case errors.Is(err, screening.ErrConflict):
		return Problem{Type: problemBase + "conflict", Title: "Conflict", Status: fasthttp.StatusConflict, Detail: err.Error()}, false
	case errors.Is(err, screening.ErrInvalid):
		return Problem{Type: problemBase + "invalid-request", Title: "Invalid request", Status: fasthttp.StatusBadRequest, Detail: err.Error()}, false
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return Problem{Type: problemBase + "timeout", Title: "Timed out", Status: fasthttp.StatusServiceUnavailable,
			Detail: "the request could not be completed in time; nothing was changed unless the response said so"}, true
	}
	return Problem{Type: problemBase + "unavailable", Title: "Service unavailable", Status: fasthttp.StatusServiceUnavailable,
		Detail: "the engine could not complete the request; it has been logged"}, true
}

// writeProblem writes p as application/problem+json.
func writeProblem(ctx *fasthttp.RequestCtx, p Problem) {
	p.Instance = string(ctx.Path())
	b, _ := json.Marshal(p)
	ctx.Response.Reset()
	ctx.SetStatusCode(p.Status)
	ctx.SetContentType("application/problem+json")
	if p.Status == fasthttp.StatusUnauthorized {
		ctx.Response.Header.Set("WWW-Authenticate", `Bearer realm="portcullis"`)
	}
	ctx.SetBody(b)
}

// decodeError turns a JSON decoding error into a 400 that names the field.
func decodeError(err error) error {
	var ve *screening.ValidationError
	if errors.As(err, &ve) {
		return err
	}
	if errors.Is(err, errTrailing) {
		return badRequest("", "%v", err)
	}
	ve = screening.JSONError(err)
	field := ve.Field
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		// Fields of embedded structs (a passenger's Traveller) are named
		// after the struct; the client knows only the JSON names. An
		// unknown key is named as the client sent it.
		field = strings.ReplaceAll(field, "Traveller.", "")
	}
	return fieldError(field, ve.Err.Error())
}

// fieldError is the 400 of a body that cannot be decoded: field is the
// JSON path of the value at fault, or "" when the body as a whole is.
func fieldError(field, msg string) error {
	if field == "" {
		return badRequest("", "%s", msg)
	}
	return badRequest(field, "field %s: %s", field, msg)
}

func errEmptyBody() error { return badRequest("", "empty body: a JSON object is required") }

var errTrailing = errors.New("data after the JSON value")
