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
	// NameTruncated says that the name was read from an MRZ whose name
	// field is full to its last character: ICAO 9303 cuts names that do not
	// fit, so the last given name (the surname's last word when there are
	// no given names; Name's last word, so give Name in the MRZ's order)
	// may be cut short. The matcher then also searches the name with that
	// word cut to its initial.
	NameTruncated bool `json:"name_truncated,omitempty"`
}

// FullName returns the traveller's name as one line: Name, or the given
// names followed by the surname.
func (t *Traveller) FullName() string {
	if t.Name != "" {
		return t.Name
	}
	return strings.TrimSpace(t.GivenNames + " " + t.Surname)
}

// Normalize tidies a traveller's fields in place: white space, gender words
// to codes, a nationality given as a name or alpha-2 code to alpha-3, and the
// document as Document.Normalize does. It never invents data.
func (t *Traveller) Normalize() {
	t.Name = collapseSpace(t.Name)
	t.Surname = collapseSpace(t.Surname)
	t.GivenNames = collapseSpace(t.GivenNames)
	if g, err := ParseGender(string(t.Gender)); err == nil {
		t.Gender = g
	}
	if c, ok := CountryCode(t.Nationality); ok {
		t.Nationality = c
	} else {
		t.Nationality = strings.TrimSpace(t.Nationality)
	}
	if t.Document != nil {
		t.Document.Normalize()
		if *t.Document == (Document{}) {
			t.Document = nil
		}
	}
}

// CheckAPIData checks that a traveller carries what advance passenger
// information must: a surname (or full name), a full date of birth, a
// nationality and a travel document with its number and issuing state. A
// carrier's passenger without them cannot be screened properly and is not
// to board (inhibit by default); PAXLST and JSON manifests apply the same
// rule so that they get the same answers.
func CheckAPIData(t *Traveller) error {
	if err := ValidateTraveller(t); err != nil {
		return err
	}
	if t.Name == "" && strings.TrimSpace(t.Surname) == "" {
		return invalid("surname", "", "required in a manifest")
	}
	if t.BirthDate.Precision() != PrecisionDay {
		return invalid("birth_date", t.BirthDate.String(), "a full date of birth is required in a manifest")
	}
	if t.Nationality == "" {
		return invalid("nationality", "", "required in a manifest")
	}
	if t.Document == nil || strings.TrimSpace(t.Document.Number) == "" {
		return invalid("document.number", "", "a travel document is required in a manifest")
	}
	if t.Document.Country == "" {
		return invalid("document.country", "", "the issuing state is required in a manifest")
	}
	return nil
}
