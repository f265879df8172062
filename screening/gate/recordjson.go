package gate

import (
	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/internal/jsonwire"
)

// AppendJSON appends r as json.Marshal writes it, byte for byte (HTML
// characters escaped), without reflection: the event log writes a record
// per event. A value json.Marshal refuses (a NaN score, a time outside the
// years 0 to 9999) gives json.Marshal's error. TestRecordAppendJSON holds
// the two equal.
func (r *Record) AppendJSON(b []byte) ([]byte, error) {
	w := jsonwire.Writer{B: b}
	w.Raw(`{"id":`)
	w.String(r.ID)
	w.Raw(`,"time":`)
	w.Time(r.Time)
	w.Raw(`,"received":`)
	w.Time(r.Received)
	if r.KeyID != "" {
		w.Raw(`,"key_id":`)
		w.String(r.KeyID)
	}
	w.Raw(`,"gate":`)
	w.String(r.Gate)
	w.Raw(`,"port":`)
	w.String(r.Port)
	w.Raw(`,"class":`)
	w.String(string(r.Class))
	w.Raw(`,"profile":`)
	w.String(r.Profile)
	w.Raw(`,"direction":`)
	w.String(string(r.Direction))
	w.Raw(`,"attempt":`)
	w.Int(int64(r.Attempt))
	if r.Reference != "" {
		w.Raw(`,"reference":`)
		w.String(r.Reference)
	}
	w.Raw(`,"document":{"digest":`)
	w.String(r.Document.Digest)
	if r.Document.Type != "" {
		w.Raw(`,"type":`)
		w.String(r.Document.Type)
	}
	if r.Document.Country != "" {
		w.Raw(`,"country":`)
		w.String(r.Document.Country)
	}
	w.Raw(`},"checks":`)
	r.Checks.WriteJSON(&w)
	w.Raw(`,"scores":{`)
	sep := ""
	for _, s := range [...]struct {
		key string
		v   *float64
	}{{`"face":`, r.Scores.Face}, {`"face_threshold":`, r.Scores.FaceThreshold},
		{`"liveness":`, r.Scores.Liveness}, {`"liveness_threshold":`, r.Scores.LivenessThreshold}} {
		if s.v != nil {
			w.Raw(sep)
			w.Raw(s.key)
			w.Float(*s.v)
			sep = ","
		}
	}
	w.Raw(`},"decision":`)
	w.String(string(r.Decision))
	if len(r.Reasons) > 0 {
		w.Raw(`,"reasons":`)
		WriteReasons(&w, r.Reasons)
	}
	if len(r.Hits) > 0 {
		w.Raw(`,"hits":`)
		if err := screening.WriteHits(&w, r.Hits); err != nil {
			return b, jsonwire.MarshalError(r)
		}
	}
	WriteVersions(&w, r.WatchlistVersion, r.DocumentVersion, r.AlgorithmVersion, r.ElapsedMicros)
	w.Raw("}")
	return w.Result(b, r)
}

// WriteVersions writes the members that end a record or an answer of the
// gate, with their leading commas, as json.Marshal writes them:
// watchlist_version, document_version and algorithm_version (both
// omitempty) and elapsed_us.
func WriteVersions(w *jsonwire.Writer, watchlist, document uint64, algorithm string, elapsedMicros int64) {
	screening.WriteVersions(w, watchlist, document)
	if algorithm != "" {
		w.Raw(`,"algorithm_version":`)
		w.String(algorithm)
	}
	w.Raw(`,"elapsed_us":`)
	w.Int(elapsedMicros)
}

// WriteJSON writes c as json.Marshal writes it: each check's name is its
// field's JSON name, and AllChecks is in the fields' order.
func (c *Checks) WriteJSON(w *jsonwire.Writer) {
	for i, k := range AllChecks {
		if i == 0 {
			w.Raw(`{"`)
		} else {
			w.Raw(`,"`)
		}
		w.Raw(string(k))
		w.Raw(`":`)
		w.String(string(c.Get(k)))
	}
	w.Raw("}")
}

// WriteReasons writes reasons as json.Marshal writes them; nil is null.
func WriteReasons(w *jsonwire.Writer, reasons []Reason) {
	if reasons == nil {
		w.Raw("null")
		return
	}
	w.Raw("[")
	for i := range reasons {
		if i > 0 {
			w.Raw(",")
		}
		w.Raw(`{"code":`)
		w.String(string(reasons[i].Code))
		if reasons[i].Check != "" {
			w.Raw(`,"check":`)
			w.String(string(reasons[i].Check))
		}
		w.Raw(`,"text":`)
		w.String(reasons[i].Text)
		w.Raw("}")
	}
	w.Raw("]")
}
