package screening

import (
	"github.com/bordersec/portcullis/screening/internal/jsonwire"
)

// AppendJSON appends r as json.Marshal writes it, byte for byte (HTML
// characters escaped), without reflection: the store writes a record per
// decision. A value json.Marshal refuses (a NaN score, a time outside the
// years 0 to 9999) gives json.Marshal's error. TestRecordAppendJSON holds
// the two equal.
func (r *DecisionRecord) AppendJSON(b []byte) ([]byte, error) {
	w := jsonwire.Writer{B: b}
	w.Raw(`{"id":`)
	w.String(r.ID)
	w.Raw(`,"time":`)
	w.Time(r.Time)
	w.Raw(`,"key_id":`)
	w.String(r.KeyID)
	w.Raw(`,"channel":`)
	w.String(r.Channel)
	w.Raw(`,"input_digest":`)
	w.String(r.InputDigest)
	w.Raw(`,"decision":`)
	w.String(string(r.Outcome))
	if len(r.Reasons) > 0 {
		w.Raw(`,"reasons":`)
		w.Strings(r.Reasons)
	}
	if len(r.Hits) > 0 {
		w.Raw(`,"hits":`)
		if err := WriteHits(&w, r.Hits); err != nil {
			return b, jsonwire.MarshalError(r)
		}
	}
	WriteVersions(&w, r.WatchlistVersion, r.DocumentVersion)
	w.Raw(`,"algorithm_version":`)
	w.String(r.AlgorithmVersion)
	w.Raw(`,"elapsed_us":`)
	w.Int(r.ElapsedMicros)
	if r.Reference != "" {
		w.Raw(`,"reference":`)
		w.String(r.Reference)
	}
	if r.Traveller != nil {
		w.Raw(`,"traveller":`)
		r.Traveller.writeJSON(&w)
	}
	if r.Redacted {
		w.Raw(`,"redacted":true`)
	}
	w.Raw("}")
	return w.Result(b, r)
}

// WriteVersions writes the watchlist_version and document_version members
// of a record or an answer, with their leading commas, as json.Marshal
// writes them: document_version is omitempty.
func WriteVersions(w *jsonwire.Writer, watchlist, document uint64) {
	w.Raw(`,"watchlist_version":`)
	w.Uint(watchlist)
	if document != 0 {
		w.Raw(`,"document_version":`)
		w.Uint(document)
	}
}

// WriteHits writes hits as a JSON array as json.Marshal writes it, HTML
// characters escaped unless w says not; an explanation is written by its
// own MarshalJSON. The error is an explanation's; a NaN or infinite score
// sets w.Failed.
func WriteHits(w *jsonwire.Writer, hits []Hit) error {
	if hits == nil {
		w.Raw("null")
		return nil
	}
	w.Raw("[")
	for i := range hits {
		if i > 0 {
			w.Raw(",")
		}
		if err := hits[i].writeJSON(w); err != nil {
			return err
		}
	}
	w.Raw("]")
	return nil
}

func (h *Hit) writeJSON(w *jsonwire.Writer) error {
	w.Raw(`{"kind":`)
	w.String(string(h.Kind))
	w.Raw(`,"list":`)
	w.String(h.List)
	w.Raw(`,"entry_id":`)
	w.String(h.EntryID)
	w.Raw(`,"score":`)
	w.Float(h.Score)
	if h.Strong {
		w.Raw(`,"strong":true`)
	}
	w.Raw(`,"action":`)
	w.String(string(h.Action))
	if h.Status != "" {
		w.Raw(`,"status":`)
		w.String(h.Status)
	}
	if h.Explanation != nil {
		// Explanation writes itself compact and HTML-escaped, as
		// json.Marshal would leave it.
		e, err := h.Explanation.MarshalJSON()
		if err != nil {
			return err
		}
		w.Raw(`,"explanation":`)
		w.B = append(w.B, e...)
	}
	if h.Detail != "" {
		w.Raw(`,"detail":`)
		w.String(h.Detail)
	}
	w.Raw("}")
	return nil
}

func (t *Traveller) writeJSON(w *jsonwire.Writer) {
	w.Raw("{")
	sep := false
	field := func(key string) {
		if sep {
			w.Raw(",")
		}
		w.Raw(key)
		sep = true
	}
	if t.Name != "" {
		field(`"name":`)
		w.String(t.Name)
	}
	if t.Surname != "" {
		field(`"surname":`)
		w.String(t.Surname)
	}
	if t.GivenNames != "" {
		field(`"given_names":`)
		w.String(t.GivenNames)
	}
	if !t.BirthDate.IsZero() {
		field(`"birth_date":`)
		w.B = appendDate(w.B, t.BirthDate, true)
	}
	if t.Nationality != "" {
		field(`"nationality":`)
		w.String(t.Nationality)
	}
	if t.Gender != "" {
		field(`"gender":`)
		w.String(string(t.Gender))
	}
	if t.Document != nil {
		field(`"document":`)
		w.B = t.Document.appendJSON(w.B, true)
	}
	if t.NameTruncated {
		field(`"name_truncated":true`)
	}
	w.Raw("}")
}
