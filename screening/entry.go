package screening

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kind says whether an entry is a person or an organisation.
type Kind string

// The kinds of entry.
const (
	KindPerson       Kind = "person"
	KindOrganization Kind = "organization"
)

// Action is what a hit on an entry calls for.
type Action string

// The actions of an entry. A DENY entry turns a strong hit into DENY; a REFER
// entry into REFER; a MONITOR entry records the hit and clears the traveller.
const (
	ActionDeny    Action = "deny"
	ActionRefer   Action = "refer"
	ActionMonitor Action = "monitor"
)

// Strength grades an alias. Lists mark some aliases as weak ("low quality"
// in UN terms): names used loosely, too common to stand on their own.
type Strength string

// The strengths of a name. The empty Strength is strong.
const (
	StrengthStrong Strength = "strong"
	StrengthWeak   Strength = "weak"
)

// Gender of a person: "M", "F", "X" (unspecified, as ICAO 9303 writes '<'),
// or "" when unknown.
type Gender string

// The genders of a person.
const (
	GenderUnknown Gender = ""
	GenderMale    Gender = "M"
	GenderFemale  Gender = "F"
	GenderOther   Gender = "X"
)

// ParseGender reads "M", "F", "X", "male", "female" in any case; "" and
// "unknown" are GenderUnknown.
func ParseGender(s string) (Gender, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return GenderUnknown, nil
	case "m", "male":
		return GenderMale, nil
	case "f", "female":
		return GenderFemale, nil
	case "x", "<", "unspecified", "other":
		return GenderOther, nil
	case "unknown", "u":
		return GenderUnknown, nil
	}
	return "", fmt.Errorf("unknown gender %q: want M, F, X or empty", s)
}

// Name is one name of an entry: a full name, or family and given parts, in
// any script. The first name of an entry is its primary name; the others are
// aliases, strong unless marked weak.
//
// In JSON a Name is either a string (a strong full name) or an object with
// "full", "given", "family" and "strength".
type Name struct {
	Full     string   `json:"full,omitempty"`
	Given    string   `json:"given,omitempty"`
	Family   string   `json:"family,omitempty"`
	Strength Strength `json:"strength,omitempty"`
}

// String returns the name as one line: Full, or given names then family name.
func (n Name) String() string {
	if n.Full != "" {
		return n.Full
	}
	switch {
	case n.Given == "":
		return n.Family
	case n.Family == "":
		return n.Given
	}
	return n.Given + " " + n.Family
}

// Weak reports whether n is a weak alias.
func (n Name) Weak() bool { return n.Strength == StrengthWeak }

type nameObject Name

var _ json.Marshaler = Name{}

// MarshalJSON writes a strong full name as a plain string, anything else as
// an object.
func (n Name) MarshalJSON() ([]byte, error) {
	return n.appendJSON(make([]byte, 0, len(n.Full)+len(n.Given)+len(n.Family)+16)), nil
}

// UnmarshalJSON accepts a string or an object.
func (n *Name) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*n = Name{Full: s}
		return nil
	}
	var o nameObject
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&o); err != nil {
		return err
	}
	*n = Name(o)
	return nil
}

// Document is a travel or identity document: on a traveller, or listed on an
// entry. Type is the ICAO 9303 document code ("P" passport, "I" identity
// card, "V" visa, ...) or "" when the list does not say; Country is the
// issuing state as an ICAO/ISO alpha-3 code.
type Document struct {
	Type    string `json:"type,omitempty"`
	Number  string `json:"number"`
	Country string `json:"country,omitempty"`
	Expiry  Date   `json:"expiry,omitzero"`
	Note    string `json:"note,omitempty"`
}

// Identifier is an organisation's registration, tax or other number.
type Identifier struct {
	Type    string `json:"type"`
	Value   string `json:"value"`
	Country string `json:"country,omitempty"`
}

// Entry is one listed person or organisation.
//
// List and Version are set by the store: the list the entry belongs to and the
// watchlist version at which it last changed.
type Entry struct {
	ID            string       `json:"id"`
	List          string       `json:"list,omitempty"`
	Kind          Kind         `json:"kind"`
	Names         []Name       `json:"names"`
	BirthDates    []Date       `json:"birth_dates,omitempty"`
	Nationalities []string     `json:"nationalities,omitempty"`
	Gender        Gender       `json:"gender,omitempty"`
	Documents     []Document   `json:"documents,omitempty"`
	Countries     []string     `json:"countries,omitempty"`
	Identifiers   []Identifier `json:"identifiers,omitempty"`
	Action        Action       `json:"action"`
	Reason        string       `json:"reason,omitempty"`
	Source        string       `json:"source,omitempty"`
	ListedFrom    Date         `json:"listed_from,omitzero"`
	ListedUntil   Date         `json:"listed_until,omitzero"`
	Version       uint64       `json:"version,omitempty"`
}

