package screening

import (
	"strings"
)

// Traveller is the person to screen, as a gate, a kiosk or a carrier gives
// it: a full name, or a surname and given names, and whatever else is known.
type Traveller struct {
	Name        string    `json:"name,omitempty"`
	Surname     string    `json:"surname,omitempty"`
	GivenNames  string    `json:"given_names,omitempty"`
	BirthDate   Date      `json:"birth_date,omitzero"`
	Nationality string    `json:"nationality,omitempty"`
	Gender      Gender    `json:"gender,omitempty"`
	Document    *Document `json:"document,omitempty"`
}

// FullName returns the traveller's name as one line: Name, or the given
// names followed by the surname.
func (t *Traveller) FullName() string {
	if t.Name != "" {
		return t.Name
	}
	return strings.TrimSpace(t.GivenNames + " " + t.Surname)
}
