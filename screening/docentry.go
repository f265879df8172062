package screening

import (
	"fmt"
	"strings"
)

// DocumentStatus says why a document is listed.
type DocumentStatus string

// The statuses of a listed document, as Interpol's SLTD database knows them.
const (
	StatusLost        DocumentStatus = "lost"
	StatusStolen      DocumentStatus = "stolen"
	StatusRevoked     DocumentStatus = "revoked"
	StatusInvalid     DocumentStatus = "invalid"
	StatusStolenBlank DocumentStatus = "stolen_blank"
)

// ParseDocumentStatus reads a status in any case, with "stolen blank" and
// "stolen-blank" as StatusStolenBlank.
func ParseDocumentStatus(s string) (DocumentStatus, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	v = strings.NewReplacer(" ", "_", "-", "_").Replace(v)
	switch DocumentStatus(v) {
	case StatusLost, StatusStolen, StatusRevoked, StatusInvalid, StatusStolenBlank:
		return DocumentStatus(v), nil
	}
	return "", fmt.Errorf("unknown document status %q: want lost, stolen, revoked, invalid or stolen_blank", s)
}

// DocumentEntry is one document on a lost, stolen and invalid documents list.
// Type, Number and Country (the issuing state) identify it; a number listed
// under one state or type says nothing of the same number under another.
type DocumentEntry struct {
	Type     string         `json:"type"`
	Number   string         `json:"number"`
	Country  string         `json:"country"`
	Status   DocumentStatus `json:"status"`
	Reported Date           `json:"reported,omitzero"`
	Source   string         `json:"source,omitempty"`
}

// Validate checks a document entry: a number, a known issuing state, a type
// and a known status.
func (d *DocumentEntry) Validate() error {
	doc := Document{Type: d.Type, Number: d.Number, Country: d.Country}
	if err := doc.Validate(); err != nil {
		return err
	}
	if d.Country == "" {
		return invalid("country", "", "the issuing state is required")
	}
	if strings.TrimSpace(d.Type) == "" {
		return invalid("type", "", "the document type is required")
	}
	if _, err := ParseDocumentStatus(string(d.Status)); err != nil {
		return &ValidationError{Field: "status", Value: string(d.Status), Err: err}
	}
	if err := d.Reported.Validate(); err != nil {
		return &ValidationError{Field: "reported", Value: d.Reported.String(), Err: err}
	}
	return nil
}