// Limits on an entry, to keep one bad record from swamping the index.
const (
	MaxIDLen     = 128
	MaxNames     = 512
	MaxNameLen   = 512
	MaxTextLen   = 8192
	MaxListItems = 256
)

// Validate checks e against the entry model and returns a *ValidationError
// naming the first field that is wrong. It does not change e; call Normalize
// first to fill defaults.
func (e *Entry) Validate() error {
	if err := ValidateID(e.ID); err != nil {
		return &ValidationError{Field: "id", Value: e.ID, Err: err}
	}
	switch e.Kind {
	case KindPerson, KindOrganization:
	default:
		return invalid("kind", string(e.Kind), "want %q or %q", KindPerson, KindOrganization)
	}
	if len(e.Names) == 0 {
		return invalid("names", "", "at least one name is required")
	}
	if len(e.Names) > MaxNames {
		return invalid("names", "", "%d names, at most %d", len(e.Names), MaxNames)
	}
	for i, n := range e.Names {
		if err := n.validate(); err != nil {
			return prefixField(fmt.Sprintf("names[%d]", i), err)
		}
	}
	if len(e.BirthDates) > MaxListItems || len(e.Nationalities) > MaxListItems ||
		len(e.Documents) > MaxListItems || len(e.Countries) > MaxListItems || len(e.Identifiers) > MaxListItems {
		return invalid("", "", "more than %d items in a list field", MaxListItems)
	}
	for i, d := range e.BirthDates {
		if d.IsZero() {
			return invalid(fmt.Sprintf("birth_dates[%d]", i), "", "empty date")
		}
		if err := d.Validate(); err != nil {
			return &ValidationError{Field: fmt.Sprintf("birth_dates[%d]", i), Value: d.String(), Err: err}
		}
	}
	for i, c := range e.Nationalities {
		if !IsCountryCode(c) {
			return invalid(fmt.Sprintf("nationalities[%d]", i), c, "not an ISO 3166 alpha-3 or ICAO code")
		}
	}
	switch e.Gender {
	case GenderUnknown, GenderMale, GenderFemale, GenderOther:
	default:
		return invalid("gender", string(e.Gender), "want M, F, X or empty")
	}
	for i, d := range e.Documents {
		if err := d.Validate(); err != nil {
			return prefixField(fmt.Sprintf("documents[%d]", i), err)
		}
	}
	for i, c := range e.Countries {
		if !IsCountryCode(c) {
			return invalid(fmt.Sprintf("countries[%d]", i), c, "not an ISO 3166 alpha-3 or ICAO code")
		}
	}
	for i, id := range e.Identifiers {
		if strings.TrimSpace(id.Value) == "" {
			return invalid(fmt.Sprintf("identifiers[%d].value", i), "", "empty")
		}
		if id.Country != "" && !IsCountryCode(id.Country) {
			return invalid(fmt.Sprintf("identifiers[%d].country", i), id.Country, "not an ISO 3166 alpha-3 or ICAO code")
		}
	}
	switch e.Action {
	case ActionDeny, ActionRefer, ActionMonitor:
	default:
		return invalid("action", string(e.Action), "want deny, refer or monitor")
	}
	for _, f := range []struct{ name, v string }{{"reason", e.Reason}, {"source", e.Source}} {
		if len(f.v) > MaxTextLen || !utf8.ValidString(f.v) {
			return invalid(f.name, "", "not valid UTF-8 text of at most %d bytes", MaxTextLen)
		}
	}
	for _, f := range []struct {
		name string
		d    Date
	}{{"listed_from", e.ListedFrom}, {"listed_until", e.ListedUntil}} {
		if err := f.d.Validate(); err != nil {
			return &ValidationError{Field: f.name, Value: f.d.String(), Err: err}
		}
	}
	if !e.ListedFrom.IsZero() && !e.ListedUntil.IsZero() && e.ListedUntil.Time().Before(e.ListedFrom.Time()) {
		return invalid("listed_until", e.ListedUntil.String(), "before listed_from")
	}
	return nil
}

func (n Name) validate() error {
	if strings.TrimSpace(n.String()) == "" {
		return invalid("", "", "empty name")
	}
	for _, f := range []struct{ field, v string }{{"full", n.Full}, {"given", n.Given}, {"family", n.Family}} {
		if len(f.v) > MaxNameLen {
			return invalid(f.field, "", "longer than %d bytes", MaxNameLen)
		}
		if !utf8.ValidString(f.v) {
			return invalid(f.field, f.v, "not valid UTF-8")
		}
		for _, r := range f.v {
			if unicode.IsControl(r) {
				return invalid(f.field, f.v, "control character %U", r)
			}
		}
	}
	if n.Full != "" && (n.Given != "" || n.Family != "") {
		return invalid("full", n.Full, "give either full or given/family, not both")
	}
	switch n.Strength {
	case "", StrengthStrong, StrengthWeak:
	default:
		return invalid("strength", string(n.Strength), "want strong or weak")
	}
	return nil
}

