package httpapi

import (
	"sync"

	"github.com/valyala/fasthttp"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/gate"
	"github.com/bordersec/portcullis/screening/internal/jsonwire"
)

// answerBufs holds the buffers answers are written in before they are
// copied into the response, as json.Marshal keeps its own.
var answerBufs = sync.Pool{New: func() any { b := make([]byte, 0, 2048); return &b }}

// appender is an answer that writes its own JSON.
type appender interface {
	appendJSON(b []byte) ([]byte, error)
}

// writeAnswer writes a as the answer with the given status, as writeJSON
// writes what json.Marshal makes of it.
func writeAnswer(ctx *fasthttp.RequestCtx, status int, a appender) error {
	bp := answerBufs.Get().(*[]byte)
	b, err := a.appendJSON((*bp)[:0])
	if err == nil {
		writeBody(ctx, status, b) // copies b
	}
	if cap(b) <= 64<<10 {
		*bp = b[:0]
		answerBufs.Put(bp)
	}
	return err
}

// appendJSON appends r as json.Marshal writes it, byte for byte (HTML
// characters escaped), without reflection. A value json.Marshal refuses (a
// NaN score, an explanation that cannot be written) gives json.Marshal's
// error. TestScreenResponseAppendJSON holds the two equal.
func (r *screenResponse) appendJSON(b []byte) ([]byte, error) {
	w := jsonwire.Writer{B: b}
	w.Raw(`{"decision":`)
	w.String(string(r.Decision))
	w.Raw(`,"hits":`)
	if err := screening.WriteHits(&w, r.Hits); err != nil {
		return b, jsonwire.MarshalError(r)
	}
	if len(r.Reasons) > 0 {
		w.Raw(`,"reasons":`)
		w.Strings(r.Reasons)
	}
	w.Raw(`,"decision_id":`)
	w.String(r.DecisionID)
	screening.WriteVersions(&w, r.WatchlistVersion, r.DocumentVersion)
	w.Raw(`,"algorithm_version":`)
	w.String(r.AlgorithmVersion)
	w.Raw(`,"elapsed_us":`)
	w.Int(r.ElapsedMicros)
	if m := r.MRZ; m != nil {
		w.Raw(`,"mrz":{"format":`)
		w.String(m.Format)
		if len(m.FailedChecks) > 0 {
			w.Raw(`,"failed_checks":`)
			w.Strings(m.FailedChecks)
		}
		if len(m.Problems) > 0 {
			w.Raw(`,"problems":`)
			w.Strings(m.Problems)
		}
		w.Raw("}")
	}
	w.Raw("}")
	return w.Result(b, r)
}

// writeBody writes b, which is JSON, as the answer with the given status.
func writeBody(ctx *fasthttp.RequestCtx, status int, b []byte) {
	ctx.SetStatusCode(status)
	ctx.SetContentType("application/json")
	ctx.SetBody(b)
}

// appendJSON appends r as json.Marshal writes it, byte for byte (HTML
// characters escaped), without reflection. TestGateEventResponseAppendJSON
// holds the two equal.
func (r *gateEventResponse) appendJSON(b []byte) ([]byte, error) {
	w := jsonwire.Writer{B: b}
	w.Raw(`{"decision":`)
	w.String(string(r.Decision))
	w.Raw(`,"event_id":`)
	w.String(r.EventID)
	w.Raw(`,"reasons":`)
	gate.WriteReasons(&w, r.Reasons)
	w.Raw(`,"checks":`)
	r.Checks.WriteJSON(&w)
	w.Raw(`,"gate":`)
	w.String(r.Gate)
	w.Raw(`,"profile":`)
	w.String(r.Profile)
	gate.WriteVersions(&w, r.WatchlistVersion, r.DocumentVersion, r.AlgorithmVersion, r.ElapsedMicros)
	w.Raw("}")
	return w.Result(b, r)
}
