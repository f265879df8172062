package screening

import "github.com/bordersec/portcullis/matcher"

// Hit is one reason a traveller met a list: a listed person or organisation
// whose name (or document) matched, or a listed document.
type Hit struct {
	Kind    HitKind `json:"kind"`
	List    string  `json:"list"`
	EntryID string  `json:"entry_id"`
	Score   float64 `json:"score"`
	Strong  bool    `json:"strong,omitempty"`
	Action  Action  `json:"action"`
	Status  string  `json:"status,omitempty"`
	// Explanation says how a name hit's score came about.
	Explanation *matcher.Explanation `json:"explanation,omitempty"`
	// Detail explains a document hit.
	Detail string `json:"detail,omitempty"`
}

// Redact removes what the hit says of the traveller: the explanation holds
// the traveller's name as compared, the detail the document number. What
// is left (kind, list, entry, score, action) is what a record kept past
// retention, or a gate's event log, may hold.
func (h *Hit) Redact() {
	h.Explanation = nil
	h.Detail = ""
	if h.Kind == HitListedDocument || h.Kind == HitNearDocument {
		h.EntryID = "" // state/type/number: the traveller's document
	}
}