// Validate checks a document: a number of letters, digits and the usual
// separators, and an issuing state that is a known code.
func (d Document) Validate() error {
	num := strings.TrimSpace(d.Number)
	if num == "" {
		return invalid("number", "", "empty")
	}
	if len(num) > 64 || !utf8.ValidString(num) {
		return invalid("number", d.Number, "longer than 64 bytes or not UTF-8")
	}
	for _, r := range num {
		if unicode.IsControl(r) {
			return invalid("number", d.Number, "control character %U", r)
		}
	}
	if len(d.Type) > 16 {
		return invalid("type", d.Type, "longer than 16 bytes")
	}
	if d.Country != "" && !IsCountryCode(d.Country) {
		return invalid("country", d.Country, "not an ISO 3166 alpha-3 or ICAO code")
	}
	if err := d.Expiry.Validate(); err != nil {
		return &ValidationError{Field: "expiry", Value: d.Expiry.String(), Err: err}
	}
	return nil
}

// ValidateID checks an entry or list identifier: 1 to MaxIDLen bytes of
// printable UTF-8 without '/' or white space at either end.
func ValidateID(id string) error {
	if id == "" {
		return fmt.Errorf("empty")
	}
	if len(id) > MaxIDLen {
		return fmt.Errorf("longer than %d bytes", MaxIDLen)
	}
	if !utf8.ValidString(id) {
		return fmt.Errorf("not valid UTF-8")
	}
	if strings.TrimSpace(id) != id {
		return fmt.Errorf("white space at either end")
	}
	for _, r := range id {
		if r == '/' || !unicode.IsPrint(r) {
			return fmt.Errorf("character %q not allowed", r)
		}
	}
	return nil
}

// Normalize fills defaults and tidies e in place: kind person and action
// refer when empty, white space trimmed, codes upper-cased, country names
// turned into codes where they are known, duplicates removed. It never
// invents data; Validate still decides.
func (e *Entry) Normalize() {
	e.ID = strings.TrimSpace(e.ID)
	if e.Kind == "" {
		e.Kind = KindPerson
	}
	e.Kind = Kind(strings.ToLower(string(e.Kind)))
	if e.Kind == "organisation" || e.Kind == "entity" {
		e.Kind = KindOrganization
	}
	if e.Action == "" {
		e.Action = ActionRefer
	}
	e.Action = Action(strings.ToLower(string(e.Action)))
	names := e.Names[:0]
	for _, n := range e.Names {
		n.Full = collapseSpace(n.Full)
		n.Given = collapseSpace(n.Given)
		n.Family = collapseSpace(n.Family)
		if n.Strength == StrengthStrong {
			n.Strength = ""
		}
		if n.String() == "" {
			continue
		}
		if !containsName(names, n) {
			names = append(names, n)
		}
	}
	e.Names = names
	e.Nationalities = normalizeCountries(e.Nationalities)
	e.Countries = normalizeCountries(e.Countries)
	if g, err := ParseGender(string(e.Gender)); err == nil {
		e.Gender = g
	}
	for i := range e.Documents {
		e.Documents[i].Normalize()
	}
	for i := range e.Identifiers {
		id := &e.Identifiers[i]
		id.Type = strings.TrimSpace(id.Type)
		id.Value = strings.TrimSpace(id.Value)
		if c, ok := CountryCode(id.Country); ok {
			id.Country = c
		}
	}
	e.BirthDates = dedupeDates(e.BirthDates)
	e.Reason = strings.TrimSpace(e.Reason)
	e.Source = strings.TrimSpace(e.Source)
}

// Normalize tidies a document: trimmed, type and country upper-cased,
// a country name turned into its code where it is known.
func (d *Document) Normalize() {
	d.Type = strings.ToUpper(strings.TrimSpace(d.Type))
	d.Number = strings.TrimSpace(d.Number)
	if c, ok := CountryCode(d.Country); ok {
		d.Country = c
	}
	d.Note = strings.TrimSpace(d.Note)
}

func containsName(names []Name, n Name) bool {
	for i := range names {
		if names[i].Full == n.Full && names[i].Given == n.Given && names[i].Family == n.Family {
			// Keep the stronger of two equal names.
			if !n.Weak() {
				names[i].Strength = ""
			}
			return true
		}
	}
	return false
}

func normalizeCountries(cs []string) []string {
	out := cs[:0]
	for _, c := range cs {
		if code, ok := CountryCode(c); ok {
			c = code
		} else {
			c = strings.TrimSpace(c)
		}
		if c == "" || slices.Contains(out, c) {
			continue
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func dedupeDates(ds []Date) []Date {
	out := ds[:0]
	for _, d := range ds {
		dup := false
		for _, o := range out {
			if o == d {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, d)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func collapseSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
