package screening

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
}

// redact removes what the hit says of the traveller.
func (h *Hit) redact() {}
